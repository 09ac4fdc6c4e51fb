"""Tests of analysis.stats.disclosure's rules, with group sizes chosen around min_n = 5."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.exceptions import ParameterError
from analysis.stats.disclosure import check_min_n, distribution_pool, merged_group, suppress_siblings


def test_check_min_n_refuses_fractions_and_anything_under_five():
    for bad in (2.5, "x", True):
        with pytest.raises(ParameterError, match="min_n must be a whole number of at least 5"):
            check_min_n(bad)
    for small in (-1, 0, 1, 3, 4):
        with pytest.raises(ParameterError, match=r"at least 5, found .*recognised"):
            check_min_n(small)
    assert check_min_n(5) == 5 and check_min_n(12) == 12


def test_distribution_pool_leaves_out_small_hidden_groups():
    # A (12) is shown; B (6) and C (7) are published but hidden: together 13 >= 10, so pooled.
    assert distribution_pool({"A": 12, "B": 6, "C": 7}, 5) == ["A", "B", "C"]
    # B alone (6 < 10) would be exposed by subtraction; D (4) is suppressed outright.
    assert distribution_pool({"A": 12, "B": 6, "D": 4}, 5) == ["A"]
    assert distribution_pool({"D": 4}, 5) == []


def test_suppress_siblings_hides_every_part_of_a_whole_with_one_hidden_part():
    parts = pd.DataFrame(
        {
            "wave": [2025] * 4,
            "department": ["BUF", "BUF", "SUF", "SUF"],
            "value": ["a", "a", "a", "a"],
            "suppressed": [False, True, False, False],
        }
    )
    assert suppress_siblings(parts, "value")["suppressed"].tolist() == [True, True, False, False]


# -- the merged group, worked by hand, and the differencing property ----------------------------
def test_merged_group_of_two_small_departments():
    # B (3) and C (4) pool on their own: 7 respondents from two departments.
    assert merged_group({"A": 20, "B": 3, "C": 4, "D": 9}, 5) == (["B", "C"], True)


def test_merged_group_pulls_in_the_smallest_published_department():
    # C alone (3) would be the total minus the others: D (6) is the smallest published one.
    assert merged_group({"A": 20, "B": 8, "C": 3, "D": 6}, 5) == (["C", "D"], True)
    # Two small ones that together stay under min_n pull one in too: B 1 + C 2 = 3 < 5.
    assert merged_group({"A": 20, "B": 1, "C": 2, "D": 6}, 5) == (["B", "C", "D"], True)


def test_merged_group_tie_goes_to_the_later_department_in_report_order():
    assert merged_group({"A": 6, "B": 3, "C": 6, "D": 9}, 5) == (["B", "C"], True)
    assert merged_group({"C": 6, "B": 3, "A": 6, "D": 9}, 5) == (["B", "A"], True)


def test_merged_group_that_cannot_be_published():
    assert merged_group({"A": 2, "B": 2}, 5) == (["A", "B"], False)
    assert merged_group({"A": 9}, 5) == ([], True)
    assert merged_group({"A": 4}, 5) == (["A"], False)


def test_departments_without_answers_are_not_members():
    assert merged_group({"A": 9, "B": 0, "C": 8}, 5) == ([], True)


answer = st.sampled_from([1, 2, 3, 4, 5, 8, None])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.integers(1, 12), min_size=2, max_size=7), st.integers(5, 7), st.data())
def test_no_published_number_is_a_function_of_one_hidden_department(tiny_codebook, sizes, min_n, data):
    """Difference the municipality against every published cell: what is left is the merged group's
    contribution (published, from two or more departments and at least min_n respondents), never a
    single hidden department."""
    from conftest import people_frame

    from analysis import config
    from analysis.stats.scoring import score_survey

    codes = [f"D{k}" for k in range(len(sizes))]
    people = {
        code: [data.draw(st.lists(answer, min_size=3, max_size=3)) for _ in range(size)]
        for code, size in zip(codes, sizes)
    }
    scores = score_survey(
        people_frame(people, ["food_1", "food_2", "wages_1"]), tiny_codebook, min_n=min_n, seed=1, resamples=100
    )
    dv, muni = scores.department_value, scores.value.set_index("value")
    for value, cells in dv.groupby("value"):
        own = cells[(cells["department"] != config.MERGED_GROUP) & ~cells["suppressed"]]
        group = cells[cells["department"] == config.MERGED_GROUP]
        hidden = cells[(cells["department"] != config.MERGED_GROUP) & cells["suppressed"]]
        # No hidden cell shows a number, not even its count.
        assert hidden[["score", "ci_low", "ci_high", "n"]].isna().all().all()
        if pd.isna(muni.loc[value, "score"]):
            continue
        residual = muni.loc[value, "score"] * muni.loc[value, "n_departments"] - own["score"].sum()
        if group.empty:
            assert abs(residual) < 1e-9 or hidden.empty
            continue
        row = group.iloc[0]
        members = row["members"].split("+")
        assert not row["suppressed"] and len(members) >= 2 and row["n"] >= min_n
        assert residual == pytest.approx(len(members) * row["score"])
        # Every member's own cell is hidden.
        assert set(members) <= set(hidden["department"])
