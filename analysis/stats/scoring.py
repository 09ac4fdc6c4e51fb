"""Maturity scores exactly as ``method.md`` defines them.

The chain, per survey wave and department ``d``:

1. item mean ``m(d,i)`` over the valid answers (levels 1-5; reverse items scored ``6 - x`` first),
2. focus-area score ``S(d,F)``: mean of its items' means (items without valid answers skipped),
3. value score ``S(d,V)``: mean of its focus areas' scores (focus areas weigh equally),
4. municipality score ``S(V)``: mean over the *published* departments, each weighing the same.

Intervals are percentile bootstraps over respondents within each department (the whole chain
1-3 recomputed in every resample); the municipality interval is the stratified bootstrap that
follows from averaging the departments' replicates resample by resample. The chain is written as
matrix products of respondent weights, so that :func:`analysis.stats.bootstrap.resample` can run
a block of resamples as one product. The result is a :class:`~analysis.stats.scores.Scores`;
changes between waves are :mod:`analysis.stats.changes`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError
from ..survey.answers import answer_matrix, turn_reverse, valid_levels
from ..survey.codebook import Codebook, Departments, load_codebook, load_departments
from .bootstrap import check_confidence, department_generator, percentile_interval, resample, stratified_mean
from .disclosure import check_min_n, is_suppressed, published, suppress_siblings
from .scores import Scores

__all__ = ["level_of", "score_survey"]


def level_of(score):
    """Return the maturity level nearest to ``score``, halves rounding up (2.5 -> 3).

    Works on scalars and arrays; NaN stays NaN.

    Examples
    --------
    >>> [level_of(x) for x in (1.0, 2.49, 2.5, 3.5, 4.51, 5.0)]
    [1, 2, 3, 4, 5, 5]
    """
    arr = np.asarray(score, dtype=float)
    # Scores are means of means; rounding to 9 decimals first keeps an exact .5 from
    # drifting to .4999999 through floating-point error.
    lv = np.clip(np.floor(np.round(arr, 9) + 0.5), 1, 5)
    if lv.ndim == 0:
        return int(lv) if np.isfinite(lv) else np.nan
    return lv


def _indicator(index: np.ndarray, size: int) -> np.ndarray:
    """Return a 0/1 matrix mapping rows (e.g. items) to groups (e.g. focus areas)."""
    ind = np.zeros((index.size, size), dtype=np.float64)
    ind[np.arange(index.size), index] = 1.0
    return ind


def _mean_or_nan(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Return ``total / count``, NaN where nothing was counted."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)


def _mean_of_present(x: np.ndarray, ind: np.ndarray) -> np.ndarray:
    """Average the columns of ``x`` within groups, skipping NaN (the 'skip empty' rule)."""
    present = ~np.isnan(x)
    return _mean_or_nan(np.where(present, x, 0.0) @ ind, present.astype(np.float64) @ ind)


def _chain(
    weights: np.ndarray, stacked: np.ndarray, n_items: int, item_fa: np.ndarray, fa_value: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Compute focus-area and value scores for each row of respondent ``weights``.

    ``stacked`` holds, side by side, the valid scores (0 where not valid) and the validity mask
    of one department's respondents; a weight row of ones gives the point estimate and a row of
    multinomial counts gives one bootstrap resample.
    """
    sums = weights @ stacked
    item_sum, item_cnt = sums[:, :n_items], sums[:, n_items:]
    item_mean = _mean_or_nan(item_sum, item_cnt)
    fa = _mean_of_present(item_mean, item_fa)
    value = _mean_of_present(fa, fa_value)
    return fa, value


def score_survey(
    responses: pd.DataFrame,
    codebook: Codebook | None = None,
    departments: Departments | None = None,
    *,
    min_n: int = config.DEFAULT_MIN_N,
    seed: int = config.DEFAULT_SEED,
    resamples: int = config.DEFAULT_RESAMPLES,
    confidence: float = config.CONFIDENCE,
) -> Scores:
    """Score every wave, department, focus area and value of a survey, with intervals.

    Parameters
    ----------
    responses
        The tidy long frame of :func:`analysis.survey.loading.load_responses` (columns ``wave``,
        ``respondent_id``, ``department``, ``item``, ``answer``).
    codebook
        The questionnaire; the bundled one by default.
    departments
        The department list; only its order is used (tables follow it). The bundled one by
        default.
    min_n
        Minimum group size: a department x value cell with fewer respondents is suppressed.
    seed, resamples, confidence
        Bootstrap settings (method.md: fixed seed, 2,000 resamples, 95 %).

    Returns
    -------
    Scores
        Tables per department x value, value (municipality), department x focus area,
        don't-know shares, items and respondent counts.
    """
    codebook = codebook or load_codebook()
    departments = departments or load_departments()
    min_n = check_min_n(min_n)
    if int(resamples) < 100:
        raise ParameterError(f"resamples must be at least 100 for a percentile interval, found {resamples!r}.")
    check_confidence(confidence)
    min_n, seed, resamples = int(min_n), int(seed), int(resamples)

    meta, matrix = answer_matrix(responses, codebook)
    item_fa, fa_value, reverse = codebook.structure()
    n_items, n_fa, n_val = len(item_fa), len(fa_value), len(codebook.values)
    item_fa_ind = _indicator(item_fa, n_fa)
    fa_value_ind = _indicator(fa_value, n_val)
    item_value_ind = item_fa_ind @ fa_value_ind
    value_ids, fa_ids, item_ids = codebook.value_ids, [fa.id for fa in codebook.focus_areas], codebook.item_ids
    dk, na = codebook.dont_know, codebook.not_applicable

    valid = valid_levels(matrix)
    scored = turn_reverse(matrix, reverse).astype(np.float32)
    scored[~valid] = 0.0

    dv_rows, fa_rows, dk_rows, item_rows, resp_rows = [], [], [], [], []
    replicates: dict[tuple[int, str], np.ndarray] = {}
    fa_replicates: dict[tuple[int, str], np.ndarray] = {}
    groups = meta.groupby(["wave", "department"], sort=True).indices
    for (wave, dept), rows in groups.items():
        wave = int(wave)
        v, m = valid[rows], scored[rows]
        stacked = np.hstack([m, v.astype(np.float32)])
        ones = np.ones((1, len(rows)), dtype=np.float32)
        fa_point, value_point = (a[0] for a in _chain(ones, stacked, n_items, item_fa_ind, fa_value_ind))
        fa_reps, value_reps = resample(
            len(rows),
            lambda w, stacked=stacked: _chain(w, stacked, n_items, item_fa_ind, fa_value_ind),
            resamples,
            department_generator(seed, wave, dept),
        )
        fa_low, fa_high = percentile_interval(fa_reps, confidence)
        value_low, value_high = percentile_interval(value_reps, confidence)
        n_value = ((v.astype(np.float64) @ item_value_ind) > 0).sum(axis=0)
        n_fa = ((v.astype(np.float64) @ item_fa_ind) > 0).sum(axis=0)
        value_suppressed = is_suppressed(n_value, min_n)

        codes = matrix[rows]
        is_dk, is_na, is_blank = codes == dk, codes == na, codes == 0
        answered = ~is_blank
        dk_by_value = is_dk.astype(np.float64).sum(axis=0) @ item_value_ind
        answers_by_value = answered.astype(np.float64).sum(axis=0) @ item_value_ind
        answering_respondents = ((answered.astype(np.float64) @ item_value_ind) > 0).sum(axis=0)

        resp_rows.append({"wave": wave, "department": dept, "respondents": len(rows)})
        replicates[(wave, dept)] = value_reps
        fa_replicates[(wave, dept)] = fa_reps
        for k, vid in enumerate(value_ids):
            dv_rows.append(
                {
                    "wave": wave,
                    "department": dept,
                    "value": vid,
                    "score": value_point[k],
                    "ci_low": value_low[k],
                    "ci_high": value_high[k],
                    "n": int(n_value[k]),
                    "suppressed": bool(value_suppressed[k]),
                }
            )
            dk_rows.append(
                {
                    "wave": wave,
                    "department": dept,
                    "value": vid,
                    "dont_know": int(dk_by_value[k]),
                    "answers": int(answers_by_value[k]),
                    "n": int(answering_respondents[k]),
                }
            )
        for k, fid in enumerate(fa_ids):
            fa_rows.append(
                {
                    "wave": wave,
                    "department": dept,
                    "value": value_ids[fa_value[k]],
                    "focus_area": fid,
                    "score": fa_point[k],
                    "ci_low": fa_low[k],
                    "ci_high": fa_high[k],
                    "n": int(n_fa[k]),
                    # A focus area of a suppressed value is suppressed too: its scores would give
                    # the value's score away.
                    "suppressed": bool(is_suppressed(n_fa[k], min_n) or value_suppressed[fa_value[k]]),
                }
            )
        n_valid_item = v.sum(axis=0)
        item_mean = _mean_or_nan(m.sum(axis=0), n_valid_item)
        for k, iid in enumerate(item_ids):
            item_rows.append(
                {
                    "wave": wave,
                    "department": dept,
                    "value": value_ids[fa_value[item_fa[k]]],
                    "focus_area": fa_ids[item_fa[k]],
                    "item": iid,
                    "mean": item_mean[k],
                    "n_valid": int(n_valid_item[k]),
                    "dont_know": int(is_dk[:, k].sum()),
                    "not_applicable": int(is_na[:, k].sum()),
                    "blank": int(is_blank[:, k].sum()),
                    "suppressed": bool(is_suppressed(n_valid_item[k], min_n) or value_suppressed[fa_value[item_fa[k]]]),
                }
            )

    dv = _finish_cells(pd.DataFrame(dv_rows))
    fa = _finish_cells(suppress_siblings(pd.DataFrame(fa_rows), "value"))
    items = suppress_siblings(pd.DataFrame(item_rows), "focus_area")
    items.loc[items["suppressed"], "mean"] = np.nan
    dkt = pd.DataFrame(dk_rows)
    with np.errstate(invalid="ignore", divide="ignore"):
        dkt["dont_know_share"] = dkt["dont_know"] / dkt["answers"].where(dkt["answers"] > 0)
    dkt["suppressed"] = is_suppressed(dkt["n"].to_numpy(), min_n)
    dkt.loc[dkt["suppressed"], ["dont_know", "answers", "dont_know_share"]] = np.nan
    dkt["flagged"] = dkt["dont_know_share"] > config.DONT_KNOW_FLAG

    value = _municipality(dv, replicates, value_ids, confidence)
    order = {code: k for k, code in enumerate(departments.order(dv["department"]))}
    return Scores(
        department_value=_in_order(dv, order),
        value=value,
        department_focus_area=_in_order(fa, order),
        dont_know=_in_order(dkt, order),
        item=_in_order(items, order),
        respondents=_in_order(pd.DataFrame(resp_rows), order),
        min_n=min_n,
        seed=seed,
        resamples=resamples,
        confidence=confidence,
        codebook_version=codebook.version,
        replicates=replicates,
        focus_area_replicates=fa_replicates,
        codebook=codebook,
        departments=departments,
    )


def _in_order(frame: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """Sort a table by wave and department order (code -> position), keeping the codebook order within."""
    key = frame["department"].map(order)
    return (
        frame.assign(_key=key).sort_values(["wave", "_key"], kind="stable").drop(columns="_key").reset_index(drop=True)
    )


def _finish_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """Add levels and blank out every number of a suppressed cell."""
    cells["level"] = pd.array(level_of(cells["score"].to_numpy()), dtype="Int64")
    cells.loc[cells["suppressed"], ["score", "ci_low", "ci_high"]] = np.nan
    cells.loc[cells["suppressed"], "level"] = pd.NA
    # A level is uncertain when its interval reaches into a neighbouring level.
    low, high = level_of(cells["ci_low"].to_numpy()), level_of(cells["ci_high"].to_numpy())
    cells["level_uncertain"] = (low != high) & ~cells["suppressed"].to_numpy()
    return cells


def _municipality(dv: pd.DataFrame, replicates: dict, value_ids: list[str], confidence: float) -> pd.DataFrame:
    """Average published departments per value, with the stratified-bootstrap interval."""
    rows = []
    for wave, cells in dv.groupby("wave", sort=True):
        for k, vid in enumerate(value_ids):
            pub = published(cells[cells["value"] == vid])
            if pub.empty:
                rows.append(
                    {
                        "wave": int(wave),
                        "value": vid,
                        "score": np.nan,
                        "ci_low": np.nan,
                        "ci_high": np.nan,
                        "n_departments": 0,
                        "n_respondents": 0,
                    }
                )
                continue
            # Stratified bootstrap: resample b of the municipality is the mean of resample b of
            # every published department, each drawn within its own department.
            low, high = percentile_interval(
                stratified_mean([replicates[(int(wave), d)][:, k] for d in pub["department"]]), confidence
            )
            rows.append(
                {
                    "wave": int(wave),
                    "value": vid,
                    "score": float(pub["score"].mean()),
                    "ci_low": float(low),
                    "ci_high": float(high),
                    "n_departments": len(pub),
                    "n_respondents": int(pub["n"].sum()),
                }
            )
    out = pd.DataFrame(rows)
    out["level"] = pd.array(level_of(out["score"].to_numpy()), dtype="Int64")
    low, high = level_of(out["ci_low"].to_numpy()), level_of(out["ci_high"].to_numpy())
    out["level_uncertain"] = (low != high) & out["score"].notna().to_numpy()
    return out
