"""Keeping only static markup in the notebook outputs that go into a briefing page.

A briefing runs no code and loads nothing from elsewhere, but a notebook output (a library's
HTML repr, a markdown cell's link, an SVG) may bring scripts, event handlers, ``javascript:``
links or external images and stylesheets. :func:`safe_html` passes every output through
`nh3 <https://nh3.readthedocs.io>`_ (the ammonia sanitizer) with an allow-list of the tags and
attributes the briefing and the profiles use; everything else is dropped.
"""

from __future__ import annotations

import re

import nh3

__all__ = ["safe_html"]

# The markup of the sections (analysis.report) and of common HTML reprs such as pandas tables.
_HTML_TAGS = {
    "a",
    "abbr",
    "aside",
    "b",
    "br",
    "caption",
    "col",
    "colgroup",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
# Static SVG (e.g. a matplotlib figure shown as image/svg+xml): shapes, text and their definitions.
_SVG_TAGS = {
    "svg",
    "g",
    "defs",
    "clipPath",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "title",
    "desc",
    "use",
    "linearGradient",
    "radialGradient",
    "stop",
    "symbol",
}
_GENERIC_ATTRIBUTES = {"class", "id", "role", "lang", "title", "style", "width", "height"}
_ATTRIBUTES = {
    "*": _GENERIC_ATTRIBUTES,
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start"},
    "svg": {"viewBox", "xmlns", "version", "preserveAspectRatio"},
    "use": {"href", "xlink:href", "x", "y"},
    **{
        tag: {
            "d",
            "x",
            "y",
            "x1",
            "x2",
            "y1",
            "y2",
            "cx",
            "cy",
            "r",
            "rx",
            "ry",
            "points",
            "transform",
            "fill",
            "stroke",
            "stroke-width",
            "opacity",
            "clip-path",
            "font-size",
            "font-family",
            "text-anchor",
            "dominant-baseline",
            "offset",
            "stop-color",
            "gradientUnits",
        }
        for tag in _SVG_TAGS - {"svg"}
    },
}
# Inline style properties the outputs set (layout and colour); a property that could name a
# URL, such as background or list-style-image, is dropped.
_STYLE_PROPERTIES = {
    "color",
    "fill",
    "stroke",
    "stroke-width",
    "opacity",
    "font-size",
    "font-weight",
    "font-style",
    "font-family",
    "text-align",
    "vertical-align",
    "white-space",
    "width",
    "max-width",
    "min-width",
    "height",
    "max-height",
    "padding",
    "padding-left",
    "padding-right",
    "padding-top",
    "padding-bottom",
    "margin",
    "margin-left",
    "margin-right",
    "margin-top",
    "margin-bottom",
    "border",
    "border-top",
    "border-bottom",
    "display",
}
# Elements dropped together with their content: code, embedded documents and stylesheets
# (whose @import or url() would load from elsewhere). Other unknown tags keep their text.
_DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "frameset"}


#: A link to a place in a sibling document the renderer writes (the memo's "bilag 2" to
#: ``bilag.html#bilag-2``): a bare file name of ours, no scheme, no folder.
_SIBLING = re.compile(r"^[a-z]+(?:\.[a-z]{2})?\.(?:html|pdf|docx)#[A-Za-z0-9_-]+$")


def _allow_url(tag: str, attribute: str, value: str) -> str | None:
    """Keep embedded images, links within the page and to a sibling document; drop every other URL."""
    if attribute == "src":
        return value if value.startswith("data:image/") else None
    if attribute in ("href", "xlink:href"):
        return value if value.startswith("#") or (attribute == "href" and _SIBLING.match(value)) else None
    return value


def safe_html(html: str) -> str:
    """Return an output's HTML with only the allowed static tags, attributes and URLs.

    Scripts, event handlers (``onerror=`` and the like), ``<iframe>``, ``<object>``,
    ``<embed>``, ``<link>`` and ``<style>`` elements, ``javascript:`` and external URLs are
    removed; ``data:`` images, in-page ``#`` links, tables and figures stay.

    Examples
    --------
    >>> safe_html('<p class="lead" onclick="x()">Tekst<script>alert(1)</script></p>')
    '<p class="lead">Tekst</p>'
    >>> safe_html('<a href="javascript:alert(1)">link</a><img src="https://example.org/x.png" alt="x">')
    '<a>link</a><img alt="x">'
    >>> safe_html('<a href="bilag.html#bilag-2">bilag 2</a><a href="../x/bilag.html#a">x</a>')
    '<a href="bilag.html#bilag-2">bilag 2</a><a>x</a>'
    """
    return nh3.clean(
        html,
        tags=_HTML_TAGS | _SVG_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        attribute_filter=_allow_url,
        generic_attribute_prefixes={"aria-"},
        filter_style_properties=_STYLE_PROPERTIES,
        url_schemes={"data"},
        link_rel=None,
        strip_comments=True,
    )
