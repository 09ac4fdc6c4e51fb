"""Barriers and enablers: the municipality's share agreeing to a high degree, and the open question's themes.

- :func:`plot_barriers`: one dot with its interval per statement of the barrier instrument,
  the barriers first, then the enablers in place, each group largest first; the statements on
  level with the largest of their group are marked.
- :func:`plot_themes`: what the staff wrote in the open question, as bars of the share of
  answers mentioning each theme. A theme mentioned by fewer than ``min_n`` is drawn last as a
  hatched row reading "nævnt af færre end 5", never sorted among the others, so its place gives no count away.
"""

from __future__ import annotations

import matplotlib.style
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ... import config
from ...exceptions import ParameterError
from ...formatting import format_share, join_names
from ...survey.codebook import Codebook, OpenQuestion
from ...words import cannot_show_text, count_text, hidden_text, hidden_word, interval_text, t
from .base import (
    BLUE,
    DARK,
    GREY,
    VERMILLION,
    Chart,
    count_label,
    figure_and_axes,
    hidden_sentence,
    interval_dot,
    key_legend,
    suppressed_handle,
    suppressed_label,
    suppressed_patch,
    wrap,
)

#: The groups of the barrier chart, top down.
KINDS = ("barrier", "enabler")
#: The columns :func:`plot_barriers` reads (of :func:`analysis.stats.barriers.rank_barriers`).
RANKING_COLUMNS = (
    "wave",
    "barrier",
    "kind",
    "share_high",
    "ci_low",
    "ci_high",
    "rank",
    "tied_with_top",
    "clearly_largest",
)
#: The columns :func:`plot_themes` reads (of :func:`analysis.stats.themes.theme_counts`).
THEME_COLUMNS = ("wave", "department", "theme", "mentions", "answers", "share", "suppressed")
#: The dots and labels of the statements not marked: a neutral grey dark enough for text on white.
NEUTRAL = "#6b6b6b"
ROW_HEIGHT = 0.28  # inches per statement or theme
HEADING_HEIGHT = 0.3  # inches per group heading
LABEL_WRAP = 34  # characters per line of a statement's or theme's name

WORDS = {
    "da": {
        "heading": {"barrier": "Barrierer", "enabler": "Forudsætninger på plads"},
        "share_axis": "Andel, der svarer »{high}« eller\n»{very_high}« (4–5 af svarene 1–5)",
        "top": "På niveau med gruppens største",
        "others": "Klart mindre",
        "fewer": "nævnt af færre end {n}",
        "themes_axis": "Andel af de {n}, der svarede",
        "themes_axis_unknown": "Andel af dem, der svarede",
    },
    "en": {
        "heading": {"barrier": "Barriers", "enabler": "Enablers in place"},
        "share_axis": "Share answering “{high}” or\n“{very_high}” (4–5 of the answers 1–5)",
        "top": "On level with the group's largest",
        "others": "Clearly smaller",
        "fewer": "mentioned by fewer than {n}",
        "themes_axis": "Share of the {n} who answered",
        "themes_axis_unknown": "Share of those who answered",
    },
}


def _words(lang: str) -> dict:
    return WORDS["en" if lang == "en" else "da"]


def _percent_axis(ax: Axes, lang: str) -> None:
    """Draw the 0-100 % axis with ticks every 20 %, no left spine and no horizontal grid."""
    ax.set_xlim(0, 100)
    ticks = range(0, 101, 20)
    ax.set_xticks(list(ticks), [format_share(k / 100, lang) for k in ticks])
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)


def _check_columns(frame: pd.DataFrame, columns, what: str, made_by: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParameterError(f"{what} lacks the columns {', '.join(missing)}; pass the output of {made_by}.")


# ------------------------------------------------------------------------------------------
# barriers and enablers


def plot_barriers(
    ranking: pd.DataFrame,
    codebook: Codebook,
    lang: str = "da",
    *,
    min_n: int = config.DEFAULT_MIN_N,
    confidence: float = config.CONFIDENCE,
    ax: Axes | None = None,
) -> Chart:
    """Plot the municipality's share answering 4-5 on each barrier and enabler, with intervals.

    Parameters
    ----------
    ranking
        One wave's :func:`analysis.stats.barriers.rank_barriers` of ``kind="barrier"`` and of
        ``kind="enabler"``, concatenated: ``wave, barrier, kind, share_high, ci_low, ci_high,
        rank, tied_with_top, clearly_largest`` (shares 0-1) are read.
    codebook
        The questionnaire: the statements' short names and kinds (``codebook.barriers``).
    lang
        ``"da"`` (default) or ``"en"``.
    min_n
        The minimum group size the shares were computed with (for "skjult (n < 5)").
    confidence
        The intervals' confidence level (for the legend and the alt text).
    ax
        The axes to draw into; ``None`` (default) makes the chart's own figure, 16 cm wide.

    Returns
    -------
    Chart
        One row per statement on a 0-100 % axis, in two groups under their headings: the
        barriers, then the enablers in place, each largest first. The statements tied with the
        top of their group (``tied_with_top``) are drawn in the highlight colour with bold
        labels, the others in grey. A statement of a group whose municipal share is not
        published (blank share, or missing from the ranking, as :func:`rank_barriers` leaves
        it out) is a hatched row "skjult (n < 5)" at the end of its group, in codebook order.
        A group with no row in the ranking is left out (so a ranking of one kind draws one
        group), unless the ranking is empty: then every statement is hidden.
    """
    barriers = codebook.barriers
    if barriers is None:
        raise ParameterError("the codebook has no barrier instrument (barriers:); plot_barriers needs one.")
    _check_columns(ranking, RANKING_COLUMNS, "the ranking", "analysis.stats.barriers.rank_barriers")
    waves = sorted({int(w) for w in ranking["wave"].dropna()})
    if len(waves) > 1:
        raise ParameterError(
            f"the ranking holds the waves {', '.join(map(str, waves))}; pass one wave's rank_barriers output."
        )
    wave = waves[0] if waves else None
    unknown = sorted(set(ranking["barrier"]) - set(barriers.item_ids))
    if unknown:
        raise ParameterError(f"the ranking has statements the codebook does not: {', '.join(map(str, unknown))}.")
    wrong = [b for b, k in zip(ranking["barrier"], ranking["kind"]) if barriers.item(b).kind != k]
    if wrong:
        raise ParameterError(
            f"the ranking's kind does not match the codebook's for {', '.join(wrong)}: "
            "rank the barriers and the enablers separately (rank_barriers(..., kind=...)) and concatenate."
        )
    groups = _barrier_groups(ranking, codebook)
    w = _words(lang)
    scale = barriers.scale

    # Rows from the top: a heading per group, then its statements. y counts rows of ROW_HEIGHT;
    # a heading row is a little taller.
    layout = []  # (y, kind, item_id or None for the heading, row or None)
    y = 0.0
    for kind, shown, hidden in groups:
        layout.append((y, kind, None, None))
        y += HEADING_HEIGHT / ROW_HEIGHT
        for iid, row in shown:
            layout.append((y, kind, iid, row))
            y += 1
        for iid in hidden:
            layout.append((y, kind, iid, None))
            y += 1
        y += 0.25  # a little space between the groups
    bottom = y - 0.25
    any_hidden = any(hidden for _, _, hidden in groups)
    own_figure = ax is None

    with matplotlib.style.context(config.STYLE_PATH):
        n_statements = sum(len(s) + len(h) for _, s, h in groups)
        fig, ax = figure_and_axes(
            ax, ROW_HEIGHT * n_statements + HEADING_HEIGHT * len(groups) + 0.95 + 0.15 * any_hidden
        )
        _percent_axis(ax, lang)
        ticks, labels, marked = [], [], []
        for pos, kind, iid, row in layout:
            if iid is None:
                ax.text(
                    0,
                    pos,
                    w["heading"][kind],
                    transform=ax.get_yaxis_transform(),
                    ha="left",
                    va="center",
                    fontsize=9.5,
                    fontweight="bold",
                    color=DARK,
                )
                if pos > 0:
                    ax.axhline(pos - 0.6, color="#d9d9d9", linewidth=0.8, zorder=0)
                continue
            ticks.append(pos)
            labels.append(wrap(barriers.item(iid).short(lang), LABEL_WRAP))
            if row is None:
                ax.add_patch(suppressed_patch((0, pos - 0.38), 100, 0.76))
                suppressed_label(ax, 50, pos, hidden_text(min_n, lang), fontsize=8)
                marked.append(False)
                continue
            top = bool(row["tied_with_top"])
            marked.append(top)
            colour = VERMILLION if top else NEUTRAL
            share, low, high = (100 * float(row[c]) for c in ("share_high", "ci_low", "ci_high"))
            interval_dot(
                ax,
                share,
                low,
                high,
                pos,
                fmt="o",
                color=colour,
                ecolor=colour,
                elinewidth=1.5,
                capsize=2.5,
                markersize=6.5 if top else 5.5,
                zorder=3,
            )
            text = format_share(row["share_high"], lang)
            style = {"fontsize": 8.5, "fontweight": "bold" if top else "normal", "color": colour, "va": "center"}
            if high > 88:  # near the top end the label goes left of the interval
                ax.text(low - 1.5, pos, text, ha="right", **style)
            else:
                ax.text(high + 1.5, pos, text, ha="left", **style)
        ax.set_yticks(ticks, labels)
        for tick, top in zip(ax.get_yticklabels(), marked):
            if top:
                tick.set_color(VERMILLION)
                tick.set_fontweight("bold")
        ax.tick_params(axis="y", labelsize=8.5)
        ax.set_ylim(bottom - 0.5, -0.6)
        ax.set_xlabel(
            w["share_axis"].format(high=scale.level_name(4, lang).lower(), very_high=scale.level_name(5, lang).lower())
        )
        handles = [
            Line2D([], [], marker="o", linestyle="none", markersize=6.5, color=VERMILLION, label=w["top"]),
            Line2D([], [], marker="o", linestyle="none", markersize=5.5, color=NEUTRAL, label=w["others"]),
            Line2D([], [], color=GREY, linewidth=1.2, label=interval_text(confidence, lang, spaced=False)),
        ]
        if any_hidden:
            handles.append(suppressed_handle(min_n, lang))
        key_legend(fig, ax, own_figure, handles, ncol=3 if len(handles) == 3 else 2, fontsize=8)

    return Chart(fig, _alt_barriers(codebook, groups, wave, lang, min_n, confidence))


def _barrier_groups(ranking: pd.DataFrame, codebook: Codebook) -> list[tuple[str, list, list[str]]]:
    """Return ``(kind, [(item id, row) published, largest first], [hidden item ids])`` per group drawn."""
    barriers = codebook.barriers
    kinds_present = set(ranking["kind"])
    out = []
    for kind in KINDS:
        if len(ranking) and kind not in kinds_present:
            continue
        ids = [it.id for it in barriers.items if it.kind == kind]
        if not ids:
            continue
        rows = ranking[ranking["kind"] == kind].set_index("barrier")
        published = rows[rows["share_high"].notna()].copy()
        # Largest first; equal shares in the ranking's order (rank_barriers: codebook order).
        published = published.sort_values(["share_high", "rank"], ascending=[False, True], kind="stable")
        shown = list(published.iterrows())
        hidden = [iid for iid in ids if iid not in published.index]
        out.append((kind, shown, hidden))
    return out


def _alt_barriers(codebook: Codebook, groups, wave, lang: str, min_n: int, confidence: float) -> str:
    barriers = codebook.barriers
    ci = interval_text(confidence, lang, plural=True, spaced=False)
    year = t(lang, f" i {wave}", f" in {wave}") if wave is not None else ""
    text = t(
        lang,
        f"Prikdiagram over andelen i hele kommunen, der svarer i høj grad eller i meget høj grad (4–5), "
        f"på hver barriere og hver forudsætning for innovation og partnerskaber{year}, med {ci}; "
        "hver gruppe med den største først.",
        f"Dot chart of the share in the whole municipality answering to a high or a very high degree (4–5) "
        f"on each barrier to and enabler of innovation and partnerships{year}, with {ci}; "
        "each group largest first.",
    )

    def name(iid: str) -> str:
        return barriers.item(iid).short(lang)

    def say(iid: str, row, interval: bool) -> str:
        share = format_share(row["share_high"], lang)
        if not interval:
            return f"{name(iid)} {share}"
        low, high = format_share(row["ci_low"], lang), format_share(row["ci_high"], lang)
        # "42–58 %": the unit once, after the interval.
        unit = " %" if lang == "da" else "%"
        return f"{name(iid)} {share} ({low.removesuffix(unit)}–{high})"

    hidden_all = []
    for kind, shown, hidden in groups:
        hidden_all += [name(iid) for iid in hidden]
        if not shown:
            continue
        top = [(iid, row) for iid, row in shown if bool(row["tied_with_top"])]
        rest = [(iid, row) for iid, row in shown if not bool(row["tied_with_top"])]
        listed = join_names([say(iid, row, True) for iid, row in top], lang)
        alone = len(shown) >= 2 and bool(top[0][1]["clearly_largest"]) if top else False
        if kind == "barrier":
            if alone:
                lead = t(lang, "Største barriere, klart over de øvrige", "Largest barrier, clearly above the others")
            elif len(top) > 1:
                lead = t(
                    lang, "Største barrierer, på niveau med hinanden", "Largest barriers, on level with each other"
                )
            else:
                lead = t(lang, "Største barriere", "Largest barrier")
            others = t(lang, "Øvrige barrierer", "Other barriers")
        else:
            if alone:
                lead = t(
                    lang,
                    "Forudsætningen mest på plads, klart over de øvrige",
                    "Enabler most in place, clearly above the others",
                )
            elif len(top) > 1:
                lead = t(
                    lang,
                    "Forudsætninger mest på plads, på niveau med hinanden",
                    "Enablers most in place, on level with each other",
                )
            else:
                lead = t(lang, "Forudsætningen mest på plads", "Enabler most in place")
            others = t(lang, "Øvrige forudsætninger", "Other enablers")
        if top:
            text += f" {lead}: {listed}."
        if rest:
            text += f" {others}: {join_names([say(iid, row, False) for iid, row in rest], lang)}."
    if hidden_all:
        text += hidden_sentence(min_n, join_names(hidden_all, lang), lang)
    return text


# ------------------------------------------------------------------------------------------
# themes of the open question


def plot_themes(
    themes: pd.DataFrame,
    question: OpenQuestion,
    lang: str = "da",
    *,
    wave: int | None = None,
    min_n: int = config.DEFAULT_MIN_N,
    ax: Axes | None = None,
) -> Chart:
    """Plot the share of the open question's answers that mention each theme, for the municipality.

    Parameters
    ----------
    themes
        :func:`analysis.stats.themes.theme_counts` output: ``wave, department, theme, mentions,
        answers, share, suppressed``; the municipality's rows (``department == "ALL"``) are drawn.
    question
        The codebook's open question (its themes' names and order).
    lang
        ``"da"`` (default) or ``"en"``.
    wave
        The wave to show; the latest in ``themes`` by default.
    min_n
        The minimum group size the counts were made with (for "færre end 5").
    ax
        The axes to draw into; ``None`` (default) makes the chart's own figure, 16 cm wide.

    Returns
    -------
    Chart
        Horizontal bars on a 0-100 % axis, largest share first (equal shares in the codebook's
        order), each labelled "31 %  (n = 8)". The x axis names the base, "Andel af de 26, der
        svarede". A suppressed theme (mentioned by fewer than ``min_n``) comes last, in the
        codebook's order, as a hatched row reading "nævnt af færre end 5" with no bar and no number.
        When the municipality's answers are not published at all, every row is hidden.
    """
    _check_columns(themes, THEME_COLUMNS, "the theme counts", "analysis.stats.themes.theme_counts")
    waves = sorted({int(v) for v in themes["wave"].dropna()})
    if not waves:
        raise ParameterError("the theme counts are empty: no wave has answers to the open question.")
    if wave is None:
        wave = waves[-1]
    elif int(wave) not in waves:
        raise ParameterError(
            f"wave {wave!r} is not in the theme counts; they hold {', '.join(map(str, waves))}. Pick one of those."
        )
    wave = int(wave)
    rows = themes[(themes["wave"] == wave) & (themes["department"] == config.MUNICIPALITY)].set_index("theme")
    theme_ids = [th.id for th in question.themes]
    unknown = sorted(set(rows.index) - set(theme_ids))
    missing = [th for th in theme_ids if th not in rows.index]
    if unknown or missing:
        raise ParameterError(
            f"the theme counts do not match the question {question.id!r}: "
            f"themes not in the question {unknown or 'none'}, themes of the question not counted {missing or 'none'}. "
            "Count the themes of this question (theme_counts(..., question.keywords()))."
        )
    names = {th.id: th.name(lang) for th in question.themes}
    answers = rows["answers"].dropna()
    base = int(answers.iloc[0]) if len(answers) else None
    # Belt and braces: a suppressed theme carries no number into the chart, whatever the input.
    hidden_mask = rows["suppressed"].astype(bool) | rows["share"].isna() | rows["mentions"].isna()
    shown = sorted(
        (tid for tid in theme_ids if not hidden_mask[tid]), key=lambda tid: -float(rows.loc[tid, "share"])
    )  # sorted() is stable: equal shares stay in the codebook's order
    hidden = [tid for tid in theme_ids if hidden_mask[tid]]
    order = shown + hidden
    w = _words(lang)
    # "færre end 5" only where the municipality's answers are published (then a blank count is
    # one under min_n); otherwise nothing of the wave is, and the row just says hidden.
    hidden_label = w["fewer"].format(n=min_n) if base is not None else hidden_word(lang)

    with matplotlib.style.context(config.STYLE_PATH):
        fig, ax = figure_and_axes(ax, ROW_HEIGHT * len(order) + 0.75)
        _percent_axis(ax, lang)
        for pos, tid in enumerate(order):
            if tid in hidden:
                ax.add_patch(suppressed_patch((0, pos - 0.36), 100, 0.72))
                suppressed_label(ax, 50, pos, hidden_label, fontsize=8)
                continue
            share = 100 * float(rows.loc[tid, "share"])
            ax.barh(pos, share, height=0.68, color=BLUE, zorder=2)
            n = rows.loc[tid, "mentions"]
            ax.text(
                share + 1.2,
                pos,
                f"{format_share(rows.loc[tid, 'share'], lang)}  ({count_label(n, min_n, lang)})",
                ha="left",
                va="center",
                fontsize=8.5,
                color=DARK,
            )
        ax.set_yticks(range(len(order)), [wrap(names[tid], LABEL_WRAP) for tid in order])
        ax.tick_params(axis="y", labelsize=8.5)
        ax.set_ylim(len(order) - 0.5, -0.5)
        ax.set_xlabel(
            w["themes_axis"].format(n=count_text(base, min_n, lang)) if base is not None else w["themes_axis_unknown"]
        )

    return Chart(fig, _alt_themes(question, rows, shown, hidden, names, base, wave, lang, min_n))


def _alt_themes(question, rows, shown, hidden, names, base, wave, lang: str, min_n: int) -> str:
    asked = question.text(lang)
    quoted = f"»{asked}«" if lang == "da" else f"“{asked}”"
    if base is None:
        return (
            t(
                lang,
                f"Søjlediagram over temaerne i svarene på det åbne spørgsmål {quoted} i {wave}. ",
                f"Bar chart of the themes in the answers to the open question {quoted} in {wave}. ",
            )
            + cannot_show_text(min_n, lang)
            + "."
        )
    n = count_text(base, min_n, lang)
    text = t(
        lang,
        f"Søjlediagram over, hvad de {n}, der svarede på det åbne spørgsmål {quoted} i {wave}, skrev: "
        "andelen af svarene, der nævner hvert tema, største først. Et svar kan nævne flere temaer.",
        f"Bar chart of what the {n} who answered the open question {quoted} in {wave} wrote: "
        "the share of the answers mentioning each theme, largest first. An answer can mention several themes.",
    )
    if shown:
        listed = "; ".join(
            f"{names[tid]} {format_share(rows.loc[tid, 'share'], lang)} ({count_label(rows.loc[tid, 'mentions'], min_n, lang)})"
            for tid in shown
        )
        text += f" {listed}."
    if hidden:
        text += t(
            lang,
            f" Nævnt af færre end {min_n}: {join_names([names[tid] for tid in hidden], lang)}.",
            f" Mentioned by fewer than {min_n}: {join_names([names[tid] for tid in hidden], lang)}.",
        )
    return text
