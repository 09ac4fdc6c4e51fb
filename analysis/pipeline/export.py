"""Exporting an executed notebook: one self-contained HTML page, and that page as a PDF.

nbconvert fills the project's own template (``analysis/report/templates/briefing``) with the
rich display outputs only, each passed through :func:`analysis.pipeline.sanitize.safe_html`;
WeasyPrint prints the page to a tagged A4 PDF whose metadata come from the page's ``<meta>``
tags, fetching nothing but ``data:`` URLs and the packaged font files
(:mod:`analysis.report.fonts`), so the PDF never takes a font from the system.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import pass_context

from .. import config
from ..config import check_lang
from ..exceptions import ParameterError
from ..report import fonts
from ..report.view import META
from .messages import say
from .pdfua import mark_page_furniture
from .sanitize import safe_html

__all__ = [
    "DEFAULT_AUTHOR",
    "FORMATS",
    "check_formats",
    "export_html",
    "html_to_pdf",
    "notebook_documents",
    "notebook_sections",
    "warm_up",
]

#: Formats :func:`analysis.pipeline.render.render_notebook` can write, besides the executed notebook.
FORMATS = ("html", "pdf", "docx")
#: Author written into the HTML ``<meta name="author">`` and the PDF's metadata by default.
DEFAULT_AUTHOR = "Københavns Kommune, Økonomiforvaltningen"
#: Distribution name of the tool (as in pyproject.toml): the page's generator.
TOOL_NAME = "kk-procurement-briefing"
#: Languages the page template has words for.

TEMPLATE_NAME = "briefing"
TEMPLATE_DIR = config.TEMPLATES_DIR / TEMPLATE_NAME
CSS_PATH = TEMPLATE_DIR / "briefing.css"

_WORDS = {"da": {"page": "side", "of": "af", "figure": "Figur"}, "en": {"page": "page", "of": "of", "figure": "Figure"}}
# The output types a briefing shows, best first. Widgets, JavaScript, LaTeX and plain text are
# never shown: a briefing is a static document, and text/plain is a repr, not content.
_DISPLAY_PRIORITY = ["text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg"]
_DOCTITLE_RE = re.compile(r"""<h1\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bdoctitle\b""", re.IGNORECASE)
# On a machine without fonts (or with them hidden from fontconfig) WeasyPrint warns on import of
# "ugly output"; the PDF uses only the packaged fonts, so the warning is not ours to give.
warnings.filterwarnings("ignore", message="No fonts configured in FontConfig", category=UserWarning)


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """Return the requested formats in canonical order, refusing unknown ones."""
    if isinstance(formats, str):
        formats = (formats,)
    requested = [str(f).lower().lstrip(".") for f in formats]
    unknown = sorted(set(requested) - set(FORMATS))
    if unknown:
        raise ParameterError(
            f"Unknown output format(s): {', '.join(map(repr, unknown))}. Choose from: {', '.join(FORMATS)}."
        )
    return tuple(f for f in FORMATS if f in requested)


def notebook_documents(notebook_node: Any, main: str) -> list[str]:
    """Return the documents an executed notebook's outputs belong to, the main one first.

    A section says which document it belongs to in its output's metadata
    (:data:`analysis.report.view.META`); an output that names none belongs to ``main``.
    """
    found = [main]
    for cell in notebook_node.get("cells", []):
        for output in cell.get("outputs", []):
            doc = _output_document(output, main)
            if doc not in found:
                found.append(doc)
    return found


def _output_document(output: Mapping, main: str) -> str:
    marker = output.get("metadata", {}).get(META) or {}
    return str(marker.get("document") or main) if isinstance(marker, Mapping) else main


def notebook_sections(notebook_node: Any, document: str, main: str) -> list:
    """Return the view-model sections (:class:`analysis.report.view.Section`) of one document, in order."""
    from ..report.view import MIME, Section

    sections = []
    for cell in notebook_node.get("cells", []):
        if "remove-cell" in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME in data and _output_document(output, main) == document:
                sections.append(Section.from_json(data[MIME]))
    return sections


def export_html(
    notebook_node: Any,
    *,
    lang: str = "da",
    title: str,
    metadata: Mapping[str, str] | None = None,
    document: str = "briefing",
    main: str = "briefing",
) -> str:
    """Return an executed notebook as one self-contained HTML page in the briefing style.

    Only the rich display outputs appear (text/html, text/markdown, SVG, PNG and JPEG images
    as ``<img>`` with alt text); code, prompts, markdown cells, stream output and errors do not.
    The CSS is inlined and nothing is loaded from the network: ``<script>``, ``<link>``,
    ``<iframe>``, ``<object>`` and ``<embed>`` elements in outputs are dropped.

    Parameters
    ----------
    notebook_node : nbformat.NotebookNode
        The executed notebook (as papermill returns it, or read with ``nbformat.read``).
    lang : {"da", "en"}
        Page language: ``<html lang>`` and the PDF footer words ("side 1 af 3", "page 1 of 3").
    title : str
        Page ``<title>``; also the page's H1 (``<h1 class="doctitle">``, the running header
        from page 2) unless an output of the notebook already shows one.
    metadata : mapping of str to str, optional
        Extra ``<meta name content>`` tags; ``author`` defaults to :data:`DEFAULT_AUTHOR`.
    document, main : str
        The document to export (:func:`notebook_documents`), and the one outputs that name none
        belong to: the memo and its Bilag come from one executed notebook.

    Returns
    -------
    str
        The HTML page.
    """
    check_lang(lang)
    meta = {"author": DEFAULT_AUTHOR, "generator": TOOL_NAME}
    meta.update({str(k): str(v) for k, v in (metadata or {}).items()})
    resources = {
        "briefing": {
            "lang": lang,
            "title": title,
            # The notebook may show its own title block (analysis.briefing's header(), an
            # <h1 class="doctitle">); then the page adds none, so the title is not shown twice.
            "own_title": not _shows_title(notebook_node, document, main),
            "document": document,
            "main": main,
            "meta": sorted(meta.items()),
            "words": _WORDS[lang],
            "css": _css(),
        }
    }
    with warnings.catch_warnings():
        # Outputs with only text/plain (a stray repr) are left out on purpose; no need to warn.
        warnings.filterwarnings("ignore", message="Your element with mimetype", category=UserWarning)
        html, resources = _exporter().from_notebook_node(notebook_node, resources=resources)
    missing = len(resources["briefing"].get("missing_alt", []))
    if missing:
        say(
            f"warning: {missing} image output{'s' if missing > 1 else ''} without alt text; the "
            f"page says {_WORDS[lang]['figure']!r} instead. Display images with "
            "IPython.display.Image(..., alt=...) or as <img alt=...> in HTML."
        )
    return html


def _shows_title(notebook_node: Any, document: str, main: str) -> bool:
    """Return whether an HTML output of the document holds an ``<h1 class="doctitle">``."""
    for cell in notebook_node.get("cells", []):
        for output in cell.get("outputs", []):
            if _output_document(output, main) != document:
                continue
            html = output.get("data", {}).get("text/html", "")
            if isinstance(html, list):
                html = "".join(html)
            if "doctitle" in html and _DOCTITLE_RE.search(html):
                return True
    return False


def html_to_pdf(html: str, path: str | Path, *, base_url: str | Path | None = None) -> Path:
    """Print an HTML page to a PDF file with WeasyPrint, fetching nothing but ``data:`` URLs.

    Page size, margins, running header and page numbers come from the page's CSS
    (``@page`` rules). The PDF's title comes from ``<title>``, its language from
    ``<html lang>``, and author, description and keywords from the ``<meta>`` tags.
    The family the page names, "Briefing Sans", is loaded from the package
    (``analysis/report/fonts/fonts.css``), so line and page breaks do not depend on the fonts
    installed on the machine.

    Parameters
    ----------
    html : str
        The HTML page, e.g. from :func:`export_html`.
    path : str or Path
        PDF file to write.
    base_url : str or Path, optional
        Base for relative URLs in the page (none are fetched; kept for error messages).

    Returns
    -------
    Path
        ``path``.
    """
    import weasyprint

    path = Path(path)
    document = weasyprint.HTML(
        string=html, base_url=str(base_url) if base_url is not None else None, url_fetcher=_url_fetcher()
    )
    font_config, stylesheet = _packaged_fonts()
    # Tagged PDF/UA: the structure (headings, tables, alt text) for screen readers, with the
    # running header and the page numbers marked as artifacts (analysis.pipeline.pdfua).
    document.write_pdf(path, pdf_variant="pdf/ua-1", stylesheets=[stylesheet], font_config=font_config)
    mark_page_furniture(path)
    return path


def _packaged_fonts():
    """Return a WeasyPrint font configuration and the stylesheet that loads the packaged faces into it."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheet = CSS(filename=fonts.FONT_CSS, url_fetcher=_url_fetcher(), font_config=font_config)
    return font_config, stylesheet


@functools.cache
def _css() -> str:
    """Return the briefing CSS (read once per process)."""
    return CSS_PATH.read_text(encoding="utf-8")


@functools.cache
def _exporter():
    """Return the HTML exporter with the briefing template (built once per process)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.extra_template_basedirs = [str(config.TEMPLATES_DIR)]
    # Belt and braces with the template: whatever it does, no code, prompts or notes.
    c.TemplateExporter.exclude_input = True
    c.TemplateExporter.exclude_input_prompt = True
    c.TemplateExporter.exclude_output_prompt = True
    c.TemplateExporter.exclude_markdown = True
    c.TemplateExporter.exclude_raw = True
    c.TemplateExporter.exclude_unknown = True
    c.NbConvertBase.display_data_priority = _DISPLAY_PRIORITY
    # No preprocessors: nothing to do, and nbconvert validates the whole notebook after each
    # one (including disabled ones), which costs time in proportion to the images it holds.
    c.HTMLExporter.default_preprocessors = []
    c.HTMLExporter.preprocessors = []
    exporter = HTMLExporter(config=c)
    exporter.register_filter("briefing_safe_html", safe_html)
    exporter.register_filter("briefing_alt", _alt_text)
    return exporter


@pass_context
def _alt_text(context: Any, output: Mapping, mimetype: str) -> str:
    """Return the alt text of an image output, or the page's generic word for a figure.

    IPython's ``Image(..., alt=...)`` stores the text in the output's metadata. Images without
    one are counted in ``resources["briefing"]["missing_alt"]`` so the caller can warn: a text
    repr such as ``<Figure size 640x480 with 1 Axes>`` describes nothing and is not used.
    """
    metadata = output.get("metadata", {})
    per_type = metadata.get(mimetype, {})
    alt = per_type.get("alt") if isinstance(per_type, Mapping) else None
    alt = alt or metadata.get("alt")
    if alt:
        return str(alt)
    briefing = context.get("resources", {}).get("briefing", {})
    briefing.setdefault("missing_alt", []).append(mimetype)
    return briefing.get("words", _WORDS["da"])["figure"]


def _url_fetcher():
    """Return a WeasyPrint URL fetcher for ``data:`` URLs and the packaged font files only.

    No network, and no file but those in ``analysis/report/fonts/`` (the ``@font-face``
    sources of ``fonts.css``): a page's ``file:`` URL elsewhere is refused like a remote one.
    """
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    class PackagedFontsFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url[:5].lower() == "file:":
                parts = urlsplit(url)
                target = Path(url2pathname(parts.path)).resolve()
                local = parts.netloc in ("", "localhost")
                if not local or target.parent != fonts.FONT_DIR or target.suffix.lower() != ".ttf":
                    raise ValueError(f"Only the packaged fonts are read from files, not {url}")
            return super().fetch(url, headers)

    return PackagedFontsFetcher(allowed_protocols={"data", "file"})


def warm_up() -> None:
    """Set up the exporter and WeasyPrint ahead of use (in a thread, while the kernel runs).

    The first export compiles the templates, and the first PDF initialises fontconfig and
    Pango and parses WeasyPrint's own stylesheets: together about half a second that the
    parent process would otherwise spend after the notebook has finished.
    """
    try:
        import io

        import nbformat
        import weasyprint

        html = export_html(nbformat.v4.new_notebook(), lang="da", title="Opvarmning")
        font_config, stylesheet = _packaged_fonts()
        weasyprint.HTML(string=html, url_fetcher=_url_fetcher()).write_pdf(
            io.BytesIO(), stylesheets=[stylesheet], font_config=font_config
        )
    except Exception:
        pass
