"""Scores across waves: the municipality's change between two waves, and one department's series.

The charts of change and trend draw these numbers; they are computed here, from the scores,
so that the numbers can be checked (and reused) without drawing anything.

The trend compares like with like (method.md, "Narrative rules"): the full-coverage municipality
(step 4: every department, the small ones through the merged group ``ØVRIGE``) in every wave,
exactly as ``scores.value`` and the change table's ``ALL`` rows give it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError
from .changes import score_changes
from .scores import Scores

_SCORE_COLUMNS = ["score", "ci_low", "ci_high"]
_CHANGE_COLUMNS = [
    "value",
    "score_from",
    "ci_low_from",
    "ci_high_from",
    "n_departments_from",
    "score_to",
    "ci_low_to",
    "ci_high_to",
    "n_departments_to",
    "diff",
    "p_adjusted",
    "verdict",
]


def municipal_change(
    scores: Scores, value_ids: Sequence[str], wave_from: int, wave_to: int, changes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the full-coverage municipality of both waves per value, with the change table's verdict.

    Both waves' scores and intervals are ``scores.value`` (every department covered, the merged
    group weighing its number of members), and the change, its adjusted p-value and verdict are
    the municipality (``ALL``) rows of :func:`analysis.stats.changes.score_changes`, whose change
    is ``scores.value[to] - scores.value[from]``: the chart and the change table say the same.

    Parameters
    ----------
    scores
        The result of :func:`analysis.stats.scoring.score_survey`.
    value_ids
        The values to return, in this order.
    wave_from, wave_to
        The older and the newer wave.
    changes
        Optional: the frame of ``score_changes(scores, wave_from, wave_to)`` (e.g. the one the
        briefing's change table shows); computed when not given. Its municipality rows are checked
        against ``scores``.

    Returns
    -------
    pandas.DataFrame
        One row per value: ``value, score_from, ci_low_from, ci_high_from, n_departments_from,
        score_to, ci_low_to, ci_high_to, n_departments_to, diff, p_adjusted, verdict``.
        ``verdict`` is ``improvement``, ``decline``, ``no clear change``, or empty where the
        municipality of either wave is not published (then ``diff`` is NaN).

    Raises
    ------
    ParameterError
        When ``changes`` compares other waves or was computed from other scores.
    """
    own = score_changes(scores, wave_from, wave_to)
    if changes is None:
        changes = own
    muni = (
        changes[changes["department"] == config.MUNICIPALITY] if "department" in changes.columns else changes.iloc[0:0]
    )
    if not muni.empty:
        muni = muni[(muni["wave_from"] == wave_from) & (muni["wave_to"] == wave_to)]
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
    # The given table must be these scores' own: the same changes and intervals.
    mine = own[own["department"] == config.MUNICIPALITY].drop_duplicates("value").set_index("value")
    given = muni.drop_duplicates("value").set_index("value")
    for vid in value_ids:
        a = mine.loc[vid, ["diff", "ci_low", "ci_high"]].to_numpy(dtype=float) if vid in mine.index else None
        b = given.loc[vid, ["diff", "ci_low", "ci_high"]].to_numpy(dtype=float) if vid in given.index else None
        if (a is None) != (b is None) or (a is not None and not np.allclose(a, b, rtol=0, atol=1e-9, equal_nan=True)):
            raise ParameterError(
                f"changes gives the municipality's change on {vid!r} from {wave_from} to {wave_to} differently from "
                "these scores; make both from the same score_survey result."
            )
    muni = given
    value = scores.value.set_index(["wave", "value"])
    rows = []
    for vid in value_ids:
        row: dict = {"value": vid}
        for wv, end in ((wave_from, "from"), (wave_to, "to")):
            cell = value.loc[(wv, vid)] if (wv, vid) in value.index else None
            for col in _SCORE_COLUMNS:
                row[f"{col}_{end}"] = np.nan if cell is None else float(cell[col])
            row[f"n_departments_{end}"] = (
                0 if cell is None or pd.isna(cell["n_departments"]) else int(cell["n_departments"])
            )
        change = muni.loc[vid] if vid in muni.index else None
        diff = np.nan if change is None else float(change["diff"])
        p_adj = change.get("p_adjusted", np.nan) if change is not None else np.nan
        row.update(
            diff=diff,
            p_adjusted=float(p_adj) if pd.notna(p_adj) else np.nan,
            verdict="" if change is None or pd.isna(change["verdict"]) else str(change["verdict"]),
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=_CHANGE_COLUMNS)


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
        ``value, wave, score, ci_low, ci_high, n, merged``, one row per value and wave the
        department has answers in. Where the cell is suppressed (or has no score), ``score``,
        ``ci_low`` and ``ci_high`` are NaN. ``n`` is as the table gives it: blank (NA) under
        ``min_n`` (text writes it with :func:`analysis.words.count_text`). ``merged`` holds the
        members of the merged group ``ØVRIGE`` (``"KFF+BIF"``) the department is pooled into on
        that value and wave, and ``""`` where it is not pooled.

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
    merged = dv[dv["department"] == config.MERGED_GROUP]
    groups = {}
    if "members" in merged.columns:
        for wv, vid, members in zip(merged["wave"], merged["value"], merged["members"]):
            if isinstance(members, str) and department in members.split("+"):
                groups[(int(wv), vid)] = members
    cells["merged"] = [groups.get((int(wv), vid), "") for wv, vid in zip(cells["wave"], cells["value"])]
    # Pulled into the group though large enough alone (complementary suppression): not "fewer than 5".
    cells["pulled_in"] = [
        department in scores.pulled_in.get((int(wv), vid), ()) for wv, vid in zip(cells["wave"], cells["value"])
    ]
    return cells[["value", "wave", *_SCORE_COLUMNS, "n", "merged", "pulled_in"]].reset_index(drop=True)
