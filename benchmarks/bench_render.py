"""Benchmarks: (a) one committee briefing against the floor, (b) the batch of eight.

(a) One render writes the memo and its Bilag, each as HTML, PDF and Word. The floor is an empty
notebook that only imports pandas and matplotlib, rendered through the same path (papermill
kernel, HTML export, WeasyPrint). Target: the briefing at most 1.5x the floor. Second target
(issue 11): memo and Bilag in three formats at most 1.3x the single briefing (HTML + PDF) the
tool wrote before they were split, :data:`BEFORE_SECONDS`, measured with this script at that
commit on this machine.
(b) ``briefing render --department all`` (the briefing and the seven profiles, in a pool of as many
workers as cores) against eight single briefings (8 x (a)). Target: at most 3x one briefing.

Everything runs as fresh processes, as an analyst runs it, with ``--force`` so the cache never
skips a render; the script prints medians of five runs and the ratios.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
TARGET_RATIO = 1.5
TARGET_BATCH_RATIO = 3.0
#: Median of (a) at commit ec68fe2 (one briefing, HTML + PDF), 2026-12-03, this 2-core machine:
#: ``git worktree add /tmp/before ec68fe2`` and this script run there.
BEFORE_SECONDS = 10.19
TARGET_SPLIT_RATIO = 1.3

FLOOR = (
    "import sys\n"
    "from analysis.pipeline.render import render_notebook\n"
    "render_notebook(sys.argv[1], sys.argv[2], {}, title='Floor', progress=False)\n"
)


def _time(cmd: list[str], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def main(repeats: int = 5, batch: bool = True) -> dict:
    """Time the floor, the briefing and the batch; print medians and ratios, and return them."""
    with tempfile.TemporaryDirectory() as tmp:
        floor = _time([sys.executable, "-c", FLOOR, str(HERE / "floor.ipynb"), f"{tmp}/floor"], repeats)
        brief = _time([sys.executable, "-m", "analysis", "render", "--force", "--out", f"{tmp}/briefing"], repeats)
        eight = (
            _time(
                [sys.executable, "-m", "analysis", "render", "--force", "--department", "all", "--out", f"{tmp}/batch"],
                repeats,
            )
            if batch
            else []
        )
    f, b = statistics.median(floor), statistics.median(brief)
    verdict = "OK" if b <= TARGET_RATIO * f else "OVER TARGET"
    print(
        f"(a) briefing HTML+PDF: median {b:.2f} s of {repeats} ({', '.join(f'{t:.2f}' for t in brief)}); "
        f"floor {f:.2f} s ({', '.join(f'{t:.2f}' for t in floor)}); ratio {b / f:.2f}x; "
        f"target <= {TARGET_RATIO}x: {verdict}"
    )
    verdict = "OK" if b <= TARGET_SPLIT_RATIO * BEFORE_SECONDS else "OVER TARGET"
    print(
        f"    memo + Bilag in HTML, PDF and Word: {b:.2f} s against {BEFORE_SECONDS:.2f} s for one briefing "
        f"(HTML + PDF) before the split: ratio {b / BEFORE_SECONDS:.2f}x; target <= {TARGET_SPLIT_RATIO}x: {verdict}"
    )
    out = {"floor": f, "briefing": b, "ratio": b / f}
    if eight:
        e = statistics.median(eight)
        verdict = "OK" if e <= TARGET_BATCH_RATIO * b else "OVER TARGET"
        print(
            f"(b) batch of 8 (briefing + 7 profiles): median {e:.2f} s ({', '.join(f'{t:.2f}' for t in eight)}); "
            f"8 x (a) = {8 * b:.2f} s; ratio to one briefing {e / b:.2f}x; "
            f"target <= {TARGET_BATCH_RATIO}x: {verdict}"
        )
        out.update(batch=e, batch_ratio=e / b)
    return out


if __name__ == "__main__":
    main()
