"""Word documents (.docx) from the section view-models of :mod:`analysis.report.view`.

In: a list of :class:`~analysis.report.view.Section` (the same data the HTML template renders),
a title and a language. Out: one ``.docx`` file, written all-or-nothing, that a case officer can
open, edit and file in Word:

* headings in Word's own "Heading 1".."Heading 4" styles (the navigation pane and a table of
  contents work), the document title in "Title";
* paragraphs with bold, italics and real hyperlinks; links to the HTML documents
  (``bilag.html#bilag-2``) point to the Word ones (``bilag.docx``, see ``links``), links within the
  document to a bookmark on the heading;
* tables as Word tables, with a header row that repeats on every page and rows that never split;
* figures as pictures with their alt text, under them a caption with a ``SEQ`` field ("Figur 1.");
* "Side X af Y" in the footer, the title in the header, A4 portrait, Danish (or English) as the
  language of the text and of the document properties.

A :class:`~analysis.report.view.Contents` block becomes a real table of contents (a ``TOC``
field), filled in advance with the section titles as links, so the document reads right without
any updating; Word adds the page numbers when the field is updated (F9).

The look lives in the styles, so the municipality can bring its own: ``reference`` is a ``.docx``
whose styles, page setup, header and footer are used instead of the built-in ones (its text is
dropped). Styles the template lacks are added with the built-in look.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun
from lxml import etree

from ..config import check_lang
from ..exceptions import ParameterError
from ..tables.atomic import atomic_write
from ..words import t
from .texts import Run
from .view import Cell, Contents, DocumentHeader, Figure, Heading, Items, Paragraph, Section, Table

__all__ = ["DEFAULT_AUTHOR", "LinkTarget", "bookmark_name", "link_target", "write_docx"]

DEFAULT_AUTHOR = "Københavns Kommune, Økonomiforvaltningen"
#: The language of the text and of the document, for spell checking and the properties.
LANGUAGE_TAGS = {"da": "da-DK", "en": "en-GB"}

# The house look, as the HTML stylesheet has it (templates/briefing/briefing.css).
FONT = "Arial"
MUTED = RGBColor(0x59, 0x59, 0x59)
ACCENT = RGBColor(0x1F, 0x3B, 0x57)
WARNING_RULE = "B35900"
WARNING_FILL = "FFF5E6"

#: Our own paragraph styles, by the view-model's paragraph style. A template may define them.
PARAGRAPH_STYLES = {
    "lead": "Briefing Lead",
    "note": "Briefing Note",
    "source": "Briefing Source",
    "warning": "Briefing Warning",
    "analyst": "Normal",
    "": "Normal",
}
META_STYLE = "Briefing Meta"
KIND_STYLE = "Briefing Document Kind"
CELL_STYLE = "Briefing Table Text"
#: Table styles in order of preference; the first the document has is used.
TABLE_STYLES = ("Light List Accent 1", "Table Grid")

# Word's limits on bookmark names: letters, digits and underscores, at most 40 characters.
_BOOKMARK_MAX = 40
# Characters XML 1.0 cannot hold (lxml refuses them): C0 controls other than tab, newline and
# carriage return, lone surrogates and the two non-characters.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_EXTERNAL = ("http://", "https://", "mailto:")


# -- links ---------------------------------------------------------------------------------------
def bookmark_name(anchor: str) -> str:
    """Return ``anchor`` (an HTML id) as a Word bookmark name: letters, digits, ``_``, ≤ 40 characters.

    Examples
    --------
    >>> bookmark_name("bilag-2"), bookmark_name("2-metode")
    ('bilag_2', 'b_2_metode')
    """
    name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    if not name[:1].isalpha():
        name = "b_" + name
    return name[:_BOOKMARK_MAX]


@dataclass(frozen=True)
class LinkTarget:
    """Where a link goes in Word: an external address (``url``) or a bookmark in the document (``anchor``)."""

    url: str = ""
    anchor: str = ""


def link_target(href: str | None, links: Mapping[str, str] | None = None, *, this: str = "") -> LinkTarget | None:
    """Return where ``href`` points in a Word document, or None when it should stay plain text.

    Web and mail addresses are kept. ``#anchor`` is a bookmark in this document. A relative link to
    an HTML document goes to its Word twin: ``links`` maps a prefix (``"bilag.html"``) to the file
    name to use (``"bilag.en.docx"``), else ``x.html`` becomes ``x.docx``; the fragment is dropped,
    as Word cannot link into another document's bookmark, unless the target is ``this`` document.
    Other schemes (``javascript:``, ``data:``, ``file:``) give None.

    Examples
    --------
    >>> link_target("bilag.html#bilag-2")
    LinkTarget(url='bilag.docx', anchor='')
    >>> link_target("bilag.html#bilag-2", {"bilag.html": "bilag.en.docx"})
    LinkTarget(url='bilag.en.docx', anchor='')
    >>> link_target("#bilag-2"), link_target("javascript:alert(1)")
    (LinkTarget(url='', anchor='bilag_2'), None)
    >>> link_target("briefing.html#okonomi", this="briefing.docx")
    LinkTarget(url='', anchor='okonomi')
    """
    href = (href or "").strip()
    if not href:
        return None
    if href.startswith("#"):
        return LinkTarget(anchor=bookmark_name(href[1:])) if len(href) > 1 else None
    if href.lower().startswith(_EXTERNAL):
        return LinkTarget(url=href)
    if _SCHEME.match(href) or href.startswith("//"):
        return None
    path, _, fragment = href.partition("#")
    path = path.partition("?")[0]
    target = ""
    for prefix in sorted(links or {}, key=len, reverse=True):
        if path == prefix or href.startswith(prefix):
            target = (links or {})[prefix]
            break
    if not target:
        stem, dot, suffix = path.rpartition(".")
        target = f"{stem}.docx" if dot and suffix.lower() in ("html", "htm") else path
    if not target:
        return None
    if this and PurePosixPath(target).name == this and not PurePosixPath(target).parent.parts:
        return LinkTarget(anchor=bookmark_name(fragment)) if fragment else None
    return LinkTarget(url=target)


# -- the document ----------------------------------------------------------------------------------
def write_docx(
    sections: Iterable[Section],
    path: str | Path,
    *,
    title: str,
    lang: str = "da",
    subject: str = "",
    keywords: str = "",
    author: str = DEFAULT_AUTHOR,
    reference: str | Path | None = None,
    links: Mapping[str, str] | None = None,
) -> Path:
    """Write ``sections`` as one Word document at ``path`` and return ``path``.

    Parameters
    ----------
    sections
        The document's sections, in order (empty ones are skipped).
    path
        The ``.docx`` file to write; it is written only once the whole document is built.
    title
        The document's title: its properties and the running header.
    lang
        "da" or "en": the words of the footer, the language for spell checking and in the properties.
    subject, keywords, author
        The document properties.
    reference
        A ``.docx`` to take the styles, page setup, header and footer from (its text is dropped);
        None for the built-in look. A missing or unreadable file raises ParameterError.
    links
        Link prefixes to file names, e.g. ``{"bilag.html": "bilag.en.docx"}``: where a link to
        an HTML document goes in Word (default: the same name with ``.docx``).
    """
    check_lang(lang)
    out = Path(path)
    doc = _open_reference(reference) if reference is not None else _default_document()
    writer = _Writer(doc, lang=lang, links=links or {}, this=out.name, house=reference is None)
    writer.prepare(title)
    for section in sections:
        writer.section(section)
    _set_properties(doc, title=title, lang=lang, subject=subject, keywords=keywords, author=author)
    _drop_styles_with_effects(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return atomic_write(out, buffer.getvalue())


def _a4(section) -> None:
    """Set A4 portrait with 2.5 cm margins."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    section.header_distance = section.footer_distance = Cm(1.25)


def _default_document() -> DocxDocument:
    doc = Document()
    for section in doc.sections:
        _a4(section)
    settings = doc.settings.element
    # python-docx's template is marked as proofread and as Word 2010: let Word check the spelling,
    # and open it without "compatibility mode".
    for proof in settings.findall(qn("w:proofState")):
        settings.remove(proof)
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    return doc


def _open_reference(reference: str | Path) -> DocxDocument:
    """Return the template as a document without its text, or raise ParameterError saying what to do."""
    p = Path(reference)
    if not p.is_file():
        found = "a folder" if p.is_dir() else "no such file"
        raise ParameterError(
            f"Word template {p}: {found}; give the path of a .docx file, or leave the option out to use the built-in styles."
        )
    if p.suffix.lower() != ".docx":
        raise ParameterError(
            f"Word template {p}: expected a Word document ending in .docx, found {p.suffix or 'no extension'}; "
            "open it in Word and save it as a Word document (.docx)."
        )
    try:
        doc = Document(str(p))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise ParameterError(
            f"Word template {p}: cannot be read as a Word document ({exc}); open it in Word and save it again as .docx."
        ) from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if body.sectPr is None:  # a template without page setup gets A4
        body.get_or_add_sectPr()
        _a4(doc.sections[-1])
    return doc


def _set_properties(doc: DocxDocument, *, title: str, lang: str, subject: str, keywords: str, author: str) -> None:
    props = doc.core_properties
    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0, tzinfo=None)
    props.title = _clean(title)
    props.author = _clean(author)
    props.last_modified_by = _clean(author)
    props.subject = _clean(subject)
    props.keywords = _clean(keywords)
    props.language = LANGUAGE_TAGS[lang]
    props.created = props.modified = now
    props.revision = 1
    # Nothing of a template's own properties stays behind.
    props.comments = props.category = props.content_status = props.identifier = props.version = ""


def _drop_styles_with_effects(doc: DocxDocument) -> None:
    """Drop the Word 2010 copy of the styles (``stylesWithEffects.xml``) that python-docx's template has.

    It no longer matches the styles once they are changed, and Word since 2013 neither needs it nor
    writes it.
    """
    part = doc.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.drop_rel(rel_id)


def _clean(text: str | None) -> str:
    """Return ``text`` without the characters XML cannot hold."""
    return _XML_INVALID.sub("", text or "")


# -- styles ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Look:
    """How one style looks in the built-in template (None: as it was)."""

    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    color: RGBColor | None = None
    before: float | None = None
    after: float | None = None
    keep_next: bool | None = None
    indent_cm: float | None = None
    outline: int | None = None
    underline: bool | None = None


_HEADING_LOOKS = {
    1: _Look(size=16, bold=True, color=ACCENT, before=18, after=6, keep_next=True, outline=0),
    2: _Look(size=14, bold=True, color=ACCENT, before=16, after=5, keep_next=True, outline=1),
    3: _Look(size=12, bold=True, color=ACCENT, before=12, after=4, keep_next=True, outline=2),
    4: _Look(size=10.5, bold=True, color=ACCENT, before=10, after=3, keep_next=True, outline=3),
}
_PARAGRAPH_LOOKS = {
    "Normal": _Look(size=10.5, before=0, after=6),
    "Title": _Look(size=20, bold=True, color=ACCENT, before=0, after=10),
    "Caption": _Look(size=9, bold=False, color=MUTED, before=3, after=10),
    "Header": _Look(size=8, color=MUTED),
    "Footer": _Look(size=8, color=MUTED),
    "TOC Heading": _Look(size=14, bold=True, color=ACCENT, before=16, after=5, keep_next=True),
    # Sections are level 2 (level 1 is the document's title), so TOC 2 is the outermost entry.
    "TOC 1": _Look(after=2),
    "TOC 2": _Look(after=2),
    "TOC 3": _Look(after=2, indent_cm=0.5),
    "List Bullet": _Look(indent_cm=0.63),
    "List Number": _Look(indent_cm=0.63),
    PARAGRAPH_STYLES["lead"]: _Look(size=11.5),
    PARAGRAPH_STYLES["note"]: _Look(size=8.5, color=MUTED),
    PARAGRAPH_STYLES["source"]: _Look(size=8.5, color=MUTED),
    PARAGRAPH_STYLES["warning"]: _Look(before=4, after=12),
    META_STYLE: _Look(size=9, color=MUTED, after=2),
    KIND_STYLE: _Look(size=10.5, bold=True, after=8),
    CELL_STYLE: _Look(size=9.5, before=1, after=1),
    **{f"Heading {level}": look for level, look in _HEADING_LOOKS.items()},
}


def _apply_look(style, look: _Look) -> None:
    font = style.font
    if look.size is not None:
        font.size = Pt(look.size)
    if look.bold is not None:
        font.bold = look.bold
    if look.italic is not None:
        font.italic = look.italic
    if look.color is not None:
        font.color.rgb = look.color
    if look.underline is not None:
        font.underline = look.underline
    if style.type == WD_STYLE_TYPE.CHARACTER:
        return
    fmt = style.paragraph_format
    if look.before is not None:
        fmt.space_before = Pt(look.before)
    if look.after is not None:
        fmt.space_after = Pt(look.after)
    if look.keep_next is not None:
        fmt.keep_with_next = look.keep_next
    if look.indent_cm is not None:
        fmt.left_indent = Cm(look.indent_cm)
    if look.outline is not None:
        pPr = style.element.get_or_add_pPr()
        for old in pPr.findall(qn("w:outlineLvl")):
            pPr.remove(old)
        _append_in_order(pPr, _el("w:outlineLvl", val=str(look.outline)))


def _strip_theme(style) -> None:
    """Remove a built-in style's theme fonts, colours and borders, so the house look applies."""
    rPr = style.element.rPr
    if rPr is not None:
        for tag in ("w:rFonts", "w:color", "w:spacing", "w:kern"):
            for el in rPr.findall(qn(tag)):
                rPr.remove(el)
    pPr = style.element.pPr
    if pPr is not None:
        for el in pPr.findall(qn("w:pBdr")):
            pPr.remove(el)


def _set_fonts(rPr, *, east_asia_theme: bool) -> None:
    """Set Arial for Latin and complex scripts; East Asian text keeps the theme's font (a fallback)."""
    for old in rPr.findall(qn("w:rFonts")):
        rPr.remove(old)
    fonts = _el("w:rFonts", ascii=FONT, hAnsi=FONT, cs=FONT)
    if east_asia_theme:
        fonts.set(qn("w:eastAsiaTheme"), "minorEastAsia")
    rPr.insert(0, fonts)


def _el(tag: str, **attrs: str):
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


# The order of a paragraph's properties in the schema (Word refuses a file with them out of order).
_PPR_ORDER = [
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
]  # fmt: skip
_PPR_RANK = {qn(tag): k for k, tag in enumerate(_PPR_ORDER)}


def _append_in_order(pPr, el) -> None:
    """Insert ``el`` into paragraph properties at its place in the schema's order."""
    rank = _PPR_RANK[el.tag]
    for k, child in enumerate(pPr):
        if _PPR_RANK.get(child.tag, -1) > rank:
            pPr.insert(k, el)
            return
    pPr.append(el)


def _border(side: str, size_eighths: int, color: str, space: int = 4):
    return _el(f"w:{side}", val="single", sz=str(size_eighths), space=str(space), color=color)


class _Writer:
    """Builds the body of one document, block by block."""

    def __init__(self, doc: DocxDocument, *, lang: str, links: Mapping[str, str], this: str, house: bool):
        self.doc = doc
        self.lang = lang
        self.links = links
        self.this = this
        self.house = house
        self.bookmarks: set[str] = set()
        self.bookmark_id = 0
        self.last_figure: dict[str, int] = {}
        self.style_cache: dict = {}
        self.added: set[str] = set()

    # -- set-up ----------------------------------------------------------------------------------
    def prepare(self, title: str) -> None:
        self._styles()
        self._header_footer(title)

    def _styles(self) -> None:
        styles = self.doc.styles
        docdefaults = styles.element.find(qn("w:docDefaults"))
        if docdefaults is None:
            docdefaults = _el("w:docDefaults")
            styles.element.insert(0, docdefaults)
        rpr_default = docdefaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = _el("w:rPrDefault")
            docdefaults.insert(0, rpr_default)
        rPr = rpr_default.find(qn("w:rPr"))
        if rPr is None:
            rPr = _el("w:rPr")
            rpr_default.append(rPr)
        lang = rPr.find(qn("w:lang"))
        if lang is None:
            lang = _el("w:lang")
            rPr.append(lang)
        lang.set(qn("w:val"), LANGUAGE_TAGS[self.lang])
        theme_lang = self.doc.settings.element.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:val"), LANGUAGE_TAGS[self.lang])
        for setting, da, en in (("w:decimalSymbol", ",", "."), ("w:listSeparator", ";", ",")):
            el = self.doc.settings.element.find(qn(setting))
            if el is not None:
                el.set(qn("w:val"), t(self.lang, da, en))
        if self.house:
            _set_fonts(rPr, east_asia_theme=True)
            _set_fonts(self._paragraph_style("Normal").element.get_or_add_rPr(), east_asia_theme=False)
            for name, look in _PARAGRAPH_LOOKS.items():
                style = self._paragraph_style(name)
                if name.startswith(("Heading", "Title", "Caption", "TOC Heading")):
                    _strip_theme(style)
                _apply_look(style, look)
            title_pPr = self._paragraph_style("Title").element.get_or_add_pPr()
            bdr = _el("w:pBdr")
            bdr.append(_border("bottom", 12, str(ACCENT), space=4))
            _append_in_order(title_pPr, bdr)
        else:
            for name in _PARAGRAPH_LOOKS:
                self._paragraph_style(name)
        warning = self._paragraph_style(PARAGRAPH_STYLES["warning"])
        if self.house or PARAGRAPH_STYLES["warning"] in self.added:
            self._warning_look(warning)
        hyperlink = self._style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        if self.house:
            _apply_look(hyperlink, _Look(color=ACCENT, underline=True))
        self.hyperlink_id = hyperlink.style_id
        found = (self._find(name, WD_STYLE_TYPE.TABLE) for name in TABLE_STYLES)
        self.table_style = next((style for style in found if style is not None), None) or self._grid_style()
        self.bullets = self._has_numbering("List Bullet")
        self.numbers = self._has_numbering("List Number")

    def _find(self, name: str, kind):
        """Return the document's style called ``name`` (in any case, as Word matches them), or None."""
        wanted = name.casefold()
        for style in self.doc.styles:
            if style.type == kind and (style.name or "").casefold() == wanted:
                return style
        return None

    def _style(self, name: str, kind):
        """Return the style ``name``, added with the built-in look when the document lacks it."""
        key = (name, kind)
        if key in self.style_cache:
            return self.style_cache[key]
        style = self._find(name, kind)
        if style is None:
            style = self.doc.styles.add_style(name, kind)
            self.added.add(name)
            if re.fullmatch(r"TOC \d", name):
                # Word's own name for its table-of-contents styles, so an update of the field uses them.
                style.element.find(qn("w:name")).set(qn("w:val"), name.lower())
            if kind == WD_STYLE_TYPE.PARAGRAPH and name != "Normal":
                style.base_style = self._style("Normal", WD_STYLE_TYPE.PARAGRAPH)
                look = _PARAGRAPH_LOOKS.get(name)
                if look is not None:
                    _apply_look(style, look)
            elif kind == WD_STYLE_TYPE.CHARACTER and name == "Hyperlink":
                _apply_look(style, _Look(color=ACCENT, underline=True))
        self.style_cache[key] = style
        return style

    def _paragraph_style(self, name: str):
        return self._style(name, WD_STYLE_TYPE.PARAGRAPH)

    def _warning_look(self, style) -> None:
        pPr = style.element.get_or_add_pPr()
        for tag in ("w:pBdr", "w:shd"):
            for old in pPr.findall(qn(tag)):
                pPr.remove(old)
        bdr = _el("w:pBdr")
        for side, size in (("top", 8), ("left", 32), ("bottom", 8), ("right", 8)):
            bdr.append(_border(side, size, WARNING_RULE))
        _append_in_order(pPr, bdr)
        _append_in_order(pPr, _el("w:shd", val="clear", color="auto", fill=WARNING_FILL))
        fmt = style.paragraph_format
        fmt.left_indent = fmt.right_indent = Cm(0.2)
        fmt.keep_together = True
        if fmt.space_after is None:
            fmt.space_after = Pt(12)

    def _grid_style(self):
        """Add a plain "Table Grid" (thin rules all round) for a template that has no table style we know."""
        style = self.doc.styles.add_style(TABLE_STYLES[-1], WD_STYLE_TYPE.TABLE)
        tblPr = _el("w:tblPr")
        borders = _el("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_border(side, 4, "B3B3B3", space=0))
        tblPr.append(borders)
        style.element.append(tblPr)
        return style

    def _has_numbering(self, name: str) -> bool:
        """Whether the list style numbers its paragraphs itself (else items get "•" or "1." typed in)."""
        style = self._paragraph_style(name)
        while style is not None:
            pPr = style.element.pPr
            if pPr is not None and pPr.find(qn("w:numPr")) is not None:
                return self._numbering() is not None
            style = style.base_style
        return False

    def _numbering(self):
        try:
            return self.doc.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return None

    def _header_footer(self, title: str) -> None:
        """Put the title in the header and "Side X af Y" in the footer, where a template has none of its own.

        The built-in look leaves the first page's header empty (the title is on the page); a
        template's own header is kept, and its footer too, with the page numbers added under it
        when it has none.
        """
        section = self.doc.sections[-1]
        page = t(self.lang, "Side {page} af {pages}", "Page {page} of {pages}")
        if self.house:
            section.different_first_page_header_footer = True
            _first_paragraph(section.first_page_header, "Header")
        if self.house or not _has_content(section.header):
            _first_paragraph(section.header, "Header").add_run(_clean(title))
        footers = [section.footer]
        if section.different_first_page_header_footer:
            footers.append(section.first_page_footer)
        for footer in footers:
            if self.house or not _has_content(footer):
                self._page_numbers(_first_paragraph(footer, "Footer"), page)
            elif not _has_page_field(footer):
                self._page_numbers(footer.add_paragraph(style="Footer"), page)

    def _page_numbers(self, p: DocxParagraph, words: str) -> None:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        before, _, rest = words.partition("{page}")
        middle, _, after = rest.partition("{pages}")
        p.add_run(before)
        _add_field(p, "PAGE", "1")
        p.add_run(middle)
        _add_field(p, "NUMPAGES", "1")
        if after:
            p.add_run(after)

    # -- sections and blocks -----------------------------------------------------------------------
    @property
    def text_width(self) -> int:
        s = self.doc.sections[-1]
        return int(s.page_width - s.left_margin - s.right_margin)

    @property
    def text_height(self) -> int:
        s = self.doc.sections[-1]
        return int(s.page_height - s.top_margin - s.bottom_margin)

    def section(self, section: Section) -> None:
        if not section.blocks:
            return
        body = self.doc.element.body
        start = len(body) - 1  # the body's last child is its sectPr
        for k, block in enumerate(section.blocks):
            self.block(block)
            following = section.blocks[k + 1] if k + 1 < len(section.blocks) else None
            if isinstance(block, Paragraph) and isinstance(following, (Table, Figure)):
                # As in the PDF: a figure or table stays with the text that introduces it.
                self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        if section.page_break and start > 0 and len(body) - 1 > start:
            first = body[start]
            if first.tag == qn("w:p"):
                DocxParagraph(first, self.doc._body).paragraph_format.page_break_before = True
            else:
                br = self.doc.add_paragraph()
                br.add_run().add_break(WD_BREAK.PAGE)
                first.addprevious(br._p)

    def paragraph(self, style: str, text: str = "") -> DocxParagraph:
        """Append a paragraph in ``style`` (added when the template lacks it) with plain ``text``."""
        p = self.doc.add_paragraph()
        # The style's id is set directly: python-docx's setter searches every style for the
        # default one each time, which made a table of 300 cells take seconds.
        p._p.style = self._paragraph_style(style).style_id
        if text:
            p.add_run(_clean(text))
        return p

    def block(self, block) -> None:
        if isinstance(block, DocumentHeader):
            self.header(block)
        elif isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            p = self.paragraph(PARAGRAPH_STYLES.get(block.style, "Normal"))
            self.runs(p, block.runs)
        elif isinstance(block, Items):
            self.items(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, Contents) and block.word:
            self.contents(block)

    def header(self, b: DocumentHeader) -> None:
        for text, style in ((b.org, META_STYLE), (b.doc_kind, KIND_STYLE)):
            if text:
                self.paragraph(style, text)
        title = self.paragraph("Title", b.title)
        title.paragraph_format.keep_with_next = bool(b.meta)
        if b.meta:
            self.paragraph(META_STYLE, b.meta).paragraph_format.space_after = Pt(12)
        if b.warning or b.warning_title:
            p = self.paragraph(PARAGRAPH_STYLES["warning"])
            self.runs(p, (Run(b.warning_title + " ", bold=True), Run(b.warning)))

    def heading(self, b: Heading) -> None:
        level = min(max(int(b.level), 1), 4)
        p = self.paragraph(f"Heading {level}", b.text)
        p.paragraph_format.keep_with_next = True
        if b.anchor:
            self.bookmark(p, b.anchor)

    def bookmark(self, p: DocxParagraph, anchor: str) -> None:
        name = bookmark_name(anchor)
        if name in self.bookmarks:
            return
        self.bookmarks.add(name)
        self.bookmark_id += 1
        start = _el("w:bookmarkStart", id=str(self.bookmark_id), name=name)
        end = _el("w:bookmarkEnd", id=str(self.bookmark_id))
        pPr = p._p.pPr
        if pPr is not None:
            pPr.addnext(start)
        else:
            p._p.insert(0, start)
        p._p.append(end)

    def runs(self, p: DocxParagraph, runs: Iterable[Run], *, bold: bool = False, italic: bool = False) -> None:
        for r in runs:
            target = link_target(r.href, self.links, this=self.this)
            text = _clean(r.text)
            run = p.add_run(text) if target is None else _add_hyperlink(p, text, target, style=self.hyperlink_id)
            if r.bold or bold:
                run.bold = True
            if r.italic or italic:
                run.italic = True

    def items(self, b: Items) -> None:
        style = "List Number" if b.numbered else "List Bullet"
        automatic = self.numbers if b.numbered else self.bullets
        num_id = self._restart_numbering(style) if b.numbered and automatic else None
        for k, item in enumerate(b.items, start=1):
            p = self.paragraph(style)
            if num_id is not None:
                numPr = p._p.get_or_add_pPr().get_or_add_numPr()
                numPr.get_or_add_ilvl().val = 0
                numPr.get_or_add_numId().val = num_id
            if not automatic:
                p.add_run(f"{k}. " if b.numbered else "• ")
            self.runs(p, item)

    def _restart_numbering(self, style_name: str) -> int | None:
        """Return a new list numbering that starts at 1, for a numbered list after another one."""
        numbering = self._numbering()
        style = self._paragraph_style(style_name)
        num_id = None
        while style is not None and num_id is None:
            pPr = style.element.pPr
            numPr = pPr.find(qn("w:numPr")) if pPr is not None else None
            if numPr is not None and numPr.numId is not None:
                num_id = numPr.numId.val
            style = style.base_style
        if numbering is None or num_id is None:
            return None
        try:
            abstract = numbering.num_having_numId(num_id).abstractNumId.val
        except KeyError:
            return None
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def table(self, b: Table) -> None:
        # A cell spanning columns is followed by placeholders, merged into it once filled.
        spans = [
            (k, sum(c.span for c in row[:i]), c.span)
            for k, row in enumerate((b.columns, *b.rows), 0)
            for i, c in enumerate(row)
            if c.span > 1
        ]
        expanded = [_expand(row) for row in (b.columns, *b.rows)]
        ncols = max(len(row) for row in expanded)
        if ncols == 0:
            return
        if b.caption:
            cap = self.paragraph("Caption")
            cap.add_run(_clean(b.caption)).bold = True
            cap.paragraph_format.keep_with_next = True
        rows = [_pad(row, ncols) for row in expanded]
        table = self.doc.add_table(rows=len(rows), cols=ncols)
        table._tbl.tblPr.style = self.table_style.style_id
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        has_row_heads = any("head" in c.style.split() for row in b.rows for c in row[:1])
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        if look is not None:
            look.set(qn("w:firstColumn"), "1" if has_row_heads else "0")
            look.set(qn("w:val"), "04A0" if has_row_heads else "0420")
        # A spanning cell's words do not widen its first column.
        widths = _column_widths([tuple(Cell() if c.span > 1 else c for c in row) for row in rows], self.text_width)
        tblPr = table._tbl.tblPr
        tblW = tblPr.find(qn("w:tblW"))
        tblW.set(qn("w:type"), "dxa")
        tblW.set(qn("w:w"), str(sum(widths) // 635))
        for col, width in zip(table.columns, widths):
            col.width = Emu(width)
        for k, (row, cells) in enumerate(zip(table.rows, rows)):
            trPr = row._tr.get_or_add_trPr()
            trPr.append(_el("w:cantSplit"))
            if k == 0:
                trPr.append(_el("w:tblHeader"))
            for cell, data, width in zip(row.cells, cells, widths):
                cell.width = Emu(width)
                self.cell(cell, data, header=k == 0)
                if b.keep and k < len(rows) - 1:
                    for p in cell.paragraphs:
                        p.paragraph_format.keep_with_next = True
        for k, start, span in spans:
            if start + span <= ncols:
                table.cell(k, start).merge(table.cell(k, start + span - 1))
        # A paragraph after the table keeps the next block from touching it (and ends a keep).
        spacer = self.paragraph("Normal")
        spacer.paragraph_format.space_after = Pt(4)

    def cell(self, cell, data: Cell, *, header: bool) -> None:
        styles = set(data.style.split())
        p = cell.paragraphs[0]
        p._p.style = self._paragraph_style(CELL_STYLE).style_id
        if "num" in styles:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        bold = header or "head" in styles or "flag" in styles
        italic = "hidden" in styles
        if data.strong:
            p.add_run(_clean(data.strong)).bold = True
            if data.text:
                p.add_run().add_break()
        if data.text:
            self.runs(p, (Run(data.text, href=data.href or None),), bold=bold, italic=italic)
        for run in p.runs:
            if "hidden" in styles or "ci" in styles:
                run.font.color.rgb = MUTED
            if "ci" in styles:
                run.font.size = Pt(8)

    def figure(self, b: Figure) -> None:
        width = _figure_width(b, self.text_width)
        p = self.paragraph("Normal")
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.space_after = Pt(3)
        shape = p.add_run().add_picture(io.BytesIO(b.png), width=Emu(width))
        limit = int(self.text_height * 0.8)
        if shape.height > limit:
            shape.width, shape.height = Emu(int(shape.width * limit / shape.height)), Emu(limit)
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", _clean(b.alt))
        doc_pr.set("title", _clean(f"{b.label} {b.number}. {b.caption}"))
        cap = self.paragraph("Caption")
        label = re.sub(r"\W", "_", b.label) or "Figur"
        instruction = f"SEQ {label} \\* ARABIC"
        if self.last_figure.get(label, 0) + 1 != b.number:
            instruction += f" \\r {int(b.number)}"
        self.last_figure[label] = b.number
        cap.add_run(_clean(f"{b.label} ")).bold = True
        _add_field(cap, instruction, str(b.number), bold=True)
        cap.add_run(".").bold = True
        cap.add_run(_clean(f" {b.caption}"))

    def contents(self, b: Contents) -> None:
        """A TOC field, its result filled in with the entries as links (page numbers come with F9)."""
        if b.title:
            self.paragraph("TOC Heading", b.title)
        placeholder = t(self.lang, "Højreklik og vælg Opdater felt.", "Right-click and choose Update Field.")
        entries = [e for e in b.entries if e[1]] or [("", placeholder, 1)]
        paragraphs = []
        for anchor, text, level in entries:
            p = self.paragraph(f"TOC {min(max(int(level), 1), 3)}")
            paragraphs.append(p)
            target = LinkTarget(anchor=bookmark_name(anchor)) if anchor else None
            if target is None:
                p.add_run(_clean(text))
            else:
                _add_hyperlink(p, _clean(text), target, style=None)
        first, last = paragraphs[0], paragraphs[-1]
        begin = _field_runs('TOC \\o "1-3" \\h \\z \\u')
        anchor_el = first._p.pPr
        for run in reversed(begin):
            if anchor_el is not None:
                anchor_el.addnext(run)
            else:
                first._p.insert(0, run)
        last._p.append(_fld_char("end"))


# -- helpers ---------------------------------------------------------------------------------------
def _has_content(part) -> bool:
    """Whether a header or footer of a template holds anything (text, a picture, a field)."""
    if part.is_linked_to_previous:
        return False
    el = part._element
    text = "".join(el.itertext()).strip()
    return bool(text) or any(el.iter(qn("w:drawing"), qn("w:pict"), qn("w:fldSimple"), qn("w:instrText")))


def _has_page_field(part) -> bool:
    """Whether a footer shows the page number (a PAGE field, simple or complex)."""
    el = part._element
    instructions = [i.text or "" for i in el.iter(qn("w:instrText"))]
    instructions += [f.get(qn("w:instr"), "") for f in el.iter(qn("w:fldSimple"))]
    return any("PAGE" in i.split() for i in instructions)


def _first_paragraph(part, style: str) -> DocxParagraph:
    """Return the header's or footer's first paragraph, emptied, in ``style``."""
    part.is_linked_to_previous = False
    p = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
    for child in list(p._p):
        if child.tag != qn("w:pPr"):
            p._p.remove(child)
    p.style = style
    return p


def _fld_char(kind: str):
    r = OxmlElement("w:r")
    r.append(_el("w:fldChar", fldCharType=kind))
    return r


def _field_runs(instruction: str) -> list:
    """Return the runs that open a field (begin, instruction, separate), not yet placed."""
    instr_r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_r.append(instr)
    return [_fld_char("begin"), instr_r, _fld_char("separate")]


def _add_field(p: DocxParagraph, instruction: str, result: str, *, bold: bool = False) -> DocxRun:
    """Append a complex field (``PAGE``, ``SEQ Figur``) with its cached ``result`` to ``p``."""
    for r in _field_runs(instruction):
        p._p.append(r)
    run = p.add_run(result)
    p._p.append(_fld_char("end"))
    if bold:
        for r in p._p.findall(qn("w:r"))[-5:]:
            DocxRun(r, p).bold = True
    return run


def _add_hyperlink(p: DocxParagraph, text: str, target: LinkTarget, *, style: str | None) -> DocxRun:
    """Append a link to ``p``: to a web address or file (a relationship) or to a bookmark; ``style`` is a style id."""
    link = OxmlElement("w:hyperlink")
    if target.url:
        link.set(qn("r:id"), p.part.relate_to(target.url, RT.HYPERLINK, is_external=True))
    else:
        link.set(qn("w:anchor"), target.anchor)
    link.set(qn("w:history"), "1")
    r = OxmlElement("w:r")
    link.append(r)
    p._p.append(link)
    if style:
        r.style = style
    run = DocxRun(r, p)
    run.text = text
    return run


def _expand(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """Return a row with an empty placeholder after a cell for every further column it spans."""
    out: list[Cell] = []
    for c in cells:
        out.append(c)
        out.extend(Cell(style=c.style) for _ in range(c.span - 1))
    return tuple(out)


def _pad(cells: tuple[Cell, ...], n: int) -> tuple[Cell, ...]:
    return tuple(cells[:n]) + (Cell(),) * (n - len(cells))


def _breakable_words(text: str) -> list[str]:
    """Return the parts of ``text`` a line may break between: a no-break space ("50\u00a0%") holds its word together.

    Examples
    --------
    >>> _breakable_words("50\u00a0% af svarene")
    ['50\xa0%', 'af', 'svarene']
    """
    return re.split(r"[ \t\r\n]+", text.strip()) if text.strip() else []


def _column_widths(rows: list[tuple[Cell, ...]], total: int) -> list[int]:
    """Return column widths (EMU) adding up to ``total``, by how much text each column holds.

    A column is as wide as its longest line of body text (header text counts by its longest
    word, as a header may wrap), between 4 and 40 characters, plus two for the cell's margins,
    so a long label column never squeezes the numbers.

    Examples
    --------
    >>> rows = [(Cell("Forvaltning"), Cell("Score")), (Cell("Børne- og Ungdomsforvaltningen"), Cell("3,1"))]
    >>> [round(w / 360000, 2) for w in _column_widths(rows, int(Cm(16)))]
    [13.13, 2.87]
    """
    ncols = len(rows[0])
    weights = []
    for j in range(ncols):
        head = rows[0][j]
        longest_word = max((len(w) for w in _breakable_words(f"{head.strong} {head.text}")), default=0)
        body = [
            max(len(c.strong), *(len(line) for line in c.text.splitlines() or [""])) for c in (r[j] for r in rows[1:])
        ]
        weights.append(min(max(longest_word, *body, 4), 40) + 2)
    # No column narrower than its longest word (a code like "ØVRIGE" or a heading like "Kode"
    # broke inside the word): such columns get that width, the others share the rest by weight.
    words = [
        max((len(w) for r in rows for part in (r[j].strong, r[j].text) for w in _breakable_words(part)), default=0)
        for j in range(ncols)
    ]
    floor = [int(Cm(0.24)) * n + int(Cm(0.45)) for n in words]  # bold capitals are wide
    fixed: set[int] = set()
    while True:
        free = [j for j in range(ncols) if j not in fixed]
        rest = total - sum(floor[j] for j in fixed)
        scale = rest / max(sum(weights[j] for j in free), 1)
        short = [j for j in free if weights[j] * scale < floor[j]]
        if not short or len(free) == 1:
            break
        # The narrowest need first (a code column is kept whole before a long heading is), and
        # only a need no larger than an equal share of what is left.
        j = min(short, key=lambda j: floor[j])
        if floor[j] > rest / len(free):
            break
        fixed.add(j)
    widths = [floor[j] if j in fixed else int(weights[j] * scale) for j in range(ncols)]
    widths = [w // 635 * 635 for w in widths]  # whole twips
    widths[-1] += (total // 635 * 635) - sum(widths)
    return widths


def _figure_width(b: Figure, text_width: int) -> int:
    if b.width_cm > 0:
        width = int(Cm(b.width_cm))
    elif b.width_px > 0:
        width = int(Cm(b.width_px / 96 * 2.54))
    else:
        width = text_width
    return min(width, text_width)
