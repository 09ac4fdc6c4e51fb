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


def answer_matrix(responses: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, np.ndarray]:
    """Turn the long responses into one respondents x items matrix of answer codes (0 = blank).

    Returns the respondents (``wave``, ``department``, ``respondent_id``, in that sort order)
    and the matrix whose rows follow them. Integer codes are used throughout because a wave of
    100,000 respondents has millions of rows here.
    """
    items = pd.Categorical(responses["item"], categories=codebook.item_ids)
    if (items.codes < 0).any():
        unknown = sorted(set(responses["item"][items.codes < 0]))[:5]
        raise ParameterError(f"responses name items the codebook does not have: {unknown}")
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
    matrix[rank[resp_codes], items.codes] = answers
    return meta.iloc[order].reset_index(drop=True), matrix


def wave_matrix(responses: pd.DataFrame, codebook: Codebook, wave: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the departments and the respondents x items answer codes (0 = blank) of one wave.

    The matrix is :func:`answer_matrix` of the wave's rows, so respondents are counted exactly
    as the scores count them. Columns follow ``codebook.item_ids``; the departments array gives
    each row's department code.

    Raises
    ------
    ParameterError
        When the wave has no responses or the responses name items the codebook lacks.
    """
    waves = responses["wave"].astype("int64")
    rows = responses[waves.to_numpy() == int(wave)]
    if rows.empty:
        found = sorted(set(waves.tolist()))
        raise ParameterError(f"wave {wave} has no responses; the data have waves {found}. Pick one of those waves.")
    meta, matrix = answer_matrix(rows, codebook)
    return meta["department"].to_numpy(dtype=object), matrix
