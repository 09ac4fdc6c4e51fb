"""Which column of an export is what: respondent id, department, wave, a codebook item, or ignored.

In: an :class:`~analysis.survey.sources.base.Export`, the codebook, the department list, an
optional :class:`MappingFile` (``--mapping``) and ``--department-column``. Out: a
:class:`ColumnMap`, one :class:`Column` per header saying its role and how it was found, with
every problem recorded in the file's log: two columns for one item, a question text that nearly
matches an item (a typo fixed in the survey tool: offered, never applied), no department column.

Rules, in order: the mapping file; the tool's respondent id column; the known headers of the
respondent id, department and wave columns; an item by its statement text (after the tool's
``" - "`` or inside ``[...]``, case and spacing ignored) or, where the tool gives no question text,
by item id or alias; the tool's own columns (ignored quietly); the one column whose answers are all
department names. :func:`write_mapping` writes the result as YAML a person can check and edit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from ..exceptions import Problem, SurveyDataError
from .codebook import Codebook, Departments, normalise_label, normalise_text
from .problems import FileProblems, clip, describe_path, quote, quote_headers, shorten
from .sources.base import SOURCES, Export, statement_candidates

__all__ = [
    "ROLES",
    "Column",
    "ColumnMap",
    "MappingFile",
    "answer_table",
    "department_headers",
    "load_mapping",
    "map_columns",
    "mapping_yaml",
]

#: Roles a column can be given in a mapping file besides an item id.
ROLES = ("respondent_id", "department", "wave", "ignore")

#: Header spellings of the three required columns (matched via normalise_label).
REQUIRED_HEADERS = {
    "respondent_id": ("respondent_id", "respondent", "id", "respondentid", "responde", "responseid", "response id"),
    "department": ("department", "forvaltning", "afdeling", "administration"),
    "wave": ("wave", "år", "aar", "year", "bølge"),
}
_ROLE_BY_KEY = {normalise_label(name): role for role, names in REQUIRED_HEADERS.items() for name in names}
#: Question texts that ask for the department ("Hvilken forvaltning arbejder du i?").
_DEPARTMENT_QUESTIONS = ("hvilken forvaltning", "which department", "which administration", "forvaltning:")

#: A statement this close (rapidfuzz ratio, 0-100) to an item's text is a near miss, not a new question.
NEAR_MISS = 88.0


@dataclass(frozen=True)
class MappingFile:
    """A reviewed column mapping (``--mapping``): header -> role or item id, and answer codes.

    ``answers`` maps a header (or ``"*"``, every item column) to {code: answer}, where the answer
    is a level code, a level name, *Ved ikke*/*Ikke relevant*, or (for the department column) a
    department code or name.
    """

    path: str
    source: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    answers: dict[str, dict[str, str]] = field(default_factory=dict)

    def column_key(self, header: str) -> str | None:
        """Return the entry for a header, matching exactly first, then ignoring case and spaces."""
        if header in self.columns:
            return self.columns[header]
        key = " ".join(header.split()).casefold()
        for name, role in self.columns.items():
            if " ".join(name.split()).casefold() == key:
                return role
        return None


@dataclass
class Column:
    """One column of an export and what it was taken to be."""

    index: int
    header: str
    text: str
    role: str  # "item", "open", "respondent_id", "department", "wave", "system", "ignore", "unknown"
    item: str | None = None  # the item, barrier statement or open question the column holds
    how: str = ""  # "mapping file", "text", "id", "alias", "header", "tool", "answers", "--department-column"


@dataclass
class ColumnMap:
    """How each column of an export was read."""

    columns: list[Column]

    def role(self, role: str) -> int | None:
        """Return the position of the column with ``role``, or None."""
        found = [c.index for c in self.columns if c.role == role]
        return found[0] if found else None

    @property
    def items(self) -> dict[str, int]:
        """Return item id -> column position, for answers on a scale (maturity items and barrier statements)."""
        return {c.item: c.index for c in self.columns if c.role == "item" and c.item}

    @property
    def open(self) -> dict[str, int]:
        """Return open question id -> column position (free-text answers)."""
        return {c.item: c.index for c in self.columns if c.role == "open" and c.item}

    def unknown(self) -> list[Column]:
        """Return the columns that match nothing and were not declared ignored."""
        return [c for c in self.columns if c.role == "unknown"]


# -- the mapping file ----------------------------------------------------------------------------
def load_mapping(path: str | os.PathLike, codebook: Codebook) -> MappingFile:
    """Read and check a mapping file, or raise SurveyDataError naming the entry to fix."""
    label = os.fspath(path)
    p = Path(path)

    def fail(message: str) -> SurveyDataError:
        return SurveyDataError([Problem(label, None, None, message)])

    if not p.is_file():
        what = describe_path(p)
        raise fail(
            "expected a mapping file (YAML, as `briefing inspect --write-mapping` writes it), "
            f"found {'no file' if what == 'no file at this path' else what}."
        )
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"expected a readable mapping file, found an error ({exc.strerror or exc}).") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise fail(f"expected UTF-8 YAML, found a file that cannot be read as YAML ({clip(exc, 500)}).") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("columns", {}), dict):
        raise fail("expected a YAML mapping with a 'columns:' section (header: role or item id).")
    source = doc.get("source")
    if source is not None and str(source) not in SOURCES:
        raise fail(f"expected 'source:' to be one of {', '.join(SOURCES)}, found {quote(source)}.")
    columns: dict[str, str] = {}
    question_ids = [*codebook.item_ids, *codebook.barrier_ids, *codebook.open_ids]
    valid_items = set(question_ids)
    for header, role in (doc.get("columns") or {}).items():
        role_text = str(role).strip() if role is not None else ""
        if role_text not in ROLES and role_text not in valid_items:
            close = _closest(role_text, [*ROLES, *question_ids])
            hint = f" Did you mean {close!r}?" if close else ""
            raise fail(
                f"columns: {quote(header, 100)}: expected one of {', '.join(ROLES)} or a codebook item id, "
                f"found {quote(role_text or '(nothing)')}.{hint}"
            )
        columns[str(header)] = role_text
    answers: dict[str, dict[str, str]] = {}
    raw_answers = doc.get("answers") or {}
    if not isinstance(raw_answers, dict):
        raise fail("expected 'answers:' to map a header (or '*' for every item column) to code: answer pairs.")
    for header, table in raw_answers.items():
        if not isinstance(table, dict) or not table:
            raise fail(f"answers: {quote(header, 100)}: expected code: answer pairs, e.g. A1: 1, found {quote(table)}.")
        answers[str(header)] = {_code(k): str(v) for k, v in table.items()}
    return MappingFile(label, str(source) if source else None, columns, answers)


def _code(value: object) -> str:
    """Return a code from YAML as the text a file holds: 1 and 1.0 are "1"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _closest(text: str, choices: list[str]) -> str | None:
    from rapidfuzz import process

    found = process.extractOne(text, choices, score_cutoff=70)
    return found[0] if found else None


def mapping_yaml(export: Export, colmap: ColumnMap, codebook: Codebook, near: dict[int, tuple[str, float]]) -> str:
    """Return the mapping of an export as YAML a person can check and edit (``--write-mapping``)."""
    lines = [
        "# Column mapping for briefing validate/score/render --mapping THIS_FILE.",
        f"# Written by `briefing inspect` from {export.label} ({export.source}). Check it, edit it, keep it",
        "# with the data. Roles: respondent_id, department, wave, ignore, or a codebook item id.",
        "# Columns not listed are matched automatically. Lines starting with # are not read.",
        f"source: {export.source}",
        "columns:",
    ]
    for c in colmap.columns:
        role = {"item": c.item, "open": c.item, "system": "ignore", "unknown": "ignore"}.get(c.role, c.role)
        note = c.how
        if c.role in ("item", "open"):
            note = f"{c.how}: {shorten(codebook_text(codebook, c.item))}"
        elif c.role == "unknown":
            note = f"no codebook item: {shorten(c.text)}" if c.text else "no codebook item"
        if c.index in near:
            item, score = near[c.index]
            lines.append(
                f"  # {_yaml_key(c.header)}: {item}  # CHECK: close to {item} ({score:.0f} %), "
                "not the same text; remove the first # to accept"
            )
            continue
        lines.append(f"  {_yaml_key(c.header)}: {role}  # {note}" if note else f"  {_yaml_key(c.header)}: {role}")
    return "\n".join(lines) + "\n"


def codebook_text(codebook: Codebook, item_id: str | None) -> str:
    """Return the Danish statement of an item (or barrier statement, or open question), for notes."""
    return codebook.question_text(item_id)


def _role_of(question_id: str, codebook: Codebook) -> str:
    """Return a matched column's role: ``open`` for an open question (free text), else ``item``."""
    return "open" if codebook.kind_of(question_id) == "open" else "item"


def _yaml_key(header: str) -> str:
    """Return a header as a YAML key, quoted so that any text stays one key."""
    return yaml.safe_dump(header, allow_unicode=True, default_style='"', width=10_000).strip().removesuffix("...")


def answer_table(export: Export, mapping: MappingFile | None, j: int, *, items: bool = False) -> dict[str, str]:
    """Return how the codes of column ``j`` read: the export's labels, then the mapping file's ``answers:``.

    ``items`` adds the mapping's ``"*"`` table, which applies to every item column.
    """
    table = dict(export.labels.get(j, {}))
    if mapping is not None:
        if items:
            table.update(mapping.answers.get("*", {}))
        table.update(mapping.answers.get(export.header[j], {}))
    return table


# -- matching ---------------------------------------------------------------------------------------
def department_headers(departments: Departments) -> set[str]:
    """Return the known department headers: the defaults and the list's own ``headers``."""
    return {normalise_label(h) for h in (*REQUIRED_HEADERS["department"], *departments.headers)}


def _is_department_question(text: str, known: set[str]) -> bool:
    key = normalise_label(text)
    plain = " ".join(str(text).split()).casefold()
    return key in known or any(plain.startswith(q) for q in _DEPARTMENT_QUESTIONS)


def map_columns(
    export: Export,
    codebook: Codebook,
    departments: Departments,
    mapping: MappingFile | None,
    department_column: str | None,
    answer_text,
    log: FileProblems,
) -> tuple[ColumnMap, dict[int, tuple[str, float]]]:
    """Decide every column's role; record problems; return the map and the near misses.

    ``answer_text(j)`` returns the distinct non-blank values of column ``j`` as answers read
    (labels applied), used to find a department column by its values.
    """
    header = export.header
    known_dept = department_headers(departments)
    columns: list[Column] = []
    taken: dict[str, int] = {}  # role or item -> first column
    near: dict[int, tuple[str, float]] = {}
    header_row = 1
    text_row = export.text_row or header_row

    def claim(key: str, j: int, what: str) -> bool:
        if key in taken:
            first = taken[key]
            log.add(
                "header",
                header_row,
                header[j],
                f"expected one {what}, found two: {quote(header[first], 100)} (column {first + 1}) and {quote(header[j], 100)} "
                f"(column {j + 1}). Remove one, or say which to use in a mapping file (the other as 'ignore').",
                j,
            )
            return False
        taken[key] = j
        return True

    wanted_dept = normalise_text(department_column) if department_column else None
    if mapping is not None and mapping.columns:
        listed = {" ".join(h.split()).casefold() for h in header}
        absent = [h for h in mapping.columns if " ".join(h.split()).casefold() not in listed]
        if absent and len(absent) == len(mapping.columns):
            log.add(
                "header",
                header_row,
                None,
                f"expected the columns the mapping file {mapping.path} names, found none of them "
                f"(e.g. {quote(absent[0], 100)}). Is it the mapping for this export?",
            )
    for j, h in enumerate(header):
        text = export.texts[j] if j < len(export.texts) else ""
        col = Column(j, h, text, "unknown")
        columns.append(col)
        blank_header = h.strip() == "" and not text
        entry = mapping.column_key(h) if mapping is not None and h.strip() else None
        if entry is not None:
            col.how = "mapping file"
            if entry == "ignore":
                col.role = "ignore"
            elif entry in ROLES:
                if claim(entry, j, f"{entry} column"):
                    col.role = entry
            elif claim(entry, j, f"column for item {entry!r}"):
                col.role, col.item = _role_of(entry, codebook), entry
            continue
        if wanted_dept is not None and wanted_dept in {normalise_text(h), normalise_text(text)}:
            if claim("department", j, "department column"):
                col.role, col.how = "department", "--department-column"
            continue
        if blank_header:
            continue  # unknown: a warning when it holds data, nothing when it is empty
        if j == export.id_column:
            if claim("respondent_id", j, "respondent id column"):
                col.role, col.how = "respondent_id", f"{export.source} id"
            continue
        role = _ROLE_BY_KEY.get(normalise_label(h))
        if role == "department" and wanted_dept is not None:
            role = None
        if role is not None and not (role == "respondent_id" and export.id_column is not None):
            if claim(role, j, f"{role} column"):
                col.role, col.how = role, "header"
            continue
        if j in export.system:
            col.role, col.how = "system", f"{export.source} column"
            continue
        item, how = _match_item(h, text, codebook)
        if item is not None:
            if claim(item, j, f"column for item {item!r}"):
                col.role, col.item, col.how = _role_of(item, codebook), item, how
            continue
        if wanted_dept is None and "department" not in taken and _is_department_question(text or h, known_dept):
            if claim("department", j, "department column"):
                col.role, col.how = "department", "question text"
            continue
        close = _near_miss(text or h, codebook)
        if close is not None:
            near[j] = close
            item_id, score = close
            where = text_row if export.texts[j] else header_row
            log.add(
                "header",
                where,
                h,
                f"expected a statement that matches a codebook item, found {shorten(statement_of(text or h), 90)!r}, "
                f"which is close to item {item_id!r} ({shorten(codebook_text(codebook, item_id), 90)!r}) but not "
                f"the same ({score:.0f} % alike). If it is that question, accept it: add the text to the item's "
                f"aliases in data/codebook.yaml, or write `{_yaml_key(h)}: {item_id}` under columns: in a "
                "mapping file (--mapping).",
                j,
            )
    if wanted_dept is not None and "department" not in taken:
        log.add(
            "header",
            header_row,
            None,
            f"expected the department column named with --department-column ({quote(department_column)}), found no "
            f"column with that header or question text. The headers are {quote_headers(header)}.",
        )
    if "department" not in taken:
        _department_by_values(columns, departments, answer_text, taken)
    return ColumnMap(columns), near


def statement_of(text: str) -> str:
    """Return the statement part of a column's text, for messages."""
    candidates = statement_candidates(text)
    return candidates[1] if len(candidates) > 1 else text


def _match_item(header: str, text: str, codebook: Codebook) -> tuple[str | None, str]:
    """Return the item a column stands for and how it was matched, or (None, "")."""
    if text:
        # The tool's question text decides; its tags (Q2_1, s_12) are the tool's own names.
        for candidate in statement_candidates(text):
            item = codebook.match_text(candidate)
            if item is not None:
                return item, "text"
        return None, ""
    item = codebook.match_column(header)
    if item is not None:
        return item, "id" if header.strip().casefold() == item else "alias"
    for candidate in statement_candidates(header):
        item = codebook.match_text(candidate)
        if item is not None:
            return item, "text"
    return None, ""


def _near_miss(text: str, codebook: Codebook) -> tuple[str, float] | None:
    """Return the item whose statement ``text`` nearly is (a typo apart), with the likeness, or None."""
    from rapidfuzz import fuzz, process

    choices = codebook.text_choices()
    keys = list(choices)
    best: tuple[str, float] | None = None
    for candidate in statement_candidates(text):
        key = normalise_text(candidate)
        if len(key) < 20:  # short headers (Q3, kvantum) are names, not statements
            continue
        found = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=NEAR_MISS)
        if found and (best is None or found[1] > best[1]):
            best = (choices[found[0]], float(found[1]))
    return best


def _department_by_values(columns: list[Column], departments: Departments, answer_text, taken: dict) -> None:
    """Give the department role to the one unmatched column whose values are all departments."""
    found = []
    for c in columns:
        if c.role not in ("unknown",):
            continue
        values = answer_text(c.index)
        if values and all(departments.resolve(v) is not None for v in values):
            found.append(c)
    if len(found) == 1:
        found[0].role, found[0].how = "department", "values"
        taken["department"] = found[0].index


def distinct_values(column: np.ndarray) -> list[str]:
    """Return the distinct non-blank cells of a column, in first-seen order."""
    seen = dict.fromkeys(str(v).strip() for v in column)
    return [v for v in seen if v]
