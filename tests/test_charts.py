"""Charts: alt texts, suppression, number formatting and the HTML wrapper.

The fixture is a hand-made survey on the bundled codebook whose scores follow from the answers
without running the code (see ``TARGET`` and the comments below), so the expected lowest and
highest values are known independently.
"""

from __future__ import annotations

import base64
import html
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from markupsafe import escape

from analysis.exceptions import ParameterError
from analysis.report import charts
from analysis.report.charts.base import VERMILLION
from analysis.stats.scoring import score_survey
from analysis.survey.codebook import load_codebook, load_departments

# Level every respondent gives (after reverse scoring) per value, the same in all departments,
# except for innovation, which differs per department (INNOVATION below).
TARGET = {"organisation": 3, "climate": 4, "labour": 3, "environment": 3}
# Innovation per department; ØKF's respondents alternate 1 and 2 (mean 1.5, an interval that
# crosses the 1/2 boundary, so its level "Begyndende" is uncertain). KFF and BIF answer 2, a
# score no published department has, so the lowest and highest cells are never tied.
INNOVATION = {"ØKF": (1, 2), "BUF": (3,), "SUF": (4,), "SOF": (1,), "TMF": (5,), "BIF": (2,), "KFF": (2,)}
RESPONDENTS = {"ØKF": 6, "BUF": 6, "SUF": 6, "SOF": 5, "TMF": 6, "BIF": 7, "KFF": 3}
# Only 3 of BIF's 7 respondents answer the innovation items.
BIF_INNOVATION_ANSWERING = 3
# The merged group "Øvrige forvaltninger" (min_n 5; report order ØKF, BUF, SUF, SOF, TMF, KFF, BIF):
# - organisation, climate, labour, environment: KFF (3) is under 5 and alone, so the published
#   department with the smallest n, SOF (5), joins: the group is SOF+KFF (8 respondents) and
#   SOF's own cells are hidden too, although SOF has 5 respondents (complementary suppression).
# - innovation: KFF (3) and BIF (3 answering) are both under 5 and together 6: the group is
#   KFF+BIF, score 2.0 (everyone answers 2); SOF's innovation (1.0) is published.
# Expected municipality (every department, the merged group weighing its number of members):
# - innovation = (ØKF 1.5 + BUF 3 + SUF 4 + SOF 1 + TMF 5 + 2 x 2.0) / 7 = 18.5 / 7 = 2.643 -> "2,6",
#   level 3 Etableret; the lowest value. n = 6 + 6 + 6 + 5 + 6 + 6 (KFF+BIF) = 35 respondents.
# - climate = 4.0 (every department, the group too), the highest; organisation, labour,
#   environment = 3.0; n = 6 + 6 + 6 + 6 (TMF) + 7 (BIF) + 8 (SOF+KFF) = 39, all 39 respondents.
# - every value covers 7 departments.
# In 2024 climate was 3 (3.0 -> 4.0: +1.0 in every department, so every resample agrees and the
# Holm-adjusted p is 0: an improvement); every other value is unchanged (no clear change).
MUNI_INNOVATION = "2,6"


def _responses() -> pd.DataFrame:
    codebook = load_codebook()
    rows = []
    for wave in (2024, 2025):
        for dept, count in RESPONDENTS.items():
            for k in range(count):
                rid = f"{dept}-{wave}-{k}"
                for item in codebook.items:
                    if item.value == "innovation":
                        if dept == "BIF" and k >= BIF_INNOVATION_ANSWERING:
                            continue  # blank
                        pattern = INNOVATION[dept]
                        level = pattern[k % len(pattern)]
                    else:
                        level = TARGET[item.value] - (1 if wave == 2024 and item.value == "climate" else 0)
                    answer = 6 - level if item.reverse else level
                    rows.append(
                        {"wave": wave, "respondent_id": rid, "department": dept, "item": item.id, "answer": answer}
                    )
    frame = pd.DataFrame(rows)
    frame["answer"] = frame["answer"].astype("Int8")
    return frame


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


@pytest.fixture(scope="module")
def departments():
    return load_departments()


@pytest.fixture(scope="module")
def scores(codebook):
    return score_survey(_responses(), codebook, min_n=5, seed=1, resamples=200)


@pytest.fixture(autouse=True)
def no_pyplot_figures():
    """Check that no test leaves a figure open in pyplot."""
    plt.close("all")
    yield
    assert plt.get_fignums() == []


def _texts(chart: charts.Chart) -> list[str]:
    """Return every text drawn in the chart: texts, tick labels, legend entries."""
    fig = chart.figure
    out = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_position"))]
    return [t for t in out if t]


def test_fixture_is_as_designed(scores):
    dv = scores.department_value[scores.department_value["wave"] == 2025].set_index(["department", "value"])
    assert dv.loc[("KFF", "organisation"), "suppressed"] and dv.loc[("KFF", "innovation"), "suppressed"]
    # SOF (5 respondents) is pulled into KFF's pool on four values, and published on innovation.
    # Its n (5) is not published: beside the group's 8 it would give KFF's 3 away.
    assert dv.loc[("SOF", "organisation"), "suppressed"] and pd.isna(dv.loc[("SOF", "organisation"), "n"])
    assert scores.pulled_in[(2025, "organisation")] == ("SOF",)
    assert not dv.loc[("SOF", "innovation"), "suppressed"]
    assert dv.loc[("BIF", "innovation"), "suppressed"] and not dv.loc[("BIF", "labour"), "suppressed"]
    assert dv.loc[("ØKF", "innovation"), "level_uncertain"]
    merged = dv.loc["ØVRIGE"]
    assert merged.loc["organisation", "members"] == "SOF+KFF" and merged.loc["innovation", "members"] == "KFF+BIF"
    assert merged.loc["organisation", "n"] == 8 and merged.loc["innovation", "n"] == 6
    assert merged.loc["innovation", "score"] == pytest.approx(2.0)
    value = scores.value[scores.value["wave"] == 2025].set_index("value")
    assert value.loc["innovation", "score"] == pytest.approx(18.5 / 7)
    assert value["n_departments"].tolist() == [7] * 5
    assert value.loc["innovation", "n_respondents"] == 35 and value.loc["organisation", "n_respondents"] == 39


def test_value_maturity_alt_names_lowest_and_highest(scores, codebook):
    chart = charts.plot_value_maturity(scores, codebook, 2025)
    assert isinstance(chart, charts.Chart)
    assert "Lavest: Partnerskaber og innovation 2,6 (Etableret)" in chart.alt
    assert "Højest: Reduceret klimaaftryk 4,0 (Systematisk)" in chart.alt
    # No department is left out of the averages: the alt says which are pooled instead.
    assert "alle 7 forvaltninger" in chart.alt
    assert "Øvrige forvaltninger (SOF og KFF) på Effektiv indkøbsorganisation" in chart.alt
    assert "Øvrige forvaltninger (KFF og BIF) på Partnerskaber og innovation" in chart.alt
    assert "viste forvaltninger" not in chart.alt and "skjult" not in chart.alt.lower()
    labels = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    # Every value covers the 7 departments; innovation's 35 respondents are ØKF 6, BUF 6, SUF 6,
    # SOF 5, TMF 6 and KFF+BIF 6; the other values' 39 are all the respondents.
    assert labels[-1].endswith("7 forv., n = 35")
    assert labels[0].endswith("7 forv., n = 39")


def test_value_maturity_english(scores, codebook):
    chart = charts.plot_value_maturity(scores, codebook, 2025, lang="en")
    texts = _texts(chart)
    assert "Lowest: Partnerships and innovation 2.6" in chart.alt
    assert "Highest: Reduced climate footprint 4.0" in chart.alt
    assert "Other departments (KFF and BIF) on Partnerships and innovation" in chart.alt
    assert "2.6" in texts and "2,6" not in texts
    labels = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert labels[0].endswith("7 depts, n = 39")


def test_value_maturity_danish_decimal_commas(scores, codebook):
    texts = _texts(charts.plot_value_maturity(scores, codebook, 2025))
    assert MUNI_INNOVATION in texts and "4,0" in texts
    assert not any(re.search(r"\d\.\d", t) for t in texts)


SOF_KFF, KFF_BIF = "Øvrige forvaltninger\n(SOF og KFF)", "Øvrige forvaltninger\n(KFF og BIF)"


def test_heatmap_hides_suppressed_cells(scores, codebook, departments):
    chart = charts.plot_department_heatmap(scores, codebook, departments, 2025)
    ax = chart.figure.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    # The departments in list order, then one row per membership of the merged group.
    assert rows == ["ØKF", "BUF", "SUF", "SOF", "TMF", "KFF", "BIF", SOF_KFF, KFF_BIF]
    cols = codebook.value_ids
    innovation = cols.index("innovation")
    others = [c for c in range(len(cols)) if c != innovation]
    under = {(rows.index("KFF"), c) for c in range(len(cols))} | {(rows.index("BIF"), innovation)}
    pooled = {(rows.index("SOF"), c) for c in others}  # SOF has 5: hidden only for being pooled
    absent = {(rows.index(SOF_KFF), innovation)} | {(rows.index(KFF_BIF), c) for c in others}
    cell_text = _cell_texts(ax)
    for cell in under:
        assert cell_text[cell] == "Skjult\n(n < 5)"
    for cell in pooled:
        assert cell_text[cell] == "Skjult\n(i Øvrige forv.)"
    for cell in absent:
        assert cell_text[cell] == "\u2013"
    hidden = under | pooled | absent
    shown = [text for cell, text in cell_text.items() if cell not in hidden]
    assert len(shown) == len(rows) * len(cols) - len(hidden)
    assert all("Skjult" not in text and re.search(r"\d,\d", text) for text in shown)
    # BIF's published values keep their numbers; the merged groups have their own.
    assert "3,0" in cell_text[(rows.index("BIF"), cols.index("labour"))]
    assert cell_text[(rows.index(SOF_KFF), cols.index("climate"))] == "Systematisk\n4,0  (n = 8)"
    assert cell_text[(rows.index(KFF_BIF), innovation)] == "Begyndende\n2,0  (n = 6)"
    assert "Skjult: færre end 5 svar\neller lagt i Øvrige forvaltninger" in _texts(chart)
    assert "Øvrige forvaltninger (KFF og BIF) på Partnerskaber og innovation" in chart.alt
    assert "Skjult, færre end 5 svar: KFF (alle værdier) og BIF (Partnerskaber og innovation)." in chart.alt
    assert "lagt sammen i Øvrige forvaltninger: SOF (Effektiv indkøbsorganisation," in chart.alt


def test_heatmap_marks_uncertain_levels_and_explains(scores, codebook, departments):
    chart = charts.plot_department_heatmap(scores, codebook, departments, 2025)
    ax = chart.figure.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    target = (rows.index("ØKF"), codebook.value_ids.index("innovation"))
    text = next(t.get_text() for t in ax.texts if (round(t.get_position()[1]), round(t.get_position()[0])) == target)
    assert text.startswith("Begyndende?\n1,5")
    assert any("niveaugrænse" in t for t in _texts(chart))
    assert "Lavest: Socialforvaltningen (SOF), Partnerskaber og innovation 1,0" in chart.alt
    assert "Højest: Teknik- og Miljøforvaltningen (TMF), Partnerskaber og innovation 5,0" in chart.alt


def test_heatmap_english(scores, codebook, departments):
    chart = charts.plot_department_heatmap(scores, codebook, departments, 2025, lang="en")
    texts = [t.get_text() for t in chart.figure.axes[0].texts]
    assert "Hidden\n(n < 5)" in texts and "Hidden\n(in Other depts)" in texts
    assert any(t.startswith("Developing?\n1.5") for t in texts)
    assert "Lowest: Social Services Administration (SOF)" in chart.alt
    rows = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert rows[-2:] == ["Other departments\n(SOF and KFF)", "Other departments\n(KFF and BIF)"]


def test_innovation_by_department_sorted_with_hidden_last(scores, codebook, departments):
    chart = charts.plot_innovation_by_department(scores, codebook, departments, 2025)
    ax = chart.figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    codes = [re.search(r"\(([^()]+)\)$", label).group(1) for label in labels]
    # Published by score, highest first (TMF 5, SUF 4, BUF 3, the merged group KFF+BIF 2,
    # ØKF 1.5, SOF 1); then the suppressed ones in list order, whatever their (unpublished) scores.
    assert codes == ["TMF", "SUF", "BUF", "KFF og BIF", "ØKF", "SOF", "KFF", "BIF"]
    assert labels[3] == KFF_BIF
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("skjult (n < 5), indgår i Øvrige forvaltninger") == 2
    assert "2,0  (n = 6)" in texts and "1,0  (n = 5)" in texts
    assert f"Kommunen {MUNI_INNOVATION}" in texts
    assert "Højest: Teknik- og Miljøforvaltningen (TMF) 5,0" in chart.alt
    assert "Lavest: Socialforvaltningen (SOF) 1,0" in chart.alt
    assert f"Kommunen samlet (7 forvaltninger): {MUNI_INNOVATION}." in chart.alt
    assert "Øvrige forvaltninger (KFF og BIF) 2,0" in chart.alt and "Skjult, færre end 5 svar: KFF og BIF." in chart.alt
    # No dot on a hidden row: the rows 6 and 7 carry no data point.
    points = [y for line in ax.lines for y in np.atleast_1d(line.get_ydata()) if line.get_marker() == "o"]
    assert sorted(set(points)) == [0, 1, 2, 3, 4, 5]


def test_change_alt_and_legend(scores, codebook):
    chart = charts.plot_change(scores, codebook, 2025, 2024)
    # The full-coverage municipality in both years; climate rose in every department (Holm p 0,
    # +1.0 >= 0.25): an improvement; the other values are unchanged: no clear change.
    assert "Forbedring: Reduceret klimaaftryk 3,0 → 4,0 (+1,0)." in chart.alt
    assert "Ingen klar ændring: Effektiv indkøbsorganisation 3,0 → 3,0 (0,0)" in chart.alt
    assert f"Partnerskaber og innovation {MUNI_INNOVATION} → {MUNI_INNOVATION} (0,0)." in chart.alt
    assert "Lavest i 2025: Partnerskaber og innovation 2,6" in chart.alt
    assert "højest: Reduceret klimaaftryk 4,0" in chart.alt
    assert "alle forvaltninger med svar (7)" in chart.alt
    legend = [t.get_text() for t in chart.figure.legends[0].get_texts()]
    assert legend[:2] == ["2024", "2025"]
    assert "forbedring / tilbagegang" in legend and "ingen klar ændring" in legend
    texts = [t.get_text() for t in chart.figure.axes[0].texts]
    assert "3,0 → 4,0\nforbedring" in texts and "3,0 → 3,0\ningen klar ændring" in texts
    english = charts.plot_change(scores, codebook, 2025, 2024, lang="en")
    assert "Improvement: Reduced climate footprint 3.0 → 4.0 (+1.0)." in english.alt
    assert "No clear change: Efficient procurement organisation" in english.alt


def test_unknown_wave_is_a_parameter_error(scores, codebook):
    with pytest.raises(ParameterError, match="2019"):
        charts.plot_change(scores, codebook, 2025, 2019)


def test_figure_html_embeds_png_with_escaped_alt(scores, codebook):
    chart = charts.plot_value_maturity(scores, codebook, 2025)
    chart.alt = 'Score < 3 & "usikker"'
    out = charts.figure_html(chart, number=3, caption="Modenhed <i>2025</i>")
    assert out.startswith('<figure class="chart"><img src="data:image/png;base64,')
    src = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', out).group(1)
    assert base64.b64decode(src)[:8] == b"\x89PNG\r\n\x1a\n"
    alt = re.search(r'alt="([^"]*)"', out).group(1)
    assert alt == "Score &lt; 3 &amp; &#34;usikker&#34;"  # the template's (markupsafe's) escaping
    assert html.unescape(alt) == 'Score < 3 & "usikker"'
    assert '<figcaption><span class="fig-no">Figur 3.</span> Modenhed &lt;i&gt;2025&lt;/i&gt;</figcaption>' in out
    assert out.endswith("</figure>")


def test_figure_html_english_number_and_real_alt(scores, codebook, departments):
    chart = charts.plot_department_heatmap(scores, codebook, departments, 2025, lang="en")
    out = charts.figure_html(chart, number=1, caption="Maturity", lang="en")
    assert '<span class="fig-no">Figure 1.</span>' in out
    alt = re.search(r'alt="([^"]+)"', out).group(1)
    assert "Hidden" in alt


def test_every_chart_renders_without_pyplot(scores, codebook, departments):
    made = [
        charts.plot_value_maturity(scores, codebook, 2025),
        charts.plot_department_heatmap(scores, codebook, departments, 2025),
        charts.plot_innovation_by_department(scores, codebook, departments, 2025),
        charts.plot_change(scores, codebook, 2025, 2024),
    ]
    for number, chart in enumerate(made, start=1):
        assert chart.alt
        assert "data:image/png;base64," in charts.figure_html(chart, number=number, caption="x")
    assert plt.get_fignums() == []


# ------------------------------------------------------------------------------------------
# trend, don't know, answer distributions, change of the full-coverage municipality
#
# Variants of the fixture above, each changing a few answers so that the expected numbers
# still follow by hand:
# - DONT_KNOW: in both waves every BUF respondent answers "Ved ikke" (code 8) on the first 4 of
#   the 11 innovation items (24 of 66 answers = 36 %, over the 30 % flag, and every resample
#   agrees, so its interval lies wholly above 30 %), every SUF respondent on the first 3 of the
#   10 labour items (18 of 60 = exactly 30 %, which is not "over 30 %").
# - TMF_OUT_2024: in 2024 only 3 of TMF's 6 respondents answer innovation, so TMF x innovation
#   is suppressed in 2024 (and published in 2025). Its 2024 innovation pool is TMF+KFF+BIF
#   (3 + 3 + 3 = 9 respondents; TMF answers 5, KFF and BIF 2): (15 + 6 + 6) / 9 = 3.0.
#   Municipality innovation 2024 = (ØKF 1.5 + BUF 3 + SUF 4 + SOF 1 + 3 x 3.0) / 7 = 18.5 / 7,
#   the same as 2025's (ØKF 1.5 + BUF 3 + SUF 4 + SOF 1 + TMF 5 + 2 x 2.0) / 7 = 18.5 / 7:
#   2,6 both years over all 7 departments (v1's published-only mean jumped from 2.375 to 2.9
#   just because TMF came back). Respondents behind it: 6 + 6 + 6 + 5 + 9 = 32 in 2024, 35 in 2025.


def _with_dont_know(codebook) -> pd.DataFrame:
    frame = _responses()
    innovation = [it.id for it in codebook.items if it.value == "innovation"][:4]
    labour = [it.id for it in codebook.items if it.value == "labour"][:3]
    frame.loc[(frame["department"] == "BUF") & frame["item"].isin(innovation), "answer"] = 8
    frame.loc[(frame["department"] == "SUF") & frame["item"].isin(labour), "answer"] = 8
    return frame


def _with_tmf_out_2024(codebook) -> pd.DataFrame:
    frame = _responses()
    innovation = {it.id for it in codebook.items if it.value == "innovation"}
    respondent = frame["respondent_id"].str.rsplit("-", n=1).str[-1].astype(int)
    drop = (frame["wave"] == 2024) & (frame["department"] == "TMF") & frame["item"].isin(innovation) & (respondent >= 3)
    return frame[~drop].reset_index(drop=True)


@pytest.fixture(scope="module")
def dk_scores(codebook):
    return score_survey(_with_dont_know(codebook), codebook, min_n=5, seed=1, resamples=200)


@pytest.fixture(scope="module")
def tmf_scores(codebook):
    return score_survey(_with_tmf_out_2024(codebook), codebook, min_n=5, seed=1, resamples=200)


def _cell_texts(ax) -> dict[tuple[int, int], str]:
    """Return the texts of a grid chart by (row, column)."""
    out = {}
    for t in ax.texts:
        x, y = t.get_position()
        out[(round(y), round(x))] = t.get_text()
    return out


def test_fixture_variants_are_as_designed(dk_scores, tmf_scores):
    dk = dk_scores.dont_know[dk_scores.dont_know["wave"] == 2025].set_index(["department", "value"])
    assert dk.loc[("BUF", "innovation"), "dont_know_share"] == pytest.approx(4 / 11)
    assert dk.loc[("BUF", "innovation"), "flag_clear"]
    assert dk.loc[("SUF", "labour"), "dont_know_share"] == pytest.approx(0.3)
    assert not dk.loc[("SUF", "labour"), "flagged"]
    dv = tmf_scores.department_value.set_index(["wave", "department", "value"])
    assert dv.loc[(2024, "TMF", "innovation"), "suppressed"] and not dv.loc[(2025, "TMF", "innovation"), "suppressed"]
    assert dv.loc[(2024, "ØVRIGE", "innovation"), "members"] == "TMF+KFF+BIF"
    assert dv.loc[(2024, "ØVRIGE", "innovation"), "score"] == pytest.approx(3.0)
    value = tmf_scores.value.set_index(["wave", "value"])
    assert value.loc[(2024, "innovation"), "score"] == pytest.approx(18.5 / 7)
    assert value.loc[(2025, "innovation"), "score"] == pytest.approx(18.5 / 7)


def test_trend_alt_panels_and_department_counts(tmf_scores, codebook):
    chart = charts.plot_trend(tmf_scores, codebook)
    assert isinstance(chart, charts.Chart)
    assert "2024–2025" in chart.alt
    assert "Reduceret klimaaftryk: 3,0 (2024), 4,0 (2025)" in chart.alt
    # Like with like: the full-coverage municipality both years, although TMF's own innovation
    # cell is hidden in 2024 (it is covered through the merged group).
    assert "Partnerskaber og innovation: 2,6 (2024), 2,6 (2025)" in chart.alt
    assert "Antal forvaltninger bag punkterne i 2024 og 2025: 7 og 7." in chart.alt
    panels = [ax for ax in chart.figure.axes if ax.get_title(loc="left")]
    assert len(panels) == len(codebook.value_ids)
    innovation = next(ax for ax in panels if ax.get_title(loc="left").startswith("Partnerskaber"))
    texts = [t.get_text() for t in innovation.texts]
    assert texts.count("7 forv.") == 2
    assert texts.count("2,6") == 2
    assert [t.get_text() for t in innovation.get_xticklabels()] == ["2024", "2025"]
    # The highlighted value's panel title is drawn in the contrast colour.
    assert innovation._left_title.get_color() == VERMILLION
    everything = _texts(chart)
    assert not any(re.search(r"\d\.\d", t) for t in everything)


def test_trend_english(tmf_scores, codebook):
    chart = charts.plot_trend(tmf_scores, codebook, lang="en")
    assert "Reduced climate footprint: 3.0 (2024), 4.0 (2025)" in chart.alt
    texts = _texts(chart)
    assert "4.0" in texts and "4,0" not in texts
    assert "7 depts" in texts


def test_dont_know_grid_numbers_flags_and_hidden_cells(dk_scores, codebook, departments):
    chart = charts.plot_dont_know(dk_scores, codebook, departments, 2025)
    ax = chart.figure.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows == ["ØKF", "BUF", "SUF", "SOF", "TMF", "KFF", "BIF", SOF_KFF, KFF_BIF]
    cols = codebook.value_ids
    innovation = cols.index("innovation")
    cells = _cell_texts(ax)
    buf_innovation = (rows.index("BUF"), innovation)
    suf_labour = (rows.index("SUF"), cols.index("labour"))
    assert cells[buf_innovation] == "36 %\n(n = 6)"
    # Exactly 30 % is not "over 30 %": one decimal keeps it apart from the marked cells.
    assert cells[suf_labour] == "30,0 %\n(n = 6)"
    assert cells[(rows.index("TMF"), cols.index("climate"))] == "0 %\n(n = 6)"
    # The merged groups' shares, where their scores are shown (nobody in them answers "Ved ikke").
    assert cells[(rows.index(SOF_KFF), cols.index("labour"))] == "0 %\n(n = 8)"
    assert cells[(rows.index(KFF_BIF), innovation)] == "0 %\n(n = 6)"
    assert cells[(rows.index(KFF_BIF), cols.index("labour"))] == "\u2013"
    under = {(rows.index("KFF"), c) for c in range(len(cols))} | {(rows.index("BIF"), innovation)}
    for cell in under:
        assert cells[cell] == "Skjult\n(n < 5)"
    pooled = {(rows.index("SOF"), c) for c in range(len(cols)) if c != innovation}
    for cell in pooled:
        assert cells[cell] == "Skjult\n(i Øvrige forv.)"
    assert not any(re.search(r"\d", cells[cell].replace("(n < 5)", "")) for cell in under | pooled)
    # The only cell over 30 % is outlined (a thick unfilled rectangle, solid: its interval lies
    # wholly above 30 %) and bold.
    outlines = [p for p in ax.patches if p.get_linewidth() >= 2 and p.get_facecolor()[3] == 0]
    assert len(outlines) == 1 and outlines[0].get_linestyle() == "-"
    x, y = outlines[0].get_xy()
    assert (round(y + 0.4), round(x + 0.44)) == buf_innovation
    bold = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
    assert bold == ["36 %\n(n = 6)"]
    # Short names head the columns; the legend explains the marking and the hatching.
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["Organisation", "Klima", "Arbejdsvilkår"]
    texts = _texts(chart)
    assert "over 30 %: markeret" in texts
    assert "Skjult: færre end 5 svar\neller lagt i Øvrige forvaltninger" in texts
    assert "Over 30 % (markeret): Børne- og Ungdomsforvaltningen (BUF), Partnerskaber og innovation 36 %" in chart.alt
    assert "KFF (alle værdier)" in chart.alt and "BIF (Partnerskaber og innovation)" in chart.alt
    assert "lagt sammen i Øvrige forvaltninger: SOF (" in chart.alt
    assert "Øvrige forvaltninger (SOF og KFF) på" in chart.alt


def test_dont_know_english(dk_scores, codebook, departments):
    chart = charts.plot_dont_know(dk_scores, codebook, departments, 2025, lang="en")
    texts = [t.get_text() for t in chart.figure.axes[0].texts]
    assert "36%\n(n = 6)" in texts and "30.0%\n(n = 6)" in texts and "Hidden\n(n < 5)" in texts
    assert "Hidden\n(in Other depts)" in texts
    assert "over 30%: marked" in _texts(chart)
    assert "Over 30% (marked): Children and Youth Administration (BUF), Partnerships and innovation 36%" in chart.alt
    assert "Other departments (KFF and BIF) on Partnerships and innovation" in chart.alt


def _distribution_frame() -> pd.DataFrame:
    """Return a hand-made answer_distribution frame: one shown and one withheld municipality row."""
    base = {"wave": 2025, "department": "ALL", "n": 40, "answers": 400, "departments": 5}
    shown = {
        **base,
        "value": "organisation",
        "n_valid": 40,
        "share_1": 0.10,
        "share_2": 0.20,
        "share_3": 0.30,
        "share_4": 0.25,
        "share_5": 0.15,
        "share_dont_know": 0.05,
        "share_not_applicable": 0.02,
        "shown": True,
    }
    hidden = {
        **base,
        "value": "innovation",
        "n": 8,
        "n_valid": 8,
        "answers": pd.NA,
        "shown": False,
        **{f"share_{lv}": np.nan for lv in range(1, 6)},
        "share_dont_know": np.nan,
        "share_not_applicable": np.nan,
    }
    return pd.DataFrame([shown, hidden])


def _segments(ax) -> list[tuple[float, float, float]]:
    """Return (y, left, width) of every bar segment of a diverging chart, by BarContainer."""
    return [
        (round(p.get_y() + p.get_height() / 2, 6), p.get_x(), p.get_width())
        for container in ax.containers
        for p in container.patches
    ]


def test_distribution_diverging_segments(codebook):
    chart = charts.plot_distribution(_distribution_frame(), codebook)
    ax = chart.figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Effektiv\nindkøbsorganisation\n5 forv., n = 40"
    segments = _segments(ax)
    assert len(segments) == 5 and {y for y, _, _ in segments} == {0}
    left, width = [s[1] for s in segments], [s[2] for s in segments]
    # Levels 1-2 left of the centre, level 3 half on each side, levels 4-5 right.
    assert left == pytest.approx([-0.45, -0.35, -0.15, 0.15, 0.40])
    assert width == pytest.approx([0.10, 0.20, 0.30, 0.25, 0.15])
    assert left[0] < 0 and left[1] < 0 and left[0] + width[0] == pytest.approx(left[1])
    assert sum(width) == pytest.approx(1.0)
    assert left[2] + width[2] / 2 == pytest.approx(0.0)
    numbers = [t.get_text() for t in ax.texts if "%" in t.get_text() and "Skjult" not in t.get_text()]
    assert numbers == ["10 %", "20 %", "30 %", "25 %", "15 %"]
    side = chart.figure.axes[1:3]
    assert [t.get_text() for t in side[0].texts] == ["5 %"] and [t.get_text() for t in side[1].texts] == ["2 %"]


def test_distribution_hidden_row_has_no_bar_and_no_number(codebook):
    chart = charts.plot_distribution(_distribution_frame(), codebook)
    ax = chart.figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    row = labels.index("Partnerskaber og\ninnovation\nn < 10")
    hidden = [t for t in ax.texts if t.get_transform() == ax.transData and round(t.get_position()[1]) == row]
    assert [t.get_text() for t in hidden] == ["Skjult (n < 10)"]
    assert all(y != row for y, _, _ in _segments(ax))
    for side in chart.figure.axes[1:3]:
        assert not [t for t in side.texts if round(t.get_position()[1]) == row]
    assert "Skjult (n < 10): Partnerskaber og innovation." in chart.alt


def test_distribution_min_n_is_checked_against_the_frame(codebook):
    # n_valid 8 is hidden, which fits min_n 5 (8 < 10) but not min_n 3 (8 >= 6).
    assert "Skjult (n < 10)" in _texts(charts.plot_distribution(_distribution_frame(), codebook, min_n=5))
    with pytest.raises(ParameterError, match="min_n"):
        charts.plot_distribution(_distribution_frame(), codebook, min_n=3)
    with pytest.raises(ParameterError, match="XYZ"):
        charts.plot_distribution(_distribution_frame(), codebook, department="XYZ")


def test_distribution_from_answer_distribution(codebook):
    from analysis.stats.distributions import answer_distribution

    dist = answer_distribution(_responses(), codebook, wave=2025, min_n=5)
    chart = charts.plot_distribution(dist, codebook)
    ax = chart.figure.axes[0]
    # answer_distribution pools the departments with n_valid >= min_n: on innovation ØKF
    # (36 answers at 1, 36 at 2), BUF (72 at 3), SUF (72 at 4), SOF (5 x 12 = 60 at 1) and TMF
    # (72 at 5), not KFF and BIF (3 answering each): 348 answers, 96 at 1, 36 at 2, 72 at each
    # of 3, 4 and 5; 6 + 6 + 6 + 5 + 6 = 29 respondents.
    row = codebook.value_ids.index("innovation")
    segments = [(x, w) for y, x, w in _segments(ax) if y == row]
    assert [w for _, w in segments] == pytest.approx([96 / 348, 36 / 348, 72 / 348, 72 / 348, 72 / 348])
    assert segments[0][0] == pytest.approx(-(96 + 36 + 36) / 348)
    assert "Partnerskaber og\ninnovation\n5 forv., n = 29" in [t.get_text() for t in ax.get_yticklabels()]
    assert "Andel på Systematisk eller Førende: højest Reduceret klimaaftryk 100 %" in chart.alt
    # Every department has 7 or fewer respondents: a department's chart shows no bar at all.
    buf = charts.plot_distribution(dist, codebook, department="BUF", lang="en")
    assert _segments(buf.figure.axes[0]) == []
    assert [t.get_text() for t in buf.figure.axes[0].texts].count("Hidden (n < 10)") == len(codebook.value_ids)
    assert not any("%" in t.get_text() for ax in buf.figure.axes[1:3] for t in ax.texts)


def test_distribution_english_and_title(codebook):
    chart = charts.plot_distribution(_distribution_frame(), codebook, lang="en", title="All departments")
    texts = _texts(chart)
    assert "30%" in texts and "Hidden (n < 10)" in texts and "All departments" in texts
    assert "1 Not started" in texts and "5 Leading" in texts
    assert "Share at Systematic or Leading: Efficient procurement organisation 40%" in chart.alt


def test_change_is_the_full_coverage_municipality(tmf_scores, codebook):
    from analysis.stats.changes import score_changes

    changes = score_changes(tmf_scores, 2024, 2025)
    plain = charts.plot_change(tmf_scores, codebook, 2025, 2024)
    given = charts.plot_change(tmf_scores, codebook, 2025, 2024, changes=changes)

    def pair(chart):
        return next(
            t.get_text()
            for t in chart.figure.axes[0].texts
            if "→" in t.get_text() and round(t.get_position()[1]) == codebook.value_ids.index("innovation")
        )

    # TMF's innovation is hidden in 2024 and shown in 2025, but both years cover all 7
    # departments (TMF in 2024 through the merged group TMF+KFF+BIF): 18.5 / 7 both years.
    assert pair(plain) == pair(given) == "2,6 → 2,6\ningen klar ændring"
    assert given.alt == plain.alt
    muni = changes[(changes["department"] == "ALL") & (changes["value"] == "innovation")].iloc[0]
    assert muni["n_departments"] == 7 and muni["diff"] == pytest.approx(0.0)
    assert muni["verdict"] == "no clear change"
    assert "Ingen klar ændring:" in plain.alt and "Partnerskaber og innovation 2,6 → 2,6 (0,0)" in plain.alt
    with pytest.raises(ParameterError, match="2023"):
        charts.plot_change(tmf_scores, codebook, 2025, 2024, changes=changes.assign(wave_from=2023))
    english = charts.plot_change(tmf_scores, codebook, 2025, 2024, lang="en", changes=changes)
    assert "No clear change:" in english.alt and "Both years are the whole municipality" in english.alt


def test_change_rejects_changes_from_other_scores(scores, tmf_scores, codebook):
    from analysis.stats.changes import score_changes

    # The two fixtures have the same municipal changes (innovation 0.0 in both), but not the
    # same intervals: TMF's 2024 pool makes tmf_scores' innovation uncertain.
    with pytest.raises(ParameterError, match="same score_survey"):
        charts.plot_change(scores, codebook, 2025, 2024, changes=score_changes(tmf_scores, 2024, 2025))


def test_new_charts_render_without_pyplot(dk_scores, codebook, departments):
    made = [
        charts.plot_trend(dk_scores, codebook),
        charts.plot_dont_know(dk_scores, codebook, departments, 2025, lang="en"),
        charts.plot_distribution(_distribution_frame(), codebook),
    ]
    for number, chart in enumerate(made, start=1):
        out = charts.figure_html(chart, number=number, caption="x")
        assert "data:image/png;base64," in out and str(escape(chart.alt))[:40] in out
    assert plt.get_fignums() == []


# ------------------------------------------------------------------------------------------
# department profile: one department beside the municipality, and its own trend


def test_department_values_hide_a_suppressed_value(scores, codebook, departments):
    # BIF: innovation suppressed (3 of 7 answered; pooled with KFF), the other values 3.0 / 4.0.
    chart = charts.plot_department_values(scores, codebook, "BIF", 2025, departments=departments)
    ax = chart.figure.axes[0]
    row = codebook.value_ids.index("innovation")
    dept_points = [y for line in ax.lines if line.get_marker() == "o" for y in np.atleast_1d(line.get_ydata())]
    muni_points = [y for line in ax.lines if line.get_marker() == "D" for y in np.atleast_1d(line.get_ydata())]
    # A department dot on every row but innovation's; the municipality's diamond on all five.
    assert sorted(round(y + 0.17) for y in dept_points) == [k for k in range(5) if k != row]
    assert sorted(round(y - 0.17) for y in muni_points) == list(range(5))
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("skjult (n < 5), indgår i Øvrige forvaltninger") == 1
    hatched = [p for p in ax.patches if p.get_hatch() == "///"]
    assert len(hatched) == 1 and round(hatched[0].get_y() + hatched[0].get_height() / 2 + 0.17) == row
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[row].endswith("færre end 5 svar") and labels[0].endswith("n = 7")
    assert "Ansvarlige arbejdsvilkår 3,0 (kommunen 3,0)" in chart.alt
    assert f"Partnerskaber og innovation {MUNI_INNOVATION}" not in chart.alt.split("Skjult")[0]
    assert "Skjult (n < 5): Partnerskaber og innovation." in chart.alt
    assert "indgår i Øvrige forvaltninger (KFF og BIF) på Partnerskaber og innovation" in chart.alt
    legend = [t.get_text() for t in chart.figure.legends[0].get_texts()]
    assert legend[0] == "Beskæftigelses- og Integrationsforvaltningen" and "Skjult: færre end 5 svar" in legend
    assert "Kommunen (alle forvaltninger)" in legend


def test_department_values_pooled_department_is_not_called_small(scores, codebook, departments):
    # SOF has 5 respondents: its four pooled values are hidden, but never as "fewer than 5".
    chart = charts.plot_department_values(scores, codebook, "SOF", 2025, departments=departments)
    ax = chart.figure.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("skjult, indgår i Øvrige forvaltninger") == 4 and not any("n < 5" in t for t in texts)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # Its published value (innovation) shows n = 5; the pooled ones show no count, not "færre end 5".
    assert sum(label.endswith("n = 5") for label in labels) == 1
    assert sum(label.endswith("indgår i Øvrige forvaltninger") for label in labels) == 4
    assert not any("færre end" in label for label in labels)
    assert "Partnerskaber og innovation 1,0 (kommunen 2,6)" in chart.alt
    assert "færre end" not in chart.alt and "n < 5" not in chart.alt
    assert "indgår i Øvrige forvaltninger (SOF og KFF) på Effektiv indkøbsorganisation" in chart.alt


def test_department_values_all_shown_and_english(scores, codebook, departments):
    chart = charts.plot_department_values(scores, codebook, "TMF", 2025, lang="en", departments=departments)
    ax = chart.figure.axes[0]
    assert len([line for line in ax.lines if line.get_marker() == "o"]) == 5
    assert not [p for p in ax.patches if p.get_hatch() == "///"]
    assert "Partnerships and innovation 5.0 (municipality 2.6)" in chart.alt
    texts = _texts(chart)
    assert "5.0" in texts and "5,0" not in texts
    assert not any("Hidden" in t for t in texts)
    with pytest.raises(ParameterError, match="XYZ"):
        charts.plot_department_values(scores, codebook, "XYZ", 2025)


def test_department_trend_leaves_hidden_waves_as_gaps(tmf_scores, codebook, departments):
    # TMF x innovation: suppressed in 2024 (3 of 6 answered; pooled with KFF and BIF), 5.0 in 2025.
    chart = charts.plot_trend(tmf_scores, codebook, department="TMF", departments=departments)
    panels = [ax for ax in chart.figure.axes if ax.get_title(loc="left")]
    innovation = next(ax for ax in panels if ax.get_title(loc="left").startswith("Partnerskaber"))
    texts = [t.get_text() for t in innovation.texts]
    assert texts.count("skjult") == 1 and "færre end 5" in texts and "n = 6" in texts
    assert "5,0" in texts and not any("forv." in t for t in texts)
    # Only the 2025 point is drawn; the 2024 score is NaN, so the line does not bridge it.
    ys = [y for line in innovation.lines for y in np.atleast_1d(line.get_ydata()) if not np.isnan(y)]
    assert ys and set(np.round(ys, 6)) == {5.0}
    assert "Partnerskaber og innovation: 5,0 (2025)." in chart.alt
    assert "Skjult, færre end 5 svar: Partnerskaber og innovation (2024)." in chart.alt
    assert "Indgår i Øvrige forvaltninger (TMF, KFF og BIF): Partnerskaber og innovation (2024)." in chart.alt
    assert "Teknik- og Miljøforvaltningen (TMF)" in chart.alt
    legend = [t.get_text() for t in chart.figure.legends[0].get_texts()]
    assert legend[0] == "Forvaltningens score"
    # The municipality's chart is unchanged by the new keyword.
    municipal = charts.plot_trend(tmf_scores, codebook)
    assert "Partnerskaber og innovation: 2,6 (2024), 2,6 (2025)" in municipal.alt


def test_department_trend_pooled_department(tmf_scores, codebook, departments):
    # SOF (5 respondents) is pooled with KFF on four values in both years: hidden, and no count
    # under the point (its 5 beside the group's 8 would give KFF's 3 away).
    chart = charts.plot_trend(tmf_scores, codebook, department="SOF", departments=departments, lang="en")
    panels = [ax for ax in chart.figure.axes if ax.get_title(loc="left")]
    climate = next(ax for ax in panels if ax.get_title(loc="left").startswith("Reduced"))
    texts = [t.get_text() for t in climate.texts]
    assert texts.count("hidden") == 4 and not any("n = 5" in x or "fewer" in x for x in texts)
    assert "fewer than" not in chart.alt
    assert (
        "Hidden because the department is pooled with others: Efficient procurement organisation (2024 and 2025)"
        in (chart.alt)
    )
    assert "Pooled in Other departments (SOF and KFF): Efficient procurement organisation (2024 and 2025);" in chart.alt
    assert "Partnerships and innovation: 1.0 (2024), 1.0 (2025)." in chart.alt


def test_department_trend_fully_hidden_department(scores, codebook):
    # KFF (3 respondents) is suppressed everywhere: no point, no number, only "skjult".
    chart = charts.plot_trend(scores, codebook, department="KFF", lang="en")
    for ax in chart.figure.axes:
        numbers = [t.get_text() for t in ax.texts if re.search(r"\d\.\d", t.get_text())]
        assert numbers == []
    assert "Hidden, fewer than 5 responses" in chart.alt
    with pytest.raises(ParameterError, match="XYZ"):
        charts.plot_trend(scores, codebook, department="XYZ")


def test_profile_charts_render_without_pyplot(scores, codebook, departments):
    made = [
        charts.plot_department_values(scores, codebook, "ØKF", 2025),
        charts.plot_trend(scores, codebook, department="BIF"),
    ]
    for number, chart in enumerate(made, start=1):
        assert "data:image/png;base64," in charts.figure_html(chart, number=number, caption="x")
    assert plt.get_fignums() == []


# ------------------------------------------------------------------------------------------
# drawing into a caller's axes


def test_charts_draw_into_a_callers_axes(scores, tmf_scores, codebook, departments):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(14, 10), layout="constrained")
    axes = fig.subplots(2, 3).ravel()
    before = len(fig.axes)
    made = [
        charts.plot_value_maturity(scores, codebook, 2025, ax=axes[0]),
        charts.plot_department_heatmap(scores, codebook, departments, 2025, ax=axes[1]),
        charts.plot_innovation_by_department(scores, codebook, departments, 2025, ax=axes[2]),
        charts.plot_change(tmf_scores, codebook, 2025, 2024, ax=axes[3]),
        charts.plot_dont_know(scores, codebook, departments, 2025, ax=axes[4]),
        charts.plot_department_values(scores, codebook, "BIF", 2025, departments=departments, ax=axes[5]),
    ]
    assert all(chart.figure is fig for chart in made) and len(fig.axes) == before
    # Each chart's artists are in its own panel, not in a new figure or a neighbour's axes.
    assert [line for line in axes[0].lines if line.get_marker() == "o"]
    assert len(axes[1].images) == 1 and "Skjult\n(n < 5)" in [t.get_text() for t in axes[1].texts]
    assert [p for p in axes[2].patches if p.get_hatch() == "///"]
    assert "2024 → 2025" in [t.get_text() for t in axes[3].texts] and axes[3].get_legend() is not None
    assert len(axes[4].images) == 1 and axes[4].child_axes  # the colour bar and legend strips
    assert axes[5].get_legend() is not None and not fig.legends
    assert made[0].alt == charts.plot_value_maturity(scores, codebook, 2025).alt
    assert made[0].to_png().startswith(b"\x89PNG")


def test_multi_panel_charts_need_their_own_figure(scores, codebook):
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    with pytest.raises(ParameterError, match="ax=None"):
        charts.plot_trend(scores, codebook, ax=ax)
    with pytest.raises(ParameterError, match="ax=None"):
        charts.plot_distribution(_distribution_frame(), codebook, ax=ax)
