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
from ...words import interval_text, t
from .base import (
    BLUE,
    DARK,
    HEATMAP_CMAP,
    NO_CELL,
    Chart,
    GridRow,
    alt_hidden_cells,
    alt_merged,
    check_wave,
    count_label,
    department_cells,
    draw_grid,
    draw_grid_key,
    figure_and_axes,
    grid_cells,
    grid_figure,
    grid_rows,
    hidden_cell_text,
    hidden_row_text,
    hidden_sentence,
    join_names,
    label_rows,
    level_axis,
    level_text,
    lowest_highest,
    merged_cells,
    num,
    pooled_only,
    pooled_sentence,
    scored_dot,
    suppressed_label,
    suppressed_legend_handle,
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
        are light grey, hatched and read "Skjult (n < 5)" (or "Skjult (i Øvrige forv.)" for a
        department of 5 or more hidden only for being pooled), with no number. After the
        departments, the merged group *Øvrige forvaltninger* has one row per membership (its
        name with its members); where a value's pool has other members the cell is a dash. A level whose interval
        crosses a level boundary ends in "?", which the legend explains.
    """
    w = word_table(lang)
    wave = check_wave(scores, wave)
    value_ids = codebook.value_ids
    rows = grid_rows(scores, departments, value_ids, wave)
    cells = grid_cells(scores, departments, value_ids, wave, rows)
    matrix = np.array(
        [[np.nan if cells[(row, vid)] is None else cells[(row, vid)]["score"] for vid in value_ids] for row in rows],
        dtype=float,
    )
    cmap = matplotlib.colormaps[HEATMAP_CMAP]
    norm = Normalize(vmin=1, vmax=5)

    def cell_text(r, c):
        cell = cells[(rows[r], value_ids[c])]
        if cell is None:
            return NO_CELL
        if cell["suppressed"] or pd.isna(cell["score"]):
            return hidden_cell_text(cell, scores.min_n, lang)
        level = level_text(codebook, cell["level"], bool(cell["level_uncertain"]), lang)
        return (
            f"{level}\n{num(cell['score'], lang)}  ({count_label(cell['n'], scores.min_n, lang)})",
            {"fontsize": 7.5, "linespacing": 1.25},
        )

    pooled = any(
        cell is not None and cell["suppressed"] and pooled_only(cell, scores.min_n)
        for (row, _), cell in cells.items()
        if not row.merged
    )
    with matplotlib.style.context(config.STYLE_PATH):
        fig, ax, cax, lax = grid_figure(ax, len(rows), 0.32)
        image = draw_grid(
            ax,
            matrix,
            [row.label(lang) for row in rows],
            [wrap(codebook.value_name(v, lang), 14) for v in value_ids],
            cell_text,
            cmap=cmap,
            norm=norm,
            min_n=scores.min_n,
            lang=lang,
        )
        handles = [
            suppressed_legend_handle(scores.min_n, lang, pooled),
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
            # "Ikke påbegyndt" on two lines, so the names under the bar do not run into each other.
            [f"{num(k, lang, 0)}\n{wrap(codebook.level_name(k, lang), 10)}" for k in range(1, 6)],
            handles,
        )

    return Chart(fig, _alt_heatmap(scores, codebook, departments, cells, rows, wave, lang))


def _alt_heatmap(scores, codebook, departments, cells, rows, wave, lang) -> str:
    text = t(
        lang,
        f"Farvekort over modenheden i hver forvaltning på hver indkøbsværdi i {wave} (skala 1–5).",
        f"Colour grid of each department's maturity on each procurement value in {wave} (scale 1–5).",
    )
    shown = [(key, cell) for key, cell in cells.items() if cell is not None and pd.notna(cell["score"])]
    if shown:

        def say(item):
            (row, vid), cell = item
            return f"{row.title(departments, lang)}, {codebook.value_name(vid, lang)} {num(cell['score'], lang)}"

        # The first of equal scores, in row order (departments, then the merged group).
        low = min(shown, key=lambda item: item[1]["score"])
        high = max(shown, key=lambda item: item[1]["score"])
        text += lowest_highest(say(low), say(high), lang)
    text += alt_merged(scores, codebook, wave, lang)
    hidden: dict[str, list[str]] = {}
    pooled: dict[str, list[str]] = {}
    for row in rows:
        for vid in codebook.value_ids:
            cell = cells[(row, vid)]
            if cell is None or pd.notna(cell["score"]):
                continue
            if row.merged:  # a merged group too small to publish (then nothing of the value is)
                hidden.setdefault(row.title(departments, lang), []).append(vid)
            else:
                (pooled if pooled_only(cell, scores.min_n) else hidden).setdefault(row.code, []).append(vid)
    return text + alt_hidden_cells(scores, codebook, hidden, lang, pooled)


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
        dashed line. The merged group *Øvrige forvaltninger* of the value is a dot of its own,
        sorted among the published departments. Suppressed departments come last, in list
        order, as hatched rows with no dot ("skjult (n < 5)", and ", indgår i Øvrige
        forvaltninger" for the group's members), so their place reveals nothing about their score.
    """
    w = word_table(lang)
    wave = check_wave(scores, wave)
    if value not in codebook.value_ids:
        raise ParameterError(f"value {value!r} is not in the codebook; the values are {', '.join(codebook.value_ids)}.")
    cells = department_cells(scores, departments, wave, value)
    merged = merged_cells(scores, wave)
    group = merged.loc[value] if value in merged.index and merged.loc[value, "members"] else None
    rows = [(GridRow(code), cell) for code, cell in cells.iterrows()]
    if group is not None:
        rows.append((GridRow(config.MERGED_GROUP, group["members"]), group))
    # Published departments and the merged group by score, highest first; then the hidden
    # departments in list order, never by score, so their place reveals nothing.
    shown = sorted(
        [(row, cell) for row, cell in rows if pd.notna(cell["score"])], key=lambda rc: -float(rc[1]["score"])
    )
    hidden = [(row, cell) for row, cell in rows if pd.isna(cell["score"])]
    order = shown + hidden
    muni = value_rows(scores, codebook, wave).loc[value]

    with matplotlib.style.context(config.STYLE_PATH):
        fig, ax = figure_and_axes(ax, 0.42 * len(order) + 1.3)
        level_axis(ax, codebook, lang)
        labels = []
        for pos, (row, cell) in enumerate(order):
            if row.merged:
                labels.append(row.label(lang))
            else:
                labels.append(f"{wrap(departments.name_of(row.code, lang), 28)} ({row.code})")
            if pd.notna(cell["score"]):
                scored_dot(
                    ax,
                    cell,
                    pos,
                    BLUE,
                    f"{num(cell['score'], lang)}  ({count_label(cell['n'], scores.min_n, lang)})",
                    markersize=6.5,
                    label_style={
                        "fontsize": 8.5,
                        "bbox": {"boxstyle": "square,pad=0.1", "facecolor": "white", "linewidth": 0, "alpha": 0.75},
                    },
                )
            else:
                ax.add_patch(suppressed_patch((0.5, pos - 0.38), 5, 0.76))
                suppressed_label(ax, 3, pos, hidden_row_text(None if row.merged else cell, scores.min_n, lang))
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

    def say(item):
        row, r = item
        level = level_text(codebook, r["level"], bool(r["level_uncertain"]), lang)
        return f"{row.title(departments, lang)} {num(r['score'], lang)} ({level})"

    if shown:
        text += lowest_highest(say(shown[-1]), say(shown[0]), lang, highest_first=True)
    if pd.notna(muni["score"]):
        covered = 0 if pd.isna(muni["n_departments"]) else int(muni["n_departments"])
        text += t(
            lang,
            f" Kommunen samlet ({num(covered, lang, 0)} forvaltninger): {num(muni['score'], lang)}.",
            f" Municipality ({num(covered, lang, 0)} departments): {num(muni['score'], lang)}.",
        )
    text += alt_merged(scores, codebook, wave, lang, [value])
    pooled = [row.code for row, cell in hidden if not row.merged and pooled_only(cell, scores.min_n)]
    under = [row.title(departments, lang) if row.merged else row.code for row, _ in hidden if row.code not in pooled]
    if under:
        text += hidden_sentence(scores.min_n, join_names(under, lang), lang)
    if pooled:
        text += pooled_sentence(join_names(pooled, lang), lang)
    return text
