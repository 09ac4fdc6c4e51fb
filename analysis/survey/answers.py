"""Answer codes as matrices: the valid levels, reverse scoring and the respondents x items matrix.

In: the tidy long responses frame (or a matrix of answer codes) and the codebook. Out: integer
matrices with one row per respondent and one column per codebook item, and the two rules every
statistic applies to them, defined here once: which codes are levels (1-5, the only answers
that are scored) and how reverse-worded items are turned (``6 - x``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from .codebook import Codebook

__all__ = ["LEVELS", "answer_matrix", "turn_reverse", "valid_levels", "wave_matrix"]

#: The maturity levels, the only answers that carry a score.
LEVELS = (1, 2, 3, 4, 5)
#: The loader's code for a blank answer (:data:`analysis.survey.validation.BLANK`).
_BLANK = -1


def valid_levels(codes) -> np.ndarray:
    """Return a mask of the answers that are levels (1-5), not don't-know, not-applicable or blank.

    Examples
    --------
    >>> valid_levels(np.array([[0, 1, 5, 8, 9]])).tolist()
    [[False, True, True, False, False]]
    """
    codes = np.asarray(codes)
    return (codes >= LEVELS[0]) & (codes <= LEVELS[-1])


def turn_reverse(codes, reverse) -> np.ndarray:
    """Return the answer codes with reverse-worded items' levels turned ``6 - x``, other codes kept.

    Parameters
    ----------
    codes : array-like, shape (respondents, items)
        Answer codes (levels, the don't-know and not-applicable codes, 0 for blank).
    reverse : array-like of bool, shape (items,)
        True for the reverse-worded items (``Codebook.structure()[2]``).

    Returns
    -------
    numpy.ndarray
        Codes of the same shape and dtype; turning is its own inverse.

    Examples
    --------
    >>> turn_reverse(np.array([[1, 2], [8, 5]]), np.array([False, True])).tolist()
    [[1, 4], [8, 1]]
    """
    codes = np.asarray(codes)
    return np.where(valid_levels(codes) & np.asarray(reverse, dtype=bool), 6 - codes, codes)


#: Rows of the long frame per step when the matrix is filled, so the step's index arrays stay small.
_FILL_ROWS = 1 << 20


def answer_matrix(responses, codebook: Codebook) -> tuple[pd.DataFrame, np.ndarray]:
    """Turn the long responses into one respondents x items matrix of answer codes (0 = blank).

    Returns the respondents (``wave``, ``department``, ``respondent_id``, in that sort order)
    and the matrix whose rows follow them. Integer codes are used throughout because a wave of
    100,000 respondents has millions of rows here. ``responses`` may also be the
    :class:`~analysis.survey.loading.Survey` itself, whose answers are a matrix already.
    """
    from .loading import Survey  # loading does not import this module; stats do

    if isinstance(responses, Survey):
        return _survey_matrix(responses, codebook)
    item_codes = pd.Index(codebook.item_ids).get_indexer(responses["item"].to_numpy())
    if (item_codes < 0).any():
        unknown = sorted(set(responses["item"][item_codes < 0]))[:5]
        raise ParameterError(f"responses name items the codebook does not have: {unknown}")
    waves = responses["wave"].astype("int64").to_numpy()
    runs = _respondent_runs(waves, responses["department"], responses["respondent_id"])
    if runs is None:  # a missing department or id: counted the long way, as it always was
        return _answer_matrix_rows(responses, codebook, item_codes)
    starts = runs
    lengths = np.diff(np.append(starts, len(waves)))
    ends = starts + lengths
    wave_codes, wave_values = pd.factorize(waves[starts])
    dept_codes, depts = pd.factorize(responses["department"].to_numpy()[starts])
    rid_codes, rids = pd.factorize(responses["respondent_id"].to_numpy()[starts])
    key = (wave_codes.astype(np.int64) * len(depts) + dept_codes) * len(rids) + rid_codes
    resp_codes, _ = pd.factorize(key)  # a respondent whose rows are not together is one respondent still
    first = np.empty(resp_codes.max() + 1 if len(resp_codes) else 0, dtype=np.int64)
    first[resp_codes[::-1]] = np.arange(len(resp_codes) - 1, -1, -1)  # first run of each respondent
    meta = pd.DataFrame(
        {
            "wave": np.asarray(wave_values)[wave_codes[first]].astype(np.int64),
            "department": np.asarray(depts, dtype=object)[dept_codes[first]],
            "respondent_id": np.asarray(rids, dtype=object)[rid_codes[first]],
        }
    )
    order = meta.sort_values(["wave", "department", "respondent_id"]).index.to_numpy()
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    matrix = np.zeros((len(meta), len(codebook.item_ids)), dtype=np.int8)
    answers = responses["answer"].astype("Int8").fillna(0).to_numpy(dtype=np.int8)
    row_of_run = rank[resp_codes]
    # Filled in order, whole runs at a time: a respondent x item given twice keeps the later answer.
    lo = 0
    while lo < len(starts):
        hi = max(lo + 1, int(np.searchsorted(ends, starts[lo] + _FILL_ROWS, side="right")))
        rows = slice(starts[lo], ends[hi - 1])
        matrix[np.repeat(row_of_run[lo:hi], lengths[lo:hi]), item_codes[rows]] = answers[rows]
        lo = hi
    return meta.iloc[order].reset_index(drop=True), matrix


def _respondent_runs(waves: np.ndarray, departments: pd.Series, ids: pd.Series) -> np.ndarray | None:
    """Return where each run of rows of one respondent starts (the loader writes a respondent's rows together).

    None when a department or an id is missing (NaN differs from itself, so each is a run of one).
    """
    n = len(waves)
    change = np.ones(n, dtype=bool)
    if n > 1:
        change[1:] = waves[1:] != waves[:-1]
        for column in (departments, ids):
            values = column.to_numpy()
            change[1:] |= values[1:] != values[:-1]
    starts = np.flatnonzero(change)
    if departments.iloc[starts].isna().any() or ids.iloc[starts].isna().any():
        return None
    return starts


def _answer_matrix_rows(responses: pd.DataFrame, codebook: Codebook, item_codes: np.ndarray):
    """:func:`answer_matrix` row by row: for frames with a missing department or respondent id."""
    wave_codes, waves = pd.factorize(responses["wave"].astype("int64"))
    dept_codes, depts = pd.factorize(responses["department"])
    rid_codes, rids = pd.factorize(responses["respondent_id"])
    key = (wave_codes.astype(np.int64) * len(depts) + dept_codes) * len(rids) + rid_codes
    resp_codes, _ = pd.factorize(key)
    first = np.empty(resp_codes.max() + 1 if len(resp_codes) else 0, dtype=np.int64)
    first[resp_codes[::-1]] = np.arange(len(resp_codes) - 1, -1, -1)  # first row of each respondent
    meta = pd.DataFrame(
        {
            "wave": np.asarray(waves)[wave_codes[first]].astype(np.int64),
            "department": np.asarray(depts, dtype=object)[dept_codes[first]],
            "respondent_id": np.asarray(rids, dtype=object)[rid_codes[first]],
        }
    )
    order = meta.sort_values(["wave", "department", "respondent_id"]).index.to_numpy()
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    matrix = np.zeros((len(meta), len(codebook.item_ids)), dtype=np.int8)
    answers = responses["answer"].astype("Int8").fillna(0).to_numpy(dtype=np.int8)
    matrix[rank[resp_codes], item_codes] = answers
    return meta.iloc[order].reset_index(drop=True), matrix


def _survey_matrix(survey, codebook: Codebook) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`answer_matrix` of a loaded survey, from its answers matrix (the same result as from its long frame)."""
    answers = survey.answers
    target = {iid: k for k, iid in enumerate(codebook.item_ids)}
    used = answers.present.any(axis=0)
    unknown = sorted({iid for iid, u in zip(answers.item_ids, used) if u and iid not in target})[:5]
    if unknown:
        raise ParameterError(f"responses name items the codebook does not have: {unknown}")
    rows = answers.present.any(axis=1)  # every respondent has rows, unless a file had no item at all
    codes = answers.codes if rows.all() else answers.codes[rows]
    matrix = np.zeros((len(codes), len(target)), dtype=np.int8)
    for k, iid in enumerate(answers.item_ids):
        if used[k]:
            column = codes[:, k]
            matrix[:, target[iid]] = np.where(column == _BLANK, 0, column)
    meta = survey.respondents if rows.all() else survey.respondents[rows].reset_index(drop=True)
    return meta.copy(), matrix


def wave_matrix(responses, codebook: Codebook, wave: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the departments and the respondents x items answer codes (0 = blank) of one wave.

    ``responses`` is the long frame or the :class:`~analysis.survey.loading.Survey` itself.

    The matrix is :func:`answer_matrix` of the wave's rows, so respondents are counted exactly
    as the scores count them. Columns follow ``codebook.item_ids``; the departments array gives
    each row's department code.

    Raises
    ------
    ParameterError
        When the wave has no responses or the responses name items the codebook lacks.
    """
    from .loading import Survey

    if isinstance(responses, Survey):
        meta, matrix = answer_matrix(responses, codebook)
        keep = meta["wave"].to_numpy() == int(wave)
        if not keep.any():
            found = sorted(set(meta["wave"].tolist()))
            raise ParameterError(f"wave {wave} has no responses; the data have waves {found}. Pick one of those waves.")
        return meta["department"].to_numpy(dtype=object)[keep], matrix[keep]
    waves = responses["wave"].astype("int64")
    rows = responses[waves.to_numpy() == int(wave)]
    if rows.empty:
        found = sorted(set(waves.tolist()))
        raise ParameterError(f"wave {wave} has no responses; the data have waves {found}. Pick one of those waves.")
    meta, matrix = answer_matrix(rows, codebook)
    return meta["department"].to_numpy(dtype=object), matrix
