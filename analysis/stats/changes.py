"""Changes of the scores between two waves, with bootstrap intervals, adjusted p-values and a verdict.

In: a :class:`~analysis.stats.scoring.Scores` (which keeps every department's bootstrap
replicates) and two waves. Out: one row per department x value (plus the municipality, ``ALL``),
or per department x focus area, with the change, its percentile interval, its p-value adjusted
within its family, the family, and a verdict (method.md, "Uncertainty"):

- the municipal changes of one comparison (``wave_from`` -> ``wave_to``, every value) are the
  family ``municipality``, Holm-adjusted;
- the department changes of that comparison are the family ``departments``,
  Benjamini-Hochberg-adjusted (5 % false discovery rate);
- the department x focus area changes are the family ``focus_areas``, Benjamini-Hochberg.

A change is an ``improvement`` or a ``decline`` only when its adjusted p-value is below
1 - confidence **and** its size is at least :data:`MINIMAL_IMPORTANT_DIFFERENCE` (0.25 on the
1-5 scale); otherwise ``no clear change``. The waves are independent samples, so the bootstrap
distribution of a difference is the difference of the two waves' replicates, resample by
resample; its p-value is :func:`~analysis.stats.comparisons.bootstrap_p_value`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError
from .bootstrap import percentile_interval
from .comparisons import (
    MERGED_GROUP,
    benjamini_hochberg,
    bootstrap_p_value,
    covered_departments,
    holm,
    municipal_replicates,
)

if TYPE_CHECKING:  # Scores is only named in signatures; the scores module imports this one.
    from .scores import Scores

__all__ = [
    "DECLINE",
    "FAMILIES",
    "IMPROVEMENT",
    "LEVELS_OF_CHANGE",
    "MINIMAL_IMPORTANT_DIFFERENCE",
    "NO_CLEAR_CHANGE",
    "score_changes",
    "score_changes_to",
    "score_focus_area_changes",
]

IMPROVEMENT, DECLINE, NO_CLEAR_CHANGE = "improvement", "decline", "no clear change"
#: What :func:`score_changes` can compare.
LEVELS_OF_CHANGE = ("value", "focus_area")
#: The smallest change on the 1-5 scale that is called an improvement or a decline (method.md).
MINIMAL_IMPORTANT_DIFFERENCE = 0.25
#: The families of tests (the ``family`` column) and how each is adjusted.
FAMILIES = {"municipality": holm, "departments": benjamini_hochberg, "focus_areas": benjamini_hochberg}

_COLUMNS = ["diff", "ci_low", "ci_high", "verdict", "n_departments", "suppressed", "p_adjusted", "family"]


def _verdict(diff: float, p_adjusted: float, alpha: float) -> str:
    """Classify a change: it must be significant after adjustment and at least the minimal size."""
    if np.isnan(diff) or np.isnan(p_adjusted):
        return ""
    if p_adjusted < alpha and abs(diff) >= MINIMAL_IMPORTANT_DIFFERENCE:
        return IMPROVEMENT if diff > 0 else DECLINE
    return NO_CLEAR_CHANGE


def _adjust(rows: list[dict], family: str, confidence: float) -> list[dict]:
    """Set ``p_adjusted``, ``family`` and ``verdict`` of one family's rows (and drop the raw ``p``)."""
    adjusted = FAMILIES[family]([row.pop("p") for row in rows]) if rows else []
    for row, p_adj in zip(rows, adjusted):
        row.update(p_adjusted=float(p_adj), family=family, verdict=_verdict(row["diff"], p_adj, 1 - confidence))
    return rows


def _check_waves(scores: Scores, wave_from: int, wave_to: int) -> None:
    """Raise ParameterError unless both waves were scored."""
    waves = set(scores.waves)
    if wave_from not in waves or wave_to not in waves:
        raise ParameterError(f"cannot compare waves {wave_from} and {wave_to}: the data have {sorted(waves)}.")


def _change(reps_from: np.ndarray, reps_to: np.ndarray, diff: float, confidence: float) -> dict:
    """Return the numbers of one change from both waves' replicates (independent samples)."""
    diff_reps = reps_to - reps_from
    if np.isnan(diff_reps).all():
        low, high = np.nan, np.nan
    else:
        low, high = percentile_interval(diff_reps, confidence)
    return {"diff": float(diff), "ci_low": float(low), "ci_high": float(high), "p": bootstrap_p_value(diff_reps)}


def _same_group(indexed: pd.DataFrame, keys: list[tuple]) -> bool:
    """Return whether the merged group has the same members in both waves (like with like)."""
    if "members" not in indexed.columns:
        return False
    members = [indexed.loc[k, "members"] for k in keys]
    return all(isinstance(m, str) and m for m in members) and members[0] == members[1]


def _department_changes(
    cells: pd.DataFrame, replicates: dict, confidence: float, key: str, wave_from: int, wave_to: int
) -> list[dict]:
    """Return one change row per department x ``key`` (value or focus area) present in both waves.

    ``cells`` is a department table of :class:`Scores`; the replicate column of a ``key`` is
    its position in the table's (codebook) order. A cell is compared only when it is published
    in both waves (a suppressed cell stays suppressed in every wave it touches). The merged
    group ``ØVRIGE`` is compared only when it has the same members in both waves. Rows carry
    the raw ``p``; the family adjusts it.
    """
    indexed = cells.set_index(["wave", "department", key])
    ids = list(dict.fromkeys(cells[key]))
    departments = list(dict.fromkeys(cells["department"]))
    value_of = dict(zip(cells[key], cells["value"]))
    rows = []
    for k, cid in enumerate(ids):
        for dept in departments:
            keys = [(wave_from, dept, cid), (wave_to, dept, cid)]
            if not all(kk in indexed.index for kk in keys):
                continue
            if dept == MERGED_GROUP and not _same_group(indexed, keys):
                continue
            published = not any(bool(indexed.loc[kk, "suppressed"]) for kk in keys)
            reps = [replicates.get((wave_from, dept)), replicates.get((wave_to, dept))]
            row = {
                "department": dept,
                "value": value_of[cid],
                key: cid,
                "wave_from": wave_from,
                "wave_to": wave_to,
                "diff": np.nan,
                "ci_low": np.nan,
                "ci_high": np.nan,
                "p": np.nan,
                "verdict": "",
                "n_departments": 1,
                "suppressed": not published,
            }
            if published and all(r is not None for r in reps):
                diff = indexed.loc[keys[1], "score"] - indexed.loc[keys[0], "score"]
                row.update(_change(reps[0][:, k], reps[1][:, k], diff, confidence))
            rows.append(row)
    return rows


def _municipal_changes(scores: Scores, wave_from: int, wave_to: int) -> list[dict]:
    """Return the municipality's change per value: the full-coverage municipality of both waves.

    The point change is the difference of ``scores.value``; the replicates are
    :func:`~analysis.stats.comparisons.municipal_replicates` of each wave. ``n_departments`` is
    the number of departments the municipality covers in both waves.
    """
    value = scores.value.set_index(["wave", "value"])["score"]
    reps_from, reps_to = municipal_replicates(scores, wave_from), municipal_replicates(scores, wave_to)
    ids = (
        list(scores.codebook.value_ids)
        if scores.codebook is not None
        else list(dict.fromkeys(scores.department_value["value"]))
    )
    rows = []
    for k, vid in enumerate(ids):
        before = value.get((wave_from, vid), np.nan)
        after = value.get((wave_to, vid), np.nan)
        covered = set(covered_departments(scores, wave_from, vid)) & set(covered_departments(scores, wave_to, vid))
        shown = not (np.isnan(before) or np.isnan(after))
        row = {
            "department": config.MUNICIPALITY,
            "value": vid,
            "wave_from": wave_from,
            "wave_to": wave_to,
            "diff": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "p": np.nan,
            "verdict": "",
            "n_departments": len(covered),
            "suppressed": not shown,
        }
        if shown:
            row.update(_change(reps_from[:, k], reps_to[:, k], after - before, scores.confidence))
        rows.append(row)
    return rows


def score_changes(scores: Scores, wave_from: int, wave_to: int, *, level: str = "value") -> pd.DataFrame:
    """Return the change of every department x value, and of the municipality, between two waves.

    A department x value is compared only when it is published in both waves (a suppressed cell
    stays suppressed in every wave it touches); the merged group ``ØVRIGE`` only when it has the
    same members in both. The municipality (department ``ALL``) compares like with like: the
    full-coverage municipality of ``wave_from`` against that of ``wave_to`` (method.md, step 4),
    from ``scores.municipal_replicates`` when the scores carry them.

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
        suppressed, p_adjusted, family``. ``verdict`` is ``improvement`` or ``decline`` when
        ``p_adjusted`` < 1 - confidence and |diff| >= :data:`MINIMAL_IMPORTANT_DIFFERENCE`, else
        ``no clear change`` (empty when suppressed). ``family`` is ``municipality`` (Holm over
        the values) for ``ALL`` rows and ``departments`` (Benjamini-Hochberg over every
        department x value) for the others. ``n_departments`` is 1 for a department and, for
        the municipality, the number of departments it covers in both waves. Each value's
        department rows are followed by its municipality row.
    """
    if level == "focus_area":
        return score_focus_area_changes(scores, wave_from, wave_to)
    if level != "value":
        raise ParameterError(f"level must be one of {LEVELS_OF_CHANGE}, found {level!r}.")
    _check_waves(scores, wave_from, wave_to)
    confidence = scores.confidence
    depts = _adjust(
        _department_changes(scores.department_value, scores.replicates, confidence, "value", wave_from, wave_to),
        "departments",
        confidence,
    )
    muni = _adjust(_municipal_changes(scores, wave_from, wave_to), "municipality", confidence)
    out = []
    for row in muni:
        out += [d for d in depts if d["value"] == row["value"]] + [row]
    columns = ["department", "value", "wave_from", "wave_to", *_COLUMNS]
    return pd.DataFrame(out, columns=columns)


def score_focus_area_changes(scores: Scores, wave_from: int, wave_to: int) -> pd.DataFrame:
    """Return the change of every department x focus area between two waves.

    The same intervals and verdict rule as :func:`score_changes` per value, from the
    focus-area replicates kept in :attr:`Scores.focus_area_replicates`, adjusted as one family
    ``focus_areas`` (Benjamini-Hochberg). Department rows only: the municipality score is
    defined per value (method.md), not per focus area. A focus area is compared only when it is
    published in both waves.

    Returns
    -------
    pandas.DataFrame
        ``department, value, focus_area, wave_from, wave_to, diff, ci_low, ci_high, verdict,
        n_departments, suppressed, p_adjusted, family`` (``n_departments`` is always 1),
        focus areas in codebook order and departments in table order within each.
    """
    _check_waves(scores, wave_from, wave_to)
    rows = _department_changes(
        scores.department_focus_area, scores.focus_area_replicates, scores.confidence, "focus_area", wave_from, wave_to
    )
    rows = _adjust(rows, "focus_areas", scores.confidence)
    columns = ["department", "value", "focus_area", "wave_from", "wave_to", *_COLUMNS]
    return pd.DataFrame(rows, columns=columns)


def score_changes_to(scores: Scores, wave: int) -> pd.DataFrame | None:
    """Return the changes to ``wave`` from the wave before it and from the first wave.

    These are the two comparisons the briefing and the change table show; None when ``wave`` is
    the first wave in the data. Each comparison is adjusted within its own families.
    """
    earlier = [w for w in scores.waves if w < wave]
    if not earlier:
        return None
    starts = sorted({min(earlier), max(earlier)})
    return pd.concat([score_changes(scores, w, wave) for w in starts], ignore_index=True)
