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

from ..exceptions import Problem
from .codebook import Codebook, Departments, normalise_label
from .problems import FileProblems, quote_list
from .quality import FileInfo
from .reading import RawTable

__all__ = ["BLANK", "CheckedFile", "check_duplicates", "check_table", "parse_wave"]

#: Header spellings accepted for the three required columns (matched via normalise_label).
_REQUIRED_HEADERS = {
    "respondent_id": ("respondent_id", "respondent", "id", "respondentid"),
    "department": ("department", "forvaltning", "afdeling"),
    "wave": ("wave", "år", "aar", "year", "bølge"),
}
_ROLE_BY_KEY = {normalise_label(name): role for role, names in _REQUIRED_HEADERS.items() for name in names}
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


def _used(codes: np.ndarray, n: int) -> np.ndarray:
    """Return the distinct codes occurring in ``codes`` (a counting pass, cheaper than sorting)."""
    return np.flatnonzero(np.bincount(codes.ravel(), minlength=n))


def _answer_code(raw: object, codebook: Codebook, codes_allowed: set[int]) -> int:
    """Return the answer code of one distinct raw cell: a code, ``BLANK`` or ``_INVALID``.

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
    return BLANK if parsed is None else parsed


def parse_wave(text: str) -> int | None:
    """Return a wave written as a whole number ("2025", "2025.0"), or None."""
    text = text.strip()
    if not _WHOLE_NUMBER.match(text):
        return None
    return int(re.split(r"[.,]", text)[0])


def _claim_column(
    columns: dict[str, int], key: str, j: int, header: list[str], what: str, fix: str, log: FileProblems
) -> None:
    """Give column ``j`` to ``key``, or record that ``key`` already has a column."""
    if key in columns:
        first = columns[key]
        log.add(
            "header",
            1,
            header[j],
            f"expected one {what}, found two: {header[first]!r} (column {first + 1}) and "
            f"{header[j]!r} (column {j + 1}). {fix}",
            j,
        )
    else:
        columns[key] = j


def _map_headers(
    header: list[str], codebook: Codebook, blank_cell: np.ndarray | None, log: FileProblems
) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """Return the columns of the required roles and of the codebook items, and the unknown headers.

    ``blank_cell`` (None when there are no data rows) tells which headerless columns hold data.
    """
    roles: dict[str, int] = {}
    items: dict[str, int] = {}
    unknown: list[str] = []
    for j, h in enumerate(header):
        key = normalise_label(h)
        if key == "":
            if blank_cell is not None and not blank_cell[:, j].all():
                unknown.append(f"(column {j + 1}, no header)")
            continue
        role = _ROLE_BY_KEY.get(key)
        if role is not None:
            _claim_column(roles, role, j, header, f"{role} column", "Remove one.", log)
            continue
        item = codebook.match_column(h)
        if item is not None:
            _claim_column(items, item, j, header, f"column for item {item!r}", "Remove or rename one.", log)
            continue
        unknown.append(h)
    return roles, items, unknown


def check_table(
    table: RawTable,
    label: str,
    codebook: Codebook,
    departments: Departments,
    wave_arg: int | None,
    log: FileProblems,
    warnings: list[Problem],
) -> CheckedFile | None:
    """Check every cell of one file; record problems and warnings; return its content."""
    header = table.header
    grid = table.cells
    if all(h == "" for h in header):
        log.add(
            "empty",
            1,
            None,
            "expected the header (respondent_id, department, wave and the item ids) in row 1, found a blank row.",
        )
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

    roles, items, unknown = _map_headers(header, codebook, blank_cell if n_rows else None, log)

    found_headers = quote_list([h for h in header if h])
    others = [n for n in table.sheets if n != table.sheet]
    sheet_hint = (
        f" The workbook also has the sheet{'s' if len(others) > 1 else ''} "
        f"{quote_list(others)}; choose one with --sheet (sheet= in Python)."
        if others
        else ""
    )
    for role, names in _REQUIRED_HEADERS.items():
        if role in roles or (role == "wave" and wave_arg is not None):
            continue
        hint = (
            (" Add a wave column (the survey year) or give the wave on the command line with --wave (wave= in Python).")
            if role == "wave"
            else ""
        )
        log.add(
            "header",
            1,
            None,
            f"expected the required column {role!r} (or {', '.join(repr(n) for n in names[1:])}), "
            f"found only the headers {found_headers}.{hint}{sheet_hint}",
        )
    if not items:
        log.add(
            "header",
            1,
            None,
            f"expected at least one column named after a codebook item (e.g. "
            f"{codebook.item_ids[0]!r}), found the headers {found_headers}. Is this the "
            f"survey export?{sheet_hint}",
        )
    if n_rows == 0:
        log.add("empty", None, None, "expected one row per respondent below the header in row 1, found no data rows.")
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
            return (
                int(row_numbers[i]),
                header[jd],
                f"expected a department code ({valid}) or a department's name, found "
                f"{found}. Fix the cell, or add the spelling as an alias in "
                "data/departments.yaml.",
                jd,
            )

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
            value = parse_wave(stripped[u])
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
            return (
                int(row_numbers[i]),
                header[jw],
                f"expected the wave as a whole number (the survey year, e.g. 2025), found {found}.",
                jw,
            )

        def mismatch_problem(i):
            return (
                int(row_numbers[i]),
                header[jw],
                f"expected wave {wave_arg} (given with --wave / wave=), found "
                f"{stripped[col_codes[i]]!r}. Fix the cell or leave out the argument.",
                jw,
            )

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
        return (int(row_numbers[r]), header[j], f"expected {accepted}; found {uniques[answer_codes[r, c]]!r}.", j)

    log.add_cells("answer", bad_cells, answer_problem)

    # -- warnings (not fatal)
    if unknown:
        warnings.append(
            Problem(
                label,
                1,
                None,
                f"{len(unknown)} column{'s match' if len(unknown) != 1 else ' matches'} no codebook "
                f"item and {'were' if len(unknown) != 1 else 'was'} ignored: {quote_list(unknown)}. "
                "If they are survey questions, rename them to an item id or add the header as an "
                "alias in data/codebook.yaml.",
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
                f"their answers are absent: {quote_list(missing)}.",
            )
        )
    if len(present):
        silent = np.flatnonzero((answers == BLANK).all(axis=1))
        if len(silent):
            rows_text = ", ".join(str(int(row_numbers[i])) for i in silent[:20])
            more = f" and {len(silent) - 20} more" if len(silent) > 20 else ""
            warnings.append(
                Problem(
                    label,
                    None,
                    None,
                    f"{len(silent)} respondent{'s' if len(silent) != 1 else ''} left every item "
                    f"blank (rows {rows_text}{more}); they count as respondents but give no answers.",
                )
            )

    info = FileInfo(
        path=label,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        data_rows=n_rows,
        waves=tuple(sorted({int(w) for w in wave[wave_ok]})),
        blank_rows=int(len(grid) - n_rows),
        item_columns=tuple(present),
        unknown_columns=tuple(unknown),
    )
    return CheckedFile(
        info=info,
        rows=row_numbers,
        wave=wave,
        wave_ok=wave_ok,
        respondent_id=rid,
        department=dept,
        answers=answers.astype(np.int8),
        item_positions=np.array([item_order[i] for i in present], dtype=np.intp),
        id_header=header[roles["respondent_id"]] if "respondent_id" in roles else "respondent_id",
        id_col=roles.get("respondent_id", -1),
    )


def check_duplicates(results: list[tuple[FileProblems, CheckedFile]]) -> None:
    """Record every respondent id seen twice in one wave, across files too, naming both places."""
    frames = []
    for k, (_, res) in enumerate(results):
        ok = res.wave_ok & (res.respondent_id != "")
        frames.append(
            pd.DataFrame(
                {"file": k, "row": res.rows[ok], "wave": res.wave[ok], "rid": res.respondent_id[ok].astype(object)}
            )
        )
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

        def duplicate_problem(i, log=log, res=res, k=k):
            first_label = results[int(first_file[i])][0].label
            place = f"row {int(first_row[i])}" if int(first_file[i]) == k else f"{first_label} row {int(first_row[i])}"
            return (
                int(allrows.at[i, "row"]),
                res.id_header,
                f"expected each respondent_id once per wave, found "
                f"{allrows.at[i, 'rid']!r} again in wave {int(allrows.at[i, 'wave'])} "
                f"(first at {place}). Remove the repeated row or give it its own id.",
                res.id_col,
            )

        log.add_cells("duplicate", positions, duplicate_problem)
