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
import ctypes
import errno
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..config import LANGUAGES
from . import lifecycle

__all__ = [
    "DEFAULT_LANG",
    "atomic_directory",
    "check_tables_folder",
    "entry_language",
    "language_name",
    "link_tree",
    "other_languages",
    "replace_directory",
    "swap_directories",
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
def atomic_directory(
    target: str | Path, *, keep: Iterable[str] = (), lang: str | None = None, owned: Callable[[str], bool] | None = None
) -> Iterator[Path]:
    """Yield a temporary folder beside ``target`` that replaces ``target`` only on success.

    Everything is written into a sibling temporary folder (same file system, so the final
    swap is a rename), named after this run's session (:func:`analysis.pipeline.lifecycle.temp_prefix`)
    so that a later run can tell it from work in progress and clear it away if this run is killed.
    What earlier, dead runs left beside ``target`` is cleared first
    (:func:`analysis.pipeline.lifecycle.recover`). When the block raises (an error, or a signal
    turned into :class:`~analysis.pipeline.lifecycle.Interrupted`), the temporary folder is removed
    and ``target`` is left exactly as it was; on success the temporary folder takes the place of
    ``target`` in one step (:func:`replace_directory`). Entries of the old ``target`` that the new
    one does not own (``keep``, other languages, anything ``owned`` says is not its own) are carried
    over unchanged.
    """
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    lifecycle.recover(target)
    work = Path(tempfile.mkdtemp(prefix=lifecycle.temp_prefix(target), dir=target.parent))
    try:
        yield work
        replace_directory(work, target, keep=keep, lang=lang, owned=owned)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def replace_directory(
    new: str | Path,
    target: str | Path,
    *,
    keep: Iterable[str] = (),
    lang: str | None = None,
    owned: Callable[[str], bool] | None = None,
) -> None:
    """Move the folder ``new`` to ``target``, replacing any folder there, or change nothing.

    ``new`` must lie on the same file system as ``target`` (e.g. beside it). The entries of the old
    ``target`` that the new folder does not replace are carried over first, as hard links (copies
    where the file system has none), so the old ``target`` stays whole until the swap: entries named
    in ``keep``, and every entry the render does not own: with ``owned``, those for which it is
    false; else, with ``lang``, those of another language; else none. Then the two folders are
    swapped in one step where the system can (Linux ``renameat2`` with ``RENAME_EXCHANGE``), so
    ``target`` never goes missing; elsewhere the old folder is renamed aside just before the new
    one takes its name, and a run that dies in between leaves it to be put back by the next
    (:func:`analysis.pipeline.lifecycle.recover`). The old folder is removed last. When anything
    fails before the swap, ``target`` is as it was and the error is raised (``new`` is left for
    the caller to remove).
    """
    new, target = Path(new), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        new.rename(target)
        return
    kept = set(keep)
    if owned is None:
        owned = (lambda name: entry_language(name) == lang) if lang is not None else (lambda name: True)
    for entry in sorted(target.iterdir()):
        if (entry.name in kept or not owned(entry.name)) and not os.path.lexists(new / entry.name):
            link_tree(entry, new / entry.name)
    with lifecycle.deferred_signals():
        old = swap_directories(new, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def swap_directories(new: Path, target: Path) -> Path | None:
    """Put the folder ``new`` at ``target`` and return where the old ``target`` now is (to remove).

    An exchange in one system call where possible; else two renames, the old folder set aside
    under a name that :func:`analysis.pipeline.lifecycle.recover` knows.
    """
    if not os.path.lexists(target):
        new.rename(target)
        return None
    if _exchange(new, target):
        return new
    old = target.parent / f"{lifecycle.temp_prefix(target, 'old')}{uuid.uuid4().hex[:8]}"
    target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        old.rename(target)
        raise
    return old


def link_tree(source: Path, destination: Path) -> None:
    """Recreate ``source`` (a file, a folder or a symlink) at ``destination`` with hard links.

    The files keep their bytes, times and permissions (they are the same files); where the file
    system cannot hard-link, they are copied with their times.
    """
    if source.is_symlink():
        os.symlink(os.readlink(source), destination)
    elif source.is_dir():
        destination.mkdir()
        for child in sorted(source.iterdir()):
            link_tree(child, destination / child.name)
        shutil.copystat(source, destination)
    else:
        try:
            os.link(source, destination)
        except OSError:
            shutil.copy2(source, destination)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2: Any = None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    global _renameat2
    if not sys.platform.startswith("linux"):
        return False
    if _renameat2 is None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            _renameat2 = libc.renameat2
            _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
            _renameat2.restype = ctypes.c_int
        except (OSError, AttributeError):
            _renameat2 = False
    if _renameat2 is False:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)):
        return False  # an old kernel or a file system that cannot: two renames instead
    raise OSError(err, os.strerror(err), str(b))


def check_tables_folder(folder: str | Path, inputs: Iterable[str | Path] = ()) -> None:
    """Refuse a tables folder (``briefing score``'s ``OUT/tables``) that is not the tool's to replace.

    The folder is replaced as a whole, so it must be new, or hold only the tables the tool
    writes: the contract's CSV files, the workbook and the manifest, or files listed in the
    manifest of the folder (``briefing score``) or of the render around it (``tables/...`` in
    ``OUT/manifest.json``). It must not hold an input. Raises ParameterError saying what is in the way.
    """
    from ..exceptions import ParameterError
    from ..tables.contract import TABLES
    from ..tables.excel import EXCEL_NAME
    from .provenance import MANIFEST_NAME, read_manifest

    folder = Path(folder).resolve()
    inside = [str(p) for p in inputs if Path(p).resolve().is_relative_to(folder)]
    if inside:
        raise ParameterError(
            f"{folder} holds an input ({', '.join(inside[:3])}); it is replaced as a whole by the new tables. "
            "Move the input out of it, or choose another --out."
        )
    if folder.exists() and not folder.is_dir():
        raise ParameterError(f"{folder} exists and is not a folder; choose another --out.")
    if not folder.is_dir():
        return
    # The change table is written only when there are two waves (tables.contract.write_tables).
    own = {*TABLES, "change_by_department_value.csv", EXCEL_NAME, MANIFEST_NAME}
    for manifest, prefix in ((read_manifest(folder), ""), (read_manifest(folder.parent), f"{folder.name}/")):
        outputs = (manifest or {}).get("outputs")
        if isinstance(outputs, dict):
            own |= {rel.removeprefix(prefix) for rel in map(str, outputs) if rel.startswith(prefix)}
    foreign = sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if not path.is_dir() and path.relative_to(folder).as_posix() not in own
    )
    if foreign:
        named = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ParameterError(
            f"{folder} holds {named}, which this tool did not write; the tables folder is replaced as a "
            "whole, so it stops rather than delete them. Move them elsewhere, or choose another --out."
        )
