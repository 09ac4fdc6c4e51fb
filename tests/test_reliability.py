"""Cronbach's alpha and Feldt's interval against published and hand-worked numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.exceptions import ParameterError
from analysis.stats.reliability import cronbach_alpha, feldt_interval, score_reliability

# Ten respondents x four 1-5 Likert items (X1-X4), published with alpha = 0.674 in
# "Survey reliability", thinkdeeply.cc/posts/survey-reliability (CC BY 4.0). The post works
# alpha out from the covariance matrix (mean inter-item covariance 0.309, mean variance 0.908)
# and checks it with R, whose output reads "Items: 4, Sample units: 10, alpha: 0.674".
PUBLISHED = np.array(
    [
        [3, 3, 3, 3],
        [3, 3, 4, 3],
        [3, 3, 3, 1],
        [5, 4, 4, 5],
        [2, 1, 4, 4],
        [4, 4, 4, 5],
        [3, 2, 3, 3],
        [3, 4, 3, 3],
        [4, 2, 2, 3],
        [3, 3, 2, 3],
    ]
)


def test_alpha_of_a_published_example():
    """Alpha of the thinkdeeply.cc example matches its published value, 0.674.

    The item variances the post prints (0.6778, 0.989, 0.6222, 1.344) are checked first, so
    a typo in the transcribed matrix cannot pass unnoticed.
    """
    assert PUBLISHED.var(axis=0, ddof=1) == pytest.approx([0.6778, 0.989, 0.6222, 1.344], abs=5e-4)
    assert cronbach_alpha(PUBLISHED) == pytest.approx(0.674, abs=5e-4)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_alpha_equals_the_covariance_matrix_form(seed):
    # Independent formulation: alpha = k/(k-1) * (1 - trace(C) / sum(C)) with C the item
    # covariance matrix (sum(C) is the variance of the total score).
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 8))
    trait = rng.normal(size=(40, 1))
    x = np.clip(np.round(3 + trait + rng.normal(scale=1.0, size=(40, k))), 1, 5)
    c = np.cov(x, rowvar=False)
    expected = k / (k - 1) * (1 - np.trace(c) / c.sum())
    assert cronbach_alpha(x) == pytest.approx(expected, rel=1e-12)


def test_alpha_uses_complete_rows_and_refuses_degenerate_input():
    with_gaps = np.vstack([PUBLISHED, [[np.nan, 5, 5, 5], [1, np.nan, 1, 1]]]).astype(float)
    assert cronbach_alpha(with_gaps) == pytest.approx(cronbach_alpha(PUBLISHED))
    assert np.isnan(cronbach_alpha(PUBLISHED[:2]))  # n < 3
    assert np.isnan(cronbach_alpha(PUBLISHED[:, :1]))  # k < 2
    assert np.isnan(cronbach_alpha([[3, 3], [3, 3], [3, 3]]))  # no variation in the total
    with pytest.raises(ValueError):
        cronbach_alpha([1, 2, 3])


def test_feldt_interval_of_a_published_example():
    """Feldt's interval matches C. Evans's published example.

    MRC Cognition and Brain Sciences Unit statistics wiki, FAQ "cafun" (R code from Chris Evans
    for confidence intervals of Cronbach's alpha): ``feldt1.return(0.913, 873, 20, 0.95, 0)``
    gives 0.9044024 to 0.9211588 (Feldt, Woodruff and Salih 1987, formulas 6 and 7).
    """
    low, high = feldt_interval(0.913, 873, 20, 0.95)
    assert low == pytest.approx(0.9044024, abs=1e-6)
    assert high == pytest.approx(0.9211588, abs=1e-6)


def test_feldt_interval_against_f_quantiles():
    from scipy.stats import f

    alpha, n, k = 0.674, 10, 4
    # 90 %: the 5 % and 95 % quantiles of F(9, 27).
    f_low, f_high = f.ppf(0.05, 9, 27), f.ppf(0.95, 9, 27)
    low, high = feldt_interval(alpha, n, k, confidence=0.90)
    assert low == pytest.approx(1 - 0.326 * f_high, rel=1e-12)
    assert high == pytest.approx(1 - 0.326 * f_low, rel=1e-12)
    assert low < alpha < high
    assert all(np.isnan(feldt_interval(np.nan, n, k)))
    assert all(np.isnan(feldt_interval(alpha, 2, k)))
    with pytest.raises(ParameterError):
        feldt_interval(alpha, n, k, confidence=95)


def _long(rows: list[tuple]) -> pd.DataFrame:
    """Build the long responses frame from (wave, department, respondent, food_1, food_2, wages_1)."""
    out = []
    for wave, dept, rid, *answers in rows:
        for item, answer in zip(["food_1", "food_2", "wages_1"], answers):
            out.append({"wave": wave, "respondent_id": rid, "department": dept, "item": item, "answer": answer})
    frame = pd.DataFrame(out)
    frame["answer"] = frame["answer"].astype("Int8")
    return frame


# The conftest codebook: value climate = food_1 + food_2 (reverse), value social = wages_1.
# Four complete cases on climate, spread over two departments; food_2 raw 5,3,2,1 is turned to
# 1,3,4,5. By hand, on the turned answers:
#   food_1 = 1,2,4,5: mean 3,    squares 4+1+1+4           = 10     -> variance 10/3
#   food_2 = 1,3,4,5: mean 3.25, squares 5.0625+.0625+.5625+3.0625 = 8.75 -> variance 8.75/3
#   total  = 2,5,8,10: mean 6.25, squares 18.0625+1.5625+3.0625+14.0625 = 36.75 -> 36.75/3
#   alpha  = 2 * (1 - 18.75/36.75) = 36/36.75 = 48/49
# Unturned, the totals would be 6,5,6,6 (squares 0.75) and alpha = 2 * (1 - 18.75/0.75) = -48.
RELIABILITY_ROWS = [
    (2025, "BUF", "r1", 1, 5, 3),
    (2025, "BUF", "r2", 2, 3, 3),
    (2025, "SUF", "r3", 4, 2, 4),
    (2025, "SUF", "r4", 5, 1, 2),
    (2025, "SUF", "r5", 5, 8, 5),  # Ved ikke on food_2: not a complete case for climate
    (2025, "ØKF", "r6", None, 1, 9),  # blank food_1: not a complete case either
    (2025, "ØKF", "r7", 3, 9, 1),  # Ikke relevant: not a complete case
    (2024, "BUF", "r1", 1, 1, 1),  # another wave: left out
]


def test_value_alpha_turns_reverse_items_and_pools_complete_cases(tiny_codebook):
    table = score_reliability(_long(RELIABILITY_ROWS), tiny_codebook, wave=2025)
    assert list(table.columns) == ["wave", "value", "alpha", "ci_low", "ci_high", "n", "k", "low"]
    climate = table.set_index("value").loc["climate"]
    assert climate["n"] == 4 and climate["k"] == 2
    assert climate["alpha"] == pytest.approx(48 / 49)
    assert not climate["low"]
    assert climate["ci_low"] < climate["alpha"] < climate["ci_high"]
    expected = feldt_interval(48 / 49, 4, 2)
    assert (climate["ci_low"], climate["ci_high"]) == pytest.approx(expected)


def test_alpha_would_be_negative_without_turning(tiny_codebook):
    # Guard that the fixture really tests turning: the raw answers give alpha = -48.
    raw = np.array([[1, 5], [2, 3], [4, 2], [5, 1]])
    assert cronbach_alpha(raw) == pytest.approx(-48)


def test_single_item_and_small_values_have_no_alpha(tiny_codebook):
    table = score_reliability(_long(RELIABILITY_ROWS), tiny_codebook, wave=2025).set_index("value")
    social = table.loc["social"]
    assert social["k"] == 1 and social["n"] == 6  # six valid wages_1 answers in 2025
    assert np.isnan(social["alpha"]) and np.isnan(social["ci_low"]) and np.isnan(social["ci_high"])
    assert pd.isna(social["low"])
    two_people = score_reliability(_long(RELIABILITY_ROWS[:2]), tiny_codebook, wave=2025)
    assert np.isnan(two_people.set_index("value").loc["climate", "alpha"])


def test_low_alpha_is_flagged(tiny_codebook):
    # food_1 and turned food_2 unrelated: 1,2,3,4 against 3,1,4,2 (raw 3,5,2,4).
    rows = [(2025, "BUF", f"r{i}", a, b, 3) for i, (a, b) in enumerate([(1, 3), (2, 5), (3, 2), (4, 4)])]
    climate = score_reliability(_long(rows), tiny_codebook, wave=2025).set_index("value").loc["climate"]
    assert climate["alpha"] < 0.7
    assert climate["low"]


def test_unknown_wave_is_refused(tiny_codebook):
    with pytest.raises(ParameterError, match="2030"):
        score_reliability(_long(RELIABILITY_ROWS), tiny_codebook, wave=2030)
