"""Start ipykernel so that it never outlives the process that started it.

Run as ``python -m analysis.pipeline.kernel_launcher -f CONNECTION_FILE`` in place of
``python -m ipykernel_launcher`` (:func:`analysis.pipeline.execute.watched_kernel_command`).
A thread watches the parent whose pid jupyter_client passes in ``JPY_PARENT_PID``: as soon as the
kernel's parent is another process (the render was killed, even with ``kill -9``, and the kernel
was handed to init or a subreaper), it kills its own process group, that is the kernel and
everything it started (the chart process it forks), since jupyter_client starts every kernel as
the leader of a new session. ipykernel's own parent poller only notices a parent of pid 1, which
a container's init or a subreaper never is.

This module imports nothing of the package, so the kernel starts as fast as ipykernel's own
launcher.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time

#: Seconds between two looks at the parent.
POLL_SECONDS = 0.25


def _end_group() -> None:
    """Kill this kernel's process group (when it leads one), then exit at once."""
    with contextlib.suppress(OSError):
        if os.getpgrp() == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
    os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    _end_group()


def watch_parent() -> None:
    """Start the thread that ends the kernel when its parent is gone (POSIX only)."""
    parent = int(os.environ.get("JPY_PARENT_PID") or 0)
    if os.name != "posix" or parent <= 1:
        return  # Windows: ipykernel watches the parent's handle itself
    if os.getppid() != parent:
        _end_group()  # the parent died before the kernel got here
    threading.Thread(target=_watch, args=(parent,), name="briefing-parent-watch", daemon=True).start()


def main() -> None:
    watch_parent()
    # As ipykernel_launcher: the working folder leaves sys.path while ipykernel loads (it is put
    # back by the kernel's own path set-up).
    if sys.path and sys.path[0] == "":
        del sys.path[0]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
