"""Benchmark: one committee briefing (HTML + PDF) against the floor.

The floor is an empty notebook that only imports pandas and matplotlib, rendered through the same
path (papermill kernel, HTML export, WeasyPrint). Both run as fresh processes, as an analyst runs
them, five times each; the script prints medians and the ratio. Target: at most 1.5x the floor.
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

FLOOR = (
    "import sys\n"
    "from analysis.render import render_notebook\n"
    "render_notebook(sys.argv[1], sys.argv[2], {}, title='Floor', progress=False)\n"
)


def _time(cmd: list[str], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def main(repeats: int = 5) -> dict:
    """Time the floor and the briefing, print medians and the ratio, and return them."""
    with tempfile.TemporaryDirectory() as tmp:
        floor = _time([sys.executable, "-c", FLOOR, str(HERE / "floor.ipynb"), f"{tmp}/floor"], repeats)
        brief = _time([sys.executable, "-m", "analysis", "render", "--force", "--out", f"{tmp}/briefing"], repeats)
    f, b = statistics.median(floor), statistics.median(brief)
    verdict = "OK" if b <= TARGET_RATIO * f else "OVER TARGET"
    print(f"briefing HTML+PDF: median {b:.2f} s of {repeats} ({', '.join(f'{t:.2f}' for t in brief)}); "
          f"floor {f:.2f} s ({', '.join(f'{t:.2f}' for t in floor)}); ratio {b / f:.2f}x; "
          f"target <= {TARGET_RATIO}x: {verdict}")
    return {"floor": f, "briefing": b, "ratio": b / f}


if __name__ == "__main__":
    main()
