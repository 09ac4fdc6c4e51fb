"""Rendering a document's charts ahead of time, partly in a second process.

Drawing and PNG-encoding the charts is most of a briefing's own work, and it is CPU-bound. A
:class:`ChartBatch` is started as soon as the numbers exist: a forked child process begins
rendering its share of the charts at once, while the notebook goes on with its tables and
text; the rest are rendered here when first asked for. On a machine with one core, without
fork, when the caller asks for no background process (a batch render, whose worker processes
already keep every core busy), or when the child fails, every chart is simply rendered here.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import warnings
from collections.abc import Callable, Mapping

from .charts import Chart

#: Share of the charts handed to the child: it starts while this process still writes tables
#: and text, so it takes a little more than half.
CHILD_SHARE = 0.6


class ChartBatch:
    """Charts by name, rendered in the background and here, each exactly once.

    Parameters
    ----------
    builders
        Name -> a function that makes the :class:`~analysis.report.charts.Chart`. With fork, the child
        inherits the builders; they are never pickled. Only PNG bytes and alt texts come back.
    background
        Whether some charts may be rendered in a second process; False renders every chart here
        (batch renders, whose worker processes already use every core, pass False).
    """

    def __init__(self, builders: Mapping[str, Callable[[], Chart]], *, background: bool = True):
        self._builders = dict(builders)
        self._done: dict[str, Chart] = {}
        self._child = self._receive = None
        self._theirs: list[str] = []
        names = list(self._builders)
        if len(names) >= 2 and background and _may_fork():
            k = max(1, min(len(names) - 1, round(len(names) * CHILD_SHARE)))
            # Every other chart first, so both processes get a mix of heavy and light ones.
            order = names[1::2] + names[0::2]
            self._theirs = order[:k]
            ctx = multiprocessing.get_context("fork")
            self._receive, send = ctx.Pipe(duplex=False)
            self._child = ctx.Process(
                target=_render_in_child, args=([self._builders[n] for n in self._theirs], send), daemon=True
            )
            self._child.start()
            send.close()

    def __getitem__(self, name: str) -> Chart:
        """Return the chart called ``name``, rendered (PNG made)."""
        if name not in self._done:
            if name in self._theirs:
                # Render this process's own share while the child finishes, then collect.
                for own in self._builders:
                    if own not in self._theirs and own not in self._done:
                        self._render_here(own)
                self._collect()
            if name not in self._done:
                self._render_here(name)
        return self._done[name]

    def _render_here(self, name: str) -> None:
        chart = self._builders[name]()
        chart.to_png()
        self._done[name] = chart

    def _collect(self) -> None:
        """Wait for the child once and keep what it rendered; failures are rendered here later."""
        if self._child is None:
            return
        try:
            theirs = self._receive.recv()
        except (EOFError, OSError):
            theirs = None
        self._child.join()
        self._receive.close()
        self._child = None
        for name, got in zip(self._theirs, theirs or [None] * len(self._theirs)):
            if got is not None:
                png, alt = got
                self._done[name] = Chart(figure=None, alt=alt, png=png)
        self._theirs = []

    def close(self) -> None:
        """Wait for the child, if it still runs (e.g. when a document shows no charts)."""
        self._collect()


def _may_fork() -> bool:
    """Return whether a second process can help: more than one core, and fork available."""
    return (os.cpu_count() or 1) >= 2 and "fork" in multiprocessing.get_all_start_methods()


def _render_in_child(builders: list[Callable[[], Chart]], send) -> None:
    """Render charts in the forked child and send back (png, alt) pairs, None for a failure."""
    # The child must not write to the parent's streams: in a Jupyter kernel they are sockets
    # owned by the parent's threads, which do not exist in the child.
    devnull = open(os.devnull, "w")  # noqa: SIM115 - lives until the child exits
    sys.stdout = sys.stderr = devnull
    warnings.simplefilter("ignore")
    out = []
    for build in builders:
        try:
            chart = build()
            out.append((chart.to_png(), chart.alt))
        except Exception:
            out.append(None)
    send.send(out)
    send.close()
