"""Checking one raw table against the codebook and the department list.

In: a :class:`~analysis.survey.reading.RawTable`, the codebook, the department list and the
optional ``wave=`` argument. Out: a :class:`CheckedFile` (row numbers, waves, respondent ids,
department codes and the answer codes of the item columns), with every problem (headers,
departments, waves, answers, blank and duplicate respondent ids) recorded in one pass in the
file's :class:`~analysis.survey.problems.FileProblems`, and non-fatal warnings appended to a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import Problem
from .codebook import Codebook, Departments
from .mapping import REQUIRED_HEADERS, ColumnMap, MappingFile, answer_table
from .problems import FileProblems, clip, quote, quote_headers, quote_list
from .quality import FileInfo
from .sources.base import Export, code_key

__all__ = ["BLANK", "WAVE_RANGE_HINT", "CheckedFile", "check_duplicates", "check_export", "parse_wave"]

#: How to allow other survey years, for messages about a wave outside the plausible range.
WAVE_RANGE_HINT = (
    "Write the year in full (2025, not 25); if the year is right, allow it with FIRST_WAVE / LAST_WAVE in "
    "analysis/config.py."
)

_WHOLE_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]0*)?$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")

# Sentinels in the per-distinct-value answer lookup (real codes are 1-5, 8, 9).
BLANK = -1
_INVALID = -2


@dataclass
class CheckedFile:
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
    #: The barrier instrument's answers (int8, rows x barrier_positions; -1 blank) ...
    barrier_answers: np.ndarray | None = None
    #: ... and the positions of its columns among ``codebook.barrier_ids``.
    barrier_positions: np.ndarray | None = None
    #: Free-text answers (object, rows x open_positions; '' blank), never shown or written as read ...
    open_texts: np.ndarray | None = None
    #: ... and the positions of their columns among ``codebook.open_ids``.
    open_positions: np.ndarray | None = None


def _factorize_columns(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each cell's code (rows x columns, int32) and the distinct values the codes point to.

    Columns are factorised one by one (a value that occurs in two columns has a code in each),
    which is cheaper than hashing the whole grid at once and keeps the codes small.
    """
    codes = np.empty(grid.shape, dtype=np.int32)
    parts: list[np.ndarray] = []
    offset = 0
    for j in range(grid.shape[1]):
        # Cells are text, never missing; the NA-aware pass (a scan of the column) only when one is.
        column_codes, distinct = pd.factorize(grid[:, j])
        if len(column_codes) and column_codes.min() < 0:
            column_codes, distinct = pd.factorize(grid[:, j], use_na_sentinel=False)
        codes[:, j] = column_codes
        codes[:, j] += offset
        parts.append(np.asarray(distinct, dtype=object))
        offset += len(distinct)
    uniques = np.concatenate(parts) if parts else np.empty(0, dtype=object)
    return codes, uniques


def _used(codes: np.ndarray, n: int) -> np.ndarray:
    """Return the distinct codes occurring in ``codes`` (a counting pass, cheaper than sorting)."""
    return np.flatnonzero(np.bincount(codes.ravel(), minlength=n))


def _answer_code(raw: object, scale, codes_allowed: set[int]) -> int:
    """Return the answer code of one distinct raw cell: a code, ``BLANK`` or ``_INVALID``.

    Numbers are checked here before ``parse_answer``: its matching drops '.', '-' and spaces,
    which would read "10" as 1 (via "1.0") and "-3" as 3, silently recoding a typo.
    """
    text = str(raw).strip()
    if _NUMBER.match(text):
        number = float(text.replace(",", "."))
        return int(number) if number.is_integer() and int(number) in codes_allowed else _INVALID
    try:
        parsed = scale.parse_answer(raw)
    except ValueError:
        return _INVALID
    return BLANK if parsed is None else parsed


def parse_wave(text: str) -> int | None:
    """Return a wave written as a whole number ("2025", "2025.0"), or None."""
    text = text.strip()
    if not _WHOLE_NUMBER.match(text):
        return None
    return int(re.split(r"[.,]", text)[0])


def _translate(
    export: Export, colmap: ColumnMap, mapping: MappingFile | None, codebook: Codebook, log: FileProblems
) -> np.ndarray:
    """Return the cells with coded answers replaced by their labels; unlabelled codes recorded.

    Codes are read through the export's labels (SurveyXact's labels file, SPSS value labels) and
    the mapping file's ``answers:``; a code missing from a labelled item column is an error naming
    the variable and the code. Department codes without a label are left for the department check.
    """
    grid = export.table.cells
    out = None
    for c in colmap.columns:
        if c.role not in ("item", "department"):
            continue
        table = answer_table(export, mapping, c.index, items=c.role == "item")
        if not table:
            continue
        if out is None:
            out = grid.copy()
        # Each distinct cell is looked up once; rows take their cell's result through its code.
        raw_codes, raw_distinct = pd.factorize(grid[:, c.index], use_na_sentinel=False)
        stripped = [str(v).strip() for v in raw_distinct]
        key_codes, distinct = pd.factorize(np.array(stripped, dtype=object), use_na_sentinel=False)
        codes = key_codes[raw_codes]
        keys = np.asarray(distinct, dtype=object)[codes]
        labelled = bool(export.labels.get(c.index))
        lookup = {k: table.get(k, table.get(code_key(k))) for k in distinct if k}
        if not labelled:
            # A mapping file's answers add to the usual reading; only the tool's labels are complete.
            lookup = {k: k if v is None else v for k, v in lookup.items()}
        translated = np.array([lookup.get(k, k) if k else "" for k in distinct], dtype=object)[codes]
        if c.role == "item":
            unlabelled = [k for k, v in lookup.items() if v is None]
            if unlabelled:
                is_unlabelled = np.isin(np.asarray(distinct, dtype=object), unlabelled)[codes]
                bad = np.flatnonzero(is_unlabelled)
                known = ", ".join(f"{quote(k, 20)} {quote(v, 40)}" for k, v in list(table.items())[:8])
                where = "the export's labels"

                def problem(i, c=c, known=known, where=where, keys=keys):
                    return (
                        int(export.row_numbers[i]),
                        c.header,
                        f"expected a code that {where} name ({known}), found the code {quote(keys[i])}, which has "
                        f"no label. Add its label in the survey tool and export again, or give it under answers: "
                        f"in a mapping file (e.g. {quote(c.header, 60)}: {{{clip(keys[i], 20)}: Ved ikke}}).",
                        c.index,
                    )

                log.add_cells("answer", bad, problem)
                translated[is_unlabelled] = ""
        else:
            translated = np.array([lookup.get(k) or k if k else "" for k in distinct], dtype=object)[codes]
        out[:, c.index] = translated
    return grid if out is None else out


def check_export(
    export: Export,
    colmap: ColumnMap,
    codebook: Codebook,
    departments: Departments,
    wave_arg: int | None,
    log: FileProblems,
    warnings: list[Problem],
    *,
    mapping: MappingFile | None = None,
    default_wave: int | None = None,
    complete_only: bool = False,
) -> CheckedFile | None:
    """Check every cell of one export; record problems and warnings; return its content.

    ``wave_arg`` fills and must agree with a wave column (``--wave`` of validate and score);
    ``default_wave`` only fills files without one (``render --wave``).
    """
    label = export.label
    table = export.table
    header = table.header
    if all(h == "" for h in header):
        log.add(
            "empty",
            1,
            None,
            "expected the header (respondent_id, department, wave and the item ids) in row 1, found a blank row.",
        )
        return None
    dropped: list[tuple[str, str, int]] = []

    # Rows the tool marks as previews, tests or spam never reach the checks.
    kept_kind = export.row_kind == ""
    grid = _translate(export, colmap, mapping, codebook, log)
    dept_col = colmap.role("department")
    for kind in sorted(set(export.row_kind[~kept_kind])):
        rows = np.flatnonzero(export.row_kind == kind)
        dropped.extend(_count_by_department(grid, rows, dept_col, departments, kind))
    if not kept_kind.all():
        grid = grid[kept_kind]
    all_rows = export.row_numbers[kept_kind]
    complete = export.complete[kept_kind]

    # Factorise the grid once: every later check works per distinct value, not per cell.
    codes, uniques = _factorize_columns(grid)
    unique_blank = np.fromiter((str(u).strip() == "" for u in uniques), dtype=bool, count=len(uniques))
    blank_cell = unique_blank[codes] if grid.size else np.zeros(grid.shape, dtype=bool)

    items = colmap.items
    roles = {r: colmap.role(r) for r in ("respondent_id", "department", "wave")}
    roles = {r: j for r, j in roles.items() if j is not None}
    answer_cols = [j for j in (*items.values(), roles.get("department")) if j is not None]

    # Fully blank rows (trailing ;;;; lines, spacer rows in Excel) are skipped, not reported; rows
    # with no answer at all (invited, never answered) count for nothing.
    filled = ~blank_cell.all(axis=1) if grid.shape[1] else np.zeros(len(grid), dtype=bool)
    item_cols_all = np.array([*items.values(), *colmap.open.values()], dtype=np.intp)
    answered = ~blank_cell[:, item_cols_all].all(axis=1) if len(item_cols_all) else filled.copy()
    silent = filled & ~answered
    if answer_cols and export.source != "plain":
        no_answers = np.flatnonzero(silent)
        dropped.extend(_count_by_department(grid, no_answers, dept_col, departments, "no answers"))
        keep = filled & answered
    else:
        keep = filled
    partial_rows = keep & ~complete
    if complete_only and partial_rows.any():
        dropped.extend(
            _count_by_department(grid, np.flatnonzero(partial_rows), dept_col, departments, "partial, left out")
        )
        keep = keep & complete
    blank_rows = int((~filled).sum())
    row_numbers = all_rows[keep]
    if not keep.all():
        codes, blank_cell = codes[keep], blank_cell[keep]
    kept_partial = partial_rows[keep]
    n_rows = len(row_numbers)

    found_headers = quote_headers(header)
    others = [n for n in table.sheets if n != table.sheet]
    sheet_hint = (
        f" The workbook also has the sheet{'s' if len(others) > 1 else ''} "
        f"{quote_list(others)}; choose one with --sheet (sheet= in Python)."
        if others
        else ""
    )
    synthetic_ids = "respondent_id" not in roles and export.id_column is None and export.source == "google"
    for role, names in REQUIRED_HEADERS.items():
        if role in roles or (role == "wave" and (wave_arg is not None or default_wave is not None)):
            continue
        if role == "respondent_id" and synthetic_ids:
            continue
        if role == "wave":
            hint = " Add a wave column (the survey year) or give the wave with --wave (wave= in Python)."
        elif role == "department":
            hint = (
                " Name the department column with --department-column, or map it in a mapping file "
                "(`briefing inspect` shows how each column was read)."
            )
        else:
            hint = ""
        log.add(
            "header",
            1,
            None,
            f"expected the required column {role!r} (or {', '.join(repr(n) for n in names[1:4])}), "
            f"found only the headers {found_headers}.{hint}{sheet_hint}",
        )
    if not items:
        log.add(
            "header",
            1,
            None,
            f"expected at least one column for a codebook item (its id, an alias or its statement text, e.g. "
            f"{codebook.item_ids[0]!r}), found the headers {found_headers}. Is this the survey export? "
            f"`briefing inspect` shows how each column was read.{sheet_hint}",
        )
    if n_rows == 0:
        if not log.counts:
            log.add(
                "empty",
                None,
                None,
                "expected one row per respondent below the header, found no data rows with answers.",
            )
        return None

    # -- respondent ids
    stripped = np.array([str(u).strip() for u in uniques], dtype=object)
    rid = np.full(n_rows, "", dtype=object)
    if "respondent_id" in roles:
        j = roles["respondent_id"]
        rid = stripped[codes[:, j]]
        log.add_cells(
            "respondent_id",
            np.flatnonzero(rid == ""),
            lambda i: (
                int(row_numbers[i]),
                header[j],
                "expected a respondent id, found a blank cell. Give every row an id (any text unique within the wave).",
                j,
            ),
        )
    elif synthetic_ids:
        rid = np.array([f"row {int(r)}" for r in row_numbers], dtype=object)

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
        coded = jd in export.labels or (mapping is not None and header[jd] in mapping.answers)

        def department_problem(i):
            raw = uniques[col_codes[i]]
            found = "a blank cell" if str(raw).strip() == "" else quote(raw)
            if coded:
                fix = "Add the code's label in the survey tool, or give it under answers: in a mapping file."
            elif _NUMBER.match(str(raw).strip()):
                fix = (
                    "The export holds codes without labels: export the choice text instead, or give the codes "
                    f"under answers: in a mapping file (e.g. {quote(header[jd], 60)}: {{1: ØKF}})."
                )
            else:
                fix = "Fix the cell, or add the spelling as an alias in data/departments.yaml."
            return (
                int(row_numbers[i]),
                header[jd],
                f"expected a department code ({valid}) or a department's name, found {found}. {fix}",
                jd,
            )

        log.add_cells("department", np.flatnonzero(pd.isna(dept)), department_problem)

    # -- waves: the column wins; the argument fills blanks and must agree where both are given
    fill = wave_arg if wave_arg is not None else default_wave
    wave = np.full(n_rows, fill if fill is not None else 0, dtype=np.int64)
    wave_ok = np.full(n_rows, fill is not None, dtype=bool)
    if "wave" in roles:
        jw = roles["wave"]
        col_codes = codes[:, jw]
        parsed = np.zeros(len(uniques), dtype=np.int64)
        parsed_ok = np.zeros(len(uniques), dtype=bool)
        first_wave, last_wave = config.wave_range()
        implausible = np.zeros(len(uniques), dtype=bool)
        for u in _used(col_codes, len(uniques)):
            value = parse_wave(stripped[u])
            if value is not None and not first_wave <= value <= last_wave:
                implausible[u] = True  # a whole number, but no survey year: an error like any bad wave
            elif value is not None:
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
            wave = np.where(cell_ok, cell_wave, wave_arg)
            bad = np.flatnonzero(~cell_ok & ~cell_blank)
            mismatch = np.flatnonzero(cell_ok & (cell_wave != wave_arg))

        def wave_problem(i):
            raw = str(uniques[col_codes[i]])
            found = "a blank cell" if raw.strip() == "" else quote(raw)
            if implausible[col_codes[i]]:
                message = (
                    f"expected the wave as a survey year from {first_wave} to {last_wave}, found {found}. "
                    f"{WAVE_RANGE_HINT}"
                )
            else:
                message = f"expected the wave as a whole number (the survey year, e.g. 2025), found {found}."
            return (int(row_numbers[i]), header[jw], message, jw)

        def mismatch_problem(i):
            return (
                int(row_numbers[i]),
                header[jw],
                f"expected wave {wave_arg} (given with --wave / wave=), found "
                f"{quote(stripped[col_codes[i]])}. Fix the cell or leave out the argument.",
                jw,
            )

        log.add_cells("wave", bad, wave_problem)
        log.add_cells("wave", mismatch, mismatch_problem)

    # -- answers, parsed once per distinct raw value: maturity items on the maturity scale, the
    # barrier instrument's statements on its own scale
    item_order = {iid: k for k, iid in enumerate(codebook.item_ids)}
    barrier_order = {iid: k for k, iid in enumerate(codebook.barrier_ids)}
    present = sorted((i for i in items if i in item_order), key=item_order.__getitem__)
    barriers_present = sorted((i for i in items if i in barrier_order), key=barrier_order.__getitem__)
    answers, _ = _parse_answers(
        codes, uniques, items, present, codebook, codebook.accepted_answers(), row_numbers, header, log
    )
    barrier_answers = None
    if codebook.barriers is not None:
        scale = codebook.barriers.scale
        barrier_answers, _ = _parse_answers(
            codes, uniques, items, barriers_present, scale, scale.accepted_answers(), row_numbers, header, log
        )

    # -- free text: kept as written (stripped), checked for nothing; it is never shown as read
    open_order = {qid: k for k, qid in enumerate(codebook.open_ids)}
    open_present = sorted(colmap.open, key=open_order.__getitem__)
    open_texts = np.empty((n_rows, len(open_present)), dtype=object)
    for c, qid in enumerate(open_present):
        open_texts[:, c] = stripped[codes[:, colmap.open[qid]]]

    # -- warnings (not fatal)
    warnings.extend(Problem(label, row, column, message) for row, column, message in table.notes)
    unknown = [c for c in colmap.unknown() if c.header.strip() or not blank_cell[:, c.index].all()]
    if unknown:
        names = [c.header or f"(column {c.index + 1}, no header)" for c in unknown]
        warnings.append(
            Problem(
                label,
                1,
                None,
                f"{len(unknown)} column{'s match' if len(unknown) != 1 else ' matches'} no codebook "
                f"item and {'were' if len(unknown) != 1 else 'was'} ignored: {quote_list(names, 5)}. "
                "If they are survey questions, add the header or statement as an alias in data/codebook.yaml, "
                "or map them in a mapping file (`briefing inspect --write-mapping`).",
            )
        )
    missing = [i for i in codebook.item_ids if i not in items]
    if missing and items:
        warnings.append(
            Problem(
                label,
                None,
                None,
                f"{len(missing)} codebook item{'s have' if len(missing) != 1 else ' has'} no column, so "
                f"their answers are absent: {quote_list(missing, 5)}.",
            )
        )
    if len(present) and export.source == "plain":
        silent_rows = np.flatnonzero((answers == BLANK).all(axis=1))
        if len(silent_rows):
            rows_text = ", ".join(str(int(row_numbers[i])) for i in silent_rows[:20])
            more = f" and {len(silent_rows) - 20} more" if len(silent_rows) > 20 else ""
            warnings.append(
                Problem(
                    label,
                    None,
                    None,
                    f"{len(silent_rows)} respondent{'s' if len(silent_rows) != 1 else ''} left every item "
                    f"blank (rows {rows_text}{more}); they count as respondents but give no answers.",
                )
            )
    # Rows kept per (department, complete or partial), in the order the pairs first occur.
    dept_codes, dept_names = pd.factorize(np.array(["" if d is None else str(d) for d in dept], dtype=object))
    pair_codes, pairs = pd.factorize(dept_codes.astype(np.int64) * 2 + kept_partial)
    pair_counts = np.bincount(pair_codes, minlength=len(pairs))
    row_kinds = tuple(
        (str(dept_names[p // 2]), "partial" if p % 2 else "complete", int(n)) for p, n in zip(pairs, pair_counts)
    ) + tuple(dropped)

    info = FileInfo(
        path=label,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        data_rows=n_rows,
        waves=tuple(sorted({int(w) for w in wave[wave_ok]})),
        blank_rows=blank_rows,
        item_columns=tuple(present),
        unknown_columns=tuple(c.header for c in unknown),
        source=export.source,
        files=export.files,
        row_kinds=row_kinds,
    )
    return CheckedFile(
        info=info,
        rows=row_numbers,
        wave=wave,
        wave_ok=wave_ok,
        respondent_id=rid,
        department=dept,
        answers=answers,
        item_positions=np.array([item_order[i] for i in present], dtype=np.intp),
        id_header=header[roles["respondent_id"]] if "respondent_id" in roles else "respondent_id",
        id_col=roles.get("respondent_id", -1),
        barrier_answers=barrier_answers,
        barrier_positions=np.array([barrier_order[i] for i in barriers_present], dtype=np.intp),
        open_texts=open_texts,
        open_positions=np.array([open_order[q] for q in open_present], dtype=np.intp),
    )


def _parse_answers(codes, uniques, items, present, scale, accepted, row_numbers, header, log):
    """Return the answer codes of the columns of ``present`` read on ``scale``, recording bad cells.

    ``scale`` is the codebook (the maturity scale) or the barrier instrument's scale: anything
    with ``parse_answer`` and ``dont_know``. Returns the rows x columns int8 codes and the columns.
    """
    item_cols = np.array([items[i] for i in present], dtype=np.intp)
    lookup = np.full(len(uniques), _INVALID, dtype=np.int8)
    codes_allowed = {*scale.levels, scale.dont_know}
    if scale.not_applicable is not None:
        codes_allowed.add(scale.not_applicable)
    for j in item_cols:  # a column's codes are its own (see _factorize_columns)
        for u in _used(codes[:, j], len(uniques)):
            lookup[u] = _answer_code(uniques[u], scale, codes_allowed)
    answers = np.empty((len(row_numbers), len(item_cols)), dtype=np.int8)
    for c, j in enumerate(item_cols):
        answers[:, c] = lookup[codes[:, j]]
    # argwhere is row-major, so the bad cells come in file order.
    bad_cells = np.argwhere(answers == _INVALID)

    def answer_problem(cell):
        r, c = cell
        j = int(item_cols[c])
        raw = uniques[codes[r, j]]
        hint = ""
        if _NUMBER.match(str(raw).strip()):
            hint = (
                " If the tool writes its own code for this answer (e.g. 6 for Ved ikke), give it under answers: "
                "in a mapping file."
            )
        return (int(row_numbers[r]), header[j], f"expected {accepted}; found {quote(raw)}.{hint}", j)

    log.add_cells("answer", bad_cells, answer_problem)
    return answers, item_cols


def _count_by_department(
    grid: np.ndarray, rows: np.ndarray, dept_col: int | None, departments: Departments, kind: str
) -> list[tuple[str, str, int]]:
    """Return (department code or "", kind, rows) for rows left out, by the department they name."""
    if len(rows) == 0:
        return []
    if dept_col is None:
        return [("", kind, len(rows))]
    # Each distinct cell is resolved once; the counts keep the order in which codes first occur.
    cell_codes, cells = pd.factorize(grid[rows, dept_col], use_na_sentinel=False)
    resolved = np.array([departments.resolve(c) or "" for c in cells], dtype=object)
    code_of_row, codes = pd.factorize(resolved[cell_codes])
    return [(str(d), kind, int(n)) for d, n in zip(codes, np.bincount(code_of_row, minlength=len(codes)))]


def check_duplicates(results: list[tuple[FileProblems, CheckedFile]]) -> None:
    """Record every respondent id seen twice in one wave, across files too, naming both places.

    Ids that differ only in upper and lower case (``R1`` and ``r1``) count as the same id: a
    spreadsheet or a typist changes case more often than two people get such ids.
    """
    frames = []
    for k, (_, res) in enumerate(results):
        ok = res.wave_ok & (res.respondent_id != "")
        rid = res.respondent_id[ok].astype(object)
        frames.append(
            pd.DataFrame(
                {
                    "file": k,
                    "row": res.rows[ok],
                    "wave": res.wave[ok],
                    "rid": rid,
                    "key": [str(r).casefold() for r in rid],
                }
            )
        )
    if not frames:
        return
    allrows = pd.concat(frames, ignore_index=True)
    later = allrows.duplicated(["wave", "key"], keep="first").to_numpy()
    if not later.any():
        return
    groups = allrows.groupby(["wave", "key"], sort=False)
    first_file = groups["file"].transform("first").to_numpy()
    first_row = groups["row"].transform("first").to_numpy()
    first_rid = groups["rid"].transform("first").to_numpy()
    file_of = allrows["file"].to_numpy()
    for k, (log, res) in enumerate(results):
        positions = np.flatnonzero(later & (file_of == k))

        def duplicate_problem(i, log=log, res=res, k=k):
            first_label = results[int(first_file[i])][0].label
            place = f"row {int(first_row[i])}" if int(first_file[i]) == k else f"{first_label} row {int(first_row[i])}"
            rid, wave = allrows.at[i, "rid"], int(allrows.at[i, "wave"])
            if rid == first_rid[i]:
                found = f"{quote(rid)} again in wave {wave} (first at {place}). Remove the repeated row or give it its own id."
            else:
                found = (
                    f"{quote(rid)} in wave {wave}, which differs from {quote(first_rid[i])} (at {place}) only in "
                    "upper and lower case. If they are one respondent, remove the repeated row; if they are two, "
                    "give them ids that differ in more than case."
                )
            return (
                int(allrows.at[i, "row"]),
                res.id_header,
                f"expected each respondent_id once per wave, found {found}",
                res.id_col,
            )

        log.add_cells("duplicate", positions, duplicate_problem)
