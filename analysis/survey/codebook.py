"""The questionnaire and the department list, read from ``data/`` and checked on load."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .. import config
from ..exceptions import CodebookError
from .problems import clip, describe_path

_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_LEVEL_CODES = (1, 2, 3, 4, 5)


def normalise_label(text: object) -> str:
    """Return a key for matching headers, names and answers regardless of case and spacing.

    Examples
    --------
    >>> normalise_label("  Børne- og Ungdomsforvaltningen ")
    'børneogungdomsforvaltningen'
    >>> normalise_label("Ved  ikke") == normalise_label("ved ikke")
    True
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return re.sub(r"[\s\-\u00ad_.]+", "", text)


def normalise_text(text: object) -> str:
    """Return a key for matching question texts: case and runs of whitespace ignored.

    Unlike :func:`normalise_label`, dashes, dots and underscores count, so two different
    statements never share a key; a final full stop does not count, as tools often drop it.

    Examples
    --------
    >>> normalise_text("  Vi bruger  Kvantum\u00a0Indkøb. ")
    'vi bruger kvantum indkøb'
    """
    text = " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())
    return text.rstrip(". ")


def normalise_id(text: object) -> str:
    """Return a key for matching column ids and aliases: case and whitespace ignored, ``_`` kept.

    ``Q11`` (a tool's question 11) and ``Q1_1`` (its first sub-question) must stay apart.

    Examples
    --------
    >>> normalise_id(" ORG_DATA_1 "), normalise_id("Q11") == normalise_id("Q1_1")
    ('org_data_1', False)
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)).casefold())


@dataclass(frozen=True)
class Item:
    """One question of the survey."""

    id: str
    text_da: str
    text_en: str
    reverse: bool
    focus_area: str
    value: str
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class FocusArea:
    """A focus area (indsatsområde) of a policy value, with its items."""

    id: str
    name_da: str
    name_en: str
    value: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Value:
    """One of the procurement policy's five values (indkøbsværdier)."""

    id: str
    name_da: str
    name_en: str
    focus_areas: tuple[FocusArea, ...]
    short_da: str = ""
    short_en: str = ""

    def name(self, lang: str = "da") -> str:
        """Return the value's name in ``lang`` ("da" or "en")."""
        return self.name_en if lang == "en" else self.name_da

    def short(self, lang: str = "da") -> str:
        """Return the value's short name for table headers (its full name when none is set)."""
        return (self.short_en if lang == "en" else self.short_da) or self.name(lang)


@dataclass(frozen=True)
class AnswerScale:
    """An answer scale of its own (the barrier instrument's agreement scale): five levels and *Ved ikke*.

    ``not_applicable`` is None when the scale has no such answer.
    """

    levels: dict[int, tuple[str, str]]
    dont_know: int
    not_applicable: int | None = None
    _answer_lookup: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def codes(self) -> set[int]:
        """Return every answer code the scale knows."""
        extra = {self.dont_know} if self.not_applicable is None else {self.dont_know, self.not_applicable}
        return {*self.levels, *extra}

    def level_name(self, level: int, lang: str = "da") -> str:
        """Return the name of answer ``level`` (1-5) in ``lang``."""
        da, en = self.levels[int(level)]
        return en if lang == "en" else da

    def parse_answer(self, raw: object) -> int | None:
        """Return the answer code of a raw cell, ``None`` for blank; raise ValueError otherwise.

        Examples
        --------
        >>> scale = load_codebook().barriers.scale
        >>> [scale.parse_answer(x) for x in ["4", "I meget høj grad", "slet ikke", "Ved ikke", ""]]
        [4, 5, 1, 8, None]
        """
        return _parse(raw, self.codes, self._answer_lookup)

    def accepted_answers(self) -> str:
        """Return a short description of the accepted answers, for error messages."""
        names = ", ".join(f"'{da}'" for da, _ in self.levels.values())
        na = "" if self.not_applicable is None else f", 'Ikke relevant' ({self.not_applicable})"
        return f"1-5 or an answer in Danish or English ({names}), 'Ved ikke' ({self.dont_know}){na} or blank"


@dataclass(frozen=True)
class BarrierItem:
    """One statement of the barrier instrument: a ``barrier`` or an ``enabler`` of innovation work."""

    id: str
    kind: str
    text_da: str
    text_en: str
    short_da: str = ""
    short_en: str = ""
    aliases: tuple[str, ...] = ()

    def text(self, lang: str = "da") -> str:
        """Return the statement in ``lang``."""
        return self.text_en if lang == "en" else self.text_da

    def short(self, lang: str = "da") -> str:
        """Return the short name for charts and tables (the statement when none is set)."""
        return (self.short_en if lang == "en" else self.short_da) or self.text(lang)


@dataclass(frozen=True)
class Barriers:
    """The barriers and enablers of innovation and partnerships: an instrument of its own, not a maturity value."""

    name_da: str
    name_en: str
    scale: AnswerScale
    items: tuple[BarrierItem, ...]

    @property
    def item_ids(self) -> list[str]:
        """Return the statement ids in codebook order."""
        return [it.id for it in self.items]

    def item(self, item_id: str) -> BarrierItem:
        """Return the statement with id ``item_id``."""
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def name(self, lang: str = "da") -> str:
        """Return the instrument's name in ``lang``."""
        return self.name_en if lang == "en" else self.name_da


@dataclass(frozen=True)
class Theme:
    """A theme of an open question, found in answers by its keywords."""

    id: str
    name_da: str
    name_en: str
    keywords: tuple[str, ...]

    def name(self, lang: str = "da") -> str:
        """Return the theme's name in ``lang``."""
        return self.name_en if lang == "en" else self.name_da


@dataclass(frozen=True)
class OpenQuestion:
    """An open question (free text) of an instrument, with the themes its answers are coded into."""

    id: str
    instrument: str
    text_da: str
    text_en: str
    themes: tuple[Theme, ...]
    aliases: tuple[str, ...] = ()

    def text(self, lang: str = "da") -> str:
        """Return the question in ``lang``."""
        return self.text_en if lang == "en" else self.text_da

    def keywords(self) -> dict[str, tuple[str, ...]]:
        """Return theme id -> keywords, in the codebook's order."""
        return {t.id: t.keywords for t in self.themes}


#: The instruments an open question can belong to.
INSTRUMENTS = ("maturity", "barriers")
#: The kinds of statement of the barrier instrument.
BARRIER_KINDS = ("barrier", "enabler")


@dataclass(frozen=True)
class Codebook:
    """The questionnaire: scale, values, focus areas and items, in codebook order."""

    version: str
    title_da: str
    title_en: str
    levels: dict[int, tuple[str, str]]
    dont_know: int
    not_applicable: int
    values: tuple[Value, ...]
    source: str = "codebook"
    #: The barrier instrument (``barriers:`` in the file), or None when the codebook has none.
    barriers: Barriers | None = None
    #: The open questions (``open_questions:``), in the file's order.
    open_questions: tuple[OpenQuestion, ...] = ()
    #: What changed between codebook versions (``changelog:``), newest first, as written.
    changelog: tuple[dict, ...] = ()
    _answer_lookup: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    _column_lookup: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _text_lookup: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    # -- navigation -------------------------------------------------------------------------
    @cached_property
    def focus_areas(self) -> tuple[FocusArea, ...]:
        """Return every focus area, in codebook order."""
        return tuple(fa for v in self.values for fa in v.focus_areas)

    @cached_property
    def items(self) -> tuple[Item, ...]:
        """Return every item, in codebook order."""
        return tuple(it for fa in self.focus_areas for it in fa.items)

    @cached_property
    def item_ids(self) -> list[str]:
        """Return the item ids in codebook order."""
        return [it.id for it in self.items]

    @property
    def barrier_ids(self) -> list[str]:
        """Return the ids of the barrier instrument's statements (empty without one)."""
        return self.barriers.item_ids if self.barriers is not None else []

    @property
    def open_ids(self) -> list[str]:
        """Return the ids of the open questions."""
        return [q.id for q in self.open_questions]

    def open_question(self, question_id: str) -> OpenQuestion:
        """Return the open question with id ``question_id``."""
        for q in self.open_questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def kind_of(self, column_id: str) -> str:
        """Return what a matched column id is: ``"item"`` (maturity), ``"barrier"`` or ``"open"``.

        Examples
        --------
        >>> cb = load_codebook()
        >>> cb.kind_of(cb.item_ids[0]), cb.kind_of(cb.barrier_ids[0]), cb.kind_of(cb.open_ids[0])
        ('item', 'barrier', 'open')
        """
        if column_id in self.barrier_ids:
            return "barrier"
        if column_id in self.open_ids:
            return "open"
        return "item"

    def question_text(self, column_id: str | None, lang: str = "da") -> str:
        """Return the statement or question of any column id (item, barrier or open question), or ''."""
        for it in self.items:
            if it.id == column_id:
                return it.text_en if lang == "en" else it.text_da
        if self.barriers is not None and column_id in self.barrier_ids:
            return self.barriers.item(column_id).text(lang)
        if column_id in self.open_ids:
            return self.open_question(column_id).text(lang)
        return ""

    @property
    def value_ids(self) -> list[str]:
        """Return the value ids in codebook order."""
        return [v.id for v in self.values]

    def value(self, value_id: str) -> Value:
        """Return the value with id ``value_id``."""
        for v in self.values:
            if v.id == value_id:
                return v
        raise KeyError(value_id)

    def value_name(self, value_id: str, lang: str = "da") -> str:
        """Return the name of value ``value_id`` in ``lang``."""
        return self.value(value_id).name(lang)

    def focus_area_name(self, focus_area_id: str, lang: str = "da") -> str:
        """Return the name of focus area ``focus_area_id`` in ``lang``."""
        for fa in self.focus_areas:
            if fa.id == focus_area_id:
                return fa.name_en if lang == "en" else fa.name_da
        raise KeyError(focus_area_id)

    def level_name(self, level: int, lang: str = "da") -> str:
        """Return the name of maturity level ``level`` (1-5) in ``lang``."""
        da, en = self.levels[int(level)]
        return en if lang == "en" else da

    def structure(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return index arrays mapping item -> focus area, focus area -> value, and reverse flags.

        Positions follow :attr:`items`, :attr:`focus_areas` and :attr:`values`.
        """
        fa_index = {fa.id: k for k, fa in enumerate(self.focus_areas)}
        value_index = {v.id: k for k, v in enumerate(self.values)}
        item_fa = np.array([fa_index[it.focus_area] for it in self.items], dtype=np.intp)
        fa_value = np.array([value_index[fa.value] for fa in self.focus_areas], dtype=np.intp)
        reverse = np.array([it.reverse for it in self.items], dtype=bool)
        return item_fa, fa_value, reverse

    # -- matching ---------------------------------------------------------------------------
    def match_column(self, header: str) -> str | None:
        """Return the item id a column header stands for (id or alias), or None.

        Examples
        --------
        >>> cb = load_codebook()
        >>> cb.match_column(" " + cb.item_ids[0].upper() + " ") == cb.item_ids[0]
        True
        """
        return self._column_lookup.get(normalise_id(header))

    def match_text(self, text: str) -> str | None:
        """Return the item whose statement ``text`` is (Danish or English text, or an alias), or None.

        Examples
        --------
        >>> cb = load_codebook()
        >>> cb.match_text("  " + cb.items[0].text_da.upper()) == cb.items[0].id
        True
        """
        return self._text_lookup.get(normalise_text(text))

    def text_choices(self) -> dict[str, str]:
        """Return every matching key of a statement (texts and aliases) -> item id, for near misses."""
        return dict(self._text_lookup)

    def parse_answer(self, raw: object) -> int | None:
        """Return the answer code for a raw cell, ``None`` for blank; raise ValueError otherwise.

        Accepted: 1-5 as numbers or text (``"3"``, ``3.0``), the Danish or English level
        names, and the codes or names of *Ved ikke* and *Ikke relevant*.

        Examples
        --------
        >>> cb = load_codebook()
        >>> [cb.parse_answer(x) for x in ["4", "Etableret", "ved ikke", "", "Ikke relevant"]]
        [4, 3, 8, None, 9]
        """
        return _parse(raw, self._codes, self._answer_lookup)

    @property
    def _codes(self) -> set[int]:
        """Return every answer code the scale knows: the levels and the two non-level codes."""
        return {*self.levels, self.dont_know, self.not_applicable}

    def accepted_answers(self) -> str:
        """Return a short description of the accepted answers, for error messages."""
        names = ", ".join(f"'{da}'" for da, _ in self.levels.values())
        dk = self.levels_extra_names()
        return f"1-5 or a level name in Danish or English ({names}), {dk} or blank"

    def levels_extra_names(self) -> str:
        """Return the names of the two non-level answers with their codes."""
        return f"'Ved ikke' ({self.dont_know}) or 'Ikke relevant' ({self.not_applicable})"


# ------------------------------------------------------------------------------------------
def _parse(raw: object, codes: set[int], lookup: dict[str, int]) -> int | None:
    """Return the code of a raw answer cell on a scale with ``codes`` and names ``lookup``; None for blank."""
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return None
    text = str(raw).strip()
    if text == "":
        return None
    number = _as_number(text)
    if number is not None:
        # Numbers are compared as numbers: "10" is not "1.0", and "3,0" is 3.
        if number.is_integer() and int(number) in codes:
            return int(number)
        raise ValueError(text)
    key = normalise_label(text)
    if key in lookup:
        return lookup[key]
    raise ValueError(text)


def _as_number(text: str) -> float | None:
    """Return ``text`` as a number if it is written as one (``3``, ``3.0``, ``3,0``), else None."""
    if not re.fullmatch(r"[+-]?\d+(?:[.,]\d*)?", text):
        return None
    return float(text.replace(",", "."))


def _read_yaml(path: Path) -> Any:
    """Return the parsed YAML document at ``path``, or raise CodebookError saying why not."""
    if not Path(path).is_file():
        # A folder, a pipe or a device is never opened (a pipe would wait for ever).
        what = describe_path(Path(path))
        found = "file not found" if what == "no file at this path" else f"expected a YAML file, found {what}"
        raise CodebookError(f"{path}: {found}.")
    try:
        with open(path, encoding="utf-8") as fh:
            # The C loader (when PyYAML has it) is ten times faster; both load safely.
            return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise CodebookError(f"{path}: file not found.") from None
    except OSError as exc:
        raise CodebookError(f"{path}: expected a readable YAML file, found an error ({exc.strerror or exc}).") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CodebookError(f"{path}: not valid UTF-8 YAML ({clip(exc, 500)}).") from None


def _require(entry: Any, key: str, where: str, kind: type | tuple = str) -> Any:
    """Return ``entry[key]``, or raise CodebookError when it is missing or not of ``kind``."""
    if not isinstance(entry, dict) or key not in entry or entry[key] in (None, ""):
        raise CodebookError(f"{where}: missing '{key}'. Add it to the entry.")
    value = entry[key]
    if not isinstance(value, kind):
        raise CodebookError(f"{where}: '{key}' should be {getattr(kind, '__name__', kind)}, found {value!r}.")
    return value


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and check the codebook (``data/codebook.yaml`` by default).

    Raises
    ------
    CodebookError
        Naming the offending entry, when ids repeat, a value has no focus areas, a focus area
        has no items, a field is missing, or an alias is ambiguous.
    """
    path = Path(path) if path is not None else config.CODEBOOK_PATH
    doc = _read_yaml(path)
    src = str(path)
    if not isinstance(doc, dict):
        raise CodebookError(f"{src}: expected a mapping with 'version', 'scale' and 'values'.")
    version = str(_require(doc, "version", src, (str, int, float)))
    scale = _require(doc, "scale", src, dict)
    levels = _levels(scale, f"{src}: scale")
    dk = _require(_require(scale, "dont_know", f"{src}: scale", dict), "code", f"{src}: scale.dont_know", int)
    na = _require(_require(scale, "not_applicable", f"{src}: scale", dict), "code", f"{src}: scale.not_applicable", int)
    if dk in levels or na in levels or dk == na:
        raise CodebookError(
            f"{src}: the codes of 'Ved ikke' ({dk}) and 'Ikke relevant' ({na}) must differ from 1-5 and each other."
        )

    seen: dict[str, str] = {}

    def claim(id_: str, where: str) -> None:
        """Record ``id_`` as used at ``where``, refusing a malformed or repeated id."""
        if not _ID_PATTERN.match(id_):
            raise CodebookError(f"{where}: id {id_!r} must be snake_case (a-z, 0-9, _).")
        if id_ in seen:
            raise CodebookError(f"{where}: id {id_!r} is already used by {seen[id_]}. Ids must be unique.")
        seen[id_] = where

    def entry(raw: Any, where: str) -> tuple[str, str]:
        """Return an entry's id and its location naming the id, after claiming the id."""
        id_ = _require(raw, "id", where)
        where += f" (id {id_!r})"
        claim(id_, where)
        return id_, where

    def children(raw: Any, key: str, where: str, rule: str) -> list:
        """Return the non-empty list under ``key``, or raise naming the ``rule``."""
        found = raw.get(key) if isinstance(raw, dict) else None
        if not found or not isinstance(found, list):
            raise CodebookError(f"{where}: has no {key}. {rule}")
        return found

    values_raw = _require(doc, "values", src, list)
    values = []
    for vi, v in enumerate(values_raw):
        vid, vwhere = entry(v, f"{src}: values[{vi}]")
        fas_raw = children(v, "focus_areas", vwhere, "Every value needs at least one.")
        fas = []
        for fi, fa in enumerate(fas_raw):
            fid, fwhere = entry(fa, f"{vwhere}.focus_areas[{fi}]")
            items_raw = children(fa, "items", fwhere, "Every focus area needs at least one.")
            items = []
            for ii, it in enumerate(items_raw):
                iid, iwhere = entry(it, f"{fwhere}.items[{ii}]")
                reverse = it.get("reverse", False)
                if not isinstance(reverse, bool):
                    raise CodebookError(f"{iwhere}: 'reverse' should be true or false, found {reverse!r}.")
                aliases = it.get("aliases") or []
                tags = it.get("tags") or []
                if not isinstance(aliases, list) or not isinstance(tags, list):
                    raise CodebookError(f"{iwhere}: 'aliases' and 'tags' should be lists.")
                items.append(
                    Item(
                        id=iid,
                        text_da=_require(it, "text_da", iwhere),
                        text_en=_require(it, "text_en", iwhere),
                        reverse=reverse,
                        focus_area=fid,
                        value=vid,
                        aliases=tuple(str(a) for a in aliases),
                        tags=tuple(str(t) for t in tags),
                    )
                )
            fas.append(
                FocusArea(fid, _require(fa, "name_da", fwhere), _require(fa, "name_en", fwhere), vid, tuple(items))
            )
        values.append(
            Value(
                vid,
                _require(v, "name_da", vwhere),
                _require(v, "name_en", vwhere),
                tuple(fas),
                short_da=str(v.get("short_da") or ""),
                short_en=str(v.get("short_en") or ""),
            )
        )
    if not values:
        raise CodebookError(f"{src}: 'values' is empty.")
    barriers = _barriers(doc.get("barriers"), f"{src}: barriers", entry)
    open_questions = _open_questions(doc.get("open_questions"), f"{src}: open_questions", entry, claim)
    changelog = doc.get("changelog") or []
    if not isinstance(changelog, list) or not all(isinstance(c, dict) for c in changelog):
        raise CodebookError(f"{src}: 'changelog' should be a list of entries (version, date, changes).")

    column_lookup: dict[str, str] = {}
    text_lookup: dict[str, str] = {}
    questions = [it for v in values for fa in v.focus_areas for it in fa.items]
    questions += list(barriers.items) if barriers is not None else []
    for it in (*questions, *open_questions):
        for header in (it.id, *it.aliases):
            key = normalise_id(header)
            if key in column_lookup and column_lookup[key] != it.id:
                raise CodebookError(
                    f"{src}: item {it.id!r}: header {header!r} also names item "
                    f"{column_lookup[key]!r}. Column headers and aliases must be unique."
                )
            column_lookup[key] = it.id
        for text in (it.text_da, it.text_en, *it.aliases):
            key = normalise_text(text)
            if key in text_lookup and text_lookup[key] != it.id:
                raise CodebookError(
                    f"{src}: item {it.id!r}: the text {text!r} also names item "
                    f"{text_lookup[key]!r}. Question texts and aliases must be unique."
                )
            text_lookup[key] = it.id
    for q in open_questions:
        if q.instrument == "barriers" and barriers is None:
            raise CodebookError(
                f"{src}: open question {q.id!r} belongs to the barriers instrument, but the codebook has no "
                "'barriers' section. Add it, or set 'instrument: maturity'."
            )

    answer_lookup = _answer_lookup(levels, (scale["dont_know"], dk), (scale["not_applicable"], na))

    return Codebook(
        version=version,
        title_da=str(doc.get("title_da", "")),
        title_en=str(doc.get("title_en", "")),
        levels=levels,
        dont_know=dk,
        not_applicable=na,
        values=tuple(values),
        source=src,
        barriers=barriers,
        open_questions=open_questions,
        changelog=tuple(changelog),
        _answer_lookup=answer_lookup,
        _column_lookup=column_lookup,
        _text_lookup=text_lookup,
    )


def _levels(raw: Any, where: str) -> dict[int, tuple[str, str]]:
    """Return the five levels of a scale (``levels:`` with code 1-5 and Danish and English names)."""
    levels: dict[int, tuple[str, str]] = {}
    for k, lv in enumerate(_require(raw, "levels", where, list)):
        here = f"{where}.levels[{k}]"
        code = _require(lv, "code", here, int)
        levels[code] = (_require(lv, "name_da", here), _require(lv, "name_en", here))
    if tuple(sorted(levels)) != _LEVEL_CODES:
        raise CodebookError(f"{where}.levels must have the codes 1-5, found {sorted(levels)}.")
    return levels


def _answer_lookup(levels: dict[int, tuple[str, str]], dont_know: tuple, not_applicable: tuple) -> dict[str, int]:
    """Return normalised answer text -> code for a scale: its level names, its two non-level answers
    (each ``(entry, code)``; an absent one as ``(None, None)``) and the spellings survey tools use for them."""
    lookup: dict[str, int] = {}
    for code, names in levels.items():
        for name in names:
            lookup[normalise_label(name)] = code
    for entry, code in (dont_know, not_applicable):
        if entry is not None:
            for key in (entry.get("name_da", ""), entry.get("name_en", "")):
                if key:
                    lookup[normalise_label(key)] = code
    # Common spellings survey tools use for the two non-level answers.
    for key in ("vedikke", "ved ikke/ønsker ikke at svare", "dontknow", "don't know", "dk"):
        lookup.setdefault(normalise_label(key), dont_know[1])
    if not_applicable[1] is not None:
        for key in ("ikkerelevant", "irrelevant", "n/a", "notapplicable"):
            lookup.setdefault(normalise_label(key), not_applicable[1])
    return lookup


def _texts(raw: Any, where: str, key: str) -> tuple[str, ...]:
    """Return a list of texts under ``key`` (aliases, keywords), or raise when it is not a list."""
    found = raw.get(key) or []
    if not isinstance(found, list) or not all(isinstance(t, (str, int, float)) for t in found):
        raise CodebookError(f"{where}: '{key}' should be a list of texts.")
    return tuple(str(t) for t in found)


def _barriers(raw: Any, where: str, entry) -> Barriers | None:
    """Read the ``barriers:`` section (its own scale and its statements), or None when absent."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise CodebookError(f"{where}: expected a mapping with 'scale' and 'items'.")
    scale_raw = _require(raw, "scale", where, dict)
    levels = _levels(scale_raw, f"{where}.scale")
    dk = _require(_require(scale_raw, "dont_know", f"{where}.scale", dict), "code", f"{where}.scale.dont_know", int)
    na_raw = scale_raw.get("not_applicable")
    na = _require(na_raw, "code", f"{where}.scale.not_applicable", int) if na_raw is not None else None
    if dk in levels or (na is not None and (na in levels or na == dk)):
        raise CodebookError(
            f"{where}.scale: the codes of 'Ved ikke' and 'Ikke relevant' must differ from 1-5 and each other."
        )
    lookup = _answer_lookup(levels, (scale_raw["dont_know"], dk), (na_raw, na))
    items_raw = raw.get("items")
    if not items_raw or not isinstance(items_raw, list):
        raise CodebookError(f"{where}: has no items. The instrument needs at least one statement.")
    items = []
    for k, it in enumerate(items_raw):
        iid, iwhere = entry(it, f"{where}.items[{k}]")
        kind = _require(it, "kind", iwhere)
        if kind not in BARRIER_KINDS:
            raise CodebookError(f"{iwhere}: 'kind' should be one of {', '.join(BARRIER_KINDS)}, found {kind!r}.")
        items.append(
            BarrierItem(
                id=iid,
                kind=kind,
                text_da=_require(it, "text_da", iwhere),
                text_en=_require(it, "text_en", iwhere),
                short_da=str(it.get("short_da") or ""),
                short_en=str(it.get("short_en") or ""),
                aliases=_texts(it, iwhere, "aliases"),
            )
        )
    return Barriers(
        name_da=_require(raw, "name_da", where),
        name_en=_require(raw, "name_en", where),
        scale=AnswerScale(levels, dk, na, lookup),
        items=tuple(items),
    )


def _open_questions(raw: Any, where: str, entry, claim) -> tuple[OpenQuestion, ...]:
    """Read the ``open_questions:`` section: at most one per instrument, each with keyword themes."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CodebookError(f"{where}: expected a list of open questions.")
    questions: list[OpenQuestion] = []
    for k, q in enumerate(raw):
        qid, qwhere = entry(q, f"{where}[{k}]")
        instrument = _require(q, "instrument", qwhere)
        if instrument not in INSTRUMENTS:
            raise CodebookError(
                f"{qwhere}: 'instrument' should be one of {', '.join(INSTRUMENTS)}, found {instrument!r}."
            )
        if any(other.instrument == instrument for other in questions):
            raise CodebookError(
                f"{qwhere}: the {instrument} instrument already has an open question; give it one only."
            )
        themes_raw = q.get("themes")
        if not themes_raw or not isinstance(themes_raw, list):
            raise CodebookError(f"{qwhere}: has no themes. Give each theme an id, names and keywords.")
        themes = []
        for t_k, t in enumerate(themes_raw):
            twhere = f"{qwhere}.themes[{t_k}]"
            tid = _require(t, "id", twhere)
            twhere += f" (id {tid!r})"
            if not _ID_PATTERN.match(tid) or any(th.id == tid for th in themes):
                raise CodebookError(f"{twhere}: theme ids must be snake_case and unique within the question.")
            keywords = _texts(t, twhere, "keywords")
            if not keywords:
                raise CodebookError(f"{twhere}: has no keywords. List the words that mark the theme.")
            themes.append(Theme(tid, _require(t, "name_da", twhere), _require(t, "name_en", twhere), keywords))
        questions.append(
            OpenQuestion(
                id=qid,
                instrument=instrument,
                text_da=_require(q, "text_da", qwhere),
                text_en=_require(q, "text_en", qwhere),
                themes=tuple(themes),
                aliases=_texts(q, qwhere, "aliases"),
            )
        )
    return tuple(questions)


@dataclass(frozen=True)
class Department:
    """One of the seven departments (forvaltninger)."""

    code: str
    name_da: str
    name_en: str
    procurement_staff: float | None
    aliases: tuple[str, ...]
    #: Staff invited to the survey per wave, where the analyst knows it (``invited:`` in the file).
    invited: tuple[tuple[int, int], ...] = ()

    def invited_in(self, wave: int) -> int | None:
        """Return how many were invited in ``wave``, or None when the department list does not say."""
        return dict(self.invited).get(int(wave))

    def name(self, lang: str = "da") -> str:
        """Return the department's name in ``lang``."""
        return self.name_en if lang == "en" else self.name_da


@dataclass(frozen=True)
class Departments:
    """The department list, with name matching that ignores case and spacing."""

    departments: tuple[Department, ...]
    _lookup: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    #: Headers or question texts of a department column beside the defaults (``headers:`` in the file).
    headers: tuple[str, ...] = ()

    @property
    def codes(self) -> list[str]:
        """Return the department codes in list order."""
        return [d.code for d in self.departments]

    def __getitem__(self, code: str) -> Department:
        """Return the department with ``code``; KeyError when the list has none."""
        for d in self.departments:
            if d.code == code:
                return d
        raise KeyError(code)

    def name_of(self, code: str, lang: str = "da") -> str:
        """Return the name of the department ``code`` in ``lang``, or the code when it is not listed.

        Examples
        --------
        >>> deps = load_departments()
        >>> deps.name_of("BUF", "en"), deps.name_of("XYZ")
        ('Children and Youth Administration', 'XYZ')
        """
        listed = {d.code: d for d in self.departments}
        return listed[code].name(lang) if code in listed else code

    def order(self, codes: Iterable[str]) -> list[str]:
        """Return the distinct ``codes`` in the department list's order, then other codes alphabetically.

        Every table and chart lists departments this way. Pass ``[*deps.codes, *codes]`` to get
        every listed department, present or not.

        Examples
        --------
        >>> load_departments().order(["SUF", "ZZZ", "BUF", "AAA", "SUF"])
        ['BUF', 'SUF', 'AAA', 'ZZZ']
        """
        distinct = set(codes)
        listed = [code for code in self.codes if code in distinct]
        return listed + sorted(distinct - set(listed))

    def sort_key(self, code: str) -> tuple[int, str]:
        """Return a key that sorts department codes as :meth:`order` does (for ``sorted``).

        Examples
        --------
        >>> sorted(["ZZZ", "SUF", "BUF"], key=load_departments().sort_key)
        ['BUF', 'SUF', 'ZZZ']
        """
        codes = self.codes
        return (codes.index(code), "") if code in codes else (len(codes), code)

    def resolve(self, text: object) -> str | None:
        """Return the code for a department written as code, name or alias; None if unknown.

        Examples
        --------
        >>> deps = load_departments()
        >>> deps.resolve("  sundheds- og omsorgsforvaltningen"), deps.resolve("Nowhere")
        ('SUF', None)
        """
        return self._lookup.get(normalise_label(text))


def load_departments(path: str | Path | None = None) -> Departments:
    """Read and check the department list (``data/departments.yaml`` by default)."""
    path = Path(path) if path is not None else config.DEPARTMENTS_PATH
    doc = _read_yaml(path)
    src = str(path)
    entries = doc.get("departments") if isinstance(doc, dict) else None
    if not entries or not isinstance(entries, list):
        raise CodebookError(f"{src}: expected a list under 'departments'.")
    deps, lookup = [], {}
    for k, d in enumerate(entries):
        where = f"{src}: departments[{k}]"
        code = _require(d, "code", where)
        if code in (dep.code for dep in deps):
            raise CodebookError(f"{where}: code {code!r} is used twice. Department codes must be unique.")
        staff = d.get("procurement_staff")
        if staff is not None and not isinstance(staff, (int, float)):
            raise CodebookError(f"{where} ({code}): 'procurement_staff' should be a number, found {staff!r}.")
        invited = d.get("invited") or {}
        if not isinstance(invited, dict) or not all(
            isinstance(w, int) and isinstance(k, int) and not isinstance(k, bool) and k >= 0 for w, k in invited.items()
        ):
            raise CodebookError(
                f"{where} ({code}): 'invited' should map survey years to the number invited, e.g. {{2025: 30}}, "
                f"found {invited!r}."
            )
        dep = Department(
            code=code,
            name_da=_require(d, "name_da", where),
            name_en=_require(d, "name_en", where),
            procurement_staff=staff,
            invited=tuple(sorted(invited.items())),
            aliases=tuple(str(a) for a in (d.get("aliases") or [])),
        )
        for name in (dep.code, dep.name_da, dep.name_en, *dep.aliases):
            key = normalise_label(name)
            if lookup.get(key, code) != code:
                raise CodebookError(f"{where} ({code}): name {name!r} also names {lookup[key]}. Names must be unique.")
            lookup[key] = code
        deps.append(dep)
    headers = doc.get("headers") or []
    if not isinstance(headers, list) or not all(isinstance(h, str) for h in headers):
        raise CodebookError(f"{src}: 'headers' should be a list of texts (headers of a department column).")
    return Departments(tuple(deps), lookup, tuple(headers))
