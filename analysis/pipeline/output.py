"""Writing output folders all-or-nothing."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path


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
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    old, moved = None, []
    try:
        if target.exists():
            for name in keep:
                if (target / name).exists() and not (work / name).exists():
                    (target / name).rename(work / name)
                    moved.append(name)
            old = target.parent / f".{target.name}.old-{work.name.rsplit('-', 1)[-1]}"
            target.rename(old)
        work.rename(target)
    except BaseException:
        # Put everything back where it was: the kept entries into the old folder, and the old
        # folder at its name.
        home = old if old is not None else target
        for name in moved:
            (work / name).rename(home / name)
        if old is not None:
            old.rename(target)
        shutil.rmtree(work, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
