"""Change between two waves: the municipality's score per value, an arrow from the older to the newer."""

from __future__ import annotations

import matplotlib.style
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ... import config
from ...exceptions import ParameterError
from ...stats.changes import DECLINE, IMPROVEMENT, NO_CLEAR_CHANGE
from ...stats.scores import Scores
from ...stats.trends import municipal_change
from ...survey.codebook import Codebook
from ...words import change_word, interval_text, t
from .base import (
    BLUE,
    DARK,
    GREY,
    Chart,
    check_wave,
    figure_and_axes,
    join_names,
    key_legend,
    label_rows,
    level_axis,
    num,
    signed,
    wrap,
    zoom_limits,
)

LIGHT_ARROW = "#a6a6a6"  # the arrow of "no clear change"


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
        Optional: the frame of :func:`analysis.stats.changes.score_changes` for ``previous_wave``
        to ``wave`` (e.g. the one the change table shows); computed from ``scores`` when not
        given. Its municipality (``ALL``) rows give each value's verdict; they must come from the
        same scores.
    ax
        The axes to draw into (e.g. a panel of the caller's figure; the legend then goes below
        it); ``None`` (default) makes the chart's own figure, 16 cm wide, legend below.

    Returns
    -------
    Chart
        Two dots per value joined by an arrow, each with its 95 % interval drawn thinly, and at
        the right the two scores with the change table's verdict. Both dots are the
        full-coverage municipality of their wave (``scores.value``: every department, the small
        ones through *Øvrige forvaltninger*), so the trend compares like with like (method.md).
        The arrow is dark for an improvement or a decline and light grey for "no clear change"
        (the adjusted test does not reject, or the change is under 0,25); the legend says so.
    """
    wave, previous_wave = check_wave(scores, wave), check_wave(scores, previous_wave)
    if previous_wave == wave:
        raise ParameterError(f"previous_wave must differ from wave, both are {wave}.")
    pairs = municipal_change(scores, codebook.value_ids, previous_wave, wave, changes).set_index("value")
    columns = ["score", "ci_low", "ci_high"]
    before, now = (pairs[[f"{col}_{end}" for col in columns]].set_axis(columns, axis=1) for end in ("from", "to"))
    verdicts = pairs["verdict"]
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
            clear = verdicts[vid] in (IMPROVEMENT, DECLINE)
            if pd.notna(a["score"]) and pd.notna(b["score"]) and abs(b["score"] - a["score"]) >= 0.08:
                ax.annotate(
                    "",
                    xy=(b["score"], pos),
                    xytext=(a["score"], pos),
                    zorder=3,
                    arrowprops={
                        "arrowstyle": "-|>,head_length=0.5,head_width=0.25",
                        "color": DARK if clear else LIGHT_ARROW,
                        "linewidth": 1.4 if clear else 1.1,
                        "shrinkA": 4.5,
                        "shrinkB": 4.5,
                    },
                )
            pair = f"{num(a['score'], lang)} → {num(b['score'], lang)}"
            if verdicts[vid]:
                pair += f"\n{change_word(verdicts[vid], lang)}"
            ax.text(
                1.02,
                pos,
                pair,
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=8.5,
                color=DARK,
                linespacing=1.1,
                fontweight="bold" if clear else "normal",
            )
        ax.text(
            1.02,
            -0.75,
            f"{previous_wave} → {wave}",
            transform=ax.get_yaxis_transform(),
            ha="left",
            va="center",
            fontsize=8,
            color="#595959",
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
            Line2D(
                [],
                [],
                color=DARK,
                linewidth=1.4,
                marker=">",
                markersize=5,
                label=f"{change_word(IMPROVEMENT, lang)} / {change_word(DECLINE, lang)}",
            ),
            Line2D(
                [],
                [],
                color=LIGHT_ARROW,
                linewidth=1.1,
                marker=">",
                markersize=5,
                label=change_word(NO_CLEAR_CHANGE, lang),
            ),
        ]
        key_legend(fig, ax, own_figure, handles, ncol=3)

    return Chart(fig, _alt_change(codebook, before, now, verdicts, pairs, wave, previous_wave, lang, scores.confidence))


def _alt_change(codebook, before, now, verdicts, pairs, wave, previous_wave, lang, confidence) -> str:
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
    covered = sorted({int(pairs.loc[vid, f"n_departments_{end}"]) for vid in both.index for end in ("from", "to")})
    text += t(
        lang,
        f" Begge år er hele kommunen: alle forvaltninger med svar ({join_names([num(n, lang, 0) for n in covered], lang)}).",
        f" Both years are the whole municipality: every department with answers "
        f"({join_names([num(n, lang, 0) for n in covered], lang)}).",
    )

    def at(vid):
        return f"{codebook.value_name(vid, lang)} {num(both.loc[vid, 'new'], lang)}"

    low, high = both["new"].idxmin(), both["new"].idxmax()
    text += t(
        lang, f" Lavest i {wave}: {at(low)}; højest: {at(high)}.", f" Lowest in {wave}: {at(low)}; highest: {at(high)}."
    )

    def move(vid):
        r = both.loc[vid]
        return (
            f"{codebook.value_name(vid, lang)} {num(r['old'], lang)} → {num(r['new'], lang)} "
            f"({signed(r['new'] - r['old'], lang)})"
        )

    # Grouped by the change table's verdict, in the order improvement, decline, no clear change.
    for verdict in (IMPROVEMENT, DECLINE, NO_CLEAR_CHANGE):
        vids = [vid for vid in both.index if verdicts[vid] == verdict]
        if vids:
            word = change_word(verdict, lang)
            text += f" {word[0].upper()}{word[1:]}: {join_names([move(v) for v in vids], lang)}."
    return text
