"""Benchmark: 200,000 respondents through ``briefing validate`` and ``briefing score`` (issue 12, part 7).

The input is the bundled sample (``data/sample/responses_2025.csv``) repeated to 200,000 rows
with unique respondent ids, written as CSV into a temporary folder. Each command runs as a fresh
process, as an analyst runs it (``python -m analysis ...``), three times; the script prints the
median wall time, the CPU time (user + system, which load from other programs on the machine
does not inflate) and the peak resident memory of each run, read from the operating system's
accounting of that child process (``os.wait4``, the same number as ``/usr/bin/time -v``'s
"Maximum resident set size").

Targets on the project's 2-core machine: validate under 5 s, score under 15 s, each with peak
memory under 600 MB. The floor is a fresh process that imports pandas and reads the same file
with ``pd.read_csv(path, dtype=str, keep_default_na=False)``: what any tool pays to look at the
file at all. ``--render`` also times ``briefing render`` of the file (no target; one run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
SAMPLE = PROJECT / "data" / "sample" / "responses_2025.csv"
RESPONDENTS = 200_000
TARGETS = {"validate": 5.0, "score": 15.0}  # seconds
TARGET_MB = 600.0

FLOOR = "import sys, pandas as pd\npd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)\n"


def write_input(path: Path, respondents: int = RESPONDENTS) -> Path:
    """Write the sample repeated to ``respondents`` rows with unique ids (the issue's recipe)."""
    import pandas as pd

    d = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    big = pd.concat([d] * (respondents // len(d) + 1), ignore_index=True).iloc[:respondents].copy()
    big["respondent_id"] = [f"R{k:06d}" for k in range(len(big))]
    big.to_csv(path, index=False)
    return path


def _peak_mb(rusage) -> float:
    """Return a child's peak resident memory in MB (Linux reports KiB, macOS bytes)."""
    scale = 1 if sys.platform == "darwin" else 1024
    return rusage.ru_maxrss * scale / 1e6


def run_once(cmd: list[str]) -> dict:
    """Run ``cmd`` as a fresh process; return its wall time, CPU time and peak memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, rusage = os.wait4(proc.pid, 0)  # this child's own accounting, not all children's
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-2000:]}")
    return {"wall": wall, "cpu": rusage.ru_utime + rusage.ru_stime, "mb": _peak_mb(rusage)}


def measure(cmd: list[str], repeats: int) -> dict:
    """Run ``cmd`` ``repeats`` times; return the medians, the largest peak and every run."""
    runs = [run_once(cmd) for _ in range(repeats)]
    return {
        "wall": statistics.median(r["wall"] for r in runs),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "mb": max(r["mb"] for r in runs),
        "runs": runs,
    }


def _line(name: str, m: dict, floor: dict | None, target: float | None) -> str:
    walls = ", ".join(f"{r['wall']:.2f}" for r in m["runs"])
    text = f"{name:>8}: median {m['wall']:6.2f} s ({walls}), CPU {m['cpu']:6.2f} s, peak {m['mb']:6.0f} MB" + (
        f"; {m['wall'] / floor['wall']:.1f}x the floor's time, {m['mb'] / floor['mb']:.1f}x its memory" if floor else ""
    )
    if target is not None:
        ok = m["wall"] < target and m["mb"] < TARGET_MB
        text += f"; target < {target:.0f} s and < {TARGET_MB:.0f} MB: {'OK' if ok else 'NOT MET'}"
    return text


def main(repeats: int = 3, render: bool = False, respondents: int = RESPONDENTS) -> dict:
    """Generate the input, time the floor, validate and score (and render), print and return the numbers."""
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        path = write_input(Path(tmp) / f"big{respondents // 1000}k.csv", respondents)
        size = path.stat().st_size / 1e6
        floor = measure([py, "-c", FLOOR, str(path)], repeats)
        out = {"floor": floor}
        out["validate"] = measure([py, "-m", "analysis", "validate", str(path)], repeats)
        out["score"] = measure([py, "-m", "analysis", "score", "-r", str(path), "--out", f"{tmp}/score"], repeats)
        if render:
            out["render"] = measure(
                [py, "-m", "analysis", "render", "--force", "-r", str(path), "--out", f"{tmp}/render"], 1
            )
    print(
        f"{respondents:,} respondents x 57 items ({size:.0f} MB CSV), fresh processes, {repeats} runs each "
        f"(median time, largest peak resident memory):"
    )
    print(_line("floor", floor, None, None) + "  (import pandas; pd.read_csv of the file)")
    for name in ("validate", "score", "render"):
        if name in out:
            print(_line(name, out[name], floor, TARGETS.get(name)))
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--render", action="store_true", help="also time briefing render (one run; slow)")
    parser.add_argument("--respondents", type=int, default=RESPONDENTS)
    args = parser.parse_args()
    main(repeats=args.repeats, render=args.render, respondents=args.respondents)
