"""Survey exports read into a raw table of strings, as the user sees the file.

In: a path to a CSV/TSV/TXT export (comma, semicolon or tab; UTF-8, UTF-8 with BOM, UTF-16 with
or without BOM, or Windows-1252) or an Excel workbook. Out: a :class:`RawTable` (header, data rows as strings, and
how the file was read), or None with the reason recorded in the file's
:class:`~analysis.survey.problems.FileProblems`. Nothing is interpreted here; checking the cells
is :mod:`analysis.survey.validation`'s job. Files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import numpy as np

from .codebook import normalise_label
from .problems import FileProblems, describe_path, quote, quote_headers, quote_list

__all__ = [
    "CSV_SUFFIXES",
    "DELIMITER_NAMES",
    "XLSX_SUFFIXES",
    "RawTable",
    "cell_text",
    "not_a_file",
    "read_csv_bytes",
    "read_sheet",
    "read_table",
    "sheet_names",
]

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_DELIMITERS = (";", "\t", ",")  # order breaks ties: Danish exports favour ';'
DELIMITER_NAMES = {";": "semicolon", "\t": "tab", ",": "comma"}


@dataclass
class RawTable:
    """A file read as strings: the header and the data rows, plus how it was read."""

    header: list[str]
    cells: np.ndarray  # object array of str, data rows x columns
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()  # every sheet of the workbook, to suggest another one


def not_a_file(path: Path, log: FileProblems) -> bool:
    """Record why ``path`` cannot be read as an export when it is not a regular file; return whether so.

    A named pipe or a device is never opened: reading one could wait for ever.
    """
    if path.is_file():
        return False
    what = describe_path(path)
    if what == "no file at this path":
        message = (
            "expected a survey export (.csv, .tsv, .txt, .xlsx, .sav or .zip), found no file at this path. "
            "Check the spelling and the folder."
        )
    elif what == "a folder":
        message = "expected a file, found a folder. Give the export files inside it instead."
    else:
        message = f"expected a survey export file, found {what}. Give the export file itself."
    log.add("unreadable", None, None, message)
    return True


def read_table(path: Path, label: str, sheet: str | None, log: FileProblems) -> RawTable | None:
    """Read one file as strings, or record why it cannot be read and return None."""
    if not_a_file(path, log):
        return None
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, log)
    if suffix in XLSX_SUFFIXES:
        return read_sheet(path, sheet, log)
    hint = " Open it in Excel and save it as .xlsx or CSV." if suffix in {".xls", ".ods"} else ""
    log.add(
        "unreadable",
        None,
        None,
        f"expected a .csv, .tsv, .txt, .xlsx or .sav file, found the extension {quote(suffix or '(none)', 40)}.{hint}",
    )
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Return "utf-16-le" or "utf-16-be" when text has UTF-16's NUL-byte pattern but no BOM, else None.

    Latin text in UTF-16 has a NUL in every other byte: the odd bytes (little-endian, what Windows
    writes) or the even ones (big-endian).
    """
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def _decode(data: bytes, log: FileProblems) -> tuple[str, str] | None:
    """Return the text and the encoding name: BOM first, UTF-16 by its NUL bytes, strict UTF-8, Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export is UTF-16 with a BOM.
        encodings = ("utf-16",)
    elif b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            at = data.index(b"\x00")
            log.add(
                "unreadable",
                data[:at].count(b"\n") + 1,
                None,
                f"expected text (a CSV export), found binary data: a NUL byte at byte {at + 1:,}. This is not a "
                "text file, or it is damaged; export the survey again as CSV or .xlsx.",
            )
            return None
        encodings = (utf16,)
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
    if encodings[0].startswith("utf-16"):
        expected = f"UTF-16 text ({'without' if len(encodings[0]) > 6 else 'with'} a byte order mark)"
    else:
        expected = "text in UTF-8 or Windows-1252"
    log.add(
        "unreadable",
        line,
        None,
        f"expected {expected}, found the byte "
        f"0x{data[error.start]:02x} that it cannot decode. "
        "Save the file again as 'CSV UTF-8' (Excel: File > Save As).",
    )
    return None


def _detect_delimiter(header_line: str) -> str:
    """Return the delimiter occurring most often in the header line outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _read_csv(path: Path, log: FileProblems) -> RawTable | None:
    """Read a delimited text file as strings; None if unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        log.add("unreadable", None, None, f"expected a readable file, found an error: {exc}.")
        return None
    return read_csv_bytes(data, log)


def _records(text: str, delimiter: str) -> list[list[str]]:
    """Return the records of delimited text (a quoted cell may span lines); blank lines as []."""
    # The csv module refuses fields over 128 KiB by default; a cell is as long as the file allows.
    if csv.field_size_limit() < len(text):
        csv.field_size_limit(len(text) + 1)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"'))


def read_csv_bytes(data: bytes, log: FileProblems, *, ragged: bool = False) -> RawTable | None:
    """Read delimited text as strings, detecting encoding and delimiter; None if unreadable.

    Every row must have as many fields as the header: a row with more or fewer (a cell holding
    the delimiter or a line break without quotes, a cut row) is a problem naming the row, never
    padded or cut silently. Fully blank rows may have any number of fields. ``ragged`` accepts
    rows of any length, padded with blanks to the widest: for the small files beside a dataset
    (SurveyXact's structure file ends some rows with an empty field).
    """
    if data.startswith(b"PK\x03\x04"):
        log.add("unreadable", None, None, "expected CSV text, found an Excel workbook (zip data). Rename it to .xlsx.")
        return None
    decoded = _decode(data, log)
    if decoded is None:
        return None
    text, encoding = decoded
    if not text.strip():
        log.add("empty", None, None, "expected a header row and one row per respondent, found an empty file.")
        return None
    first_line, _, rest = text.partition("\n")
    # Excel writes a "sep=;" line when asked to; it hides the line when it opens the file, so
    # rows are still counted from the header.
    sep_line = re.fullmatch(r"\s*sep=(.)\s*", first_line)
    if sep_line:
        text = rest
        first_line = text.partition("\n")[0]
        if not text.strip():
            log.add("empty", None, None, "expected a header row and one row per respondent, found only a 'sep=' line.")
            return None
    if not first_line.strip():
        lines = text.split("\n")
        first = next(k for k, line in enumerate(lines, start=1) if line.strip())
        blank = first - 1
        log.add(
            "header",
            1,
            None,
            f"expected the header in row 1, found {'a blank row' if blank == 1 else f'{blank} blank rows'} "
            f"before it (the first row with text is row {first}). Delete the blank "
            f"row{'s' if blank != 1 else ''} above the header and save the file again.",
        )
        return None
    delimiter = sep_line.group(1) if sep_line else _detect_delimiter(first_line)
    try:
        records = _records(text, delimiter)
    except csv.Error as exc:
        log.add("unreadable", None, None, f"expected delimited text, found a parse error: {quote(exc)}.")
        return None
    width = len(records[0]) if not ragged else max(len(r) for r in records)
    lengths = [len(r) for r in records]
    if all(n == width for n in lengths):
        grid = np.array(records, dtype=object)
    else:
        name = DELIMITER_NAMES.get(delimiter, repr(delimiter))
        header = [str(h).strip() for h in records[0]]
        grid = np.empty((len(records), width), dtype=object)
        grid[:] = ""
        bad = False
        for i, (r, n) in enumerate(zip(records, lengths)):
            if n == width or not any(c.strip() for c in r):  # fully blank rows are skipped later
                grid[i, : min(n, width)] = r[:width]
                continue
            if ragged:  # only ever shorter than the widest
                grid[i, :n] = r
                continue
            bad = True
            if n > width:
                message = (
                    f"expected {width} fields like the header, found {n} ({name}-delimited). A cell probably "
                    "holds the delimiter without quotes; quote it or remove it."
                )
            else:
                message = (
                    f"expected {width} fields like the header, found {n} ({name}-delimited): the row ends early, "
                    f"so its last {width - n} column{'s' if width - n != 1 else ''} "
                    f"({quote_headers(header[n:], 3)}) would read as blank. A cell probably holds a line break "
                    "without quotes, or the row was cut; give the row a field for every column."
                )
            log.add("fields", i + 1, None, message)
        if bad:
            return None
    header = [str(h).strip() for h in grid[0]]
    return RawTable(header, grid[1:], "csv", encoding=encoding, delimiter=delimiter)


def cell_text(value: object) -> str:
    """Return an Excel cell value as the text a CSV export of it would hold."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel stores every number as a float: 3.0 is the answer 3, 101.0 the id 101.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def sheet_names(source: Path | bytes, log: FileProblems) -> list[tuple[str, bool]] | None:
    """Return the workbook's sheets as (name, visible), or None (recorded) when it cannot be read."""
    workbook = _open_workbook(source, log)
    if workbook is None:
        return None
    try:
        return [(m.name, str(m.visible).endswith("Visible")) for m in workbook.sheets_metadata]
    finally:
        workbook.close()


def _open_workbook(source: Path | bytes, log: FileProblems):
    """Open a workbook with calamine (fast, read-only), or record why it cannot be read."""
    from python_calamine import CalamineWorkbook

    try:
        if isinstance(source, bytes):
            return CalamineWorkbook.from_filelike(io.BytesIO(source))
        return CalamineWorkbook.from_path(str(source))
    except Exception as exc:  # calamine raises zip, XML and its own errors alike for a bad file
        log.add(
            "unreadable",
            None,
            None,
            f"expected an Excel workbook (.xlsx), found a file the reader cannot read "
            f"({type(exc).__name__}: {exc}). Open it in Excel and save it again as .xlsx.",
        )
        return None


def read_sheet(source: Path | bytes, sheet: str | None, log: FileProblems) -> RawTable | None:
    """Read one worksheet as strings (first sheet unless ``sheet``); None if unreadable.

    Rows keep their numbers as Excel shows them: leading blank rows are kept, not skipped.
    """
    workbook = _open_workbook(source, log)
    if workbook is None:
        return None
    try:
        names = list(workbook.sheet_names)
        if sheet is None:
            title = names[0]
        else:
            match = [n for n in names if n == sheet] or [
                n for n in names if normalise_label(n) == normalise_label(sheet)
            ]
            if not match:
                log.add(
                    "unreadable",
                    None,
                    None,
                    f"expected a sheet named {quote(sheet)}, found the sheets {quote_list(names)}.",
                )
                return None
            title = match[0]
        values = workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
    except Exception as exc:
        log.add(
            "unreadable",
            None,
            None,
            f"expected a readable worksheet, found an error ({type(exc).__name__}: {exc}). "
            "Open it in Excel and save it again as .xlsx.",
        )
        return None
    finally:
        workbook.close()
    # Answers repeat: convert each distinct cell value once (bool and 1.0 are kept apart by type).
    memo: dict = {}

    def text(v):
        key = (type(v), v)
        try:
            return memo[key]
        except KeyError:
            memo[key] = out = cell_text(v)
            return out
        except TypeError:  # an unhashable value
            return cell_text(v)

    rows = [[text(v) for v in row] for row in values]
    while rows and not any(rows[-1]):
        rows.pop()  # calamine pads the used range; trailing blank rows carry nothing
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        log.add(
            "empty",
            None,
            None,
            f"expected a header row and one row per respondent on sheet {quote(title)}, found an empty sheet.",
        )
        return None
    grid = np.empty((len(rows), width), dtype=object)
    grid[:] = ""
    for i, r in enumerate(rows):
        grid[i, : len(r)] = r
    header = [str(h).strip() for h in grid[0]]
    return RawTable(header, grid[1:], "xlsx", sheet=title, sheets=tuple(names))
