"""Changes of the scores between two waves, with bootstrap intervals and a verdict.

In: a :class:`~analysis.stats.scoring.Scores` (which keeps every department's bootstrap
replicates) and two waves. Out: one row per department x value (plus the municipality, ``ALL``),
or per department x focus area, with the change, its percentile interval and a verdict:
``improvement`` or ``decline`` only when the interval excludes 0, else ``no clear change``.

The waves are independent samples, so the bootstrap distribution of a difference is the
difference of the two waves' replicates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError
from .bootstrap import percentile_interval, stratified_mean

if TYPE_CHECKING:  # Scores is only named in signatures; the scores module imports this one.
    from .scores import Scores

__all__ = [
    "DECLINE",
    "IMPROVEMENT",
    "LEVELS_OF_CHANGE",
    "NO_CLEAR_CHANGE",
    "score_changes",
    "score_changes_to",
    "score_focus_area_changes",
]

IMPROVEMENT, DECLINE, NO_CLEAR_CHANGE = "improvement", "decline", "no clear change"
#: What :func:`score_changes` can compare.
LEVELS_OF_CHANGE = ("value", "focus_area")


def _verdict(low: float, high: float) -> str:
    """Classify a change by its interval: only an interval that excludes 0 is a change."""
    if np.isnan(low) or np.isnan(high):
        return ""
    if low > 0:
        return IMPROVEMENT
    if high < 0:
        return DECLINE
    return NO_CLEAR_CHANGE


def _check_waves(scores: Scores, wave_from: int, wave_to: int) -> None:
    """Raise ParameterError unless both waves were scored."""
    waves = set(scores.waves)
    if wave_from not in waves or wave_to not in waves:
        raise ParameterError(f"cannot compare waves {wave_from} and {wave_to}: the data have {sorted(waves)}.")


def _department_changes(
    cells: pd.DataFrame, replicates: dict, confidence: float, key: str, wave_from: int, wave_to: int
) -> tuple[list[dict], dict[str, list[str]]]:
    """Return one change row per department x ``key`` (value or focus area) present in both waves.

    ``cells`` is a department table of :class:`Scores`; the replicate column of a ``key`` is
    its position in the table's (codebook) order. A cell is compared only when it is published
    in both waves (a suppressed cell stays suppressed in every wave it touches). Also returns,
    per ``key``, the departments compared.
    """
    indexed = cells.set_index(["wave", "department", key])
    ids = list(dict.fromkeys(cells[key]))
    departments = list(dict.fromkeys(cells["department"]))
    value_of = dict(zip(cells[key], cells["value"]))
    rows, compared = [], {}
    for k, cid in enumerate(ids):
        compared[cid] = []
        for dept in departments:
            keys = [(wave_from, dept, cid), (wave_to, dept, cid)]
            present = all(kk in indexed.index for kk in keys)
            if not present:
                continue
            published = not any(bool(indexed.loc[kk, "suppressed"]) for kk in keys)
            row = {
                "department": dept,
                "value": value_of[cid],
                key: cid,
                "wave_from": wave_from,
                "wave_to": wave_to,
                "diff": np.nan,
                "ci_low": np.nan,
                "ci_high": np.nan,
                "verdict": "",
                "n_departments": 1,
                "suppressed": not published,
            }
            if published:
                compared[cid].append(dept)
                diff_reps = replicates[(wave_to, dept)][:, k] - replicates[(wave_from, dept)][:, k]
                low, high = percentile_interval(diff_reps, confidence)
                row.update(
                    diff=float(indexed.loc[keys[1], "score"] - indexed.loc[keys[0], "score"]),
                    ci_low=float(low),
                    ci_high=float(high),
                    verdict=_verdict(low, high),
                )
            rows.append(row)
    return rows, compared


def score_changes(scores: Scores, wave_from: int, wave_to: int, *, level: str = "value") -> pd.DataFrame:
    """Return the change of every department x value, and of the municipality, between two waves.

    A department x value is compared only when it is published in both waves (a suppressed cell
    stays suppressed in every wave it touches), and the municipality (department ``ALL``) is
    compared over the departments published in both, so that a change never comes from a
    department entering or leaving the average.

    Parameters
    ----------
    scores
        The result of :func:`~analysis.stats.scoring.score_survey`.
    wave_from, wave_to
        The waves compared; the change is ``wave_to`` minus ``wave_from``.
    level : {"value", "focus_area"}
        ``"focus_area"`` returns :func:`score_focus_area_changes` instead.

    Returns
    -------
    pandas.DataFrame
        ``department, value, wave_from, wave_to, diff, ci_low, ci_high, verdict, n_departments,
        suppressed``; verdict is ``improvement``, ``decline`` or ``no clear change`` (empty
        when suppressed).
    """
    if level == "focus_area":
        return score_focus_area_changes(scores, wave_from, wave_to)
    if level != "value":
        raise ParameterError(f"level must be one of {LEVELS_OF_CHANGE}, found {level!r}.")
    _check_waves(scores, wave_from, wave_to)
    rows, compared = _department_changes(
        scores.department_value, scores.replicates, scores.confidence, "value", wave_from, wave_to
    )
    dv = scores.department_value.set_index(["wave", "department", "value"])
    by_value: dict[str, list[dict]] = {vid: [] for vid in compared}
    for row in rows:
        by_value[row["value"]].append(row)
    out = []
    for k, (vid, common) in enumerate(compared.items()):
        row = {
            "department": config.MUNICIPALITY,
            "value": vid,
            "wave_from": wave_from,
            "wave_to": wave_to,
            "diff": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "verdict": "",
            "n_departments": len(common),
            "suppressed": not common,
        }
        if common:
            before = stratified_mean([scores.replicates[(wave_from, d)][:, k] for d in common])
            after = stratified_mean([scores.replicates[(wave_to, d)][:, k] for d in common])
            low, high = percentile_interval(after - before, scores.confidence)
            diff = float(
                np.mean([dv.loc[(wave_to, d, vid), "score"] - dv.loc[(wave_from, d, vid), "score"] for d in common])
            )
            row.update(diff=diff, ci_low=float(low), ci_high=float(high), verdict=_verdict(low, high))
        out += by_value[vid] + [row]
    return pd.DataFrame(out)


def score_focus_area_changes(scores: Scores, wave_from: int, wave_to: int) -> pd.DataFrame:
    """Return the change of every department x focus area between two waves.

    The same interval logic and verdicts as :func:`score_changes` per value, from the
    focus-area replicates kept in :attr:`Scores.focus_area_replicates`. Department rows only:
    the municipality score is defined per value (method.md), not per focus area. A focus area
    is compared only when it is published in both waves.

    Returns
    -------
    pandas.DataFrame
        ``department, value, focus_area, wave_from, wave_to, diff, ci_low, ci_high, verdict,
        n_departments, suppressed`` (``n_departments`` is always 1), focus areas in codebook
        order and departments in table order within each.
    """
    _check_waves(scores, wave_from, wave_to)
    rows, _ = _department_changes(
        scores.department_focus_area, scores.focus_area_replicates, scores.confidence, "focus_area", wave_from, wave_to
    )
    columns = [
        "department",
        "value",
        "focus_area",
        "wave_from",
        "wave_to",
        "diff",
        "ci_low",
        "ci_high",
        "verdict",
        "n_departments",
        "suppressed",
    ]
    return pd.DataFrame(rows, columns=columns)


def score_changes_to(scores: Scores, wave: int) -> pd.DataFrame | None:
    """Return the changes to ``wave`` from the wave before it and from the first wave.

    These are the two comparisons the briefing and the change table show; None when ``wave`` is
    the first wave in the data.
    """
    earlier = [w for w in scores.waves if w < wave]
    if not earlier:
        return None
    starts = sorted({min(earlier), max(earlier)})
    return pd.concat([score_changes(scores, w, wave) for w in starts], ignore_index=True)
