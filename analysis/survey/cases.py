"""The case register: documented innovation and partnership work, per survey wave (``data/cases.yaml``).

The file is kept by hand and extended each year: a list of ``kinds`` (id and Danish and English
name), optional ``statuses`` (Danish and English names of the four statuses) and a list of
``cases``, each with its department, kind, titles, partners, start year, status (per wave where it
changed), value, participating municipalities, source and the survey wave it was registered in.
The register of wave W is the cases registered in W or before and not withdrawn by W.

:func:`load_register` reads and checks the file, collecting every problem into one
:class:`~analysis.exceptions.CasesError`; :func:`load_cases` gives the cases of the register's
latest wave, as the briefing's case list shows them. The statistics on the register are in
:mod:`analysis.stats.cases`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import config
from ..exceptions import CasesError
from .codebook import Departments, load_departments
from .problems import clip, describe_path, quote

__all__ = ["ACTIVE_STATUSES", "STATUSES", "Case", "CaseKind", "CaseRegister", "load_cases", "load_register"]

#: The statuses a case can have, from first thought to a solution in daily use.
STATUSES = ("idea", "running", "ended", "in_operation")
#: The statuses that count as work going on: being done, or its result in use.
ACTIVE_STATUSES = ("running", "in_operation")
#: The earliest start year accepted: earlier is taken for a typing error (``19`` for ``2019``).
FIRST_START_YEAR = 1950

_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_REQUIRED = ("id", "department", "kind", "title_da", "title_en", "status", "source", "registered")
_OPTIONAL = ("text_da", "text_en", "partners", "start_year", "value_kr", "municipalities", "withdrawn")
_TOP_LEVEL = ("kinds", "statuses", "cases")


@dataclass(frozen=True)
class CaseKind:
    """A kind of innovation work, e.g. an innovative tender."""

    id: str
    name_da: str = ""
    name_en: str = ""

    def name(self, lang: str = "da") -> str:
        """Return the kind's name in ``lang``."""
        return self.name_en if lang == "en" else self.name_da


@dataclass(frozen=True)
class Case:
    """One documented case of innovation or partnership work in procurement.

    ``status`` holds ``(from wave, status)`` pairs, oldest first: the status of a wave is that of
    the latest pair at or before it (see :meth:`status_in`). Unknown facts are ``None`` or empty.
    """

    kind: CaseKind
    department: str = ""
    title_da: str = ""
    title_en: str = ""
    text_da: str = ""
    text_en: str = ""
    id: str = ""
    partners: tuple[str, ...] = ()
    start_year: int | None = None
    status: tuple[tuple[int, str], ...] = ()
    value_kr: float | None = None
    municipalities: int | None = None
    source: str = ""
    registered: int | None = None
    withdrawn: int | None = None

    def title(self, lang: str = "da") -> str:
        """Return the title in ``lang``."""
        return self.title_en if lang == "en" else self.title_da

    def text(self, lang: str = "da") -> str:
        """Return the text in ``lang``."""
        return self.text_en if lang == "en" else self.text_da

    def in_register(self, wave: int) -> bool:
        """Return whether the case belongs to the register of ``wave`` (registered, not yet withdrawn)."""
        if self.registered is None or self.registered > wave:
            return False
        return self.withdrawn is None or wave < self.withdrawn

    def status_in(self, wave: int) -> str | None:
        """Return the case's status in ``wave``: the latest status given for that wave or before.

        Examples
        --------
        >>> case = Case(CaseKind("opi"), status=((2024, "running"), (2026, "in_operation")))
        >>> case.status_in(2025), case.status_in(2026), case.status_in(2023)
        ('running', 'in_operation', None)
        """
        current = None
        for since, status in self.status:
            if since <= wave:
                current = status
        return current


@dataclass(frozen=True)
class CaseRegister:
    """The case register: kinds and cases in file order, and the department codes they may use."""

    kinds: tuple[CaseKind, ...]
    cases: tuple[Case, ...]
    departments: tuple[str, ...]
    source: str = ""
    #: Danish and English names of the statuses, as the file gives them (``statuses:``).
    status_names: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)

    @property
    def waves(self) -> list[int]:
        """Return the waves in which the register changed (a case registered or withdrawn), oldest first."""
        found = {c.registered for c in self.cases} | {c.withdrawn for c in self.cases}
        return sorted(w for w in found if w is not None)

    @property
    def first_wave(self) -> int | None:
        """Return the first wave with a registered case, or None for an empty register."""
        registered = [c.registered for c in self.cases if c.registered is not None]
        return min(registered) if registered else None

    @property
    def latest_wave(self) -> int | None:
        """Return the latest wave in which the register changed, or None for an empty register."""
        return self.waves[-1] if self.waves else None

    def cases_in(self, wave: int) -> list[Case]:
        """Return the register of ``wave``: the cases registered by then and not withdrawn, in file order.

        Examples
        --------
        >>> register = load_register()
        >>> [c.id for c in register.cases_in(register.latest_wave) if c.department == "SUF"]
        ['suf_circadian_lamps']
        """
        return [c for c in self.cases if c.in_register(wave)]

    def kind(self, kind_id: str) -> CaseKind:
        """Return the kind with id ``kind_id``; KeyError when the register has none."""
        for k in self.kinds:
            if k.id == kind_id:
                return k
        raise KeyError(kind_id)

    def status_name(self, status: str, lang: str = "da") -> str:
        """Return the name of ``status`` in ``lang`` as the file gives it, else the status id."""
        da, en = self.status_names.get(status, (status, status))
        return en if lang == "en" else da


def load_cases(path: str | Path | None = None) -> list[Case]:
    """Return the cases of the register's latest wave in ``data/cases.yaml`` (or ``path``), in file order.

    A missing file, or one without cases, gives an empty list: the briefing then shows no
    examples. A malformed file raises :class:`~analysis.exceptions.CasesError` (see
    :func:`load_register`).

    Examples
    --------
    >>> cases = load_cases()
    >>> cases[0].department, cases[0].kind.name("en")
    ('BUF', 'Innovative tender')
    """
    path = Path(path) if path is not None else config.CASES_PATH
    if not path.exists():
        return []
    register = load_register(path)
    return register.cases_in(register.latest_wave) if register.latest_wave is not None else []


def load_register(
    path: str | Path | None = None, departments: Departments | Iterable[str] | None = None
) -> CaseRegister:
    """Read and check the case register (``data/cases.yaml`` by default).

    Parameters
    ----------
    path : str or Path, optional
        The register file.
    departments : Departments or iterable of str, optional
        The department list whose codes cases may use; ``data/departments.yaml`` by default.

    Returns
    -------
    CaseRegister
        An empty file gives an empty register.

    Raises
    ------
    CasesError
        Listing every problem of the file, each naming the line, the entry (index and id or
        title), the field, what was expected and found, and how to fix it: a missing or unknown
        department, an unknown kind or status, a bad year or wave, a repeated id, a value that is
        not a number, an unknown field. A file that is missing or not YAML gives one problem.

    Examples
    --------
    >>> register = load_register()
    >>> sorted(k.id for k in register.kinds)
    ['opi', 'opp', 'partnership', 'tender', 'unit']
    """
    path = Path(path) if path is not None else config.CASES_PATH
    src = str(path)
    text = _read_text(path)
    try:
        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        lines = _entry_lines(text)
    except yaml.YAMLError as exc:
        raise CasesError(src, [f"{src}: not valid YAML ({clip(exc, 500)}). Fix the line it names."]) from None
    if departments is None:
        departments = load_departments()
    codes = tuple(departments.codes if isinstance(departments, Departments) else departments)
    if doc is None:
        return CaseRegister((), (), codes, src)
    if not isinstance(doc, dict):
        raise CasesError(
            src, [f"{src}: expected a mapping with 'kinds' and 'cases' at the top, found {type(doc).__name__}."]
        )
    problems: list[str] = []
    for key in doc:
        if key not in _TOP_LEVEL:
            problems.append(
                f"{src}: unknown top-level key {quote(key, 50)}; expected {', '.join(_TOP_LEVEL)}. "
                "Remove it or correct its spelling."
            )
    kinds = _read_kinds(doc.get("kinds"), src, lines.get("kinds", []), problems)
    status_names = _read_statuses(doc.get("statuses"), src, lines.get("statuses", []), problems)
    cases_raw = doc.get("cases")
    if cases_raw is None:
        cases_raw = []
    if not isinstance(cases_raw, list):
        problems.append(
            f"{src}: 'cases' should be a list of cases (each starting with '- id:'), found {_show(cases_raw)}."
        )
        cases_raw = []
    reader = _CaseReader(src, {k.id: k for k in kinds}, codes, departments, lines.get("cases", []), problems)
    cases = [case for k, raw in enumerate(cases_raw) if (case := reader.read(k, raw)) is not None]
    if problems:
        raise CasesError(src, problems)
    return CaseRegister(tuple(kinds), tuple(cases), codes, src, status_names)


# ------------------------------------------------------------------------------------------
def _read_text(path: Path) -> str:
    """Return the file's text, or raise CasesError saying why it cannot be read."""
    src = str(path)
    if not path.is_file():
        what = describe_path(path)
        found = "file not found" if what == "no file at this path" else f"expected a YAML file, found {what}"
        raise CasesError(src, [f"{src}: {found}."])
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CasesError(src, [f"{src}: cannot be read ({exc.strerror or exc})."]) from None
    except UnicodeDecodeError:
        raise CasesError(src, [f"{src}: not UTF-8 text. Save it as UTF-8."]) from None


def _entry_lines(text: str) -> dict[str, list[tuple[int, dict[str, int]]]]:
    """Return, per top-level list, each entry's line and its fields' lines (1-based), for messages."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    out: dict[str, list[tuple[int, dict[str, int]]]] = {}
    if not isinstance(root, yaml.MappingNode):
        return out
    for key, value in root.value:
        if not isinstance(value, yaml.SequenceNode):
            continue
        entries = []
        for node in value.value:
            fields = {}
            if isinstance(node, yaml.MappingNode):
                fields = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
            entries.append((node.start_mark.line + 1, fields))
        out[str(key.value)] = entries
    return out


def _line(lines: list[tuple[int, dict[str, int]]], index: int, key: str | None = None) -> str:
    """Return ``":<line>"`` of an entry (or one of its fields) when known, else the empty string."""
    if index >= len(lines):
        return ""
    start, fields = lines[index]
    return f":{fields.get(key, start) if key else start}"


def _show(value: Any, limit: int = 80) -> str:
    """Return a value from the file for a message: text quoted, anything else as YAML would show it."""
    return quote(value, limit) if isinstance(value, str) else clip(repr(value), limit)


def _is_text(value: Any) -> bool:
    """Return whether ``value`` is non-blank text."""
    return isinstance(value, str) and value.strip() != ""


def _is_int(value: Any) -> bool:
    """Return whether ``value`` is a whole number written as one (``2019``, not ``"2019"`` or ``true``)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _read_kinds(raw: Any, src: str, lines: list, problems: list[str]) -> list[CaseKind]:
    """Return the kinds listed under ``kinds``, recording each malformed entry in ``problems``."""
    if not isinstance(raw, list) or not raw:
        problems.append(
            f"{src}: 'kinds' should list the kinds of work, each with id, name_da and name_en, found "
            f"{_show(raw)}. Add them at the top of the file."
        )
        return []
    kinds: list[CaseKind] = []
    for k, entry in enumerate(raw):
        where = f"{src}{_line(lines, k)}: kinds[{k}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected id, name_da and name_en, found {_show(entry)}.")
            continue
        id_ = entry.get("id")
        if not _is_text(id_) or not _ID_PATTERN.match(id_):
            problems.append(f"{where}: 'id' should be snake_case (a-z, 0-9, _), found {_show(id_)}.")
            continue
        if id_ in (kind.id for kind in kinds):
            problems.append(f"{where}: kind id {id_!r} is listed twice. Remove one.")
            continue
        names = []
        for key in ("name_da", "name_en"):
            if not _is_text(entry.get(key)):
                problems.append(f"{where} (id {id_!r}): '{key}' is missing. Add the kind's name.")
            names.append(str(entry.get(key) or ""))
        kinds.append(CaseKind(id_, *names))
    return kinds


def _read_statuses(raw: Any, src: str, lines: list, problems: list[str]) -> dict[str, tuple[str, str]]:
    """Return the Danish and English names of the statuses listed under ``statuses`` (optional)."""
    if raw is None:
        return {}
    if not isinstance(raw, list):
        problems.append(f"{src}: 'statuses' should be a list of id, name_da and name_en, found {_show(raw)}.")
        return {}
    names: dict[str, tuple[str, str]] = {}
    for k, entry in enumerate(raw):
        where = f"{src}{_line(lines, k)}: statuses[{k}]"
        id_ = entry.get("id") if isinstance(entry, dict) else None
        if id_ not in STATUSES:
            problems.append(
                f"{where}: 'id' is {_show(id_)}; expected one of {', '.join(STATUSES)}. The statuses are fixed: "
                "only their names can be changed."
            )
            continue
        names[id_] = (str(entry.get("name_da") or id_), str(entry.get("name_en") or id_))
    return names


class _CaseReader:
    """Read the entries under ``cases`` one by one, recording every problem found."""

    def __init__(
        self,
        src: str,
        kinds: dict[str, CaseKind],
        codes: tuple[str, ...],
        departments: Departments | Iterable[str],
        lines: list,
        problems: list[str],
    ):
        self.src, self.kinds, self.codes, self.lines, self.problems = src, kinds, codes, lines, problems
        self.departments = departments if isinstance(departments, Departments) else None
        self.seen: dict[str, str] = {}
        self.first_wave, self.last_wave = config.wave_range()

    def read(self, k: int, raw: Any) -> Case | None:
        """Return entry ``k`` as a Case, or None after recording its problems."""
        name = ""
        if isinstance(raw, dict):
            if _is_text(raw.get("id")):
                name = f" (id {_show(raw['id'])})"
            elif _is_text(raw.get("title_da")) or _is_text(raw.get("title_en")):
                name = f" (title {quote(raw.get('title_da') or raw.get('title_en'), 80)})"
        found: list[tuple[int, str]] = []

        def problem(key: str | None, message: str) -> None:
            line = _line(self.lines, k, key)
            found.append((int(line[1:]) if line else 0, f"{self.src}{line}: cases[{k}]{name}: {message}"))

        if not isinstance(raw, dict):
            problem(None, f"expected a case with the fields {', '.join(_REQUIRED)}, found {_show(raw)}.")
            self.problems.extend(message for _, message in found)
            return None
        for key in raw:
            if key not in _REQUIRED + _OPTIONAL:
                problem(
                    key,
                    f"unknown field {quote(key, 50)}; the fields are {', '.join(_REQUIRED + _OPTIONAL)}. "
                    "Correct its spelling or remove it.",
                )
        for key in _REQUIRED:
            if raw.get(key) is None or (isinstance(raw.get(key), str) and not raw[key].strip()):
                problem(None, f"'{key}' is missing. {self._hint(key)}")

        id_ = raw.get("id")
        if id_ is not None and id_ != "":
            if not isinstance(id_, str) or not _ID_PATTERN.match(id_):
                problem("id", f"'id' is {_show(id_)}; expected snake_case (a-z, 0-9, _), e.g. tmf_bike_parking.")
            elif id_ in self.seen:
                problem(
                    "id", f"id {id_!r} is also used by {self.seen[id_]}. Ids must be unique: give this case its own."
                )
            else:
                line = _line(self.lines, k)
                self.seen[id_] = f"cases[{k}]" + (f" (line {line[1:]})" if line else "")

        department = raw.get("department")
        if department is not None and department != "" and department not in self.codes:
            code = self.departments.resolve(department) if self.departments is not None else None
            fix = f"Write its code: department: {code}." if code else "Use one of these codes."
            problem(
                "department",
                f"'department' is {_show(department)}; expected a department code of data/departments.yaml "
                f"({', '.join(self.codes)}). {fix}",
            )
        kind = raw.get("kind")
        if kind is not None and kind != "" and (not isinstance(kind, str) or kind not in self.kinds):
            problem(
                "kind",
                f"'kind' is {_show(kind)}; expected one of the ids under 'kinds' ({', '.join(self.kinds)}). "
                f"Use one of them, or add {_show(kind)} under 'kinds' with name_da and name_en.",
            )
        for key in ("title_da", "title_en", "source", "text_da", "text_en"):
            if raw.get(key) is not None and not isinstance(raw[key], str):
                problem(key, f"'{key}' should be text, found {quote(raw[key], 80)}. Put it in quotes.")
        partners = raw.get("partners")
        if partners is None:
            partners = []
        if not isinstance(partners, list) or not all(_is_text(p) for p in partners):
            problem(
                "partners",
                f"'partners' should be a list of names, e.g. [HOFOR, Aarhus Kommune], found {_show(partners, 120)}.",
            )
            partners = []

        registered = raw.get("registered")
        if registered is not None and not self._wave_ok(registered):
            problem("registered", self._wave_message("registered", registered))
            registered = None
        withdrawn = raw.get("withdrawn")
        if withdrawn is not None:
            if not self._wave_ok(withdrawn):
                problem("withdrawn", self._wave_message("withdrawn", withdrawn))
            elif registered is not None and withdrawn <= registered:
                problem(
                    "withdrawn",
                    f"'withdrawn' is {withdrawn}, not after 'registered' ({registered}); expected a later wave. "
                    "Correct one of them, or delete the case if it never belonged in the register.",
                )
        start_year = raw.get("start_year")
        if start_year is not None and not (_is_int(start_year) and FIRST_START_YEAR <= start_year <= self.last_wave):
            problem(
                "start_year",
                f"'start_year' is {_show(start_year)}; expected a year from {FIRST_START_YEAR} to {self.last_wave} "
                "as a whole number, e.g. 2019. Leave it out when the source does not say.",
            )
        value_kr = raw.get("value_kr")
        if value_kr is not None and not (isinstance(value_kr, (int, float)) and not isinstance(value_kr, bool)):
            problem(
                "value_kr",
                f"'value_kr' is {_show(value_kr)}; expected a number of kroner, e.g. 150000000 for 150 mio. kr. "
                "Leave it out when the source does not say.",
            )
        elif value_kr is not None and not value_kr >= 0:
            problem("value_kr", f"'value_kr' is {value_kr}; expected zero or more kroner.")
        municipalities = raw.get("municipalities")
        if municipalities is not None and not (_is_int(municipalities) and municipalities >= 1):
            problem(
                "municipalities",
                f"'municipalities' is {_show(municipalities)}; expected the number of participating "
                "municipalities as a whole number, e.g. 8. Leave it out when the source does not say.",
            )
        status = self._status(raw.get("status"), registered, lambda m: problem("status", m))

        if found:
            # In the order of the file's lines, so the list reads top to bottom like the entry.
            self.problems.extend(message for _, message in sorted(found, key=lambda f: f[0]))
            return None
        return Case(
            kind=self.kinds[kind],
            department=department,
            title_da=raw["title_da"],
            title_en=raw["title_en"],
            text_da=raw.get("text_da") or "",
            text_en=raw.get("text_en") or "",
            id=id_,
            partners=tuple(p.strip() for p in partners),
            start_year=start_year,
            status=status,
            value_kr=value_kr,
            municipalities=municipalities,
            source=raw["source"],
            registered=registered,
            withdrawn=withdrawn,
        )

    def _status(self, raw: Any, registered: int | None, problem) -> tuple[tuple[int, str], ...]:
        """Return a status, or a mapping wave -> status, as ``(from wave, status)`` pairs."""
        allowed = ", ".join(STATUSES)
        if raw is None or raw == "":
            return ()
        if isinstance(raw, str):
            if raw not in STATUSES:
                problem(f"'status' is {_show(raw)}; expected one of {allowed}, or per wave, e.g. {{2025: running}}.")
                return ()
            return ((registered if registered is not None else self.first_wave, raw),)
        if not isinstance(raw, dict) or not raw:
            problem(f"'status' is {_show(raw)}; expected one of {allowed}, or per wave, e.g. {{2025: running}}.")
            return ()
        pairs = []
        for wave, status in raw.items():
            if not self._wave_ok(wave):
                problem(f"'status' has the wave {_show(wave)}; {self._wave_expected()}.")
            elif status not in STATUSES:
                problem(f"'status' in {wave} is {_show(status)}; expected one of {allowed}.")
            else:
                pairs.append((wave, status))
        pairs.sort()
        if pairs and registered is not None and pairs[0][0] > registered:
            problem(
                f"'status' starts in {pairs[0][0]}, after the case was registered ({registered}); expected a "
                f"status for {registered} too. Add {registered}: <status> to the mapping."
            )
        return tuple(pairs)

    def _wave_ok(self, wave: Any) -> bool:
        return _is_int(wave) and self.first_wave <= wave <= self.last_wave

    def _wave_expected(self) -> str:
        return f"expected a survey year from {self.first_wave} to {self.last_wave} as a whole number, e.g. 2025"

    def _wave_message(self, key: str, value: Any) -> str:
        return f"'{key}' is {_show(value)}; {self._wave_expected()}."

    def _hint(self, key: str) -> str:
        """Return how to fill in a missing required field."""
        return {
            "id": "Add a stable snake_case id, e.g. id: tmf_bike_parking.",
            "department": f"Add the department's code, one of {', '.join(self.codes)}.",
            "kind": f"Add one of the ids under 'kinds': {', '.join(self.kinds)}.",
            "title_da": "Add a short Danish title.",
            "title_en": "Add a short English title.",
            "status": f"Add one of {', '.join(STATUSES)}, or a status per wave, e.g. {{2025: running}}.",
            "source": "Add where the facts come from, e.g. the orientering to Økonomiudvalget.",
            "registered": "Add the survey wave in which the case entered the register, e.g. 2025.",
        }[key]
