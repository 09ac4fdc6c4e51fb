"""Benchmark: scoring 100,000 respondents x 60 items with 2,000-resample intervals.

Target (issue 2): under 5 seconds, median of 5 runs, on the project's 2-core machine. The floor
is a plain pandas group-by mean of the same long frame (no method, no intervals), to show what
the method itself costs on this machine.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import long_responses, median_seconds, wide_codebook

from analysis.stats.scoring import score_survey

TARGET_SECONDS = 5.0


def main(respondents: int = 100_000, repeats: int = 5) -> dict:
    """Time scoring and print the median, the floor and their ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        codebook = wide_codebook(Path(tmp), n_items=60)
    responses = long_responses(codebook, respondents)
    floor, _ = median_seconds(
        lambda: responses.groupby(["department", "item"], observed=True)["answer"].mean(), repeats
    )
    median, runs = median_seconds(lambda: score_survey(responses, codebook), repeats)
    verdict = "OK" if median < TARGET_SECONDS else "OVER TARGET"
    print(
        f"scoring {respondents:,} respondents x 60 items, 2,000 resamples: "
        f"median {median:.2f} s of {repeats} ({', '.join(f'{t:.2f}' for t in runs)}); "
        f"floor (plain group-by mean) {floor:.2f} s, ratio {median / floor:.1f}x; "
        f"target < {TARGET_SECONDS:.0f} s: {verdict}"
    )
    return {"median": median, "floor": floor, "runs": runs}


if __name__ == "__main__":
    main()
