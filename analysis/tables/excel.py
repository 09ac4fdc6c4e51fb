"""The score tables as one Excel workbook for analysts working in Danish Excel.

The workbook holds the same tables as the CSV files of :mod:`analysis.tables.contract` (one sheet each),
with a few additions that only make sense for people reading it: names next to the codes,
headers in Danish (or English), number formats, a frozen and filterable header row, and a first
sheet that explains the columns. The CSV files stay the stable contract for scripts.

Disclosure control holds here as everywhere (method.md): in a suppressed row, the score,
interval and level cells carry the words ``skjult (n < 5)``, never a number and never a blank.
Text that a spreadsheet could run as a formula is written as a string cell with a leading
``'`` (:func:`analysis.tables.contract.neutralise_text`).

The file is written atomically and byte for byte the same for the same scores, so it can be
cached or hashed: the workbook's created/modified properties and the zip entries' times are
fixed.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

from .. import config, words
from ..config import check_lang
from ..stats.scores import Scores
from ..survey.codebook import Codebook, Departments, load_codebook, load_departments
from ..words import change_word, hidden_text
from .atomic import atomic_write
from .contract import TABLES, neutralise_text, table_changes
from .workbook_texts import ABOUT_SHEET, CHANGES, COLUMNS, SHEETS

#: File name used when :func:`write_excel` is given a folder.
EXCEL_NAME = "briefing_tables.xlsx"
#: Created/modified time written into the workbook unless the caller passes one: a fixed value,
#: so that two writes of the same scores give identical bytes.
DEFAULT_TIMESTAMP = datetime(2000, 1, 1)
#: The time stamped on every entry of the xlsx zip container (the earliest a zip can hold).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

_FLOAT_FORMAT = "0.00"
_PERCENT_FORMAT = "0.0%"
_INT_FORMAT = "0"
_FLOATS = {"score", "ci_low", "ci_high", "diff"}
_PERCENTS = {"dont_know_share"}
_INTS = {
    "wave",
    "n",
    "level",
    "n_departments",
    "n_respondents",
    "dont_know",
    "answers",
    "respondents",
    "wave_from",
    "wave_to",
}
_FORBIDDEN_IN_SHEET_NAMES = "[]:*?/\\"


#: The columns that carry a finding about a group, so are replaced by words in suppressed rows.
_HIDDEN = {
    "score",
    "ci_low",
    "ci_high",
    "level",
    "level_name",
    "diff",
    "verdict",
    "verdict_name",
    "dont_know_share",
    "dont_know",
    "answers",
    "flagged",
}
#: Name columns (Excel only), each placed right after the code column it names.
_NAMED = {
    "department": "department_name",
    "value": "value_name",
    "focus_area": "focus_area_name",
    "level": "level_name",
    "verdict": "verdict_name",
}
_BOLD = Font(bold=True)
_HIDDEN_FONT = Font(italic=True, color="595959")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="808080"))


def write_excel(
    scores: Scores,
    path: str | Path,
    *,
    changes: pd.DataFrame | None = None,
    lang: str = "da",
    codebook: Codebook | None = None,
    departments: Departments | None = None,
    timestamp: datetime | None = None,
) -> Path:
    """Write the score tables as one Excel workbook and return its path.

    Parameters
    ----------
    scores
        The scores of :func:`analysis.stats.scoring.score_survey`.
    path
        The ``.xlsx`` file to write, or a folder to write ``briefing_tables.xlsx`` into.
    changes
        Changes between waves (:func:`analysis.stats.scoring.score_changes`); adds the sheet
        *Ændringer* when given and not empty.
    lang
        ``"da"`` (default) or ``"en"``: sheet names, headers, names and notes.
    codebook, departments
        Where value, focus-area, level and department names come from; the bundled ones by
        default. A code they do not know is shown as its own name.
    timestamp
        The workbook's created/modified time; :data:`DEFAULT_TIMESTAMP` by default, so that the
        same scores always give the same bytes.

    Returns
    -------
    pathlib.Path
        The workbook written. It replaces any earlier file only once it is complete.
    """
    lang = check_lang(lang)
    codebook = codebook or load_codebook()
    departments = departments or load_departments()
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target / EXCEL_NAME

    sheets = []  # (csv name, frame with name columns, suppressed mask)
    for name, make in TABLES.items():
        frame = make(scores)
        sheets.append((name, _with_names(frame, codebook, departments, lang), _suppressed(frame)))
    if changes is not None and not changes.empty:
        frame = table_changes(changes)
        if "suppressed" in changes.columns:
            mask = changes["suppressed"].to_numpy(dtype=bool)
        else:
            mask = frame["diff"].isna().to_numpy()
        sheets.append((CHANGES, _with_names(frame, codebook, departments, lang), mask))

    wb = Workbook()
    about = wb.active
    about.title = ABOUT_SHEET.name(lang)
    used = {about.title.casefold()}
    titles = {}
    for name, frame, mask in sheets:
        title = _sheet_title(name, lang, used)
        titles[name] = title
        _write_table(
            wb.create_sheet(title), frame, mask, hidden_text(scores.min_n, lang), lang, _settings_filler(scores)
        )
    _write_about(about, scores, [(titles[name], name, frame) for name, frame, _ in sheets], lang)

    stamp = timestamp or DEFAULT_TIMESTAMP
    props = wb.properties
    props.creator = "analysis"
    props.lastModifiedBy = None
    props.title = words.t(lang, "Modenhed i indkøbet: tabeller", "Procurement maturity: tables")
    props.created = props.modified = stamp
    atomic_write(target, _deterministic_bytes(wb, stamp))
    return target


# -- tables -----------------------------------------------------------------------------------
def _suppressed(frame: pd.DataFrame) -> np.ndarray:
    """Return which rows of a table are hidden for anonymity."""
    if "suppressed" in frame.columns:
        return frame["suppressed"].fillna(True).to_numpy(dtype=bool)
    if "n_departments" in frame.columns:
        # The municipality has no score when every department is hidden.
        return (frame["n_departments"] == 0).to_numpy()
    return np.zeros(len(frame), dtype=bool)


def _with_names(frame: pd.DataFrame, codebook: Codebook, departments: Departments, lang: str) -> pd.DataFrame:
    """Return ``frame`` with a name column right after each code column."""

    def department(code):
        if code == config.MUNICIPALITY:
            return config.MUNICIPALITY_NAME[lang]
        try:
            return departments[code].name(lang)
        except KeyError:
            return code

    def lookup(find):
        def name(code):
            try:
                return find(code)
            except (KeyError, ValueError, TypeError):
                return code

        return name

    namers = {
        "department": department,
        "value": lookup(lambda v: codebook.value_name(v, lang)),
        "focus_area": lookup(lambda f: codebook.focus_area_name(f, lang)),
        "level": lambda lv: codebook.level_name(int(lv), lang) if pd.notna(lv) else None,
        "verdict": lambda v: change_word(v, lang) if isinstance(v, str) and v else None,
    }
    out = frame.copy()
    for code, name in _NAMED.items():
        if code in out.columns:
            out.insert(
                out.columns.get_loc(code) + 1,
                name,
                pd.Series([namers[code](x) for x in out[code]], index=out.index, dtype=object),
            )
    return out


def _sheet_title(name: str, lang: str, used: set[str]) -> str:
    """Return a valid, unused sheet title for table ``name`` (at most 31 characters)."""
    sheet = SHEETS.get(name)
    title = sheet.name(lang) if sheet else name.removesuffix(".csv").replace("_", " ")
    title = "".join(" " if c in _FORBIDDEN_IN_SHEET_NAMES else c for c in title).strip(" '")[:31] or "Tabel"
    base, k = title, 2
    while title.casefold() in used:
        suffix = f" ({k})"
        title, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(title.casefold())
    return title


def _cell_value(column: str, value):
    """Return a value as openpyxl should store it: Python numbers, booleans, text or None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        return round(value) if column in _INTS and float(value).is_integer() else float(value)
    return str(value)


def _set_text(cell, text: str) -> None:
    """Store ``text`` as a string cell that Excel never runs as a formula."""
    cell.value = neutralise_text(ILLEGAL_CHARACTERS_RE.sub("", text))
    # openpyxl makes any text starting with "=" a formula; the neutralised text cannot start
    # with it, and the explicit type keeps it a string whatever the text is.
    cell.data_type = "s"


def _number_format(column: str) -> str | None:
    if column in _FLOATS:
        return _FLOAT_FORMAT
    if column in _PERCENTS:
        return _PERCENT_FORMAT
    if column in _INTS:
        return _INT_FORMAT
    return None


def _shown_width(value, fmt: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, (int, float)):
        if fmt == _PERCENT_FORMAT:
            return len(f"{100 * value:.1f}%")
        if fmt == _FLOAT_FORMAT:
            return len(f"{value:.2f}")
        return len(str(value))
    return len(str(value))


def _settings_filler(scores: Scores) -> Callable[[str], str]:
    """Return a function that writes the settings into a text: ``{ci}`` (e.g. 95 %) and ``{flag}`` (30 %).

    Sheet and column texts quote the confidence level and the don't-know threshold; they are
    formatted from the settings, so a changed setting never leaves a stale number in the workbook.
    """

    def percent(x: float) -> str:
        return f"{100 * x:.0f} %"

    values = {"ci": percent(scores.confidence), "flag": percent(config.DONT_KNOW_FLAG)}
    return lambda text: text.format(**values)


def _write_table(
    ws, frame: pd.DataFrame, suppressed: np.ndarray, hidden: str, lang: str, settings: Callable[[str], str]
) -> None:
    """Fill a sheet with a header row (bold, frozen, filterable) and one row per table row."""
    columns = list(frame.columns)
    widths = []
    for j, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j)
        da, en = COLUMNS[column][:2] if column in COLUMNS else (column, column)
        _set_text(cell, settings(words.t(lang, da, en)))
        cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _HEADER_BORDER
        widths.append(len(str(cell.value)) + 4)  # room for the filter button
    records = frame.to_dict("records")
    for i, (record, hide) in enumerate(zip(records, suppressed), start=2):
        for j, column in enumerate(columns, start=1):
            cell = ws.cell(row=i, column=j)
            fmt = _number_format(column)
            if hide and column in _HIDDEN:
                _set_text(cell, hidden)
                cell.font = _HIDDEN_FONT
                cell.alignment = Alignment(horizontal="right")
                shown = len(hidden)
            else:
                value = _cell_value(column, record[column])
                if isinstance(value, str):
                    _set_text(cell, value)
                    shown = len(cell.value)
                else:
                    cell.value = value
                    if fmt and isinstance(value, (int, float)) and not isinstance(value, bool):
                        cell.number_format = fmt
                    shown = _shown_width(value, fmt)
            widths[j - 1] = max(widths[j - 1], shown + 2)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 60)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(records) + 1, 1)}"


# -- the about sheet ----------------------------------------------------------------------------
def _write_about(ws, scores: Scores, sheets: list[tuple[str, str, pd.DataFrame]], lang: str) -> None:
    """Write the first sheet: settings, the anonymity rule, and what each column means."""
    fill = _settings_filler(scores)

    def t(da: str, en: str) -> str:
        return words.t(lang, da, en)

    rows: list[tuple] = [
        (t("Modenhed i indkøbet: tabeller", "Procurement maturity: tables"),),
        (),
        (t("Kodebogens version", "Codebook version"), str(scores.codebook_version)),
        (t("År i data", "Years in the data"), ", ".join(str(w) for w in scores.waves)),
        (t("Mindste gruppestørrelse (min_n)", "Minimum group size (min_n)"), scores.min_n),
        (t("Bootstrap-gentagelser", "Bootstrap resamples"), scores.resamples),
        (t("Seed (startværdi for bootstrap)", "Seed (bootstrap)"), scores.seed),
        (t("Konfidensniveau", "Confidence level"), float(scores.confidence)),
        (),
        (
            t("Anonymitet", "Anonymity"),
            t(
                f"En forvaltning med færre end {scores.min_n} svarende på en værdi vises ikke: score, interval og niveau "
                f"står som »{hidden_text(scores.min_n, lang)}«.",
                f"A department with fewer than {scores.min_n} respondents on a value is not shown: score, interval and "
                f"level read '{hidden_text(scores.min_n, lang)}'.",
            ),
        ),
        (
            "",
            t(
                "Kommunens tal er gennemsnittet af de viste forvaltninger, så en skjult forvaltning kan ikke regnes "
                "ud fra kommunens tal og de andres.",
                "The municipality's figure is the mean of the departments shown, so a hidden department cannot be "
                "worked out from the total and the others.",
            ),
        ),
        (
            t("Tal", "Numbers"),
            t(
                "Tal er gemt som tal (to decimaler, andele i procent); Excel viser decimalkomma efter computerens "
                "sprogindstilling.",
                "Numbers are stored as numbers (two decimals, shares as percentages); Excel shows the decimal "
                "separator of the computer's locale.",
            ),
        ),
        (
            t("Koder", "Codes"),
            t(
                "Kolonner med »(kode)« svarer til CSV-filerne i mappen tables; navnekolonnerne findes kun her.",
                "Columns marked '(code)' match the CSV files in the tables folder; the name columns are only here.",
            ),
        ),
        (
            t("Tekst", "Text"),
            t(
                "Tekst, der begynder med = + - eller @, har fået et ' foran, så Excel ikke udfører den som en formel.",
                "Text beginning with = + - or @ has a ' in front, so that Excel does not run it as a formula.",
            ),
        ),
        (),
        (t("Ark", "Sheet"), t("Kolonne", "Column"), t("CSV-kolonne", "CSV column"), t("Forklaring", "Explanation")),
    ]
    header_row = len(rows)
    sheet_rows = []
    for title, csv_name, frame in sheets:
        sheet = SHEETS.get(csv_name)
        sheet_rows.append(len(rows) + 1)
        rows.append((title, "", csv_name, fill(sheet.about(lang)) if sheet else ""))
        for column in frame.columns:
            da, en, about_da, about_en = COLUMNS.get(column, (column, column, "", ""))
            csv_column = "" if column.endswith("_name") and column[:-5] in _NAMED else column
            if column == "suppressed":
                about_da = f"SAND, når n < {scores.min_n}: tallene er skjult af hensyn til anonymiteten."
                about_en = f"TRUE when n < {scores.min_n}: the figures are hidden for anonymity."
            rows.append(("", fill(t(da, en)), csv_column, fill(t(about_da, about_en))))

    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j)
            value = _cell_value("", value)
            if isinstance(value, str):
                if value:
                    _set_text(cell, value)
            elif value is not None:
                cell.value = value
                cell.number_format = "0%" if isinstance(value, float) else _INT_FORMAT
                cell.alignment = Alignment(horizontal="left")
    ws["A1"].font = Font(bold=True, size=14)
    for j in range(1, 5):
        cell = ws.cell(row=header_row, column=j)
        cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _HEADER_BORDER
    for i in range(3, header_row):
        ws.cell(row=i, column=1).font = _BOLD
    for i in sheet_rows:
        for j in (1, 3, 4):
            ws.cell(row=i, column=j).font = _BOLD
    for letter, width in zip("ABCD", (34, 24, 38, 90)):
        ws.column_dimensions[letter].width = width


# -- writing ------------------------------------------------------------------------------------
def _deterministic_bytes(wb: Workbook, stamp: datetime) -> bytes:
    """Return the workbook's bytes with every time in it fixed.

    openpyxl stamps the modified property with the current time on save and the zip entries
    with the time of writing; both are replaced, so the bytes depend on the content only.
    """
    raw = io.BytesIO()
    wb.save(raw)
    wb.properties.modified = stamp
    core = tostring(wb.properties.to_tree())
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = core if info.filename == "docProps/core.xml" else src.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()
