"""Change between two waves: the municipality's score per value, an arrow from the older to the newer."""

from __future__ import annotations

import matplotlib.style
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ... import config
from ...exceptions import ParameterError
from ...formatting import join_names
from ...stats.scores import Scores
from ...stats.trends import common_department_means
from ...survey.codebook import Codebook
from ...words import interval_text, t
from .base import (
    BLUE,
    DARK,
    GREY,
    Chart,
    check_wave,
    figure_and_axes,
    key_legend,
    label_rows,
    level_axis,
    num,
    signed,
    value_rows,
    word_table,
    wrap,
    zoom_limits,
)


def plot_change(
    scores: Scores,
    codebook: Codebook,
    wave: int,
    previous_wave: int,
    lang: str = "da",
    *,
    highlight: str | None = "innovation",
    changes: pd.DataFrame | None = None,
    ax: Axes | None = None,
) -> Chart:
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
    ax
        The axes to draw into (e.g. a panel of the caller's figure; the legend then goes below
        it); ``None`` (default) makes the chart's own figure, 16 cm wide, legend below.

    Returns
    -------
    Chart
        Two dots per value joined by an arrow, each with its 95 % interval drawn thinly, the two
        scores written at the right, and a legend naming the two years. The chart shows the
        change; whether it is a clear change is the text's job (method.md: interval of the
        difference).
    """
    w = word_table(lang)
    wave, previous_wave = check_wave(scores, wave), check_wave(scores, previous_wave)
    if previous_wave == wave:
        raise ParameterError(f"previous_wave must differ from wave, both are {wave}.")
    now, before = value_rows(scores, codebook, wave), value_rows(scores, codebook, previous_wave)
    common = None
    if changes is not None:
        means = common_department_means(scores, codebook.value_ids, changes, previous_wave, wave)
        before, now = (means[means["wave"] == wv].set_index("value") for wv in (previous_wave, wave))
        common = before["n_departments"]
    old_colour, new_colour = "#7f7f7f", BLUE
    offset = 0.15

    with matplotlib.style.context(config.STYLE_PATH):
        own_figure = ax is None
        fig, ax = figure_and_axes(ax, 3.8)
        # Changes between waves are tenths of a point: the axis shows only the levels the
        # values and their intervals reach, so an arrow is long enough to see.
        level_axis(
            ax, codebook, lang, zoom_limits([*now["ci_low"], *now["ci_high"], *before["ci_low"], *before["ci_high"]])
        )
        labels = []
        for pos, vid in enumerate(codebook.value_ids):
            labels.append(wrap(codebook.value_name(vid, lang)))
            a, b = before.loc[vid], now.loc[vid]
            for row, y, colour, face in (
                (a, pos - offset, old_colour, "white"),
                (b, pos + offset, new_colour, new_colour),
            ):
                if pd.isna(row["score"]):
                    continue
                ax.plot(
                    [row["ci_low"], row["ci_high"]],
                    [y, y],
                    color=colour,
                    linewidth=0.9,
                    alpha=0.8,
                    zorder=2,
                    solid_capstyle="butt",
                )
                ax.plot([row["ci_low"]] * 2, [y - 0.06, y + 0.06], color=colour, linewidth=0.9, alpha=0.8, zorder=2)
                ax.plot([row["ci_high"]] * 2, [y - 0.06, y + 0.06], color=colour, linewidth=0.9, alpha=0.8, zorder=2)
                ax.plot(
                    row["score"],
                    pos,
                    "o",
                    markersize=7,
                    markerfacecolor=face,
                    markeredgecolor=colour,
                    markeredgewidth=1.5,
                    zorder=4,
                )
            if pd.notna(a["score"]) and pd.notna(b["score"]) and abs(b["score"] - a["score"]) >= 0.08:
                ax.annotate(
                    "",
                    xy=(b["score"], pos),
                    xytext=(a["score"], pos),
                    zorder=3,
                    arrowprops={
                        "arrowstyle": "-|>,head_length=0.5,head_width=0.25",
                        "color": DARK,
                        "linewidth": 1.2,
                        "shrinkA": 4.5,
                        "shrinkB": 4.5,
                    },
                )
            pair = f"{num(a['score'], lang)} → {num(b['score'], lang)}"
            if common is not None:
                pair += f"\n{num(common[vid], lang, 0)} {w['depts_short']}"
            ax.text(
                1.02,
                pos,
                pair,
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=8.5,
                color=DARK,
                **({} if common is None else {"linespacing": 1.1}),
            )
        header = f"{previous_wave} → {wave}"
        if common is None:
            ax.text(
                1.02,
                -0.75,
                header,
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=8,
                color="#595959",
            )
        else:
            ax.text(
                1.02,
                -0.75,
                f"{header}\n{w['common_note']}",
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="bottom",
                fontsize=8,
                color="#595959",
                linespacing=1.1,
            )
        label_rows(ax, labels, -1.0, ids=codebook.value_ids, highlight=highlight)
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markersize=7,
                markerfacecolor="white",
                markeredgecolor=old_colour,
                markeredgewidth=1.5,
                label=str(previous_wave),
            ),
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markersize=7,
                markerfacecolor=new_colour,
                markeredgecolor=new_colour,
                markeredgewidth=1.5,
                label=str(wave),
            ),
            Line2D([], [], color=GREY, linewidth=0.9, label=interval_text(scores.confidence, lang, spaced=False)),
        ]
        key_legend(fig, ax, own_figure, handles, ncol=3)

    alt = _alt_change(codebook, before, now, wave, previous_wave, lang, scores.confidence)
    if common is not None:
        alt += _alt_common(codebook, common, lang)
    return Chart(fig, alt)


def _alt_common(codebook: Codebook, common: pd.Series, lang: str) -> str:
    groups: dict[int, list[str]] = {}
    for vid, n in common.items():
        groups.setdefault(int(n), []).append(codebook.value_name(vid, lang))
    if len(groups) == 1:
        n = next(iter(groups))
        counted = f"{num(n, lang, 0)} forvaltninger" if lang == "da" else f"{num(n, lang, 0)} departments"
    else:
        parts = [f"{num(n, lang, 0)} for {join_names(names, lang)}" for n, names in groups.items()]
        counted = "; ".join(parts)
    if lang == "da":
        return (
            " Begge års tal er gennemsnit over de forvaltninger, der kan vises i begge år, som i "
            f"ændringstabellen ({counted})."
        )
    return (
        " Both years' figures are means over the departments that can be shown in both years, as in the "
        f"change table ({counted})."
    )


def _alt_change(codebook, before, now, wave, previous_wave, lang, confidence) -> str:
    ci = interval_text(confidence, lang, plural=True, spaced=False)
    both = pd.DataFrame({"old": before["score"], "new": now["score"]}).dropna()
    text = t(
        lang,
        f"Kommunens modenhed på hver indkøbsværdi i {previous_wave} og {wave} (skala 1–5), "
        f"med en pil fra {previous_wave} til {wave} og tynde {ci}.",
        f"The municipality's maturity on each procurement value in {previous_wave} and {wave} "
        f"(scale 1–5), with an arrow from {previous_wave} to {wave} and thin {ci}.",
    )
    if both.empty:
        return text
    diff = both["new"] - both["old"]
    up, down = diff.idxmax(), diff.idxmin()

    def move(vid):
        r = both.loc[vid]
        return (
            f"{codebook.value_name(vid, lang)} {num(r['old'], lang)} → {num(r['new'], lang)} "
            f"({signed(r['new'] - r['old'], lang)})"
        )

    low, high = both["new"].idxmin(), both["new"].idxmax()

    def at(vid):
        return f"{codebook.value_name(vid, lang)} {num(both.loc[vid, 'new'], lang)}"

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
