"""SurveyXact (Rambøll): a dataset of numeric codes, a labels file and a structure file.

The export is three tables: ``dataset`` (one row per *invited* respondent, variable names cut to
eight characters, numeric codes, blank = unanswered), ``labels`` (``variable;value;label``, no
header row, in display order) and ``structure`` (``questionName;variableName;questionType;
subType;questionText;choiceValue;choiceText``; a battery item's text is ``"<stem> - <statement>"``).
They come as three CSV files (Windows-1252 with ``;``, or UTF-16 with tabs), as one ``.xlsx`` with
the sheets ``Dataset``, ``Labels`` and ``Structure``, or zipped. The status is one-hot
``stato_1``..``stato_5`` (Ny, Distribueret, Nogle svar, Gennemført, Frafaldet): ``stato_3`` and
``stato_5`` mark responses closed before the end.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..codebook import normalise_label
from ..problems import FileProblems, quote_list
from ..reading import CSV_SUFFIXES, XLSX_SUFFIXES, RawTable, read_csv_bytes, read_sheet, sheet_names
from .base import Export, code_key

__all__ = ["find_parts", "is_dataset_header", "read_surveyxact"]

_PARTS = ("dataset", "labels", "structure")
#: The tool's own columns (cut to eight characters, as the dataset writes them).
SYSTEM_COLUMNS = {
    "responde",
    "closetim",
    "starttim",
    "difftime",
    "email",
    "name",
    "language",
    "lastchan",
    "distribu",
    "statovr",
    "respondentid",
}
_STATUS = re.compile(r"^stato_(\d)$", re.IGNORECASE)
#: stato_3 "Nogle svar" and stato_5 "Frafaldet": answers given, the questionnaire not finished.
_PARTIAL_STATUS = {"3", "5"}


def is_dataset_header(header: list[str]) -> bool:
    """Return whether a header row looks like a SurveyXact dataset (``responde`` and ``stato_*``)."""
    keys = {h.strip().casefold() for h in header}
    return "responde" in keys and any(_STATUS.match(k) for k in keys)


def _part_of(name: str) -> str | None:
    """Return which part of the export a file name is ("dataset", "labels", "structure")."""
    stem = Path(name).stem.casefold()
    found = [p for p in _PARTS if p in stem]
    return found[0] if len(found) == 1 else None


def find_parts(path: Path) -> dict[str, Path]:
    """Return the parts of an export found from the dataset file, beside it, or in a folder."""
    folder = path if path.is_dir() else path.parent
    parts: dict[str, Path] = {}
    if path.is_file() and _part_of(path.name) is None:
        parts["dataset"] = path
    candidates = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in CSV_SUFFIXES)
    if path.is_file():
        # The siblings that belong with this dataset share its suffix and, usually, its name's rest.
        candidates = [p for p in candidates if p.suffix.lower() == path.suffix.lower()]
    for p in candidates:
        part = _part_of(p.name)
        if part is not None and part not in parts:
            parts[part] = p
        elif (
            part is not None
            and part != "dataset"
            and path.is_file()
            and _common_prefix(p.name, path.name) > _common_prefix(parts[part].name, path.name)
        ):
            # Two labels files in one folder: prefer the one named like the dataset.
            parts[part] = p
    return parts


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.casefold(), b.casefold()):
        if x != y:
            break
        n += 1
    return n


def read_surveyxact(path: Path, label: str, log: FileProblems) -> Export | None:
    """Read a SurveyXact export given as dataset file, folder, ``.zip`` or ``.xlsx``."""
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        tables = _read_workbook(path, log)
        files = (label,)
    elif suffix == ".zip":
        tables = _read_zip(path, log)
        files = (label,)
    else:
        parts = find_parts(path)
        missing = [p for p in _PARTS if p not in parts]
        if "dataset" in missing:
            log.add(
                "unreadable",
                None,
                None,
                "expected a SurveyXact dataset file (a name with 'dataset' in it, e.g. dataset.csv), "
                f"found only {quote_list(sorted(p.name for p in parts.values())) if parts else 'no export files'}. "
                "Export 'Dataset' with labels and structure from SurveyXact.",
            )
            return None
        if "labels" in missing:
            log.add(
                "unreadable",
                None,
                None,
                f"expected the labels file beside the dataset ({parts['dataset'].name}), found none. "
                "SurveyXact writes it when you export the dataset with 'labels'; put labels.csv in the same folder.",
            )
            return None
        tables = {}
        for part, p in parts.items():
            try:
                data = p.read_bytes()
            except OSError as exc:
                log.add("unreadable", None, None, f"expected a readable {part} file ({p.name}), found an error: {exc}.")
                return None
            sub = FileProblems(f"{label} ({p.name})")
            tables[part] = read_csv_bytes(data, sub, ragged=part != "dataset")
            _copy(sub, log, p.name)
        files = tuple(str(parts[p]) for p in _PARTS if p in parts)
    if tables is None or tables.get("dataset") is None or tables.get("labels") is None:
        return None
    return _build(tables["dataset"], tables["labels"], tables.get("structure"), label, files, log)


def _copy(sub: FileProblems, log: FileProblems, name: str) -> None:
    """Record a part's problems in the export's log, naming the part (every one counted)."""
    log.absorb(sub, f"in {name}: ")


def _read_workbook(path: Path, log: FileProblems) -> dict[str, RawTable | None] | None:
    """Read the sheets Dataset, Labels and Structure of SurveyXact's Excel export."""
    sheets = sheet_names(path, log)
    if sheets is None:
        return None
    by_key = {normalise_label(name): name for name, _ in sheets}
    tables: dict[str, RawTable | None] = {}
    for part in _PARTS:
        name = by_key.get(part)
        if name is None:
            if part != "structure":
                log.add(
                    "unreadable",
                    None,
                    None,
                    f"expected a sheet {part.capitalize()!r} in SurveyXact's Excel export, found the sheets "
                    f"{quote_list([n for n, _ in sheets])}.",
                )
                return None
            continue
        tables[part] = read_sheet(path, name, log)
    return tables


def _read_zip(path: Path, log: FileProblems) -> dict[str, RawTable | None] | None:
    """Read the three files of a zipped export, in memory (nothing is unpacked to disk)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            tables: dict[str, RawTable | None] = {}
            for m in members:
                part = _part_of(m.filename)
                if part is None or part in tables:
                    continue
                suffix = Path(m.filename).suffix.lower()
                data = archive.read(m)
                sub = FileProblems(f"{path} ({m.filename})")
                if suffix in XLSX_SUFFIXES:
                    log.add("unreadable", None, None, "expected CSV files in the zip, found Excel files; unzip it.")
                    return None
                tables[part] = read_csv_bytes(data, sub, ragged=part != "dataset")
                _copy(sub, log, m.filename)
    except (zipfile.BadZipFile, OSError) as exc:
        log.add("unreadable", None, None, f"expected a zip archive of a SurveyXact export, found an error: {exc}.")
        return None
    for part in ("dataset", "labels"):
        if part not in tables:
            names = quote_list(m.filename for m in members)
            log.add(
                "unreadable",
                None,
                None,
                f"expected a {part} file in the zip (a name with {part!r} in it), found {names}.",
            )
            return None
    return tables


def _labels(table: RawTable) -> dict[str, dict[str, str]]:
    """Return variable -> {code: label} in display order; the file has no header row."""
    rows = [table.header, *table.cells.tolist()]
    if [str(c).strip().casefold() for c in rows[0][:3]] == ["variable", "value", "label"]:
        rows = rows[1:]
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        if len(row) < 3 or not str(row[0]).strip():
            continue
        variable, value, text = (str(c).strip() for c in row[:3])
        out.setdefault(variable.casefold(), {})[code_key(value)] = text
    return out


def _texts(table: RawTable | None) -> dict[str, str]:
    """Return variable -> question text from the structure file (empty without one)."""
    if table is None:
        return {}
    keys = [normalise_label(h) for h in table.header]
    try:
        var_col, text_col = keys.index("variablename"), keys.index("questiontext")
    except ValueError:
        return {}
    out: dict[str, str] = {}
    for row in table.cells:
        variable, text = str(row[var_col]).strip(), str(row[text_col]).strip()
        if variable and text:
            out.setdefault(variable.casefold(), text)
    return out


def _build(
    dataset: RawTable,
    labels_table: RawTable,
    structure: RawTable | None,
    label: str,
    files: tuple[str, ...],
    log: FileProblems,
) -> Export:
    header = dataset.header
    labels = _labels(labels_table)
    texts = _texts(structure)
    keys = [h.strip().casefold() for h in header]
    column_labels = {}
    for j, k in enumerate(keys):
        if k in labels and not _STATUS.match(k):
            column_labels[j] = labels[k]
    # Codes are compared as codes: the dataset may write 6 as "6,0" in a decimal-comma locale.
    cells = dataset.cells.copy()
    for j in column_labels:
        codes, distinct = pd.factorize(cells[:, j], use_na_sentinel=False)
        code_keys = np.array([code_key(c) if str(c).strip() else "" for c in distinct], dtype=object)
        cells[:, j] = code_keys[codes]
    status = {m.group(1): j for j, k in enumerate(keys) if (m := _STATUS.match(k))}
    system = {j for j, k in enumerate(keys) if k in SYSTEM_COLUMNS or _STATUS.match(k)}
    complete = np.ones(len(cells), dtype=bool)
    for code in _PARTIAL_STATUS:
        if code in status:
            complete &= ~np.isin(cells[:, status[code]].astype(str), ["1", "1.0", "1,0"])
    table = RawTable(
        header,
        cells,
        dataset.format,
        encoding=dataset.encoding,
        delimiter=dataset.delimiter,
        sheet=dataset.sheet,
        notes=dataset.notes,
    )
    return Export(
        source="surveyxact",
        table=table,
        label=label,
        row_numbers=np.arange(2, len(cells) + 2),
        texts=[texts.get(k, "") for k in keys],
        labels=column_labels,
        complete=complete,
        system=system,
        id_column=keys.index("responde") if "responde" in keys else None,
        files=files,
    )
