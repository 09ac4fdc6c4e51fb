"""Paired comparisons and p-value adjustments, against numbers worked out by hand.

The scores here are built by hand (small frames and replicate arrays), so every expected number
can be checked on paper. Most use four resamples and a 50 % interval: numpy's linear percentile
of four sorted numbers x0 <= x1 <= x2 <= x3 is x0 + 0.75 (x1 - x0) at 25 % and
x2 + 0.25 (x3 - x2) at 75 %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.exceptions import ParameterError
from analysis.stats.comparisons import (
    Extremes,
    benjamini_hochberg,
    bootstrap_p_value,
    compare_departments,
    compare_departments_to_municipality,
    compare_values,
    covered_departments,
    highest_lowest,
    holm,
    municipal_replicates,
    paired_difference,
)
from analysis.stats.scores import Scores


def hand_scores(cells, replicates, value, *, confidence=0.5, municipal=None, focus_areas=None, fa_replicates=None):
    """Return a Scores from hand-written cells, municipal point scores and replicates.

    ``cells``: ``(wave, department, value, score, suppressed)`` tuples, optionally with a sixth
    entry ``members`` (the merged group's departments, "A+B"). ``value``: ``(wave, value, score)``
    tuples. ``municipal``: ``{wave: array}``, set as ``scores.municipal_replicates`` when given.
    ``focus_areas``: ``(wave, department, value, focus_area, score, suppressed)`` tuples.
    """
    rows = []
    for cell in cells:
        wave, dept, vid, score, suppressed = cell[:5]
        row = {
            "wave": wave,
            "department": dept,
            "value": vid,
            "score": np.nan if suppressed else score,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "n": 3 if suppressed else 10,
            "suppressed": suppressed,
            "level": pd.NA,
            "level_uncertain": False,
        }
        if len(cell) > 5:
            row["members"] = cell[5]
        rows.append(row)
    fa_rows = [
        {
            "wave": wave,
            "department": dept,
            "value": vid,
            "focus_area": fid,
            "score": np.nan if suppressed else score,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "n": 10,
            "suppressed": suppressed,
            "level": pd.NA,
            "level_uncertain": False,
        }
        for wave, dept, vid, fid, score, suppressed in (focus_areas or [])
    ]
    fa_columns = ["wave", "department", "value", "focus_area", "score", "suppressed"]
    scores = Scores(
        department_value=pd.DataFrame(rows),
        value=pd.DataFrame([{"wave": w, "value": v, "score": s} for w, v, s in value]),
        department_focus_area=pd.DataFrame(fa_rows) if fa_rows else pd.DataFrame(columns=fa_columns),
        dont_know=pd.DataFrame(),
        item=pd.DataFrame(),
        respondents=pd.DataFrame(),
        min_n=5,
        seed=1,
        resamples=len(next(iter(replicates.values()))),
        confidence=confidence,
        codebook_version="test",
        replicates={key: np.asarray(r, dtype=float) for key, r in replicates.items()},
        focus_area_replicates={key: np.asarray(r, dtype=float) for key, r in (fa_replicates or {}).items()},
    )
    if municipal is not None:
        scores.municipal_replicates = {w: np.asarray(r, dtype=float) for w, r in municipal.items()}
    return scores


# -- adjustments and p-values ------------------------------------------------------------------


def test_holm_on_a_known_vector():
    # Sorted: 0.005, 0.01, 0.03, 0.04 times m - j + 1 = 4, 3, 2, 1 -> 0.02, 0.03, 0.06, 0.04;
    # running maximum -> 0.02, 0.03, 0.06, 0.06; back in the original order:
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_benjamini_hochberg_on_a_known_vector():
    # Sorted: 0.005, 0.01, 0.03, 0.04 times m / j = 4, 2, 4/3, 1 -> 0.02, 0.02, 0.04, 0.04;
    # running minimum from the top changes nothing; back in the original order:
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_adjustments_ignore_nan_and_cap_at_one():
    # NaN does not count: m = 2. Holm: 0.01 * 2, 0.04 * 1. BH: 0.01 * 2 / 1, 0.04 * 2 / 2.
    np.testing.assert_allclose(holm([0.01, np.nan, 0.04]), [0.02, np.nan, 0.04])
    np.testing.assert_allclose(benjamini_hochberg([0.01, np.nan, 0.04]), [0.02, np.nan, 0.04])
    # Holm: 0.5 * 2 = 1.0, then max(1.0, 0.6 * 1) = 1.0. BH: min(0.5 * 2, 0.6) = 0.6, 0.6 * 2 / 2.
    assert holm([0.5, 0.6]) == pytest.approx([1.0, 1.0])
    assert benjamini_hochberg([0.5, 0.6]) == pytest.approx([0.6, 0.6])
    assert holm([0.9, 0.8]).max() <= 1.0 and benjamini_hochberg([0.9, 0.9, 0.9]).max() <= 1.0
    assert np.isnan(holm([np.nan])).all() and holm([]).size == 0
    with pytest.raises(ParameterError, match="between 0 and 1"):
        holm([0.5, 1.5])


def test_bootstrap_p_value_on_a_small_vector():
    # Four numbers (NaN left out): one <= 0, three >= 0 -> 2 * min(1/4, 3/4) = 0.5.
    assert bootstrap_p_value([-1.0, 1.0, 2.0, 3.0, np.nan]) == pytest.approx(0.5)
    # A zero counts on both sides: 2 * min(1/4, 4/4).
    assert bootstrap_p_value([0.0, 1.0, 2.0, 3.0]) == pytest.approx(0.5)
    assert bootstrap_p_value([1.0, 2.0, 3.0]) == 0.0
    assert bootstrap_p_value([0.0, 0.0]) == 1.0  # 2 * 1, capped
    assert np.isnan(bootstrap_p_value([np.nan, np.nan]))


# -- one paired difference ---------------------------------------------------------------------


def test_paired_difference_excludes_zero_where_the_two_intervals_overlap():
    # b and a move together (strong positive correlation); a is b plus 0.1 to 0.2.
    b = np.array([2.0, 2.5, 3.0, 3.5, 4.0])
    a = b + np.array([0.1, 0.2, 0.1, 0.2, 0.15])
    # Five numbers, 50 %: the 25th and 75th percentiles are the 2nd and 4th sorted numbers.
    # a: 2.1, 2.7, 3.1, 3.7, 4.15 -> [2.7, 3.7]; b -> [2.5, 3.5]: the intervals overlap.
    assert np.percentile(a, [25, 75]) == pytest.approx([2.7, 3.7])
    assert np.percentile(b, [25, 75]) == pytest.approx([2.5, 3.5])
    result = paired_difference(a, b, 3.15, 3.0, 0.5)
    # a - b sorted: 0.1, 0.1, 0.15, 0.2, 0.2 -> [0.1, 0.2], all above 0 -> p = 0.
    assert result["diff"] == pytest.approx(0.15)
    assert result["ci_low"] == pytest.approx(0.1) and result["ci_high"] == pytest.approx(0.2)
    assert result["p"] == 0.0
    # Unpaired (b's resamples in another order) the same numbers say nothing: a - b reversed is
    # -1.9, -0.8, 0.1, 1.2, 2.15 -> [-0.8, 1.2].
    unpaired = paired_difference(a, b[::-1], 3.15, 3.0, 0.5)
    assert unpaired["ci_low"] == pytest.approx(-0.8) and unpaired["ci_high"] == pytest.approx(1.2)
    assert unpaired["p"] == pytest.approx(0.8)  # 2 * min(2/5, 3/5)


def test_paired_difference_refuses_unequal_resamples():
    with pytest.raises(ParameterError, match="as many resamples"):
        paired_difference([1.0, 2.0], [1.0], 1.5, 1.0)


# -- departments against the municipality ------------------------------------------------------

A = [4.0, 4.2, 3.8, 4.0]
B = [3.0, 3.2, 2.8, 3.0]
C = [2.0, 1.8, 2.2, 2.0]


def _three_departments(**kwargs):
    """One wave, one value: A (4.0), B (3.0), C (2.0) published, D suppressed; municipality 3.0."""
    cells = [
        (2025, "A", "v", 4.0, False),
        (2025, "B", "v", 3.0, False),
        (2025, "C", "v", 2.0, False),
        (2025, "D", "v", np.nan, True),
    ]
    reps = {(2025, "A"): np.c_[A], (2025, "B"): np.c_[B], (2025, "C"): np.c_[C], (2025, "D"): np.c_[[9.0] * 4]}
    return hand_scores(cells, reps, [(2025, "v", 3.0)], **kwargs)


def test_departments_against_the_municipality_are_named_above_and_below_alike():
    table = compare_departments_to_municipality(_three_departments(), 2025)
    assert list(table.columns) == [
        "wave",
        "department",
        "value",
        "score",
        "municipality",
        "diff",
        "ci_low",
        "ci_high",
        "p",
        "position",
    ]
    # D is suppressed: left out (its replicates of 9 would otherwise show).
    assert table["department"].tolist() == ["A", "B", "C"]
    # Municipality (fallback: A, B, C averaged resample by resample): 3.0, 3.0667, 2.9333, 3.0.
    # A - M: 1.0, 1.1333, 0.8667, 1.0 -> sorted 0.8667, 1.0, 1.0, 1.1333 -> [29/30, 31/30].
    a = table.set_index("department").loc["A"]
    assert a["diff"] == pytest.approx(1.0) and a["municipality"] == 3.0
    assert a["ci_low"] == pytest.approx(29 / 30) and a["ci_high"] == pytest.approx(31 / 30)
    assert a["p"] == 0.0
    # B - M: 0, 0.1333, -0.1333, 0 -> on level (p = 2 * min(3/4, 3/4), capped at 1).
    assert table["position"].tolist() == ["above", "on level", "below"]
    assert table.set_index("department").loc["B", "p"] == 1.0
    assert table.set_index("department").loc["C", "diff"] == pytest.approx(-1.0)


def test_municipal_replicates_are_used_when_the_scores_carry_them():
    # Municipality replicates 3.9 in every resample: A (4.0, 4.2, 3.8, 4.0) is then on level.
    scores = _three_departments(municipal={2025: np.c_[[3.9] * 4]})
    assert municipal_replicates(scores, 2025)[:, 0].tolist() == [3.9] * 4
    table = compare_departments_to_municipality(scores, 2025).set_index("department")
    # A - M: 0.1, 0.3, -0.1, 0.1 -> sorted -0.1, 0.1, 0.1, 0.3 -> 25th percentile
    # -0.1 + 0.75 * 0.2 = 0.05, 75th 0.1 + 0.25 * 0.2 = 0.15: above.
    assert table.loc["A", "ci_low"] == pytest.approx(0.05) and table.loc["A", "ci_high"] == pytest.approx(0.15)
    # diff is the point scores' difference: 4.0 - 3.0 (scores.value), not the replicates'.
    assert table.loc["A", "diff"] == pytest.approx(1.0)
    assert table.loc["C", "position"] == "below"


def test_the_merged_group_is_compared_and_weighs_its_members_in_the_fallback():
    cells = [
        (2025, "A", "v", 4.0, False, ""),
        (2025, "B", "v", 3.0, False, ""),
        (2025, "C", "v", np.nan, True, ""),
        (2025, "D", "v", np.nan, True, ""),
        (2025, "ØVRIGE", "v", 2.0, False, "C+D"),
    ]
    reps = {
        (2025, "A"): np.c_[A],
        (2025, "B"): np.c_[B],
        (2025, "C"): np.c_[[0.0] * 4],
        (2025, "D"): np.c_[[0.0] * 4],
        (2025, "ØVRIGE"): np.c_[C],
    }
    # S(V) = (4 + 3 + 2 * 2) / 4 = 2.75: the merged group weighs two departments.
    scores = hand_scores(cells, reps, [(2025, "v", 2.75)])
    assert covered_departments(scores, 2025, "v") == ["A", "B", "C", "D"]
    # Resample 2: (4.2 + 3.2 + 2 * 1.8) / 4 = 2.75; resample 3: (3.8 + 2.8 + 2 * 2.2) / 4 = 2.75.
    assert municipal_replicates(scores, 2025)[:, 0] == pytest.approx([2.75] * 4)
    table = compare_departments_to_municipality(scores, 2025).set_index("department")
    assert table.index.tolist() == ["A", "B", "ØVRIGE"]
    assert table.loc["ØVRIGE", "diff"] == pytest.approx(-0.75) and table.loc["ØVRIGE", "position"] == "below"
    assert table.loc["B", "position"] == "above"  # B - M: 0.25, 0.45, 0.05, 0.25


# -- two departments ---------------------------------------------------------------------------


def test_compare_departments_pairs_published_departments_resample_by_resample():
    table = compare_departments(_three_departments(), 2025, "v")
    assert list(zip(table["department_a"], table["department_b"])) == [("A", "B"), ("A", "C"), ("B", "C")]
    # A - C: 2.0, 2.4, 1.6, 2.0 -> sorted 1.6, 2.0, 2.0, 2.4 -> [1.6 + 0.75 * 0.4, 2.0 + 0.25 * 0.4].
    ac = table.iloc[1]
    assert ac["diff"] == pytest.approx(2.0)
    assert ac["ci_low"] == pytest.approx(1.9) and ac["ci_high"] == pytest.approx(2.1)
    assert ac["p"] == 0.0 and ac["position"] == "above"
    with pytest.raises(ParameterError, match="unknown value"):
        compare_departments(_three_departments(), 2025, "nope")


# -- two values --------------------------------------------------------------------------------

V1 = [2.9, 3.0, 3.1, 3.0]
V2 = [3.1, 2.9, 3.0, 3.1]  # V2 - V1: 0.2, -0.1, -0.1, 0.1
V3 = [2.0, 2.1, 1.9, 2.0]  # V3 - V1: -0.9, -0.9, -1.2, -1.0


def _three_values(v2=V2, v2_point=3.02, department="ALL"):
    """One wave: values v1 (3.00), v2 and v3 (2.00), for the municipality or a department X."""
    reps = np.c_[V1, v2, V3]
    cells = [(2025, "X", v, s, False) for v, s in zip(["v1", "v2", "v3"], [3.0, v2_point, 2.0])]
    value = [(2025, v, s) for v, s in zip(["v1", "v2", "v3"], [3.0, v2_point, 2.0])]
    return hand_scores(cells, {(2025, "X"): reps}, value, municipal={2025: reps} if department == "ALL" else None)


def test_two_values_002_apart_are_neither_highest_nor_lowest():
    scores = _three_values()
    pairs = compare_values(scores, 2025)
    assert list(zip(pairs["value_a"], pairs["value_b"])) == [("v1", "v2"), ("v1", "v3"), ("v2", "v3")]
    v1_v2 = pairs.iloc[0]
    # v1 - v2: -0.2, 0.1, 0.1, -0.1 -> sorted -0.2, -0.1, 0.1, 0.1 -> [-0.125, 0.1]: on level.
    assert v1_v2["diff"] == pytest.approx(-0.02)
    assert v1_v2["ci_low"] == pytest.approx(-0.125) and v1_v2["ci_high"] == pytest.approx(0.1)
    assert v1_v2["position"] == "on level"
    assert pairs["position"].tolist() == ["on level", "above", "above"]
    # Neither v1 nor v2 is clearly highest; v3 is clearly below both.
    assert highest_lowest(scores, 2025) == Extremes(highest=None, lowest="v3")


def test_a_value_clearly_above_every_other_is_the_highest():
    # v2 now 3.5 in every resample: v2 - v1 is 0.4 to 0.6, v2 - v3 1.4 to 1.6.
    scores = _three_values(v2=[3.5] * 4, v2_point=3.5)
    assert highest_lowest(scores, 2025) == ("v2", "v3")
    # The same for a department, from its own replicates and cells.
    assert highest_lowest(_three_values(department="X"), 2025, "X") == (None, "v3")
    assert compare_values(_three_values(department="X"), 2025, "X")["department"].eq("X").all()


def test_a_suppressed_value_is_left_out_of_the_pairs():
    cells = [(2025, "X", "v1", 3.0, False), (2025, "X", "v2", np.nan, True), (2025, "X", "v3", 2.0, False)]
    scores = hand_scores(cells, {(2025, "X"): np.c_[V1, V2, V3]}, [(2025, "v1", 3.0)])
    pairs = compare_values(scores, 2025, "X")
    assert list(zip(pairs["value_a"], pairs["value_b"])) == [("v1", "v3")]
    assert highest_lowest(scores, 2025, "X") == ("v1", "v3")
    assert highest_lowest(scores, 2025, "nobody") == (None, None)
    with pytest.raises(ParameterError, match="wave 2020 was not scored"):
        compare_values(scores, 2020)
