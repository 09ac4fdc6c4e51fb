"""The department profile on the bundled sample: disclosure control first, then the content.

The sample's 2025 wave has BIF (3 respondents) and KFF (4) under min_n = 5 on every value; SOF
was under 5 on innovation in 2024 (4 answered it) and ØKF has 7 answering innovation in 2025,
so min_n = 8 hides ØKF on innovation only. What a hidden cell would have shown is computed
independently with ``score_survey(..., min_n=1)``, which suppresses nothing, and the test checks
that none of those numbers reaches the profile.
"""

from __future__ import annotations

import html as html_lib
import re

import nbformat
import pandas as pd
import pytest

from analysis import config, load_responses, score_survey
from analysis.exceptions import ParameterError
from analysis.formatting import format_number
from analysis.report.profile import DepartmentProfile, prepare_profile


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


def _formatted(numbers, decimals=(1, 2)) -> set[str]:
    return {format_number(x, "da", d) for x in numbers if pd.notna(x) for d in decimals}


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
    assert (dv.loc[(2025, "BIF"), "n"] < 5).all() and (dv.loc[(2025, "KFF"), "n"] < 5).all()
    assert dv.loc[(2024, "SOF", "innovation"), "n"] == 4
    assert dv.loc[(2025, "ØKF", "innovation"), "n"] == 7 and (dv.loc[(2025, "ØKF"), "n"] >= 8).sum() == 4


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
    leaked = sorted(s for s in secret if s in text)
    assert leaked == [], f"BIF's hidden scores appear in its profile: {leaked}"
    # Only the header, one paragraph and the method note: no chart, no table, no count.
    assert "<img" not in page and "<table" not in page
    for name in ("values", "focus_areas", "distributions", "trend"):
        assert str(getattr(bif, name)()) == ""
    assert "kan ikke vises" in text and "Færre end 5" in text
    respondents = unsuppressed.respondents
    n_bif = int(
        respondents.loc[(respondents["department"] == "BIF") & (respondents["wave"] == 2025), "respondents"].iloc[0]
    )
    summary = _text(str(bif.summary()))
    assert not re.search(rf"\b{n_bif}\b", summary), "the paragraph must not give the number of respondents"
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
    # ØKF with min_n = 8: innovation (7 answered) is hidden, the other four values (8) are shown.
    profile = prepare_profile("ØKF", min_n=8, chart_background=False)
    cells = profile.cells()
    assert list(cells.index[cells["suppressed"]]) == ["innovation"]
    page = _page(profile)
    text = _text(page)
    dv = unsuppressed.department_value
    own = dv[(dv["department"] == "ØKF") & (dv["wave"] == 2025)].set_index("value")
    hidden = own.loc["innovation"]
    for number in _formatted([hidden["score"], hidden["ci_low"], hidden["ci_high"]], decimals=(2,)):
        assert number not in text
    for vid in ("organisation", "climate", "labour", "environment"):
        assert format_number(own.loc[vid, "score"], "da", 2) in text, vid
    fa = profile.focus_areas_table()
    assert not fa.loc[fa["value"] == "innovation", "shown"].any()
    # The trend shows no innovation point in any year (ØKF had under 8 every year) ...
    alt = next(a for a in re.findall(r'alt="([^"]*)"', page) if a.startswith("Modenheden i Økonomiforvaltningen"))
    assert "Partnerskaber og innovation:" not in html_lib.unescape(alt)
    assert "Partnerskaber og innovation (2023, 2024 og 2025)" in html_lib.unescape(alt)
    # ... and the summary says why, without a number for it.
    assert "på partnerskaber og innovation har færre end 8 givet et gyldigt svar" in str(profile.summary())


def test_value_hidden_in_the_previous_wave_has_no_change(unsuppressed):
    # SOF was under 5 on innovation in 2024: its 2024 profile hides innovation, and its 2025
    # profile shows innovation for 2025 but no 2024 point and no change.
    dv = unsuppressed.department_value.set_index(["wave", "department", "value"])
    secret = dv.loc[(2024, "SOF", "innovation")]
    numbers = _formatted([secret["score"], secret["ci_low"], secret["ci_high"]], decimals=(2,))
    for wave in (2024, 2025):
        profile = prepare_profile("SOF", wave=wave, chart_background=False)
        text = _text(_page(profile))
        assert not [x for x in numbers if x in text], wave
    profile = prepare_profile("SOF", chart_background=False)
    changes = profile.changes()
    assert changes.loc["innovation", "suppressed"] and changes.loc["innovation", "verdict"] == ""
    assert not changes.drop(index="innovation")["suppressed"].any()
    trend = str(profile.trend())
    assert "På partnerskaber og innovation kan ændringen ikke vises" in _text(trend)


def test_focus_areas_of_a_value_with_a_hidden_focus_area_are_withheld(unsuppressed):
    # KFF 2023, climate: one focus area (baseline) had 4 answers. The value's score is the mean of
    # its five focus areas, so the other four would give the hidden one away:
    # 5 x 3.105 - (3.25 + 3.5 + 3.25 + 2.775) = 2.75. The profile shows none of the five.
    fa1 = unsuppressed.department_focus_area
    climate = fa1[(fa1["department"] == "KFF") & (fa1["wave"] == 2023) & (fa1["value"] == "climate")]
    value = unsuppressed.department_value.set_index(["wave", "department", "value"]).loc[
        (2023, "KFF", "climate"), "score"
    ]
    hidden = climate[climate["n"] < 5]
    assert len(hidden) == 1
    others = climate[climate["n"] >= 5]["score"]
    assert len(climate) * value - others.sum() == pytest.approx(hidden["score"].iloc[0])

    profile = prepare_profile("KFF", wave=2023, chart_background=False)
    table = profile.focus_areas_table()
    rows = table[table["value"] == "climate"]
    # Scoring hides all five (secondary suppression); nothing of the value's focus areas is shown.
    assert len(rows) == 5 and not rows["shown"].any()
    page = _page(profile)
    names = [profile.codebook.focus_area_name(f) for f in climate["focus_area"]]
    for name in names:
        # Every row naming a climate focus area, in any table, carries no number.
        rows = [r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", page) if f">{html_lib.escape(name)}<" in r]
        assert rows, name
        for row in rows:
            assert not re.search(r"\d,\d", row), row
            assert "et af dem har færre end 5 svar" in row or "skjult (n &lt; 5)" in row
    points = _text(page.split("Hvad data peger på")[1].split("Svarfordeling")[0])
    assert not any(name in points for name in names)
    assert format_number(value, "da", 2) in _text(page)  # the value itself is still shown


# -- content --------------------------------------------------------------------------------------


def test_strong_department_is_clearly_above_on_innovation(tmf):
    scores = score_survey(load_responses(config.sample_files()).responses, min_n=5, seed=config.DEFAULT_SEED)
    dv = scores.department_value.set_index(["wave", "department", "value"])
    own = dv.loc[(2025, "TMF", "innovation")]
    muni = scores.value.set_index(["wave", "value"]).loc[(2025, "innovation")]
    assert own["ci_low"] > muni["ci_high"]  # by the numbers, independently of the profile
    assert tmf.comparison().loc["innovation", "verdict"] == "higher"
    text = _text(_page(tmf))
    assert format_number(own["score"], "da", 2) in text
    summary = _text(str(tmf.summary()))
    above = re.search(r"klart over kommunens gennemsnit på ([^;.]+)", summary)
    assert above and "partnerskaber og innovation" in above.group(1)


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
