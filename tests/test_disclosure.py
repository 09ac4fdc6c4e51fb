"""Tests of analysis.stats.disclosure's rules, with group sizes chosen around min_n = 5."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.exceptions import ParameterError
from analysis.stats.disclosure import check_min_n, distribution_pool, suppress_siblings


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
