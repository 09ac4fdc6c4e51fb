"""Disclosure control: every rule that decides whether a number may be published.

The rules of the method (``docs/method.md``, section *Disclosure control*) live here and nowhere
else; scoring, distributions, tables, charts and text ask these functions instead of comparing
``n`` with ``min_n`` themselves.

- ``min_n`` is at least 5 (:data:`~analysis.config.MIN_N_FLOOR`): a lower value is refused.
- A department x value cell (and its focus areas, items and don't-know share) with fewer than
  ``min_n`` respondents is suppressed; a focus area or item of a suppressed value is suppressed
  too, since its numbers would give the value away.
- The departments under ``min_n`` are pooled per value and wave into the merged group
  "Øvrige forvaltninger" (:func:`merged_group`), pulling in the smallest published department
  when the pool is too small or has one member (complementary suppression); the group's score is
  published with its members' names, the members' own cells are not.
- Counts under ``min_n`` are never published as numbers (:func:`count_or_hidden`).
- A full answer distribution is shown only for a group of at least ``2 * min_n``, and the
  municipality's distribution pools only departments that cannot be recovered by subtraction.
- Free text: theme counts hide a small count and, when only one count of a whole would be
  hidden, enough others that it cannot be worked out (:func:`complementary_cells`); quotes are
  redacted (:func:`redact`, names from :func:`stop_list`) and come only from groups of at least
  ``min_n`` answers, a small department's attributed to the municipality (:func:`select_quotes`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import ParameterError
from ..survey.freetext import normalise_words

if TYPE_CHECKING:
    from ..survey.freetext import FreeText


def check_min_n(min_n: object) -> int:
    """Return ``min_n`` as an int, or raise ParameterError unless it is a whole number >= 5.

    Examples
    --------
    >>> check_min_n(5), check_min_n("7")
    (5, 7)
    >>> check_min_n(3)
    Traceback (most recent call last):
    ...
    analysis.exceptions.ParameterError: min_n must be at least 5, found 3: ...
    """
    try:
        value = int(min_n)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = None
    if value is None or isinstance(min_n, bool) or str(min_n).strip() not in (str(value), f"{value}.0"):
        raise ParameterError(f"min_n must be a whole number of at least {config.MIN_N_FLOOR}, found {min_n!r}.")
    if value < config.MIN_N_FLOOR:
        raise ParameterError(
            f"min_n must be at least {config.MIN_N_FLOOR}, found {value}: a smaller group would publish the answers "
            f"of one to {config.MIN_N_FLOOR - 1} people, who could then be recognised. Departments under "
            f"{config.MIN_N_FLOOR} are pooled into 'Øvrige forvaltninger' instead."
        )
    return value


def is_suppressed(n, min_n: int):
    """Return True where a group of ``n`` respondents is too small to publish (``n < min_n``).

    Works on scalars and arrays.

    Examples
    --------
    >>> is_suppressed(4, 5), is_suppressed(5, 5)
    (True, False)
    """
    result = np.asarray(n) < min_n
    return bool(result) if result.ndim == 0 else result


def merged_group(n: Mapping[str, int], min_n: int) -> tuple[list[str], bool]:
    """Return the members of the merged group of one value and wave, and whether it may be published.

    method.md: the departments under ``min_n`` (with at least one respondent) are pooled into
    "Øvrige forvaltninger". While the pool has fewer than ``min_n`` respondents, or only one
    department (its score would be the total minus the others), the published department with
    the smallest ``n`` joins it (ties: the later in report order), and its own cell is suppressed
    too (complementary suppression).

    Parameters
    ----------
    n
        Respondents with a valid answer on the value, per department, **in report order**.
    min_n
        The minimum group size.

    Returns
    -------
    tuple
        ``(members, publishable)``: the members in report order (empty when every department
        is large enough), and False when even pooling every department cannot make a group of
        ``min_n`` respondents from two departments (then nothing of the value may be shown).

    Examples
    --------
    Two small departments pool on their own; one small department pulls in the smallest
    published one (a tie goes to the later in report order):

    >>> merged_group({"A": 20, "B": 3, "C": 4}, 5)
    (['B', 'C'], True)
    >>> merged_group({"A": 20, "B": 6, "C": 3, "D": 6}, 5)
    (['C', 'D'], True)
    >>> merged_group({"A": 20, "B": 9}, 5)
    ([], True)
    >>> merged_group({"A": 2, "B": 2}, 5)
    (['A', 'B'], False)
    """
    order = [d for d, k in n.items() if k > 0]
    pool = [d for d in order if is_suppressed(n[d], min_n)]
    if not pool:
        return [], True

    def short(p: list[str]) -> bool:
        return sum(n[d] for d in p) < min_n or len(p) < 2

    while short(pool):
        candidates = [d for d in order if d not in pool]
        if not candidates:
            return pool, False
        # The smallest; among equals the later in report order (max over the reversed position).
        joining = min(candidates, key=lambda d: (n[d], -order.index(d)))
        pool.append(joining)
    return [d for d in order if d in pool], True


def count_or_hidden(count, min_n: int):
    """Return a count, or None where it is under ``min_n`` and so may not be published as a number.

    Text writes the hidden ones as "færre end 5" (:func:`analysis.words.count_text`); tables
    leave them blank.

    Examples
    --------
    >>> count_or_hidden(12, 5), count_or_hidden(4, 5), count_or_hidden(0, 5)
    (12, None, 0)
    """
    if count is None or pd.isna(count):
        return None
    count = int(count)
    return None if 0 < count < min_n else count


def hide_small_counts(frame: pd.DataFrame, columns, min_n: int, hidden=None) -> pd.DataFrame:
    """Blank (to ``<NA>``) every count under ``min_n`` in ``columns``, and every count of a ``hidden`` row.

    Changes ``frame`` in place and returns it. Zero is not hidden: that no one answered says
    nothing about anyone. ``hidden`` (a boolean per row) marks rows that publish no count at all:
    beside a merged group's n, a pulled-in member's n would give a small member's n away.

    Examples
    --------
    >>> t = pd.DataFrame({"n": [12, 3, 0, 9]})
    >>> hide_small_counts(t, "n", 5, hidden=[False, False, False, True])["n"].tolist()
    [12, <NA>, 0, <NA>]
    """
    cols = [columns] if isinstance(columns, str) else list(columns)
    rows = np.zeros(len(frame), dtype=bool) if hidden is None else np.asarray(hidden, dtype=bool)
    for c in cols:
        values = pd.to_numeric(frame[c], errors="coerce")
        hide = rows | ((values > 0) & (values < min_n)).to_numpy()
        frame[c] = pd.array(values.mask(hide).round(), dtype="Int64")
    return frame


def distribution_limit(min_n: int) -> int:
    """Return the smallest group whose full answer distribution may be shown (``2 * min_n``).

    Examples
    --------
    >>> distribution_limit(5)
    10
    """
    return 2 * int(min_n)


def shows_distribution(n, min_n: int):
    """Return True where a group of ``n`` respondents may have its answer distribution shown.

    Examples
    --------
    >>> shows_distribution(9, 5), shows_distribution(10, 5)
    (False, True)
    """
    result = np.asarray(n) >= distribution_limit(min_n)
    return bool(result) if result.ndim == 0 else result


def municipal_strata(cells: pd.DataFrame) -> pd.DataFrame:
    """Return what the municipality of one wave and value is made of, each with its weight.

    Every department with answers is covered (method.md step 4): each published department with
    weight 1, and the merged group ``ØVRIGE`` (when there is one) with as many as it has
    members. When the merged group cannot be published, nothing can: the result is empty.

    Parameters
    ----------
    cells
        Department cells of one wave and value (``department``, ``score``, ``suppressed``,
        ``members``), as in ``Scores.department_value``.

    Examples
    --------
    >>> cells = pd.DataFrame({"department": ["A", "B", "C", "ØVRIGE"], "score": [3.0, None, None, 2.0],
    ...                       "suppressed": [False, True, True, False], "members": ["", "", "", "B+C"]})
    >>> municipal_strata(cells)[["department", "weight"]].values.tolist()
    [['A', 1.0], ['ØVRIGE', 2.0]]
    """
    group = cells["department"] == config.MERGED_GROUP
    own = cells[~group & ~cells["suppressed"].astype(bool) & cells["score"].notna()].assign(weight=1.0)
    merged = cells[group]
    if merged.empty:
        return own
    row = merged.iloc[0]
    if bool(row["suppressed"]) or pd.isna(row["score"]):
        return own.iloc[0:0]
    return pd.concat([own, merged.assign(weight=float(len(str(row["members"]).split("+"))))])


def suppress_siblings(parts: pd.DataFrame, whole: str) -> pd.DataFrame:
    """Suppress every part of a whole when one part is suppressed (secondary suppression).

    A value's score is the mean of its focus areas, and a focus area's the mean of its items;
    with the whole published, one hidden part could be worked out from the others. So when any
    focus area of a department's value (or item of a focus area) is hidden, all are.

    Parameters
    ----------
    parts
        A table with ``wave``, ``department``, ``whole`` and a boolean ``suppressed`` column;
        changed in place and returned.
    whole
        The column naming the whole each part belongs to (``"value"``, ``"focus_area"``).

    Examples
    --------
    >>> parts = pd.DataFrame({"wave": 2025, "department": "BUF", "value": ["a", "a", "b"],
    ...                       "suppressed": [True, False, False]})
    >>> suppress_siblings(parts, "value")["suppressed"].tolist()
    [True, True, False]
    """
    keys = ["wave", "department", whole]
    parts["suppressed"] = parts.groupby(keys, sort=False)["suppressed"].transform("any").astype(bool)
    return parts


def distribution_pool(n_valid: Mapping[str, int], min_n: int) -> list[str]:
    """Return the departments whose answers the municipality's answer distribution may pool.

    A municipality distribution over every respondent would give a hidden department's
    distribution away by subtraction. So it pools (method.md):

    1. only departments whose scores are published (``n_valid >= min_n``);
    2. of those, the ones whose own distribution is not shown (``min_n <= n_valid < 2 * min_n``)
       only when together they have at least ``2 * min_n`` respondents.

    Parameters
    ----------
    n_valid
        Respondents with a valid answer per department, in the order wanted back.
    min_n
        The minimum group size.

    Examples
    --------
    >>> distribution_pool({"A": 12, "B": 6, "C": 3}, 5)
    ['A']
    >>> distribution_pool({"A": 12, "B": 6, "C": 7}, 5)
    ['A', 'B', 'C']
    """
    published = [d for d, n in n_valid.items() if not is_suppressed(n, min_n)]
    hidden = [d for d in published if not shows_distribution(n_valid[d], min_n)]
    # Hidden-but-published departments enter the pool only when, taken together, they are
    # as large as a group whose distribution may be shown; else subtraction exposes them.
    if not shows_distribution(sum(n_valid[d] for d in hidden), min_n):
        return [d for d in published if d not in hidden]
    return published


def infer_min_n(distribution: pd.DataFrame, min_n: int | None = None) -> int:
    """Return the min_n a distribution frame was made with, checked against (or inferred from) it.

    A row of :func:`~analysis.stats.distributions.answer_distribution` is shown exactly when
    :func:`shows_distribution` says so. A given ``min_n`` must explain every row's ``shown`` flag;
    without one, the default is taken when it fits, else the smallest value that explains which
    rows are hidden.

    Raises
    ------
    ParameterError
        When the given ``min_n`` does not fit the frame.
    """
    known = distribution[distribution["n_valid"].notna()]
    n_valid = known["n_valid"].astype(int).to_numpy()
    shown = known["shown"].astype(bool).to_numpy()

    def fits(m: int) -> bool:
        return bool((shows_distribution(n_valid, m) == shown).all())

    if min_n is not None:
        if int(min_n) < 1 or not fits(int(min_n)):
            raise ParameterError(
                f"min_n={min_n!r} does not fit the distribution frame: a row is shown exactly when n_valid >= "
                f"2 * min_n. Pass the min_n the frame was made with (answer_distribution(..., min_n=...))."
            )
        return int(min_n)
    if fits(config.DEFAULT_MIN_N):
        return config.DEFAULT_MIN_N
    smallest = int(n_valid[~shown].max()) // 2 + 1 if (~shown).any() else 1
    return smallest if fits(smallest) else config.DEFAULT_MIN_N


# -- free text: theme counts, redaction and quotes ----------------------------------------------


def complementary_cells(counts: Mapping[str, int], min_n: int) -> list[str]:
    """Return the cells of a whole whose counts may not be published (small, or complementary).

    The cells are the parts that add up to a published whole: the published departments and the
    merged group, whose theme counts add up to the municipality's. A count under ``min_n``
    (not 0) is hidden, and so that it cannot be worked out as the whole minus the other cells,
    the hidden cells are completed by the rule of :func:`merged_group`: while they hold fewer
    than ``min_n`` together, or are a single cell, the smallest published one (ties: the later)
    is hidden too.

    Parameters
    ----------
    counts
        The count per cell, in report order.
    min_n
        The minimum group size.

    Examples
    --------
    >>> complementary_cells({"BUF": 9, "SUF": 3, "TMF": 6, "ØVRIGE": 0}, 5)
    ['SUF', 'TMF']
    >>> complementary_cells({"BUF": 9, "SUF": 5}, 5)
    []
    """
    members, _ = merged_group(counts, min_n)
    return members


def may_quote(n_answers, min_n: int):
    """Return True where a group with ``n_answers`` non-blank answers may be quoted (``n >= min_n``).

    Works on scalars and arrays.

    Examples
    --------
    >>> may_quote(4, 5), may_quote(5, 5)
    (False, True)
    """
    result = ~np.asarray(is_suppressed(n_answers, min_n), dtype=bool)
    return bool(result) if result.ndim == 0 else result


def quote_attribution(n_answers: Mapping[str, int], min_n: int) -> dict[str, str | None]:
    """Return the group each department's quotes are attributed to: itself, the municipality, or None.

    A department whose answers are published on their own (:func:`merged_group` over the
    non-blank answers, so not a member of the merged group) is named; a member of the merged
    group, small or pulled in, is not: its quotes are attributed to the municipality
    (``ALL``). When the municipality itself has fewer than ``min_n`` answers, or no group can
    be published, nothing is quoted (None).

    Parameters
    ----------
    n_answers
        Non-blank answers per department, in report order.

    Examples
    --------
    >>> quote_attribution({"BUF": 12, "KFF": 3, "BIF": 2}, 5)
    {'BUF': 'BUF', 'KFF': 'ALL', 'BIF': 'ALL'}
    >>> quote_attribution({"BUF": 3}, 5)
    {'BUF': None}
    """
    members, publishable = merged_group(n_answers, min_n)
    if not publishable or not may_quote(sum(n_answers.values()), min_n):
        return dict.fromkeys(n_answers)
    return {d: config.MUNICIPALITY if d in members else d for d in n_answers}


#: The placeholder of each kind that :func:`redact` removes, in the order they are removed.
PLACEHOLDERS = {"e-mail": "[e-mail]", "link": "[link]", "CPR": "[CPR]", "telefon": "[telefon]", "navn": "[navn]"}

_SPACE = "[ \u00a0\u202f]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TLDS = "dk|com|org|net|eu|info|io|nu|se|no|de|uk|gov|edu"
_URL = re.compile(
    rf"""(?<![\w@/.-])
    (?: https?://[^\s<>"']+
      | www\.[^\s<>"']+
      | (?:[a-z0-9æøå](?:[a-z0-9æøå-]*[a-z0-9æøå])?\.)+(?:{_TLDS})(?![\w-])(?:/[^\s<>"']*)?
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_URL_TAIL = ".,;:!?)]}'\""
_CPR = re.compile(rf"(?<![\d+])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{{2}}(?:-|{_SPACE})?\d{{4}}(?!\d)")
_PHONE = re.compile(
    rf"""(?<![\w+])
    (?:(?:\+|00)45{_SPACE}?)?
    (?: \d{{8}}
      | \d{{2}}(?P<s>{_SPACE}|[.-])\d{{2}}(?P=s)\d{{2}}(?P=s)\d{{2}}
      | \d{{4}}(?:{_SPACE}|[.-])\d{{4}}
    )
    (?!\w)""",
    re.VERBOSE,
)
_YEARS = re.compile(r"(?:19|20)\d\d[.-](?:19|20)\d\d")


def _url(match: re.Match) -> str:
    """Replace a link by its placeholder, keeping punctuation that ends the sentence after it."""
    text = match.group(0)
    link = text.rstrip(_URL_TAIL)
    return PLACEHOLDERS["link"] + text[len(link) :]


def _phone(match: re.Match) -> str:
    """Replace a phone number by its placeholder; a span of years (2023-2024) is left as it is."""
    text = match.group(0)
    return text if _YEARS.fullmatch(text) else PLACEHOLDERS["telefon"]


def _names_pattern(stop_names: Iterable[str]) -> re.Pattern | None:
    """Return one pattern matching any stop name as whole words, with a genitive -s or apostrophe."""
    names = {" ".join(unicodedata.normalize("NFC", str(n)).split()) for n in stop_names}
    names = sorted((n for n in names if n), key=lambda n: (-len(n), n))
    if not names:
        return None
    alternatives = "|".join(r"[\s\u00a0]+".join(re.escape(w) for w in n.split()) for n in names)
    return re.compile(rf"(?<![\w@])(?:{alternatives})(?:['’]s?|s)?(?!\w)", re.IGNORECASE)


def redact(text: str, *, stop_names: Iterable[str] = ()) -> tuple[str, list[str]]:
    """Return ``text`` with what could identify someone replaced, and the kinds that were replaced.

    In this order (method.md, *Disclosure control*):

    1. e-mail addresses → ``[e-mail]``;
    2. links: ``http(s)://…``, ``www.…`` and bare domains (``kk.dk/indkob``; the endings .dk,
       .com, .org, .net, .eu and a few more) → ``[link]``;
    3. CPR numbers, a valid day and month then 4 digits (``010190-1234``, ``010190 1234``,
       ``0101901234``) → ``[CPR]``, before phone numbers so a CPR number is not taken for one;
    4. Danish phone numbers of 8 digits, written together, 2-2-2-2 or 4-4 with one kind of
       separator (space, dot or hyphen), with or without ``+45``/``0045`` → ``[telefon]``
       (a CVR number is 8 digits too and goes with them; a span of years such as 2023-2024 stays);
    5. names from ``stop_names`` (staff, departments, units; :func:`stop_list`), as whole words
       whatever their case, also with a genitive (``Hannes``, ``Jens'``) → ``[navn]``.

    Whitespace is not changed; the text is put into Unicode NFC first.

    Returns
    -------
    tuple
        The redacted text and the kinds replaced, each once, in the order above (``e-mail``,
        ``link``, ``CPR``, ``telefon``, ``navn``).

    Examples
    --------
    >>> redact("Kontakt mig på jens.hansen@kk.dk eller 33 66 12 34")
    ('Kontakt mig på [e-mail] eller [telefon]', ['e-mail', 'telefon'])
    >>> redact("Se kk.dk/indkob, cpr 010190-1234", stop_names=["Jens Hansen"])
    ('Se [link], cpr [CPR]', ['link', 'CPR'])
    >>> redact("Spørg Jens Hansen eller Hannes team", stop_names=["Jens Hansen", "Hanne"])
    ('Spørg [navn] eller [navn] team', ['navn'])
    >>> redact("Budget 2024-2025 og tlf. 3366 1234")
    ('Budget 2024-2025 og tlf. [telefon]', ['telefon'])
    """
    text = unicodedata.normalize("NFC", str(text))
    steps: list[tuple[str, re.Pattern | None, Any]] = [
        ("e-mail", _EMAIL, PLACEHOLDERS["e-mail"]),
        ("link", _URL, _url),
        ("CPR", _CPR, PLACEHOLDERS["CPR"]),
        ("telefon", _PHONE, _phone),
        ("navn", _names_pattern(stop_names), PLACEHOLDERS["navn"]),
    ]
    kinds = []
    for kind, pattern, replacement in steps:
        if pattern is None:
            continue
        new = pattern.sub(replacement, text)
        if new.count(PLACEHOLDERS[kind]) > text.count(PLACEHOLDERS[kind]):
            kinds.append(kind)
        text = new
    return text, kinds


def _read_names(path: str | Path) -> list[str]:
    """Return the names of a plain text file, one a line; blank lines and ``#`` comments skipped."""
    names = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.append(name)
    return names


def _unit_names(organisation: Mapping[str, Any] | str | Path | None) -> list[str]:
    """Return the unit names of ``organisation`` (the parsed organisation.yaml or its path): its ``units:``."""
    if organisation is None:
        return []
    if isinstance(organisation, (str, Path)):
        import yaml

        organisation = yaml.safe_load(Path(organisation).read_text(encoding="utf-8")) or {}
    names = []
    for unit in organisation.get("units") or []:
        if isinstance(unit, Mapping):
            names += [str(unit[k]) for k in ("name", "name_da", "name_en", "code") if unit.get(k)]
            names += [str(a) for a in unit.get("aliases") or []]
        else:
            names.append(str(unit))
    return names


def stop_list(
    departments: Iterable[Any],
    organisation: Mapping[str, Any] | str | Path | None = None,
    extra_names: Iterable[str] = (),
    path: str | Path | None = None,
) -> tuple[str, ...]:
    """Return the names :func:`redact` replaces by ``[navn]``: departments, units and staff.

    Parameters
    ----------
    departments
        A :class:`~analysis.survey.codebook.Departments` (or its departments): each one's code,
        Danish and English name and aliases.
    organisation
        The parsed ``data/organisation.yaml`` or its path: the names (``name``, ``name_da``,
        ``name_en``, ``code``, ``aliases``) of its optional ``units:`` list, or the list's plain
        strings. The bundled file has no units.
    extra_names
        Further names, for example the staff of a small team.
    path
        A plain text file of names (staff), one a line; blank lines and text after ``#`` are
        skipped.

    Returns
    -------
    tuple of str
        The distinct names (case ignored), longest first, so that "Anne Marie Hansen" is replaced
        as a whole before "Anne".

    Examples
    --------
    >>> from analysis.survey.codebook import load_departments
    >>> names = stop_list(load_departments(), {"units": ["Indkøbsteamet Nord"]}, ["Anne Marie Hansen"])
    >>> {"TMF", "Teknik og Miljø", "Indkøbsteamet Nord", "Anne Marie Hansen"} <= set(names)
    True
    >>> names.index("Anne Marie Hansen") < names.index("TMF")
    True
    """
    deps = getattr(departments, "departments", departments)
    names: list[str] = []
    for d in deps:
        names += [d.code, d.name_da, d.name_en, *d.aliases]
    names += _unit_names(organisation)
    names += [str(n) for n in extra_names]
    if path is not None:
        names += _read_names(path)
    distinct: dict[str, str] = {}
    for name in names:
        clean = " ".join(unicodedata.normalize("NFC", str(name)).split())
        if clean:
            distinct.setdefault(clean.casefold(), clean)
    return tuple(sorted(distinct.values(), key=lambda n: (-len(n), n)))


#: A quote needs at least this many words besides placeholders.
MIN_QUOTE_WORDS = 4
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


def informative(redacted: str) -> bool:
    """Return True when a redacted text is not mostly placeholders, and so may be quoted.

    It needs at least :data:`MIN_QUOTE_WORDS` words besides placeholders, and at least three
    such words per placeholder.

    Examples
    --------
    >>> informative("Kontakt mig på [e-mail] eller [telefon]")
    False
    >>> informative("Spørg [navn], hun kender udbudsreglerne rigtig godt")
    True
    """
    placeholders = len(_PLACEHOLDER.findall(redacted))
    words = len(normalise_words(_PLACEHOLDER.sub(" ", redacted)))
    return words >= MIN_QUOTE_WORDS and 3 * placeholders <= words


def select_quotes(
    respondents: pd.DataFrame,
    freetext: FreeText,
    question: str,
    coded: np.ndarray | pd.DataFrame,
    *,
    themes: Sequence[str],
    min_n: int = config.DEFAULT_MIN_N,
    stop_names: Iterable[str] = (),
    departments_order: Sequence[str] = (),
    per_theme: int = 2,
    max_chars: int = 160,
) -> pd.DataFrame:
    """Choose a few short, redacted quotes per wave and theme, from groups that may be quoted.

    The rule (method.md, *Disclosure control*):

    - a quote is attributed to its department only when the department's non-blank answers to
      the question are published on their own (:func:`quote_attribution`); a member of the
      merged group (small, or pulled in) is attributed to the municipality ``ALL``, and so no
      department is named; with fewer than ``min_n`` answers in the wave nothing is quoted;
    - each text is redacted (:func:`redact`) and its whitespace collapsed; one longer than
      ``max_chars`` after that is left out (not cut), and so is one that is mostly
      placeholders (:func:`informative`);
    - per wave and theme the ``per_theme`` shortest texts are taken, a text not yet quoted
      under an earlier theme first, equal ones in respondent order; the same text is quoted
      once per theme.

    Parameters
    ----------
    respondents
        One row per respondent (``wave``, ``department``), aligned with ``freetext``.
    freetext
        The free-text answers.
    question
        The open question's id.
    coded
        bool, respondents x themes: which themes each answer mentions
        (:func:`~analysis.survey.freetext.code_themes` of ``freetext.answers(question)``).
    themes
        The theme ids, in the order of ``coded``'s columns.
    min_n
        The minimum group size.
    stop_names
        The names to replace (:func:`stop_list`).
    departments_order
        Report order of the department codes (for the merged group's tie rule); others follow
        alphabetically.
    per_theme, max_chars
        How many quotes per theme at most, and how long one may be.

    Returns
    -------
    pandas.DataFrame
        Columns ``wave, department, theme, quote, redacted``: ``department`` is a department
        code or ``ALL``, ``redacted`` the kinds replaced joined by ``+`` (empty when none).

    Examples
    --------
    BUF (6 answers) is named; KFF (1) is pooled with SUF (5, pulled in), and so is not:

    >>> from analysis.survey.freetext import FreeText
    >>> resp = pd.DataFrame({"wave": 2025, "department": ["BUF"] * 6 + ["SUF"] * 5 + ["KFF"]})
    >>> texts = ["Mere tid til markedsdialog, tak"] * 11 + ["Vi har for lidt tid i KFF til det hele"]
    >>> ft = FreeText(("q",), np.array(texts, dtype=object))
    >>> quotes = select_quotes(resp, ft, "q", np.ones((12, 1), bool), themes=["tid"], stop_names=["KFF"])
    >>> quotes[["department", "quote", "redacted"]].values.tolist()
    [['BUF', 'Mere tid til markedsdialog, tak', ''], ['ALL', 'Vi har for lidt tid i [navn] til det hele', 'navn']]
    """
    min_n = check_min_n(min_n)
    texts = freetext.answers(question)
    answered = freetext.answered(question)
    coded = np.asarray(coded, dtype=bool)
    themes = list(themes)
    if len(respondents) != len(texts) or coded.shape != (len(texts), len(themes)):
        raise ParameterError(
            f"select_quotes: respondents ({len(respondents)} rows), the free text ({len(texts)} rows) and "
            f"coded {coded.shape} must have one row per respondent, and coded one column per theme ({len(themes)})."
        )
    stop = tuple(stop_names)
    waves = respondents["wave"].to_numpy()
    depts = respondents["department"].astype(str).to_numpy()
    rows = []
    for wave in sorted(set(waves[answered].tolist())):
        here = answered & (waves == wave)
        present = set(depts[here].tolist())
        order = [d for d in departments_order if d in present] + sorted(present - set(departments_order))
        attribution = quote_attribution({d: int((depts[here] == d).sum()) for d in order}, min_n)
        candidates = []
        for i in np.flatnonzero(here):
            group = attribution[depts[i]]
            if group is None:
                continue
            quote, kinds = redact(" ".join(str(texts[i]).split()), stop_names=stop)
            if len(quote) <= max_chars and informative(quote):
                candidates.append((i, group, quote, kinds))
        used: set[str] = set()
        for j, theme in enumerate(themes):
            pool = [c for c in candidates if coded[c[0], j]]
            pool.sort(key=lambda c: (c[2].casefold() in used, len(c[2]), c[0]))
            chosen: list[str] = []
            for _, group, quote, kinds in pool:
                if len(chosen) >= per_theme:
                    break
                if quote.casefold() in chosen:
                    continue
                chosen.append(quote.casefold())
                rows.append(
                    {
                        "wave": int(wave),
                        "department": group,
                        "theme": theme,
                        "quote": quote,
                        "redacted": "+".join(kinds),
                    }
                )
            used.update(chosen)
    return pd.DataFrame(rows, columns=["wave", "department", "theme", "quote", "redacted"]).astype(
        {"wave": "int64", "department": "str", "theme": "str", "quote": "str", "redacted": "str"}
    )
