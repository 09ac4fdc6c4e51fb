"""Trend across all waves: one small panel per value, for the municipality or one department."""

from __future__ import annotations

import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.transforms import offset_copy

from ... import config
from ...formatting import join_names
from ...stats.scores import Scores
from ...stats.trends import department_trend
from ...survey.codebook import Codebook, Departments
from ...words import interval_text, merged_group_name, t
from .base import (
    BAND_SHADE,
    BLUE,
    DARK,
    GREY,
    VERMILLION,
    Chart,
    count_label,
    department_title,
    hidden_sentence,
    new_figure,
    num,
    only_own_figure,
    word_table,
    wrap,
    zoom_limits,
)


def plot_trend(
    scores: Scores,
    codebook: Codebook,
    lang: str = "da",
    *,
    highlight: str | None = "innovation",
    department: str | None = None,
    departments: Departments | None = None,
    ax: Axes | None = None,
) -> Chart:
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
    ax
        Only ``None`` (the default): the chart is a grid of small panels, one per value, with the
        legend in the grid's free place, so it needs a figure of its own. (Accepted for the same
        call shape as the other charts; an axes raises ParameterError.)

    Returns
    -------
    Chart
        Five panels (three above, two below, the legend in the sixth place) sharing one score
        axis zoomed to whole level bands: per wave the municipality score with its 95 %
        interval, joined by a line, the score written at each point and, under each year, the
        number of departments it covers (every department with answers, the small ones through
        *Øvrige forvaltninger*: like with like in every wave, method.md). With ``department``, the points are the department's scores and the
        number under each year is its respondents (``n``, or "færre end 5" under ``min_n``); a
        wave where the department is suppressed on a value (or has no answers, or is pooled into
        *Øvrige forvaltninger*) is a gap reading "skjult", so neither a point nor the axis range
        gives its score away; the alt text names the merged group it is pooled into.
    """
    only_own_figure(ax, "plot_trend", "one small panel per value")
    w = word_table(lang)
    waves = scores.waves
    if department is None:
        table = scores.value.set_index(["value", "wave"])
    else:
        table = department_trend(scores, department).set_index(["value", "wave"])
    rows = {
        vid: table.reindex([(vid, wv) for wv in waves]).droplevel(0)
        if vid in table.index.get_level_values(0)
        else pd.DataFrame(index=waves, columns=table.columns, dtype=float)
        for vid in codebook.value_ids
    }
    lo, hi = zoom_limits([x for r in rows.values() for x in [*r["ci_low"], *r["ci_high"]]])
    n_panels = len(rows)
    n_cols = 3 if n_panels > 2 else max(n_panels, 1)
    n_grid = max(1, -(-n_panels // n_cols))  # rows of panels; the legend takes a free place, or goes below
    label_room = 0.1 * (hi - lo)  # room a score label needs above an interval, in score units

    with matplotlib.style.context(config.STYLE_PATH):
        fig = new_figure(2.15 * n_grid + 0.2)
        gs = fig.add_gridspec(n_grid, n_cols)
        for k, (vid, r) in enumerate(rows.items()):
            ax = fig.add_subplot(gs[k // n_cols, k % n_cols])
            colour = VERMILLION if vid == highlight else BLUE
            for level in range(1, 6):
                if level % 2 == 1 and lo < level < hi:
                    ax.axhspan(level - 0.5, level + 0.5, color=BAND_SHADE, zorder=0, linewidth=0)
            ax.set_ylim(lo, hi)
            centres = [lv for lv in range(1, 6) if lo < lv < hi]
            ax.set_yticks(
                centres,
                [f"{codebook.level_name(lv, lang)} {num(lv, lang, 0)}" for lv in centres] if k % n_cols == 0 else [],
            )
            ax.tick_params(axis="y", length=0, labelsize=7.5)
            ax.grid(axis="x", visible=False)
            ax.spines["left"].set_visible(False)
            ax.set_xlim(waves[0] - 0.5, waves[-1] + 0.5)
            ax.set_xticks(waves, [str(wv) for wv in waves], fontsize=7.5)
            ax.set_title(
                wrap(codebook.value_name(vid, lang), 24),
                fontsize=8.5,
                color=colour if vid == highlight else DARK,
                loc="left",
                linespacing=1.05,
            )
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
                ax.errorbar(
                    x,
                    points,
                    yerr=error,
                    fmt="o",
                    color=colour,
                    ecolor=colour,
                    elinewidth=1.2,
                    capsize=2.5,
                    markersize=5,
                    zorder=3,
                )
            for wv in waves:
                row = r.loc[wv]
                if department is None:
                    n_dep = 0 if pd.isna(row["n_departments"]) else int(row["n_departments"])
                    under = f"{num(n_dep, lang, 0)} {w['depts_short']}"
                else:
                    # Never the count of a cell under min_n: "færre end 5" (count_text); a department pulled
                    # into the merged group publishes no count at all.
                    if bool(row.get("pulled_in", False)):
                        under = w["hidden_lc"]
                    else:
                        under = count_label(row["n"], scores.min_n, lang).removesuffix(f" {w['responses']}")
                    if len(waves) > 3:
                        under = under.replace(" end ", "\nend ").replace(" than ", "\nthan ")
                ax.text(wv, 0, under, transform=below, ha="center", va="top", fontsize=6.5, color="#595959")
                if pd.isna(row["score"]):
                    ax.text(
                        wv, (lo + hi) / 2, w["hidden_lc"], ha="center", va="center", fontsize=7, color=GREY, rotation=90
                    )
                    continue
                above = row["ci_high"] + label_room < hi
                ax.text(
                    wv,
                    row["ci_high"] if above else row["ci_low"],
                    num(row["score"], lang),
                    transform=up if above else down,
                    ha="center",
                    va="bottom" if above else "top",
                    fontsize=7.5,
                    fontweight="bold",
                    color=colour,
                    zorder=4,
                )
        free = gs[n_panels // n_cols, n_panels % n_cols] if n_panels % n_cols else None
        handles = [
            Line2D(
                [],
                [],
                color=BLUE,
                marker="o",
                markersize=5,
                linewidth=1.3,
                label=w["trend_point"] if department is None else w["trend_department_point"],
            ),
            Line2D(
                [],
                [],
                color=BLUE,
                marker="|",
                markersize=9,
                linestyle="none",
                markeredgewidth=1.2,
                label=interval_text(scores.confidence, lang, spaced=False),
            ),
            Line2D(
                [],
                [],
                linestyle="none",
                marker="None",
                label=w["trend_depts"]
                if department is None
                else w["trend_respondents"].format(n=num(scores.min_n, lang, 0)),
            ),
        ]
        if free is not None:
            # In the free place of the grid (a figure legend there costs no layout, unlike an axes).
            box = free.get_position(fig)
            legend = fig.legend(
                handles=handles,
                loc="center left",
                bbox_to_anchor=(box.x0 + 0.02, box.y0 + box.height / 2),
                frameon=False,
                fontsize=7.5,
                handlelength=1.6,
                borderaxespad=0,
            )
        else:
            legend = fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False, fontsize=7.5)
        legend.get_texts()[-1].set_color("#595959")

    if department is not None:
        return Chart(fig, _alt_department_trend(scores, codebook, rows, waves, department, departments, lang))
    return Chart(fig, _alt_trend(codebook, rows, waves, lang, scores.confidence))


def _span(waves: list[int]) -> str:
    """Return the years a trend covers: ``2023–2025``, or the one year."""
    return f"{waves[0]}–{waves[-1]}" if len(waves) > 1 else str(waves[0])


def _alt_series(codebook, rows, waves, lang) -> str:
    """Return the alt text's sentence listing each value's scores by year (values without any left out)."""
    series = []
    for vid, r in rows.items():
        points = [f"{num(r.loc[wv, 'score'], lang)} ({wv})" for wv in waves if pd.notna(r.loc[wv, "score"])]
        if points:
            series.append(f"{codebook.value_name(vid, lang)}: {', '.join(points)}")
    return " " + "; ".join(series) + "." if series else ""


def _alt_department_trend(scores, codebook, rows, waves, department, departments, lang) -> str:
    span, ci = _span(waves), interval_text(scores.confidence, lang, plural=True, spaced=False)
    who = department_title(departments, department, lang)
    text = t(
        lang,
        f"Modenheden i {who} på hver indkøbsværdi {span} (skala 1–5), et lille diagram pr. værdi med {ci}.",
        f"Maturity in {who} on each procurement value {span} (scale 1–5), one small panel per value with {ci}.",
    )
    text += _alt_series(codebook, rows, waves, lang)
    hidden: list[str] = []
    pooled: list[str] = []
    groups: dict[str, dict[str, list[str]]] = {}
    for vid, r in rows.items():
        name = codebook.value_name(vid, lang)
        under, only_pooled = [], []
        for wv in waves:
            if pd.notna(r.loc[wv, "score"]):
                continue
            members = r.loc[wv, "merged"] if "merged" in r.columns and isinstance(r.loc[wv, "merged"], str) else ""
            if members:
                groups.setdefault(members, {}).setdefault(name, []).append(str(wv))
            if members and bool(r.loc[wv, "pulled_in"]) if "pulled_in" in r.columns else False:
                only_pooled.append(str(wv))
            else:
                under.append(str(wv))
        if under:
            hidden.append(f"{name} ({join_names(under, lang)})")
        if only_pooled:
            pooled.append(f"{name} ({join_names(only_pooled, lang)})")
    if hidden:
        text += hidden_sentence(scores.min_n, "; ".join(hidden), lang)
    if pooled:
        text += t(
            lang,
            f" Skjult, fordi forvaltningen er lagt sammen med andre: {'; '.join(pooled)}.",
            f" Hidden because the department is pooled with others: {'; '.join(pooled)}.",
        )
    for members, by_value in groups.items():
        where = "; ".join(f"{name} ({join_names(years, lang)})" for name, years in by_value.items())
        text += t(
            lang,
            f" Indgår i {merged_group_name(members, lang)}: {where}.",
            f" Pooled in {merged_group_name(members, lang)}: {where}.",
        )
    return text


def _alt_trend(codebook, rows, waves, lang, confidence) -> str:
    span, ci = _span(waves), interval_text(confidence, lang, plural=True, spaced=False)
    text = t(
        lang,
        f"Kommunens modenhed på hver indkøbsværdi {span} (skala 1–5), et lille diagram pr. værdi med {ci}.",
        f"The municipality's maturity on each procurement value {span} (scale 1–5), one small panel "
        f"per value with {ci}.",
    )
    text += _alt_series(codebook, rows, waves, lang)
    patterns: dict[tuple[int, ...], list[str]] = {}
    for vid, r in rows.items():
        counts = tuple(0 if pd.isna(n) else int(n) for n in r["n_departments"])
        patterns.setdefault(counts, []).append(codebook.value_name(vid, lang))
    parts = []
    for counts, names in patterns.items():
        numbers = join_names([num(c, lang, 0) for c in counts], lang)
        parts.append(numbers + (f" ({join_names(names, lang)})" if len(patterns) > 1 else ""))
    years, counted = join_names([str(wv) for wv in waves], lang), "; ".join(parts)
    text += t(
        lang,
        f" Antal forvaltninger bag punkterne i {years}: {counted}.",
        f" Number of departments behind the points in {years}: {counted}.",
    )
    return text
