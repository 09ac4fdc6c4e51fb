"""Survey response files (CSV or Excel, as survey tools export them) read into one tidy frame.

:func:`load_responses` reads one or more exports, checks every cell against the codebook and the
department list, and either returns a :class:`Survey` (the long ``responses`` frame plus a
:class:`DataQuality` record) or raises one :class:`~analysis.exceptions.SurveyDataError` that
lists every problem of every file, located as the user sees the file (header = row 1).

Input files are only ever opened for reading.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook, Departments, load_codebook, load_departments, normalise_label
from ..exceptions import ParameterError, Problem, SurveyDataError

__all__ = ["DataQuality", "FileInfo", "Survey", "load_responses"]

#: Problems listed per file before the rest are summarised in one line.
MAX_PROBLEMS_PER_FILE = 50

_CSV_SUFFIXES = {".csv", ".txt"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_DELIMITERS = (";", "\t", ",")  # order breaks ties: Danish exports favour ';'
_DELIMITER_NAMES = {";": "semicolon", "\t": "tab", ",": "comma"}
_DELIMITER_NAMES_DA = {";": "semikolon", "\t": "tabulator", ",": "komma"}

#: Header spellings accepted for the three required columns (matched via normalise_label).
_REQUIRED_HEADERS = {
    "respondent_id": ("respondent_id", "respondent", "id", "respondentid"),
    "department": ("department", "forvaltning", "afdeling"),
    "wave": ("wave", "år", "aar", "year", "bølge"),
}
_ROLE_BY_KEY = {
    normalise_label(name): role for role, names in _REQUIRED_HEADERS.items() for name in names
}
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]0*)?$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")

# Sentinels in the per-distinct-value answer lookup (real codes are 1-5, 8, 9).
_BLANK = -1
_INVALID = -2

_KIND_LABELS = {
    "en": {"level": "on the 1-5 scale", "dont_know": "'Ved ikke' (don't know)",
           "not_applicable": "'Ikke relevant' (not applicable)", "blank": "blank"},
    "da": {"level": "på skalaen 1-5", "dont_know": "'Ved ikke'",
           "not_applicable": "'Ikke relevant'", "blank": "blanke"},
}


# ------------------------------------------------------------------------------------------
# Public records
@dataclass(frozen=True)
class FileInfo:
    """Facts about one input file, as read.

    Attributes
    ----------
    path : str
        The path as given by the caller.
    format : str
        ``"csv"`` or ``"xlsx"``.
    encoding : str or None
        Text encoding detected for CSV (``"utf-8"``, ``"utf-8-sig"``, ``"cp1252"``,
        ``"utf-16"``); None for Excel.
    delimiter : str or None
        Field delimiter detected for CSV; None for Excel.
    sheet : str or None
        Worksheet read for Excel; None for CSV.
    data_rows : int
        Respondent rows the file contributed (fully blank rows not counted).
    waves : tuple of int
        The survey waves found in the file.
    blank_rows : int
        Fully blank rows skipped.
    item_columns : tuple of str
        Codebook item ids the file has a column for, in codebook order.
    unknown_columns : tuple of str
        Headers that match no required column and no codebook item (ignored).
    """

    path: str
    format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    data_rows: int
    waves: tuple[int, ...]
    blank_rows: int = 0
    item_columns: tuple[str, ...] = ()
    unknown_columns: tuple[str, ...] = ()


@dataclass(eq=False)
class DataQuality:
    """Record of what was loaded: files, respondent counts, answer kinds and warnings.

    Attributes
    ----------
    files : list of FileInfo
        One entry per input file, in the order given.
    warnings : list of Problem
        Problems that did not stop loading (columns matching no item, items without a column,
        respondents who left every item blank).
    answer_counts : pandas.DataFrame
        Answers per wave (index) and kind (columns ``level``, ``dont_know``,
        ``not_applicable``, ``blank``), counted over the rows of ``responses``.
    respondent_counts : pandas.DataFrame
        Respondents per department (index, department list order) and wave (columns).
    """

    files: list[FileInfo]
    warnings: list[Problem]
    answer_counts: pd.DataFrame
    respondent_counts: pd.DataFrame

    @property
    def waves(self) -> list[int]:
        """Return the waves loaded, oldest first."""
        return [int(w) for w in self.respondent_counts.columns]

    @property
    def data_rows(self) -> int:
        """Return the number of respondent rows over all files."""
        return sum(f.data_rows for f in self.files)

    def respondents(self) -> pd.DataFrame:
        """Return respondent counts per department (rows) and wave (columns).

        Every department of the department list is a row, with 0 where it has no respondents.
        """
        return self.respondent_counts.copy()

    def summary(self, lang: str = "en") -> str:
        """Return a readable multi-line report of the loaded data (``briefing validate``).

        Parameters
        ----------
        lang : {"en", "da"}
            Language of the report; Danish writes numbers the Danish way.

        Returns
        -------
        str
            Files read, respondents per department and wave, answer kinds and warnings.
        """
        da = lang == "da"
        n = (lambda x: _format_int(x, lang))
        lines = ["Kontrol af besvarelser" if da else "Survey data check", ""]
        lines.append(f"{'Filer' if da else 'Files'} ({len(self.files)}):")
        for f in self.files:
            if f.format == "csv":
                how = f"CSV, {f.encoding}, " + (
                    f"skilletegn {_DELIMITER_NAMES_DA.get(f.delimiter, repr(f.delimiter))}" if da
                    else f"{_DELIMITER_NAMES.get(f.delimiter, repr(f.delimiter))}-delimited"
                )
            else:
                how = f"Excel, {'ark' if da else 'sheet'} '{f.sheet}'"
            waves = ", ".join(str(w) for w in f.waves)
            rows = f"{n(f.data_rows)} {'rækker' if da else 'rows'}"
            lines.append(f"  {f.path} ({how}): {rows}, {'bølge' if da else 'wave'} {waves}")
        total = int(self.respondent_counts.to_numpy().sum())
        waves = ", ".join(str(w) for w in self.waves)
        lines.append("")
        lines.append(
            f"{'Respondenter' if da else 'Respondents'}: {n(total)} "
            f"({'bølger' if da else 'waves'} {waves})"
        )
        lines.append("")
        lines.append("Respondenter pr. forvaltning og bølge:" if da
                     else "Respondents per department and wave:")
        table = self.respondent_counts.copy()
        table.loc["I alt" if da else "Total"] = table.sum()
        cells = [[str(i)] + [n(int(v)) for v in row] for i, row in zip(table.index, table.to_numpy())]
        head = ["Forvaltning" if da else "Department"] + [str(c) for c in table.columns]
        widths = [max(len(r[k]) for r in [head, *cells]) for k in range(len(head))]
        for r in [head, *cells]:
            lines.append("  " + "  ".join(
                r[k].ljust(widths[k]) if k == 0 else r[k].rjust(widths[k]) for k in range(len(r))
            ))
        lines.append("")
        lines.append("Svar:" if da else "Answers:")
        counts = self.answer_counts.sum()
        all_answers = int(counts.sum())
        for kind, label in _KIND_LABELS["da" if da else "en"].items():
            k = int(counts.get(kind, 0))
            share = _format_share(k / all_answers if all_answers else 0.0, lang)
            lines.append(f"  {label}: {n(k)} ({share})")
        lines.append("")
        if self.warnings:
            lines.append(f"{'Advarsler' if da else 'Warnings'} ({len(self.warnings)}):")
            lines.extend(f"  - {w}" for w in self.warnings)
        else:
            lines.append("Ingen advarsler." if da else "No warnings.")
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class Survey:
    """The result of :func:`load_responses`.

    Attributes
    ----------
    responses : pandas.DataFrame
        One row per respondent x item present: ``wave`` (int64), ``respondent_id`` (str),
        ``department`` (str, code), ``item`` (str, item id), ``answer`` (Int8: 1-5, the
        don't-know and not-applicable codes, ``<NA>`` for blank).
    quality : DataQuality
        What was read, with warnings.
    """

    responses: pd.DataFrame
    quality: DataQuality


# ------------------------------------------------------------------------------------------
# Problem collection
class _FileProblems:
    """Collect the problems of one file and list at most ``MAX_PROBLEMS_PER_FILE`` of them."""

    def __init__(self, label: str):
        self.label = label
        self._entries: list[tuple[int, int, Problem]] = []
        self.counts: Counter[str] = Counter()

    def add(self, kind: str, row: int | None, column: str | None, message: str,
            colpos: int = -1) -> None:
        """Record one problem; ``colpos`` orders problems of the same row like the file."""
        self.counts[kind] += 1
        self._entries.append((row or 0, colpos, Problem(self.label, row, column, message)))

    def add_cells(self, kind: str, positions: np.ndarray, make) -> None:
        """Record one problem per position, building only the first few that can be listed.

        ``make(position)`` returns ``(row, column, message, colpos)``. Positions must be in file
        order; beyond the cap only the count is kept, as those could not be listed anyway.
        """
        shown = min(len(positions), MAX_PROBLEMS_PER_FILE)
        for pos in positions[:shown]:
            self.add(kind, *make(pos))
        self.counts[kind] += len(positions) - shown

    def problems(self) -> list[Problem]:
        """Return the problems in file order, capped, with a line saying how many more."""
        entries = sorted(self._entries, key=lambda e: (e[0], e[1]))
        listed = [p for _, _, p in entries[:MAX_PROBLEMS_PER_FILE]]
        total = sum(self.counts.values())
        if total > len(listed):
            more = total - len(listed)
            kinds = ", ".join(f"{v} {_KIND_NAMES.get(k, k)}" for k, v in sorted(self.counts.items()) if v)
            listed.append(Problem(
                self.label, None, None,
                f"... and {more} more problem{'s' if more != 1 else ''} not listed; in all this "
                f"file has {kinds}. Fix the ones above and run again.",
            ))
        return listed


_KIND_NAMES = {
    "answer": "answers outside the scale", "department": "unknown departments",
    "wave": "bad waves", "respondent_id": "blank respondent ids",
    "duplicate": "duplicate respondent ids", "header": "header problems",
    "empty": "empty-file problems", "unreadable": "read errors",
}


def _quote_list(names: Iterable[str], limit: int = 20) -> str:
    """Return names quoted and comma-separated, cut after ``limit`` so messages stay readable."""
    names = list(names)
    shown = ", ".join(repr(str(x)) for x in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "") or "none"


def _format_int(x: int, lang: str) -> str:
    """Return a whole number with thousands separators, Danish style (100.000) for "da"."""
    text = f"{int(x):,}"
    return text.replace(",", ".") if lang == "da" else text


def _format_share(x: float, lang: str) -> str:
    """Return a share as a percentage with one decimal, decimal comma for "da"."""
    text = f"{100 * x:.1f} %"
    return text.replace(".", ",") if lang == "da" else text


# ------------------------------------------------------------------------------------------
# Reading files into a grid of strings
@dataclass
class _Table:
    """A file read as strings: the header and the data rows, plus how it was read."""

    header: list[str]
    cells: np.ndarray  # object array of str, data rows x columns
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()  # every sheet of the workbook, to suggest another one


def _read_table(path: Path, label: str, sheet: str | None, log: _FileProblems) -> _Table | None:
    """Read one file as strings, or record why it cannot be read and return None."""
    if not path.exists():
        log.add("unreadable", None, None,
                "expected a survey export (.csv, .txt or .xlsx), found no file at this path. "
                "Check the spelling and the folder.")
        return None
    if not path.is_file():
        log.add("unreadable", None, None,
                "expected a file, found a folder. Give the export files inside it instead.")
        return None
    suffix = path.suffix.lower()
    if suffix in _CSV_SUFFIXES:
        return _read_csv(path, log)
    if suffix in _XLSX_SUFFIXES:
        return _read_xlsx(path, sheet, log)
    hint = " Open it in Excel and save it as .xlsx or CSV." if suffix in {".xls", ".ods"} else ""
    log.add("unreadable", None, None,
            f"expected a .csv, .txt or .xlsx file, found the extension {suffix or '(none)'!r}.{hint}")
    return None


def _decode(data: bytes, log: _FileProblems) -> tuple[str, str] | None:
    """Return the text and the encoding name: BOM first, then strict UTF-8, then Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export is UTF-16 with a BOM.
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "cp1252")
    error = None
    for enc in encodings:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as exc:
            error = error or exc
    assert error is not None
    line = data[: error.start].count(b"\n") + 1
    log.add("unreadable", line, None,
            f"expected text in UTF-8 or Windows-1252, found the byte "
            f"0x{data[error.start]:02x} that neither can decode. "
            "Save the file again as 'CSV UTF-8' (Excel: File > Save As).")
    return None


def _detect_delimiter(header_line: str) -> str:
    """Return the delimiter occurring most often in the header line outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _read_csv(path: Path, log: _FileProblems) -> _Table | None:
    """Read delimited text as strings, detecting encoding and delimiter; None if unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        log.add("unreadable", None, None, f"expected a readable file, found an error: {exc}.")
        return None
    if data.startswith(b"PK\x03\x04"):
        log.add("unreadable", None, None,
                "expected CSV text, found an Excel workbook (zip data). Rename it to .xlsx.")
        return None
    decoded = _decode(data, log)
    if decoded is None:
        return None
    text, encoding = decoded
    if not text.strip():
        log.add("empty", None, None,
                "expected a header row and one row per respondent, found an empty file.")
        return None
    first_line, _, rest = text.partition("\n")
    # Excel writes a "sep=;" line when asked to; it hides the line when it opens the file, so
    # rows are still counted from the header.
    sep_line = re.fullmatch(r"\s*sep=(.)\s*", first_line)
    if sep_line:
        delimiter, text = sep_line.group(1), rest
    else:
        delimiter = _detect_delimiter(first_line)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
            na_filter=False, skip_blank_lines=False, quotechar='"', engine="c",
        )
    except pd.errors.EmptyDataError:
        log.add("empty", None, None,
                "expected a header row and one row per respondent, found an empty file.")
        return None
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found:
            expected, line, saw = found.groups()
            log.add("unreadable", int(line), None,
                    f"expected {expected} fields like the header, found {saw} "
                    f"({_DELIMITER_NAMES.get(delimiter, delimiter)}-delimited). A cell probably "
                    "holds the delimiter without quotes; quote it or remove it. (Only the first "
                    "such row is reported.)")
        else:
            log.add("unreadable", None, None, f"expected delimited text, found a parse error: {exc}")
        return None
    grid = frame.to_numpy(dtype=object)
    header = [str(h).strip() for h in grid[0]]
    return _Table(header, grid[1:], "csv", encoding=encoding, delimiter=delimiter)


def _cell_text(value: object) -> str:
    """Return an Excel cell value as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        # Excel stores every number as a float: 3.0 is the answer 3, 101.0 the id 101.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path, sheet: str | None, log: _FileProblems) -> _Table | None:
    """Read one worksheet as strings (first sheet unless ``sheet``); None if unreadable."""
    from openpyxl import load_workbook

    try:
        # read_only streams the sheet and never writes; data_only gives formulas' cached values.
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors alike for a bad file
        log.add("unreadable", None, None,
                f"expected an Excel workbook (.xlsx), found a file openpyxl cannot read "
                f"({type(exc).__name__}: {exc}). Open it in Excel and save it again as .xlsx.")
        return None
    try:
        names = wb.sheetnames
        if sheet is None:
            ws = wb.worksheets[0]
        else:
            match = [n for n in names if n == sheet] or [
                n for n in names if normalise_label(n) == normalise_label(sheet)
            ]
            if not match:
                log.add("unreadable", None, None,
                        f"expected a sheet named {sheet!r}, found the sheets {_quote_list(names)}.")
                return None
            ws = wb[match[0]]
        # Some tools write a wrong <dimension> tag, which would truncate a read-only sheet.
        ws.reset_dimensions()
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        title = ws.title
    except Exception as exc:
        log.add("unreadable", None, None,
                f"expected a readable worksheet, found an error ({type(exc).__name__}: {exc}). "
                "Open it in Excel and save it again as .xlsx.")
        return None
    finally:
        wb.close()
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        log.add("empty", None, None,
                f"expected a header row and one row per respondent on sheet {title!r}, "
                "found an empty sheet.")
        return None
    grid = np.empty((len(rows), width), dtype=object)
    grid[:] = ""
    for i, r in enumerate(rows):
        grid[i, : len(r)] = r
    header = [str(h).strip() for h in grid[0]]
    return _Table(header, grid[1:], "xlsx", sheet=title, sheets=tuple(names))


# ------------------------------------------------------------------------------------------
# Checking one file
@dataclass
class _FileResult:
    """The checked content of one file, ready to be stacked with the others."""

    info: FileInfo
    rows: np.ndarray  # row numbers as seen in the file
    wave: np.ndarray  # int64, valid only where wave_ok
    wave_ok: np.ndarray
    respondent_id: np.ndarray  # object str
    department: np.ndarray  # object str code or None
    answers: np.ndarray  # int8, rows x item_positions; -1 blank
    item_positions: np.ndarray  # codebook positions of the answer columns
    id_header: str = "respondent_id"  # the id column's header as written in the file
    id_col: int = -1


def _used(codes: np.ndarray, n: int) -> np.ndarray:
    """Return the distinct codes occurring in ``codes`` (a counting pass, cheaper than sorting)."""
    return np.flatnonzero(np.bincount(codes.ravel(), minlength=n))


def _answer_code(raw: object, codebook: Codebook, codes_allowed: set[int]) -> int:
    """Return the answer code of one distinct raw cell: a code, ``_BLANK`` or ``_INVALID``.

    Numbers are checked here before ``parse_answer``: its matching drops '.', '-' and spaces,
    which would read "10" as 1 (via "1.0") and "-3" as 3, silently recoding a typo.
    """
    text = str(raw).strip()
    if _NUMBER.match(text):
        number = float(text.replace(",", "."))
        return int(number) if number.is_integer() and int(number) in codes_allowed else _INVALID
    try:
        parsed = codebook.parse_answer(raw)
    except ValueError:
        return _INVALID
    return _BLANK if parsed is None else parsed


def _parse_wave(text: str) -> int | None:
    """Return a wave written as a whole number ("2025", "2025.0"), or None."""
    text = text.strip()
    if not _WHOLE_NUMBER.match(text):
        return None
    return int(re.split(r"[.,]", text)[0])


def _check_table(table: _Table, label: str, codebook: Codebook, departments: Departments,
                 wave_arg: int | None, log: _FileProblems, warnings: list[Problem]) -> _FileResult | None:
    """Check every cell of one file; record problems and warnings; return its content."""
    header = table.header
    grid = table.cells
    if all(h == "" for h in header):
        log.add("empty", 1, None,
                "expected the header (respondent_id, department, wave and the item ids) in row 1, "
                "found a blank row.")
        return None

    # Factorise the whole grid once: every later check works per distinct value, not per cell.
    codes, uniques = pd.factorize(grid.ravel(), use_na_sentinel=False)
    codes = codes.reshape(grid.shape)
    uniques = np.asarray(uniques, dtype=object)
    unique_blank = np.fromiter((str(u).strip() == "" for u in uniques), dtype=bool, count=len(uniques))
    blank_cell = unique_blank[codes] if grid.size else np.zeros(grid.shape, dtype=bool)

    # Fully blank rows (trailing ;;;; lines, spacer rows in Excel) are skipped, not reported.
    keep = ~blank_cell.all(axis=1) if grid.shape[1] else np.zeros(len(grid), dtype=bool)
    row_numbers = np.arange(2, len(grid) + 2)[keep]
    codes, blank_cell = codes[keep], blank_cell[keep]
    n_rows = len(row_numbers)

    roles: dict[str, int] = {}
    items: dict[str, int] = {}
    unknown: list[str] = []
    for j, h in enumerate(header):
        key = normalise_label(h)
        if key == "":
            if n_rows and not blank_cell[:, j].all():
                unknown.append(f"(column {j + 1}, no header)")
            continue
        role = _ROLE_BY_KEY.get(key)
        if role is not None:
            if role in roles:
                log.add("header", 1, h,
                        f"expected one {role} column, found two: {header[roles[role]]!r} "
                        f"(column {roles[role] + 1}) and {h!r} (column {j + 1}). Remove one.", j)
            else:
                roles[role] = j
            continue
        item = codebook.match_column(h)
        if item is not None:
            if item in items:
                log.add("header", 1, h,
                        f"expected one column for item {item!r}, found two: "
                        f"{header[items[item]]!r} (column {items[item] + 1}) and {h!r} "
                        f"(column {j + 1}). Remove or rename one.", j)
            else:
                items[item] = j
            continue
        unknown.append(h)

    found_headers = _quote_list([h for h in header if h])
    others = [n for n in table.sheets if n != table.sheet]
    sheet_hint = (f" The workbook also has the sheet{'s' if len(others) > 1 else ''} "
                  f"{_quote_list(others)}; choose one with --sheet (sheet= in Python)."
                  if others else "")
    for role, names in _REQUIRED_HEADERS.items():
        if role in roles or (role == "wave" and wave_arg is not None):
            continue
        hint = (" Add a wave column (the survey year) or give the wave on the command line "
                "with --wave (wave= in Python).") if role == "wave" else ""
        log.add("header", 1, None,
                f"expected the required column {role!r} (or {', '.join(repr(n) for n in names[1:])}), "
                f"found only the headers {found_headers}.{hint}{sheet_hint}")
    if not items:
        log.add("header", 1, None,
                f"expected at least one column named after a codebook item (e.g. "
                f"{codebook.item_ids[0]!r}), found the headers {found_headers}. Is this the "
                f"survey export?{sheet_hint}")
    if n_rows == 0:
        log.add("empty", None, None,
                "expected one row per respondent below the header in row 1, found no data rows.")
        return None

    # -- respondent ids
    stripped = np.array([str(u).strip() for u in uniques], dtype=object)
    rid = np.full(n_rows, "", dtype=object)
    if "respondent_id" in roles:
        j = roles["respondent_id"]
        rid = stripped[codes[:, j]]
        log.add_cells("respondent_id", np.flatnonzero(rid == ""), lambda i: (
            int(row_numbers[i]), header[j],
            "expected a respondent id, found a blank cell. Give every row an id "
            "(any text unique within the wave).", j))

    # -- departments
    dept = np.full(n_rows, None, dtype=object)
    if "department" in roles:
        jd = roles["department"]
        col_codes = codes[:, jd]
        resolve = np.full(len(uniques), None, dtype=object)
        for u in _used(col_codes, len(uniques)):
            resolve[u] = departments.resolve(uniques[u])
        dept = resolve[col_codes]
        valid = ", ".join(departments.codes)

        def department_problem(i):
            raw = uniques[col_codes[i]]
            found = "a blank cell" if str(raw).strip() == "" else repr(raw)
            return (int(row_numbers[i]), header[jd],
                    f"expected a department code ({valid}) or a department's name, found "
                    f"{found}. Fix the cell, or add the spelling as an alias in "
                    "data/departments.yaml.", jd)

        log.add_cells("department", np.flatnonzero(pd.isna(dept)), department_problem)

    # -- waves: the column wins; the argument fills blanks and must agree where both are given
    wave = np.full(n_rows, wave_arg if wave_arg is not None else 0, dtype=np.int64)
    wave_ok = np.full(n_rows, wave_arg is not None, dtype=bool)
    if "wave" in roles:
        jw = roles["wave"]
        col_codes = codes[:, jw]
        parsed = np.zeros(len(uniques), dtype=np.int64)
        parsed_ok = np.zeros(len(uniques), dtype=bool)
        for u in _used(col_codes, len(uniques)):
            value = _parse_wave(stripped[u])
            if value is not None:
                parsed[u], parsed_ok[u] = value, True
        cell_wave, cell_ok = parsed[col_codes], parsed_ok[col_codes]
        cell_blank = blank_cell[:, jw]
        if wave_arg is None:
            wave, wave_ok = cell_wave, cell_ok
            bad = np.flatnonzero(~cell_ok)
            mismatch = np.zeros(0, dtype=np.intp)
        else:
            agrees = cell_ok & (cell_wave == wave_arg)
            wave_ok = agrees | cell_blank
            bad = np.flatnonzero(~cell_ok & ~cell_blank)
            mismatch = np.flatnonzero(cell_ok & (cell_wave != wave_arg))

        def wave_problem(i):
            raw = str(uniques[col_codes[i]])
            found = "a blank cell" if raw.strip() == "" else repr(raw)
            return (int(row_numbers[i]), header[jw],
                    f"expected the wave as a whole number (the survey year, e.g. 2025), "
                    f"found {found}.", jw)

        def mismatch_problem(i):
            return (int(row_numbers[i]), header[jw],
                    f"expected wave {wave_arg} (given with --wave / wave=), found "
                    f"{stripped[col_codes[i]]!r}. Fix the cell or leave out the argument.", jw)

        log.add_cells("wave", bad, wave_problem)
        log.add_cells("wave", mismatch, mismatch_problem)

    # -- answers, parsed once per distinct raw value
    item_order = {iid: k for k, iid in enumerate(codebook.item_ids)}
    present = sorted(items, key=item_order.__getitem__)
    item_cols = np.array([items[i] for i in present], dtype=np.intp)
    answer_codes = codes[:, item_cols]
    lookup = np.full(len(uniques), _INVALID, dtype=np.int16)
    codes_allowed = {*codebook.levels, codebook.dont_know, codebook.not_applicable}
    for u in _used(answer_codes, len(uniques)):
        lookup[u] = _answer_code(uniques[u], codebook, codes_allowed)
    answers = lookup[answer_codes]
    # argwhere is row-major, so the bad cells come in file order.
    bad_cells = np.argwhere(answers == _INVALID)
    accepted = codebook.accepted_answers()

    def answer_problem(cell):
        r, c = cell
        j = int(item_cols[c])
        return (int(row_numbers[r]), header[j],
                f"expected {accepted}; found {uniques[answer_codes[r, c]]!r}.", j)

    log.add_cells("answer", bad_cells, answer_problem)

    # -- warnings (not fatal)
    if unknown:
        warnings.append(Problem(
            label, 1, None,
            f"{len(unknown)} column{'s match' if len(unknown) != 1 else ' matches'} no codebook "
            f"item and {'were' if len(unknown) != 1 else 'was'} ignored: {_quote_list(unknown)}. "
            "If they are survey questions, rename them to an item id or add the header as an "
            "alias in data/codebook.yaml.",
        ))
    missing = [i for i in codebook.item_ids if i not in items]
    if missing and items:
        warnings.append(Problem(
            label, None, None,
            f"{len(missing)} codebook item{'s have' if len(missing) != 1 else ' has'} no column, so "
            f"their answers are absent: {_quote_list(missing)}.",
        ))
    if len(present):
        silent = np.flatnonzero((answers == _BLANK).all(axis=1))
        if len(silent):
            rows_text = ", ".join(str(int(row_numbers[i])) for i in silent[:20])
            more = f" and {len(silent) - 20} more" if len(silent) > 20 else ""
            warnings.append(Problem(
                label, None, None,
                f"{len(silent)} respondent{'s' if len(silent) != 1 else ''} left every item "
                f"blank (rows {rows_text}{more}); they count as respondents but give no answers.",
            ))

    info = FileInfo(
        path=label, format=table.format, encoding=table.encoding, delimiter=table.delimiter,
        sheet=table.sheet, data_rows=n_rows,
        waves=tuple(sorted({int(w) for w in wave[wave_ok]})),
        blank_rows=int(len(grid) - n_rows), item_columns=tuple(present),
        unknown_columns=tuple(unknown),
    )
    return _FileResult(
        info=info, rows=row_numbers, wave=wave, wave_ok=wave_ok, respondent_id=rid,
        department=dept, answers=answers.astype(np.int8),
        item_positions=np.array([item_order[i] for i in present], dtype=np.intp),
        id_header=header[roles["respondent_id"]] if "respondent_id" in roles else "respondent_id",
        id_col=roles.get("respondent_id", -1),
    )


def _check_duplicates(results: list[tuple[_FileProblems, _FileResult]]) -> None:
    """Record every respondent id seen twice in one wave, across files too, naming both places."""
    frames = []
    for k, (_, res) in enumerate(results):
        ok = res.wave_ok & (res.respondent_id != "")
        frames.append(pd.DataFrame({
            "file": k, "row": res.rows[ok], "wave": res.wave[ok],
            "rid": res.respondent_id[ok].astype(object),
        }))
    if not frames:
        return
    allrows = pd.concat(frames, ignore_index=True)
    later = allrows.duplicated(["wave", "rid"], keep="first").to_numpy()
    if not later.any():
        return
    groups = allrows.groupby(["wave", "rid"], sort=False)
    first_file = groups["file"].transform("first").to_numpy()
    first_row = groups["row"].transform("first").to_numpy()
    file_of = allrows["file"].to_numpy()
    for k, (log, res) in enumerate(results):
        positions = np.flatnonzero(later & (file_of == k))

        def duplicate_problem(i, log=log, res=res):
            first_label = results[int(first_file[i])][0].label
            place = (f"row {int(first_row[i])}" if int(first_file[i]) == k
                     else f"{first_label} row {int(first_row[i])}")
            return (int(allrows.at[i, "row"]), res.id_header,
                    f"expected each respondent_id once per wave, found "
                    f"{allrows.at[i, 'rid']!r} again in wave {int(allrows.at[i, 'wave'])} "
                    f"(first at {place}). Remove the repeated row or give it its own id.",
                    res.id_col)

        log.add_cells("duplicate", positions, duplicate_problem)


# ------------------------------------------------------------------------------------------
def _as_path_list(paths) -> list[str | os.PathLike]:
    """Return ``paths`` as a non-empty list of paths, accepting one path or several."""
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    if isinstance(paths, (Sequence, Iterable)):
        out = list(paths)
        if out and all(isinstance(p, (str, os.PathLike)) for p in out):
            return out
    raise ParameterError(
        f"expected a path or a list of paths to survey exports, found {paths!r}."
    )


def _check_wave_argument(wave) -> int | None:
    """Return the ``wave=`` argument as an int (or None), refusing anything not whole."""
    if wave is None:
        return None
    if isinstance(wave, (int, np.integer)) and not isinstance(wave, bool):
        return int(wave)
    if isinstance(wave, str) and _parse_wave(wave) is not None:
        return _parse_wave(wave)
    raise ParameterError(f"expected the wave as a whole number (e.g. 2025), found {wave!r}.")


def load_responses(paths, codebook: Codebook | None = None, departments: Departments | None = None,
                   *, wave: int | None = None, sheet: str | None = None) -> Survey:
    """Load survey exports into one tidy long frame, checking every cell.

    Parameters
    ----------
    paths : str, path-like, or list of them
        CSV/TXT (comma, semicolon or tab; UTF-8, UTF-8 with BOM or Windows-1252) or Excel
        (.xlsx) exports, one row per respondent. Several files (e.g. several waves) are stacked.
    codebook : Codebook, optional
        Defaults to :func:`~analysis.survey.codebook.load_codebook`.
    departments : Departments, optional
        Defaults to :func:`~analysis.survey.codebook.load_departments`.
    wave : int, optional
        The wave for files without a wave column; where a file has one, its cells must agree.
    sheet : str, optional
        The worksheet to read in Excel files (default: the first); ignored for CSV.

    Returns
    -------
    Survey
        ``responses`` sorted by wave, department, respondent_id (as text) and item in
        codebook order, and the ``quality`` record with warnings.

    Raises
    ------
    SurveyDataError
        Listing every problem of every file (unreadable or empty file, missing column, unknown
        department, answer off the scale, bad wave, blank or duplicate respondent id).
    ParameterError
        When ``paths`` or ``wave`` is not of an accepted kind.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> export = pathlib.Path(tempfile.mkdtemp()) / "svar.csv"
    >>> _ = export.write_text("respondent_id;Forvaltning;År;org_data_1\\nr1;BUF;2025;Etableret\\n")
    >>> survey = load_responses(export)
    >>> print(survey.responses.to_string(index=False))
     wave respondent_id department       item  answer
     2025            r1        BUF org_data_1       3
    """
    path_list = _as_path_list(paths)
    wave_arg = _check_wave_argument(wave)
    codebook = codebook if codebook is not None else load_codebook()
    departments = departments if departments is not None else load_departments()

    logs: list[_FileProblems] = []
    results: list[tuple[_FileProblems, _FileResult]] = []
    warnings: list[Problem] = []
    seen: dict[Path, str] = {}
    for p in path_list:
        label = os.fspath(p)
        log = _FileProblems(label)
        logs.append(log)
        path = Path(p)
        key = path.resolve()
        if key in seen:
            log.add("unreadable", None, None,
                    f"expected each file once, found it given twice (also as {seen[key]!r}).")
            continue
        seen[key] = label
        table = _read_table(path, label, sheet, log)
        if table is None:
            continue
        result = _check_table(table, label, codebook, departments, wave_arg, log, warnings)
        if result is not None:
            results.append((log, result))
    _check_duplicates(results)

    problems = [p for log in logs for p in log.problems()]
    if problems:
        raise SurveyDataError(problems)
    return _assemble([r for _, r in results], codebook, departments, warnings)


def _assemble(results: list[_FileResult], codebook: Codebook, departments: Departments,
              warnings: list[Problem]) -> Survey:
    """Stack the checked files, sort respondents, and unfold them into the long frame."""
    item_ids = np.array(codebook.item_ids, dtype=object)
    n_items = len(item_ids)
    n_total = sum(len(r.rows) for r in results)
    matrix = np.full((n_total, n_items), _BLANK, dtype=np.int8)
    present = np.zeros((n_total, n_items), dtype=bool)
    start = 0
    for r in results:
        stop = start + len(r.rows)
        matrix[start:stop][:, r.item_positions] = r.answers
        present[start:stop, r.item_positions] = True
        start = stop
    respondents = pd.DataFrame({
        "wave": np.concatenate([r.wave for r in results]).astype(np.int64),
        "department": np.concatenate([r.department for r in results]).astype(object),
        "respondent_id": np.concatenate([r.respondent_id for r in results]).astype(object),
    })
    order = respondents.sort_values(
        ["wave", "department", "respondent_id"], kind="stable"
    ).index.to_numpy()
    respondents = respondents.iloc[order].reset_index(drop=True)
    matrix, present = matrix[order], present[order]

    # Row-major nonzero keeps respondents in order and items in codebook order within each.
    resp_idx, item_idx = np.nonzero(present)
    values = matrix[resp_idx, item_idx]
    mask = values == _BLANK
    answer = pd.arrays.IntegerArray(np.where(mask, 0, values).astype(np.int8), mask)
    responses = pd.DataFrame({
        "wave": respondents["wave"].to_numpy()[resp_idx],
        "respondent_id": pd.array(respondents["respondent_id"].to_numpy()[resp_idx], dtype="str"),
        "department": pd.array(respondents["department"].to_numpy()[resp_idx], dtype="str"),
        "item": pd.array(item_ids[item_idx], dtype="str"),
        "answer": answer,
    })

    # Answer kinds per wave, counted once here so reports need not recount them.
    kinds = np.select(
        [mask, values == codebook.dont_know, values == codebook.not_applicable],
        [3, 1, 2], default=0,
    )
    wave_values, wave_index = np.unique(respondents["wave"].to_numpy(), return_inverse=True)
    counts = np.bincount(wave_index[resp_idx] * 4 + kinds, minlength=4 * len(wave_values))
    counts = pd.DataFrame(
        counts.reshape(len(wave_values), 4).astype(np.int64),
        index=pd.Index(wave_values.astype(np.int64), name="wave"),
        columns=["level", "dont_know", "not_applicable", "blank"],
    )

    resp_counts = pd.crosstab(respondents["department"], respondents["wave"])
    dept_order = list(departments.codes) + sorted(set(resp_counts.index) - set(departments.codes))
    resp_counts = resp_counts.reindex(index=dept_order, fill_value=0).astype(np.int64)
    resp_counts.index.name, resp_counts.columns.name = "department", "wave"

    quality = DataQuality(
        files=[r.info for r in results], warnings=list(warnings),
        answer_counts=counts, respondent_counts=resp_counts,
    )
    return Survey(responses=responses, quality=quality)
