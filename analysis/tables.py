"""The score tables analysts build on: a stable contract of columns (UTF-8 CSV, ``.`` decimals)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .scoring import Scores

#: Column order of each published table. Analysts' own scripts rely on these names.
DEPARTMENT_VALUE_COLUMNS = ["wave", "department", "value", "score", "ci_low", "ci_high", "n", "level", "suppressed"]
VALUE_COLUMNS = ["wave", "value", "score", "ci_low", "ci_high", "n_departments", "n_respondents", "level"]
FOCUS_AREA_COLUMNS = ["wave", "department", "value", "focus_area", "score", "ci_low", "ci_high", "n", "level",
                      "suppressed"]
DONT_KNOW_COLUMNS = ["wave", "department", "value", "dont_know_share", "dont_know", "answers", "n", "flagged",
                     "suppressed"]
RESPONDENT_COLUMNS = ["wave", "department", "respondents"]
CHANGE_COLUMNS = ["department", "value", "wave_from", "wave_to", "diff", "ci_low", "ci_high", "verdict"]

_DECIMALS = 4


def table_department_value(scores: Scores) -> pd.DataFrame:
    """Return maturity per wave x department x value, suppressed cells blank."""
    return _rounded(scores.department_value[DEPARTMENT_VALUE_COLUMNS])


def table_value(scores: Scores) -> pd.DataFrame:
    """Return the municipality's maturity per wave x value (mean over published departments)."""
    return _rounded(scores.value[VALUE_COLUMNS])


def table_focus_area(scores: Scores) -> pd.DataFrame:
    """Return maturity per wave x department x focus area, suppressed cells blank."""
    return _rounded(scores.department_focus_area[FOCUS_AREA_COLUMNS])


def table_dont_know(scores: Scores) -> pd.DataFrame:
    """Return the share of *Ved ikke* per wave x department x value, flagged above 30 %."""
    return _rounded(scores.dont_know[DONT_KNOW_COLUMNS])


def table_respondents(scores: Scores) -> pd.DataFrame:
    """Return respondents per wave x department.

    Counts are not suppressed: how many answered is not a finding about anyone, and the
    committee needs it to judge which departments could be shown.
    """
    return scores.respondents[RESPONDENT_COLUMNS].copy()


TABLES = {
    "maturity_by_department_value.csv": table_department_value,
    "maturity_by_value.csv": table_value,
    "maturity_by_department_focus_area.csv": table_focus_area,
    "dont_know_by_department_value.csv": table_dont_know,
    "respondents_by_department.csv": table_respondents,
}


def table_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """Return changes between waves per department x value (municipality as ``ALL``)."""
    return _rounded(changes[CHANGE_COLUMNS])


def write_tables(scores: Scores, folder: str | Path, *, changes: pd.DataFrame | None = None) -> list[Path]:
    """Write every table as UTF-8 CSV into ``folder`` and return the paths.

    ``changes`` (from :func:`analysis.scoring.score_changes`) adds
    ``change_by_department_value.csv``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    frames = {name: make(scores) for name, make in TABLES.items()}
    if changes is not None and not changes.empty:
        frames["change_by_department_value.csv"] = table_changes(changes)
    written = []
    for name, frame in frames.items():
        path = folder / name
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        written.append(path)
    return written


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].round(_DECIMALS)
    return out.reset_index(drop=True)
