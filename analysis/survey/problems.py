"""The problems found in one input file, collected in one pass and listed in file order.

In: problems recorded while a file is read and checked (kind, row, column, message). Out: a list
of :class:`~analysis.exceptions.Problem`, at most :data:`MAX_PROBLEMS_PER_FILE` of them plus a
line counting the rest by kind, for :class:`~analysis.exceptions.SurveyDataError`. Values from a
file are quoted with :func:`quote`, which never shows more than :data:`MAX_QUOTED` characters;
:func:`describe_path` says what a path is when it is not a file.
"""

from __future__ import annotations

import stat
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..exceptions import Problem

__all__ = [
    "MAX_PROBLEMS_PER_FILE",
    "MAX_QUOTED",
    "FileProblems",
    "clip",
    "describe_path",
    "quote",
    "quote_headers",
    "quote_list",
    "shorten",
]

#: Problems listed per file before the rest are summarised in one line.
MAX_PROBLEMS_PER_FILE = 50
#: The most characters of any one value (a cell, a header, a label) a message quotes.
MAX_QUOTED = 200


class FileProblems:
    """Collect the problems of one file and list at most ``MAX_PROBLEMS_PER_FILE`` of them."""

    def __init__(self, label: str):
        self.label = label
        self._entries: list[tuple[int, int, str, Problem]] = []
        self.counts: Counter[str] = Counter()

    @property
    def total(self) -> int:
        """Return how many problems were recorded, listed or only counted."""
        return sum(self.counts.values())

    def add(self, kind: str, row: int | None, column: str | None, message: str, colpos: int = -1) -> None:
        """Record one problem; ``colpos`` orders problems of the same row like the file."""
        self.counts[kind] += 1
        self._entries.append((row or 0, colpos, kind, Problem(self.label, row, column, message)))

    def absorb(self, other: FileProblems, prefix: str) -> None:
        """Record every problem of ``other`` (a part of this file) here, each message after ``prefix``."""
        for row, colpos, kind, p in other._entries:
            self.counts[kind] += 1
            self._entries.append((row, colpos, kind, Problem(self.label, p.row, p.column, prefix + p.message)))
        listed = Counter(kind for _, _, kind, _ in other._entries)
        for kind, n in other.counts.items():
            self.counts[kind] += n - listed[kind]

    def add_cells(self, kind: str, positions: np.ndarray, make) -> None:
        """Record one problem per position, building only the first few that can be listed.

        ``make(position)`` returns ``(row, column, message, colpos)``. Positions must be in file
        order; beyond the cap only the count is kept, as those could not be listed anyway.
        """
        shown = min(len(positions), MAX_PROBLEMS_PER_FILE)
        for pos in positions[:shown]:
            self.add(kind, *make(pos))
        self.counts[kind] += len(positions) - shown

    def problems(self) -> list[Problem]:
        """Return the problems in file order, capped, with a line saying how many more."""
        entries = sorted(self._entries, key=lambda e: (e[0], e[1]))
        listed = [p for _, _, _, p in entries[:MAX_PROBLEMS_PER_FILE]]
        total = self.total
        if total > len(listed):
            more = total - len(listed)
            kinds = ", ".join(f"{v} {_KIND_NAMES.get(k, k)}" for k, v in sorted(self.counts.items()) if v)
            listed.append(
                Problem(
                    self.label,
                    None,
                    None,
                    f"... and {more} more problem{'s' if more != 1 else ''} not listed; in all this "
                    f"file has {kinds}. Fix the ones above and run again.",
                    unlisted=more,
                )
            )
        return listed


_KIND_NAMES = {
    "answer": "answers outside the scale",
    "department": "unknown departments",
    "wave": "bad waves",
    "respondent_id": "blank respondent ids",
    "duplicate": "duplicate respondent ids",
    "header": "header problems",
    "empty": "empty-file problems",
    "unreadable": "read errors",
    "fields": "rows with too few or too many fields",
    "formula": "formulas without a saved result",
    "excel_error": "Excel errors",
}


def clip(text: object, limit: int = MAX_QUOTED) -> str:
    """Return ``text`` cut to ``limit`` characters (the last one an ellipsis), spacing kept.

    Examples
    --------
    >>> clip("abcdef", 4), clip("ab")
    ('abc…', 'ab')
    """
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote(value: object, limit: int = MAX_QUOTED) -> str:
    """Return a value quoted for a message: at most ``limit`` characters, and its length when cut.

    Examples
    --------
    >>> quote("Nowhere"), quote("x" * 500, 5)
    ("'Nowhere'", "'xxxx…' (500 characters)")
    """
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{clip(text, limit)!r} ({len(text):,} characters)"


def shorten(text: object, width: int = 60) -> str:
    """Return ``text`` on one line, cut with an ellipsis after ``width`` characters.

    Examples
    --------
    >>> shorten("Hvor langt   er I?", 10), shorten("abcdefghijkl", 6)
    ('Hvor lang…', 'abcde…')
    """
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def quote_headers(header: Iterable[str], limit: int = 5) -> str:
    """Return at most ``limit`` non-blank headers quoted (each cut to 50 characters) and how many more.

    Examples
    --------
    >>> quote_headers(["a", "", "b", "c"], 2), quote_headers([])
    ("'a', 'b' and 1 more", 'none')
    """
    return quote_list([shorten(h, 50) for h in header if str(h).strip()], limit)


def quote_list(names: Iterable[str], limit: int = 20) -> str:
    """Return names quoted and comma-separated, cut after ``limit`` so messages stay readable."""
    names = list(names)
    shown = ", ".join(quote(x, 100) for x in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "") or "none"


def describe_path(path: Path) -> str:
    """Return in words what is at ``path`` when it is not a regular file ("a folder", "a named pipe").

    Examples
    --------
    >>> import tempfile
    >>> describe_path(Path(tempfile.gettempdir())), describe_path(Path("/no/such/file.csv"))
    ('a folder', 'no file at this path')
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a link to a file that does not exist" if path.is_symlink() else "no file at this path"
    except OSError as exc:
        return f"a path that cannot be looked at ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "something that is not a regular file"
