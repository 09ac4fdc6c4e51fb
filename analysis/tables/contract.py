"""The score tables analysts build on: a stable contract of columns (UTF-8 CSV, ``.`` decimals).

Every text cell is passed through :func:`neutralise_text` before it is written, so that a
spreadsheet opening the file never runs a cell as a formula (CSV or formula injection).

The contract (scoring method version 2, ``docs/method.md``):

- Columns come in the order of the ``*_COLUMNS`` lists below; a new column is only ever appended,
  so existing columns keep their names, positions and meaning.
- ``department`` is the department's code; the municipality is ``ALL``
  (:data:`~analysis.config.MUNICIPALITY`) and the merged group of small departments,
  *Øvrige forvaltninger*, is ``ØVRIGE`` (:data:`~analysis.config.MERGED_GROUP`). The merged group
  is a row of its own with its members' codes joined by ``+`` in ``members`` (for example
  ``KFF+BIF``); ``members`` is empty for every other row. The members' own rows are suppressed
  (complementary suppression), so a member's numbers are only ever published pooled.
- A suppressed row (``suppressed`` true) has blank score, interval and level (and, in the
  don't-know table, blank counts and share).
- A count under ``min_n`` (``n``, ``respondents``, and the counts of a row whose ``n`` is under
  ``min_n``) is blank: it is never published as a number. Zero stays 0.
- The municipality (``maturity_by_value.csv``) covers every department with answers, the merged
  group weighing as many departments as it has members.
- ``barriers_by_department.csv`` (written when barrier scores are given, see
  :mod:`analysis.stats.barriers`) holds the barriers instrument per wave x department x item
  (``barrier``, the item's id; barriers and enablers alike, the kind is in the codebook):
  ``share_high`` is the share of answers 4-5 (*I høj grad*, *I meget høj grad*) among the
  answers 1-5 (*Ved ikke*, *Ikke relevant* and blanks left out), with its bootstrap interval
  (95 % by default) ``ci_low``/``ci_high`` (a share, 0-1, like the share itself) and ``n``, the
  respondents with an answer 1-5 on the item. The merged group ``ØVRIGE`` is built per wave and
  item, its members' rows suppressed; the municipality ``ALL`` (one row per wave and item,
  ``members`` empty) is the mean over every department with answers, each published department
  weighing 1 and the merged group as many as it has members, its ``n`` the respondents behind
  it; it is suppressed when the merged group cannot be published.
- A change's ``verdict`` is ``improvement`` or ``decline`` only when ``p_adjusted`` (the p-value
  adjusted within its ``family``: ``municipality``, Holm; ``departments``, Benjamini-Hochberg)
  is under 5 % and ``|diff|`` is at least 0.25; otherwise ``no clear change``, and empty when
  the change is suppressed.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd

from ..stats.barriers import BarrierScores
from ..stats.scores import Scores

#: Column order of each published table. Analysts' own scripts rely on these names.
#: The merged group of small departments is a row with department ``ØVRIGE``; ``members`` (last)
#: names its departments joined by ``+``, and is empty for an ordinary department.
DEPARTMENT_VALUE_COLUMNS = [
    "wave",
    "department",
    "value",
    "score",
    "ci_low",
    "ci_high",
    "n",
    "level",
    "suppressed",
    "members",
]
#: The municipality per wave x value: every department with answers (full coverage).
#: ``n_departments`` counts the departments covered (the merged group as its members),
#: ``n_respondents`` their respondents.
VALUE_COLUMNS = ["wave", "value", "score", "ci_low", "ci_high", "n_departments", "n_respondents", "level"]
FOCUS_AREA_COLUMNS = [
    "wave",
    "department",
    "value",
    "focus_area",
    "score",
    "ci_low",
    "ci_high",
    "n",
    "level",
    "suppressed",
    "members",
]
#: ``ci_low``/``ci_high`` here are the interval of the don't-know share (not of a score);
#: ``flagged`` is a share above 30 %.
DONT_KNOW_COLUMNS = [
    "wave",
    "department",
    "value",
    "dont_know_share",
    "dont_know",
    "answers",
    "n",
    "flagged",
    "suppressed",
    "ci_low",
    "ci_high",
    "members",
]
#: ``respondents`` is blank when under ``min_n``.
RESPONDENT_COLUMNS = ["wave", "department", "respondents"]
#: Changes between two waves; ``p_adjusted`` and ``family`` (method v2) are appended last.
CHANGE_COLUMNS = [
    "department",
    "value",
    "wave_from",
    "wave_to",
    "diff",
    "ci_low",
    "ci_high",
    "verdict",
    "p_adjusted",
    "family",
]

#: The barriers instrument per wave x department x item (``barrier``): ``share_high`` is the
#: share of answers 4-5 among the answers 1-5, ``ci_low``/``ci_high`` its interval, ``n`` the
#: respondents with an answer 1-5. Rows ``ØVRIGE`` (with ``members``) and ``ALL`` as above.
BARRIER_COLUMNS = ["wave", "department", "barrier", "share_high", "ci_low", "ci_high", "n", "suppressed", "members"]

_DECIMALS = 4

#: A text starting with one of these (after any leading whitespace) is read as a formula by
#: Excel, LibreOffice Calc and Google Sheets (OWASP "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@")
#: Control characters that spreadsheets also treat as the start of a formula (OWASP: tab and
#: carriage return; OWASP ASVS 1.2.10 adds the null character; a line feed is covered too).
_CONTROL_STARTS = ("\t", "\r", "\n", "\0")


def neutralise_text(value):
    r"""Return ``value`` made safe to open in a spreadsheet: formula-like text gets a leading ``'``.

    A text is formula-like when it starts with ``=``, ``+``, ``-`` or ``@`` (also after leading
    whitespace, and in their full-width forms such as ``＝``), or with a tab, carriage return,
    line feed or null character. Such text is prefixed with a single quote, as OWASP recommends
    against CSV injection, so a spreadsheet keeps it as text. Anything that is not text (numbers,
    booleans, missing values) and all other text is returned unchanged, so ``-0.12`` stays a
    number. Applying the function twice changes nothing more.

    Examples
    --------
    >>> [neutralise_text(x) for x in ["=SUM(A1)", "+1", "-2", "@x", "\t=1", "  =1", "ØKF", ""]]
    ["'=SUM(A1)", "'+1", "'-2", "'@x", "'\t=1", "'  =1", 'ØKF', '']
    >>> neutralise_text(-0.12), neutralise_text(neutralise_text("=1"))
    (-0.12, "'=1")
    """
    if not isinstance(value, str) or value == "":
        return value
    if value.startswith(_CONTROL_STARTS):
        return "'" + value
    first = value.lstrip()[:1]
    if first and unicodedata.normalize("NFKC", first)[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


def table_department_value(scores: Scores) -> pd.DataFrame:
    """Return maturity per wave x department x value, suppressed cells blank, the merged group with ``members``."""
    return _rounded(scores.department_value[DEPARTMENT_VALUE_COLUMNS])


def table_value(scores: Scores) -> pd.DataFrame:
    """Return the municipality's maturity per wave x value (every department; the merged group weighs its members)."""
    return _rounded(scores.value[VALUE_COLUMNS])


def table_focus_area(scores: Scores) -> pd.DataFrame:
    """Return maturity per wave x department x focus area, suppressed cells blank, the merged group with ``members``."""
    return _rounded(scores.department_focus_area[FOCUS_AREA_COLUMNS])


def table_dont_know(scores: Scores) -> pd.DataFrame:
    """Return the share of *Ved ikke* per wave x department x value with its interval, flagged above 30 %."""
    return _rounded(scores.dont_know[DONT_KNOW_COLUMNS])


def table_respondents(scores: Scores) -> pd.DataFrame:
    """Return respondents per wave x department; a count under min_n is blank (method.md)."""
    return scores.respondents[RESPONDENT_COLUMNS].copy()


TABLES = {
    "maturity_by_department_value.csv": table_department_value,
    "maturity_by_value.csv": table_value,
    "maturity_by_department_focus_area.csv": table_focus_area,
    "dont_know_by_department_value.csv": table_dont_know,
    "respondents_by_department.csv": table_respondents,
}


def table_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """Return changes between waves per department x value (municipality as ``ALL``).

    ``p_adjusted`` is the p-value adjusted within ``family`` (``municipality`` or
    ``departments``); ``verdict`` is ``improvement``/``decline`` only when it is under 5 % and the
    change is at least 0.25, ``no clear change`` otherwise, empty when suppressed.
    """
    return _rounded(changes[CHANGE_COLUMNS])


def table_barriers(barrier_scores: BarrierScores) -> pd.DataFrame:
    """Return the barriers instrument per wave x department x item: the share 4-5, its interval and n.

    Suppressed rows have a blank share and interval; ``n`` is blank under min_n and in
    suppressed rows; the merged group is ``ØVRIGE`` with ``members``, the municipality ``ALL``.
    """
    return _rounded(barrier_scores.table[BARRIER_COLUMNS])


#: The file name of the barriers table (written only when barrier scores are given).
BARRIERS = "barriers_by_department.csv"


def write_tables(
    scores: Scores, folder: str | Path, *, changes: pd.DataFrame | None = None, barriers: BarrierScores | None = None
) -> list[Path]:
    """Write every table as UTF-8 CSV into ``folder`` and return the paths.

    ``changes`` (from :func:`analysis.stats.scoring.score_changes`) adds
    ``change_by_department_value.csv``; ``barriers`` (from
    :func:`analysis.stats.barriers.score_barriers`) adds ``barriers_by_department.csv``. Text
    cells that a spreadsheet would run as a formula are written with a leading ``'`` (see
    :func:`neutralise_text`); numbers are untouched.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    frames = {name: make(scores) for name, make in TABLES.items()}
    if changes is not None and not changes.empty:
        frames["change_by_department_value.csv"] = table_changes(changes)
    if barriers is not None:
        frames[BARRIERS] = table_barriers(barriers)
    return [write_csv(frame, folder / name) for name, frame in frames.items()]


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write one table as the contract's CSV (UTF-8, ``.`` decimals, ``\\n`` line ends, text neutralised)."""
    path = Path(path)
    _neutralised(frame).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with :func:`neutralise_text` applied to every text column."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            out[column] = series.map(neutralise_text, na_action="ignore")
    return out


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].round(_DECIMALS)
    return out.reset_index(drop=True)
