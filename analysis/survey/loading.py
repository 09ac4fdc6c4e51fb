"""Survey response files (CSV or Excel, as survey tools export them) read into one tidy frame.

:func:`load_responses` reads one or more exports, checks every cell against the codebook and the
department list, and either returns a :class:`Survey` (the long ``responses`` frame plus a
:class:`DataQuality` record) or raises one :class:`~analysis.exceptions.SurveyDataError` that
lists every problem of every file, located as the user sees the file (header = row 1).

In: paths, the codebook and department list, optional ``wave=`` and ``sheet=``. Out: the
:class:`Survey`. Each file is read by :mod:`~analysis.survey.reading` and checked by
:mod:`~analysis.survey.validation`; this module runs them, checks respondent ids across files,
and stacks the checked files into the tidy frame. Input files are only ever opened for reading.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError, Problem, SurveyDataError
from .codebook import Codebook, Departments, load_codebook, load_departments
from .freetext import FreeText
from .mapping import ColumnMap, MappingFile, answer_table, distinct_values, load_mapping, map_columns
from .problems import MAX_PROBLEMS_PER_FILE, FileProblems, clip
from .quality import DataQuality, FileInfo
from .sources import Export, check_source, read_export, surveyxact_part
from .validation import BLANK, WAVE_RANGE_HINT, CheckedFile, check_duplicates, check_export, parse_wave

__all__ = [
    "MAX_PROBLEMS_PER_FILE",
    "Answers",
    "DataQuality",
    "FileInfo",
    "ReadExport",
    "ReadOptions",
    "Survey",
    "load_responses",
    "read_exports",
]


@dataclass(frozen=True, eq=False)
class Answers:
    """The answers as read, one row per respondent (in :attr:`Survey.respondents` order).

    Attributes
    ----------
    codes : numpy.ndarray
        int8, respondents x ``item_ids``: the answer code, ``BLANK`` (-1) where the answer is
        blank or the respondent's file has no column for the item.
    present : numpy.ndarray
        bool, respondents x ``item_ids``: whether the respondent's file has a column for the item
        (the rows of :attr:`Survey.responses`).
    item_ids : tuple of str
        The codebook's item ids, in its order.
    """

    codes: np.ndarray
    present: np.ndarray
    item_ids: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Survey:
    """The result of :func:`load_responses`.

    Attributes
    ----------
    responses : pandas.DataFrame
        One row per respondent x item present: ``wave`` (int64), ``respondent_id`` (str),
        ``department`` (str, code), ``item`` (str, item id), ``answer`` (Int8: 1-5, the
        don't-know and not-applicable codes, ``<NA>`` for blank). Made from :attr:`answers` the
        first time it is asked for (a wave of 200,000 respondents is 11 million rows; checking
        the files and scoring them need only the answers as a matrix).
    quality : DataQuality
        What was read, with warnings.
    respondents : pandas.DataFrame
        One row per respondent: ``wave`` (int64), ``department`` and ``respondent_id`` (str),
        sorted like ``responses``.
    answers : Answers
        The answer codes as a respondents x items matrix, rows as in ``respondents``.
    barriers : Answers or None
        The barrier instrument's answers (1-5 on its agreement scale, *Ved ikke*), the same way.
    free_text : FreeText or None
        The answers to the open questions, the same way; its display never shows a text.
    """

    quality: DataQuality
    respondents: pd.DataFrame
    answers: Answers = field(repr=False)
    #: The barrier instrument's answers (rows as in ``respondents``; codes on its own scale), or
    #: None when the codebook has no barrier instrument.
    barriers: Answers | None = field(default=None, repr=False)
    #: Free-text answers to the open questions (rows as in ``respondents``), never shown as read.
    free_text: FreeText | None = field(default=None, repr=False)

    @property
    def responses(self) -> pd.DataFrame:
        """Return the tidy long frame (made once, on first use)."""
        frame = self.__dict__.get("_responses")
        if frame is None:
            frame = _long_frame(self.respondents, self.answers)
            object.__setattr__(self, "_responses", frame)
        return frame


def _long_frame(respondents: pd.DataFrame, answers: Answers) -> pd.DataFrame:
    """Unfold the respondents x items answers into the long frame: one row per respondent and item present."""
    present = answers.present
    per_respondent = present.sum(axis=1)

    def repeat(column: str) -> np.ndarray:
        return np.repeat(respondents[column].to_numpy(), per_respondent)

    # Row-major selection keeps respondents in order and items in codebook order within each.
    values = answers.codes[present]
    mask = values == BLANK
    answer = pd.arrays.IntegerArray(np.where(mask, 0, values).astype(np.int8), mask)
    item_ids = np.array(answers.item_ids, dtype=object)
    return pd.DataFrame(
        {
            "wave": repeat("wave").astype(np.int64, copy=False),
            "respondent_id": pd.array(repeat("respondent_id"), dtype="str"),
            "department": pd.array(repeat("department"), dtype="str"),
            "item": pd.array(np.broadcast_to(item_ids, present.shape)[present], dtype="str"),
            "answer": answer,
        },
        copy=False,
    )


def _as_path_list(paths) -> list[str | os.PathLike]:
    """Return ``paths`` as a non-empty list of paths, accepting one path or several."""
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    if isinstance(paths, (Sequence, Iterable)):
        out = list(paths)
        if out and all(isinstance(p, (str, os.PathLike)) for p in out):
            return out
    raise ParameterError(f"expected a path or a list of paths to survey exports, found {clip(repr(paths))}.")


def _check_wave_argument(wave) -> int | None:
    """Return the ``wave=`` argument as an int (or None), refusing anything not whole or not a plausible year."""
    if wave is None:
        return None
    if isinstance(wave, (int, np.integer)) and not isinstance(wave, bool):
        value = int(wave)
    elif isinstance(wave, str) and parse_wave(wave) is not None:
        value = parse_wave(wave)
    else:
        raise ParameterError(f"expected the wave as a whole number (e.g. 2025), found {clip(repr(wave))}.")
    first, last = config.wave_range()
    if not first <= value <= last:
        raise ParameterError(
            f"expected --wave (wave=) to be a survey year from {first} to {last}, found {value}. {WAVE_RANGE_HINT}"
        )
    return value


@dataclass
class ReadExport:
    """One export as read and mapped: what :func:`read_exports` returns per path."""

    export: Export | None
    colmap: ColumnMap | None
    near: dict[int, tuple[str, float]]
    log: FileProblems
    result: CheckedFile | None = None


def _answer_values(export: Export, mapping: MappingFile | None):
    """Return a function giving a column's distinct non-blank values as read through its labels."""

    def values(j: int) -> list[str]:
        raw = distinct_values(export.table.cells[export.row_kind == "", j])
        table = answer_table(export, mapping, j)
        return [table.get(v, v) for v in raw]

    return values


@dataclass(frozen=True)
class ReadOptions:
    """How to read the exports: the keyword arguments of :func:`load_responses`, in one place."""

    wave: int | None = None
    sheet: str | None = None
    source: str | None = None
    mapping: str | os.PathLike | MappingFile | None = None
    department_column: str | None = None
    complete_only: bool = False
    default_wave: int | None = None


def read_exports(
    paths, codebook: Codebook | None = None, departments: Departments | None = None, **options
) -> tuple[list[ReadExport], list[Problem]]:
    """Read, map and check every export; return them with the warnings (problems stay in the logs).

    This is :func:`load_responses` without the final assembly (``options`` are its keyword
    arguments); ``briefing inspect`` shows its result.
    """
    opts = ReadOptions(**options)
    wave, sheet, mapping = opts.wave, opts.sheet, opts.mapping
    department_column, complete_only = opts.department_column, opts.complete_only
    default_wave, source = opts.default_wave, opts.source
    path_list = _as_path_list(paths)
    wave_arg = _check_wave_argument(wave)
    default_wave = _check_wave_argument(default_wave)
    source = check_source(source)
    codebook = codebook if codebook is not None else load_codebook()
    departments = departments if departments is not None else load_departments()
    if mapping is not None and not isinstance(mapping, MappingFile):
        mapping = load_mapping(mapping, codebook)
    if source is None and mapping is not None and mapping.source:
        source = mapping.source

    given = {Path(p).resolve() for p in path_list}
    reads: list[ReadExport] = []
    warnings: list[Problem] = []
    seen: dict[Path, str] = {}
    for p in path_list:
        label = os.fspath(p)
        log = FileProblems(label)
        path = Path(p)
        key = path.resolve()
        part = surveyxact_part(path)
        if part is not None and (source in (None, "surveyxact")):
            dataset = [g for g in given if g.parent == key.parent and g != key and surveyxact_part(g) is None]
            if dataset:
                continue  # read with its dataset file
        read = ReadExport(None, None, {}, log)
        reads.append(read)
        if key in seen:
            log.add("unreadable", None, None, f"expected each file once, found it given twice (also as {seen[key]!r}).")
            continue
        seen[key] = label
        export = read_export(path, label, source, sheet, log)
        if export is None:
            continue
        read.export = export
        colmap, near = map_columns(
            export, codebook, departments, mapping, department_column, _answer_values(export, mapping), log
        )
        read.colmap, read.near = colmap, near
        read.result = check_export(
            export,
            colmap,
            codebook,
            departments,
            wave_arg,
            log,
            warnings,
            mapping=mapping,
            default_wave=default_wave,
            complete_only=complete_only,
        )
    check_duplicates([(r.log, r.result) for r in reads if r.result is not None])
    return reads, warnings


def load_responses(
    paths,
    codebook: Codebook | None = None,
    departments: Departments | None = None,
    *,
    wave: int | None = None,
    sheet: str | None = None,
    source: str | None = None,
    mapping: str | os.PathLike | MappingFile | None = None,
    department_column: str | None = None,
    complete_only: bool = False,
    default_wave: int | None = None,
) -> Survey:
    """Load survey exports into one tidy long frame, checking every cell.

    Parameters
    ----------
    paths : str, path-like, or list of them
        Exports as survey tools write them, one row per respondent: SurveyXact (the dataset file
        with its labels and structure files beside it, their folder, a ``.zip`` of them, or the
        ``.xlsx``), Qualtrics CSV/TSV, Microsoft Forms ``.xlsx``, LimeSurvey and Google Forms CSV,
        SPSS ``.sav``, or our plain layout (CSV/TSV/TXT or xlsx with item ids or statement texts as
        headers). Several files (e.g. several waves) are stacked.
    codebook : Codebook, optional
        Defaults to :func:`~analysis.survey.codebook.load_codebook`.
    departments : Departments, optional
        Defaults to :func:`~analysis.survey.codebook.load_departments`.
    wave : int, optional
        The wave for files without a wave column; where a file has one, its cells must agree.
    sheet : str, optional
        The worksheet to read in Excel files (default: the first); ignored for CSV.
    source : str, optional
        The tool that wrote the files (``surveyxact``, ``qualtrics``, ``forms``, ``limesurvey``,
        ``google``, ``spss``, ``plain``); detected from each file when not given.
    mapping : path, optional
        A reviewed column mapping (YAML, as ``briefing inspect --write-mapping`` writes it).
    department_column : str, optional
        The header or question text of the department column, when it cannot be found.
    complete_only : bool
        Leave out responses the tool marks as not finished (kept by default, with their answers).
    default_wave : int, optional
        The wave for files without a wave column only; files with one keep theirs.

    Returns
    -------
    Survey
        ``responses`` sorted by wave, department, respondent_id (as text) and item in
        codebook order, and the ``quality`` record with warnings.

    Raises
    ------
    SurveyDataError
        Listing every problem of every file (unreadable or empty file, missing column, unknown
        department, answer off the scale or a code without a label, a question text that nearly
        matches an item, bad wave, blank or duplicate respondent id).
    ParameterError
        When ``paths``, ``wave`` or ``source`` is not of an accepted kind.

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
    codebook = codebook if codebook is not None else load_codebook()
    departments = departments if departments is not None else load_departments()
    options = ReadOptions(wave, sheet, source, mapping, department_column, complete_only, default_wave)
    reads, warnings = read_exports(paths, codebook, departments, **vars(options))
    problems = [p for r in reads for p in r.log.problems()]
    if problems:  # SurveyDataError counts every problem, also those each file's list only counts
        raise SurveyDataError(problems)
    results = [r.result for r in reads if r.result is not None]
    del reads  # the files' cells are no longer needed: free them before the answers are stacked
    return _assemble(results, codebook, departments, warnings)


def _assemble(
    results: list[CheckedFile], codebook: Codebook, departments: Departments, warnings: list[Problem]
) -> Survey:
    """Stack the checked files and sort the respondents; count the answers by kind."""
    item_ids = tuple(codebook.item_ids)
    n_items = len(item_ids)
    n_total = sum(len(r.rows) for r in results)
    matrix = np.full((n_total, n_items), BLANK, dtype=np.int8)
    present = np.zeros((n_total, n_items), dtype=bool)
    start = 0
    for r in results:
        stop = start + len(r.rows)
        matrix[start:stop][:, r.item_positions] = r.answers
        present[start:stop, r.item_positions] = True
        start = stop
    barriers = None
    if codebook.barriers is not None:
        b_ids = tuple(codebook.barrier_ids)
        b_matrix = np.full((n_total, len(b_ids)), BLANK, dtype=np.int8)
        b_present = np.zeros((n_total, len(b_ids)), dtype=bool)
    open_ids = tuple(codebook.open_ids)
    texts = np.full((n_total, len(open_ids)), "", dtype=object)
    start = 0
    for r in results:
        stop = start + len(r.rows)
        if codebook.barriers is not None and r.barrier_positions is not None and len(r.barrier_positions):
            b_matrix[start:stop][:, r.barrier_positions] = r.barrier_answers
            b_present[start:stop, r.barrier_positions] = True
        if r.open_positions is not None and len(r.open_positions):
            texts[start:stop][:, r.open_positions] = r.open_texts
        start = stop
    respondents = pd.DataFrame(
        {
            "wave": np.concatenate([r.wave for r in results]).astype(np.int64),
            "department": np.concatenate([r.department for r in results]).astype(object),
            "respondent_id": np.concatenate([r.respondent_id for r in results]).astype(object),
        }
    )
    order = respondents.sort_values(["wave", "department", "respondent_id"], kind="stable").index.to_numpy()
    respondents = respondents.iloc[order].reset_index(drop=True)
    matrix, present = matrix[order], present[order]
    if codebook.barriers is not None:
        barriers = Answers(b_matrix[order], b_present[order], b_ids)
    free_text = FreeText(open_ids, texts[order]) if open_ids else None

    # Answer kinds per wave, counted once here so reports need not recount them.
    blank = present & (matrix == BLANK)
    dont_know = present & (matrix == codebook.dont_know)
    not_applicable = present & (matrix == codebook.not_applicable)
    per_respondent = {
        "blank": blank.sum(axis=1),
        "dont_know": dont_know.sum(axis=1),
        "not_applicable": not_applicable.sum(axis=1),
    }
    per_respondent["level"] = present.sum(axis=1) - sum(per_respondent.values())
    del blank, dont_know, not_applicable
    wave_values, wave_index = np.unique(respondents["wave"].to_numpy(), return_inverse=True)
    counts = pd.DataFrame(
        {
            kind: np.bincount(wave_index, weights=per_respondent[kind], minlength=len(wave_values)).astype(np.int64)
            for kind in ("level", "dont_know", "not_applicable", "blank")
        },
        index=pd.Index(wave_values.astype(np.int64), name="wave"),
    )

    resp_counts = pd.crosstab(respondents["department"], respondents["wave"])
    dept_order = departments.order([*departments.codes, *resp_counts.index])
    resp_counts = resp_counts.reindex(index=dept_order, fill_value=0).astype(np.int64)
    resp_counts.index.name, resp_counts.columns.name = "department", "wave"

    quality = DataQuality(
        files=[r.info for r in results], warnings=list(warnings), answer_counts=counts, respondent_counts=resp_counts
    )
    return Survey(
        quality=quality,
        respondents=respondents,
        answers=Answers(matrix, present, item_ids),
        barriers=barriers,
        free_text=free_text,
    )
