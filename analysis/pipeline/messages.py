"""Step messages of a render on stderr, which a batch turns off per thread."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator

_STATE = threading.local()


@contextlib.contextmanager
def quiet(on: bool = True) -> Iterator[None]:
    """Silence :func:`say` in this thread inside the block (when ``on``)."""
    before = getattr(_STATE, "on", False)
    _STATE.on = on
    try:
        yield
    finally:
        _STATE.on = before


def say(message: str) -> None:
    """Print a step message to stderr unless this thread is :func:`quiet`."""
    if not getattr(_STATE, "on", False):
        print(message, file=sys.stderr, flush=True)
