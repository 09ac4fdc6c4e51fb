"""Parts every document is built from, as view-model blocks (:mod:`analysis.report.view`).

:func:`document_header` makes a document's title block (with the warning on synthetic data),
:func:`department_value_table` lays out a department x value table, :func:`figure_block` turns a
chart into a numbered figure, and :class:`NumberedFigures` numbers a document's figures in the
order they are shown, one numbering per document (the memo and its Bilag count separately).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import pandas as pd

from ..exceptions import ParameterError
from ..words import t
from .view import Cell, DocumentHeader, Figure, Heading, Paragraph, Table

__all__ = [
    "FigureNumbers",
    "NumberedFigures",
    "department_value_table",
    "document_header",
    "figure_block",
    "heading_and_paragraphs",
]


def document_header(org: str, kind: str, title: str, meta: str, *, is_sample: bool, lang: str) -> DocumentHeader:
    """Return a document's title block, with a warning when the data are the synthetic sample."""
    if not is_sample:
        return DocumentHeader(org, kind, title, meta)
    return DocumentHeader(
        org,
        kind,
        title,
        meta,
        warning_title=t(lang, "Syntetiske data.", "Synthetic data."),
        warning=t(
            lang,
            "Denne udgave er lavet på projektets syntetiske eksempeldata. Tallene viser ikke "
            "virkelige svar og må ikke bruges som grundlag for beslutninger.",
            "This edition was made from the project's synthetic sample data. The numbers are "
            "not real answers and must not be used for decisions.",
        ),
    )


def department_value_table(
    frame: pd.DataFrame,
    cell: Callable[[pd.Series], Cell],
    style: str,
    *,
    value_ids: list[str],
    short_names: dict[str, str],
    hidden: str,
    lang: str,
    label: Callable[[str], str] | None = None,
    keep: bool = False,
) -> Table:
    """Return a table with a row per department and a column per value.

    Parameters
    ----------
    frame
        Rows with ``department, value, suppressed`` and whatever ``cell`` reads.
    cell
        Makes the :class:`~analysis.report.view.Cell` of a shown cell from its row.
    style
        The table's kind for the stylesheet.
    value_ids, short_names
        The columns in order and their headings.
    hidden
        The words of a suppressed (or missing) cell, which says nothing else.
    label
        Makes a row's label from the department code; the code itself by default.
    """
    hidden_cell = Cell(hidden, "num hidden")
    columns = (Cell(t(lang, "Kode", "Code")), *(Cell(short_names[v], "num") for v in value_ids))
    rows = []
    for dept, g in frame.groupby("department", sort=False):
        g = g.set_index("value")
        cells = tuple(cell(g.loc[v]) if v in g.index and not g.loc[v, "suppressed"] else hidden_cell for v in value_ids)
        rows.append((Cell(label(dept) if label else str(dept), "head"), *cells))
    return Table(columns, tuple(rows), style, keep=keep)


def figure_block(chart, *, number: int, caption: str, lang: str = "da") -> Figure:
    """Return a chart as a numbered :class:`~analysis.report.view.Figure`: its PNG, alt text and caption.

    The PNG is made at the style's resolution (150 dpi) and given its physical width (at most
    the text width: the page CSS and the Word writer cap it), so text prints at the style's
    point sizes. The figure's artists are cleared afterwards to free memory.
    """
    from .charts.base import style_dpi, word_table

    if chart.png is None and not chart.figure.axes:
        raise ParameterError("this chart has already been rendered (its figure was cleared); make it again.")
    png = chart.to_png()
    if chart.figure is not None:
        chart.figure.clear()
    width_px, height_px = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return Figure(
        number=int(number),
        label=word_table(lang)["figure"],
        caption=caption,
        alt=chart.alt,
        png=png,
        width_px=width_px,
        height_px=height_px,
        width_cm=round(width_px / style_dpi() * 2.54, 2),
    )


class FigureNumbers:
    """Number a document's figures 1, 2, 3 ... in the order the notebook shows them."""

    def __init__(self, lang: str):
        self.lang = lang
        self.shown = 0

    def figure(self, chart, caption: str) -> Figure:
        """Return the next numbered figure: the chart's image with its caption."""
        self.shown += 1
        return figure_block(chart, number=self.shown, caption=caption, lang=self.lang)


class NumberedFigures:
    """Give a document numbered figures, drawn from its ``charts`` batch in the order shown.

    For a class with ``lang`` and ``charts`` (a :class:`~analysis.report.chartpool.ChartBatch`).
    Each document (``briefing``, ``bilag``, ``profile``) has its own numbering.
    """

    @cached_property
    def _numberings(self) -> dict[str, FigureNumbers]:
        return {}

    def figures(self, document: str = "briefing") -> FigureNumbers:
        """Return a document's figure numbering, in the order the sections show them."""
        return self._numberings.setdefault(document, FigureNumbers(self.lang))

    def figure(self, chart_name: str, caption: str, document: str = "briefing") -> Figure:
        """Return the named chart as the next numbered figure of ``document`` with ``caption``."""
        return self.figures(document).figure(self.charts[chart_name], caption)


def heading_and_paragraphs(title: str, paragraphs: list[str], level: int = 3, anchor: str = "") -> list:
    """Return a heading followed by one paragraph per text."""
    return [Heading(title, level, anchor), *(Paragraph.of(p) for p in paragraphs)]
