"""Writing output files and folders all-or-nothing.

A single file is written with :func:`analysis.tables.atomic.atomic_write` (in the earliest stage
that writes files); a folder is filled with :func:`atomic_directory` or moved into place with
:func:`replace_directory`.

Languages share an output folder side by side. The default language (Danish) owns the plain
names (``briefing.html``, ``manifest.json``, ``tables/``); every other language tags each
top-level entry it writes with its code after the first part of the name
(``briefing.en.html``, ``manifest.en.json``, ``tables.en/``): :func:`language_name`. A render in
one language replaces only its own entries and carries every other language's over untouched
(``lang=`` of :func:`atomic_directory` and :func:`replace_directory`).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..config import LANGUAGES

__all__ = [
    "DEFAULT_LANG",
    "atomic_directory",
    "entry_language",
    "language_name",
    "other_languages",
    "replace_directory",
    "tag_language",
]

#: The language whose outputs carry no language tag (the committee's own: Danish).
DEFAULT_LANG = LANGUAGES[0]


def language_name(name: str, lang: str) -> str:
    """Return the name of a top-level output entry as the language ``lang`` writes it.

    The default language keeps the name; any other inserts its code after the first part of
    the name, for files and folders alike, whatever the document is called.

    Examples
    --------
    >>> language_name("briefing.html", "en"), language_name("bilag.pdf", "en")
    ('briefing.en.html', 'bilag.en.pdf')
    >>> language_name("tables", "en"), language_name("manifest.json", "da")
    ('tables.en', 'manifest.json')
    >>> language_name("briefing.en.html", "en")  # already tagged
    'briefing.en.html'
    """
    if lang == DEFAULT_LANG or entry_language(name) == lang:
        return name
    stem, dot, rest = name.partition(".")
    return f"{stem}.{lang}{dot}{rest}"


def entry_language(name: str) -> str:
    """Return the language a top-level output entry belongs to: its tag, else the default.

    Examples
    --------
    >>> entry_language("profile.en.pdf"), entry_language("tables.en"), entry_language("tables")
    ('en', 'en', 'da')
    """
    parts = name.split(".")
    if len(parts) >= 2 and parts[0] and parts[1] in LANGUAGES:
        return parts[1]
    return DEFAULT_LANG


def other_languages(folder: str | Path, lang: str) -> list[str]:
    """Return the names of the entries of ``folder`` that belong to a language other than ``lang``.

    A render in ``lang`` carries these over; for the default language they are the tagged
    entries, for any other every entry without its own tag.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if entry_language(p.name) != lang)


def tag_language(folder: str | Path, lang: str) -> None:
    """Rename every top-level entry of a freshly written ``folder`` to its name in ``lang``.

    A notebook writes ``tables/`` and reads ``manifest.json`` whatever its language; before
    the folder is moved into place, they become ``tables.en/`` and ``manifest.en.json``.
    """
    folder = Path(folder)
    for path in sorted(folder.iterdir()):
        tagged = language_name(path.name, lang)
        if tagged != path.name:
            if (folder / tagged).exists():
                raise FileExistsError(f"{folder / tagged} exists; cannot rename {path.name} to it.")
            path.rename(folder / tagged)


@contextlib.contextmanager
def atomic_directory(target: str | Path, *, keep: Iterable[str] = (), lang: str | None = None) -> Iterator[Path]:
    """Yield a temporary folder beside ``target`` that replaces ``target`` only on success.

    Everything is written into a sibling temporary folder (same file system, so the final
    rename is cheap). When the block raises, the temporary folder is removed and ``target`` is
    left exactly as it was; on success the old ``target`` is swapped out and removed. Entries
    named in ``keep`` (e.g. ``departments``) are carried over from the old ``target`` into the
    new one unless the block wrote them itself, and with ``lang`` so are the entries of every
    other language (:func:`other_languages`): the block then replaces only its language's files.
    """
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield work
        replace_directory(work, target, keep=keep, lang=lang)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def replace_directory(
    new: str | Path, target: str | Path, *, keep: Iterable[str] = (), lang: str | None = None
) -> None:
    """Move the folder ``new`` to ``target``, replacing any folder there, or change nothing.

    ``new`` must lie on the same file system as ``target`` (e.g. beside it), so that every move
    is a rename. The old ``target`` is renamed aside first and removed only once ``new`` is in
    place; when a rename fails, everything is put back where it was and the error is raised.
    Entries named in ``keep`` are carried over from the old ``target`` unless ``new`` has them;
    with ``lang``, so are the entries of ``target`` that belong to another language.
    """
    new, target = Path(new), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    old, moved = None, []
    try:
        if target.exists():
            carried = dict.fromkeys([*keep, *(other_languages(target, lang) if lang is not None else ())])
            for name in carried:
                if (target / name).exists() and not (new / name).exists():
                    (target / name).rename(new / name)
                    moved.append(name)
            old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:12]}"
            target.rename(old)
        new.rename(target)
    except BaseException:
        # Put everything back where it was: the kept entries into the old folder, and the old
        # folder at its name.
        home = old if old is not None else target
        for name in moved:
            (new / name).rename(home / name)
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
