"""Writing output files and folders all-or-nothing.

A single file is written with :func:`analysis.tables.atomic.atomic_write` (in the earliest stage
that writes files); a folder is filled with :func:`atomic_directory` or moved into place with
:func:`replace_directory`.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["atomic_directory", "replace_directory"]


@contextlib.contextmanager
def atomic_directory(target: str | Path, *, keep: Iterable[str] = ()) -> Iterator[Path]:
    """Yield a temporary folder beside ``target`` that replaces ``target`` only on success.

    Everything is written into a sibling temporary folder (same file system, so the final
    rename is cheap). When the block raises, the temporary folder is removed and ``target`` is
    left exactly as it was; on success the old ``target`` is swapped out and removed. Entries
    named in ``keep`` (e.g. ``departments``) are carried over from the old ``target`` into the
    new one unless the block wrote them itself.
    """
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield work
        replace_directory(work, target, keep=keep)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def replace_directory(new: str | Path, target: str | Path, *, keep: Iterable[str] = ()) -> None:
    """Move the folder ``new`` to ``target``, replacing any folder there, or change nothing.

    ``new`` must lie on the same file system as ``target`` (e.g. beside it), so that every move
    is a rename. The old ``target`` is renamed aside first and removed only once ``new`` is in
    place; when a rename fails, everything is put back where it was and the error is raised.
    Entries named in ``keep`` are carried over from the old ``target`` unless ``new`` has them.
    """
    new, target = Path(new), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    old, moved = None, []
    try:
        if target.exists():
            for name in keep:
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
