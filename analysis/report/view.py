"""Sections as data: the view-models every document is made of, rendered by templates.

The code that knows the statistics (:mod:`analysis.report.briefing`, :mod:`~analysis.report.case`,
:mod:`~analysis.report.appendix`, the profiles) builds each section as a :class:`Section`: a list
of small frozen blocks holding numbers already turned into words (:class:`Heading`,
:class:`Paragraph`, :class:`Items`, :class:`Table`, :class:`Figure`, :class:`DocumentHeader`,
:class:`Contents`). Nothing here computes or words anything.

A section becomes

* HTML through the Jinja template ``templates/sections/section.html.j2`` (autoescaped: no HTML
  is ever concatenated in Python), which is how Jupyter displays it and what the HTML and PDF
  documents are made of;
* Word through :mod:`analysis.report.word`, from the same data: in the executed notebook each
  section's output carries it as JSON (:data:`MIME`, :meth:`Section.to_json`), and the output's
  metadata says which document it belongs to (:data:`DOCUMENTS`), so the renderer splits one
  executed notebook into the memo (``briefing.*``) and its appendices (``bilag.*``).
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar

from .texts import Block, Run

__all__ = [
    "DOCUMENTS",
    "MIME",
    "Cell",
    "Contents",
    "DocumentHeader",
    "Figure",
    "Heading",
    "Items",
    "Paragraph",
    "Section",
    "Table",
    "blocks_from_json",
    "render_blocks",
    "runs",
]

#: The JSON form of a section in a notebook output (read back by :func:`blocks_from_json`).
MIME = "application/vnd.kk-briefing.section+json"
#: Output metadata key saying which document a section belongs to.
META = "kk-briefing"
#: The documents one executed notebook can be split into, by the file stem they are written to.
DOCUMENTS = ("briefing", "bilag", "profile")

Inline = str | Run


def runs(*parts: Inline | Iterable[Inline] | None) -> tuple[Run, ...]:
    """Return text and runs as a tuple of runs; plain strings become unmarked runs, None is skipped.

    Examples
    --------
    >>> runs("Score ", Run("3,2", bold=True))
    (Run(text='Score ', bold=False, italic=False, href=None), Run(text='3,2', bold=True, italic=False, href=None))
    """
    out: list[Run] = []
    for part in parts:
        if part is None or part == "":
            continue
        if isinstance(part, Run):
            out.append(part)
        elif isinstance(part, str):
            out.append(Run(part))
        else:
            out.extend(runs(*part))
    return tuple(out)


@dataclass(frozen=True)
class Heading:
    """A heading; ``level`` 1 is the document title, 2 a section, 3 and 4 subsections.

    ``anchor`` is the ``id`` other documents link to (e.g. ``bilag-2``); ``toc`` puts it in the
    table of contents.
    """

    text: str
    level: int = 2
    anchor: str = ""
    toc: bool = True
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs with a style: ``""``, ``lead``, ``note``, ``analyst``, ``warning``, ``source``."""

    runs: tuple[Run, ...]
    style: str = ""
    kind: ClassVar[str] = "paragraph"

    @classmethod
    def of(cls, *parts: Inline | Iterable[Inline] | None, style: str = "") -> Paragraph:
        """Return a paragraph of ``parts`` (strings and runs)."""
        return cls(runs(*parts), style)

    @property
    def text(self) -> str:
        """Return the paragraph's plain text."""
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Items:
    """A bullet list (or a numbered one), each item a tuple of runs."""

    items: tuple[tuple[Run, ...], ...]
    numbered: bool = False
    style: str = ""
    kind: ClassVar[str] = "items"


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, an optional bold first line (``strong``), a link and a style.

    ``style`` is a space-separated list of ``num`` (right-aligned number), ``hidden`` (suppressed
    for anonymity), ``flag``, ``ci`` and ``head`` (a row heading).
    """

    text: str = ""
    style: str = ""
    strong: str = ""
    href: str = ""
    #: Columns the cell covers (the words of a hidden value stand in for its score, interval and n).
    span: int = 1

    @property
    def num(self) -> bool:
        return "num" in self.style.split()


@dataclass(frozen=True)
class Table:
    """A real table: a header row and rows of cells, with a style and an optional caption and note.

    ``style`` names the table's kind for the stylesheet (``scores``, ``changes``, ``cases`` ...);
    ``keep`` keeps the whole table on one page where it fits.
    """

    columns: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    style: str = ""
    caption: str = ""
    keep: bool = False
    kind: ClassVar[str] = "table"


@dataclass(frozen=True)
class Figure:
    """A numbered figure: a PNG picture with its alt text (what it shows, with the key numbers) and caption."""

    number: int
    label: str  # "Figur" / "Figure"
    caption: str
    alt: str
    png: bytes = field(repr=False)
    width_px: int = 0
    height_px: int = 0
    width_cm: float = 0.0
    kind: ClassVar[str] = "figure"

    @property
    def data_url(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(frozen=True)
class DocumentHeader:
    """A document's title block: organisation, kind of document, title, a line under it, and a warning."""

    org: str
    doc_kind: str
    title: str
    meta: str
    warning_title: str = ""
    warning: str = ""
    kind: ClassVar[str] = "header"


@dataclass(frozen=True)
class Contents:
    """A table of contents: ``entries`` of (anchor, text, level); hidden in print (the PDF has bookmarks)."""

    title: str
    entries: tuple[tuple[str, str, int], ...]
    #: Also a table of contents in Word (a TOC field); the short memo has one only in HTML.
    word: bool = True
    kind: ClassVar[str] = "contents"


BLOCKS: dict[str, type] = {
    cls.kind: cls for cls in (Heading, Paragraph, Items, Table, Figure, DocumentHeader, Contents)
}
AnyBlock = Heading | Paragraph | Items | Table | Figure | DocumentHeader | Contents


def from_text_blocks(blocks: Iterable[Block], style: str = "analyst") -> list[AnyBlock]:
    """Return the analyst's Markdown blocks (:mod:`analysis.report.texts`) as view blocks."""
    out: list[AnyBlock] = []
    for b in blocks:
        if b.kind == "paragraph":
            out.append(Paragraph(b.runs, style))
        else:
            out.append(Items(b.items, numbered=b.kind == "numbers", style=style))
    return out


@dataclass
class Section:
    """One section of a document: its blocks, which document it belongs to, and its key.

    In Jupyter it displays as HTML; ``str(section)`` is that HTML. ``page_break`` starts the
    section on a new page in the PDF (each Bilag does).
    """

    key: str
    blocks: list[AnyBlock] = field(default_factory=list)
    document: str = "briefing"
    page_break: bool = False

    def __post_init__(self) -> None:
        if self.document not in DOCUMENTS:
            raise ValueError(f"unknown document {self.document!r}; expected one of {DOCUMENTS}")

    def __bool__(self) -> bool:
        return bool(self.blocks)

    def html(self) -> str:
        """Return the section as HTML (the template ``sections/section.html.j2``)."""
        if not self.blocks:
            return ""
        return _template("section.html.j2").render(section=self).strip()

    __str__ = html

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_mimebundle_(self, include=None, exclude=None):
        """Show the section as HTML, carrying its data (for Word) and its document in the metadata."""
        if not self.blocks:
            return {}, {}
        return (
            {"text/html": self.html(), MIME: self.to_json()},
            {META: {"document": self.document, "section": self.key}},
        )

    def text(self) -> str:
        """Return the section's words as plain text (headings, paragraphs, list items, table cells, captions)."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, (Heading, Contents)):
                out.append(b.text if isinstance(b, Heading) else b.title)
            elif isinstance(b, Paragraph):
                out.append(b.text)
            elif isinstance(b, Items):
                out.extend("".join(r.text for r in item) for item in b.items)
            elif isinstance(b, Table):
                for row in (b.columns, *b.rows):
                    out.append(" ".join(" ".join(filter(None, (c.strong, c.text))) for c in row))
            elif isinstance(b, Figure):
                out.append(f"{b.label} {b.number}. {b.caption}")
            elif isinstance(b, DocumentHeader):
                out.extend([b.org, b.doc_kind, b.title, b.meta, b.warning_title, b.warning])
        return "\n".join(x for x in out if x)

    def to_json(self) -> dict[str, Any]:
        """Return the section as JSON-ready data (figures as base64 PNG)."""
        return {
            "key": self.key,
            "document": self.document,
            "page_break": self.page_break,
            "blocks": [_block_json(b) for b in self.blocks],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> Section:
        """Return a section from :meth:`to_json`'s data (or its JSON text)."""
        if isinstance(data, str):
            data = json.loads(data)
        return cls(
            key=str(data.get("key", "")),
            blocks=blocks_from_json(data.get("blocks", [])),
            document=str(data.get("document", "briefing")),
            page_break=bool(data.get("page_break", False)),
        )


def _block_json(block: AnyBlock) -> dict[str, Any]:
    out: dict[str, Any] = {"type": block.kind}
    for f in fields(block):
        value = getattr(block, f.name)
        if f.name == "png":
            value = base64.b64encode(value).decode("ascii")
        elif f.name == "runs":
            value = [_run_json(r) for r in value]
        elif f.name == "items":
            value = [[_run_json(r) for r in item] for item in value]
        elif f.name in ("columns",):
            value = [_cell_json(c) for c in value]
        elif f.name == "rows":
            value = [[_cell_json(c) for c in row] for row in value]
        elif f.name == "entries":
            value = [list(e) for e in value]
        out[f.name] = value
    return out


def _run_json(r: Run) -> dict[str, Any]:
    return {"text": r.text, "bold": r.bold, "italic": r.italic, "href": r.href}


def _cell_json(c: Cell) -> dict[str, Any]:
    return {"text": c.text, "style": c.style, "strong": c.strong, "href": c.href, "span": c.span}


def blocks_from_json(items: list[dict[str, Any]]) -> list[AnyBlock]:
    """Return blocks from their JSON data (the inverse of :meth:`Section.to_json`'s ``blocks``)."""
    out: list[AnyBlock] = []
    for data in items:
        cls = BLOCKS.get(data.get("type", ""))
        if cls is None:
            continue
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name == "png":
                value = base64.b64decode(value)
            elif f.name == "runs":
                value = tuple(Run(**r) for r in value)
            elif f.name == "items":
                value = tuple(tuple(Run(**r) for r in item) for item in value)
            elif f.name == "columns":
                value = tuple(Cell(**c) for c in value)
            elif f.name == "rows":
                value = tuple(tuple(Cell(**c) for c in row) for row in value)
            elif f.name == "entries":
                value = tuple((str(a), str(t), int(lv)) for a, t, lv in value)
            kwargs[f.name] = value
        out.append(cls(**kwargs))
    return out


def render_blocks(blocks: Iterable[AnyBlock]) -> str:
    """Return blocks as HTML without a section around them."""
    return _template("section.html.j2").render(section=Section("", list(blocks))).strip()


@functools.cache
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates" / "sections"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template(name: str):
    return _environment().get_template(name)
