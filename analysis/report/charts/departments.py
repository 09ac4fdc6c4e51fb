"""Departments side by side: the department x value heatmap and one value by department."""

from __future__ import annotations

import matplotlib
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D

from ... import config
from ...exceptions import ParameterError
from ...stats.scores import Scores
from ...survey.codebook import Codebook, Departments
from ...words import hidden_text, interval_text, t
from .base import (
    BLUE,
    DARK,
    HEATMAP_CMAP,
    Chart,
    alt_hidden_cells,
    check_wave,
    department_cells,
    department_order,
    department_title,
    draw_grid,
    draw_grid_key,
    figure_and_axes,
    grid_figure,
    hidden_sentence,
    join_names,
    label_rows,
    level_axis,
    level_text,
    lowest_highest,
    num,
    scored_dot,
    suppressed_handle,
    suppressed_label,
    suppressed_patch,
    value_rows,
    word_table,
    wrap,
)


def plot_department_heatmap(
    scores: Scores, codebook: Codebook, departments: Departments, wave: int, lang: str = "da", *, ax: Axes | None = None
) -> Chart:
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
    ax
        The axes to draw the grid into; the colour bar and the legend go in strips just below
        it. ``None`` (default) makes the chart's own figure, 16 cm wide.

    Returns
    -------
    Chart
        Cells coloured on the colour-blind-safe ``cividis`` map fixed to 1-5. Suppressed cells
        are light grey, hatched and read "Skjult (n < 5)", with no number. A level whose interval
        crosses a level boundary ends in "?", which the legend explains.
    """
    w = word_table(lang)
    wave = check_wave(scores, wave)
    value_ids = codebook.value_ids
    codes = department_order(scores, departments, wave)
    grid = {vid: department_cells(scores, departments, wave, vid) for vid in value_ids}
    matrix = np.array([[grid[vid].loc[code, "score"] for vid in value_ids] for code in codes], dtype=float)
    cmap = matplotlib.colormaps[HEATMAP_CMAP]
    norm = Normalize(vmin=1, vmax=5)

    def cell_text(r, c):
        cell = grid[value_ids[c]].loc[codes[r]]
        if cell["suppressed"] or pd.isna(cell["score"]):
            return None
        level = level_text(codebook, cell["level"], bool(cell["level_uncertain"]), lang)
        return (
            f"{level}\n{num(cell['score'], lang)}  (n = {num(cell['n'], lang, 0)})",
            {"fontsize": 7.5, "linespacing": 1.25},
        )

    with matplotlib.style.context(config.STYLE_PATH):
        fig, ax, cax, lax = grid_figure(ax, len(codes), 0.44)
        image = draw_grid(
            ax,
            matrix,
            codes,
            [wrap(codebook.value_name(v, lang), 14) for v in value_ids],
            cell_text,
            cmap=cmap,
            norm=norm,
            min_n=scores.min_n,
            lang=lang,
        )
        handles = [
            suppressed_handle(scores.min_n, lang),
            Line2D(
                [],
                [],
                linestyle="none",
                marker="$?$",
                markersize=8,
                color=DARK,
                label=w["uncertain"].removeprefix("? = "),
            ),
        ]
        draw_grid_key(
            fig,
            image,
            cax,
            lax,
            range(1, 6),
            [f"{num(k, lang, 0)}\n{codebook.level_name(k, lang)}" for k in range(1, 6)],
            handles,
        )

    return Chart(fig, _alt_heatmap(scores, codebook, departments, grid, codes, wave, lang))


def _alt_heatmap(scores, codebook, departments, grid, codes, wave, lang) -> str:
    cells = pd.concat([g.assign(value=vid) for vid, g in grid.items()]).rename_axis("department").reset_index()
    shown = cells[cells["score"].notna()]
    text = t(
        lang,
        f"Farvekort over modenheden i hver forvaltning på hver indkøbsværdi i {wave} (skala 1–5).",
        f"Colour grid of each department's maturity on each procurement value in {wave} (scale 1–5).",
    )
    if not shown.empty:

        def say(k):
            r = shown.loc[k]
            return (
                f"{department_title(departments, r['department'], lang)}, "
                f"{codebook.value_name(r['value'], lang)} {num(r['score'], lang)}"
            )

        low, high = shown["score"].idxmin(), shown["score"].idxmax()
        text += lowest_highest(say(low), say(high), lang)
    hidden = cells[cells["score"].isna()]
    return text + alt_hidden_cells(
        scores, codebook, {code: hidden.loc[hidden["department"] == code, "value"].tolist() for code in codes}, lang
    )


def plot_innovation_by_department(
    scores: Scores,
    codebook: Codebook,
    departments: Departments,
    wave: int,
    lang: str = "da",
    value: str = "innovation",
    *,
    ax: Axes | None = None,
) -> Chart:
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
    ax
        The axes to draw into (e.g. a panel of the caller's figure); ``None`` (default) makes
        the chart's own figure, 16 cm wide.

    Returns
    -------
    Chart
        Dots with 95 % intervals on the level bands, highest first, the municipality score as a
        dashed line. Suppressed departments come last, in list order, as hatched rows reading
        "skjult (n < 5)" with no dot, so their place reveals nothing about their score.
    """
    w = word_table(lang)
    wave = check_wave(scores, wave)
    if value not in codebook.value_ids:
        raise ParameterError(f"value {value!r} is not in the codebook; the values are {', '.join(codebook.value_ids)}.")
    cells = department_cells(scores, departments, wave, value)
    shown = cells[cells["score"].notna()].sort_values("score", ascending=False, kind="stable")
    hidden = cells[cells["score"].isna()]  # list order, never by score
    order = list(shown.index) + list(hidden.index)
    muni = value_rows(scores, codebook, wave).loc[value]

    with matplotlib.style.context(config.STYLE_PATH):
        fig, ax = figure_and_axes(ax, 0.42 * len(order) + 1.3)
        level_axis(ax, codebook, lang)
        labels = []
        for pos, code in enumerate(order):
            cell = cells.loc[code]
            labels.append(f"{wrap(departments.name_of(code, lang), 28)} ({code})")
            if code in shown.index:
                scored_dot(
                    ax,
                    cell,
                    pos,
                    BLUE,
                    f"{num(cell['score'], lang)}  (n = {num(cell['n'], lang, 0)})",
                    markersize=6.5,
                    label_style={
                        "fontsize": 8.5,
                        "bbox": {"boxstyle": "square,pad=0.1", "facecolor": "white", "linewidth": 0, "alpha": 0.75},
                    },
                )
            else:
                ax.add_patch(suppressed_patch((0.5, pos - 0.38), 5, 0.76))
                suppressed_label(ax, 3, pos, hidden_text(scores.min_n, lang))
        if pd.notna(muni["score"]):
            ax.axvline(muni["score"], color=DARK, linestyle=(0, (4, 2)), linewidth=1.1, zorder=2)
            right = muni["score"] < 4.2  # near the top end the label goes left of the line
            ax.text(
                muni["score"] + (0.05 if right else -0.05),
                -0.75,
                f"{w['municipality']} {num(muni['score'], lang)}",
                ha="left" if right else "right",
                va="center",
                fontsize=8.5,
                color=DARK,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "linewidth": 0, "alpha": 0.8},
            )
        label_rows(ax, labels, -1.1)

    return Chart(fig, _alt_innovation(scores, codebook, departments, value, shown, hidden, muni, wave, lang))


def _alt_innovation(scores, codebook, departments, value, shown, hidden, muni, wave, lang) -> str:
    name = codebook.value_name(value, lang)
    ci = interval_text(scores.confidence, lang, plural=True, spaced=False)
    text = t(
        lang,
        f"Modenheden på {name} i hver forvaltning i {wave} med {ci}, højeste først.",
        f"Maturity on {name} in each department in {wave} with {ci}, highest first.",
    )

    def say(code):
        r = shown.loc[code]
        level = level_text(codebook, r["level"], bool(r["level_uncertain"]), lang)
        return f"{department_title(departments, code, lang)} {num(r['score'], lang)} ({level})"

    if not shown.empty:
        text += lowest_highest(say(shown.index[-1]), say(shown.index[0]), lang, highest_first=True)
    if pd.notna(muni["score"]):
        text += (
            f" Kommunen samlet: {num(muni['score'], lang)}."
            if lang == "da"
            else f" Municipality: {num(muni['score'], lang)}."
        )
    if not hidden.empty:
        text += hidden_sentence(scores.min_n, join_names(list(hidden.index), lang), lang)
    return text
