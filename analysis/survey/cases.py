"""The examples of innovation work that the briefing shows beside the numbers (``data/cases.yaml``).

The file is edited by hand each year: a list of ``kinds`` (id and Danish and English name) and
a list of ``cases`` (kind, department, and a Danish and English title and text). This module
reads it into plain dataclasses; the briefing only formats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import config


@dataclass(frozen=True)
class CaseKind:
    """A kind of innovation work, e.g. an innovative tender."""

    id: str
    name_da: str = ""
    name_en: str = ""

    def name(self, lang: str = "da") -> str:
        """Return the kind's name in ``lang``."""
        return self.name_en if lang == "en" else self.name_da


@dataclass(frozen=True)
class Case:
    """One example: which kind of work, which department, its title and a short text."""

    kind: CaseKind
    department: str = ""
    title_da: str = ""
    title_en: str = ""
    text_da: str = ""
    text_en: str = ""

    def title(self, lang: str = "da") -> str:
        """Return the title in ``lang``."""
        return self.title_en if lang == "en" else self.title_da

    def text(self, lang: str = "da") -> str:
        """Return the text in ``lang``."""
        return self.text_en if lang == "en" else self.text_da


def load_cases(path: str | Path | None = None) -> list[Case]:
    """Return the cases of ``data/cases.yaml`` (or ``path``), in the file's order.

    A missing file, or one without cases, gives an empty list: the briefing then shows no
    examples. A case whose kind is not among the file's kinds gets a kind without a name.

    Examples
    --------
    >>> cases = load_cases()
    >>> cases[0].department, cases[0].kind.name("en")
    ('BUF', 'Innovative tender')
    """
    path = Path(path) if path is not None else config.CASES_PATH
    if not path.exists():
        return []
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    kinds = {
        k["id"]: CaseKind(id=k["id"], name_da=_text(k.get("name_da")), name_en=_text(k.get("name_en")))
        for k in doc.get("kinds") or []
    }
    return [
        Case(
            kind=kinds.get(c.get("kind"), CaseKind(id=_text(c.get("kind")))),
            department=_text(c.get("department")),
            title_da=_text(c.get("title_da")),
            title_en=_text(c.get("title_en")),
            text_da=_text(c.get("text_da")),
            text_en=_text(c.get("text_en")),
        )
        for c in doc.get("cases") or []
    ]


def _text(value: object) -> str:
    """Return a YAML scalar as text; a missing one as the empty string."""
    return "" if value is None else str(value)
