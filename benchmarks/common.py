"""Shared helpers of the benchmark scripts: timing as medians and synthetic inputs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.survey.codebook import Codebook, load_codebook


def median_seconds(run: Callable[[], object], repeats: int = 5) -> tuple[float, list[float]]:
    """Run ``run`` ``repeats`` times and return the median wall time and all times."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def wide_codebook(folder: Path, n_items: int = 60) -> Codebook:
    """Write and load a codebook shaped like the real one but with exactly ``n_items`` items.

    Five values, four focus areas each, the items spread over them; one item in ten reversed.
    """
    real = load_codebook()
    values = []
    k = 0
    for v in range(5):
        fas = []
        for f in range(4):
            items = []
            for _ in range(n_items // 20 + (1 if (v * 4 + f) < n_items % 20 else 0)):
                items.append(
                    {"id": f"q{k}", "text_da": f"Spørgsmål {k}", "text_en": f"Item {k}", "reverse": k % 10 == 3}
                )
                k += 1
            fas.append({"id": f"v{v}_f{f}", "name_da": f"F{f}", "name_en": f"F{f}", "items": items})
        values.append({"id": f"v{v}", "name_da": f"V{v}", "name_en": f"V{v}", "focus_areas": fas})
    levels = [{"code": c, "name_da": real.levels[c][0], "name_en": real.levels[c][1]} for c in range(1, 6)]
    doc = {
        "version": "bench",
        "scale": {
            "levels": levels,
            "dont_know": {"code": 8, "name_da": "Ved ikke", "name_en": "Don't know"},
            "not_applicable": {"code": 9, "name_da": "Ikke relevant", "name_en": "Not applicable"},
        },
        "values": values,
    }
    path = folder / "codebook.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return load_codebook(path)


def long_responses(codebook: Codebook, respondents: int, seed: int = 1) -> pd.DataFrame:
    """Return a long response frame of ``respondents`` spread over the seven departments."""
    rng = np.random.default_rng(seed)
    departments = np.array(["ØKF", "BUF", "SUF", "SOF", "TMF", "KFF", "BIF"])
    items = np.array(codebook.item_ids)
    dept = departments[rng.integers(0, len(departments), respondents)]
    answers = rng.choice(
        np.array([1, 2, 3, 4, 5, 8, 9, 0], dtype=np.int8),
        p=[0.12, 0.2, 0.27, 0.22, 0.1, 0.05, 0.02, 0.02],
        size=(respondents, len(items)),
    )
    frame = pd.DataFrame(
        {
            "wave": np.int64(2025),
            "respondent_id": np.repeat(np.char.add("R", np.arange(respondents).astype(str)), len(items)),
            "department": np.repeat(dept, len(items)),
            "item": np.tile(items, respondents),
            "answer": pd.array(answers.ravel(), dtype="Int8"),
        }
    )
    frame.loc[frame["answer"] == 0, "answer"] = pd.NA
    return frame
