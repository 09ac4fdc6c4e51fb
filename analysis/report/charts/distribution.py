"""Answer distributions: how the answers to each value spread over the five levels."""

from __future__ import annotations

import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text

from ... import config
from ...exceptions import ParameterError
from ...formatting import format_share, join_names
from ...stats.disclosure import distribution_limit, infer_min_n
from ...survey.codebook import Codebook, Departments
from ...words import hidden_text, t
from .base import (
    DARK,
    Chart,
    department_title,
    new_figure,
    num,
    only_own_figure,
    suppressed_label,
    suppressed_patch,
    text_colour,
    word_table,
    wrap,
)

# Brown-teal diverging colours (ColorBrewer BrBG, 5 classes; colour-blind safe), level 3 grey.
_LEVEL_COLOURS = {1: "#8c510a", 2: "#d8b365", 3: "#c8c8c8", 4: "#5ab4ac", 5: "#01665e"}
_DIST_COLUMNS = (
    "wave",
    "department",
    "value",
    "n_valid",
    "shown",
    *(f"share_{lv}" for lv in range(1, 6)),
    "share_dont_know",
    "share_not_applicable",
)
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
        for size, candidate in (
            (self._size, text),
            (self._size - 1, text),
            (self._size - 1, narrow),
            (self._size - 1.5, narrow),
        ):
            self.set_fontsize(size)
            self.set_text(candidate)
            if self.get_window_extent(renderer).width <= room:
                super().draw(renderer)
                break
        # Put back the full text (too narrow even then: the legend and alt text carry the share).
        self.set_fontsize(self._size)
        self.set_text(text)


def plot_distribution(
    dist: pd.DataFrame,
    codebook: Codebook,
    lang: str = "da",
    *,
    department: str = config.MUNICIPALITY,
    title: str | None = None,
    min_n: int | None = None,
    departments: Departments | None = None,
    ax: Axes | None = None,
) -> Chart:
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
    ax
        Only ``None`` (the default): the bars share their rows with two narrow side panels (the
        shares of "Ved ikke" and "Ikke relevant"), so the chart needs a figure of its own.
        (Accepted for the same call shape as the other charts; an axes raises ParameterError.)

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
    only_own_figure(ax, "plot_distribution", "the bars and two side panels sharing their rows")
    w = word_table(lang)
    missing = [c for c in _DIST_COLUMNS if c not in dist.columns]
    if missing:
        raise ParameterError(
            f"the distribution frame lacks the columns {', '.join(missing)}; make it with "
            "analysis.stats.distributions.answer_distribution(...)."
        )
    waves = sorted(set(dist["wave"].astype(int)))
    if len(waves) != 1:
        raise ParameterError(
            f"the distribution frame holds waves {waves}; plot one wave at a time "
            "(filter it, e.g. dist[dist['wave'] == 2025])."
        )
    if department not in set(dist["department"]):
        raise ParameterError(
            f"department {department!r} is not in the distribution frame; it has "
            f"{', '.join(dict.fromkeys(dist['department']))}."
        )
    wave = waves[0]
    min_n = infer_min_n(dist, min_n)
    rows = dist[dist["department"] == department].drop_duplicates("value").set_index("value")
    rows = rows.reindex([v for v in codebook.value_ids if v in rows.index])
    levels = [f"share_{lv}" for lv in range(1, 6)]
    # Never draw a withheld row, whatever numbers it might carry.
    visible = rows["shown"].fillna(False).astype(bool) & rows[levels].notna().all(axis=1)
    shares = rows[levels].astype(float).where(visible, np.nan)
    hidden_row_text = hidden_text(distribution_limit(min_n), lang, capital=True)
    municipal = department == config.MUNICIPALITY

    half3 = shares["share_3"] / 2
    edges = {
        1: -(half3 + shares["share_2"] + shares["share_1"]),
        2: -(half3 + shares["share_2"]),
        3: -half3,
        4: half3,
        5: half3 + shares["share_4"],
    }
    # Each side reaches as far as its longest bar needs (rounded up to 5 %, at least 30 %):
    # symmetric limits would waste on the short side the width the segments' numbers need.
    left_reach = max([0.0, *(-edges[1][visible])])
    right_reach = max([0.0, *(edges[5][visible] + shares["share_5"][visible])])
    left, right = (
        min(1.0, max(0.3, float(np.ceil((r + 0.015) * 20) / 20))) if visible.any() else 0.5
        for r in (left_reach, right_reach)
    )
    side = rows[["share_dont_know", "share_not_applicable"]].astype(float).where(visible, np.nan)
    side_top = max(0.1, float(np.ceil(np.nanmax(side.to_numpy(), initial=0) * 10) / 10))
    ys = np.arange(len(rows))

    with matplotlib.style.context(config.STYLE_PATH):
        fig = new_figure(0.5 * len(rows) + (1.55 if title else 1.3))
        gs = fig.add_gridspec(1, 3, width_ratios=[5, 0.9, 0.9])
        ax = fig.add_subplot(gs[0, 0])
        side_axes = [fig.add_subplot(gs[0, 1], sharey=ax), fig.add_subplot(gs[0, 2], sharey=ax)]
        y_shown = ys[visible.to_numpy()]
        for lv in range(1, 6):
            width = shares[f"share_{lv}"][visible].to_numpy()
            bars = ax.barh(
                y_shown,
                width,
                left=edges[lv][visible].to_numpy(),
                height=0.62,
                color=_LEVEL_COLOURS[lv],
                edgecolor="white",
                linewidth=0.6,
                zorder=2,
                label=codebook.level_name(lv, lang),
            )
            for bar, y, start, share in zip(bars.patches, y_shown, edges[lv][visible], width):
                if share >= _SEGMENT_LABEL_MIN:
                    # The middle level's number sits on the centre line, on a patch of its own colour.
                    box = (
                        {"boxstyle": "square,pad=0.12", "facecolor": _LEVEL_COLOURS[lv], "linewidth": 0}
                        if lv == 3
                        else None
                    )
                    ax.add_artist(
                        _SegmentLabel(
                            bar,
                            start + share / 2,
                            y,
                            format_share(share, lang),
                            ha="center",
                            va="center",
                            fontsize=7.5,
                            color=text_colour(_LEVEL_COLOURS[lv]),
                            zorder=4,
                            bbox=box,
                        )
                    )
        ax.axvline(0, color=DARK, linewidth=1.0, zorder=3)
        for y in ys[~visible.to_numpy()]:
            # zorder above the centre line: a withheld row is one plain hatched band.
            for a, (x0, x1) in ((ax, (-left, right)), *((s, (0, side_top * 1.7)) for s in side_axes)):
                a.add_patch(suppressed_patch((x0, y - 0.31), x1 - x0, 0.62, zorder=3.5))
            suppressed_label(ax, (right - left) / 2, y, hidden_row_text)
        ax.set_xlim(-left, right)
        step = next(st for st in (0.1, 0.2, 0.25, 0.5) if (left + right) / st <= 7.01)
        ticks = np.round(np.arange(-np.floor(left / step + 1e-9) * step, right + 1e-9, step), 2)
        ax.set_xticks(ticks, [format_share(abs(tick), lang) for tick in ticks], fontsize=8)
        ax.set_xlabel(w["dist_axis"], fontsize=8)
        for text, ha, dx in ((w["dist_lower"], "right", -1), (w["dist_higher"], "left", 1)):
            ax.text(
                dx * 0.015 * (left + right),
                1.01,
                text,
                transform=ax.get_xaxis_transform(),
                ha=ha,
                va="bottom",
                fontsize=7.5,
                color="#595959",
            )
        ax.spines["left"].set_visible(False)
        labels = []
        for vid, row in rows.iterrows():
            name = wrap(codebook.value_name(vid, lang), 22)
            if not visible[vid]:
                count = f"n < {num(distribution_limit(min_n), lang, 0)}"
            elif municipal and pd.notna(row.get("departments")):
                count = f"{num(row['departments'], lang, 0)} {w['depts_short']}, n = {num(row['n_valid'], lang, 0)}"
            else:
                count = f"n = {num(row['n_valid'], lang, 0)}"
            labels.append(f"{name}\n{count}")
        ax.set_yticks(ys, labels)
        ax.set_ylim(len(rows) - 0.5, -0.5)

        for s, column, head in zip(
            side_axes, ("share_dont_know", "share_not_applicable"), (w["dont_know"], w["not_applicable"])
        ):
            values = side[column][visible].to_numpy()
            s.barh(y_shown, values, height=0.45, color="#7a7a7a", zorder=2)
            for y, share in zip(y_shown, values):
                s.text(
                    share + side_top * 0.05,
                    y,
                    format_share(share, lang),
                    ha="left",
                    va="center",
                    fontsize=7.5,
                    color=DARK,
                )
            s.set_xlim(0, side_top * 1.7)
            s.set_xticks([])
            s.tick_params(axis="y", labelleft=False, length=0)
            s.spines["left"].set_visible(True)
            s.spines["bottom"].set_visible(False)
            s.grid(False)
            s.set_title(wrap(head, 8), fontsize=7.5, fontweight="bold", loc="left", pad=4, linespacing=1.05)
        side_axes[0].set_xlabel(w["dist_all_answers"], fontsize=7.5, loc="left")
        ax.set_ylim(len(rows) - 0.5, -0.5)

        handles = [
            Patch(facecolor=_LEVEL_COLOURS[lv], label=f"{num(lv, lang, 0)} {codebook.level_name(lv, lang)}")
            for lv in range(1, 6)
        ]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=5,
            frameon=False,
            fontsize=8,
            handlelength=1.2,
            columnspacing=1.2,
        )
        if title:
            fig.suptitle(title, x=0.01, ha="left", fontsize=10.5, fontweight="bold")

    return Chart(
        fig,
        _alt_distribution(codebook, rows, shares, side, visible, department, departments, wave, hidden_row_text, lang),
    )


def _alt_distribution(
    codebook, rows, shares, side, visible, department, departments, wave, hidden_row_text, lang
) -> str:
    if department == config.MUNICIPALITY:
        who = t(lang, "kommunen", "the municipality")
    else:
        who = department_title(departments, department, lang)
    text = t(
        lang,
        f"Svarfordelingen på hver indkøbsværdi for {who} i {wave}: andele af svarene på niveau 1–5, "
        f"lave niveauer til venstre og høje til højre for midten.",
        f"How the answers on each procurement value spread over the levels for {who} in {wave}: shares of "
        f"the answers at levels 1–5, low levels left and high levels right of the centre.",
    )
    if visible.any():
        high = (shares["share_4"] + shares["share_5"])[visible]
        low = (shares["share_1"] + shares["share_2"])[visible]
        dk = side["share_dont_know"][visible]

        def at(series, vid):
            return f"{codebook.value_name(vid, lang)} {format_share(series[vid], lang)}"

        top_names = f"{codebook.level_name(4, lang)} {t(lang, 'eller', 'or')} {codebook.level_name(5, lang)}"
        low_names = f"{codebook.level_name(1, lang)} {t(lang, 'eller', 'or')} {codebook.level_name(2, lang)}"
        if len(high) == 1:  # one value shown: its numbers, no ranking
            vid = high.index[0]
            if lang == "da":
                text += (
                    f" Andel på {top_names}: {at(high, vid)}. Andel på {low_names}: {at(low, vid)}."
                    f" »Ved ikke« (af alle svar): {at(dk, vid)}."
                )
            else:
                text += (
                    f" Share at {top_names}: {at(high, vid)}. Share at {low_names}: {at(low, vid)}."
                    f' "Don\'t know" (of all answers): {at(dk, vid)}.'
                )
        elif lang == "da":
            text += (
                f" Andel på {top_names}: højest {at(high, high.idxmax())}, lavest {at(high, high.idxmin())}."
                f" Andel på {low_names}: højest {at(low, low.idxmax())}."
                f" »Ved ikke« (af alle svar): højest {at(dk, dk.idxmax())}."
            )
        else:
            text += (
                f" Share at {top_names}: highest {at(high, high.idxmax())}, lowest {at(high, high.idxmin())}."
                f" Share at {low_names}: highest {at(low, low.idxmax())}."
                f' "Don\'t know" (of all answers): highest {at(dk, dk.idxmax())}.'
            )
    hidden = [codebook.value_name(vid, lang) for vid in rows.index if not visible[vid]]
    if hidden:
        text += f" {hidden_row_text}: {join_names(hidden, lang)}."
    return text
