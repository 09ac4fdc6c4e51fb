"""The department profile on the bundled sample: disclosure control first, then the content.

Method version 2 on the sample (min_n = 5 unless said; n = respondents with a valid answer):

- 2025: BIF (3) and KFF (4) are under 5 on every value and pool into the merged group
  "Øvrige forvaltninger (KFF og BIF)": 3 + 4 = 7 >= 5 from two departments, so no one else joins.
- 2024: BIF (4) is alone under 5 on four values, so the published department with the smallest n
  joins it: SOF (5, against KFF 6, ØKF 8, ...) is pulled in (SOF+BIF) and hidden though it has 5;
  on innovation SOF has 4 itself. SOF is hidden on every value in 2024.
- 2023: SOF has 3 on innovation and is pooled with KFF and BIF on it; its other values (5) are shown.
- 2025 with min_n = 8: KFF + BIF = 7 < 8, so the smallest published department joins: ØKF (8,
  against SOF 9) on organisation, climate and labour; on innovation ØKF has 7 itself; on
  environment SOF and ØKF both have 8 and the later in report order (SOF) joins, so ØKF's
  environment stays published.

What a hidden cell would have shown is computed independently with ``score_survey(..., min_n=1)``
(the floor lowered for this module), which suppresses nothing, and the tests check that none of
those numbers reaches the profile.
"""

from __future__ import annotations

import html as html_lib
import re

import nbformat
import pandas as pd
import pytest
from markupsafe import escape

from analysis import config, load_responses, score_survey
from analysis.exceptions import ParameterError
from analysis.formatting import format_number
from analysis.report.profile import DepartmentProfile, prepare_profile
from analysis.stats.comparisons import compare_departments_to_municipality


@pytest.fixture(autouse=True, scope="module")
def _tiny_groups(low_min_n):
    """Hand-worked fixtures here have groups of one to four: the min_n floor of 5 is lowered for them."""


SECTIONS = ("header", "summary", "values", "focus_areas", "distributions", "trend", "appendix")


def _page(profile: DepartmentProfile) -> str:
    """Return every section's HTML, as the notebook shows them, in one string."""
    return "\n".join(str(getattr(profile, name)()) for name in SECTIONS)


def _text(page: str) -> str:
    """Return the page's visible text plus its image alt texts (the PNG data left out)."""
    alts = " ".join(re.findall(r'alt="([^"]*)"', page))
    no_images = re.sub(r'src="data:[^"]*"', "", page)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", no_images) + " " + alts)


#: A table row: its heading (the value's short name) and the rest of its cells.
ROW = r'<tr><th scope="row" class="head">([^<]+)</th>(.*?)</tr>'


def _formatted(numbers, decimals=(1, 2)) -> set[str]:
    return {format_number(x, "da", d) for x in numbers if pd.notna(x) for d in decimals}


def _numbers(text: str) -> set[str]:
    """Return every decimal number written in the text, whole ("2,82" is not "2,8")."""
    return set(re.findall(r"(?<![\d,])\d+,\d+(?![\d,])", text))


def _scores(min_n: int = 5):
    return score_survey(load_responses(config.sample_files()).responses, min_n=min_n, seed=config.DEFAULT_SEED)


@pytest.fixture(scope="module")
def unsuppressed():
    """Return the sample's scores with nothing suppressed (min_n = 1), same seed as the profiles."""
    responses = load_responses(config.sample_files()).responses
    return score_survey(responses, min_n=1, seed=config.DEFAULT_SEED)


@pytest.fixture(scope="module")
def bif():
    return prepare_profile("BIF", chart_background=False)


@pytest.fixture(scope="module")
def tmf():
    return prepare_profile("TMF", chart_background=False)


# -- disclosure --------------------------------------------------------------------------------


def test_sample_is_as_the_tests_assume(unsuppressed):
    dv = unsuppressed.department_value.set_index(["wave", "department", "value"]).sort_index()
    assert (dv.loc[(2025, "BIF"), "n"] == 3).sum() == 4 and (dv.loc[(2025, "KFF"), "n"] == 4).all()
    assert (dv.loc[(2024, "BIF"), "n"] == 4).all() and dv.loc[(2024, "SOF", "innovation"), "n"] == 4
    assert (dv.loc[(2024, "SOF"), "n"] == 5).sum() == 4 and (dv.loc[(2024, "KFF"), "n"] >= 5).all()
    assert dv.loc[(2023, "SOF", "innovation"), "n"] == 3 and (dv.loc[(2023, "SOF"), "n"] == 5).sum() == 4
    assert dv.loc[(2025, "ØKF", "innovation"), "n"] == 7 and (dv.loc[(2025, "ØKF"), "n"] == 8).sum() == 4
    assert dv.loc[(2025, "SOF", "environment"), "n"] == 8
    # The merged groups the tests rely on, as the scores build them.
    groups = _scores().department_value
    groups = groups[groups["department"] == config.MERGED_GROUP].set_index(["wave", "value"])["members"]
    assert set(groups.loc[2025]) == {"KFF+BIF"}
    assert set(groups.loc[2024]) == {"SOF+BIF"}
    assert groups.loc[(2023, "innovation")] == "SOF+KFF+BIF"
    eight = _scores(8).department_value
    eight = eight[(eight["department"] == config.MERGED_GROUP) & (eight["wave"] == 2025)].set_index("value")
    assert eight["members"].to_dict() == {
        "organisation": "ØKF+KFF+BIF",
        "climate": "ØKF+KFF+BIF",
        "labour": "ØKF+KFF+BIF",
        "environment": "SOF+KFF+BIF",
        "innovation": "ØKF+KFF+BIF",
    }


def test_fully_hidden_department_shows_none_of_its_scores(bif, unsuppressed):
    assert bif.all_hidden
    page = _page(bif)
    text = _text(page)
    dv = unsuppressed.department_value
    fa = unsuppressed.department_focus_area
    own_dv = dv[(dv["department"] == "BIF") & (dv["wave"] == 2025)]
    own_fa = fa[(fa["department"] == "BIF") & (fa["wave"] == 2025)]
    secret = _formatted([*own_dv["score"], *own_dv["ci_low"], *own_dv["ci_high"], *own_fa["score"]])
    assert len(secret) > 10
    leaked = sorted(secret & _numbers(text))
    assert leaked == [], f"BIF's hidden scores appear in its profile: {leaked}"
    # Only the header, one paragraph and the method note: no chart, no table, no count.
    assert "<img" not in page and "<table" not in page
    for name in ("values", "focus_areas", "distributions", "trend"):
        assert str(getattr(bif, name)()) == ""
    assert "kan ikke vises" in text and "Færre end 5" in text
    # Where its answers went, with the merged group's published scores (and why).
    summary_text = _text(str(bif.summary()))
    assert "tælles forvaltningens svar med i Øvrige forvaltninger (KFF og BIF)" in summary_text
    group = _scores().department_value
    group = group[(group["department"] == config.MERGED_GROUP) & (group["wave"] == 2025)]
    for score in group["score"]:
        assert format_number(score, "da", 2) in summary_text
    assert "er med i kommunens gennemsnit" in summary_text
    respondents = unsuppressed.respondents
    n_bif = int(
        respondents.loc[(respondents["department"] == "BIF") & (respondents["wave"] == 2025), "respondents"].iloc[0]
    )
    summary = _text(str(bif.summary()))
    # As a whole number, not as a digit of a decimal such as the group's "3,07".
    assert not re.search(rf"(?<![\d,]){n_bif}(?![\d,])", summary), (
        "the paragraph must not give the number of respondents"
    )
    assert "Metode" in text and "Beskæftigelses- og Integrationsforvaltningen (BIF)" in text


def test_fully_hidden_department_tables_are_blank(bif, tmp_path):
    written = bif.write_tables(tmp_path)
    assert {p.name for p in written} == {"profile_BIF.csv", "profile_BIF_focus_areas.csv"}
    table = pd.read_csv(tmp_path / "tables" / "profile_BIF.csv")
    assert list(table.columns) == [
        "wave",
        "department",
        "value",
        "score",
        "ci_low",
        "ci_high",
        "n",
        "level",
        "suppressed",
        "members",
    ]
    assert set(table["department"]) == {"BIF"} and set(table["wave"]) == {2023, 2024, 2025}
    latest = table[table["wave"] == 2025]
    assert len(latest) == 5
    assert latest[["score", "ci_low", "ci_high", "level"]].isna().all().all()
    assert latest["suppressed"].all()
    areas = pd.read_csv(tmp_path / "tables" / "profile_BIF_focus_areas.csv")
    assert areas.loc[areas["wave"] == 2025, "score"].isna().all()


def test_write_tables_writes_nothing_without_a_folder(bif):
    assert bif.write_tables("") == []


def test_partly_hidden_department_hides_exactly_those_values(unsuppressed):
    # SOF 2023: 3 answered innovation (pooled with KFF and BIF), 5 answered each of the other four.
    profile = prepare_profile("SOF", wave=2023, chart_background=False)
    cells = profile.cells()
    assert list(cells.index[cells["suppressed"]]) == ["innovation"]
    page = _page(profile)
    text = _text(page)
    dv = unsuppressed.department_value
    own = dv[(dv["department"] == "SOF") & (dv["wave"] == 2023)].set_index("value")
    hidden = own.loc["innovation"]
    secret = _formatted([hidden["score"], hidden["ci_low"], hidden["ci_high"]], decimals=(2,))
    assert not secret & _numbers(text)
    for vid in ("organisation", "climate", "labour", "environment"):
        assert format_number(own.loc[vid, "score"], "da", 2) in text, vid
    fa = profile.focus_areas_table()
    assert not fa.loc[fa["value"] == "innovation", "shown"].any()
    # The summary says where the answers went and why, without a number of SOF's own.
    assert (
        "på partnerskaber og innovation tælles forvaltningens svar med i Øvrige forvaltninger (SOF, KFF og BIF), "
        "fordi færre end 5 gav et gyldigt svar" in _text(str(profile.summary()))
    )


def test_count_under_min_n_is_written_in_words(unsuppressed):
    # SOF 2023 innovation: 3 answered. The values table's n reads "færre end 5", never 3.
    profile = prepare_profile("SOF", wave=2023, chart_background=False)
    values = str(profile.values())
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", values) if ">Partnerskaber og innovation<" in r)
    assert '<td class="num hidden">færre end 5</td>' in row
    assert not re.search(r">\s*3\s*<", row)
    # The group's published score is shown in the row, with the group's name and the reason.
    group = _scores().department_value.set_index(["wave", "department", "value"])
    score = group.loc[(2023, config.MERGED_GROUP, "innovation"), "score"]
    row_text = _text(row)
    assert "Tælles med i Øvrige forvaltninger (SOF, KFF og BIF), fordi færre end 5 gav et gyldigt svar" in row_text
    assert format_number(score, "da", 2) in row_text


def test_department_pulled_into_the_merged_group_says_so_and_shows_no_own_number():
    # 2025, min_n = 8: ØKF (8) joins KFF + BIF (7 < 8) on organisation, climate and labour.
    published = _scores().department_value.set_index(["wave", "department", "value"])
    profile = prepare_profile("ØKF", min_n=8, chart_background=False)
    merged = profile.merged()
    assert merged.loc[["organisation", "climate", "labour"], "reason"].eq("pulled in").all()
    assert merged.loc["innovation", "reason"] == "small" and not merged.loc["environment", "in_group"]
    page = _page(profile)
    text = _text(page)
    # ØKF's own numbers on those values (published at min_n = 5) are nowhere in the profile. One
    # coincides with a number the profile rightly shows for the municipality: ØKF's climate interval
    # ends at 3,76, as do the municipality's intervals on organisation and labour (3,37-3,76 and
    # 3,47-3,76). Those municipal and merged-group numbers are told apart, not hidden.
    eight = _scores(8)
    muni = eight.value[eight.value["wave"] == 2025]
    group = eight.department_value
    group = group[(group["wave"] == 2025) & (group["department"] == config.MERGED_GROUP)]
    public = _formatted([*muni["score"], *muni["ci_low"], *muni["ci_high"], *group["score"]], decimals=(2,))
    for vid in ("organisation", "climate", "labour", "innovation"):
        own = published.loc[(2025, "ØKF", vid)]
        secret = _formatted([own["score"], own["ci_low"], own["ci_high"]], decimals=(2,))
        assert not (secret - public) & _numbers(text), vid
        assert len(secret - public) >= 2, vid  # the check still bites on most of them
    assert format_number(published.loc[(2025, "ØKF", "environment"), "score"], "da", 2) in text
    values = _text(str(profile.values()))
    why = (
        "Tælles med i Øvrige forvaltninger (ØKF, KFF og BIF), fordi forvaltningen er lagt sammen med KFF og BIF, "
        "så resultaterne for KFF og BIF ikke kan regnes ud af de viste tal"
    )
    assert values.count(why) == 3
    summary = _text(str(profile.summary()))
    assert (
        "på effektiv indkøbsorganisation, reduceret klimaaftryk og ansvarlige arbejdsvilkår tælles forvaltningens "
        "svar med i Øvrige forvaltninger (ØKF, KFF og BIF), fordi forvaltningen er lagt sammen med KFF og BIF"
        in summary
    )
    # A department pulled in on every value it is not small on (SOF 2024) gets the one paragraph.
    sof = prepare_profile("SOF", wave=2024, chart_background=False)
    assert sof.all_hidden
    paragraph = _text(str(sof.summary()))
    assert "er forvaltningen lagt sammen med BIF, så resultaterne for BIF ikke kan regnes ud" in paragraph
    assert "På partnerskaber og innovation har færre end 5 givet et gyldigt svar" in paragraph
    assert "Øvrige forvaltninger (SOF og BIF)" in paragraph


def test_value_hidden_in_the_previous_wave_has_no_change(unsuppressed):
    # SOF was under 5 on innovation in 2024 (and pulled in on the rest): its 2024 profile hides
    # innovation, and its 2025 profile shows innovation for 2025 but no 2024 number and no change.
    dv = unsuppressed.department_value.set_index(["wave", "department", "value"])
    secret = dv.loc[(2024, "SOF", "innovation")]
    numbers = _formatted([secret["score"], secret["ci_low"], secret["ci_high"]], decimals=(2,))
    assert not numbers & _numbers(_text(_page(prepare_profile("SOF", wave=2024, chart_background=False))))
    profile = prepare_profile("SOF", chart_background=False)
    # In the 2025 profile a 2024 number could only be in the trend (chart and change table).
    # (The whole page does hold "1,62": the lower end of SOF's 2025 interval on one innovation focus area.)
    assert not numbers & _numbers(_text(str(profile.trend())))
    changes = profile.changes()
    # SOF was hidden on every value in 2024 (pulled into SOF+BIF, or 4 answers on innovation).
    assert changes["suppressed"].all() and (changes["verdict"] == "").all()
    trend = _text(str(profile.trend()))
    assert "Ændringen siden 2024 kan ikke vises på nogen værdi" in trend
    assert (
        "forbedring" not in trend.split("En ændring kaldes kun")[0]
        and "tilbagegang" not in trend.split("En ændring kaldes kun")[0]
    )


def test_focus_areas_of_a_value_with_a_hidden_focus_area_are_withheld(unsuppressed):
    # KFF 2024, labour: KFF is published (6 respondents), but one focus area (lab_tax) had 4 answers.
    # The value's score is the mean of its focus areas, so the others would give the hidden one away:
    # k x value - (sum of the others) = the hidden one. The profile shows none of them.
    fa1 = unsuppressed.department_focus_area
    labour = fa1[(fa1["department"] == "KFF") & (fa1["wave"] == 2024) & (fa1["value"] == "labour")]
    value = unsuppressed.department_value.set_index(["wave", "department", "value"]).loc[
        (2024, "KFF", "labour"), "score"
    ]
    hidden = labour[labour["n"] < 5]
    assert list(hidden["focus_area"]) == ["lab_tax"]
    others = labour[labour["n"] >= 5]["score"]
    assert len(labour) * value - others.sum() == pytest.approx(hidden["score"].iloc[0])

    profile = prepare_profile("KFF", wave=2024, chart_background=False)
    assert not profile.cells().loc["labour", "suppressed"]
    table = profile.focus_areas_table()
    rows = table[table["value"] == "labour"]
    # Scoring hides all of them (secondary suppression); nothing of the value's focus areas is shown.
    assert len(rows) == len(labour) and not rows["shown"].any()
    page = _page(profile)
    names = [profile.codebook.focus_area_name(f) for f in labour["focus_area"]]
    for name in names:
        # Every row naming a labour focus area, in any table, carries no number.
        rows = [r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", page) if f">{escape(name)}<" in r]
        assert rows, name
        for row in rows:
            assert not re.search(r"\d,\d", row), row
            assert "et af dem har færre end 5 svar" in row or "skjult (n &lt; 5)" in row
    points = _text(page.split("Hvad data peger på")[1].split("Svarfordeling")[0])
    assert not any(name in points for name in names)
    assert format_number(value, "da", 2) in _text(page)  # the value itself is still shown


# -- content --------------------------------------------------------------------------------------


def test_strong_department_is_clearly_above_on_innovation(tmf):
    scores = _scores()
    dv = scores.department_value.set_index(["wave", "department", "value"])
    own = dv.loc[(2025, "TMF", "innovation")]
    paired = compare_departments_to_municipality(scores, 2025).set_index(["department", "value"])
    assert paired.loc[("TMF", "innovation"), "ci_low"] > 0  # by the numbers, independently of the profile
    assert tmf.comparison().loc["innovation", "position"] == "above"
    text = _text(_page(tmf))
    assert format_number(own["score"], "da", 2) in text
    summary = _text(str(tmf.summary()))
    above = re.search(r"klart over kommunens gennemsnit på ([^;.]+)", summary)
    assert above and "partnerskaber og innovation" in above.group(1)


def test_department_clearly_below_the_municipality_is_told_so():
    # SOF 2025 by the paired comparison: the difference's interval lies wholly below 0 on
    # climate, environment and innovation, and includes 0 on organisation and labour.
    paired = compare_departments_to_municipality(_scores(), 2025)
    paired = paired[paired["department"] == "SOF"].set_index("value")
    below = list(paired.index[paired["ci_high"] < 0])
    assert below == ["climate", "environment", "innovation"]
    assert (paired.loc[["organisation", "labour"], "ci_low"] < 0).all()
    sof = prepare_profile("SOF", chart_background=False)
    assert list(sof.comparison()["position"]) == ["on level", "below", "on level", "below", "below"]
    summary = _text(str(sof.summary()))
    said = re.search(r"Forvaltningen ligger klart under kommunens gennemsnit på ([^;.]+)", summary)
    assert said and said.group(1) == ("reduceret klimaaftryk, miljømæssig bæredygtighed og partnerskaber og innovation")
    assert "på niveau med kommunen på effektiv indkøbsorganisation og ansvarlige arbejdsvilkår" in summary
    values = str(sof.values())
    rows = {r: v for r, v in re.findall(ROW, values)}
    assert rows["Klima"].endswith('<td class="flag">klart under</td>')
    assert rows["Organisation"].endswith("<td>på niveau</td>")


def test_level_names_in_text_carry_the_question_mark():
    # SOF 2025, labour: 3,68 with interval 3,30-4,03, which crosses the boundary 3,5 (level 4 or 3).
    sof = prepare_profile("SOF", chart_background=False)
    cells = sof.cells()
    assert bool(cells.loc["labour", "level_uncertain"]) and not bool(cells.loc["innovation", "level_uncertain"])
    summary = _text(str(sof.summary()))
    assert "ansvarlige arbejdsvilkår (3,7, systematisk?)" in summary
    assert "partnerskaber og innovation (2,0, begyndende)" in summary


def test_change_words_follow_the_change_tables_verdict(tmf):
    changes = tmf.changes()
    table = str(tmf.trend()).split('<table class="profile-change')[1]
    rows = re.findall(ROW, table)
    assert len(rows) == 5
    words = {"improvement": "forbedring", "decline": "tilbagegang", "no clear change": "ingen klar ændring"}
    for (short, row), vid in zip(rows, tmf.codebook.value_ids):
        verdict = changes.loc[vid, "verdict"]
        assert short == tmf.short(vid)
        assert row.endswith(f">{words[verdict]}</td>"), (vid, verdict, row)
    # The sentence calls a rise an improvement only where the verdict says so.
    sentence = _text(str(tmf.trend())).split("Ændring siden 2024")[1].split("En ændring kaldes kun")[0]
    risen = [tmf.value_name(v, lower=True) for v in changes.index[changes["verdict"] == "improvement"]]
    if not risen:
        assert "steget" not in sentence
    for name in risen:
        assert name in sentence
    assert "mindst 0,25" in _text(str(tmf.trend()))


def test_summary_has_two_to_four_sentences(tmf):
    for profile in (
        tmf,
        prepare_profile("SOF", chart_background=False),
        prepare_profile("BUF", chart_background=False),
    ):
        assert 2 <= len(profile.summary_sentences()) <= 4


def test_sections_have_a_heading_and_the_charts_are_embedded(tmf):
    for name in SECTIONS[1:]:
        assert "<h2" in str(getattr(tmf, name)()), name
    page = _page(tmf)
    assert page.count("<img") == 3  # values, distribution (11 >= 10 respondents), trend
    assert '<h1 class="doctitle">Modenhed i indkøbet 2025: Teknik- og Miljøforvaltningen (TMF)</h1>' in page
    assert "Forvaltningsprofil" in page and "Syntetiske data" in page
    assert "Hvad data peger på" in page


def test_focus_points_name_the_lowest_published_focus_areas(tmf):
    table = tmf.focus_areas_table()
    lowest = table[table["shown"]].nsmallest(3, "score")
    block = _text(str(tmf.focus_areas()))
    for focus_area in lowest["focus_area"]:
        assert tmf.codebook.focus_area_name(focus_area) in block
    assert "Lavest scorer udsagn" in block


def test_distribution_needs_twice_min_n():
    sof = prepare_profile("SOF", chart_background=False)  # 8-9 respondents per value: under 10
    text = _text(str(sof.distributions()))
    assert "Svarfordelingen vises ikke, fordi færre end 10" in text
    assert "<img" not in str(sof.distributions())


def test_english_profile():
    profile = prepare_profile("TMF", lang="en", chart_background=False)
    page = _page(profile)
    text = _text(page)
    assert "Department profile" in text and "Summary" in text and "What the data point to" in text
    assert "Procurement maturity 2025: Technical and Environmental Administration (TMF)" in text
    assert "clearly above the municipal average on" in text
    score = profile.cells().loc["innovation", "score"]
    assert format_number(score, "en", 2) in text and format_number(score, "da", 2) not in text


def test_department_given_by_name():
    assert prepare_profile("Teknik og Miljø", resamples=200).department == "TMF"


def test_unknown_department_is_a_parameter_error():
    with pytest.raises(ParameterError, match="ØKF, BUF, SUF, SOF, TMF, KFF, BIF"):
        prepare_profile("Nowhere")


@pytest.mark.slow
def test_notebook_for_a_fully_hidden_department(tmp_path):
    import papermill

    path = config.NOTEBOOKS_DIR / "department.ipynb"
    out = tmp_path / "bif.ipynb"
    papermill.execute_notebook(
        str(path),
        str(out),
        parameters={"department": "BIF", "output_dir": str(tmp_path)},
        kernel_name="python3",
        cwd=str(path.parent),
        progress_bar=False,
    )
    executed = nbformat.read(out, as_version=4)
    html = "".join(
        o.get("data", {}).get("text/html", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs
    )
    assert "kan ikke vises" in html and "<img" not in html and "Metode" in html
    assert (tmp_path / "tables" / "profile_BIF.csv").exists()


def test_profile_has_its_own_header(tmf):
    header = str(tmf.header())
    assert header.count('<p class="kind">') == 1
    assert "Forvaltningsprofil · Teknik- og Miljøforvaltningen (TMF)" in header
    assert "Orientering til Økonomiudvalget" not in header


def test_chart_background_is_passed_on_to_the_briefing():
    profile = prepare_profile("TMF", resamples=200, chart_background=False)
    assert profile.briefing.chart_background is False
    assert str(profile.values()).count("<img") == 1  # the charts are all drawn in this process
