"""Shared parts of the charts: the Chart class, figure creation and rendering, and drawing helpers.

Every chart is a :class:`matplotlib.figure.Figure` made directly (not through pyplot), drawn
with the Agg renderer and the one style in ``analysis/report/briefing.mplstyle``, applied through a
style context only while the chart is built and saved. Nothing is registered with pyplot, so a
notebook's figure state and settings stay untouched and no chart is displayed twice.

This module holds what several chart families use: the colours and the two-language word
table, the score axis with its level bands, the department x value grid with its colour key,
the hatched stand-in for a suppressed cell, text wrapping and number formatting, the PNG
rendering and :func:`figure_html`.
"""

from __future__ import annotations

import base64
import functools
import html
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
from ...words import hidden_text, t

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
        "municipality_mean": "Kommunen (gennemsnit af de viste forvaltninger)",
        "depts_short": "forv.",
        "uncertain": "? = intervallet krydser\nen niveaugrænse",
        "hidden_legend": "Skjult: færre end {n} svar",
        "figure": "Figur",
        "trend_point": "Kommunens score",
        "trend_depts": "forv. = antal forvaltninger\nbag punktet",
        "trend_department_point": "Forvaltningens score",
        "trend_respondents": "n = antal svarende;\nskjult: færre end {n} svar",
        "dont_know_axis": "Andel »Ved ikke« af alle svar",
        "flag_legend": "over {share}: markeret",
        "dist_axis": "Andel af svarene på niveau 1–5",
        "dist_lower": "← lavere modenhed",
        "dist_higher": "højere modenhed →",
        "dont_know": "Ved ikke",
        "not_applicable": "Ikke relevant",
        "dist_all_answers": "Andel af alle svar",
        "common_note": "forv. vist\ni begge år",
    },
    "en": {
        "hidden_lc": "hidden",
        "score_axis": "Maturity score (1–5)",
        "municipality": "Municipality",
        "municipality_mean": "Municipality (mean of the departments shown)",
        "depts_short": "depts",
        "uncertain": "? = the interval crosses\na level boundary",
        "hidden_legend": "Hidden: fewer than {n} responses",
        "figure": "Figure",
        "trend_point": "Municipality score",
        "trend_depts": "depts = departments\nbehind the point",
        "trend_department_point": "The department's score",
        "trend_respondents": "n = respondents;\nhidden: fewer than {n}",
        "dont_know_axis": 'Share of "Don\'t know" among all answers',
        "flag_legend": "over {share}: marked",
        "dist_axis": "Share of the answers at levels 1–5",
        "dist_lower": "← lower maturity",
        "dist_higher": "higher maturity →",
        "dont_know": "Don't know",
        "not_applicable": "Not applicable",
        "dist_all_answers": "Share of all answers",
        "common_note": "depts shown\nin both years",
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
    """Return the department list's codes, then any other department found in the scores."""
    seen = scores.department_value.loc[scores.department_value["wave"] == wave, "department"]
    return departments.order([*departments.codes, *seen])


def department_cells(scores: Scores, departments: Departments, wave: int, value: str) -> pd.DataFrame:
    """Return one row per department for ``value``; a department without answers is suppressed."""
    dv = scores.department_value
    cells = dv[(dv["wave"] == wave) & (dv["value"] == value)].set_index("department")
    cells = cells.reindex(department_order(scores, departments, wave))
    cells["n"] = cells["n"].fillna(0).astype(int)
    cells["suppressed"] = cells["suppressed"].astype("boolean").fillna(True).astype(bool)
    cells["level_uncertain"] = cells["level_uncertain"].astype("boolean").fillna(False).astype(bool)
    # Belt and braces: a suppressed cell carries no number into a chart, whatever the input.
    cells.loc[cells["suppressed"], ["score", "ci_low", "ci_high"]] = np.nan
    return cells


def department_title(departments: Departments | None, code: str, lang: str) -> str:
    """Return a department's name with its code, ``Name (CODE)``, or the code alone without a list."""
    return f"{departments.name_of(code, lang)} ({code})" if departments is not None else code


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

    ``matrix`` (rows x columns) colours the cells. ``cell_text(r, c)`` returns None for a suppressed
    cell, drawn hatched reading "Skjult (n < 5)" (on two lines) with no number, or the cell's text
    and its extra text properties; the text is black or white, whichever contrasts more with the
    cell's colour.
    """
    hidden = hidden_text(min_n, lang, capital=True).replace(" (", "\n(")
    ax.set_axisbelow(False)  # the white cell borders go over the hatched cells too
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
    for r in range(len(row_labels)):
        for c in range(len(column_labels)):
            shown = cell_text(r, c)
            if shown is None:
                ax.add_patch(suppressed_patch((c - 0.5, r - 0.5), 1, 1))
                suppressed_label(ax, c, r, hidden, pad=0.15, fontsize=7.5, zorder=3, linespacing=1.1)
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


def alt_hidden_cells(scores: Scores, codebook: Codebook, hidden: dict[str, list[str]], lang: str) -> str:
    """Return the alt text's sentence naming a grid's suppressed cells (``hidden``: values by department)."""
    parts = []
    for code, vids in hidden.items():
        if not vids:
            continue
        if len(vids) == len(codebook.value_ids):
            parts.append(code + (" (alle værdier)" if lang == "da" else " (all values)"))
        else:
            parts.append(f"{code} ({', '.join(codebook.value_name(v, lang) for v in vids)})")
    if not parts:
        return ""
    return hidden_sentence(scores.min_n, join_names(parts, lang), lang)


# ------------------------------------------------------------------------------------------
# HTML


def figure_html(chart: Chart, *, number: int, caption: str, lang: str = "da") -> str:
    """Render a chart as an HTML ``<figure>`` with the PNG inlined, its alt text and a numbered caption.

    The PNG is made at the style's resolution (150 dpi). The image is given its physical width
    (at most the text width: the page CSS caps it with ``max-width: 100%``), so text prints at
    the style's point sizes. The figure's artists are cleared afterwards to free memory; the
    figure was never registered with pyplot, so nothing stays open there.

    Parameters
    ----------
    chart
        A chart from one of the ``plot_*`` functions.
    number
        The figure number in the briefing.
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
    w = word_table(lang)
    if chart.png is None and not chart.figure.axes:
        raise ParameterError("this chart has already been rendered (its figure was cleared); make it again.")
    png = chart.to_png()
    dpi = style_dpi()
    if chart.figure is not None:
        chart.figure.clear()
    width_px, height_px = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    width_cm = width_px / dpi * 2.54
    encoded = base64.b64encode(png).decode("ascii")
    alt = html.escape(chart.alt, quote=True)
    return (
        f'<figure class="chart"><img src="data:image/png;base64,{encoded}" alt="{alt}" '
        f'width="{width_px}" height="{height_px}" style="width:{width_cm:.2f}cm;max-width:100%;height:auto">'
        f'<figcaption><span class="fig-no">{w["figure"]} {int(number)}.</span> {html.escape(caption)}'
        f"</figcaption></figure>"
    )
