"""Survey exports read into a raw table of strings, as the user sees the file.

In: a path to a CSV/TSV/TXT export (comma, semicolon or tab; UTF-8, UTF-8 with BOM, UTF-16 with
or without BOM, or Windows-1252) or an Excel workbook. Out: a :class:`RawTable` (header, data rows as strings, and
how the file was read), or None with the reason recorded in the file's
:class:`~analysis.survey.problems.FileProblems`. Nothing is interpreted here; checking the cells
is :mod:`analysis.survey.validation`'s job. Files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import html
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import numpy as np

from .codebook import normalise_label
from .problems import FileProblems, describe_path, quote, quote_headers, quote_list, shorten

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
    #: Warnings about how the file was read, as (row, column, message): rows hidden in Excel.
    notes: tuple[tuple[int | None, str | None, str], ...] = ()


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


#: Rows per piece when pandas reads a file for :func:`_fast_grid`: memory stays near one copy of the cells.
_CHUNK_ROWS = 50_000
_QUOTE, _CR, _LF = ord('"'), ord("\r"), ord("\n")
#: Bytes per step when counting fields, so the counting needs little memory.
_BLOCK = 1 << 22


def _count_between(b: np.ndarray, byte: int, bounds: np.ndarray, inside: np.ndarray | None) -> np.ndarray:
    """Return how often ``byte`` occurs in ``b[bounds[k]:bounds[k + 1]]`` (outside quotes when ``inside`` is given).

    Counted a block at a time, so memory stays small for any file size.
    """
    before = np.empty(len(bounds), dtype=np.int64)  # occurrences before each bound
    total, k = 0, 0
    for lo in range(0, len(b), _BLOCK):
        hi = min(lo + _BLOCK, len(b))
        found = b[lo:hi] == byte
        if inside is not None:
            found &= ~inside[lo:hi]
        positions = np.flatnonzero(found)
        j = int(np.searchsorted(bounds, hi, side="left"))
        before[k:j] = total + np.searchsorted(positions, bounds[k:j] - lo, side="left")
        total += len(positions)
        k = j
    before[k:] = total
    return np.diff(before)


def _field_counts(raw: bytes, delimiter: str) -> np.ndarray | None:
    """Return the number of fields of every record of delimited UTF-8 text as the csv module reads it.

    A blank line is a record of 0 fields, as the csv module gives it. Counting is vectorised
    over the bytes: records end at a line break outside quotes (``\\r\\n``, ``\\n`` or ``\\r``)
    and fields at a delimiter outside quotes. Quotes are followed exactly only in well-formed
    text, where every quote opens a field, closes one, or is doubled inside a quoted field;
    for anything else (a quote inside an unquoted cell, text after a closing quote, a quote
    never closed) the result is None and the caller reads the file with the csv module.
    """
    b = np.frombuffer(raw, dtype=np.uint8)
    n = len(b)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    d = ord(delimiter)
    inside = None
    if b'"' in raw:
        quotes = np.flatnonzero(b == _QUOTE)
        if len(quotes) % 2:
            return None  # a quote never closed
        opening, closing = quotes[0::2], quotes[1::2]
        # Every opening quote starts a field or is the second of a doubled quote, and every
        # closing quote ends a field or is the first of a doubled quote.
        field_end = np.array([d, _CR, _LF, _QUOTE], dtype=np.uint8)
        if np.any(~np.isin(b[opening[opening > 0] - 1], field_end)):
            return None
        if np.any(~np.isin(b[closing[closing < n - 1] + 1], field_end)):
            return None
        # Inside a quoted field: from an opening quote to its closing one.
        inside = np.zeros(n + 1, dtype=np.int8)
        inside[opening] = 1
        inside[closing] = -1
        inside = np.cumsum(inside[:n], dtype=np.int8).view(bool)
        del quotes, opening, closing
    lf = np.flatnonzero(b == _LF)
    cr = np.flatnonzero(b == _CR)
    cr = cr[(cr == n - 1) | (b[np.minimum(cr + 1, n - 1)] != _LF)]  # \r\n ends a record once, at the \n
    stops = np.union1d(lf, cr)
    if inside is not None:
        stops = stops[~inside[stops]]
    starts = np.concatenate([[0], stops + 1])
    if starts[-1] == n:
        starts = starts[:-1]  # the text ends with a line break: no record after it
    counts = _count_between(b, d, np.append(starts, n), inside) + 1
    # A record with nothing before its line break is a blank line: no fields at all.
    content_end = np.full(len(starts), n, dtype=np.int64)
    content_end[: len(stops)] = stops
    crlf = (b[stops] == _LF) & (stops > starts[: len(stops)]) & (b[np.maximum(stops - 1, 0)] == _CR)
    content_end[: len(stops)] -= crlf
    counts[content_end == starts] = 0
    return counts


def _fast_grid(raw: bytes, delimiter: str) -> np.ndarray | None:
    """Return the cells of delimited UTF-8 text read with pandas' C parser, or None.

    None unless every record has as many fields as the first (blank lines aside) and the text
    is well-formed (see :func:`_field_counts`): then the cells are exactly what the csv module
    reads, and the slower csv path is only needed to name what is wrong with a file.
    """
    import pandas as pd

    if len(delimiter) != 1 or ord(delimiter) > 127 or delimiter in '"\r\n' or b"\x00" in raw:
        return None
    counts = _field_counts(raw, delimiter)
    if counts is None or len(counts) == 0:
        return None
    width = int(counts[0])
    if width == 0 or np.any((counts != width) & (counts != 0)):
        return None
    grid = np.empty((len(counts), width), dtype=object, order="F")
    try:
        reader = pd.read_csv(
            io.BytesIO(raw),
            sep=delimiter,
            header=None,
            index_col=False,
            dtype=object,
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=False,
            quotechar='"',
            doublequote=True,
            quoting=csv.QUOTE_MINIMAL,
            escapechar=None,
            comment=None,
            skipinitialspace=False,
            encoding="utf-8",
            engine="c",
            on_bad_lines="error",
            chunksize=_CHUNK_ROWS,
        )
        row = 0
        with reader:
            for chunk in reader:
                if chunk.shape[1] != width or row + len(chunk) > len(grid):
                    return None
                for j in range(width):
                    grid[row : row + len(chunk), j] = chunk.iloc[:, j].to_numpy(dtype=object)
                row += len(chunk)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError):
        return None
    if row != len(grid):
        return None
    return grid


def _first_line(text: str) -> str:
    """Return the text up to its first line feed (all of it when it has none), without copying the rest."""
    end = text.find("\n")
    return text if end < 0 else text[:end]


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
    del decoded
    # (isspace and find rather than strip and partition: a file is read without copies of its text)
    if not text or text.isspace():
        log.add("empty", None, None, "expected a header row and one row per respondent, found an empty file.")
        return None
    first_line = _first_line(text)
    # Excel writes a "sep=;" line when asked to; it hides the line when it opens the file, so
    # rows are still counted from the header.
    sep_line = re.fullmatch(r"\s*sep=(.)\s*", first_line)
    if sep_line:
        text = text[len(first_line) + 1 :]
        first_line = _first_line(text)
        if not text or text.isspace():
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
    if not ragged:
        # The common case, a well-formed table, is read by pandas' C parser; anything else (a row
        # of the wrong length, a stray quote, a NUL) by the csv module below, which names it.
        if encoding in ("utf-8", "utf-8-sig") and not sep_line:
            raw = data[3:] if encoding == "utf-8-sig" else data
        else:
            raw = text.encode("utf-8")
        del text  # the table is read from the bytes; keep one copy of the file, not two
        grid = _fast_grid(raw, delimiter)
        if grid is not None:
            header = [str(h).strip() for h in grid[0]]
            return RawTable(header, grid[1:], "csv", encoding=encoding, delimiter=delimiter)
        text = raw.decode("utf-8")
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

    Rows keep their numbers as Excel shows them: leading blank rows are kept, not skipped. What
    calamine reads as a blank cell but is not one is a problem: a formula without a saved result
    (a workbook a script wrote and Excel never calculated) and an Excel error such as ``#DIV/0!``.
    Rows and columns hidden in Excel (filtered out) that hold data are read like the others, with
    a warning in ``notes``. A hidden first sheet is not read unless named with ``sheet``.
    """
    workbook = _open_workbook(source, log)
    if workbook is None:
        return None
    try:
        names = list(workbook.sheet_names)
        if sheet is None:
            title = names[0]
            visible = [m.name for m in workbook.sheets_metadata if str(m.visible).endswith(".Visible")]
            if title not in visible:
                # Excel opens on a visible sheet; reading the hidden one would read what nobody sees.
                log.add(
                    "unreadable",
                    None,
                    None,
                    f"expected the first sheet to be the one Excel shows, found the first sheet {quote(title)} "
                    f"hidden (the visible sheets are {quote_list(visible)}). Say which sheet to read with "
                    "--sheet (sheet= in Python).",
                )
                return None
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
    scan = _scan_sheet(source, title)
    notes = _report_scan(scan, rows, title, log) if scan is not None else ()
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
    return RawTable(header, grid[1:], "xlsx", sheet=title, sheets=tuple(names), notes=notes)


# -- what calamine does not tell about a sheet -----------------------------------------------------
# calamine reads a formula without a saved result, and an Excel error, as a blank cell, and it does
# not say which rows are hidden. The sheet's XML says so. Reading it whole would cost as much as
# reading the sheet again, so the XML is searched for the few byte strings those things need
# ("<f", 't="e"', 'hidden="'), which is fast; only a sheet that has them is looked at closely.


@dataclass
class _SheetScan:
    """What a sheet's XML says beyond the values: positions are (Excel row, column index from 0)."""

    uncomputed: list[tuple[int, int, str]]  # a formula without a saved result, and its text
    errors: list[tuple[int, int, str]]  # an Excel error value (#DIV/0!, #REF!, ...)
    hidden_rows: list[int]
    hidden_columns: list[int]


_CELL_REF = re.compile(rb'\sr="([A-Za-z]{1,3})(\d+)"')
_ATTR = re.compile(rb'\s([\w:]+)="([^"]*)"')


def _column_index(letters: str) -> int:
    """Return the 0-based index of a column written as letters: A -> 0, AA -> 26."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _column_letters(index: int) -> str:
    """Return the letters of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_part(archive: zipfile.ZipFile, title: str) -> str | None:
    """Return the name of the zip member holding the worksheet ``title``, or None."""
    from xml.etree import ElementTree

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    def targets(rels_name: str, base: str) -> dict[str, str]:
        out = {}
        for rel in ElementTree.fromstring(archive.read(rels_name)):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            out[rel.get("Id", "")] = path
            out["type:" + rel.get("Type", "").rsplit("/", 1)[-1]] = path
        return out

    names = set(archive.namelist())
    book = targets("_rels/.rels", "").get("type:officeDocument", "xl/workbook.xml") if "_rels/.rels" in names else ""
    book = book or "xl/workbook.xml"
    folder, leaf = posixpath.split(book)
    rels_name = posixpath.join(folder, "_rels", leaf + ".rels")
    if book not in names or rels_name not in names:
        return None
    rels = targets(rels_name, folder)
    for element in ElementTree.fromstring(archive.read(book)).iter():
        if local(element.tag) == "sheet" and element.get("name") == title:
            rid = next((v for k, v in element.attrib.items() if local(k) == "id"), None)
            part = rels.get(rid or "")
            return part if part in names else None
    return None


def _scan_sheet(source: Path | bytes, title: str) -> _SheetScan | None:
    """Return what the sheet's XML says beyond its values, or None when it cannot be looked at."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            part = _sheet_part(archive, title)
            if part is None:
                return None
            xml = archive.read(part)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError):  # ElementTree's ParseError too
        return None  # calamine read the file; a layout this cannot follow only skips the scan
    found = re.search(rb"<(\w+:)?sheetData[\s>/]", xml)
    if found is None:
        return _SheetScan([], [], [], [])
    prefix = found.group(1) or b""
    scan = _SheetScan([], [], [], [])
    formula, error, hidden = b"<" + prefix + b"f", b't="e"', b'hidden="'
    cells: set[int] = set()
    if formula in xml:
        pos = xml.find(formula)
        while pos != -1:
            if xml[pos + len(formula) : pos + len(formula) + 1] in (b" ", b">", b"/"):
                cells.add(xml.rfind(b"<" + prefix + b"c", 0, pos))
            pos = xml.find(formula, pos + 1)
    if error in xml:
        pos = xml.find(error)
        while pos != -1:
            start = xml.rfind(b"<", 0, pos)
            if xml[start + 1 : start + 2 + len(prefix)] == prefix + b"c":
                cells.add(start)
            pos = xml.find(error, pos + 1)
    for start in sorted(cells):
        _look_at_cell(xml, start, prefix, scan)
    if hidden in xml:
        pos = xml.find(hidden)
        while pos != -1:
            start = xml.rfind(b"<", 0, pos)
            tag = xml[start : xml.find(b">", pos) + 1]
            attrs = dict(_ATTR.findall(tag))
            if attrs.get(b"hidden") in (b"1", b"true"):
                name = tag[1:].split(None, 1)[0]
                if name == prefix + b"row" and attrs.get(b"r", b"").isdigit():
                    scan.hidden_rows.append(int(attrs[b"r"]))
                elif name == prefix + b"col" and attrs.get(b"min", b"").isdigit():
                    first, last = int(attrs[b"min"]), int(attrs.get(b"max", attrs[b"min"]))
                    scan.hidden_columns.extend(range(first - 1, min(last, first + 16384)))
            pos = xml.find(hidden, pos + 1)
    return scan


def _look_at_cell(xml: bytes, start: int, prefix: bytes, scan: _SheetScan) -> None:
    """Record the cell starting at ``start`` when it is a formula without a result or an error."""
    head_end = xml.find(b">", start)
    head = xml[start : head_end + 1]
    if head.endswith(b"/>"):
        return
    end = xml.find(b"</" + prefix + b"c>", head_end)
    body = xml[head_end + 1 : end]
    ref = _CELL_REF.search(head)
    if ref is None:
        return  # a cell without a reference cannot be placed; calamine placed it by order
    row, col = int(ref.group(2)), _column_index(ref.group(1).decode("ascii"))
    kind = dict(_ATTR.findall(head)).get(b"t", b"n")
    value = re.search(rb"<" + prefix + rb"v(?:\s[^>]*)?>(.*?)</" + prefix + rb"v>", body, re.S)
    text = re.search(rb"<" + prefix + rb"f(?:\s[^>]*)?>(.*?)</" + prefix + rb"f>", body, re.S)
    formula = html.unescape(text.group(1).decode("utf-8", "replace")) if text else ""
    if kind == b"e" and value is not None:
        scan.errors.append((row, col, html.unescape(value.group(1).decode("utf-8", "replace"))))
    elif (value is None or value.group(1) == b"") and kind != b"str" and b"<" + prefix + b"f" in body:
        # No saved result: a string result may be empty (t="str"), a number never is.
        scan.uncomputed.append((row, col, formula))


def _report_scan(scan: _SheetScan, rows: list[list[str]], title: str, log: FileProblems):
    """Record formulas without a result and Excel errors as problems; return the notes on hidden data."""
    header = rows[0] if rows else []

    def column_name(col: int) -> str:
        name = str(header[col]).strip() if col < len(header) else ""
        return name or f"column {_column_letters(col)}"

    for row, col, formula in scan.uncomputed:
        shown = f" ({quote('=' + formula, 60)})" if formula else ""
        log.add(
            "formula",
            row,
            column_name(col),
            f"expected a value, found a formula without a saved result{shown} on sheet {quote(title)}, which "
            "reads as a blank cell. The workbook was written by a program that does not calculate formulas; "
            "open it in Excel, let it calculate, save it, and run again (or write the values, not formulas).",
            col,
        )
    for row, col, value in scan.errors:
        log.add(
            "excel_error",
            row,
            column_name(col),
            f"expected a value, found the Excel error {quote(value, 20)} on sheet {quote(title)}, which reads as "
            "a blank cell. Fix the formula or the cell in Excel and save again.",
            col,
        )

    def holds_data(i: int) -> bool:
        return 0 <= i < len(rows) and any(str(v).strip() for v in rows[i])

    notes = []
    hidden = sorted({r for r in scan.hidden_rows if holds_data(r - 1)})
    if hidden:
        shown = ", ".join(map(str, hidden[:20])) + (f" and {len(hidden) - 20} more" if len(hidden) > 20 else "")
        n = len(hidden)
        notes.append(
            (
                None,
                None,
                f"{n} row{'s' if n != 1 else ''} with data {'are' if n != 1 else 'is'} hidden in Excel (filtered "
                f"out or hidden) on sheet {quote(title)} and {'were' if n != 1 else 'was'} read like the others: "
                f"row{'s' if n != 1 else ''} {shown}. If {'they were' if n != 1 else 'it was'} hidden to leave "
                f"{'them' if n != 1 else 'it'} out, delete {'them' if n != 1 else 'it'} (or copy the visible rows "
                "to a new sheet) and run again.",
            )
        )
    columns = sorted({c for c in scan.hidden_columns if any(c < len(r) and str(r[c]).strip() for r in rows)})
    if columns:
        names = [f"{_column_letters(c)} ({shorten(column_name(c), 40)})" for c in columns]
        notes.append(
            (
                None,
                None,
                f"{len(columns)} column{'s' if len(columns) != 1 else ''} with data "
                f"{'are' if len(columns) != 1 else 'is'} hidden in Excel on sheet {quote(title)} and "
                f"{'were' if len(columns) != 1 else 'was'} read like the others: {', '.join(names[:10])}"
                f"{f' and {len(names) - 10} more' if len(names) > 10 else ''}.",
            )
        )
    return tuple(notes)
