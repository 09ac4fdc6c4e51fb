"""Every sentence template, with intervals that overlap and intervals that do not."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.report.narrative import (
    HIGHER,
    LEVEL,
    LOWER,
    Estimate,
    compare,
    join_names,
    sentence_changes,
    sentence_extreme,
    sentence_leaders,
)
from analysis.words import change_word

CLEAR = [
    Estimate("Partnerskaber og innovation", 2.1, 1.9, 2.3),
    Estimate("Miljø", 3.2, 3.0, 3.4),
    Estimate("Klima", 3.6, 3.45, 3.75),
]
OVERLAP = [
    Estimate("Partnerskaber og innovation", 2.9, 2.6, 3.2),
    Estimate("Miljø", 3.0, 2.8, 3.3),
    Estimate("Klima", 3.1, 2.95, 3.3),
]


def test_compare_uses_interval_overlap():
    a, b = Estimate("A", 3.0, 2.8, 3.2), Estimate("B", 2.5, 2.3, 2.7)
    assert compare(a, b) == HIGHER and compare(b, a) == LOWER
    # Touching intervals overlap: no ranking.
    assert compare(Estimate("A", 3.0, 2.7, 3.2), Estimate("B", 2.5, 2.3, 2.7)) == LEVEL


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("da", "Partnerskaber og innovation er den mindst modne værdi med en score på 2,1 (begyndende)."),
        ("en", "Partnerskaber og innovation is the least mature value, scoring 2.1 (begyndende)."),
    ],
)
def test_lowest_value_clearly_below_the_others(lang, expected):
    assert sentence_extreme(CLEAR, "lowest", "Begyndende", lang) == expected


def test_lowest_value_on_level_with_others_is_not_called_least_mature():
    text = sentence_extreme(OVERLAP, "lowest", "Etableret", "da")
    assert "mindst modne" not in text
    assert text == (
        "Partnerskaber og innovation har den laveste score (2,9, etableret), men ligger på niveau med miljø og klima."
    )
    assert "on level with" in sentence_extreme(OVERLAP, "lowest", "Established", "en")


def test_highest_value_both_ways():
    assert (
        sentence_extreme(CLEAR, "highest", "Systematisk", "da")
        == "Klima er den mest modne værdi med en score på 3,6 (systematisk)."
    )
    assert sentence_extreme(OVERLAP, "highest", "Etableret", "da").startswith("Klima har den højeste score (3,1")


def test_leaders_only_when_interval_is_above_the_municipality():
    muni = Estimate("Partnerskaber og innovation", 2.6, 2.5, 2.7)
    depts = [Estimate("SUF", 3.9, 3.6, 4.1), Estimate("TMF", 4.1, 3.8, 4.3), Estimate("BUF", 2.8, 2.5, 3.1)]
    # BUF's interval reaches below the municipal mean: not named.
    assert (
        sentence_leaders(depts, muni, "Partnerskaber og innovation", "da")
        == "På partnerskaber og innovation ligger TMF og SUF klart over kommunens gennemsnit på 2,6."
    )
    assert (
        sentence_leaders(depts, muni, "Partnerships and innovation", "en")
        == "On partnerships and innovation, TMF and SUF are clearly above the municipal average of 2.6."
    )
    none = [Estimate("BUF", 2.8, 2.5, 3.1)]
    assert sentence_leaders(none, muni, "Partnerskaber og innovation", "da").startswith("Ingen forvaltning")
    assert sentence_leaders(none, muni, "Partnerships and innovation", "en").startswith("No department")


def _changes(verdicts: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"value": v, "verdict": verdict} for v, verdict in verdicts.items()])


NAMES = {"a": "Klima", "b": "Miljø", "c": "Partnerskaber og innovation"}


def test_changes_name_only_clear_changes():
    text = sentence_changes(_changes({"a": "improvement", "b": "no clear change", "c": "decline"}), NAMES, 2024)
    assert text == (
        "Siden 2024 er modenheden steget på klima og er den faldet på partnerskaber og innovation. "
        "For de øvrige værdier er der ingen klar ændring."
    )
    assert (
        sentence_changes(_changes({"a": "no clear change", "b": "no clear change"}), NAMES, 2024)
        == "Siden 2024 er der ingen klar ændring på nogen af værdierne."
    )
    en = sentence_changes(_changes({"a": "improvement", "b": "no clear change"}), NAMES, 2024, "en")
    assert en == "Since 2024, maturity has risen on Klima. The other values show no clear change."


def test_change_words_and_lists():
    assert change_word("decline") == "tilbagegang" and change_word("improvement", "en") == "improvement"
    assert join_names(["ØKF", "BUF", "SUF"]) == "ØKF, BUF og SUF"
    assert join_names([]) == ""


def test_a_change_on_every_value_is_said_once():
    text = sentence_changes(_changes({"a": "improvement", "b": "improvement", "c": "improvement"}), NAMES, 2024)
    assert text == "Siden 2024 er modenheden steget på alle værdier."
    assert (
        sentence_changes(_changes({"a": "decline", "b": "decline"}), NAMES, 2024, "en")
        == "Since 2024, maturity has fallen on every value."
    )
    assert (
        sentence_changes(_changes({"a": "decline", "b": "no clear change"}), NAMES, 2024)
        == "Siden 2024 er modenheden faldet på klima. For de øvrige værdier er der ingen klar ændring."
    )
