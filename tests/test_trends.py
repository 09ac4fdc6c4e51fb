"""Scores across waves (analysis.stats.trends), on a hand-made set of scores checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.exceptions import ParameterError
from analysis.stats.changes import score_changes
from analysis.stats.scores import Scores
from analysis.stats.trends import department_trend, municipal_change

COLUMNS = ["wave", "department", "value", "score", "ci_low", "ci_high", "n", "suppressed", "members"]


def _scores() -> Scores:
    # One value v, departments A, B, C in report order, min_n 5.
    # 2024: C has 3 respondents (n blank in the table), alone under 5, so the published department
    #   with the smallest n joins it; A and B tie at 6 and the later, B, joins: the merged group is
    #   B+C (9 respondents, score 2.0) and B's own cell is hidden too. The municipality covers all
    #   three: (A 3.0 + 2 x 2.0) / 3 = 7/3.
    # 2025: everyone has 6 and is published: (A 4.0 + B 2.0 + C 5.0) / 3 = 11/3.
    dv = pd.DataFrame(
        [
            (2024, "A", "v", 3.0, 2.0, 4.0, 6, False, ""),
            (2024, "B", "v", np.nan, np.nan, np.nan, 6, True, ""),
            (2024, "C", "v", np.nan, np.nan, np.nan, pd.NA, True, ""),
            (2024, "ØVRIGE", "v", 2.0, 1.5, 2.5, 9, False, "B+C"),
            (2025, "A", "v", 4.0, 3.0, 5.0, 6, False, ""),
            (2025, "B", "v", 2.0, 2.0, 2.0, 6, False, ""),
            (2025, "C", "v", 5.0, 5.0, 5.0, 6, False, ""),
        ],
        columns=COLUMNS,
    )
    dv["n"] = dv["n"].astype("Int64")
    value = pd.DataFrame(
        [(2024, "v", 7 / 3, 2.2, 2.4, 3, 15), (2025, "v", 11 / 3, 3.6, 3.8, 3, 18)],
        columns=["wave", "value", "score", "ci_low", "ci_high", "n_departments", "n_respondents"],
    )
    replicates = {
        (2024, "A"): np.array([[1.0], [2.0], [3.0], [4.0], [5.0]]),
        (2024, "B"): np.array([[3.0]] * 5),
        (2024, "C"): np.array([[1.0]] * 5),
        (2024, "ØVRIGE"): np.array([[2.0]] * 5),
        (2025, "A"): np.array([[3.0], [4.0], [5.0], [4.0], [4.0]]),
        (2025, "B"): np.array([[2.0]] * 5),
        (2025, "C"): np.array([[5.0]] * 5),
    }
    # The municipality's own replicates: every 2025 resample above every 2024 one.
    municipal = {
        2024: np.array([[2.0], [2.2], [2.3], [2.4], [2.5]]),
        2025: np.array([[3.5], [3.6], [3.7], [3.8], [3.9]]),
    }
    empty = pd.DataFrame()
    return Scores(
        department_value=dv,
        value=value,
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
        municipal_replicates=municipal,
    )


def test_municipal_change_is_the_full_coverage_municipality_by_hand():
    out = municipal_change(_scores(), ["v"], 2024, 2025)
    assert out["value"].tolist() == ["v"]
    row = out.iloc[0]
    # Both years are scores.value (all three departments), not the departments published in
    # both (A alone, 3.0 -> 4.0).
    assert row["score_from"] == pytest.approx(7 / 3) and row["score_to"] == pytest.approx(11 / 3)
    assert (row["ci_low_from"], row["ci_high_from"], row["ci_low_to"], row["ci_high_to"]) == (2.2, 2.4, 3.6, 3.8)
    assert row["n_departments_from"] == 3 and row["n_departments_to"] == 3
    # The change is 11/3 - 7/3 = 4/3; every resampled difference is positive, so the bootstrap
    # p-value is 2 x min(0, 1) = 0 (Holm over one test: 0), and 4/3 >= 0.25: an improvement.
    assert row["diff"] == pytest.approx(4 / 3)
    assert row["p_adjusted"] == 0.0 and row["verdict"] == "improvement"


def test_municipal_change_uses_and_checks_a_given_change_table():
    scores = _scores()
    changes = score_changes(scores, 2024, 2025)
    given = municipal_change(scores, ["v"], 2024, 2025, changes)
    pd.testing.assert_frame_equal(given, municipal_change(scores, ["v"], 2024, 2025))
    # A table from other scores (here: another interval) is refused.
    other = changes.copy()
    other.loc[other["department"] == "ALL", "ci_low"] += 0.1
    with pytest.raises(ParameterError, match="same score_survey"):
        municipal_change(scores, ["v"], 2024, 2025, other)
    with pytest.raises(ParameterError, match=r"it compares 2023 → 2025"):
        municipal_change(scores, ["v"], 2024, 2025, changes.assign(wave_from=2023))


def test_department_trend_blanks_suppressed_cells():
    out = department_trend(_scores(), "C")
    assert list(out.columns) == ["value", "wave", "score", "ci_low", "ci_high", "n", "merged", "pulled_in"]
    assert out["wave"].tolist() == [2024, 2025]
    # The count under min_n stays blank, as in the table; C was pooled into B+C in 2024.
    assert pd.isna(out.loc[0, "n"]) and out.loc[1, "n"] == 6
    assert out["merged"].tolist() == ["B+C", ""]
    assert out.loc[0, ["score", "ci_low", "ci_high"]].isna().all()
    assert out.loc[1, "score"] == 5.0
    # B has 6 respondents, but is hidden in 2024 for being pooled with C.
    b = department_trend(_scores(), "B")
    assert b["merged"].tolist() == ["B+C", ""] and b["n"].tolist() == [6, 6] and pd.isna(b.loc[0, "score"])
    with pytest.raises(ParameterError, match="XYZ"):
        department_trend(_scores(), "XYZ")
