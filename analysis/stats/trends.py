"""Scores across waves: the municipal mean over a fixed set of departments, and one department's series.

The charts of change and trend draw these numbers; they are computed here, from the scores,
so that the numbers can be checked (and reused) without drawing anything.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError
from .scores import Scores

_SCORE_COLUMNS = ["score", "ci_low", "ci_high"]


def common_department_means(
    scores: Scores, value_ids: Sequence[str], changes: pd.DataFrame, wave_from: int, wave_to: int
) -> pd.DataFrame:
    """Return both waves' municipal means over the departments published in both, as the change table compares.

    :func:`analysis.stats.scoring.score_changes` compares the municipality over the departments
    published in both waves, so that a change never comes from a department entering or leaving
    the average. This gives the two means behind such a change: per value and wave, the mean of
    those departments' scores, with the interval from the same stratified bootstrap replicates
    (averaged resample by resample) as the published municipal scores.

    Parameters
    ----------
    scores
        The result of :func:`analysis.stats.scoring.score_survey`.
    value_ids
        The values to return, in this order.
    changes
        The frame of :func:`analysis.stats.scoring.score_changes` from ``wave_from`` to
        ``wave_to``; its municipality rows' ``n_departments`` are checked against ``scores``.
    wave_from, wave_to
        The older and the newer wave.

    Returns
    -------
    pandas.DataFrame
        ``wave, value, score, ci_low, ci_high, n_departments``: the rows of ``wave_from`` (in
        ``value_ids`` order), then those of ``wave_to``. ``n_departments`` is the number of
        departments published in both waves; with none, the score and interval are NaN.

    Raises
    ------
    ParameterError
        When ``changes`` compares other waves or was computed from other scores.
    """
    muni = (
        changes[changes["department"] == config.MUNICIPALITY] if "department" in changes.columns else changes.iloc[0:0]
    )
    muni = muni[(muni["wave_from"] == wave_from) & (muni["wave_to"] == wave_to)] if not muni.empty else muni
    if muni.empty:
        found = (
            sorted({f"{a} → {b}" for a, b in zip(changes["wave_from"], changes["wave_to"])})
            if {"wave_from", "wave_to"} <= set(changes.columns)
            else []
        )
        raise ParameterError(
            f"changes has no municipality (department '{config.MUNICIPALITY}') rows from {wave_from} to {wave_to}"
            + (f" (it compares {', '.join(found)})" if found else "")
            + f"; pass score_changes(scores, {wave_from}, {wave_to}) for this chart."
        )
    muni = muni.drop_duplicates("value").set_index("value")
    dv = scores.department_value
    published = dv[~dv["suppressed"].astype(bool) & dv["score"].notna()]
    by_wave = {
        wv: published[published["wave"] == wv].set_index(["value", "department"])["score"]
        for wv in (wave_from, wave_to)
    }
    order = list(dict.fromkeys(dv["value"]))  # the replicates' columns (as in score_changes)
    rows: dict[int, list[dict]] = {wave_from: [], wave_to: []}
    for vid in value_ids:
        depts = sorted(
            set(by_wave[wave_from].get(vid, pd.Series(dtype=float)).index)
            & set(by_wave[wave_to].get(vid, pd.Series(dtype=float)).index)
        )
        expected = int(muni.loc[vid, "n_departments"]) if vid in muni.index else len(depts)
        if len(depts) != expected:
            raise ParameterError(
                f"changes counts {expected} departments published in both {wave_from} and {wave_to} for {vid!r}, "
                f"but these scores have {len(depts)}; make both from the same score_survey result."
            )
        for wv in (wave_from, wave_to):
            score, low, high = np.nan, np.nan, np.nan
            if depts:
                score = float(by_wave[wv].loc[vid].loc[depts].mean())
                k = order.index(vid) if vid in order else None
                reps = [scores.replicates.get((wv, d)) for d in depts]
                if k is not None and all(r is not None for r in reps):
                    low, high = _mean_interval(np.column_stack([r[:, k] for r in reps]), scores.confidence)
            rows[wv].append(
                {
                    "wave": wv,
                    "value": vid,
                    "score": score,
                    "ci_low": float(low),
                    "ci_high": float(high),
                    "n_departments": len(depts),
                }
            )
    return pd.DataFrame(rows[wave_from] + rows[wave_to], columns=["wave", "value", *_SCORE_COLUMNS, "n_departments"])


def _mean_interval(replicates: np.ndarray, confidence: float) -> tuple[float, float]:
    """Return the percentile interval of the row means of ``replicates`` (resamples x departments)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN resample stays NaN
        means = np.nanmean(replicates, axis=1)
    means = means[~np.isnan(means)]
    if not means.size:
        return np.nan, np.nan
    alpha = 100 * (1 - confidence) / 2
    low, high = np.percentile(means, [alpha, 100 - alpha])
    return low, high


def department_trend(scores: Scores, department: str) -> pd.DataFrame:
    """Return one department's scores in every wave, every number of a suppressed cell blank.

    Parameters
    ----------
    scores
        The result of :func:`analysis.stats.scoring.score_survey`.
    department
        The department's code.

    Returns
    -------
    pandas.DataFrame
        ``value, wave, score, ci_low, ci_high, n``, one row per value and wave the department
        has answers in. Where the cell is suppressed (or has no score), ``score``, ``ci_low``
        and ``ci_high`` are NaN; ``n`` stays (the chart writes ``n < min_n`` instead).

    Raises
    ------
    ParameterError
        When the department has no scores at all.
    """
    dv = scores.department_value
    cells = dv[dv["department"] == department].copy()
    if cells.empty:
        raise ParameterError(
            f"department {department!r} has no scores; the scored departments are "
            f"{', '.join(dict.fromkeys(dv['department']))}."
        )
    hidden = cells["suppressed"].astype(bool) | cells["score"].isna()
    cells.loc[hidden, _SCORE_COLUMNS] = np.nan
    return cells[["value", "wave", *_SCORE_COLUMNS, "n"]].reset_index(drop=True)
