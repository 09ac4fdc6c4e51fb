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

from analysis import charts
from analysis.codebook import load_codebook, load_departments
from analysis.exceptions import ParameterError
from analysis.scoring import score_survey

# Level every respondent gives (after reverse scoring) per value, the same in all departments,
# except for innovation, which differs per department (INNOVATION below).
TARGET = {"organisation": 3, "climate": 4, "labour": 3, "environment": 3}
# Innovation per department; ØKF's respondents alternate 1 and 2 (mean 1.5, an interval that
# crosses the 1/2 boundary, so its level "Begyndende" is uncertain).
INNOVATION = {"ØKF": (1, 2), "BUF": (3,), "SUF": (4,), "SOF": (1,), "TMF": (5,), "BIF": (5,), "KFF": (5,)}
RESPONDENTS = {"ØKF": 6, "BUF": 6, "SUF": 6, "SOF": 6, "TMF": 6, "BIF": 6, "KFF": 3}
# Only 3 of BIF's 6 respondents answer the innovation items: BIF x innovation is suppressed,
# BIF's other values are published. KFF (3 respondents) is suppressed everywhere.
BIF_INNOVATION_ANSWERING = 3
# Expected, by hand. Municipality innovation = mean of the published departments
# (ØKF 1.5, BUF 3, SUF 4, SOF 1, TMF 5) = 14.5 / 5 = 2.9; climate = 4.0 (highest);
# organisation, labour, environment = 3.0. In 2024 climate was 3 (the only change, +1.0).
MUNI_INNOVATION = "2,9"


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
                    rows.append({"wave": wave, "respondent_id": rid, "department": dept, "item": item.id,
                                 "answer": answer})
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
    assert dv.loc[("KFF", "organisation"), "suppressed"]
    assert dv.loc[("BIF", "innovation"), "suppressed"] and not dv.loc[("BIF", "labour"), "suppressed"]
    assert dv.loc[("ØKF", "innovation"), "level_uncertain"]


def test_value_maturity_alt_names_lowest_and_highest(scores, codebook):
    chart = charts.plot_value_maturity(scores, codebook, 2025)
    assert isinstance(chart, charts.Chart)
    assert "Lavest: Partnerskaber og innovation 2,9" in chart.alt
    assert "Højest: Reduceret klimaaftryk 4,0 (Systematisk)" in chart.alt
    assert "KFF" in chart.alt  # the departments left out of the averages are named
    labels = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    # innovation: 5 published departments x 6 respondents; the others: 6 x 6
    assert labels[-1].endswith("5 forv., n = 30")
    assert labels[0].endswith("6 forv., n = 36")


def test_value_maturity_english(scores, codebook):
    chart = charts.plot_value_maturity(scores, codebook, 2025, lang="en")
    texts = _texts(chart)
    assert "Lowest: Partnerships and innovation 2.9" in chart.alt
    assert "Highest: Reduced climate footprint 4.0" in chart.alt
    assert "2.9" in texts and "2,9" not in texts


def test_value_maturity_danish_decimal_commas(scores, codebook):
    texts = _texts(charts.plot_value_maturity(scores, codebook, 2025))
    assert MUNI_INNOVATION in texts and "4,0" in texts
    assert not any(re.search(r"\d\.\d", t) for t in texts)


def test_heatmap_hides_suppressed_cells(scores, codebook, departments):
    chart = charts.plot_department_heatmap(scores, codebook, departments, 2025)
    ax = chart.figure.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    cols = codebook.value_ids
    hidden = {(rows.index("KFF"), c) for c in range(len(cols))} | {(rows.index("BIF"), cols.index("innovation"))}
    cell_text = {}
    for t in ax.texts:
        x, y = t.get_position()
        cell_text[(round(y), round(x))] = t.get_text()
    for cell in hidden:
        assert cell_text[cell] == "Skjult\n(n < 5)"
    shown = [text for cell, text in cell_text.items() if cell not in hidden]
    assert len(shown) == len(rows) * len(cols) - len(hidden)
    assert all("Skjult" not in text and re.search(r"\d,\d", text) for text in shown)
    # BIF's published values keep their numbers.
    assert "3,0" in cell_text[(rows.index("BIF"), cols.index("labour"))]


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
    assert "Hidden\n(n < 5)" in texts
    assert any(t.startswith("Developing?\n1.5") for t in texts)
    assert "Lowest: Social Services Administration (SOF)" in chart.alt


def test_innovation_by_department_sorted_with_hidden_last(scores, codebook, departments):
    chart = charts.plot_innovation_by_department(scores, codebook, departments, 2025)
    ax = chart.figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    codes = [re.search(r"\((\w+)\)$", label).group(1) for label in labels]
    # Published by score, highest first (TMF 5, SUF 4, BUF 3, ØKF 1.5, SOF 1); then the
    # suppressed ones in list order, whatever their (unpublished) scores.
    assert codes == ["TMF", "SUF", "BUF", "ØKF", "SOF", "KFF", "BIF"]
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("skjult (n < 5)") == 2
    assert f"Kommunen {MUNI_INNOVATION}" in texts
    assert "Højest: Teknik- og Miljøforvaltningen (TMF) 5,0" in chart.alt
    assert "Lavest: Socialforvaltningen (SOF) 1,0" in chart.alt
    # No dot on a hidden row: the rows 5 and 6 carry no data point.
    points = [y for line in ax.lines for y in np.atleast_1d(line.get_ydata()) if line.get_marker() == "o"]
    assert sorted(set(points)) == [0, 1, 2, 3, 4]


def test_change_alt_and_legend(scores, codebook):
    chart = charts.plot_change(scores, codebook, 2025, 2024)
    assert "Største stigning: Reduceret klimaaftryk 3,0 → 4,0 (+1,0)" in chart.alt
    assert "Lavest i 2025: Partnerskaber og innovation 2,9" in chart.alt
    assert "højest: Reduceret klimaaftryk 4,0" in chart.alt
    legend = chart.figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()][:2] == ["2024", "2025"]
    english = charts.plot_change(scores, codebook, 2025, 2024, lang="en")
    assert "Largest rise: Reduced climate footprint 3.0 → 4.0 (+1.0)" in english.alt


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
    assert alt == "Score &lt; 3 &amp; &quot;usikker&quot;"
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
