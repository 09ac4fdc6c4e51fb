"""Value maturity: the municipality's score on each policy value, with its alt text."""

from __future__ import annotations

import matplotlib.style
import pandas as pd
from matplotlib.axes import Axes

from ... import config
from ...formatting import join_names
from ...stats.scores import Scores
from ...survey.codebook import Codebook
from ...words import hidden_text, interval_text, t
from .base import (
    BLUE,
    GREY,
    VERMILLION,
    Chart,
    alt_merged,
    check_wave,
    count_label,
    figure_and_axes,
    label_rows,
    level_axis,
    level_text,
    lowest_highest,
    num,
    scored_dot,
    value_rows,
    word_table,
    wrap,
)


def plot_value_maturity(
    scores: Scores,
    codebook: Codebook,
    wave: int,
    lang: str = "da",
    *,
    highlight: str | None = "innovation",
    ax: Axes | None = None,
) -> Chart:
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
    ax
        The axes to draw into (e.g. a panel of the caller's figure); ``None`` (default) makes
        the chart's own figure, 16 cm wide.

    Returns
    -------
    Chart
        Dots with interval bars on the 1-5 scale, the score printed at each dot, the number of
        departments the municipality covers (every department with answers, the small ones
        through *Øvrige forvaltninger*) and their respondents in the labels, as ``scores.value``
        gives them. The alt text names the merged group and its members.
    """
    w = word_table(lang)
    wave = check_wave(scores, wave)
    rows = value_rows(scores, codebook, wave)
    with matplotlib.style.context(config.STYLE_PATH):
        fig, ax = figure_and_axes(ax, 2.6)
        level_axis(ax, codebook, lang)
        labels = []
        for pos, (vid, row) in enumerate(rows.iterrows()):
            name = codebook.value_name(vid, lang)
            # Departments covered (every department with answers, the small ones through the
            # merged group) and their respondents, as scores.value gives them.
            n_dep = 0 if pd.isna(row["n_departments"]) else int(row["n_departments"])
            n_resp = 0 if pd.isna(row["n_respondents"]) else int(row["n_respondents"])
            count = count_label(n_resp, scores.min_n, lang)
            # Names on one line where they fit, so five rows of two-line labels fit the short chart.
            labels.append(f"{wrap(name, 30)}\n{num(n_dep, lang, 0)} {w['depts_short']}, {count}")
            colour = VERMILLION if vid == highlight else BLUE
            if pd.isna(row["score"]):
                ax.text(
                    3,
                    pos,
                    hidden_text(scores.min_n, lang, capital=True),
                    ha="center",
                    va="center",
                    color=GREY,
                    fontsize=8.5,
                )
                continue
            scored_dot(ax, row, pos, colour, num(row["score"], lang))
        label_rows(ax, labels, -0.6, ids=rows.index, highlight=highlight)

    return Chart(fig, _alt_value_maturity(scores, codebook, rows, wave, lang))


def _alt_value_maturity(scores: Scores, codebook: Codebook, rows: pd.DataFrame, wave: int, lang: str) -> str:
    ci = interval_text(scores.confidence, lang, plural=True, spaced=False)
    shown = rows[rows["score"].notna()]
    text = t(
        lang,
        f"Prikdiagram over kommunens modenhed på hver indkøbsværdi i {wave} på skalaen 1–5, med {ci}.",
        f"Dot chart of the municipality's maturity on each procurement value in {wave} on the 1–5 scale, with {ci}.",
    )
    if not shown.empty:
        low, high = shown["score"].idxmin(), shown["score"].idxmax()

        def say(vid):
            r = shown.loc[vid]
            return (
                f"{codebook.value_name(vid, lang)} {num(r['score'], lang)} "
                f"({level_text(codebook, r['level'], bool(r['level_uncertain']), lang)})"
            )

        text += lowest_highest(say(low), say(high), lang)
    text += _alt_coverage(codebook, rows, lang)
    return text + alt_merged(scores, codebook, wave, lang)


def _alt_coverage(codebook: Codebook, rows: pd.DataFrame, lang: str) -> str:
    """Return the sentence saying how many departments each municipal score covers (each weighing the same)."""
    groups: dict[int, list[str]] = {}
    for vid, row in rows.iterrows():
        if pd.notna(row["score"]):
            groups.setdefault(int(row["n_departments"]), []).append(codebook.value_name(vid, lang))
    if not groups:
        return ""
    if len(groups) == 1:
        n = num(next(iter(groups)), lang, 0)
        return t(
            lang,
            f" Kommunens score omfatter alle {n} forvaltninger med svar, med samme vægt.",
            f" The municipal score covers all {n} departments with answers, each weighing the same.",
        )
    counted = "; ".join(f"{num(n, lang, 0)} ({join_names(names, lang)})" for n, names in groups.items())
    return t(
        lang,
        f" Kommunens score omfatter alle forvaltninger med svar, med samme vægt: {counted}.",
        f" The municipal score covers every department with answers, each weighing the same: {counted}.",
    )
