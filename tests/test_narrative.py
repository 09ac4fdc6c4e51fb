"""Every sentence template, with intervals that overlap and intervals that do not."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config
from analysis.report.narrative import (
    HIGHER,
    LEVEL,
    LOWER,
    Estimate,
    compare,
    join_names,
    sentence_changes,
    sentence_coverage,
    sentence_positions,
    sentence_value_extreme,
)
from analysis.words import change_word

NAMES = {"a": "Klima", "b": "Miljø", "c": "Partnerskaber og innovation"}

VALUES = pd.DataFrame(
    {
        "value": ["c", "b", "a"],
        "score": [2.1, 3.40, 3.42],
        "level_name": ["Begyndende", "Etableret", "Etableret"],
        "level_uncertain": [False, True, False],
    }
)
# Paired differences: c is clearly below both; a and b, 0,02 apart, are on level.
PAIRS = pd.DataFrame(
    {"value_a": ["c", "c", "b"], "value_b": ["b", "a", "a"], "position": ["below", "below", "on level"]}
)


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
    assert sentence_value_extreme(VALUES, PAIRS, "lowest", NAMES, lang) == expected


def test_two_values_002_apart_are_on_level_not_highest():
    text = sentence_value_extreme(VALUES, PAIRS, "highest", NAMES, "da")
    assert "mest modne" not in text
    assert text == "Klima har den højeste score (3,4, etableret), men ligger på niveau med miljø."
    assert "on level with Miljø" in sentence_value_extreme(VALUES, PAIRS, "highest", NAMES, "en")


def test_an_uncertain_level_carries_its_question_mark_in_text():
    uncertain = VALUES.assign(level_uncertain=True)
    assert "(2,1, begyndende?)" in sentence_value_extreme(uncertain, PAIRS.assign(position="on level"), "lowest", NAMES)
    assert "(begyndende?)" in sentence_value_extreme(uncertain, PAIRS, "lowest", NAMES)


def test_departments_clearly_below_are_named_as_plainly_as_those_above():
    positions = pd.DataFrame(
        {
            "department": ["SUF", "TMF", "BUF", "SOF", "ØKF"],
            "diff": [1.3, 1.6, 0.1, -0.7, -0.2],
            "position": ["above", "above", "on level", "below", "on level"],
        }
    )
    assert sentence_positions(positions, {}, "Partnerskaber og innovation", 2.64, "da") == (
        "På partnerskaber og innovation ligger TMF og SUF klart over kommunens gennemsnit på 2,6, "
        "og SOF ligger klart under."
    )
    below_only = positions[positions["position"] != "above"]
    assert sentence_positions(below_only, {}, "Innovation", 2.64, "da") == (
        "På innovation ligger SOF klart under kommunens gennemsnit på 2,6; ingen ligger klart over."
    )
    group = pd.DataFrame({"department": ["ØVRIGE"], "diff": [-1.1], "position": ["below"]})
    names = {"ØVRIGE": "Øvrige forvaltninger (KFF og BIF)"}
    assert "Øvrige forvaltninger (KFF og BIF) is clearly below" in sentence_positions(
        group, names, "Innovation", 2.6, "en"
    )


def test_the_sample_briefing_names_the_departments_below_on_innovation():
    from analysis.report.briefing import prepare_briefing

    briefing = prepare_briefing(resamples=400, charts=False, chart_background=False)
    below = briefing.positions[
        (briefing.positions["value"] == "innovation") & (briefing.positions["position"] == "below")
    ]
    assert not below.empty
    sentence = briefing.innovation_sentence()
    for dept in below["department"]:
        assert briefing.group_names("innovation").get(dept, dept) in sentence
    assert "klart under" in sentence


def test_coverage_sentence_only_when_the_pictures_differ():
    full, alone = pd.Series({"a": 2.64, "b": 3.40}), pd.Series({"a": 3.07, "b": 3.45})
    text = sentence_coverage(full, alone, NAMES, "KFF og BIF")
    assert "3,1 i stedet for 2,6 på klima" in text and "miljø" not in text and "trækker altså gennemsnittet ned" in text
    assert sentence_coverage(full, full + 0.05, NAMES, "KFF og BIF") == ""


def _changes(verdicts: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"value": v, "verdict": verdict} for v, verdict in verdicts.items()])


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


def test_the_response_rate_is_said_where_the_export_lists_those_who_did_not_answer(tmp_path):
    from exports import read_plain, write_surveyxact

    from analysis.report.briefing import prepare_briefing

    sample = read_plain(__import__("pathlib").Path(__file__).parents[1] / "data" / "sample" / "responses_2025.csv")
    written = write_surveyxact(sample, tmp_path / "sx", "ansi", nonresponders=6)
    briefing = prepare_briefing([written.path], wave=2025, resamples=200, charts=False, chart_background=False)
    assert briefing.response() == (64, 70)
    assert "spurgt 70 indkøbsfaglige medarbejdere" in briefing.resume_sentences()[0]
    assert "64 har svaret (91 %)" in briefing.resume_sentences()[0]


def test_invited_counts_in_the_department_list(tmp_path, tiny_departments_yaml):
    from analysis.exceptions import CodebookError
    from analysis.survey.codebook import load_departments

    path = tmp_path / "departments.yaml"
    path.write_text(
        tiny_departments_yaml.replace("code: BUF", "code: BUF\n    invited: {2025: 30}", 1), encoding="utf-8"
    )
    departments = load_departments(path)
    assert departments["BUF"].invited_in(2025) == 30 and departments["BUF"].invited_in(2024) is None
    path.write_text(tiny_departments_yaml.replace("code: BUF", "code: BUF\n    invited: 30", 1), encoding="utf-8")
    with pytest.raises(CodebookError, match="invited"):
        load_departments(path)


def test_a_reversed_item_is_quoted_with_its_note():
    from analysis.survey.codebook import load_codebook
    from analysis.words import quote_item

    item = next(it for it in load_codebook().items if it.reverse)
    da = quote_item(item.text_da, item.reverse, "da")
    assert da.startswith("»") and "omvendt formuleret: en lav score betyder, at problemet er stort" in da
    assert "worded in reverse" in quote_item(item.text_en, True, "en")
    assert quote_item("Vi bruger data", False) == "»Vi bruger data«"


def test_a_profile_quoting_a_reversed_item_carries_the_note(tmp_path):
    """Every reverse-worded statement a profile quotes is followed by its note.

    The sample's 2025 wave is copied with every answer to the reverse-worded statements set to
    5 ("widespread" problem), so they score 1 and are among the weakest a profile quotes.
    """
    import pandas as pd

    from analysis.report.profile import prepare_profile
    from analysis.survey.codebook import load_codebook

    reversed_items = [it for it in load_codebook().items if it.reverse]
    reversed_texts = [it.text_da.strip().rstrip(".") for it in reversed_items]
    frame = pd.read_csv(config.SAMPLE_DIR / "responses_2025.csv", dtype=str, keep_default_na=False)
    for it in reversed_items:
        frame[it.id] = "5"
    export = tmp_path / "svar_2025.csv"
    frame.to_csv(export, index=False)
    quoted = 0
    for code in ("ØKF", "BUF", "SUF", "SOF", "TMF"):
        html = prepare_profile(code, str(export), resamples=200, chart_background=False).focus_areas()
        for text in reversed_texts:
            for part in str(html).split(f"»{text}«")[1:]:
                assert part.startswith(" (omvendt formuleret"), code
                quoted += 1
    assert quoted >= 1  # the sample's profiles quote at least one reversed statement


def test_the_response_rate_per_department_hides_what_is_not_published(tmp_path, tiny_departments_yaml):
    """Invited counts from the department list: rates where the count is published, none for the pooled."""
    import pathlib

    from analysis.report.appendix import _response_text
    from analysis.report.briefing import prepare_briefing
    from analysis.survey.codebook import load_departments

    path = pathlib.Path(__file__).parents[1] / "data" / "departments.yaml"
    text = path.read_text(encoding="utf-8")
    invited = {"ØKF": 10, "BUF": 20, "SUF": 20, "SOF": 12, "TMF": 15, "KFF": 8, "BIF": 6}
    for code, n in invited.items():
        text = text.replace(f"  - code: {code}\n", f"  - code: {code}\n    invited: {{2025: {n}}}\n", 1)
    custom = tmp_path / "departments.yaml"
    custom.write_text(text, encoding="utf-8")
    departments = load_departments(custom)
    briefing = prepare_briefing(resamples=200, charts=False, chart_background=False)
    briefing.departments = departments
    assert briefing.response() == (64, 91)
    sentence = _response_text(briefing)
    assert "64 af 91 inviterede har svaret (70 %)" in sentence
    assert "BUF 70 % (14 af 20)" in sentence and "KFF: indgår i Øvrige forvaltninger" in sentence
    assert "(4 af 8)" not in sentence and "(3 af 6)" not in sentence
