"""Charts of the barrier instrument: the barriers and enablers, and the open question's themes.

The inputs are made by hand to the column contracts of ``rank_barriers`` and ``theme_counts``,
so the expected order, marking and numbers follow from the frames below without running the
statistics.
"""

from __future__ import annotations

import base64
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import same_color
from matplotlib.figure import Figure

from analysis.exceptions import ParameterError
from analysis.report import charts
from analysis.report.charts.base import BLUE, VERMILLION, WIDTH, style_dpi
from analysis.stats.barriers import RANK_COLUMNS
from analysis.survey.codebook import load_codebook

# --- the ranking: rank_barriers(kind="barrier") and (kind="enabler") of 2025, concatenated.
# Barriers: legal 49.94 % -> "50 %" and resources 43 % are on level (tied_with_top); sharing and
# implementation are clearly below legal. bar_risk is missing: its municipal share is not
# published, so rank_barriers leaves it out and the chart must show a hidden row for it.
# Enablers: management is clearly above every other enabler (clearly_largest), so it alone is marked.
# The rows are given in a scrambled order: the chart sorts them itself.
RANKING = [
    # barrier, kind, share, low, high, rank, tied_with_top, clearly_largest
    ("bar_implementation", "barrier", 0.12, 0.06, 0.20, 4, False, False),
    ("bar_resources", "barrier", 0.43, 0.30, 0.57, 2, True, False),
    ("bar_legal", "barrier", 0.4994, 0.414, 0.576, 1, True, False),
    ("bar_sharing", "barrier", 0.31, 0.18, 0.45, 3, False, False),
    ("en_unit", "enabler", 0.226, 0.17, 0.28, 2, False, False),
    ("en_management", "enabler", 0.32, 0.25, 0.46, 1, True, True),
    ("en_central_unit", "enabler", 0.11, 0.02, 0.21, 4, False, False),
    ("en_network", "enabler", 0.198, 0.12, 0.28, 3, False, False),
]
BARRIER_ORDER = [
    "Manglende juridiske kompetencer",
    "Mangel på tid og ressourcer",
    "Ingen struktur for videndeling",
    "Resultater når ikke ud i driften",
    "Effektiviseringskrav hæmmer risikovilje",  # hidden: last of its group
]
ENABLER_ORDER = [
    "Ledelsesopbakning",
    "Egen enhed for innovation",
    "Netværk med kommuner og organisationer",
    "Central enhed eller taskforce",
]
MARKED = {"Manglende juridiske kompetencer", "Mangel på tid og ressourcer", "Ledelsesopbakning"}


def _ranking(rows=RANKING) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "wave": 2025,
                "barrier": b,
                "kind": k,
                "share_high": s,
                "ci_low": lo,
                "ci_high": hi,
                "rank": r,
                "diff_next": np.nan,
                "p_next_adjusted": np.nan,
                "clearly_above_next": False,
                "diff_top": np.nan,
                "p_top_adjusted": np.nan,
                "tied_with_top": tied,
                "clearly_largest": alone,
            }
            for b, k, s, lo, hi, r, tied, alone in rows
        ],
        columns=RANK_COLUMNS,
    )


# --- theme counts: theme_counts(...) of two waves, the municipality (ALL) and one department.
# 2025, ALL, 48 answers: resources 20 (42 %), legal 15 (31 %), central_unit 9 (19 %), sharing 6
# (13 %), risk 0 (0 %, published: 0 is not a small count); management and implementation are
# mentioned by fewer than 5 (blank). BUF's rows and 2024's have other numbers that must not show.
THEMES_2025 = {"legal": 15, "central_unit": 9, "resources": 20, "management": None, "risk": 0, "sharing": 6}
THEMES_2025["implementation"] = None
THEME_ORDER = [
    "Tid og ressourcer",
    "Juridisk hjælp",
    "En central enhed eller taskforce",
    "Videndeling og netværk",
    "Plads til at tage chancer",
    "Ledelsens opbakning",  # suppressed: last, in codebook order
    "Implementering i driften",
]


def _themes(question) -> pd.DataFrame:
    rows = []
    for wave, dept, answers, counts in [
        (2024, "ALL", 30, dict.fromkeys(THEMES_2025, 10)),
        (2025, "ALL", 48, THEMES_2025),
        (2025, "BUF", 12, dict.fromkeys(THEMES_2025, 11)),
    ]:
        for theme in question.themes:
            n = counts[theme.id]
            rows.append(
                {
                    "wave": wave,
                    "department": dept,
                    "theme": theme.id,
                    "mentions": n,
                    "answers": answers,
                    "share": np.nan if n is None else n / answers,
                    "suppressed": n is None,
                    "members": "",
                }
            )
    frame = pd.DataFrame(rows)
    frame["mentions"] = frame["mentions"].astype("Int64")
    frame["answers"] = frame["answers"].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


@pytest.fixture(scope="module")
def question(codebook):
    return codebook.open_questions[0]


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


def _rows(ax) -> list[tuple[float, str]]:
    """Return the row labels top down with their y, line breaks undone."""
    return [(y, label.get_text().replace("\n", " ")) for y, label in zip(ax.get_yticks(), ax.get_yticklabels())]


def _dots(ax) -> dict[float, str]:
    """Return y -> colour of every dot drawn."""
    return {
        float(np.atleast_1d(line.get_ydata())[0]): line.get_color() for line in ax.lines if line.get_marker() == "o"
    }


def test_fixture_labels_are_the_codebook_short_names(codebook, question):
    shorts = {it.id: it.short("da") for it in codebook.barriers.items}
    assert set(BARRIER_ORDER) | set(ENABLER_ORDER) == set(shorts.values())
    assert {th.name("da") for th in question.themes} == set(THEME_ORDER)


# ------------------------------------------------------------------------------------------
# barriers and enablers


def test_barriers_groups_sorted_with_hidden_last(codebook):
    chart = charts.plot_barriers(_ranking(), codebook)
    assert isinstance(chart, charts.Chart)
    ax = chart.figure.axes[0]
    rows = _rows(ax)
    assert [label for _, label in rows] == BARRIER_ORDER + ENABLER_ORDER
    # The headings stand above their groups: Barrierer first, then the enablers in place.
    headings = {t.get_text(): t.get_position()[1] for t in ax.texts if t.get_fontweight() == "bold"}
    ys = [y for y, _ in rows]
    assert headings["Barrierer"] < ys[0]
    assert ys[len(BARRIER_ORDER) - 1] < headings["Forudsætninger på plads"] < ys[len(BARRIER_ORDER)]
    # The hidden statement has no dot and no number, only the hatched row's words.
    hidden_y = ys[BARRIER_ORDER.index("Effektiviseringskrav hæmmer risikovilje")]
    assert hidden_y not in _dots(ax)
    at_hidden = [t.get_text() for t in ax.texts if t.get_position()[1] == hidden_y]
    assert at_hidden == ["skjult (n < 5)"]
    assert len(_dots(ax)) == len(RANKING)


def test_barriers_mark_those_tied_with_the_top(codebook):
    ax = charts.plot_barriers(_ranking(), codebook).figure.axes[0]
    dots = _dots(ax)
    for (y, label), tick in zip(_rows(ax), ax.get_yticklabels()):
        if label in MARKED:
            assert same_color(dots[y], VERMILLION) and same_color(tick.get_color(), VERMILLION)
            assert tick.get_fontweight() == "bold"
        else:
            assert y not in dots or not same_color(dots[y], VERMILLION)
            assert not same_color(tick.get_color(), VERMILLION)


def test_barriers_alt_names_the_largest_with_danish_numbers(codebook):
    chart = charts.plot_barriers(_ranking(), codebook)
    alt = chart.alt
    assert "i 2025" in alt and "95 %-intervaller" in alt
    assert (
        "Største barrierer, på niveau med hinanden: Manglende juridiske kompetencer 50 % (41–58 %) og Mangel på tid og ressourcer "
        "43 % (30–57 %)." in alt
    )
    assert "Øvrige barrierer: Ingen struktur for videndeling 31 % og Resultater når ikke ud i driften 12 %." in alt
    assert "Forudsætningen mest på plads, klart over de øvrige: Ledelsesopbakning 32 % (25–46 %)." in alt
    assert "Skjult, færre end 5 svar: Effektiviseringskrav hæmmer risikovilje." in alt
    assert not re.search(r"\d%", alt) and not re.search(r"\d\.\d", alt)
    texts = _texts(chart)
    assert "50 %" in texts and "12 %" in texts and "100 %" in texts
    assert not any(re.search(r"\d%|\d\.\d", t) for t in texts)


def test_barriers_english(codebook):
    chart = charts.plot_barriers(_ranking(), codebook, lang="en")
    ax = chart.figure.axes[0]
    labels = [label for _, label in _rows(ax)]
    assert labels[:2] == ["Lack of legal competence", "Lack of time and resources"]
    assert labels[5] == "Management backing"
    texts = _texts(chart)
    assert "Barriers" in texts and "Enablers in place" in texts and "hidden (n < 5)" in texts
    assert "50%" in texts and "50 %" not in texts
    assert "On level with the group's largest" in texts
    assert "Largest barriers, on level with each other: Lack of legal competence 50% (41–58%)" in chart.alt
    assert "Enabler most in place, clearly above the others: Management backing 32% (25–46%)." in chart.alt
    assert "Hidden, fewer than 5 responses: Efficiency targets curb risk-taking." in chart.alt


def test_barriers_one_clear_largest_and_nothing_published(codebook):
    # Legal clearly above the rest: only it is marked, and the alt says so.
    rows = [
        (b, k, s, lo, hi, r, b == "bar_legal" if k == "barrier" else tied, b == "bar_legal" or alone)
        for b, k, s, lo, hi, r, tied, alone in RANKING
    ]
    alt = charts.plot_barriers(_ranking(rows), codebook).alt
    assert "Største barriere, klart over de øvrige: Manglende juridiske kompetencer 50 % (41–58 %)." in alt
    assert "Øvrige barrierer: Mangel på tid og ressourcer 43 %" in alt
    # An empty ranking (no municipal share published): every statement is a hidden row.
    chart = charts.plot_barriers(_ranking([]), codebook)
    ax = chart.figure.axes[0]
    assert [t.get_text() for t in ax.texts].count("skjult (n < 5)") == 9
    assert _dots(ax) == {}
    assert "Skjult, færre end 5 svar: Manglende juridiske kompetencer" in chart.alt


def test_barriers_reject_a_ranking_of_mixed_kinds_or_waves(codebook):
    mixed = _ranking()
    mixed["kind"] = ""  # rank_barriers(kind=None): one ranking across both kinds
    with pytest.raises(ParameterError, match="rank the barriers and the enablers separately"):
        charts.plot_barriers(mixed, codebook)
    two = pd.concat([_ranking(), _ranking().assign(wave=2024)])
    with pytest.raises(ParameterError, match="2024, 2025"):
        charts.plot_barriers(two, codebook)


# ------------------------------------------------------------------------------------------
# themes of the open question


def test_themes_sorted_with_suppressed_last_and_no_number(question):
    chart = charts.plot_themes(_themes(question), question)
    ax = chart.figure.axes[0]
    rows = _rows(ax)
    assert [label for _, label in rows] == THEME_ORDER
    assert ax.get_xlabel() == "Andel af de 48, der svarede"
    bars = [p for p in ax.patches if same_color(p.get_facecolor(), BLUE)]
    assert sorted(round(p.get_y() + p.get_height() / 2) for p in bars) == [0, 1, 2, 3, 4]
    assert [round(p.get_width(), 1) for p in sorted(bars, key=lambda p: p.get_y())] == [41.7, 31.2, 18.8, 12.5, 0.0]
    texts = {round(t.get_position()[1]): t.get_text() for t in ax.texts}
    assert texts[0] == "42 %  (n = 20)" and texts[1] == "31 %  (n = 15)" and texts[4] == "0 %  (n = 0)"
    # The suppressed themes: hatched rows with words only, never a bar or a number.
    assert texts[5] == texts[6] == "nævnt af færre end 5"
    assert all(p.get_hatch() == "///" for p in ax.patches if not same_color(p.get_facecolor(), BLUE))
    assert len([p for p in ax.patches if p.get_hatch() == "///"]) == 2


def test_themes_alt_lists_shares_and_not_the_suppressed_numbers(question):
    alt = charts.plot_themes(_themes(question), question).alt
    assert "de 48, der svarede på det åbne spørgsmål »Hvad ville hjælpe" in alt and "i 2025" in alt
    assert "Tid og ressourcer 42 % (n = 20); Juridisk hjælp 31 % (n = 15); En central enhed" in alt
    assert "Plads til at tage chancer 0 % (n = 0)." in alt
    assert "Nævnt af færre end 5: Ledelsens opbakning og Implementering i driften." in alt
    assert not re.search(r"(Ledelsens opbakning|Implementering i driften) \d", alt)
    assert not re.search(r"\d%", alt)
    # BUF's rows and 2024's never enter the municipality's chart.
    assert "n = 11" not in alt and "n = 10" not in alt


def test_themes_other_wave_english_and_bad_input(question):
    frame = _themes(question)
    chart = charts.plot_themes(frame, question, lang="en", wave=2024)
    ax = chart.figure.axes[0]
    assert ax.get_xlabel() == "Share of the 30 who answered"
    assert "Legal support 33% (n = 10)" in chart.alt
    english = charts.plot_themes(frame, question, lang="en")
    texts = _texts(english)
    assert "mentioned by fewer than 5" in texts and "42%  (n = 20)" in texts
    assert "Mentioned by fewer than 5: Management backing and Implementation in operations." in english.alt
    with pytest.raises(ParameterError, match="2023"):
        charts.plot_themes(frame, question, wave=2023)
    with pytest.raises(ParameterError, match="do not match the question"):
        charts.plot_themes(frame[frame["theme"] != "risk"], question)


def test_themes_never_draw_a_suppressed_number_whatever_the_input(question):
    frame = _themes(question)
    # A row marked suppressed that still carries a count (not theme_counts' contract) stays hidden.
    bad = (frame["wave"] == 2025) & (frame["department"] == "ALL") & (frame["theme"] == "management")
    frame.loc[bad, ["mentions", "share"]] = [4, 4 / 48]
    chart = charts.plot_themes(frame, question)
    assert [t.get_text() for t in chart.figure.axes[0].texts].count("nævnt af færre end 5") == 2
    assert "8 %" not in chart.alt and "n = 4" not in chart.alt
    # Nothing of the wave published (the municipality's answers blank): every row hidden.
    none = _themes(question)
    alls = none["department"] == "ALL"
    none.loc[alls, ["mentions", "answers"]] = pd.NA
    none.loc[alls, "share"] = np.nan
    none.loc[alls, "suppressed"] = True
    chart = charts.plot_themes(none, question)
    ax = chart.figure.axes[0]
    assert [t.get_text() for t in ax.texts] == ["skjult"] * 7
    assert ax.get_xlabel() == "Andel af dem, der svarede"
    assert "Kan ikke vises af hensyn til anonymiteten (færre end 5 svar)." in chart.alt


# ------------------------------------------------------------------------------------------
# rendering


def test_charts_render_to_png_within_the_text_width(codebook, question):
    made = [
        charts.plot_barriers(_ranking(), codebook),
        charts.plot_barriers(_ranking(), codebook, lang="en"),
        charts.plot_themes(_themes(question), question),
        charts.plot_themes(_themes(question), question, lang="en"),
    ]
    for number, chart in enumerate(made, start=1):
        out = charts.figure_html(chart, number=number, caption="x")
        src = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', out).group(1)
        png = base64.b64decode(src)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        # Nothing sticks out of the 16 cm figure (the tight box adds only its 0.04 in pad).
        width_px = int.from_bytes(png[16:20], "big")
        assert width_px <= round((WIDTH + 2 * 0.04) * style_dpi())
    assert plt.get_fignums() == []


def test_charts_draw_into_the_callers_axes(codebook, question):
    fig = Figure(figsize=(6.3, 7), layout="constrained")
    top, bottom = fig.subplots(2, 1)
    assert charts.plot_barriers(_ranking(), codebook, ax=top).figure is fig
    assert charts.plot_themes(_themes(question), question, ax=bottom).figure is fig
    assert [label for _, label in _rows(bottom)] == THEME_ORDER
