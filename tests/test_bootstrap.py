"""Tests of analysis.stats.bootstrap: resampling, percentile intervals and stratified means."""

from __future__ import annotations

import numpy as np

from analysis.stats.bootstrap import department_generator, percentile_interval, resample, stratified_mean


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
