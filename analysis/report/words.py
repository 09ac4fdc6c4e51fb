"""Words that quote a setting or a rule, in one place for every document, chart and workbook.

Text that states a setting (the minimum group size, the confidence level, the don't-know
threshold) is formatted here from the setting itself, so a changed setting can never leave a
stale number in a sentence.
"""

from __future__ import annotations

from .formatting import format_share


def t(lang: str, da: str, en: str) -> str:
    """Return the Danish or the English text.

    Examples
    --------
    >>> t("en", "skjult", "hidden")
    'hidden'
    """
    return en if lang == "en" else da


def hidden_text(min_n: int, lang: str = "da", *, capital: bool = False) -> str:
    """Return the words for a suppressed cell, e.g. ``skjult (n < 5)``.

    Examples
    --------
    >>> hidden_text(5), hidden_text(10, "en", capital=True)
    ('skjult (n < 5)', 'Hidden (n < 10)')
    """
    word = t(lang, "skjult", "hidden")
    return f"{word.capitalize() if capital else word} (n < {min_n})"


def confidence_text(confidence: float, lang: str = "da") -> str:
    """Return the confidence level as a percentage: ``95 %`` (Danish) or ``95%``.

    Examples
    --------
    >>> confidence_text(0.95), confidence_text(0.9, "en")
    ('95 %', '90%')
    """
    return format_share(confidence, lang)


def threshold_text(share: float, lang: str = "da") -> str:
    """Return a threshold share (e.g. the don't-know flag) as a percentage: ``30 %``.

    Examples
    --------
    >>> threshold_text(0.3)
    '30 %'
    """
    return format_share(share, lang)
