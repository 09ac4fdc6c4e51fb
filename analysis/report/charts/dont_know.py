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
    NO_CELL,
    Chart,
    alt_hidden_cells,
    alt_merged,
    check_wave,
    count_label,
    draw_grid,
    draw_grid_key,
    grid_cells,
    grid_figure,
    grid_rows,
    hidden_cell_text,
    join_names,
    lowest_highest,
    pooled_only,
    suppressed_legend_handle,
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
        bold, with a solid outline when the share's interval lies wholly above 30 %
        (``flag_clear``) and a dashed one when it reaches below (the alt text then does not call
        it "over 30 %" without saying so). The merged group *Øvrige forvaltninger* has a row per
        membership. A cell is hidden, hatched and without a number, when either its don't-know
        share or its score is suppressed, exactly as in :func:`plot_department_heatmap`.
    """
    w = word_table(lang)
    wave = check_wave(scores, wave)
    value_ids = codebook.value_ids
    rows = grid_rows(scores, departments, value_ids, wave)
    scored = grid_cells(scores, departments, value_ids, wave, rows)
    dk = scores.dont_know[scores.dont_know["wave"] == wave]
    if "members" not in dk.columns:
        dk = dk.assign(members="")
    dk = dk.assign(members=dk["members"].fillna("").astype(str)).set_index(["department", "value", "members"])
    # Per cell: NO_CELL (a merged group's row on a value whose pool has other members), the
    # score's cell when hidden (its text says why), or (share, n, flagged, clearly over).
    cells = {}
    for row in rows:
        for vid in value_ids:
            cell = scored[(row, vid)]
            if cell is None:
                cells[(row, vid)] = NO_CELL
                continue
            key = (row.code, vid, row.members)
            share = dk.loc[key] if key in dk.index else None
            # A share is shown only where the score is (method.md step 7).
            hidden = (
                share is None
                or bool(share["suppressed"])
                or pd.isna(share["dont_know_share"])
                or bool(cell["suppressed"])
                or pd.isna(cell["score"])
            )
            if hidden:
                cells[(row, vid)] = cell
                continue
            clear = share["flag_clear"] if "flag_clear" in share.index else False
            cells[(row, vid)] = (
                float(share["dont_know_share"]),
                share["n"],
                bool(share["dont_know_share"] > config.DONT_KNOW_FLAG),
                bool(clear) if pd.notna(clear) else False,
            )
    shares = [c[0] for c in cells.values() if isinstance(c, tuple)]
    top = max(0.5, float(np.ceil(max(shares, default=0) * 10) / 10))
    cmap = matplotlib.colormaps["Purples"]
    norm = Normalize(vmin=0, vmax=top)
    threshold = config.DONT_KNOW_FLAG
    matrix = np.array(
        [[cells[(c, v)][0] if isinstance(cells[(c, v)], tuple) else np.nan for v in value_ids] for c in rows]
    )

    def cell_text(r, c):
        cell = cells[(rows[r], value_ids[c])]
        if cell is NO_CELL:
            return NO_CELL
        if not isinstance(cell, tuple):
            return hidden_cell_text(cell, scores.min_n, lang)
        share, n, flagged, _ = cell
        return (
            f"{_share(share, lang, threshold)}\n({count_label(n, scores.min_n, lang)})",
            {"fontsize": 8 if flagged else 7.5, "linespacing": 1.2, "fontweight": "bold" if flagged else "normal"},
        )

    with matplotlib.style.context(config.STYLE_PATH):
        fig, ax, cax, lax = grid_figure(ax, len(rows), 0.40)
        image = draw_grid(
            ax,
            matrix,
            [row.label(lang) for row in rows],
            [wrap(codebook.value(v).short(lang), 14) for v in value_ids],
            cell_text,
            cmap=cmap,
            norm=norm,
            min_n=scores.min_n,
            lang=lang,
        )
        unclear = False
        for r, code in enumerate(rows):
            for c, vid in enumerate(value_ids):
                cell = cells[(code, vid)]
                if isinstance(cell, tuple) and cell[2]:
                    # Over the flag: outlined, solid when the share's interval lies wholly
                    # above it, dashed when it reaches below (method.md step 7).
                    unclear = unclear or not cell[3]
                    ax.add_patch(
                        Rectangle(
                            (c - 0.44, r - 0.40),
                            0.88,
                            0.80,
                            facecolor="none",
                            edgecolor=DARK,
                            linewidth=2.2,
                            linestyle="-" if cell[3] else (0, (3, 2)),
                            zorder=4,
                        )
                    )
        ticks = np.round(np.arange(0, top + 0.001, 0.1), 2)
        handles = [
            Patch(
                facecolor="white",
                edgecolor=DARK,
                linewidth=2.0,
                label=w["flag_legend"].format(share=threshold_text(threshold, lang)),
            )
        ]
        if unclear:
            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor=DARK,
                    linewidth=2.0,
                    linestyle=(0, (3, 2)),
                    label=w["flag_unclear_legend"].format(share=threshold_text(threshold, lang)),
                )
            )
        pooled = any(
            isinstance(cell, pd.Series) and not row.merged and pooled_only(cell, scores.min_n)
            for (row, _), cell in cells.items()
        )
        handles.append(suppressed_legend_handle(scores.min_n, lang, pooled))
        draw_grid_key(fig, image, cax, lax, ticks, [format_share(tick, lang) for tick in ticks], handles)
        cax.axvline(threshold, color=DARK, linewidth=1.6)
        cax.set_xlabel(w["dont_know_axis"], fontsize=7.5, labelpad=2)

    return Chart(fig, _alt_dont_know(scores, codebook, departments, cells, rows, wave, lang))


def _alt_dont_know(scores, codebook, departments, cells, rows, wave, lang) -> str:
    threshold = config.DONT_KNOW_FLAG
    limit = threshold_text(threshold, lang)
    text = t(
        lang,
        f"Farvekort over andelen af svaret »Ved ikke« i hver forvaltning på hver indkøbsværdi i {wave}.",
        f'Colour grid of the share of "Don\'t know" answers in each department on each procurement value in {wave}.',
    )

    def say(key):
        row, vid = key
        return (
            f"{row.title(departments, lang)}, {codebook.value_name(vid, lang)} {_share(cells[key][0], lang, threshold)}"
        )

    shown = {key: cell for key, cell in cells.items() if isinstance(cell, tuple)}
    # "Over 30 %" only where the share's interval lies wholly above it (method.md step 7).
    clear = [key for key, cell in shown.items() if cell[2] and cell[3]]
    unclear = [key for key, cell in shown.items() if cell[2] and not cell[3]]
    if clear:
        listed = join_names([say(key) for key in clear], lang)
        text += t(lang, f" Over {limit} (markeret): {listed}.", f" Over {limit} (marked): {listed}.")
    if unclear:
        listed = join_names([say(key) for key in unclear], lang)
        text += t(
            lang,
            f" Andelen er over {limit}, men intervallet når under {limit} (stiplet): {listed}.",
            f" The share is over {limit}, but its interval reaches below {limit} (dashed): {listed}.",
        )
    if shown and not clear and not unclear:
        text += t(lang, f" Ingen celler over {limit}.", f" No cell is over {limit}.")
    if shown:
        high = max(shown, key=lambda key: shown[key][0])
        low = min(shown, key=lambda key: shown[key][0])
        text += lowest_highest(say(low), say(high), lang, highest_first=True)
    text += alt_merged(scores, codebook, wave, lang)
    hidden: dict[str, list[str]] = {}
    pooled: dict[str, list[str]] = {}
    for (row, vid), cell in cells.items():
        if isinstance(cell, tuple) or cell is NO_CELL:
            continue
        if row.merged:
            hidden.setdefault(row.title(departments, lang), []).append(vid)
        else:
            (pooled if pooled_only(cell, scores.min_n) else hidden).setdefault(row.code, []).append(vid)
    return text + alt_hidden_cells(scores, codebook, hidden, lang, pooled)
