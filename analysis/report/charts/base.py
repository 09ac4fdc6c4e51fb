"""Shared parts of the charts: the Chart class, figure creation and rendering, and drawing helpers.

Every chart is a :class:`matplotlib.figure.Figure` made directly (not through pyplot), drawn
with the Agg renderer and the one style in ``analysis/report/briefing.mplstyle``, applied through a
style context only while the chart is built and saved. The text is set in the packaged fonts
(:mod:`analysis.report.fonts`), registered with matplotlib on import, never in a system font. Nothing is registered with pyplot, so a
notebook's figure state and settings stay untouched and no chart is displayed twice.

This module holds what several chart families use: the colours and the two-language word
table, the score axis with its level bands, the department x value grid with its colour key,
the hatched stand-in for a suppressed cell, text wrapping and number formatting, the PNG
rendering and :func:`figure_html`.
"""

from __future__ import annotations

import base64
import functools
import io
import textwrap
from dataclasses import dataclass

import matplotlib
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from PIL import Image

from ... import config
from ...config import check_lang
from ...exceptions import ParameterError
from ...formatting import format_number, join_names
from ...stats.scores import Scores
from ...survey.codebook import Codebook, Departments
from ...words import count_text, hidden_text, merged_group_name, t
from ..fonts import register_with_matplotlib

# The chart style names the packaged family; matplotlib must know its files before a chart is
# laid out, so they are registered when the charts are imported (not from the system's fonts).
FONT_FAMILY = register_with_matplotlib()

# Okabe-Ito colours (the style's cycle), named for what they mean here.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREY = "#8c8c8c"
DARK = "#262626"
BAND_SHADE = "#efefef"
SUPPRESSED_FILL = "#e4e4e4"
SUPPRESSED_HATCH = "#a6a6a6"
HEATMAP_CMAP = "cividis"

WIDTH = 6.3  # inches: 16 cm, the text width of the A4 page
WRAP = 22  # characters per line for value names

WORDS = {
    "da": {
        "hidden_lc": "skjult",
        "score_axis": "Modenhedsscore (1–5)",
        "municipality": "Kommunen",
        "municipality_mean": "Kommunen (alle forvaltninger)",
        "depts_short": "forv.",
        "uncertain": "? = intervallet krydser\nen niveaugrænse",
        "hidden_legend": "Skjult: færre end {n} svar",
        "hidden_pooled_legend": "Skjult: færre end {n} svar\neller lagt i Øvrige forvaltninger",
        "pooled_cell": "Skjult\n(i Øvrige forv.)",
        "pooled_row": "indgår i Øvrige forvaltninger",
        "responses": "svar",
        "figure": "Figur",
        "trend_point": "Kommunens score",
        "trend_depts": "forv. = antal forvaltninger\nbag punktet",
        "trend_department_point": "Forvaltningens score",
        "trend_respondents": "n = antal svarende;\nskjult: færre end {n} svar",
        "dont_know_axis": "Andel »Ved ikke« af alle svar",
        "flag_legend": "over {share}: markeret",
        "flag_unclear_legend": "over {share}, men intervallet\nnår under: stiplet",
        "dist_axis": "Andel af svarene på niveau 1–5",
        "dist_lower": "← lavere modenhed",
        "dist_higher": "højere modenhed →",
        "dont_know": "Ved ikke",
        "not_applicable": "Ikke relevant",
        "dist_all_answers": "Andel af alle svar",
    },
    "en": {
        "hidden_lc": "hidden",
        "score_axis": "Maturity score (1–5)",
        "municipality": "Municipality",
        "municipality_mean": "Municipality (all departments)",
        "depts_short": "depts",
        "uncertain": "? = the interval crosses\na level boundary",
        "hidden_legend": "Hidden: fewer than {n} responses",
        "hidden_pooled_legend": "Hidden: fewer than {n} responses\nor pooled in Other departments",
        "pooled_cell": "Hidden\n(in Other depts)",
        "pooled_row": "pooled in Other departments",
        "responses": "responses",
        "figure": "Figure",
        "trend_point": "Municipality score",
        "trend_depts": "depts = departments\nbehind the point",
        "trend_department_point": "The department's score",
        "trend_respondents": "n = respondents;\nhidden: fewer than {n}",
        "dont_know_axis": 'Share of "Don\'t know" among all answers',
        "flag_legend": "over {share}: marked",
        "flag_unclear_legend": "over {share}, but the interval\nreaches below: dashed",
        "dist_axis": "Share of the answers at levels 1–5",
        "dist_lower": "← lower maturity",
        "dist_higher": "higher maturity →",
        "dont_know": "Don't know",
        "not_applicable": "Not applicable",
        "dist_all_answers": "Share of all answers",
    },
}


@dataclass
class Chart:
    """A chart ready for the briefing: the figure and a text alternative.

    Attributes
    ----------
    figure
        The matplotlib figure (not registered with pyplot).
    alt
        One or two sentences saying what the chart shows, with its key numbers, for the
        ``alt`` attribute of the image and for readers who cannot see it.
    """

    figure: Figure | None
    alt: str
    #: The rendered PNG, once made (by :class:`analysis.report.chartpool.ChartBatch` or :func:`figure_html`).
    png: bytes | None = None

    def to_png(self) -> bytes:
        """Return the chart as PNG bytes, rendering it once."""
        if self.png is None:
            self.png = png_bytes(self.figure)
        return self.png

    def _repr_mimebundle_(self, include=None, exclude=None):
        """Show the chart with its alt text when a notebook cell ends with a Chart."""
        return {"image/png": base64.b64encode(self.to_png()).decode("ascii")}, {"image/png": {"alt": self.alt}}


# ------------------------------------------------------------------------------------------
# helpers


def word_table(lang: str) -> dict[str, str]:
    """Return the charts' words in ``lang`` (``"da"`` or ``"en"``)."""
    return WORDS[check_lang(lang)]


def num(x: float, lang: str, decimals: int = 1) -> str:
    """Return ``x`` with ``decimals`` decimals the way ``lang`` writes it (``2,4`` or ``2.4``)."""
    return format_number(x, lang, decimals)


def signed(x: float, lang: str) -> str:
    """Return a change with its sign: ``+0,3``, ``−0,2`` (a true minus), ``0,0``."""
    text = num(abs(x), lang)
    if text == num(0.0, lang):
        return text
    return ("+" if x > 0 else "\u2212") + text


def wrap(text: str, width: int = WRAP) -> str:
    """Return ``text`` broken into lines of at most ``width`` characters (at spaces and hyphens)."""
    # Danish compounds can be longer than the width; they stay whole rather than being cut.
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=True))


def new_figure(height: float) -> Figure:
    """Return a figure 16 cm wide, not registered with pyplot, drawn by Agg."""
    fig = Figure(figsize=(WIDTH, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def figure_and_axes(ax: Axes | None, height: float) -> tuple[Figure, Axes]:
    """Return a new 16 cm figure ``height`` inches tall with one axes, or the caller's ``ax`` and its figure."""
    if ax is None:
        fig = new_figure(height)
        return fig, fig.add_subplot()
    return ax.figure, ax


def key_legend(fig: Figure, ax: Axes, own_figure: bool, handles: list, **style) -> None:
    """Draw a chart's legend below its own figure, or below the caller's ``ax`` (under its axis label)."""
    if own_figure:
        fig.legend(handles=handles, loc="outside lower center", frameon=False, **style)
    else:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False, **style)


def only_own_figure(ax: Axes | None, chart: str, why: str) -> None:
    """Raise ParameterError when a caller's axes is passed to a chart that needs a figure of its own."""
    if ax is not None:
        raise ParameterError(f"{chart} draws {why}, so it makes its own figure; call it with ax=None.")


def check_wave(scores: Scores, wave: int) -> int:
    """Return ``wave`` as an int, or raise ParameterError when the scores do not hold it."""
    waves = scores.waves
    if int(wave) not in waves:
        raise ParameterError(
            f"wave {wave!r} is not in the scores; the scored waves are {', '.join(map(str, waves))}. "
            "Pick one of those, or add that wave's responses to the data."
        )
    return int(wave)


def value_rows(scores: Scores, codebook: Codebook, wave: int) -> pd.DataFrame:
    """Return the municipality's scores of ``wave``, one row per value, in policy order."""
    rows = scores.value[scores.value["wave"] == wave].set_index("value")
    return rows.reindex(codebook.value_ids)


def level_text(codebook: Codebook, level, uncertain: bool, lang: str) -> str:
    """Return a level's name, ending in "?" when its interval crosses a level boundary ("" for none)."""
    if pd.isna(level):
        return ""
    return codebook.level_name(int(level), lang) + ("?" if uncertain else "")


def level_axis(ax, codebook: Codebook, lang: str, limits: tuple[float, float] = (0.5, 5.5)) -> None:
    """Draw the score axis with shaded bands for the levels and the level names on top.

    ``limits`` lie on band edges (k - 0.5); the default is the whole scale with ticks 1-5, a
    narrower range (for small changes) gets ticks every half point.
    """
    lo, hi = limits
    for level in range(1, 6):
        if not lo < level < hi:
            continue
        if level % 2 == 1:
            ax.axvspan(level - 0.5, level + 0.5, color=BAND_SHADE, zorder=0, linewidth=0)
        ax.text(
            level,
            1.02,
            wrap(codebook.level_name(level, lang), 15),
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="baseline",
            fontsize=8,
            color="#595959",
            linespacing=1.0,
        )
    ax.set_xlim(lo, hi)
    if (lo, hi) == (0.5, 5.5):
        ax.set_xticks(range(1, 6), [num(k, lang, 0) for k in range(1, 6)])
    else:
        ticks = np.arange(lo, hi + 0.01, 0.5)
        ax.set_xticks(ticks, [num(t, lang, 1) for t in ticks])
    ax.set_xlabel(word_table(lang)["score_axis"])
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)


def zoom_limits(values) -> tuple[float, float]:
    """Return the narrowest band-aligned range (k - 0.5 to m + 0.5) holding ``values``."""
    finite = [v for v in values if pd.notna(v)]
    if not finite:
        return 0.5, 5.5
    # 0.05 keeps a value off the very edge of the plot.
    lo = max(0.5, float(np.floor(min(finite) - 0.55)) + 0.5)
    hi = min(5.5, float(np.ceil(max(finite) + 0.55)) - 0.5)
    if hi - lo < 2:  # at least two whole levels, so the bands give a sense of scale
        hi = min(5.5, lo + 2)
        lo = max(0.5, hi - 2)
    return lo, hi


def label_interval(ax, low: float, high: float, y: float, text: str, **kwargs) -> None:
    """Write ``text`` just right of an interval, or just left of it near the scale's top end."""
    if high > 4.6:
        ax.text(low - 0.07, y, text, ha="right", va="center", **kwargs)
    else:
        ax.text(high + 0.07, y, text, ha="left", va="center", **kwargs)


def text_colour(rgba) -> str:
    """Return black or white, whichever contrasts more with ``rgba`` (WCAG luminance)."""
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(rgba)]
    lum = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    return "white" if (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.05) else "black"


def department_order(scores: Scores, departments: Departments, wave: int) -> list[str]:
    """Return the department list's codes, then any other department found in the scores (not the merged group)."""
    seen = scores.department_value.loc[scores.department_value["wave"] == wave, "department"]
    return [c for c in departments.order([*departments.codes, *seen]) if c != config.MERGED_GROUP]


def merged_cells(scores: Scores, wave: int) -> pd.DataFrame:
    """Return the merged group's rows of ``wave`` (department ``ØVRIGE``), indexed by value.

    Each value has its own pool (method.md), so the members (``members``, e.g. ``"SOF+KFF"``)
    can differ between values. Empty when no department of the wave is under ``min_n``.
    """
    dv = scores.department_value
    rows = dv[(dv["wave"] == wave) & (dv["department"] == config.MERGED_GROUP)]
    if "members" not in rows.columns:
        rows = rows.assign(members="")
    rows = rows.drop_duplicates("value").set_index("value").copy()
    rows["members"] = rows["members"].fillna("").astype(str)
    rows["suppressed"] = rows["suppressed"].astype("boolean").fillna(True).astype(bool)
    rows["level_uncertain"] = rows["level_uncertain"].astype("boolean").fillna(False).astype(bool)
    rows.loc[rows["suppressed"], ["score", "ci_low", "ci_high"]] = np.nan
    return rows


def merged_sets(scores: Scores, value_ids: list[str], wave: int) -> list[str]:
    """Return the distinct memberships of the merged group in ``wave`` (``"SOF+KFF"``), in value order."""
    cells = merged_cells(scores, wave)
    return list(
        dict.fromkeys(cells.loc[v, "members"] for v in value_ids if v in cells.index and cells.loc[v, "members"])
    )


def members_of(members: str) -> list[str]:
    """Return the member codes of a merged group's ``members`` (``"KFF+BIF"`` -> ``["KFF", "BIF"]``)."""
    return [m for m in str(members).split("+") if m]


def department_cells(scores: Scores, departments: Departments, wave: int, value: str) -> pd.DataFrame:
    """Return one row per department for ``value``; a department without answers is suppressed.

    ``n`` is blank (NA) where the table leaves it blank (under ``min_n``) or the department has
    no answers; ``pooled`` holds the members of the merged group the department is pooled into on
    this value (``""`` when it is not a member).
    """
    dv = scores.department_value
    cells = dv[(dv["wave"] == wave) & (dv["value"] == value) & (dv["department"] != config.MERGED_GROUP)]
    cells = cells.set_index("department").reindex(department_order(scores, departments, wave))
    cells["n"] = pd.array(pd.to_numeric(cells["n"], errors="coerce"), dtype="Int64")
    cells["suppressed"] = cells["suppressed"].astype("boolean").fillna(True).astype(bool)
    cells["level_uncertain"] = cells["level_uncertain"].astype("boolean").fillna(False).astype(bool)
    # Belt and braces: a suppressed cell carries no number into a chart, whatever the input.
    cells.loc[cells["suppressed"], ["score", "ci_low", "ci_high"]] = np.nan
    merged = merged_cells(scores, wave)
    members = merged.loc[value, "members"] if value in merged.index else ""
    cells["pooled"] = [members if code in members_of(members) else "" for code in cells.index]
    pulled = set(scores.pulled_in.get((int(wave), value), ()))
    cells["pulled_in"] = [code in pulled for code in cells.index]
    return cells


def department_title(departments: Departments | None, code: str, lang: str) -> str:
    """Return a department's name with its code, ``Name (CODE)``, or the code alone without a list."""
    return f"{departments.name_of(code, lang)} ({code})" if departments is not None else code


@dataclass(frozen=True)
class GridRow:
    """A row of a department x value grid: a department, or the merged group with its members."""

    code: str
    members: str = ""

    @property
    def merged(self) -> bool:
        return self.code == config.MERGED_GROUP

    def label(self, lang: str) -> str:
        """Return the row's label: the department's code, or the merged group's name over its members."""
        return merged_group_name(self.members, lang).replace(" (", "\n(", 1) if self.merged else self.code

    def title(self, departments: Departments | None, lang: str) -> str:
        """Return the row's name for an alt text: ``Name (CODE)`` or ``Øvrige forvaltninger (KFF og BIF)``."""
        return merged_group_name(self.members, lang) if self.merged else department_title(departments, self.code, lang)


def grid_rows(scores: Scores, departments: Departments, value_ids: list[str], wave: int) -> list[GridRow]:
    """Return a grid's rows: every department in list order, then one row per membership of the merged group."""
    return [GridRow(code) for code in department_order(scores, departments, wave)] + [
        GridRow(config.MERGED_GROUP, members) for members in merged_sets(scores, value_ids, wave)
    ]


def grid_cells(scores: Scores, departments: Departments, value_ids: list[str], wave: int, rows: list[GridRow]):
    """Return ``{(row, value): cell or None}``: a department's cell, or the merged group's where its members match.

    None marks a merged-group row on a value whose pool has other members (no such group there).
    """
    merged = merged_cells(scores, wave)
    out = {}
    for vid in value_ids:
        cells = department_cells(scores, departments, wave, vid)
        for row in rows:
            if not row.merged:
                out[(row, vid)] = cells.loc[row.code]
            elif vid in merged.index and merged.loc[vid, "members"] == row.members:
                out[(row, vid)] = merged.loc[vid]
            else:
                out[(row, vid)] = None
    return out


def pooled_only(cell, min_n: int) -> bool:
    """Return whether a hidden department cell is hidden only for being pooled (pulled in, its own n at least ``min_n``)."""
    return bool(cell.get("pooled", "")) and bool(cell.get("pulled_in", False))


def hidden_cell_text(cell, min_n: int, lang: str) -> str:
    """Return a hidden grid cell's two-line text: "Skjult\n(n < 5)", or "Skjult\n(i Øvrige forv.)" when pooled only."""
    if cell is not None and pooled_only(cell, min_n):
        return word_table(lang)["pooled_cell"]
    return hidden_text(min_n, lang, capital=True).replace(" (", "\n(")


def hidden_row_text(cell, min_n: int, lang: str) -> str:
    """Return a hidden row's text: "skjult (n < 5)", with ", indgår i Øvrige forvaltninger" for a member."""
    if cell is None or not cell.get("pooled", ""):
        return hidden_text(min_n, lang)
    pooled = word_table(lang)["pooled_row"]
    if pooled_only(cell, min_n):
        return f"{word_table(lang)['hidden_lc']}, {pooled}"
    return f"{hidden_text(min_n, lang)}, {pooled}"


def count_label(n, min_n: int, lang: str) -> str:
    """Return a count for a label: ``n = 6``, or "færre end 5 svar" where it may not be published."""
    shown = count_text(n, min_n, lang)
    if n is None or pd.isna(n) or 0 < int(n) < min_n:
        return f"{shown} {word_table(lang)['responses']}"
    return f"n = {shown}"


def suppressed_legend_handle(min_n: int, lang: str, pooled: bool) -> Patch:
    """Return the hatched legend entry, naming the merged group too when some cell is hidden only for being pooled."""
    handle = suppressed_handle(min_n, lang)
    if pooled:
        handle.set_label(word_table(lang)["hidden_pooled_legend"].format(n=min_n))
    return handle


def alt_merged(scores: Scores, codebook: Codebook, wave: int, lang: str, values: list[str] | None = None) -> str:
    """Return the alt text's sentence naming the merged group(s) of ``values`` and their members."""
    value_ids = list(values) if values is not None else codebook.value_ids
    cells = merged_cells(scores, wave)
    by_members: dict[str, list[str]] = {}
    for vid in value_ids:
        if vid in cells.index and cells.loc[vid, "members"]:
            by_members.setdefault(cells.loc[vid, "members"], []).append(vid)
    if not by_members:
        return ""
    parts = []
    for members, vids in by_members.items():
        name = merged_group_name(members, lang)
        if len(value_ids) == 1:
            score = cells.loc[vids[0], "score"]
            parts.append(name + ("" if pd.isna(score) else f" {num(score, lang)}"))
        elif len(vids) == len(value_ids):
            parts.append(name + t(lang, " på alle værdier", " on every value"))
        else:
            on = join_names([codebook.value_name(v, lang) for v in vids], lang)
            parts.append(name + t(lang, f" på {on}", f" on {on}"))
    listed = "; ".join(parts)
    return t(
        lang,
        f" Små forvaltninger vises samlet: {listed}; medlemmernes egne tal vises ikke.",
        f" Small departments are shown together: {listed}; the members' own figures are not shown.",
    )


def hidden_sentence(min_n: int, listed: str, lang: str) -> str:
    """Return the alt text's sentence naming what is suppressed: `` Skjult, færre end 5 svar: ….``."""
    return t(lang, f" Skjult, færre end {min_n} svar: {listed}.", f" Hidden, fewer than {min_n} responses: {listed}.")


def lowest_highest(low: str, high: str, lang: str, *, highest_first: bool = False) -> str:
    """Return the alt text's sentence `` Lavest: …. Højest: ….`` (or highest first)."""
    if highest_first:
        return t(lang, f" Højest: {high}. Lavest: {low}.", f" Highest: {high}. Lowest: {low}.")
    return t(lang, f" Lavest: {low}. Højest: {high}.", f" Lowest: {low}. Highest: {high}.")


def interval_dot(ax: Axes, score: float, low: float, high: float, y: float, **style):
    """Draw a score as a marker at ``y`` with its interval as horizontal error bars."""
    return ax.errorbar(score, y, xerr=[[score - low], [high - score]], **style)


def scored_dot(
    ax: Axes, row, y: float, colour: str, text: str, *, markersize: float = 7, label_style: dict | None = None
) -> None:
    """Draw a row's score as a dot with its interval and write ``text`` beside it.

    ``row`` has ``score``, ``ci_low`` and ``ci_high``; the label is bold 9 pt in ``colour`` unless
    ``label_style`` gives other text properties.
    """
    interval_dot(
        ax,
        row["score"],
        row["ci_low"],
        row["ci_high"],
        y,
        fmt="o",
        color=colour,
        ecolor=colour,
        elinewidth=1.6,
        capsize=3,
        markersize=markersize,
        zorder=3,
    )
    style = {"fontsize": 9, "fontweight": "bold"} if label_style is None else label_style
    label_interval(ax, row["ci_low"], row["ci_high"], y, text, color=colour, zorder=4, **style)


def label_rows(ax: Axes, labels: list[str], top: float, *, ids=(), highlight: str | None = None) -> None:
    """Label the rows from the top down, leave ``top`` of room above them, and emphasise the row of ``highlight``."""
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, top)
    for tick, vid in zip(ax.get_yticklabels(), ids):
        if vid == highlight:
            tick.set_color(VERMILLION)
            tick.set_fontweight("bold")


def suppressed_patch(xy: tuple[float, float], width: float, height: float, *, zorder: float = 1) -> Rectangle:
    """Return the light-grey hatched rectangle that stands in for a suppressed cell, row or band."""
    return Rectangle(
        xy,
        width,
        height,
        facecolor=SUPPRESSED_FILL,
        edgecolor=SUPPRESSED_HATCH,
        hatch="///",
        linewidth=0,
        zorder=zorder,
    )


def suppressed_handle(min_n: int, lang: str) -> Patch:
    """Return the legend entry for :func:`suppressed_patch`: "Skjult: færre end 5 svar"."""
    return Patch(
        facecolor=SUPPRESSED_FILL,
        edgecolor=SUPPRESSED_HATCH,
        hatch="///",
        linewidth=0,
        label=word_table(lang)["hidden_legend"].format(n=min_n),
    )


def suppressed_label(
    ax: Axes, x: float, y: float, text: str, *, pad: float = 0.25, fontsize: float = 8.5, zorder: float = 4, **kwargs
) -> Text:
    """Write ``text`` centred at (x, y) on a patch of the suppressed fill, so the hatching stays off it."""
    return ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=fontsize,
        color=DARK,
        zorder=zorder,
        bbox={"boxstyle": f"round,pad={pad}", "facecolor": SUPPRESSED_FILL, "linewidth": 0},
        **kwargs,
    )


#: What a grid's ``cell_text`` returns for a cell that does not exist (see :func:`draw_grid`).
NO_CELL = object()


def grid_figure(ax: Axes | None, n_rows: int, row_height: float) -> tuple[Figure, Axes, Axes, Axes]:
    """Return a department x value grid's figure with its axes: the grid, the colour bar and the legend.

    With the caller's ``ax``, the grid is drawn in it and the colour bar and the legend go in two
    strips just below it (the column labels are on top, so the space below is free).
    """
    if ax is not None:
        return ax.figure, ax, ax.inset_axes([0, -0.14, 0.58, 0.05]), ax.inset_axes([0.62, -0.32, 0.38, 0.22])
    fig = new_figure(row_height * n_rows + 1.75)
    gs = fig.add_gridspec(2, 2, height_ratios=[n_rows, 0.45], width_ratios=[1.6, 1])
    return fig, fig.add_subplot(gs[0, :]), fig.add_subplot(gs[1, 0]), fig.add_subplot(gs[1, 1])


def draw_grid(
    ax: Axes,
    matrix: np.ndarray,
    row_labels: list[str],
    column_labels: list[str],
    cell_text,
    *,
    cmap,
    norm,
    min_n: int,
    lang: str,
):
    """Draw a department x value grid on ``ax`` and return its image, for the colour bar.

    ``matrix`` (rows x columns) colours the cells. ``cell_text(r, c)`` returns the cell's text and
    its extra text properties (the text is black or white, whichever contrasts more with the
    cell's colour); None for a suppressed cell, drawn hatched reading "Skjult (n < 5)" (on two
    lines) with no number; a string for a suppressed cell with that text instead (e.g. "Skjult
    (i Øvrige forv.)"); or :data:`NO_CELL` for a cell that does not exist (a merged group's row
    on a value whose pool has other members), left white with a grey dash.
    """
    hidden = hidden_text(min_n, lang, capital=True).replace(" (", "\n(")
    ax.set_axisbelow(False)  # the white cell borders go over the hatched cells too
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
    for r in range(len(row_labels)):
        for c in range(len(column_labels)):
            shown = cell_text(r, c)
            if shown is NO_CELL:
                ax.text(c, r, "\u2013", ha="center", va="center", fontsize=9, color=GREY, zorder=3)
                continue
            if shown is None or isinstance(shown, str):
                ax.add_patch(suppressed_patch((c - 0.5, r - 0.5), 1, 1))
                text = hidden if shown is None else shown
                suppressed_label(ax, c, r, text, pad=0.15, fontsize=7.5, zorder=3, linespacing=1.1)
                continue
            text, style = shown
            ax.text(
                c, r, text, ha="center", va="center", zorder=3, color=text_colour(cmap(norm(matrix[r, c]))), **style
            )
    # White lines between the cells.
    ax.set_xticks(np.arange(len(column_labels) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(row_labels) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=2.5, axis="both")
    ax.grid(which="major", visible=False)
    ax.tick_params(which="both", length=0)
    ax.set_xticks(range(len(column_labels)), column_labels, fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(row_labels)), row_labels, fontsize=9)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return image


def draw_grid_key(fig: Figure, image, cax: Axes, lax: Axes, ticks, tick_labels: list[str], handles: list) -> None:
    """Draw a grid's horizontal colour bar in ``cax`` and its legend in ``lax``."""
    bar = fig.colorbar(image, cax=cax, orientation="horizontal", ticks=ticks)
    bar.set_ticklabels(tick_labels, fontsize=7.5)
    bar.outline.set_visible(False)
    cax.tick_params(length=0)
    lax.axis("off")
    lax.legend(handles=handles, loc="center left", frameon=False, fontsize=7.5, handlelength=1.6, borderaxespad=0)


@functools.cache
def style_dpi() -> float:
    """Return the style's output resolution (dots per inch)."""
    return float(matplotlib.rc_params_from_file(config.STYLE_PATH, use_default_template=False)["savefig.dpi"])


def png_bytes(fig: Figure) -> bytes:
    """Render ``fig`` in the chart style as opaque (RGB) PNG bytes, without a software stamp."""
    buf = io.BytesIO()
    with matplotlib.style.context(config.STYLE_PATH):
        # The style sets dpi and bbox "tight"; constrained layout has already placed everything
        # inside the figure, so the tight box only trims the white margin.
        fig.savefig(buf, format="png", metadata={"Software": None})
    # Agg writes RGBA; the charts are opaque, and an image without an alpha channel is embedded
    # in the PDF about a third faster (no soft mask to build).
    image = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _cells_listed(codebook: Codebook, cells: dict[str, list[str]], lang: str) -> str:
    parts = []
    for code, vids in cells.items():
        if not vids:
            continue
        if len(vids) == len(codebook.value_ids):
            parts.append(code + (" (alle værdier)" if lang == "da" else " (all values)"))
        else:
            parts.append(f"{code} ({', '.join(codebook.value_name(v, lang) for v in vids)})")
    return join_names(parts, lang) if parts else ""


def alt_hidden_cells(
    scores: Scores,
    codebook: Codebook,
    hidden: dict[str, list[str]],
    lang: str,
    pooled: dict[str, list[str]] | None = None,
) -> str:
    """Return the alt text's sentences naming a grid's suppressed cells (values by department).

    ``hidden`` are the cells under ``min_n`` (or without answers); ``pooled`` those hidden only
    because their department was pooled into the merged group (complementary suppression), so
    that the text never says "fewer than 5" of a cell that has more.
    """
    text = ""
    listed = _cells_listed(codebook, hidden, lang)
    if listed:
        text += hidden_sentence(scores.min_n, listed, lang)
    listed = _cells_listed(codebook, pooled or {}, lang)
    if listed:
        text += pooled_sentence(listed, lang)
    return text


def pooled_sentence(listed: str, lang: str) -> str:
    """Return the alt text's sentence naming what is hidden only for being pooled into the merged group."""
    return t(
        lang,
        f" Skjult, fordi forvaltningen er lagt sammen i Øvrige forvaltninger: {listed}.",
        f" Hidden because the department is pooled in Other departments: {listed}.",
    )


# ------------------------------------------------------------------------------------------
# HTML


def figure_html(chart: Chart, *, number: int, caption: str, lang: str = "da") -> str:
    """Render a chart as an HTML ``<figure>`` with the PNG inlined, its alt text and a numbered caption.

    A thin wrapper: the figure is :func:`analysis.report.parts.figure_block` (PNG at the style's
    resolution, its physical width, the figure's artists cleared afterwards) rendered by the
    sections' template (:func:`analysis.report.view.render_blocks`), which escapes the alt text
    and the caption.

    Parameters
    ----------
    chart
        A chart from one of the ``plot_*`` functions.
    number
        The figure number in the document.
    caption
        The caption text (plain text; it is HTML-escaped).
    lang
        ``"da"`` ("Figur 3.") or ``"en"`` ("Figure 3.").

    Returns
    -------
    str
        ``<figure class="chart"><img src="data:image/png;base64,..." alt="..." ...>
        <figcaption><span class="fig-no">Figur 3.</span> caption</figcaption></figure>``
    """
    from ..parts import figure_block
    from ..view import render_blocks

    return render_blocks([figure_block(chart, number=number, caption=caption, lang=lang)])
