"""Cronbach's alpha and Feldt's interval against published and hand-worked numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import SCALE_YAML

from analysis.exceptions import ParameterError
from analysis.stats.reliability import cronbach_alpha, feldt_interval, score_reliability, within_alpha
from analysis.survey.codebook import load_codebook

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


def _long(rows: list[tuple], items: tuple[str, ...] = ("food_1", "food_2", "wages_1")) -> pd.DataFrame:
    """Build the long responses frame from (wave, department, respondent, *answers in item order)."""
    out = []
    for wave, dept, rid, *answers in rows:
        for item, answer in zip(items, answers, strict=True):
            out.append({"wave": wave, "respondent_id": rid, "department": dept, "item": item, "answer": answer})
    frame = pd.DataFrame(out)
    frame["answer"] = frame["answer"].astype("Int8")
    return frame


# -- within-department alpha, worked by hand ---------------------------------------------------
# Two departments x five respondents x three items. A answers around 2, B around 4; the fifth
# respondent of each sits exactly on the department's item means (2,2,2) and (4,4,4).
#   A: (2,1,2) (3,2,3) (1,3,2) (2,2,1) (2,2,2)  -> centred (0,-1,0) (1,0,1) (-1,1,0) (0,0,-1) (0,0,0)
#   B: (4,4,5) (4,4,3) (5,4,5) (3,4,3) (4,4,4)  -> centred (0,0,1) (0,0,-1) (1,0,1) (-1,0,-1) (0,0,0)
# Within sums of squares and products W (alpha does not depend on the divisor, so sums are used):
#   diagonal: item 1: 2 + 2 = 4, item 2: 2 + 0 = 2, item 3: 2 + 4 = 6          -> trace 12
#   row totals of the centred answers: A -1, 2, 0, -1, 0 (squares 6); B 1, -1, 2, -2, 0 (squares 10)
#   sum(W) = variance of the within total = 6 + 10 = 16
#   alpha_within = 3/2 * (1 - 12/16) = 3/8 = 0.375, df = 10 - 2 = 8
# Naively pooled, the between-department part is added to every entry: each department's means
# lie 1 from the grand means (3,3,3) on every item, so B = 2 departments x 5 x (1 x 1) = 10 per entry:
#   trace 12 + 30 = 42, sum 16 + 90 = 106, alpha_naive = 3/2 * (1 - 42/106) = 48/53 = 0.906
TWO_DEPARTMENTS = np.array(
    [[2, 1, 2], [3, 2, 3], [1, 3, 2], [2, 2, 1], [2, 2, 2], [4, 4, 5], [4, 4, 3], [5, 4, 5], [3, 4, 3], [4, 4, 4]]
)
TWO_GROUPS = ["A"] * 5 + ["B"] * 5

THREE_ITEM_CODEBOOK_YAML = (
    'version: "alpha"\ntitle_da: "Test"\ntitle_en: "Test"\n'
    + SCALE_YAML
    + """\
values:
  - id: trio
    name_da: "Tre"
    name_en: "Three"
    focus_areas:
      - id: trio_fa
        name_da: "Tre"
        name_en: "Three"
        items:
          - {id: i1, text_da: "1", text_en: "1"}
          - {id: i2, text_da: "2", text_en: "2"}
          - {id: i3, text_da: "3", text_en: "3"}
"""
)


@pytest.fixture(scope="module")
def trio_codebook(tmp_path_factory):
    path = tmp_path_factory.mktemp("trio") / "codebook.yaml"
    path.write_text(THREE_ITEM_CODEBOOK_YAML, encoding="utf-8")
    return load_codebook(path)


def _trio_rows(matrix, groups, wave: int = 2025) -> list[tuple]:
    return [(wave, d, f"{d}{r}", *map(int, row)) for r, (d, row) in enumerate(zip(groups, matrix, strict=True))]


def test_within_alpha_of_a_hand_worked_example():
    assert cronbach_alpha(TWO_DEPARTMENTS) == pytest.approx(48 / 53)  # naive: inflated by the levels
    alpha, df = within_alpha(TWO_DEPARTMENTS, TWO_GROUPS)
    assert alpha == pytest.approx(3 / 8) and df == 8


def test_value_alpha_is_the_within_department_alpha(trio_codebook):
    rows = _trio_rows(TWO_DEPARTMENTS, TWO_GROUPS)
    table = score_reliability(_long(rows, ("i1", "i2", "i3")), trio_codebook, wave=2025)
    trio = table.set_index("value").loc["trio"]
    assert trio["alpha"] == pytest.approx(3 / 8)
    assert (trio["n"], trio["k"], trio["departments"]) == (10, 3, 2)
    assert trio["low"]
    # Feldt's interval with the within covariance's 8 degrees of freedom (as 9 people in one group).
    assert (trio["ci_low"], trio["ci_high"]) == pytest.approx(feldt_interval(3 / 8, 9, 3))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_within_alpha_equals_the_pooled_covariance_form(seed):
    # Independent formulation: W = sum over groups of (n_g - 1) * cov_g, divided by n - G.
    rng = np.random.default_rng(seed)
    k, sizes = int(rng.integers(2, 6)), [int(s) for s in rng.integers(2, 12, size=4)]
    groups = np.repeat(["A", "B", "C", "D"], sizes)
    x = np.clip(np.round(3 + rng.normal(size=(len(groups), 1)) + rng.normal(size=(len(groups), k))), 1, 5)
    x = x + np.repeat(rng.normal(scale=2, size=(4, 1)), sizes, axis=0)  # levels differ between groups
    w = sum(np.cov(x[groups == g], rowvar=False) * (size - 1) for g, size in zip("ABCD", sizes, strict=True))
    w = w / (len(groups) - 4)
    alpha, df = within_alpha(x, groups)
    assert df == len(groups) - 4
    assert alpha == pytest.approx(k / (k - 1) * (1 - np.trace(w) / w.sum()), rel=1e-12)
    # Shifting one group's answers by a constant moves nothing within the groups.
    shifted = x + np.where(groups == "B", 1.5, 0.0)[:, None]
    assert within_alpha(shifted, groups)[0] == pytest.approx(alpha, rel=1e-12)


def test_within_alpha_with_one_group_is_cronbach_alpha():
    assert within_alpha(PUBLISHED, ["X"] * 10) == (pytest.approx(0.674, abs=5e-4), 9)
    assert within_alpha(PUBLISHED, ["X"] * 10)[0] == pytest.approx(cronbach_alpha(PUBLISHED), rel=1e-12)


def test_within_alpha_uses_complete_rows_and_refuses_degenerate_input():
    with_gaps = np.vstack([TWO_DEPARTMENTS, [[np.nan, 5, 5], [1, np.nan, 1]]])
    alpha, df = within_alpha(with_gaps, [*TWO_GROUPS, "A", "C"])
    assert (alpha, df) == (pytest.approx(3 / 8), 8)  # C has no complete row: no group, no df
    assert within_alpha([[1, 2], [2, 1], [4, 4]], ["A", "A", "B"])[1] == 1
    assert np.isnan(within_alpha([[1, 2], [2, 1], [4, 4]], ["A", "A", "B"])[0])  # df = 3 - 2 < 2
    assert np.isnan(within_alpha(TWO_DEPARTMENTS[:, :1], TWO_GROUPS)[0])  # k < 2
    # Every respondent on their department's means: no within variation.
    assert np.isnan(within_alpha([[1, 1], [1, 1], [4, 4], [4, 4]], ["A", "A", "B", "B"])[0])
    with pytest.raises(ValueError):
        within_alpha(TWO_DEPARTMENTS, TWO_GROUPS[:3])


# -- the value table: reverse items, complete cases, published departments only -----------------
# The conftest codebook: value climate = food_1 + food_2 (reverse), value social = wages_1.
# BUF and SUF have five respondents each answering climate (published at min_n = 5); ØKF has two
# (hidden). Complete cases on climate, food_2 turned 6 - x:
#   BUF: (1,1) (2,3) (3,2) (2,2); r5 Ved ikke on food_2   means (2,2): centred (-1,-1) (0,1) (1,0) (0,0)
#   SUF: (4,4) (5,5) (3,4) (4,3); r10 blank food_1        means (4,4): centred (0,0) (1,1) (-1,0) (0,-1)
# Within sums of squares: food_1 1+0+1+0 + 0+1+1+0 = 4, food_2 1+1+0+0 + 0+1+0+1 = 4,
# products (-1)(-1) + (1)(1) = 2, so sum(W) = 4 + 4 + 2*2 = 12 and
#   alpha = 2 * (1 - 8/12) = 2/3, df = 8 - 2 = 6.
# Pooled naively the department levels (means 2 and 4, grand mean 3) add 8 x 1 = 8 to every
# entry: trace 24, sum 44, alpha = 2 * (1 - 24/44) = 10/11. Unturned, the products change sign:
# sum(W) = 8 - 4 = 4 and alpha = 2 * (1 - 8/4) = -2.
RELIABILITY_ROWS = [
    (2025, "BUF", "r1", 1, 5, 3),
    (2025, "BUF", "r2", 2, 3, 3),
    (2025, "BUF", "r3", 3, 4, 4),
    (2025, "BUF", "r4", 2, 4, 2),
    (2025, "BUF", "r5", 5, 8, 5),  # Ved ikke on food_2: counts for publication, not a complete case
    (2025, "SUF", "r6", 4, 2, 4),
    (2025, "SUF", "r7", 5, 1, 2),
    (2025, "SUF", "r8", 3, 2, 4),
    (2025, "SUF", "r9", 4, 3, 3),
    (2025, "SUF", "r10", None, 1, 9),  # blank food_1: counts for publication, not a complete case
    (2025, "ØKF", "r11", 1, 1, 1),  # ØKF: two respondents, hidden
    (2025, "ØKF", "r12", 5, 5, 5),
    (2024, "BUF", "r1", 1, 1, 1),  # another wave: left out
]
HIDDEN = [r for r in RELIABILITY_ROWS if r[1] == "ØKF"]
SHOWN = [r for r in RELIABILITY_ROWS if r[1] != "ØKF"]


def test_value_alpha_turns_reverse_items_and_centres_within_departments(tiny_codebook):
    table = score_reliability(_long(RELIABILITY_ROWS), tiny_codebook, wave=2025)
    assert list(table.columns) == ["wave", "value", "alpha", "ci_low", "ci_high", "n", "k", "departments", "low"]
    climate = table.set_index("value").loc["climate"]
    assert (climate["n"], climate["k"], climate["departments"]) == (8, 2, 2)
    assert climate["alpha"] == pytest.approx(2 / 3)
    assert climate["low"]
    assert climate["ci_low"] < climate["alpha"] < climate["ci_high"]
    assert (climate["ci_low"], climate["ci_high"]) == pytest.approx(feldt_interval(2 / 3, 7, 2))


def test_naive_and_unturned_alphas_of_the_fixture_differ(tiny_codebook):
    # Guards that the fixture really tests centring and turning (numbers worked out above).
    turned = np.array([[1, 1], [2, 3], [3, 2], [2, 2], [4, 4], [5, 5], [3, 4], [4, 3]])
    groups = ["BUF"] * 4 + ["SUF"] * 4
    assert cronbach_alpha(turned) == pytest.approx(10 / 11)
    raw = turned * [1, -1] + [0, 6]
    assert within_alpha(raw, groups)[0] == pytest.approx(-2)


def test_hidden_departments_do_not_change_alpha(tiny_codebook):
    """A department under min_n leaves every number of the table exactly as without it."""
    without = score_reliability(_long(SHOWN), tiny_codebook, wave=2025)
    with_hidden = score_reliability(_long(RELIABILITY_ROWS), tiny_codebook, wave=2025)
    pd.testing.assert_frame_equal(with_hidden, without)
    # Altered hidden answers, and a fourth department of four respondents: still identical.
    altered = [(w, d, r, 6 - a, b, 1) for w, d, r, a, b, _ in HIDDEN]
    extra = [(2025, "KFF", f"k{i}", 1 + i, 5 - i, 3) for i in range(4)]
    for rows in (SHOWN + altered, SHOWN + HIDDEN + extra):
        pd.testing.assert_frame_equal(score_reliability(_long(rows), tiny_codebook, wave=2025), without)
    # Not vacuous: once ØKF has five respondents it is published and enters alpha.
    grown = RELIABILITY_ROWS + [(2025, "ØKF", f"r{i}", 3, 2, 3) for i in range(13, 16)]
    climate = score_reliability(_long(grown), tiny_codebook, wave=2025).set_index("value").loc["climate"]
    assert (climate["n"], climate["departments"]) == (13, 3)
    assert climate["alpha"] != pytest.approx(2 / 3)


def test_publication_follows_min_n(tiny_codebook):
    # At min_n = 6 neither BUF nor SUF (five each) is published: nothing to compute alpha from.
    table = score_reliability(_long(RELIABILITY_ROWS), tiny_codebook, wave=2025, min_n=6).set_index("value")
    assert table.loc["climate", "n"] == 0 and table.loc["climate", "departments"] == 0
    assert np.isnan(table.loc["climate", "alpha"]) and pd.isna(table.loc["climate", "low"])
    with pytest.raises(ParameterError):
        score_reliability(_long(RELIABILITY_ROWS), tiny_codebook, wave=2025, min_n=0)


def test_an_explicit_published_set_overrides_min_n(tiny_codebook):
    responses = _long(RELIABILITY_ROWS)
    same = score_reliability(
        responses, tiny_codebook, wave=2025, published={"climate": {"BUF", "SUF"}, "social": {"BUF"}}
    )
    pd.testing.assert_frame_equal(same, score_reliability(responses, tiny_codebook, wave=2025))
    # The merged-group rule may suppress more: SUF hidden leaves BUF's four complete cases alone,
    # centred on BUF's means, which is BUF's own alpha: (1,1) (2,3) (3,2) (2,2).
    only_buf = score_reliability(responses, tiny_codebook, wave=2025, published={"climate": {"BUF"}})
    climate = only_buf.set_index("value").loc["climate"]
    assert climate["alpha"] == pytest.approx(cronbach_alpha([[1, 1], [2, 3], [3, 2], [2, 2]]))
    assert (climate["n"], climate["departments"]) == (4, 1)
    social = only_buf.set_index("value").loc["social"]  # not named: no published department
    assert social["n"] == 0
    with pytest.raises(ParameterError, match="ØKF"):  # under min_n: may not be published
        score_reliability(responses, tiny_codebook, wave=2025, published={"climate": {"BUF", "ØKF"}})
    with pytest.raises(ParameterError, match="klima"):
        score_reliability(responses, tiny_codebook, wave=2025, published={"klima": {"BUF"}})


def test_single_item_and_small_values_have_no_alpha(tiny_codebook):
    table = score_reliability(_long(RELIABILITY_ROWS), tiny_codebook, wave=2025).set_index("value")
    social = table.loc["social"]
    # Only BUF is published on social: SUF has four valid wages_1 answers (r10 Ikke relevant).
    assert social["k"] == 1 and social["n"] == 5 and social["departments"] == 1
    assert np.isnan(social["alpha"]) and np.isnan(social["ci_low"]) and np.isnan(social["ci_high"])
    assert pd.isna(social["low"])
    # One department of five with only two complete cases: df = 1, no alpha.
    few = [(2025, "BUF", f"r{i}", a, b, 3) for i, (a, b) in enumerate([(1, 5), (2, 3), (3, 8), (4, 8), (5, 8)])]
    assert np.isnan(score_reliability(_long(few), tiny_codebook, wave=2025).set_index("value").loc["climate", "alpha"])


def test_low_alpha_is_flagged(tiny_codebook):
    # One department: food_1 and turned food_2 unrelated, 1,2,3,4,5 against 3,1,4,2,5 (raw 3,5,2,4,1).
    pairs = [(1, 3), (2, 5), (3, 2), (4, 4), (5, 1)]
    rows = [(2025, "BUF", f"r{i}", a, b, 3) for i, (a, b) in enumerate(pairs)]
    climate = score_reliability(_long(rows), tiny_codebook, wave=2025).set_index("value").loc["climate"]
    assert climate["alpha"] == pytest.approx(cronbach_alpha([[1, 3], [2, 1], [3, 4], [4, 2], [5, 5]]))
    assert climate["alpha"] < 0.7
    assert climate["low"]


def test_unknown_wave_is_refused(tiny_codebook):
    with pytest.raises(ParameterError, match="2030"):
        score_reliability(_long(RELIABILITY_ROWS), tiny_codebook, wave=2030)
