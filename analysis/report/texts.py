"""The texts an analyst writes for a briefing (``--texts FILE.md``), read into blocks, never raw HTML.

In: a Markdown file with optional sections ``## Indstilling``, ``## Resumé``, ``## Sagsfremstilling``,
``## Økonomi`` and ``## Videre proces`` (English headings work too). Out: :class:`AnalystTexts`,
each section a tuple of :class:`Block` (paragraphs and bullet or numbered lists of :class:`Run`:
text, bold, italic, link). Paragraphs, lists, bold, italics and links survive; raw HTML in the file
is kept as the characters typed, so it is shown, escaped, and never passed through. The same
blocks give HTML (:func:`blocks_html`, the sections' Jinja template with autoescaping) and Word.

Sections are used thus: Resumé and Sagsfremstilling add the analyst's paragraphs after the
generated text; Økonomi and Videre proces replace the standard sentence; Indstilling, when given,
is a section of its own after the Resumé.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..exceptions import ParameterError

__all__ = ["SECTIONS", "AnalystTexts", "Block", "Run", "blocks_html", "load_texts", "parse_texts"]

#: Section keys by the headings that name them (matched ignoring case and spacing).
SECTIONS = {
    "indstilling": "recommendation",
    "recommendation": "recommendation",
    "resumé": "summary",
    "resume": "summary",
    "summary": "summary",
    "sagsfremstilling": "case",
    "the case": "case",
    "case": "case",
    "økonomi": "economy",
    "okonomi": "economy",
    "finances": "economy",
    "economy": "economy",
    "videre proces": "next_steps",
    "next steps": "next_steps",
}
_HEADINGS_DA = "## Indstilling, ## Resumé, ## Sagsfremstilling, ## Økonomi, ## Videre proces"
#: Link targets kept as links; anything else (javascript:, data:, relative paths) stays plain text.
_LINK_SCHEMES = ("https://", "http://", "mailto:")


@dataclass(frozen=True)
class Run:
    """A piece of text with its marks."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph (``runs``) or a bullet or numbered list (``items``, each a tuple of runs)."""

    kind: str  # "paragraph", "bullets" or "numbers"
    runs: tuple[Run, ...] = ()
    items: tuple[tuple[Run, ...], ...] = ()


@dataclass(frozen=True)
class AnalystTexts:
    """The analyst's sections, by key (``summary``, ``case``, ``economy``, ``next_steps``, ``recommendation``)."""

    sections: dict[str, tuple[Block, ...]]
    path: str = ""

    def get(self, key: str) -> tuple[Block, ...]:
        """Return a section's blocks, empty when the file has none."""
        return self.sections.get(key, ())


def load_texts(path: str | os.PathLike | None) -> AnalystTexts:
    """Read a texts file; an empty path gives no texts. Raises ParameterError naming the line to fix."""
    if path is None or str(path) == "":
        return AnalystTexts({})
    p = Path(path)
    if not p.is_file():
        raise ParameterError(f"--texts {p}: expected a Markdown file, found {'a folder' if p.is_dir() else 'no file'}.")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParameterError(f"--texts {p}: expected UTF-8 text, found a byte it cannot decode ({exc}).") from None
    return parse_texts(text, str(p))


def parse_texts(text: str, label: str = "texts") -> AnalystTexts:
    """Parse Markdown into sections of blocks (see the module docstring).

    Examples
    --------
    >>> t = parse_texts("## Økonomi\\n\\nUdgiften er **0 kr.**\\n\\n- ét\\n- to <b>\\n")
    >>> [b.kind for b in t.get("economy")], t.get("economy")[0].runs[1]
    (['paragraph', 'bullets'], Run(text='0 kr.', bold=True, italic=False, href=None))
    >>> t.get("economy")[1].items[1][0].text
    'to <b>'
    """
    from markdown_it import MarkdownIt

    # html=False: raw HTML is text, shown as typed; links and emphasis are parsed.
    md = MarkdownIt("commonmark", {"html": False})
    tokens = md.parse(text)
    sections: dict[str, list[Block]] = {}
    current: str | None = None
    k = 0
    list_kind, items = "", []
    while k < len(tokens):
        tok = tokens[k]
        line = (tok.map[0] + 1) if tok.map else None
        if tok.type == "heading_open":
            title = tokens[k + 1].content.strip()
            key = SECTIONS.get(" ".join(title.casefold().split()))
            if tok.tag != "h2" or key is None:
                raise ParameterError(
                    f"{label}:{line}: expected a section heading ({_HEADINGS_DA}), found "
                    f"{'#' * int(tok.tag[1])} {title!r}. Use one of those headings, with two #."
                )
            if key in sections:
                raise ParameterError(f"{label}:{line}: the section {title!r} appears twice; merge them into one.")
            current = key
            sections[current] = []
            k += 3
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            list_kind, items = ("bullets" if tok.type == "bullet_list_open" else "numbers"), []
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            sections[_section(current, label, line)].append(Block(list_kind, items=tuple(items)))
            list_kind = ""
        elif tok.type == "inline":
            runs = _runs(tok.children or [])
            if list_kind:
                items.append(runs)
            elif runs:
                sections[_section(current, label, line)].append(Block("paragraph", runs=runs))
        elif tok.type in ("fence", "code_block", "html_block", "hr", "blockquote_open", "table_open"):
            # Kept as plain text: the briefing has no code, quotes or rules of its own.
            content = tok.content.strip() if tok.content else ""
            if content:
                sections[_section(current, label, line)].append(Block("paragraph", runs=(Run(content),)))
        k += 1
    return AnalystTexts({key: tuple(blocks) for key, blocks in sections.items()}, label)


def _section(current: str | None, label: str, line: int | None) -> str:
    if current is None:
        raise ParameterError(
            f"{label}:{line or 1}: expected a section heading first ({_HEADINGS_DA}), found text before any. "
            "Put the text under the heading of the section it belongs to."
        )
    return current


def _runs(children) -> tuple[Run, ...]:
    """Return an inline token's children as runs, with bold, italic and links applied."""
    out: list[Run] = []
    bold = italic = 0
    href: str | None = None
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            target = str(child.attrs.get("href", ""))
            href = target if target.startswith(_LINK_SCHEMES) else None
        elif kind == "link_close":
            href = None
        elif kind in ("softbreak", "hardbreak"):
            out.append(Run(" ", bool(bold), bool(italic), href))
        elif kind in ("text", "code_inline", "html_inline"):
            out.append(Run(child.content, bool(bold), bool(italic), href))
    merged: list[Run] = []
    for run in out:  # neighbours with the same marks become one run
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (run.bold, run.italic, run.href):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.href)
        else:
            merged.append(run)
    return tuple(merged)


def blocks_html(blocks: tuple[Block, ...]) -> str:
    """Return blocks as HTML: the analyst's paragraphs and lists as view blocks, rendered by the
    sections' autoescaped template (:func:`analysis.report.view.render_blocks`)."""
    from .view import from_text_blocks, render_blocks

    return render_blocks(from_text_blocks(blocks))
