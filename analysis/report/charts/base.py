"""Charts of the briefing, each returned with an alt text that states its key numbers.

Every chart is a :class:`matplotlib.figure.Figure` made directly (not through pyplot), drawn
with the Agg renderer and the one style in ``analysis/briefing.mplstyle``, applied through a
style context only while the chart is built and saved. Nothing is registered with pyplot, so a
notebook's figure state and settings stay untouched and no chart is displayed twice.

Disclosure control (method.md): a suppressed department x value cell never shows a number, not
even through its position: suppressed departments are drawn as hatched "Skjult (n < 5)" cells
or rows after the published ones, never sorted among them.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import textwrap
import warnings
from dataclasses import dataclass

import matplotlib
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import offset_copy
from PIL import Image

from ... import config
from ...survey.codebook import Codebook, Departments
from ...exceptions import ParameterError
from ..formatting import check_lang, format_number, format_share
from ...stats.scoring import Scores

__all__ = [
    "Chart",
    "plot_value_maturity",
    "plot_department_heatmap",
    "plot_innovation_by_department",
    "plot_change",
    "plot_trend",
    "plot_dont_know",
    "plot_distribution",
    "plot_department_values",
    "figure_html",
]

# Okabe-Ito colours (the style's cycle), named for what they mean here.
_BLUE = "#0072B2"
_VERMILLION = "#D55E00"
_GREY = "#8c8c8c"
_DARK = "#262626"
_BAND_SHADE = "#efefef"
_SUPPRESSED_FILL = "#e4e4e4"
_SUPPRESSED_HATCH = "#a6a6a6"
_CMAP = "cividis"

_WIDTH = 6.3  # inches: 16 cm, the text width of the A4 page
_WRAP = 22  # characters per line for value names

_WORDS = {
    "da": {
        "hidden": "Skjult",
        "hidden_lc": "skjult",
        "score_axis": "Modenhedsscore (1–5)",
        "municipality": "Kommunen",
        "municipality_mean": "Kommunen (gennemsnit af de viste forvaltninger)",
        "depts_short": "forv.",
        "uncertain": "? = intervallet krydser\nen niveaugrænse",
        "hidden_legend": "Skjult: færre end {n} svar",
        "figure": "Figur",
        "interval": "95 %-interval",
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
        "hidden": "Hidden",
        "hidden_lc": "hidden",
        "score_axis": "Maturity score (1–5)",
        "municipality": "Municipality",
        "municipality_mean": "Municipality (mean of the departments shown)",
        "depts_short": "depts",
        "uncertain": "? = the interval crosses\na level boundary",
        "hidden_legend": "Hidden: fewer than {n} responses",
        "figure": "Figure",
        "interval": "95% interval",
        "trend_point": "Municipality score",
        "trend_depts": "depts = departments\nbehind the point",
        "trend_department_point": "The department's score",
        "trend_respondents": "n = respondents;\nhidden: fewer than {n}",
        "dont_know_axis": "Share of \"Don't know\" among all answers",
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
            self.png = _png_bytes(self.figure)
        return self.png

    def _repr_mimebundle_(self, include=None, exclude=None):
        """Show the chart with its alt text when a notebook cell ends with a Chart."""
        return {"image/png": base64.b64encode(self.to_png()).decode("ascii")}, {"image/png": {"alt": self.alt}}


# ------------------------------------------------------------------------------------------
# helpers


def _words(lang: str) -> dict[str, str]:
    return _WORDS[check_lang(lang)]


def _num(x: float, lang: str, decimals: int = 1) -> str:
    return format_number(x, lang, decimals)


def _signed(x: float, lang: str) -> str:
    """Return a change with its sign: ``+0,3``, ``−0,2`` (a true minus), ``0,0``."""
    text = _num(abs(x), lang)
    if text == _num(0.0, lang):
        return text
    return ("+" if x > 0 else "\u2212") + text


def _wrap(text: str, width: int = _WRAP) -> str:
    # Danish compounds can be longer than the width; they stay whole rather than being cut.
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=True))


def _new_figure(height: float) -> Figure:
    """Return a figure 16 cm wide, not registered with pyplot, drawn by Agg."""
    fig = Figure(figsize=(_WIDTH, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _check_wave(scores: Scores, wave: int) -> int:
    waves = scores.waves
    if int(wave) not in waves:
        raise ParameterError(
            f"wave {wave!r} is not in the scores; the scored waves are {', '.join(map(str, waves))}. "
            "Pick one of those, or add that wave's responses to the data."
        )
    return int(wave)


def _value_rows(scores: Scores, codebook: Codebook, wave: int) -> pd.DataFrame:
    """Return the municipality's scores of ``wave``, one row per value, in policy order."""
    rows = scores.value[scores.value["wave"] == wave].set_index("value")
    return rows.reindex(codebook.value_ids)


def _level_text(codebook: Codebook, level, uncertain: bool, lang: str) -> str:
    if pd.isna(level):
        return ""
    return codebook.level_name(int(level), lang) + ("?" if uncertain else "")


def _level_axis(ax, codebook: Codebook, lang: str, limits: tuple[float, float] = (0.5, 5.5)) -> None:
    """Draw the score axis with shaded bands for the levels and the level names on top.

    ``limits`` lie on band edges (k - 0.5); the default is the whole scale with ticks 1-5, a
    narrower range (for small changes) gets ticks every half point.
    """
    lo, hi = limits
    for level in range(1, 6):
        if not lo < level < hi:
            continue
        if level % 2 == 1:
            ax.axvspan(level - 0.5, level + 0.5, color=_BAND_SHADE, zorder=0, linewidth=0)
        ax.text(level, 1.02, _wrap(codebook.level_name(level, lang), 15), transform=ax.get_xaxis_transform(),
                ha="center", va="baseline", fontsize=8, color="#595959", linespacing=1.0)
    ax.set_xlim(lo, hi)
    if (lo, hi) == (0.5, 5.5):
        ax.set_xticks(range(1, 6), [_num(k, lang, 0) for k in range(1, 6)])
    else:
        ticks = np.arange(lo, hi + 0.01, 0.5)
        ax.set_xticks(ticks, [_num(t, lang, 1) for t in ticks])
    ax.set_xlabel(_words(lang)["score_axis"])
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)


def _zoom_limits(values) -> tuple[float, float]:
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


def _label_interval(ax, low: float, high: float, y: float, text: str, **kwargs) -> None:
    """Write ``text`` just right of an interval, or just left of it near the scale's top end."""
    if high > 4.6:
        ax.text(low - 0.07, y, text, ha="right", va="center", **kwargs)
    else:
        ax.text(high + 0.07, y, text, ha="left", va="center", **kwargs)


def _text_colour(rgba) -> str:
    """Return black or white, whichever contrasts more with ``rgba`` (WCAG luminance)."""
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(rgba)]
    lum = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    return "white" if (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.05) else "black"


def _department_label(departments: Departments, code: str, lang: str) -> str:
    try:
        return departments[code].name(lang)
    except KeyError:
        return code


def _department_order(scores: Scores, departments: Departments, wave: int) -> list[str]:
    """Return the department list's codes, then any other department found in the scores."""
    seen = scores.department_value.loc[scores.department_value["wave"] == wave, "department"]
    extra = [d for d in dict.fromkeys(seen) if d not in departments.codes]
    return list(departments.codes) + sorted(extra)


def _department_cells(scores: Scores, departments: Departments, wave: int, value: str) -> pd.DataFrame:
    """Return one row per department for ``value``; a department without answers is suppressed."""
    dv = scores.department_value
    cells = dv[(dv["wave"] == wave) & (dv["value"] == value)].set_index("department")
    cells = cells.reindex(_department_order(scores, departments, wave))
    cells["n"] = cells["n"].fillna(0).astype(int)
    cells["suppressed"] = cells["suppressed"].astype("boolean").fillna(True).astype(bool)
    cells["level_uncertain"] = cells["level_uncertain"].astype("boolean").fillna(False).astype(bool)
    # Belt and braces: a suppressed cell carries no number into a chart, whatever the input.
    cells.loc[cells["suppressed"], ["score", "ci_low", "ci_high"]] = np.nan
    return cells


def _hidden_text(scores: Scores, lang: str, *, lower: bool = False) -> str:
    w = _words(lang)
    return f"{w['hidden_lc'] if lower else w['hidden']} (n < {scores.min_n})"


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    word = " og " if lang == "da" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def _suppressed_patch(xy: tuple[float, float], width: float, height: float, *, zorder: float = 1) -> Rectangle:
    """Return the light-grey hatched rectangle that stands in for a suppressed cell, row or band."""
    return Rectangle(xy, width, height, facecolor=_SUPPRESSED_FILL, edgecolor=_SUPPRESSED_HATCH, hatch="///",
                     linewidth=0, zorder=zorder)


def _suppressed_handle(min_n: int, lang: str) -> Patch:
    """Return the legend entry for :func:`_suppressed_patch`: "Skjult: færre end 5 svar"."""
    return Patch(facecolor=_SUPPRESSED_FILL, edgecolor=_SUPPRESSED_HATCH, hatch="///", linewidth=0,
                 label=_words(lang)["hidden_legend"].format(n=min_n))


def _suppressed_label(ax: Axes, x: float, y: float, text: str, *, pad: float = 0.25, fontsize: float = 8.5,
                      zorder: float = 4, **kwargs) -> Text:
    """Write ``text`` centred at (x, y) on a patch of the suppressed fill, so the hatching stays off it."""
    return ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color=_DARK, zorder=zorder,
                   bbox={"boxstyle": f"round,pad={pad}", "facecolor": _SUPPRESSED_FILL, "linewidth": 0}, **kwargs)


def _grid_figure(n_rows: int, row_height: float) -> tuple[Figure, Axes, Axes, Axes]:
    """Return a department x value grid's figure with its axes: the grid, the colour bar and the legend."""
    fig = _new_figure(row_height * n_rows + 1.75)
    gs = fig.add_gridspec(2, 2, height_ratios=[n_rows, 0.45], width_ratios=[1.6, 1])
    return fig, fig.add_subplot(gs[0, :]), fig.add_subplot(gs[1, 0]), fig.add_subplot(gs[1, 1])


def _grid(ax: Axes, matrix: np.ndarray, row_labels: list[str], column_labels: list[str], cell_text, *, cmap, norm,
          hidden_text: str):
    """Draw a department x value grid on ``ax`` and return its image, for the colour bar.

    ``matrix`` (rows x columns) colours the cells. ``cell_text(r, c)`` returns None for a suppressed
    cell, drawn hatched reading ``hidden_text`` with no number, or the cell's text and its extra text
    properties; the text is black or white, whichever contrasts more with the cell's colour.
    """
    ax.set_axisbelow(False)  # the white cell borders go over the hatched cells too
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
    for r in range(len(row_labels)):
        for c in range(len(column_labels)):
            shown = cell_text(r, c)
            if shown is None:
                ax.add_patch(_suppressed_patch((c - 0.5, r - 0.5), 1, 1))
                _suppressed_label(ax, c, r, hidden_text, pad=0.15, fontsize=7.5, zorder=3, linespacing=1.1)
                continue
            text, style = shown
            ax.text(c, r, text, ha="center", va="center", zorder=3, color=_text_colour(cmap(norm(matrix[r, c]))),
                    **style)
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


def _grid_key(fig: Figure, image, cax: Axes, lax: Axes, ticks, tick_labels: list[str], handles: list) -> None:
    """Draw a grid's horizontal colour bar in ``cax`` and its legend in ``lax``."""
    bar = fig.colorbar(image, cax=cax, orientation="horizontal", ticks=ticks)
    bar.set_ticklabels(tick_labels, fontsize=7.5)
    bar.outline.set_visible(False)
    cax.tick_params(length=0)
    lax.axis("off")
    lax.legend(handles=handles, loc="center left", frameon=False, fontsize=7.5, handlelength=1.6, borderaxespad=0)


@functools.cache
def _style_dpi() -> float:
    """Return the style's output resolution (dots per inch)."""
    return float(matplotlib.rc_params_from_file(config.STYLE_PATH, use_default_template=False)["savefig.dpi"])


def _png_bytes(fig: Figure) -> bytes:
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


# ------------------------------------------------------------------------------------------
# charts


def plot_value_maturity(scores: Scores, codebook: Codebook, wave: int, lang: str = "da", *,
                        highlight: str | None = "innovation") -> Chart:
    """Plot the municipality's maturity on each policy value, with 95 % intervals and level bands.

    Parameters
    ----------
    scores
        The result of :func:`analysis.stats.scoring.score_survey`.
    codebook
        The questionnaire whose values are plotted, in policy order from the top.
    wave
        The survey year to show.
    lang
        ``"da"`` (default) or ``"en"``.
    highlight
        The value drawn in a contrasting colour (the least mature value in the documents);
        ``None`` for none.

    Returns
    -------
    Chart
        Dots with interval bars on the 1-5 scale, the score printed at each dot, the number of
        departments and respondents behind each value in the labels.
    """
    w = _words(lang)
    wave = _check_wave(scores, wave)
    rows = _value_rows(scores, codebook, wave)
    with matplotlib.style.context(config.STYLE_PATH):
        fig = _new_figure(3.6)
        ax = fig.add_subplot()
        _level_axis(ax, codebook, lang)
        labels = []
        for pos, (vid, row) in enumerate(rows.iterrows()):
            name = codebook.value_name(vid, lang)
            n_dep = 0 if pd.isna(row["n_departments"]) else int(row["n_departments"])
            n_resp = 0 if pd.isna(row["n_respondents"]) else int(row["n_respondents"])
            labels.append(f"{_wrap(name)}\n{_num(n_dep, lang, 0)} {w['depts_short']}, n = {_num(n_resp, lang, 0)}")
            colour = _VERMILLION if vid == highlight else _BLUE
            if pd.isna(row["score"]):
                ax.text(3, pos, _hidden_text(scores, lang), ha="center", va="center", color=_GREY, fontsize=8.5)
                continue
            ax.errorbar(row["score"], pos, xerr=[[row["score"] - row["ci_low"]], [row["ci_high"] - row["score"]]],
                        fmt="o", color=colour, ecolor=colour, elinewidth=1.6, capsize=3, markersize=7, zorder=3)
            _label_interval(ax, row["ci_low"], row["ci_high"], pos, _num(row["score"], lang), fontsize=9,
                            fontweight="bold", color=colour, zorder=4)
        ax.set_yticks(range(len(labels)), labels)
        ax.set_ylim(len(labels) - 0.5, -0.6)
        for tick, vid in zip(ax.get_yticklabels(), rows.index):
            if vid == highlight:
                tick.set_color(_VERMILLION)
                tick.set_fontweight("bold")

    return Chart(fig, _alt_value_maturity(scores, codebook, rows, wave, lang))


def _alt_value_maturity(scores: Scores, codebook: Codebook, rows: pd.DataFrame, wave: int, lang: str) -> str:
    shown = rows[rows["score"].notna()]
    if lang == "da":
        text = (f"Prikdiagram over kommunens modenhed på hver indkøbsværdi i {wave} på skalaen 1–5, "
                f"med 95 %-intervaller.")
    else:
        text = (f"Dot chart of the municipality's maturity on each procurement value in {wave} on the "
                f"1–5 scale, with 95% intervals.")
    if not shown.empty:
        low, high = shown["score"].idxmin(), shown["score"].idxmax()

        def say(vid):
            r = shown.loc[vid]
            return (f"{codebook.value_name(vid, lang)} {_num(r['score'], lang)} "
                    f"({_level_text(codebook, r['level'], bool(r['level_uncertain']), lang)})")

        text += (f" Lavest: {say(low)}. Højest: {say(high)}." if lang == "da"
                 else f" Lowest: {say(low)}. Highest: {say(high)}.")
    hidden = scores.suppressed_departments(wave)
    if hidden:
        text += (f" Gennemsnit af de viste forvaltninger; skjult (n < {scores.min_n}): {_join(hidden, lang)}."
                 if lang == "da" else
                 f" Average of the departments shown; hidden (n < {scores.min_n}): {_join(hidden, lang)}.")
    return text


def plot_department_heatmap(scores: Scores, codebook: Codebook, departments: Departments, wave: int,
                            lang: str = "da") -> Chart:
    """Plot maturity per department and value as a colour grid with level, score and n in each cell.

    Parameters
    ----------
    scores
        The result of :func:`analysis.stats.scoring.score_survey`.
    codebook
        The questionnaire (columns, in policy order).
    departments
        The department list (rows, in list order, shown by code).
    wave
        The survey year to show.
    lang
        ``"da"`` (default) or ``"en"``.

    Returns
    -------
    Chart
        Cells coloured on the colour-blind-safe ``cividis`` map fixed to 1-5. Suppressed cells
        are light grey, hatched and read "Skjult (n < 5)", with no number. A level whose interval
        crosses a level boundary ends in "?", which the legend explains.
    """
    w = _words(lang)
    wave = _check_wave(scores, wave)
    value_ids = codebook.value_ids
    codes = _department_order(scores, departments, wave)
    grid = {vid: _department_cells(scores, departments, wave, vid) for vid in value_ids}
    matrix = np.array([[grid[vid].loc[code, "score"] for vid in value_ids] for code in codes], dtype=float)
    cmap = matplotlib.colormaps[_CMAP]
    norm = Normalize(vmin=1, vmax=5)

    def cell_text(r, c):
        cell = grid[value_ids[c]].loc[codes[r]]
        if cell["suppressed"] or pd.isna(cell["score"]):
            return None
        level = _level_text(codebook, cell["level"], bool(cell["level_uncertain"]), lang)
        return (f"{level}\n{_num(cell['score'], lang)}  (n = {_num(cell['n'], lang, 0)})",
                {"fontsize": 7.5, "linespacing": 1.25})

    with matplotlib.style.context(config.STYLE_PATH):
        fig, ax, cax, lax = _grid_figure(len(codes), 0.44)
        image = _grid(ax, matrix, codes, [_wrap(codebook.value_name(v, lang), 14) for v in value_ids], cell_text,
                      cmap=cmap, norm=norm, hidden_text=_hidden_text(scores, lang).replace(" (", "\n("))
        handles = [
            _suppressed_handle(scores.min_n, lang),
            Line2D([], [], linestyle="none", marker="$?$", markersize=8, color=_DARK,
                   label=w["uncertain"].removeprefix("? = ")),
        ]
        _grid_key(fig, image, cax, lax, range(1, 6),
                  [f"{_num(k, lang, 0)}\n{codebook.level_name(k, lang)}" for k in range(1, 6)], handles)

    return Chart(fig, _alt_heatmap(scores, codebook, departments, grid, codes, wave, lang))


def _alt_hidden_cells(scores: Scores, codebook: Codebook, hidden: dict[str, list[str]], lang: str) -> str:
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
    return (f" Skjult, færre end {scores.min_n} svar: {_join(parts, lang)}." if lang == "da"
            else f" Hidden, fewer than {scores.min_n} responses: {_join(parts, lang)}.")


def _alt_heatmap(scores, codebook, departments, grid, codes, wave, lang) -> str:
    cells = pd.concat([g.assign(value=vid) for vid, g in grid.items()]).rename_axis("department").reset_index()
    shown = cells[cells["score"].notna()]
    if lang == "da":
        text = f"Farvekort over modenheden i hver forvaltning på hver indkøbsværdi i {wave} (skala 1–5)."
    else:
        text = f"Colour grid of each department's maturity on each procurement value in {wave} (scale 1–5)."
    if not shown.empty:
        def say(k):
            r = shown.loc[k]
            return (f"{_department_label(departments, r['department'], lang)} ({r['department']}), "
                    f"{codebook.value_name(r['value'], lang)} {_num(r['score'], lang)}")

        low, high = shown["score"].idxmin(), shown["score"].idxmax()
        text += (f" Lavest: {say(low)}. Højest: {say(high)}." if lang == "da"
                 else f" Lowest: {say(low)}. Highest: {say(high)}.")
    hidden = cells[cells["score"].isna()]
    return text + _alt_hidden_cells(scores, codebook, {code: hidden.loc[hidden["department"] == code, "value"].tolist()
                                                       for code in codes}, lang)


def plot_innovation_by_department(scores: Scores, codebook: Codebook, departments: Departments, wave: int,
                                  lang: str = "da", value: str = "innovation") -> Chart:
    """Plot one value's maturity per department, sorted by score, against the municipality's.

    Parameters
    ----------
    scores
        The result of :func:`analysis.stats.scoring.score_survey`.
    codebook
        The questionnaire.
    departments
        The department list (names and codes in the labels).
    wave
        The survey year to show.
    lang
        ``"da"`` (default) or ``"en"``.
    value
        The value's id; *Partnerskaber og innovation* by default.

    Returns
    -------
    Chart
        Dots with 95 % intervals on the level bands, highest first, the municipality score as a
        dashed line. Suppressed departments come last, in list order, as hatched rows reading
        "skjult (n < 5)" with no dot, so their place reveals nothing about their score.
    """
    w = _words(lang)
    wave = _check_wave(scores, wave)
    if value not in codebook.value_ids:
        raise ParameterError(f"value {value!r} is not in the codebook; the values are {', '.join(codebook.value_ids)}.")
    cells = _department_cells(scores, departments, wave, value)
    shown = cells[cells["score"].notna()].sort_values("score", ascending=False, kind="stable")
    hidden = cells[cells["score"].isna()]  # list order, never by score
    order = list(shown.index) + list(hidden.index)
    muni = _value_rows(scores, codebook, wave).loc[value]

    with matplotlib.style.context(config.STYLE_PATH):
        fig = _new_figure(0.42 * len(order) + 1.3)
        ax = fig.add_subplot()
        _level_axis(ax, codebook, lang)
        labels = []
        for pos, code in enumerate(order):
            cell = cells.loc[code]
            labels.append(f"{_wrap(_department_label(departments, code, lang), 28)} ({code})")
            if code in shown.index:
                error = [[cell["score"] - cell["ci_low"]], [cell["ci_high"] - cell["score"]]]
                ax.errorbar(cell["score"], pos, xerr=error, fmt="o", color=_BLUE, ecolor=_BLUE, elinewidth=1.6, capsize=3,
                            markersize=6.5, zorder=3)
                _label_interval(ax, cell["ci_low"], cell["ci_high"], pos,
                                f"{_num(cell['score'], lang)}  (n = {_num(cell['n'], lang, 0)})",
                                fontsize=8.5, color=_BLUE, zorder=4,
                                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "linewidth": 0,
                                      "alpha": 0.75})
            else:
                ax.add_patch(_suppressed_patch((0.5, pos - 0.38), 5, 0.76))
                _suppressed_label(ax, 3, pos, _hidden_text(scores, lang, lower=True))
        if pd.notna(muni["score"]):
            ax.axvline(muni["score"], color=_DARK, linestyle=(0, (4, 2)), linewidth=1.1, zorder=2)
            right = muni["score"] < 4.2  # near the top end the label goes left of the line
            ax.text(muni["score"] + (0.05 if right else -0.05), -0.75,
                    f"{w['municipality']} {_num(muni['score'], lang)}", ha="left" if right else "right",
                    va="center", fontsize=8.5, color=_DARK,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "linewidth": 0, "alpha": 0.8})
        ax.set_yticks(range(len(labels)), labels)
        ax.set_ylim(len(labels) - 0.5, -1.1)

    return Chart(fig, _alt_innovation(scores, codebook, departments, value, shown, hidden, muni, wave, lang))


def _alt_innovation(scores, codebook, departments, value, shown, hidden, muni, wave, lang) -> str:
    name = codebook.value_name(value, lang)
    if lang == "da":
        text = f"Modenheden på {name} i hver forvaltning i {wave} med 95 %-intervaller, højeste først."
    else:
        text = f"Maturity on {name} in each department in {wave} with 95% intervals, highest first."

    def say(code):
        r = shown.loc[code]
        level = _level_text(codebook, r["level"], bool(r["level_uncertain"]), lang)
        return f"{_department_label(departments, code, lang)} ({code}) {_num(r['score'], lang)} ({level})"

    if not shown.empty:
        text += (f" Højest: {say(shown.index[0])}. Lavest: {say(shown.index[-1])}." if lang == "da"
                 else f" Highest: {say(shown.index[0])}. Lowest: {say(shown.index[-1])}.")
    if pd.notna(muni["score"]):
        text += (f" Kommunen samlet: {_num(muni['score'], lang)}." if lang == "da"
                 else f" Municipality: {_num(muni['score'], lang)}.")
    if not hidden.empty:
        text += (f" Skjult, færre end {scores.min_n} svar: {_join(list(hidden.index), lang)}." if lang == "da"
                 else f" Hidden, fewer than {scores.min_n} responses: {_join(list(hidden.index), lang)}.")
    return text


def plot_change(scores: Scores, codebook: Codebook, wave: int, previous_wave: int, lang: str = "da", *,
                highlight: str | None = "innovation", changes: pd.DataFrame | None = None) -> Chart:
    """Plot the municipality's maturity per value in two waves, an arrow from the older to the newer.

    Parameters
    ----------
    scores
        The result of :func:`analysis.stats.scoring.score_survey`.
    codebook
        The questionnaire (values in policy order from the top).
    wave, previous_wave
        The newer and the older survey year.
    lang
        ``"da"`` (default) or ``"en"``.
    highlight
        The value whose label is emphasised, as in :func:`plot_value_maturity`.
    changes
        Optional: the frame of :func:`analysis.stats.scoring.score_changes` for ``previous_wave`` to
        ``wave``. When given, both years' dots (and their intervals) are the means over the
        departments published in *both* waves, the set the change table compares (its ``ALL``
        rows' ``n_departments``), so the chart agrees with that table; the number of departments
        is written beside each pair of scores. By default each year shows its published score.

    Returns
    -------
    Chart
        Two dots per value joined by an arrow, each with its 95 % interval drawn thinly, the two
        scores written at the right, and a legend naming the two years. The chart shows the
        change; whether it is a clear change is the text's job (method.md: interval of the
        difference).
    """
    w = _words(lang)
    wave, previous_wave = _check_wave(scores, wave), _check_wave(scores, previous_wave)
    if previous_wave == wave:
        raise ParameterError(f"previous_wave must differ from wave, both are {wave}.")
    now, before = _value_rows(scores, codebook, wave), _value_rows(scores, codebook, previous_wave)
    common = None
    if changes is not None:
        before, now, common = _common_rows(scores, codebook, changes, wave, previous_wave)
    old_colour, new_colour = "#7f7f7f", _BLUE
    offset = 0.15

    with matplotlib.style.context(config.STYLE_PATH):
        fig = _new_figure(3.8)
        ax = fig.add_subplot()
        # Changes between waves are tenths of a point: the axis shows only the levels the
        # values and their intervals reach, so an arrow is long enough to see.
        _level_axis(ax, codebook, lang, _zoom_limits([*now["ci_low"], *now["ci_high"], *before["ci_low"],
                                                      *before["ci_high"]]))
        labels = []
        for pos, vid in enumerate(codebook.value_ids):
            labels.append(_wrap(codebook.value_name(vid, lang)))
            a, b = before.loc[vid], now.loc[vid]
            for row, y, colour, face in ((a, pos - offset, old_colour, "white"),
                                         (b, pos + offset, new_colour, new_colour)):
                if pd.isna(row["score"]):
                    continue
                ax.plot([row["ci_low"], row["ci_high"]], [y, y], color=colour, linewidth=0.9, alpha=0.8, zorder=2,
                        solid_capstyle="butt")
                ax.plot([row["ci_low"]] * 2, [y - 0.06, y + 0.06], color=colour, linewidth=0.9, alpha=0.8, zorder=2)
                ax.plot([row["ci_high"]] * 2, [y - 0.06, y + 0.06], color=colour, linewidth=0.9, alpha=0.8, zorder=2)
                ax.plot(row["score"], pos, "o", markersize=7, markerfacecolor=face, markeredgecolor=colour,
                        markeredgewidth=1.5, zorder=4)
            if pd.notna(a["score"]) and pd.notna(b["score"]):
                if abs(b["score"] - a["score"]) >= 0.08:
                    ax.annotate("", xy=(b["score"], pos), xytext=(a["score"], pos), zorder=3,
                                arrowprops={"arrowstyle": "-|>,head_length=0.5,head_width=0.25", "color": _DARK,
                                            "linewidth": 1.2, "shrinkA": 4.5, "shrinkB": 4.5})
            pair = f"{_num(a['score'], lang)} → {_num(b['score'], lang)}"
            if common is not None:
                pair += f"\n{_num(common[vid], lang, 0)} {w['depts_short']}"
            ax.text(1.02, pos, pair, transform=ax.get_yaxis_transform(), ha="left", va="center",
                    fontsize=8.5, color=_DARK, **({} if common is None else {"linespacing": 1.1}))
        header = f"{previous_wave} → {wave}"
        if common is None:
            ax.text(1.02, -0.75, header, transform=ax.get_yaxis_transform(), ha="left",
                    va="center", fontsize=8, color="#595959")
        else:
            ax.text(1.02, -0.75, f"{header}\n{w['common_note']}", transform=ax.get_yaxis_transform(), ha="left",
                    va="bottom", fontsize=8, color="#595959", linespacing=1.1)
        ax.set_yticks(range(len(labels)), labels)
        ax.set_ylim(len(labels) - 0.5, -1.0)
        for tick, vid in zip(ax.get_yticklabels(), codebook.value_ids):
            if vid == highlight:
                tick.set_color(_VERMILLION)
                tick.set_fontweight("bold")
        handles = [
            Line2D([], [], marker="o", linestyle="none", markersize=7, markerfacecolor="white",
                   markeredgecolor=old_colour, markeredgewidth=1.5, label=str(previous_wave)),
            Line2D([], [], marker="o", linestyle="none", markersize=7, markerfacecolor=new_colour,
                   markeredgecolor=new_colour, markeredgewidth=1.5, label=str(wave)),
            Line2D([], [], color=_GREY, linewidth=0.9, label=w["interval"]),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False)

    alt = _alt_change(codebook, before, now, wave, previous_wave, lang)
    if common is not None:
        alt += _alt_common(codebook, common, lang)
    return Chart(fig, alt)


def _common_rows(scores: Scores, codebook: Codebook, changes: pd.DataFrame, wave: int, previous_wave: int
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Return both waves' means over the departments published in both, as :func:`score_changes` compares.

    Returns the earlier and the later wave's rows (score, ci_low, ci_high per value, the interval
    from the same stratified bootstrap replicates as the published scores) and the number of
    departments per value.

    Raises
    ------
    ParameterError
        When ``changes`` compares other waves or was computed from other scores.
    """
    muni = changes[changes["department"] == "ALL"] if "department" in changes.columns else changes.iloc[0:0]
    muni = muni[(muni["wave_from"] == previous_wave) & (muni["wave_to"] == wave)] if not muni.empty else muni
    if muni.empty:
        found = (sorted({f"{a} → {b}" for a, b in zip(changes["wave_from"], changes["wave_to"])})
                 if {"wave_from", "wave_to"} <= set(changes.columns) else [])
        raise ParameterError(
            f"changes has no municipality (department 'ALL') rows from {previous_wave} to {wave}"
            + (f" (it compares {', '.join(found)})" if found else "")
            + f"; pass score_changes(scores, {previous_wave}, {wave}) for this chart.")
    muni = muni.drop_duplicates("value").set_index("value")
    dv = scores.department_value
    published = dv[~dv["suppressed"].astype(bool) & dv["score"].notna()]
    by_wave = {wv: published[published["wave"] == wv].set_index(["value", "department"])["score"]
               for wv in (previous_wave, wave)}
    order = list(dict.fromkeys(dv["value"]))  # the replicates' columns (as in score_changes)
    rows = {previous_wave: [], wave: []}
    counts = {}
    for vid in codebook.value_ids:
        depts = sorted(set(by_wave[previous_wave].get(vid, pd.Series(dtype=float)).index)
                       & set(by_wave[wave].get(vid, pd.Series(dtype=float)).index))
        expected = int(muni.loc[vid, "n_departments"]) if vid in muni.index else len(depts)
        if len(depts) != expected:
            raise ParameterError(
                f"changes counts {expected} departments published in both {previous_wave} and {wave} for {vid!r}, "
                f"but these scores have {len(depts)}; make both from the same score_survey result.")
        counts[vid] = len(depts)
        for wv in (previous_wave, wave):
            score, low, high = np.nan, np.nan, np.nan
            if depts:
                score = float(by_wave[wv].loc[vid].loc[depts].mean())
                k = order.index(vid) if vid in order else None
                reps = [scores.replicates.get((wv, d)) for d in depts]
                if k is not None and all(r is not None for r in reps):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN resample stays NaN
                        means = np.nanmean(np.column_stack([r[:, k] for r in reps]), axis=1)
                    means = means[~np.isnan(means)]
                    if means.size:
                        alpha = 100 * (1 - scores.confidence) / 2
                        low, high = np.percentile(means, [alpha, 100 - alpha])
            rows[wv].append({"value": vid, "score": score, "ci_low": float(low), "ci_high": float(high)})
    frames = [pd.DataFrame(rows[wv]).set_index("value") for wv in (previous_wave, wave)]
    return frames[0], frames[1], pd.Series(counts)


def _alt_common(codebook: Codebook, common: pd.Series, lang: str) -> str:
    groups: dict[int, list[str]] = {}
    for vid, n in common.items():
        groups.setdefault(int(n), []).append(codebook.value_name(vid, lang))
    if len(groups) == 1:
        n = next(iter(groups))
        counted = (f"{_num(n, lang, 0)} forvaltninger" if lang == "da" else f"{_num(n, lang, 0)} departments")
    else:
        parts = [f"{_num(n, lang, 0)} {'for' if lang == 'da' else 'for'} {_join(names, lang)}"
                 for n, names in groups.items()]
        counted = "; ".join(parts)
    if lang == "da":
        return (" Begge års tal er gennemsnit over de forvaltninger, der kan vises i begge år, som i "
                f"ændringstabellen ({counted}).")
    return (" Both years' figures are means over the departments that can be shown in both years, as in the "
            f"change table ({counted}).")


def _alt_change(codebook, before, now, wave, previous_wave, lang) -> str:
    both = pd.DataFrame({"old": before["score"], "new": now["score"]}).dropna()
    if lang == "da":
        text = (f"Kommunens modenhed på hver indkøbsværdi i {previous_wave} og {wave} (skala 1–5), "
                f"med en pil fra {previous_wave} til {wave} og tynde 95 %-intervaller.")
    else:
        text = (f"The municipality's maturity on each procurement value in {previous_wave} and {wave} "
                f"(scale 1–5), with an arrow from {previous_wave} to {wave} and thin 95% intervals.")
    if both.empty:
        return text
    diff = both["new"] - both["old"]
    up, down = diff.idxmax(), diff.idxmin()

    def move(vid):
        r = both.loc[vid]
        return (f"{codebook.value_name(vid, lang)} {_num(r['old'], lang)} → {_num(r['new'], lang)} "
                f"({_signed(r['new'] - r['old'], lang)})")

    low, high = both["new"].idxmin(), both["new"].idxmax()

    def at(vid):
        return f"{codebook.value_name(vid, lang)} {_num(both.loc[vid, 'new'], lang)}"

    if lang == "da":
        text += f" Lavest i {wave}: {at(low)}; højest: {at(high)}."
        if diff[up] > 0:
            text += f" Største stigning: {move(up)}."
        if diff[down] < 0:
            text += f" Største fald: {move(down)}."
    else:
        text += f" Lowest in {wave}: {at(low)}; highest: {at(high)}."
        if diff[up] > 0:
            text += f" Largest rise: {move(up)}."
        if diff[down] < 0:
            text += f" Largest fall: {move(down)}."
    return text


# ------------------------------------------------------------------------------------------
# trend, don't know, answer distributions


def _share(x: float, lang: str, threshold: float | None = None) -> str:
    """Return a share as ``31 %`` (``31%`` in English); one decimal where 0 would blur a threshold.

    A share just under the threshold (29.8 %) would print as "30 %" beside cells marked "over
    30 %"; such a share keeps one decimal so that the number and the marking agree.
    """
    if threshold is not None and pd.notna(x) and round(100 * float(x)) == round(100 * threshold):
        return format_share(x, lang, 1)
    return format_share(x, lang)


def plot_trend(scores: Scores, codebook: Codebook, lang: str = "da", *,
               highlight: str | None = "innovation", department: str | None = None,
               departments: Departments | None = None) -> Chart:
    """Plot the municipality's maturity on each value across the survey waves, one small panel per value.

    Parameters
    ----------
    scores
        The result of :func:`analysis.stats.scoring.score_survey` (all its waves are shown).
    codebook
        The questionnaire (panels in policy order, left to right, top to bottom).
    lang
        ``"da"`` (default) or ``"en"``.
    highlight
        The value whose panel is drawn in the contrasting colour, as in
        :func:`plot_value_maturity`; ``None`` for none.
    department
        A department code: plot that department's own scores instead of the municipality's
        (the department profile). ``None`` (default) plots the municipality.
    departments
        The department list, used only to name the department in the alt text.

    Returns
    -------
    Chart
        Five panels (three above, two below, the legend in the sixth place) sharing one score
        axis zoomed to whole level bands: per wave the municipality score with its 95 %
        interval, joined by a line, the score written at each point and, under each year, the
        number of published departments behind it (it can change between waves, which moves
        the average too). With ``department``, the points are the department's scores and the
        number under each year is its respondents (``n``); a wave where the department is
        suppressed on a value (or has no answers) is a gap reading "skjult", with "n < 5" under
        the year, so neither a point nor the axis range gives its score away.
    """
    w = _words(lang)
    waves = scores.waves
    if department is None:
        table = scores.value.set_index(["value", "wave"])
    else:
        table = _department_trend_table(scores, department)
    rows = {vid: table.reindex([(vid, wv) for wv in waves]).droplevel(0) if vid in table.index.get_level_values(0)
            else pd.DataFrame(index=waves, columns=table.columns, dtype=float) for vid in codebook.value_ids}
    lo, hi = _zoom_limits([x for r in rows.values() for x in [*r["ci_low"], *r["ci_high"]]])
    n_panels = len(rows)
    n_cols = 3 if n_panels > 2 else max(n_panels, 1)
    n_grid = max(1, -(-n_panels // n_cols))  # rows of panels; the legend takes a free place, or goes below
    label_room = 0.1 * (hi - lo)  # room a score label needs above an interval, in score units

    with matplotlib.style.context(config.STYLE_PATH):
        fig = _new_figure(2.15 * n_grid + 0.2)
        gs = fig.add_gridspec(n_grid, n_cols)
        for k, (vid, r) in enumerate(rows.items()):
            ax = fig.add_subplot(gs[k // n_cols, k % n_cols])
            colour = _VERMILLION if vid == highlight else _BLUE
            for level in range(1, 6):
                if level % 2 == 1 and lo < level < hi:
                    ax.axhspan(level - 0.5, level + 0.5, color=_BAND_SHADE, zorder=0, linewidth=0)
            ax.set_ylim(lo, hi)
            centres = [lv for lv in range(1, 6) if lo < lv < hi]
            ax.set_yticks(centres, [f"{codebook.level_name(lv, lang)} {_num(lv, lang, 0)}" for lv in centres]
                          if k % n_cols == 0 else [])
            ax.tick_params(axis="y", length=0, labelsize=7.5)
            ax.grid(axis="x", visible=False)
            ax.spines["left"].set_visible(False)
            ax.set_xlim(waves[0] - 0.5, waves[-1] + 0.5)
            ax.set_xticks(waves, [str(wv) for wv in waves], fontsize=7.5)
            ax.set_title(_wrap(codebook.value_name(vid, lang), 24), fontsize=8.5, color=colour if vid == highlight
                         else _DARK, loc="left", linespacing=1.05)
            # Texts placed a few points off their data position (cheaper to lay out than annotations).
            below = offset_copy(ax.get_xaxis_transform(), fig=fig, y=-15, units="points")
            up = offset_copy(ax.transData, fig=fig, y=2, units="points")
            down = offset_copy(ax.transData, fig=fig, y=-2, units="points")
            have = r["score"].notna()
            x, points = np.array(waves)[have.to_numpy()], r["score"][have].astype(float)
            if have.any():
                # The line breaks at a wave without a score rather than bridging it.
                ax.plot(waves, r["score"].astype(float).to_numpy(), color=colour, linewidth=1.3, zorder=3)
                error = [points - r["ci_low"][have].astype(float), r["ci_high"][have].astype(float) - points]
                ax.errorbar(x, points, yerr=error, fmt="o", color=colour, ecolor=colour, elinewidth=1.2, capsize=2.5,
                            markersize=5, zorder=3)
            for wv in waves:
                row = r.loc[wv]
                if department is None:
                    n_dep = 0 if pd.isna(row["n_departments"]) else int(row["n_departments"])
                    under = f"{_num(n_dep, lang, 0)} {w['depts_short']}"
                elif pd.isna(row["score"]):
                    under = f"n < {_num(scores.min_n, lang, 0)}"  # never the count of a hidden cell
                else:
                    under = f"n = {_num(row['n'], lang, 0)}"
                ax.text(wv, 0, under, transform=below, ha="center", va="top", fontsize=6.5, color="#595959")
                if pd.isna(row["score"]):
                    ax.text(wv, (lo + hi) / 2, w["hidden_lc"], ha="center", va="center", fontsize=7, color=_GREY,
                            rotation=90)
                    continue
                above = row["ci_high"] + label_room < hi
                ax.text(wv, row["ci_high"] if above else row["ci_low"], _num(row["score"], lang),
                        transform=up if above else down, ha="center", va="bottom" if above else "top",
                        fontsize=7.5, fontweight="bold", color=colour, zorder=4)
        free = gs[n_panels // n_cols, n_panels % n_cols] if n_panels % n_cols else None
        handles = [
            Line2D([], [], color=_BLUE, marker="o", markersize=5, linewidth=1.3,
                   label=w["trend_point"] if department is None else w["trend_department_point"]),
            Line2D([], [], color=_BLUE, marker="|", markersize=9, linestyle="none", markeredgewidth=1.2,
                   label=w["interval"]),
            Line2D([], [], linestyle="none", marker="None",
                   label=w["trend_depts"] if department is None
                   else w["trend_respondents"].format(n=_num(scores.min_n, lang, 0))),
        ]
        if free is not None:
            # In the free place of the grid (a figure legend there costs no layout, unlike an axes).
            box = free.get_position(fig)
            legend = fig.legend(handles=handles, loc="center left",
                                bbox_to_anchor=(box.x0 + 0.02, box.y0 + box.height / 2), frameon=False,
                                fontsize=7.5, handlelength=1.6, borderaxespad=0)
        else:
            legend = fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False, fontsize=7.5)
        legend.get_texts()[-1].set_color("#595959")

    if department is not None:
        return Chart(fig, _alt_department_trend(scores, codebook, rows, waves, department, departments, lang))
    return Chart(fig, _alt_trend(codebook, rows, waves, lang))


def _department_trend_table(scores: Scores, department: str) -> pd.DataFrame:
    """Return one department's scores by (value, wave), every number of a suppressed cell blank."""
    dv = scores.department_value
    cells = dv[dv["department"] == department].copy()
    if cells.empty:
        raise ParameterError(f"department {department!r} has no scores; the scored departments are "
                             f"{', '.join(dict.fromkeys(dv['department']))}.")
    hidden = cells["suppressed"].astype(bool) | cells["score"].isna()
    cells.loc[hidden, ["score", "ci_low", "ci_high"]] = np.nan
    return cells.set_index(["value", "wave"])[["score", "ci_low", "ci_high", "n"]]


def _alt_department_trend(scores, codebook, rows, waves, department, departments, lang) -> str:
    span = f"{waves[0]}–{waves[-1]}" if len(waves) > 1 else str(waves[0])
    who = (f"{_department_label(departments, department, lang)} ({department})" if departments is not None
           else department)
    if lang == "da":
        text = (f"Modenheden i {who} på hver indkøbsværdi {span} (skala 1–5), et lille diagram pr. værdi "
                f"med 95 %-intervaller.")
    else:
        text = (f"Maturity in {who} on each procurement value {span} (scale 1–5), one small panel per value "
                f"with 95% intervals.")
    series, hidden = [], []
    for vid, r in rows.items():
        points = [f"{_num(r.loc[wv, 'score'], lang)} ({wv})" for wv in waves if pd.notna(r.loc[wv, "score"])]
        if points:
            series.append(f"{codebook.value_name(vid, lang)}: {', '.join(points)}")
        gaps = [str(wv) for wv in waves if pd.isna(r.loc[wv, "score"])]
        if gaps:
            hidden.append(f"{codebook.value_name(vid, lang)} ({_join(gaps, lang)})")
    if series:
        text += " " + "; ".join(series) + "."
    if hidden:
        text += (f" Skjult, færre end {scores.min_n} svar: {'; '.join(hidden)}." if lang == "da"
                 else f" Hidden, fewer than {scores.min_n} responses: {'; '.join(hidden)}.")
    return text


def _alt_trend(codebook, rows, waves, lang) -> str:
    span = f"{waves[0]}–{waves[-1]}" if len(waves) > 1 else str(waves[0])
    if lang == "da":
        text = (f"Kommunens modenhed på hver indkøbsværdi {span} (skala 1–5), et lille diagram pr. værdi "
                f"med 95 %-intervaller.")
    else:
        text = (f"The municipality's maturity on each procurement value {span} (scale 1–5), one small panel "
                f"per value with 95% intervals.")
    series = []
    for vid, r in rows.items():
        points = [f"{_num(r.loc[wv, 'score'], lang)} ({wv})" for wv in waves if pd.notna(r.loc[wv, "score"])]
        if points:
            series.append(f"{codebook.value_name(vid, lang)}: {', '.join(points)}")
    if series:
        text += " " + "; ".join(series) + "."
    patterns: dict[tuple[int, ...], list[str]] = {}
    for vid, r in rows.items():
        counts = tuple(0 if pd.isna(n) else int(n) for n in r["n_departments"])
        patterns.setdefault(counts, []).append(codebook.value_name(vid, lang))
    parts = []
    for counts, names in patterns.items():
        numbers = _join([_num(c, lang, 0) for c in counts], lang)
        parts.append(numbers + (f" ({_join(names, lang)})" if len(patterns) > 1 else ""))
    if lang == "da":
        text += (f" Antal forvaltninger bag punkterne i {_join([str(wv) for wv in waves], lang)}: "
                 f"{'; '.join(parts)}.")
    else:
        text += (f" Number of departments behind the points in {_join([str(wv) for wv in waves], lang)}: "
                 f"{'; '.join(parts)}.")
    return text


def plot_dont_know(scores: Scores, codebook: Codebook, departments: Departments, wave: int,
                   lang: str = "da") -> Chart:
    """Plot the share of "Ved ikke" answers per department and value as a grid, marking those over 30 %.

    Parameters
    ----------
    scores
        The result of :func:`analysis.stats.scoring.score_survey` (its ``dont_know`` table).
    codebook
        The questionnaire (columns in policy order, headed by the values' short names).
    departments
        The department list (rows, in list order, shown by code, as in the maturity heatmap).
    wave
        The survey year to show.
    lang
        ``"da"`` (default) or ``"en"``.

    Returns
    -------
    Chart
        Cells shaded by the share of don't-know among all answers (light to dark purple) with
        the share and n written in them; a share over 30 % (method.md's flag) is outlined and
        bold. A cell is hidden, hatched and read "Skjult (n < 5)" with no number, when either
        its don't-know count or its score is suppressed, exactly as in
        :func:`plot_department_heatmap`.
    """
    w = _words(lang)
    wave = _check_wave(scores, wave)
    value_ids = codebook.value_ids
    codes = _department_order(scores, departments, wave)
    dk = scores.dont_know[scores.dont_know["wave"] == wave].set_index(["department", "value"])
    published = {(r.department, r.value) for r in
                 scores.department_value[scores.department_value["wave"] == wave].itertuples()
                 if not r.suppressed and pd.notna(r.score)}
    cells = {}
    for code in codes:
        for vid in value_ids:
            row = dk.loc[(code, vid)] if (code, vid) in dk.index else None
            hidden = (row is None or bool(row["suppressed"]) or pd.isna(row["dont_know_share"])
                      or (code, vid) not in published)
            cells[(code, vid)] = None if hidden else (float(row["dont_know_share"]), int(row["n"]),
                                                      bool(row["dont_know_share"] > config.DONT_KNOW_FLAG))
    shares = [c[0] for c in cells.values() if c is not None]
    top = max(0.5, float(np.ceil(max(shares, default=0) * 10) / 10))
    cmap = matplotlib.colormaps["Purples"]
    norm = Normalize(vmin=0, vmax=top)
    threshold = config.DONT_KNOW_FLAG
    matrix = np.array([[np.nan if cells[(c, v)] is None else cells[(c, v)][0] for v in value_ids] for c in codes])

    def cell_text(r, c):
        cell = cells[(codes[r], value_ids[c])]
        if cell is None:
            return None
        share, n, flagged = cell
        return (f"{_share(share, lang, threshold)}\n(n = {_num(n, lang, 0)})",
                {"fontsize": 8 if flagged else 7.5, "linespacing": 1.2, "fontweight": "bold" if flagged else "normal"})

    with matplotlib.style.context(config.STYLE_PATH):
        fig, ax, cax, lax = _grid_figure(len(codes), 0.40)
        image = _grid(ax, matrix, codes, [_wrap(codebook.value(v).short(lang), 14) for v in value_ids], cell_text,
                      cmap=cmap, norm=norm, hidden_text=_hidden_text(scores, lang).replace(" (", "\n("))
        for r, code in enumerate(codes):
            for c, vid in enumerate(value_ids):
                cell = cells[(code, vid)]
                if cell is not None and cell[2]:  # over the flag: outlined
                    ax.add_patch(Rectangle((c - 0.44, r - 0.40), 0.88, 0.80, facecolor="none", edgecolor=_DARK,
                                           linewidth=2.2, zorder=4))
        ticks = np.round(np.arange(0, top + 0.001, 0.1), 2)
        handles = [
            Patch(facecolor="white", edgecolor=_DARK, linewidth=2.0,
                  label=w["flag_legend"].format(share=format_share(threshold, lang))),
            _suppressed_handle(scores.min_n, lang),
        ]
        _grid_key(fig, image, cax, lax, ticks, [format_share(t, lang) for t in ticks], handles)
        cax.axvline(threshold, color=_DARK, linewidth=1.6)
        cax.set_xlabel(w["dont_know_axis"], fontsize=7.5, labelpad=2)

    return Chart(fig, _alt_dont_know(scores, codebook, departments, cells, codes, wave, lang))


def _alt_dont_know(scores, codebook, departments, cells, codes, wave, lang) -> str:
    threshold = config.DONT_KNOW_FLAG
    limit = format_share(threshold, lang)
    if lang == "da":
        text = f"Farvekort over andelen af svaret »Ved ikke« i hver forvaltning på hver indkøbsværdi i {wave}."
    else:
        text = (f"Colour grid of the share of \"Don't know\" answers in each department on each procurement "
                f"value in {wave}.")

    def say(key):
        code, vid = key
        return (f"{_department_label(departments, code, lang)} ({code}), {codebook.value_name(vid, lang)} "
                f"{_share(cells[key][0], lang, threshold)}")

    shown = {key: cell for key, cell in cells.items() if cell is not None}
    flagged = [key for key, cell in shown.items() if cell[2]]
    if flagged:
        listed = _join([say(key) for key in flagged], lang)
        text += (f" Over {limit} (markeret): {listed}." if lang == "da" else f" Over {limit} (marked): {listed}.")
    elif shown:
        text += f" Ingen celler over {limit}." if lang == "da" else f" No cell is over {limit}."
    if shown:
        high = max(shown, key=lambda key: shown[key][0])
        low = min(shown, key=lambda key: shown[key][0])
        text += (f" Højest: {say(high)}. Lavest: {say(low)}." if lang == "da"
                 else f" Highest: {say(high)}. Lowest: {say(low)}.")
    hidden = {code: [vid for (c, vid), cell in cells.items() if c == code and cell is None] for code in codes}
    return text + _alt_hidden_cells(scores, codebook, hidden, lang)


# Brown-teal diverging colours (ColorBrewer BrBG, 5 classes; colour-blind safe), level 3 grey.
_LEVEL_COLOURS = {1: "#8c510a", 2: "#d8b365", 3: "#c8c8c8", 4: "#5ab4ac", 5: "#01665e"}
_DIST_COLUMNS = ("wave", "department", "value", "n_valid", "shown", *(f"share_{lv}" for lv in range(1, 6)),
                 "share_dont_know", "share_not_applicable")
_SEGMENT_LABEL_MIN = 0.08  # shares below this get no number inside their segment


class _SegmentLabel(Text):
    """A number inside a bar segment, drawn smaller when it is tight and not at all when it does not fit.

    Whether it fits is known only at draw time, once the layout has fixed the axes' width.
    """

    def __init__(self, segment: Rectangle, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._segment = segment
        self._size = self.get_fontsize()

    def draw(self, renderer) -> None:
        room = self._segment.get_window_extent(renderer).width - renderer.points_to_pixels(1)
        text = self.get_text()
        # Tighter: a point smaller, then a thin space before the percent sign (still the Danish
        # spacing, typographically), then smaller again.
        narrow = text.replace(" ", "\u2009")
        for size, candidate in ((self._size, text), (self._size - 1, text), (self._size - 1, narrow),
                                (self._size - 1.5, narrow)):
            self.set_fontsize(size)
            self.set_text(candidate)
            if self.get_window_extent(renderer).width <= room:
                super().draw(renderer)
                break
        # Put back the full text (too narrow even then: the legend and alt text carry the share).
        self.set_fontsize(self._size)
        self.set_text(text)


def _distribution_min_n(rows: pd.DataFrame, min_n: int | None) -> int:
    """Return min_n for the "n < 2 min_n" text, checked against (or inferred from) the frame.

    A row is shown exactly when ``n_valid >= 2 * min_n`` (:func:`answer_distribution`).
    """
    known = rows[rows["n_valid"].notna()]
    n_valid = known["n_valid"].astype(int)
    shown = known["shown"].astype(bool)

    def fits(m: int) -> bool:
        return bool(((n_valid >= 2 * m) == shown).all())

    if min_n is not None:
        if int(min_n) < 1 or not fits(int(min_n)):
            raise ParameterError(
                f"min_n={min_n!r} does not fit the distribution frame: a row is shown exactly when n_valid >= "
                f"2 * min_n. Pass the min_n the frame was made with (answer_distribution(..., min_n=...)).")
        return int(min_n)
    if fits(config.DEFAULT_MIN_N):
        return config.DEFAULT_MIN_N
    # Otherwise the smallest min_n that explains which rows are hidden.
    smallest = int(n_valid[~shown].max()) // 2 + 1 if (~shown).any() else 1
    return smallest if fits(smallest) else config.DEFAULT_MIN_N


def plot_distribution(dist: pd.DataFrame, codebook: Codebook, lang: str = "da", *, department: str = "ALL",
                      title: str | None = None, min_n: int | None = None,
                      departments: Departments | None = None) -> Chart:
    """Plot how the answers to each value spread over the five levels, as diverging stacked bars.

    Parameters
    ----------
    dist
        The frame of :func:`analysis.stats.distributions.answer_distribution` (one wave).
    codebook
        The questionnaire (rows in policy order, the level names in the legend).
    lang
        ``"da"`` (default) or ``"en"``.
    department
        The department code to show, or ``"ALL"`` (default) for the municipality.
    title
        A title drawn above the chart; ``None`` (default) for none (the caption names the group).
    min_n
        The minimum group size the frame was made with; by default inferred from the frame
        (``shown`` is ``n_valid >= 2 * min_n``). It only sets the "Skjult (n < 10)" text.
    departments
        The department list, used only to name the department in the alt text.

    Returns
    -------
    Chart
        One bar per value centred on the middle level: levels 1-2 (brown) left of the centre
        line, level 3 (grey) split half left and half right across it, levels 4-5 (teal) right,
        as shares of the valid answers (together 100 %), with the share printed in segments of
        at least 8 %. Two narrow panels to the right show the shares of "Ved ikke" and "Ikke
        relevant" among all answers. A row whose ``shown`` is False is hatched and reads
        "Skjult (n < 10)", with no bar and no number.
    """
    w = _words(lang)
    missing = [c for c in _DIST_COLUMNS if c not in dist.columns]
    if missing:
        raise ParameterError(f"the distribution frame lacks the columns {', '.join(missing)}; make it with "
                             "analysis.stats.distributions.answer_distribution(...).")
    waves = sorted(set(dist["wave"].astype(int)))
    if len(waves) != 1:
        raise ParameterError(f"the distribution frame holds waves {waves}; plot one wave at a time "
                             "(filter it, e.g. dist[dist['wave'] == 2025]).")
    if department not in set(dist["department"]):
        raise ParameterError(f"department {department!r} is not in the distribution frame; it has "
                             f"{', '.join(dict.fromkeys(dist['department']))}.")
    wave = waves[0]
    min_n = _distribution_min_n(dist, min_n)
    rows = dist[dist["department"] == department].drop_duplicates("value").set_index("value")
    rows = rows.reindex([v for v in codebook.value_ids if v in rows.index])
    levels = [f"share_{lv}" for lv in range(1, 6)]
    # Never draw a withheld row, whatever numbers it might carry.
    visible = rows["shown"].fillna(False).astype(bool) & rows[levels].notna().all(axis=1)
    shares = rows[levels].astype(float).where(visible, np.nan)
    hidden_text = f"{w['hidden']} (n < {2 * min_n})"
    municipal = department == "ALL"

    half3 = shares["share_3"] / 2
    edges = {1: -(half3 + shares["share_2"] + shares["share_1"]), 2: -(half3 + shares["share_2"]), 3: -half3,
             4: half3, 5: half3 + shares["share_4"]}
    # Each side reaches as far as its longest bar needs (rounded up to 5 %, at least 30 %):
    # symmetric limits would waste on the short side the width the segments' numbers need.
    left_reach = max([0.0, *(-edges[1][visible])])
    right_reach = max([0.0, *(edges[5][visible] + shares["share_5"][visible])])
    left, right = (min(1.0, max(0.3, float(np.ceil((r + 0.015) * 20) / 20))) if visible.any() else 0.5
                   for r in (left_reach, right_reach))
    side = rows[["share_dont_know", "share_not_applicable"]].astype(float).where(visible, np.nan)
    side_top = max(0.1, float(np.ceil(np.nanmax(side.to_numpy(), initial=0) * 10) / 10))
    ys = np.arange(len(rows))

    with matplotlib.style.context(config.STYLE_PATH):
        fig = _new_figure(0.5 * len(rows) + (1.55 if title else 1.3))
        gs = fig.add_gridspec(1, 3, width_ratios=[5, 0.9, 0.9])
        ax = fig.add_subplot(gs[0, 0])
        side_axes = [fig.add_subplot(gs[0, 1], sharey=ax), fig.add_subplot(gs[0, 2], sharey=ax)]
        y_shown = ys[visible.to_numpy()]
        for lv in range(1, 6):
            width = shares[f"share_{lv}"][visible].to_numpy()
            bars = ax.barh(y_shown, width, left=edges[lv][visible].to_numpy(), height=0.62,
                           color=_LEVEL_COLOURS[lv], edgecolor="white", linewidth=0.6, zorder=2,
                           label=codebook.level_name(lv, lang))
            for bar, y, start, share in zip(bars.patches, y_shown, edges[lv][visible], width):
                if share >= _SEGMENT_LABEL_MIN:
                    # The middle level's number sits on the centre line, on a patch of its own colour.
                    box = ({"boxstyle": "square,pad=0.12", "facecolor": _LEVEL_COLOURS[lv], "linewidth": 0}
                           if lv == 3 else None)
                    ax.add_artist(_SegmentLabel(bar, start + share / 2, y, format_share(share, lang), ha="center",
                                                va="center", fontsize=7.5, color=_text_colour(_LEVEL_COLOURS[lv]),
                                                zorder=4, bbox=box))
        ax.axvline(0, color=_DARK, linewidth=1.0, zorder=3)
        for y in ys[~visible.to_numpy()]:
            # zorder above the centre line: a withheld row is one plain hatched band.
            for a, (x0, x1) in ((ax, (-left, right)), *((s, (0, side_top * 1.7)) for s in side_axes)):
                a.add_patch(_suppressed_patch((x0, y - 0.31), x1 - x0, 0.62, zorder=3.5))
            _suppressed_label(ax, (right - left) / 2, y, hidden_text)
        ax.set_xlim(-left, right)
        step = next(st for st in (0.1, 0.2, 0.25, 0.5) if (left + right) / st <= 7.01)
        ticks = np.round(np.arange(-np.floor(left / step + 1e-9) * step, right + 1e-9, step), 2)
        ax.set_xticks(ticks, [format_share(abs(t), lang) for t in ticks], fontsize=8)
        ax.set_xlabel(w["dist_axis"], fontsize=8)
        for text, ha, dx in ((w["dist_lower"], "right", -1), (w["dist_higher"], "left", 1)):
            ax.text(dx * 0.015 * (left + right), 1.01, text, transform=ax.get_xaxis_transform(), ha=ha,
                    va="bottom", fontsize=7.5, color="#595959")
        ax.spines["left"].set_visible(False)
        labels = []
        for vid, row in rows.iterrows():
            name = _wrap(codebook.value_name(vid, lang), 22)
            if not visible[vid]:
                count = f"n < {_num(2 * min_n, lang, 0)}"
            elif municipal and pd.notna(row.get("departments")):
                count = (f"{_num(row['departments'], lang, 0)} {w['depts_short']}, "
                         f"n = {_num(row['n_valid'], lang, 0)}")
            else:
                count = f"n = {_num(row['n_valid'], lang, 0)}"
            labels.append(f"{name}\n{count}")
        ax.set_yticks(ys, labels)
        ax.set_ylim(len(rows) - 0.5, -0.5)

        for s, column, head in zip(side_axes, ("share_dont_know", "share_not_applicable"),
                                   (w["dont_know"], w["not_applicable"])):
            values = side[column][visible].to_numpy()
            s.barh(y_shown, values, height=0.45, color="#7a7a7a", zorder=2)
            for y, share in zip(y_shown, values):
                s.text(share + side_top * 0.05, y, format_share(share, lang), ha="left", va="center", fontsize=7.5,
                       color=_DARK)
            s.set_xlim(0, side_top * 1.7)
            s.set_xticks([])
            s.tick_params(axis="y", labelleft=False, length=0)
            s.spines["left"].set_visible(True)
            s.spines["bottom"].set_visible(False)
            s.grid(False)
            s.set_title(_wrap(head, 8), fontsize=7.5, fontweight="bold", loc="left", pad=4, linespacing=1.05)
        side_axes[0].set_xlabel(w["dist_all_answers"], fontsize=7.5, loc="left")
        ax.set_ylim(len(rows) - 0.5, -0.5)

        handles = [Patch(facecolor=_LEVEL_COLOURS[lv], label=f"{_num(lv, lang, 0)} {codebook.level_name(lv, lang)}")
                   for lv in range(1, 6)]
        fig.legend(handles=handles, loc="outside lower center", ncol=5, frameon=False, fontsize=8, handlelength=1.2,
                   columnspacing=1.2)
        if title:
            fig.suptitle(title, x=0.01, ha="left", fontsize=10.5, fontweight="bold")

    return Chart(fig, _alt_distribution(codebook, rows, shares, side, visible, department, departments, wave,
                                        hidden_text, lang))


def _alt_distribution(codebook, rows, shares, side, visible, department, departments, wave, hidden_text,
                      lang) -> str:
    if department == "ALL":
        who = "kommunen" if lang == "da" else "the municipality"
    else:
        who = (f"{_department_label(departments, department, lang)} ({department})" if departments is not None
               else department)
    if lang == "da":
        text = (f"Svarfordelingen på hver indkøbsværdi for {who} i {wave}: andele af svarene på niveau 1–5, "
                f"lave niveauer til venstre og høje til højre for midten.")
    else:
        text = (f"How the answers on each procurement value spread over the levels for {who} in {wave}: shares of "
                f"the answers at levels 1–5, low levels left and high levels right of the centre.")
    if visible.any():
        high = (shares["share_4"] + shares["share_5"])[visible]
        low = (shares["share_1"] + shares["share_2"])[visible]
        dk = side["share_dont_know"][visible]

        def at(series, vid):
            return f"{codebook.value_name(vid, lang)} {format_share(series[vid], lang)}"

        top_names = f"{codebook.level_name(4, lang)} {'eller' if lang == 'da' else 'or'} {codebook.level_name(5, lang)}"
        low_names = f"{codebook.level_name(1, lang)} {'eller' if lang == 'da' else 'or'} {codebook.level_name(2, lang)}"
        if len(high) == 1:  # one value shown: its numbers, no ranking
            vid = high.index[0]
            if lang == "da":
                text += (f" Andel på {top_names}: {at(high, vid)}. Andel på {low_names}: {at(low, vid)}."
                         f" »Ved ikke« (af alle svar): {at(dk, vid)}.")
            else:
                text += (f" Share at {top_names}: {at(high, vid)}. Share at {low_names}: {at(low, vid)}."
                         f" \"Don't know\" (of all answers): {at(dk, vid)}.")
        elif lang == "da":
            text += (f" Andel på {top_names}: højest {at(high, high.idxmax())}, lavest {at(high, high.idxmin())}."
                     f" Andel på {low_names}: højest {at(low, low.idxmax())}."
                     f" »Ved ikke« (af alle svar): højest {at(dk, dk.idxmax())}.")
        else:
            text += (f" Share at {top_names}: highest {at(high, high.idxmax())}, lowest {at(high, high.idxmin())}."
                     f" Share at {low_names}: highest {at(low, low.idxmax())}."
                     f" \"Don't know\" (of all answers): highest {at(dk, dk.idxmax())}.")
    hidden = [codebook.value_name(vid, lang) for vid in rows.index if not visible[vid]]
    if hidden:
        text += f" {hidden_text}: {_join(hidden, lang)}."
    return text


# ------------------------------------------------------------------------------------------
# department profile


def plot_department_values(scores: Scores, codebook: Codebook, department: str, wave: int, lang: str = "da", *,
                           departments: Departments | None = None) -> Chart:
    """Plot one department's maturity on each value beside the municipality's, with 95 % intervals.

    Parameters
    ----------
    scores
        The result of :func:`analysis.stats.scoring.score_survey`.
    codebook
        The questionnaire (values in policy order from the top).
    department
        The department's code.
    wave
        The survey year to show.
    lang
        ``"da"`` (default) or ``"en"``.
    departments
        The department list, used only to name the department in the legend and the alt text.

    Returns
    -------
    Chart
        Two markers per value on the level bands: the department's score (filled, blue, with its
        interval and the score written beside it) and, just below it, the municipality's (open,
        grey, the mean of the departments shown). A value on which the department is suppressed
        gets a hatched band reading "skjult (n < 5)" in the department's place and no department
        marker; the municipality's marker stays, since it does not include the department. The
        labels give the department's respondents per value (``n < 5`` when hidden).
    """
    w = _words(lang)
    wave = _check_wave(scores, wave)
    dv = scores.department_value
    cells = dv[(dv["wave"] == wave) & (dv["department"] == department)].set_index("value")
    if cells.empty:
        raise ParameterError(f"department {department!r} has no answers in {wave}; the departments with answers "
                             f"are {', '.join(dict.fromkeys(dv.loc[dv['wave'] == wave, 'department']))}.")
    cells = cells.reindex(codebook.value_ids)
    cells["suppressed"] = cells["suppressed"].astype("boolean").fillna(True).astype(bool)
    cells.loc[cells["suppressed"], ["score", "ci_low", "ci_high"]] = np.nan  # belt and braces
    muni = _value_rows(scores, codebook, wave)
    who = _department_label(departments, department, lang) if departments is not None else department
    dept_colour, muni_colour = _BLUE, "#595959"
    offset = 0.17

    with matplotlib.style.context(config.STYLE_PATH):
        fig = _new_figure(0.56 * len(cells) + 1.15)
        ax = fig.add_subplot()
        _level_axis(ax, codebook, lang)
        labels = []
        for pos, (vid, cell) in enumerate(cells.iterrows()):
            hidden = bool(cell["suppressed"]) or pd.isna(cell["score"])
            count = f"n < {_num(scores.min_n, lang, 0)}" if hidden else f"n = {_num(cell['n'], lang, 0)}"
            labels.append(f"{_wrap(codebook.value_name(vid, lang))}\n{count}")
            y_dept, y_muni = pos - offset, pos + offset
            m = muni.loc[vid]
            if hidden:
                ax.add_patch(_suppressed_patch((0.5, y_dept - 0.15), 5, 0.30))
                # Away from the municipality's marker, so the two never overlap.
                x_text = 4.4 if pd.isna(m["score"]) or m["score"] < 3 else 1.6
                _suppressed_label(ax, x_text, y_dept, _hidden_text(scores, lang, lower=True), pad=0.2, fontsize=8)
            else:
                ax.errorbar(cell["score"], y_dept, xerr=[[cell["score"] - cell["ci_low"]],
                                                         [cell["ci_high"] - cell["score"]]],
                            fmt="o", color=dept_colour, ecolor=dept_colour, elinewidth=1.6, capsize=3,
                            markersize=7, zorder=3)
                _label_interval(ax, cell["ci_low"], cell["ci_high"], y_dept, _num(cell["score"], lang),
                                fontsize=9, fontweight="bold", color=dept_colour, zorder=4)
            if pd.notna(m["score"]):
                ax.errorbar(m["score"], y_muni, xerr=[[m["score"] - m["ci_low"]], [m["ci_high"] - m["score"]]],
                            fmt="D", color=muni_colour, ecolor=muni_colour, elinewidth=1.1, capsize=2.5,
                            markersize=5, markerfacecolor="white", markeredgewidth=1.2, zorder=3)
                _label_interval(ax, m["ci_low"], m["ci_high"], y_muni, _num(m["score"], lang), fontsize=8,
                                color=muni_colour, zorder=4)
        ax.set_yticks(range(len(labels)), labels)
        ax.set_ylim(len(labels) - 0.5, -0.55)
        handles = [
            Line2D([], [], color=dept_colour, marker="o", markersize=7, linewidth=1.6, label=f"{who}"),
            Line2D([], [], color=muni_colour, marker="D", markersize=5, markerfacecolor="white",
                   markeredgewidth=1.2, linewidth=1.1, label=w["municipality_mean"]),
        ]
        if cells["suppressed"].any():
            handles.append(_suppressed_handle(scores.min_n, lang))
        fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), frameon=False, fontsize=8,
                   handlelength=1.8, columnspacing=1.4)

    return Chart(fig, _alt_department_values(scores, codebook, cells, muni, department, departments, wave, lang))


def _alt_department_values(scores, codebook, cells, muni, department, departments, wave, lang) -> str:
    who = (f"{_department_label(departments, department, lang)} ({department})" if departments is not None
           else department)
    if lang == "da":
        text = (f"Prikdiagram over modenheden i {who} på hver indkøbsværdi i {wave} (skala 1–5), med kommunens "
                f"gennemsnit ved siden af og 95 %-intervaller.")
    else:
        text = (f"Dot chart of maturity in {who} on each procurement value in {wave} (scale 1–5), with the "
                f"municipal average beside it and 95% intervals.")
    parts, hidden = [], []
    for vid, cell in cells.iterrows():
        name = codebook.value_name(vid, lang)
        m = muni.loc[vid, "score"]
        if cell["suppressed"] or pd.isna(cell["score"]):
            hidden.append(name)
            continue
        word = "kommunen" if lang == "da" else "municipality"
        parts.append(f"{name} {_num(cell['score'], lang)} ({word} {_num(m, lang)})")
    if parts:
        text += " " + "; ".join(parts) + "."
    if hidden:
        text += f" {_hidden_text(scores, lang)}: {_join(hidden, lang)}."
    return text


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
    w = _words(lang)
    if chart.png is None and not chart.figure.axes:
        raise ParameterError("this chart has already been rendered (its figure was cleared); make it again.")
    png = chart.to_png()
    dpi = _style_dpi()
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
