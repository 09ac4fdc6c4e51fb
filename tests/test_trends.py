"""Scores across waves (analysis.stats.trends), on a hand-made set of scores checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.exceptions import ParameterError
from analysis.stats.scores import Scores
from analysis.stats.trends import common_department_means, department_trend


def _scores() -> Scores:
    # One value; A and B are published in both waves, C only in 2025 (suppressed in 2024).
    dv = pd.DataFrame(
        [
            (2024, "A", "v", 3.0, 2.0, 4.0, 6, False),
            (2024, "B", "v", 3.0, 3.0, 3.0, 6, False),
            (2024, "C", "v", 1.0, 1.0, 1.0, 3, True),
            (2025, "A", "v", 4.0, 3.0, 5.0, 6, False),
            (2025, "B", "v", 2.0, 2.0, 2.0, 6, False),
            (2025, "C", "v", 5.0, 5.0, 5.0, 6, False),
        ],
        columns=["wave", "department", "value", "score", "ci_low", "ci_high", "n", "suppressed"],
    )
    replicates = {
        (2024, "A"): np.array([[1.0], [2.0], [3.0], [4.0], [5.0]]),
        (2024, "B"): np.array([[3.0]] * 5),
        (2024, "C"): np.array([[1.0]] * 5),
        (2025, "A"): np.array([[3.0], [4.0], [5.0], [4.0], [4.0]]),
        (2025, "B"): np.array([[2.0]] * 5),
        (2025, "C"): np.array([[5.0]] * 5),
    }
    empty = pd.DataFrame()
    return Scores(
        department_value=dv,
        value=empty,
        department_focus_area=empty,
        dont_know=empty,
        item=empty,
        respondents=empty,
        min_n=5,
        seed=0,
        resamples=5,
        confidence=0.5,
        codebook_version="test",
        replicates=replicates,
    )


def _changes(n_departments: int = 2, wave_from: int = 2024) -> pd.DataFrame:
    return pd.DataFrame(
        [{"department": "ALL", "value": "v", "wave_from": wave_from, "wave_to": 2025, "n_departments": n_departments}]
    )


def test_common_department_means_by_hand():
    out = common_department_means(_scores(), ["v"], _changes(), 2024, 2025)
    assert list(out.columns) == ["wave", "value", "score", "ci_low", "ci_high", "n_departments"]
    assert out["wave"].tolist() == [2024, 2025] and out["n_departments"].tolist() == [2, 2]
    # C is left out of both waves. 2024: mean(3, 3) = 3; resample means 2, 2.5, 3, 3.5, 4, whose
    # 25th and 75th percentiles (confidence 0.5) are 2.5 and 3.5. 2025: mean(4, 2) = 3; resample
    # means 2.5, 3, 3.5, 3, 3: both percentiles 3.
    assert out[["score", "ci_low", "ci_high"]].to_numpy().tolist() == [[3.0, 2.5, 3.5], [3.0, 3.0, 3.0]]


def test_common_department_means_checks_the_changes():
    with pytest.raises(ParameterError, match="same score_survey"):
        common_department_means(_scores(), ["v"], _changes(n_departments=3), 2024, 2025)
    with pytest.raises(ParameterError, match=r"it compares 2023 → 2025"):
        common_department_means(_scores(), ["v"], _changes(wave_from=2023), 2024, 2025)


def test_department_trend_blanks_suppressed_cells():
    out = department_trend(_scores(), "C")
    assert list(out.columns) == ["value", "wave", "score", "ci_low", "ci_high", "n"]
    assert out["wave"].tolist() == [2024, 2025] and out["n"].tolist() == [3, 6]
    assert out.loc[0, ["score", "ci_low", "ci_high"]].isna().all()
    assert out.loc[1, "score"] == 5.0
    with pytest.raises(ParameterError, match="XYZ"):
        department_trend(_scores(), "XYZ")
