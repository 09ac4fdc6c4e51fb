"""Don't know: the share of "Ved ikke" answers per department and value, as a grid."""

from __future__ import annotations

import matplotlib
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.patches import Patch, Rectangle

from ... import config
from ...formatting import format_share
from ...stats.scores import Scores
from ...survey.codebook import Codebook, Departments
from ...words import t, threshold_text
from .base import (
    DARK,
    Chart,
    alt_hidden_cells,
    check_wave,
    department_order,
    department_title,
    draw_grid,
    draw_grid_key,
    grid_figure,
    join_names,
    lowest_highest,
    num,
    suppressed_handle,
    word_table,
    wrap,
)


def _share(x: float, lang: str, threshold: float | None = None) -> str:
    """Return a share as ``31 %`` (``31%`` in English); one decimal where 0 would blur a threshold.

    A share just under the threshold (29.8 %) would print as "30 %" beside cells marked "over
    30 %"; such a share keeps one decimal so that the number and the marking agree.
    """
    if threshold is not None and pd.notna(x) and round(100 * float(x)) == round(100 * threshold):
        return format_share(x, lang, 1)
    return format_share(x, lang)


def plot_dont_know(
    scores: Scores, codebook: Codebook, departments: Departments, wave: int, lang: str = "da", *, ax: Axes | None = None
) -> Chart:
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
        The survey year whose answers are shown.
    lang
        ``"da"`` (default) or ``"en"``.
    ax
        The axes to draw the grid into, as in :func:`~.departments.plot_department_heatmap`; ``None``
        (default) makes the chart's own figure, 16 cm wide.

    Returns
    -------
    Chart
        Cells shaded by the share of don't-know among all answers (light to dark purple) with
        the share and n written in them; a share over 30 % (method.md's flag) is outlined and
        bold. A cell is hidden, hatched and read "Skjult (n < 5)" with no number, when either
        its don't-know count or its score is suppressed, exactly as in
        :func:`plot_department_heatmap`.
    """
    w = word_table(lang)
    wave = check_wave(scores, wave)
    value_ids = codebook.value_ids
    codes = department_order(scores, departments, wave)
    dk = scores.dont_know[scores.dont_know["wave"] == wave].set_index(["department", "value"])
    published = {
        (r.department, r.value)
        for r in scores.department_value[scores.department_value["wave"] == wave].itertuples()
        if not r.suppressed and pd.notna(r.score)
    }
    cells = {}
    for code in codes:
        for vid in value_ids:
            row = dk.loc[(code, vid)] if (code, vid) in dk.index else None
            hidden = (
                row is None
                or bool(row["suppressed"])
                or pd.isna(row["dont_know_share"])
                or (code, vid) not in published
            )
            cells[(code, vid)] = (
                None
                if hidden
                else (
                    float(row["dont_know_share"]),
                    int(row["n"]),
                    bool(row["dont_know_share"] > config.DONT_KNOW_FLAG),
                )
            )
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
        return (
            f"{_share(share, lang, threshold)}\n(n = {num(n, lang, 0)})",
            {"fontsize": 8 if flagged else 7.5, "linespacing": 1.2, "fontweight": "bold" if flagged else "normal"},
        )

    with matplotlib.style.context(config.STYLE_PATH):
        fig, ax, cax, lax = grid_figure(ax, len(codes), 0.40)
        image = draw_grid(
            ax,
            matrix,
            codes,
            [wrap(codebook.value(v).short(lang), 14) for v in value_ids],
            cell_text,
            cmap=cmap,
            norm=norm,
            min_n=scores.min_n,
            lang=lang,
        )
        for r, code in enumerate(codes):
            for c, vid in enumerate(value_ids):
                cell = cells[(code, vid)]
                if cell is not None and cell[2]:  # over the flag: outlined
                    ax.add_patch(
                        Rectangle(
                            (c - 0.44, r - 0.40), 0.88, 0.80, facecolor="none", edgecolor=DARK, linewidth=2.2, zorder=4
                        )
                    )
        ticks = np.round(np.arange(0, top + 0.001, 0.1), 2)
        handles = [
            Patch(
                facecolor="white",
                edgecolor=DARK,
                linewidth=2.0,
                label=w["flag_legend"].format(share=threshold_text(threshold, lang)),
            ),
            suppressed_handle(scores.min_n, lang),
        ]
        draw_grid_key(fig, image, cax, lax, ticks, [format_share(tick, lang) for tick in ticks], handles)
        cax.axvline(threshold, color=DARK, linewidth=1.6)
        cax.set_xlabel(w["dont_know_axis"], fontsize=7.5, labelpad=2)

    return Chart(fig, _alt_dont_know(scores, codebook, departments, cells, codes, wave, lang))


def _alt_dont_know(scores, codebook, departments, cells, codes, wave, lang) -> str:
    threshold = config.DONT_KNOW_FLAG
    limit = threshold_text(threshold, lang)
    text = t(
        lang,
        f"Farvekort over andelen af svaret »Ved ikke« i hver forvaltning på hver indkøbsværdi i {wave}.",
        f'Colour grid of the share of "Don\'t know" answers in each department on each procurement value in {wave}.',
    )

    def say(key):
        code, vid = key
        return (
            f"{department_title(departments, code, lang)}, {codebook.value_name(vid, lang)} "
            f"{_share(cells[key][0], lang, threshold)}"
        )

    shown = {key: cell for key, cell in cells.items() if cell is not None}
    flagged = [key for key, cell in shown.items() if cell[2]]
    if flagged:
        listed = join_names([say(key) for key in flagged], lang)
        text += t(lang, f" Over {limit} (markeret): {listed}.", f" Over {limit} (marked): {listed}.")
    elif shown:
        text += t(lang, f" Ingen celler over {limit}.", f" No cell is over {limit}.")
    if shown:
        high = max(shown, key=lambda key: shown[key][0])
        low = min(shown, key=lambda key: shown[key][0])
        text += lowest_highest(say(low), say(high), lang, highest_first=True)
    hidden = {code: [vid for (c, vid), cell in cells.items() if c == code and cell is None] for code in codes}
    return text + alt_hidden_cells(scores, codebook, hidden, lang)
