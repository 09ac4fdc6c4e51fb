"""Run every benchmark (``make bench``). Not part of the tests: timings depend on the machine."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_coverage
import bench_loading
import bench_render
import bench_scale
import bench_scoring

if __name__ == "__main__":
    bench_scoring.main()
    bench_loading.main()
    bench_scale.main()
    bench_render.main()
    bench_coverage.main()
