"""HTML building blocks shared by the committee briefing and the department profiles.

Both documents are strings of HTML that a notebook displays: :class:`Html` marks a string as
rich output, :func:`escape` makes any text safe inside it, :func:`document_header` makes a
document's title block, :func:`department_value_table` lays out the department x value tables, and :class:`FigureNumbers` numbers a document's figures in
the order they are shown.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cached_property

import pandas as pd

from ..words import t


class Html(str):
    """A piece of HTML that Jupyter displays as rich output (``text/html``)."""

    def _repr_html_(self) -> str:
        return str(self)


def escape(text: object) -> str:
    """Return ``text`` as a string that is safe inside HTML, quotes included.

    Examples
    --------
    >>> escape("A & B <i>")
    'A &amp; B &lt;i&gt;'
    """
    return html.escape(str(text), quote=True)


def document_header(org: str, kind: str, title: str, meta: str, *, is_sample: bool, lang: str) -> Html:
    """Return a document's title block, with a warning when the data are the synthetic sample.

    Parameters
    ----------
    org, kind, title, meta
        The organisation line, the kind of document, its title and the line under the title.
    """
    parts = [
        f'<header class="doc-header"><p class="org">{escape(org)}</p><p class="kind">{escape(kind)}</p>',
        f'<h1 class="doctitle">{escape(title)}</h1><p class="meta">{escape(meta)}</p></header>',
    ]
    if is_sample:
        parts.append(
            '<aside class="synthetic"><strong>{}</strong> {}</aside>'.format(
                escape(t(lang, "Syntetiske data.", "Synthetic data.")),
                escape(
                    t(
                        lang,
                        "Denne udgave er lavet på projektets syntetiske eksempeldata. Tallene viser ikke "
                        "virkelige svar og må ikke bruges som grundlag for beslutninger.",
                        "This edition was made from the project's synthetic sample data. The numbers are "
                        "not real answers and must not be used for decisions.",
                    )
                ),
            )
        )
    return Html("\n".join(parts))


def department_value_table(
    frame: pd.DataFrame,
    cell: Callable[[pd.Series], str],
    css: str,
    *,
    value_ids: list[str],
    short_names: dict[str, str],
    hidden: str,
    lang: str,
    label: Callable[[str], str] | None = None,
) -> str:
    """Return an HTML table with a row per department and a column per value.

    Parameters
    ----------
    frame
        Rows with ``department, value, suppressed`` and whatever ``cell`` reads.
    cell
        Makes the ``<td>`` of a shown cell from its row.
    css
        The table's class.
    value_ids, short_names
        The columns in order and their headings.
    hidden
        The words of a suppressed (or missing) cell, which says nothing else.
    label
        Makes a row's label from the department code; the code itself by default.
    """
    hidden_td = f"<td class='num hidden'>{escape(hidden)}</td>"
    head = "".join(f"<th class='num'>{escape(short_names[v])}</th>" for v in value_ids)
    rows = []
    for dept, g in frame.groupby("department", sort=False):
        g = g.set_index("value")
        tds = "".join(cell(g.loc[v]) if v in g.index and not g.loc[v, "suppressed"] else hidden_td for v in value_ids)
        rows.append(f"<tr><td>{escape(label(dept) if label else dept)}</td>{tds}</tr>")
    return (
        f"<table class='{css}'><thead><tr><th>{escape(t(lang, 'Kode', 'Code'))}</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class FigureNumbers:
    """Number a document's figures 1, 2, 3 ... in the order the notebook shows them.

    Parameters
    ----------
    lang
        The language of the caption's "Figur"/"Figure" label.
    """

    def __init__(self, lang: str):
        self.lang = lang
        self.shown = 0

    def figure(self, chart, caption: str) -> str:
        """Return the next numbered figure: the chart's image with its caption."""
        from .charts import figure_html

        self.shown += 1
        return figure_html(chart, number=self.shown, caption=caption, lang=self.lang)


class NumberedFigures:
    """Give a document numbered figures, drawn from its ``charts`` batch in the order shown.

    For a class with ``lang`` and ``charts`` (a :class:`~analysis.report.chartpool.ChartBatch`).
    """

    @cached_property
    def figures(self) -> FigureNumbers:
        """Return the document's figure numbering, in the order the sections show them."""
        return FigureNumbers(self.lang)

    def figure(self, chart_name: str, caption: str) -> str:
        """Return the named chart as the next numbered figure with ``caption``."""
        return self.figures.figure(self.charts[chart_name], caption)


def heading_and_paragraphs(title: str, paragraphs: list[str], level: int = 3) -> str:
    """Return a heading followed by one ``<p>`` per paragraph, all escaped.

    Examples
    --------
    >>> heading_and_paragraphs("Metode", ["A & B", "C"])
    '<h3>Metode</h3><p>A &amp; B</p><p>C</p>'
    """
    return f"<h{level}>{escape(title)}</h{level}>" + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
