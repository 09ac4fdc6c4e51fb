"""Readers of the exports survey tools write, behind one :func:`read_export`.

The tool is detected from the file itself (its header, its sheets, the files beside it), or named
with ``source=`` (``--source``): ``surveyxact``, ``qualtrics``, ``forms``, ``limesurvey``,
``google``, ``spss`` or ``plain`` (our own layout: one header row, item ids, aliases or
statement texts as headers). Each reader returns an :class:`~analysis.survey.sources.base.Export`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from ...exceptions import ParameterError
from ..codebook import normalise_label
from ..problems import FileProblems, quote, quote_list
from ..reading import CSV_SUFFIXES, XLSX_SUFFIXES, not_a_file, read_table, sheet_names
from .base import SOURCE_NAMES, SOURCES, Export
from .forms import is_forms, read_forms
from .google import is_google, read_google
from .limesurvey import is_limesurvey, read_limesurvey
from .qualtrics import is_qualtrics, read_qualtrics
from .spss import read_spss
from .surveyxact import find_parts, is_dataset_header, read_surveyxact

__all__ = ["SOURCES", "SOURCE_NAMES", "Export", "check_source", "read_export", "surveyxact_part"]


def check_source(source: str | None) -> str | None:
    """Return ``source`` as a reader's name (None = detect), or raise ParameterError."""
    if source is None or source == "" or source == "auto":
        return None
    key = str(source).strip().casefold().replace(" ", "")
    aliases = {"microsoftforms": "forms", "googleforms": "google", "sav": "spss", "csv": "plain"}
    key = aliases.get(key, key)
    if key not in SOURCES:
        raise ParameterError(f"expected --source to be one of {', '.join(SOURCES)}, found {quote(source)}.")
    return key


def surveyxact_part(path: Path) -> str | None:
    """Return "labels" or "structure" when ``path`` is that part of a SurveyXact export, else None."""
    name = path.name.casefold()
    if path.suffix.lower() not in CSV_SUFFIXES:
        return None
    for part in ("labels", "structure"):
        if part in name and "dataset" not in name:
            return part
    return None


def read_export(path: Path, label: str, source: str | None, sheet: str | None, log: FileProblems) -> Export | None:
    """Read one export with the named reader, or the one its content points to; None if unreadable."""
    suffix = path.suffix.lower()
    if path.is_dir():
        if source not in (None, "surveyxact"):
            log.add("unreadable", None, None, f"expected a file for --source {source}, found a folder.")
            return None
        if "dataset" not in find_parts(path):
            log.add(
                "unreadable",
                None,
                None,
                "expected a file, or a folder holding a SurveyXact export (dataset, labels and structure "
                "files), found a folder without a dataset file. Give the export file itself.",
            )
            return None
        return read_surveyxact(path, label, log)
    if suffix == ".zip" or (source == "surveyxact" and suffix not in CSV_SUFFIXES | XLSX_SUFFIXES):
        if not_a_file(path, log):  # no file, or a pipe or device that must not be opened
            return None
        if suffix == ".zip" and not zipfile.is_zipfile(path):
            log.add("unreadable", None, None, "expected a zip archive of a SurveyXact export, found a damaged file.")
            return None
        return read_surveyxact(path, label, log)
    if suffix == ".sav" or source == "spss":
        if not_a_file(path, log):
            return None
        return read_spss(path, label, log)
    if suffix in XLSX_SUFFIXES and path.is_file() and sheet is None and source in (None, "surveyxact"):
        sheets = sheet_names(path, log)
        if sheets is None:
            return None
        keys = {normalise_label(n) for n, _ in sheets}
        if {"dataset", "labels"} <= keys:
            return read_surveyxact(path, label, log)
        if source == "surveyxact":
            log.add(
                "unreadable",
                None,
                None,
                "expected SurveyXact's Excel export with the sheets 'Dataset', 'Labels' and 'Structure', "
                f"found the sheets {quote_list(n for n, _ in sheets)}.",
            )
            return None
    table = read_table(path, label, sheet, log)
    if table is None:
        return None
    detected = source or _detect(table)
    if detected == "surveyxact":
        return read_surveyxact(path, label, log)
    if detected == "qualtrics":
        return read_qualtrics(table, label, log)
    if detected == "forms":
        return read_forms(table, label, log)
    if detected == "limesurvey":
        return read_limesurvey(table, label, log)
    if detected == "google":
        return read_google(table, label, log)
    return Export(source="plain", table=table, label=label, row_numbers=np.arange(2, len(table.cells) + 2))


def _detect(table) -> str:
    """Return the tool a table's header points to; "plain" when none."""
    if is_dataset_header(table.header):
        return "surveyxact"
    if is_qualtrics(table):
        return "qualtrics"
    if is_limesurvey(table):
        return "limesurvey"
    if is_forms(table):
        return "forms"
    if is_google(table):
        return "google"
    return "plain"
