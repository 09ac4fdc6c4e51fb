"""Words that quote a setting or a rule, in one place for every document, chart and workbook.

Text that states a setting (the minimum group size, the confidence level, the don't-know
threshold) is formatted here from the setting itself, so a changed setting can never leave a
stale number in a sentence.
"""

from __future__ import annotations

import datetime
import functools

from . import config
from .config import check_lang
from .formatting import format_date_long, format_number, format_share


def t(lang: str, da: str, en: str) -> str:
    """Return the Danish or the English text.

    Examples
    --------
    >>> t("en", "skjult", "hidden")
    'hidden'
    """
    return en if lang == "en" else da


def hidden_word(lang: str = "da") -> str:
    """Return the one word for a suppressed cell whose reason is said elsewhere.

    Examples
    --------
    >>> hidden_word(), hidden_word("en")
    ('skjult', 'hidden')
    """
    return t(lang, "skjult", "hidden")


def hidden_text(min_n: int, lang: str = "da", *, capital: bool = False) -> str:
    """Return the words for a suppressed cell, e.g. ``skjult (n < 5)``.

    Examples
    --------
    >>> hidden_text(5), hidden_text(10, "en", capital=True)
    ('skjult (n < 5)', 'Hidden (n < 10)')
    """
    word = hidden_word(lang)
    return f"{word.capitalize() if capital else word} (n < {min_n})"


def count_text(count, min_n: int, lang: str = "da") -> str:
    """Return a count as text, or "færre end 5" where it is under ``min_n`` (or blank, as tables write it).

    Counts under the minimum group size are never published as numbers (method.md).

    Examples
    --------
    >>> count_text(12, 5), count_text(3, 5), count_text(None, 5, "en"), count_text(1234, 5)
    ('12', 'færre end 5', 'fewer than 5', '1.234')
    """
    from .formatting import format_number
    from .stats.disclosure import count_or_hidden

    shown = count_or_hidden(count, min_n)
    if shown is None:
        return t(lang, f"færre end {min_n}", f"fewer than {min_n}")
    return format_number(shown, lang, 0)


def merged_group_name(members: str, lang: str = "da", departments=None) -> str:
    """Return the merged group's name with its members, e.g. "Øvrige forvaltninger (KFF, BIF)".

    Examples
    --------
    >>> merged_group_name("KFF+BIF"), merged_group_name("KFF+BIF+SOF", "en")
    ('Øvrige forvaltninger (KFF og BIF)', 'Other departments (KFF, BIF and SOF)')
    """
    from .config import MERGED_GROUP_NAME
    from .formatting import join_names

    codes = [m for m in str(members).split("+") if m]
    return f"{MERGED_GROUP_NAME[lang]} ({join_names(codes, lang)})"


def quote_item(text: str, reverse: bool, lang: str = "da") -> str:
    """Return a statement quoted for a sentence, with a note when it is worded in reverse.

    A reverse-worded statement is scored 6 minus the answer, so a low score means the problem it
    names is large; quoted bare it would read the opposite way (method.md, narrative rules).

    Examples
    --------
    >>> quote_item("Vi mangler juridisk kompetence", True)
    '»Vi mangler juridisk kompetence« (omvendt formuleret: en lav score betyder, at problemet er stort)'
    >>> quote_item("We use data", False, "en")
    '“We use data”'
    """
    quoted = f"»{text}«" if lang == "da" else f"“{text}”"
    if not reverse:
        return quoted
    return quoted + t(
        lang,
        " (omvendt formuleret: en lav score betyder, at problemet er stort)",
        " (worded in reverse: a low score means the problem is large)",
    )


def cannot_show_text(min_n: int, lang: str = "da") -> str:
    """Return the words for a result withheld to protect anonymity, quoting the minimum group size.

    Examples
    --------
    >>> cannot_show_text(5)
    'Kan ikke vises af hensyn til anonymiteten (færre end 5 svar)'
    """
    return t(
        lang,
        f"Kan ikke vises af hensyn til anonymiteten (færre end {min_n} svar)",
        f"Cannot be shown, to protect anonymity (fewer than {min_n} answers)",
    )


def interval_text(confidence: float, lang: str = "da", *, plural: bool = False, spaced: bool = True) -> str:
    """Return the name of an interval at the scores' confidence: ``95 %-interval`` / ``95 % interval``.

    The documents' English prose has always spaced the percent sign inside this name (unlike
    :func:`confidence_text`); the charts' legends and alt texts do not (``spaced=False``).

    Examples
    --------
    >>> interval_text(0.95), interval_text(0.9, "en"), interval_text(0.95, "en", plural=True, spaced=False)
    ('95 %-interval', '90 % interval', '95% intervals')
    >>> interval_text(0.95, plural=True)
    '95 %-intervaller'
    """
    number = confidence_text(confidence, lang, spaced=spaced)
    return t(lang, f"{number}-interval" + ("ler" if plural else ""), f"{number} interval" + ("s" if plural else ""))


def _percent(share: float, lang: str, spaced: bool) -> str:
    if spaced:
        return f"{format_number(100 * float(share), lang, 0)} %"
    return format_share(share, lang)


def confidence_text(confidence: float, lang: str = "da", *, spaced: bool = False) -> str:
    """Return the confidence level as a percentage: ``95 %`` (Danish) or ``95%``.

    ``spaced=True`` puts a space before the percent sign in English too, as the documents' prose
    always has (``a 95 % interval``).

    Examples
    --------
    >>> confidence_text(0.95), confidence_text(0.9, "en"), confidence_text(0.95, "en", spaced=True)
    ('95 %', '90%', '95 %')
    """
    return _percent(confidence, lang, spaced)


def threshold_text(share: float, lang: str = "da", *, spaced: bool = False) -> str:
    """Return a threshold share (e.g. the don't-know flag) as a percentage: ``30 %``.

    ``spaced=True`` puts a space before the percent sign in English too, as in the documents' prose.

    Examples
    --------
    >>> threshold_text(0.3), threshold_text(0.3, "en"), threshold_text(0.3, "en", spaced=True)
    ('30 %', '30%', '30 %')
    """
    return _percent(share, lang, spaced)


def organisation(key: str, lang: str = "da") -> str:
    """Return one name from ``data/organisation.yaml`` (municipality, administration, committee, policy, ...).

    Examples
    --------
    >>> organisation("committee"), organisation("policy_period")
    ('Økonomiudvalget', '2023-2026')
    """
    doc = _organisation_doc()
    if key not in doc:
        from .exceptions import CodebookError

        raise CodebookError(f"{config.ORGANISATION_PATH}: missing {key!r}. Add it to the file.")
    entry = doc[key]
    return str(entry.get(lang) or entry.get("da")) if isinstance(entry, dict) else str(entry)


@functools.cache
def _organisation_doc() -> dict:
    import yaml

    from .exceptions import CodebookError

    try:
        doc = yaml.safe_load(config.ORGANISATION_PATH.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CodebookError(f"{config.ORGANISATION_PATH}: cannot be read as UTF-8 YAML ({exc}).") from None
    if not isinstance(doc, dict):
        raise CodebookError(f"{config.ORGANISATION_PATH}: expected names by key (municipality: {{da: ..., en: ...}}).")
    return doc


def organisation_text(lang: str = "da") -> str:
    """Return the organisation line of every document's title block (from ``data/organisation.yaml``).

    Examples
    --------
    >>> organisation_text()
    'Københavns Kommune · Økonomiforvaltningen'
    """
    return f"{organisation('municipality', lang)} · {organisation('administration', lang)}"


def prepared_text(wave: int, date: datetime.date, lang: str = "da") -> str:
    """Return the line under a document's title: the survey year and the day it was made.

    Examples
    --------
    >>> prepared_text(2025, datetime.date(2026, 3, 1))
    'Spørgeskemaundersøgelse 2025 · udarbejdet 1. marts 2026'
    """
    return t(
        lang,
        f"Spørgeskemaundersøgelse {wave} · udarbejdet {format_date_long(date, lang)}",
        f"Survey {wave} · prepared {format_date_long(date, lang)}",
    )


def change_word(verdict: str, lang: str = "da") -> str:
    """Return the words for a change verdict.

    Examples
    --------
    >>> change_word("improvement"), change_word("no clear change", "en")
    ('forbedring', 'no clear change')
    """
    words = {
        "da": {
            "improvement": "forbedring",
            "decline": "tilbagegang",
            "no clear change": "ingen klar ændring",
            "": "skjult",
        },
        "en": {"improvement": "improvement", "decline": "decline", "no clear change": "no clear change", "": "hidden"},
    }
    return words[check_lang(lang)][verdict]
