"""Tests of analysis.stats.bootstrap: resampling, percentile intervals (plain and expanded) and stratified means."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analysis.exceptions import ParameterError
from analysis.stats.bootstrap import (
    department_generator,
    expanded_alpha,
    expanded_interval,
    percentile_interval,
    resample,
    stratified_mean,
)


def test_percentile_interval_interpolates_linearly_between_order_statistics():
    # 0..4 at 50 %: the 25th and 75th percentiles sit at positions 0.25 * 4 = 1 and 3.
    # 0 and 10 at 90 %: positions 0.05 * 1 and 0.95 * 1, so 0.5 and 9.5 by interpolation.
    assert percentile_interval(np.arange(5.0), 0.5) == (1.0, 3.0)
    low, high = percentile_interval(np.array([0.0, 10.0]), 0.9)
    assert np.isclose(low, 0.5) and np.isclose(high, 9.5)


def test_percentile_interval_skips_nan_and_gives_nan_for_an_empty_column():
    reps = np.array([[0.0, np.nan], [np.nan, np.nan], [4.0, np.nan]])
    low, high = percentile_interval(reps, 0.5)
    assert low[0] == 1.0 and high[0] == 3.0
    assert np.isnan(low[1]) and np.isnan(high[1])


def test_stratified_mean_averages_per_resample_and_drops_nan_departments():
    a, b = np.array([1.0, 2.0, np.nan]), np.array([3.0, np.nan, np.nan])
    assert np.allclose(stratified_mean([a, b]), [2.0, 2.0, np.nan], equal_nan=True)
    # Weights 1 and 3: (1 + 9) / 4 = 2.5; where b is NaN only a remains.
    assert np.allclose(stratified_mean([a, b], weights=[1, 3]), [2.5, 2.0, np.nan], equal_nan=True)


def test_resample_draws_counts_summing_to_n_and_is_reproducible():
    seen = []

    def totals(weights):
        seen.append(weights)
        return (weights.sum(axis=1),)

    (first,) = resample(7, totals, 150, department_generator(2025, 2025, "BUF"))
    (_again,) = resample(7, totals, 150, department_generator(2025, 2025, "BUF"))
    assert first.shape == (150,) and (first == 7).all()
    assert np.array_equal(seen[0], seen[-1])
    (other,) = resample(7, lambda w: (w[:, 0],), 150, department_generator(2025, 2025, "SUF"))
    (same,) = resample(7, lambda w: (w[:, 0],), 150, department_generator(2025, 2025, "BUF"))
    assert not np.array_equal(other, same)


def test_expanded_alpha_matches_the_hand_worked_values():
    # n = 5: t(0.975, 4) = 2.776, sqrt(5 / 4) = 1.118, product 3.104, alpha' = 2 * Phi(-3.104) = 0.001908.
    assert stats.t.ppf(0.975, 4) == pytest.approx(2.776, abs=5e-4)
    assert np.sqrt(5 / 4) * stats.t.ppf(0.975, 4) == pytest.approx(3.104, abs=5e-4)
    assert expanded_alpha(5, 0.95) == pytest.approx(0.001908, abs=5e-7)
    # n = 20: t(0.975, 19) = 2.093, sqrt(20 / 19) = 1.026, product 2.147, alpha' = 0.03176.
    assert stats.t.ppf(0.975, 19) == pytest.approx(2.093, abs=5e-4)
    assert np.sqrt(20 / 19) * stats.t.ppf(0.975, 19) == pytest.approx(2.147, abs=5e-4)
    assert expanded_alpha(20, 0.95) == pytest.approx(0.03176, abs=5e-6)
    assert isinstance(expanded_alpha(5, 0.95), float)


def test_expanded_alpha_is_vectorised_and_nan_below_two():
    alpha = expanded_alpha([0, 1, 5, 20, np.nan], 0.95)
    assert alpha.shape == (5,)
    assert np.isnan(alpha[[0, 1, 4]]).all()
    assert alpha[2:4] == pytest.approx([0.001908, 0.03176], abs=5e-6)
    assert np.isnan(expanded_alpha(1, 0.95))
    assert expanded_alpha(np.array([[5, 20]]), 0.95).shape == (1, 2)


def test_expanded_alpha_grows_towards_the_nominal_alpha():
    n = np.arange(2, 2001)
    alpha = expanded_alpha(n, 0.95)
    assert (np.diff(alpha) > 0).all() and (alpha < 0.05).all()
    assert expanded_alpha(10**6, 0.95) == pytest.approx(0.05, abs=1e-4)
    assert expanded_alpha(10**6, 0.9) == pytest.approx(0.10, abs=1e-4)


def test_expanded_alpha_checks_the_confidence():
    with pytest.raises(ParameterError):
        expanded_alpha(5, 95)


def test_expanded_interval_takes_the_percentiles_of_the_adjusted_level():
    # 0..2000 at n = 5: the lower bound sits at position alpha' / 2 * 2000 = 0.000954 * 2000 = 1.908.
    low, high = expanded_interval(np.arange(2001.0), 5, 0.95)
    assert isinstance(low, float) and isinstance(high, float)
    assert low == pytest.approx(1.908, abs=5e-4) and high == pytest.approx(1998.092, abs=5e-4)
    # The same interpolation as percentile_interval at confidence 1 - alpha'.
    reps = np.random.default_rng(3).normal(size=500)
    assert expanded_interval(reps, 20, 0.95) == pytest.approx(percentile_interval(reps, 1 - expanded_alpha(20, 0.95)))


def test_expanded_interval_contains_the_plain_percentile_interval():
    reps = np.random.default_rng(5).gamma(2.0, size=(2000, 4))
    plain_low, plain_high = percentile_interval(reps, 0.95)
    low, high = expanded_interval(reps, [5, 8, 20, 400], 0.95)
    assert (low <= plain_low).all() and (high >= plain_high).all()
    # Wider the smaller the group: the n = 5 column is stretched most.
    stretch = (high - low) / (plain_high - plain_low)
    assert stretch[0] > stretch[1] > stretch[2] > stretch[3] >= 1
    one_low, one_high = expanded_interval(reps[:, 0], 5, 0.95)
    assert one_low == low[0] and one_high == high[0]


def test_expanded_interval_uses_each_column_s_own_n_and_handles_nan():
    reps = np.arange(2001.0)[:, None].repeat(4, axis=1)
    reps[::2, 1] = np.nan  # the odd numbers only: 1..1999 in 1,000 replicates
    reps[:, 3] = np.nan
    low, high = expanded_interval(reps, [5, 20, 1, 5], 0.95)
    assert low[0] == pytest.approx(1.908, abs=5e-4)
    # 1..1999 at n = 20: position 0.03176 / 2 * 999 = 15.86, so 1 + 2 * 15.86 = 32.73.
    assert low[1] == pytest.approx(32.73, abs=5e-3)
    assert np.isnan(low[2]) and np.isnan(high[2])  # n < 2
    assert np.isnan(low[3]) and np.isnan(high[3])  # no number at all
    # One n for every column is the same as repeating it.
    same = expanded_interval(reps[:, :1].repeat(3, axis=1), 5, 0.95)
    assert np.allclose(same[0], low[0]) and np.allclose(same[1], high[0])
    assert all(np.isnan(bound) for bound in expanded_interval(np.arange(10.0), 1, 0.95))


def test_expanded_interval_rejects_sizes_that_do_not_fit_the_columns():
    with pytest.raises(ParameterError):
        expanded_interval(np.zeros((10, 3)), [5, 6], 0.95)
    with pytest.raises(ParameterError):
        expanded_interval(np.zeros(10), [5, 6], 0.95)
