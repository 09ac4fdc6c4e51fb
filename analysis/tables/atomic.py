"""Writing a file all-or-nothing, so that a reader never sees half of it.

The writer lives here, in the earliest stage that writes files (the tables), so that the later
stage :mod:`analysis.pipeline` can use it too without the tables importing from the pipeline.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

#: Suffix of the temporary file that :func:`atomic_write` renames into place.
TEMPORARY_SUFFIX = ".tmp"


def temporary_pattern(name: str) -> str:
    """Return the glob pattern of the temporary files :func:`atomic_write` makes for ``name``.

    Examples
    --------
    >>> temporary_pattern("manifest.json")
    '.manifest.json.*.tmp'
    """
    return f".{name}.*{TEMPORARY_SUFFIX}"


def atomic_write(path: str | Path, data: bytes | str, *, prefix: str | None = None) -> Path:
    """Write ``data`` to ``path`` so that ``path`` holds either the old or the new content.

    The data goes to a temporary file in the same folder (same file system, so the final
    :func:`os.replace` is atomic), which is flushed to disk before it is renamed over ``path``.
    When anything fails, the temporary file is removed and ``path`` is left as it was.

    Parameters
    ----------
    path : str or Path
        The file to write; its folder is created when missing.
    data : bytes or str
        The content; text is written as UTF-8.
    prefix : str, optional
        Name prefix of the temporary file (default ``.<name>.``), e.g. one that says which run
        made it, so that a later run can remove it when this one was killed.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = atomic_write(Path(folder) / "a.txt", "ø")
    ...     written.read_bytes(), sorted(p.name for p in Path(folder).iterdir())
    (b'\\xc3\\xb8', ['a.txt'])
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix or f".{target.name}.", suffix=TEMPORARY_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates the file readable by its owner only; outputs are shared documents.
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target
