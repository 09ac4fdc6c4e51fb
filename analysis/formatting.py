"""Numbers and words the Danish way (or English with ``lang="en"``)."""

from __future__ import annotations

import datetime
import math

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

from .config import check_lang

_LOCALES = {"da": "da_DK", "en": "en_GB"}
_LONG_DATE = {"da": "d. MMMM y", "en": "d MMMM y"}


def babel_locale(lang: str) -> str:
    """Return the Babel locale that formats ``lang``'s numbers, dates and lists.

    Examples
    --------
    >>> babel_locale("da"), babel_locale("en")
    ('da_DK', 'en_GB')
    """
    return _LOCALES[check_lang(lang)]


def format_date_long(date: datetime.date, lang: str = "da") -> str:
    """Return a date written out: ``3. december 2026`` in Danish, ``3 December 2026`` in English.

    Examples
    --------
    >>> format_date_long(datetime.date(2026, 3, 1)), format_date_long(datetime.date(2026, 3, 1), "en")
    ('1. marts 2026', '1 March 2026')
    """
    return format_date(date, format=_LONG_DATE[check_lang(lang)], locale=babel_locale(lang))


def format_number(x: float | None, lang: str = "da", decimals: int = 1) -> str:
    """Return ``x`` with a fixed number of decimals: ``2,4`` in Danish, ``2.4`` in English.

    Missing values give an en dash.

    Examples
    --------
    >>> format_number(2.4444), format_number(2.45, "en", 2), format_number(13800.5, "da", 1)
    ('2,4', '2.45', '13.800,5')
    >>> format_number(float("nan"))
    '–'
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(round(float(x), decimals), format=pattern, locale=babel_locale(lang))


def format_share(x: float | None, lang: str = "da", decimals: int = 0) -> str:
    """Return a share as a percentage: ``31 %`` in Danish, ``31%`` in English.

    Examples
    --------
    >>> format_share(0.314), format_share(0.314, "en"), format_share(0.05, decimals=1)
    ('31 %', '31%', '5,0 %')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    number = format_number(100 * float(x), lang, decimals)
    # Danish writes a space before the percent sign (Retskrivningsordbogen); English does not.
    return f"{number} %" if lang == "da" else f"{number}%"


def format_dkk_billions(amount_dkk: float, lang: str = "da") -> str:
    """Return an amount in billions of kroner: ``13,8 mia. kr.`` / ``DKK 13.8 billion``.

    Examples
    --------
    >>> format_dkk_billions(13.8e9), format_dkk_billions(13.8e9, "en")
    ('13,8 mia. kr.', 'DKK 13.8 billion')
    """
    value = format_number(amount_dkk / 1e9, lang, 1)
    return f"{value} mia. kr." if lang == "da" else f"DKK {value} billion"


def format_interval(low: float | None, high: float | None, lang: str = "da", decimals: int = 1) -> str:
    """Return an interval as ``2,1-2,6`` (en dash) for tables and captions.

    Examples
    --------
    >>> format_interval(2.14, 2.61)
    '2,1–2,6'
    """
    return f"{format_number(low, lang, decimals)}–{format_number(high, lang, decimals)}"


def join_names(names: list[str], lang: str = "da") -> str:
    """Join names as a sentence does: ``A, B og C`` / ``A, B and C``.

    Examples
    --------
    >>> join_names(["SUF", "TMF", "BUF"]), join_names(["SUF", "TMF"], "en"), join_names(["SUF"])
    ('SUF, TMF og BUF', 'SUF and TMF', 'SUF')
    """
    locale = babel_locale(lang)  # checks lang, even for an empty list
    return format_list(list(names), locale=locale) if names else ""
