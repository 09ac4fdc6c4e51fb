"""Department profile: one department's maturity on each value beside the municipality's."""

from __future__ import annotations

import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ... import config
from ...exceptions import ParameterError
from ...stats.scores import Scores
from ...survey.codebook import Codebook, Departments
from ...words import hidden_text, interval_text, merged_group_name, t
from .base import (
    BLUE,
    Chart,
    check_wave,
    count_label,
    department_title,
    figure_and_axes,
    hidden_row_text,
    interval_dot,
    join_names,
    key_legend,
    label_interval,
    label_rows,
    level_axis,
    members_of,
    merged_cells,
    num,
    pooled_only,
    scored_dot,
    suppressed_label,
    suppressed_legend_handle,
    suppressed_patch,
    value_rows,
    word_table,
    wrap,
)


def plot_department_values(
    scores: Scores,
    codebook: Codebook,
    department: str,
    wave: int,
    lang: str = "da",
    *,
    departments: Departments | None = None,
    ax: Axes | None = None,
) -> Chart:
    """Plot one department's maturity on each value beside the municipality's, with 95 % intervals.

    Parameters
    ----------
    scores
        The result of :func:`analysis.stats.scoring.score_survey`.
    codebook
        The questionnaire (one row per value, in policy order from the top).
    department
        The department's code.
    wave
        The survey year to show.
    lang
        ``"da"`` (default) or ``"en"``.
    departments
        The department list, used only to name the department in the legend and the alt text.
    ax
        The axes to draw into (e.g. a panel of the caller's figure; the legend then goes below
        it); ``None`` (default) makes the chart's own figure, 16 cm wide, legend below.

    Returns
    -------
    Chart
        Two markers per value on the level bands: the department's score (filled, blue, with its
        interval and the score written beside it) and, just below it, the municipality's (open,
        grey: every department, each weighing the same). A value on which the department is
        suppressed gets a hatched band in the department's place and no department marker,
        reading "skjult (n < 5)", and, where the department is pooled into *Øvrige
        forvaltninger*, saying so (the municipality covers it through that group). The labels
        give the department's respondents per value ("færre end 5 svar" under ``min_n``).
    """
    w = word_table(lang)
    wave = check_wave(scores, wave)
    dv = scores.department_value
    cells = dv[(dv["wave"] == wave) & (dv["department"] == department)].set_index("value")
    if cells.empty:
        raise ParameterError(
            f"department {department!r} has no answers in {wave}; the departments with answers "
            f"are {', '.join(dict.fromkeys(dv.loc[dv['wave'] == wave, 'department']))}."
        )
    cells = cells.reindex(codebook.value_ids)
    cells["n"] = pd.array(pd.to_numeric(cells["n"], errors="coerce"), dtype="Int64")
    merged = merged_cells(scores, wave)
    cells["pooled"] = [
        merged.loc[vid, "members"]
        if vid in merged.index and department in members_of(merged.loc[vid, "members"])
        else ""
        for vid in cells.index
    ]
    pulled = {vid for (wv, vid), codes in scores.pulled_in.items() if wv == int(wave) and department in codes}
    cells["pulled_in"] = [vid in pulled for vid in cells.index]
    cells["suppressed"] = cells["suppressed"].astype("boolean").fillna(True).astype(bool)
    cells.loc[cells["suppressed"], ["score", "ci_low", "ci_high"]] = np.nan  # belt and braces
    muni = value_rows(scores, codebook, wave)
    who = departments.name_of(department, lang) if departments is not None else department
    dept_colour, muni_colour = BLUE, "#595959"
    offset = 0.17

    with matplotlib.style.context(config.STYLE_PATH):
        own_figure = ax is None
        fig, ax = figure_and_axes(ax, 0.56 * len(cells) + 1.15)
        level_axis(ax, codebook, lang)
        labels = []
        for pos, (vid, cell) in enumerate(cells.iterrows()):
            hidden = bool(cell["suppressed"]) or pd.isna(cell["score"])
            # A department pulled into the merged group publishes no count (not "færre end 5" either).
            count = w["pooled_row"] if cell["pulled_in"] else count_label(cell["n"], scores.min_n, lang)
            labels.append(f"{wrap(codebook.value_name(vid, lang))}\n{count}")
            y_dept, y_muni = pos - offset, pos + offset
            m = muni.loc[vid]
            if hidden:
                ax.add_patch(suppressed_patch((0.5, y_dept - 0.15), 5, 0.30))
                # Away from the municipality's marker, so the two never overlap.
                text = hidden_row_text(cell, scores.min_n, lang)
                inset = 1.4 if cell["pooled"] else 1.1  # a longer text keeps clear of the plot's edge
                x_text = 5.5 - inset if pd.isna(m["score"]) or m["score"] < 3 else 0.5 + inset
                suppressed_label(ax, x_text, y_dept, text, pad=0.2, fontsize=8)
            else:
                scored_dot(ax, cell, y_dept, dept_colour, num(cell["score"], lang))
            if pd.notna(m["score"]):
                interval_dot(
                    ax,
                    m["score"],
                    m["ci_low"],
                    m["ci_high"],
                    y_muni,
                    fmt="D",
                    color=muni_colour,
                    ecolor=muni_colour,
                    elinewidth=1.1,
                    capsize=2.5,
                    markersize=5,
                    markerfacecolor="white",
                    markeredgewidth=1.2,
                    zorder=3,
                )
                label_interval(
                    ax,
                    m["ci_low"],
                    m["ci_high"],
                    y_muni,
                    num(m["score"], lang),
                    fontsize=8,
                    color=muni_colour,
                    zorder=4,
                )
        label_rows(ax, labels, -0.55)
        handles = [
            Line2D([], [], color=dept_colour, marker="o", markersize=7, linewidth=1.6, label=f"{who}"),
            Line2D(
                [],
                [],
                color=muni_colour,
                marker="D",
                markersize=5,
                markerfacecolor="white",
                markeredgewidth=1.2,
                linewidth=1.1,
                label=w["municipality_mean"],
            ),
        ]
        if cells["suppressed"].any():
            pooled = any(pooled_only(cell, scores.min_n) for _, cell in cells[cells["suppressed"]].iterrows())
            handles.append(suppressed_legend_handle(scores.min_n, lang, pooled))
        key_legend(fig, ax, own_figure, handles, ncol=len(handles), fontsize=8, handlelength=1.8, columnspacing=1.4)

    return Chart(fig, _alt_department_values(scores, codebook, cells, muni, department, departments, wave, lang))


def _alt_department_values(scores, codebook, cells, muni, department, departments, wave, lang) -> str:
    who = department_title(departments, department, lang)
    ci = interval_text(scores.confidence, lang, plural=True, spaced=False)
    text = t(
        lang,
        f"Prikdiagram over modenheden i {who} på hver indkøbsværdi i {wave} (skala 1–5), med kommunens "
        f"gennemsnit ved siden af og {ci}.",
        f"Dot chart of maturity in {who} on each procurement value in {wave} (scale 1–5), with the "
        f"municipal average beside it and {ci}.",
    )
    parts, hidden, pooled, groups = [], [], [], {}
    for vid, cell in cells.iterrows():
        name = codebook.value_name(vid, lang)
        m = muni.loc[vid, "score"]
        if cell["suppressed"] or pd.isna(cell["score"]):
            (pooled if pooled_only(cell, scores.min_n) else hidden).append(name)
            if cell["pooled"]:
                groups.setdefault(cell["pooled"], []).append(name)
            continue
        word = t(lang, "kommunen", "municipality")
        parts.append(f"{name} {num(cell['score'], lang)} ({word} {num(m, lang)})")
    if parts:
        text += " " + "; ".join(parts) + "."
    if hidden:
        text += f" {hidden_text(scores.min_n, lang, capital=True)}: {join_names(hidden, lang)}."
    if pooled:
        text += t(
            lang,
            f" Skjult, fordi forvaltningen er lagt sammen med andre: {join_names(pooled, lang)}.",
            f" Hidden because the department is pooled with others: {join_names(pooled, lang)}.",
        )
    for members, names in groups.items():
        group = merged_group_name(members, lang)
        text += t(
            lang,
            f" {who} indgår i {group} på {join_names(names, lang)}; kommunens tal omfatter den gennem gruppen.",
            f" {who} is pooled in {group} on {join_names(names, lang)}; the municipal figure covers it through "
            "that group.",
        )
    return text
