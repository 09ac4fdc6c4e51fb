"""Changes between waves per focus area, against numbers worked out by hand.

The tiny codebook of conftest: value ``climate`` has focus area ``clim_food`` (food_1 and the
reverse-worded food_2), value ``social`` has ``soc_wages`` (wages_1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import people_frame
from test_comparisons import hand_scores

from analysis.exceptions import ParameterError
from analysis.stats.bootstrap import department_generator
from analysis.stats.changes import MINIMAL_IMPORTANT_DIFFERENCE, score_changes
from analysis.stats.scoring import score_survey

ITEMS = ["food_1", "food_2", "wages_1"]
RESAMPLES = 400


def _two_waves():
    # 2024: BUF answers food_1 = 2 and food_2 = 4 (turned: 2), so clim_food = 2.0 in every
    # resample; wages_1 = 3. SUF has 6 respondents, ØKF 5, both answering 3 throughout.
    before = people_frame({"BUF": [[2, 4, 3]] * 6, "SUF": [[3, 3, 3]] * 6, "ØKF": [[3, 3, 3]] * 5}, ITEMS, wave=2024)
    # 2025: BUF food_1 is 3 or 5 (mean 4), food_2 = 2 (turned: 4): clim_food = (4 + 4) / 2 = 4.0,
    # a change of +2.0; wages_1 stays 3. SUF has only 3 respondents: suppressed at min_n = 5, and
    # it pulls ØKF (5, the smallest published) into the merged group; BUF stays published.
    after = people_frame(
        {"BUF": [[3, 2, 3], [5, 2, 3]] * 3, "SUF": [[3, 3, 3]] * 3, "ØKF": [[3, 3, 3]] * 5}, ITEMS, wave=2025
    )
    return pd.concat([before, after], ignore_index=True)


@pytest.fixture
def scores(tiny_codebook, tiny_departments):
    return score_survey(_two_waves(), tiny_codebook, tiny_departments, seed=7, resamples=RESAMPLES)


def test_focus_area_replicates_are_kept_per_wave_and_department(scores):
    assert scores.focus_area_replicates[(2024, "BUF")].shape == (RESAMPLES, 2)
    assert np.allclose(scores.focus_area_replicates[(2024, "BUF")][:, 0], 2.0)


def test_focus_area_changes_match_a_hand_computed_bootstrap(scores):
    changes = score_changes(scores, 2024, 2025, level="focus_area")
    assert list(changes.columns) == [
        "department",
        "value",
        "focus_area",
        "wave_from",
        "wave_to",
        "diff",
        "ci_low",
        "ci_high",
        "verdict",
        "n_departments",
        "suppressed",
        "p_adjusted",
        "family",
    ]
    food = changes[(changes["department"] == "BUF") & (changes["focus_area"] == "clim_food")].iloc[0]
    assert food["value"] == "climate" and food["diff"] == pytest.approx(2.0)
    # Independently: draw BUF's 2025 respondents with the same generator, average food_1 over
    # each resample, add the constant food_2 (4) and halve; 2024 is 2.0 in every resample.
    food_1 = np.array([3, 5] * 3, dtype=float)
    draws = department_generator(7, 2025, "BUF").integers(0, 6, size=(RESAMPLES, 6), dtype=np.uint32)
    diff = (food_1[draws].mean(axis=1) + 4.0) / 2 - 2.0
    low, high = np.percentile(diff, [2.5, 97.5])
    assert food["ci_low"] == pytest.approx(low) and food["ci_high"] == pytest.approx(high)
    assert food["ci_low"] >= 1.5 and food["ci_high"] <= 2.5 and food["verdict"] == "improvement"

    wages = changes[(changes["department"] == "BUF") & (changes["focus_area"] == "soc_wages")].iloc[0]
    assert wages["diff"] == 0.0 and wages["verdict"] == "no clear change"


def test_focus_area_changes_of_a_suppressed_department_are_blank(scores):
    changes = score_changes(scores, 2024, 2025, level="focus_area")
    suf = changes[changes["department"] == "SUF"]
    assert len(suf) == 2 and suf["suppressed"].all()
    assert suf["diff"].isna().all() and (suf["verdict"] == "").all()
    # ØKF, pulled into the merged group in 2025, is blank too. Department rows only: the
    # municipality score is defined per value.
    assert changes.loc[changes["department"] == "ØKF", "suppressed"].all()
    assert set(changes["department"]) == {"BUF", "SUF", "ØKF"}


def test_score_changes_refuses_an_unknown_level(scores):
    with pytest.raises(ParameterError, match="level must be one of"):
        score_changes(scores, 2024, 2025, level="item")


# -- families, adjusted p-values and the verdict rule (method.md version 2) ---------------------


def _pattern(n_off: int, on: float, off: float, resamples: int = 100) -> np.ndarray:
    """Return ``resamples`` differences: ``on`` everywhere but ``off`` in the last ``n_off``."""
    return np.array([on] * (resamples - n_off) + [off] * n_off)


def _two_value_scores():
    """Two waves, departments A and B, values v1 and v2, 100 resamples, hand-made differences.

    Wave 2024 replicates are constant; wave 2025 adds these differences:

    ========  =========================  ========  =========================
    cell      differences                p         point change
    ========  =========================  ========  =========================
    A v1      0.1 everywhere              0         3.0 -> 3.1 (+0.1)
    B v1      0.5, 2 of 100 at -0.2       0.04      3.0 -> 3.5 (+0.5)
    A v2      0.25 everywhere             0         2.0 -> 2.25 (+0.25)
    B v2      -0.4, 3 of 100 at +0.2      0.06      3.0 -> 2.6 (-0.4)
    ========  =========================  ========  =========================
    """
    d = {
        ("A", 0): _pattern(0, 0.1, 0.0),
        ("B", 0): _pattern(2, 0.5, -0.2),
        ("A", 1): _pattern(0, 0.25, 0.0),
        ("B", 1): _pattern(3, -0.4, 0.2),
    }
    start = {"A": [3.0, 2.0], "B": [3.0, 3.0]}
    replicates = {}
    for dept, (s1, s2) in start.items():
        replicates[(2024, dept)] = np.c_[[s1] * 100, [s2] * 100]
        replicates[(2025, dept)] = np.c_[s1 + d[(dept, 0)], s2 + d[(dept, 1)]]
    cells = [
        (2024, "A", "v1", 3.0, False),
        (2024, "A", "v2", 2.0, False),
        (2024, "B", "v1", 3.0, False),
        (2024, "B", "v2", 3.0, False),
        (2025, "A", "v1", 3.1, False),
        (2025, "A", "v2", 2.25, False),
        (2025, "B", "v1", 3.5, False),
        (2025, "B", "v2", 2.6, False),
    ]
    value = [(2024, "v1", 3.0), (2024, "v2", 2.5), (2025, "v1", 3.3), (2025, "v2", 2.425)]
    return hand_scores(cells, replicates, value, confidence=0.95)


def test_score_changes_adjusts_departments_and_municipality_as_two_families():
    changes = score_changes(_two_value_scores(), 2024, 2025)
    assert list(changes.columns[-2:]) == ["p_adjusted", "family"]
    assert changes["department"].tolist() == ["A", "B", "ALL", "A", "B", "ALL"]
    assert changes["family"].tolist() == ["departments"] * 2 + ["municipality"] + ["departments"] * 2 + ["municipality"]
    # Departments, Benjamini-Hochberg over p = 0 (A v1), 0.04 (B v1), 0 (A v2), 0.06 (B v2):
    # sorted 0, 0, 0.04, 0.06 times m / j = 4, 2, 4/3, 1 -> 0, 0, 0.0533, 0.06.
    depts = changes[changes["family"] == "departments"].set_index(["department", "value"])
    assert depts.loc[("A", "v1"), "p_adjusted"] == 0.0
    assert depts.loc[("B", "v1"), "p_adjusted"] == pytest.approx(0.04 * 4 / 3)
    assert depts.loc[("A", "v2"), "p_adjusted"] == 0.0
    assert depts.loc[("B", "v2"), "p_adjusted"] == pytest.approx(0.06)
    # A v1: clearly significant but only +0.1: below the minimal important difference.
    assert depts.loc[("A", "v1"), "verdict"] == "no clear change"
    # B v1: +0.5 and p = 0.04 alone, but 0.053 after the adjustment: no clear change.
    assert depts.loc[("B", "v1"), "verdict"] == "no clear change"
    # A v2: exactly 0.25 and p_adjusted = 0: an improvement (the size rule is "at least").
    assert depts.loc[("A", "v2"), "verdict"] == "improvement"
    assert depts.loc[("B", "v2"), "verdict"] == "no clear change"
    # Municipality (A and B averaged resample by resample): v1 differences (0.1 + 0.5) / 2 = 0.3
    # with 2 of 100 at (0.1 - 0.2) / 2 = -0.05 -> p = 0.04; v2 (0.25 - 0.4) / 2 = -0.075 with 3
    # at (0.25 + 0.2) / 2 = +0.225 -> p = 0.06. Holm: 0.04 * 2 = 0.08, max(0.08, 0.06 * 1) = 0.08.
    muni = changes[changes["department"] == "ALL"].set_index("value")
    assert muni["p_adjusted"].tolist() == pytest.approx([0.08, 0.08])
    assert muni.loc["v1", "diff"] == pytest.approx(0.3) and muni.loc["v2", "diff"] == pytest.approx(-0.075)
    assert muni["verdict"].tolist() == ["no clear change", "no clear change"]
    assert muni["n_departments"].tolist() == [2, 2]


def test_a_significant_but_tiny_change_is_no_clear_change():
    # One department, one value: +0.1 in every resample (p = 0), so only the size rule can say no.
    reps = {(2024, "A"): np.c_[[3.0] * 4], (2025, "A"): np.c_[[3.1] * 4]}
    cells = [(2024, "A", "v", 3.0, False), (2025, "A", "v", 3.1, False)]
    scores = hand_scores(cells, reps, [(2024, "v", 3.0), (2025, "v", 3.1)], confidence=0.95)
    changes = score_changes(scores, 2024, 2025)
    assert changes["p_adjusted"].tolist() == [0.0, 0.0]
    assert changes["ci_low"].min() > 0  # the interval excludes 0 ...
    assert (changes["verdict"] == "no clear change").all()  # ... yet 0.1 < 0.25
    assert MINIMAL_IMPORTANT_DIFFERENCE == 0.25


def _hidden_departments_scores(municipal=None):
    """2024: A and B published, C and D hidden in ØVRIGE (C+D); 2025: all four published.

    A and B stay at 3.0; the hidden departments score 1.0 together in 2024 and 2.0 each in 2025.
    """
    cells = [
        (2024, "A", "v", 3.0, False, ""),
        (2024, "B", "v", 3.0, False, ""),
        (2024, "C", "v", np.nan, True, ""),
        (2024, "D", "v", np.nan, True, ""),
        (2024, "ØVRIGE", "v", 1.0, False, "C+D"),
        (2025, "A", "v", 3.0, False, ""),
        (2025, "B", "v", 3.0, False, ""),
        (2025, "C", "v", 2.0, False, ""),
        (2025, "D", "v", 2.0, False, ""),
    ]
    four = np.ones((4, 1))
    reps = {(w, d): 3.0 * four for w in (2024, 2025) for d in "AB"}
    reps |= {(2024, "C"): 9.0 * four, (2024, "D"): 9.0 * four, (2024, "ØVRIGE"): 1.0 * four}
    reps |= {(2025, "C"): 2.0 * four, (2025, "D"): 2.0 * four}
    # S(V): 2024 (3 + 3 + 2 * 1) / 4 = 2.0; 2025 (3 + 3 + 2 + 2) / 4 = 2.5.
    value = [(2024, "v", 2.0), (2025, "v", 2.5)]
    return hand_scores(cells, reps, value, confidence=0.95, municipal=municipal)


def test_the_municipal_change_compares_the_full_coverage_municipality_of_both_waves():
    changes = score_changes(_hidden_departments_scores(), 2024, 2025).set_index("department")
    # Only departments published in both waves (A, B) would say 0; like with like it is +0.5.
    muni = changes.loc["ALL"]
    assert muni["diff"] == pytest.approx(0.5)
    assert muni["ci_low"] == pytest.approx(0.5) and muni["ci_high"] == pytest.approx(0.5)
    assert muni["n_departments"] == 4 and muni["verdict"] == "improvement" and muni["family"] == "municipality"
    # C and D were hidden in 2024: their rows stay blank; ØVRIGE exists in one wave only: no row.
    assert changes.index.tolist() == ["A", "B", "C", "D", "ALL"]
    assert changes.loc[["C", "D"], "suppressed"].all() and changes.loc[["C", "D"], "p_adjusted"].isna().all()
    assert (changes.loc[["C", "D"], "verdict"] == "").all()
    assert changes.loc["A", "verdict"] == "no clear change" and changes.loc["A", "p_adjusted"] == 1.0


def test_the_municipal_change_uses_the_municipal_replicates_when_present():
    municipal = {2024: np.c_[[2.0] * 4], 2025: np.c_[[2.3, 2.7, 2.5, 2.5]]}
    muni = score_changes(_hidden_departments_scores(municipal), 2024, 2025).set_index("department").loc["ALL"]
    # Differences 0.3, 0.7, 0.5, 0.5 -> sorted 0.3, 0.5, 0.5, 0.7: the 2.5th percentile is
    # 0.3 + 0.075 * 0.2 = 0.315, the 97.5th 0.5 + 0.925 * 0.2 = 0.685.
    assert muni["ci_low"] == pytest.approx(0.315) and muni["ci_high"] == pytest.approx(0.685)
    assert muni["diff"] == pytest.approx(0.5) and muni["p_adjusted"] == 0.0


def test_the_merged_group_is_compared_only_with_the_same_members():
    for members, expected in (("C+D", True), ("B+C+D", False)):
        scores = _hidden_departments_scores()
        cells = scores.department_value
        again = cells[cells["department"] == "ØVRIGE"].assign(wave=2025, members=members)
        scores.department_value = pd.concat([cells, again], ignore_index=True)
        scores.replicates[(2025, "ØVRIGE")] = np.ones((4, 1))
        changes = score_changes(scores, 2024, 2025)
        assert ("ØVRIGE" in set(changes["department"])) is expected


def test_focus_area_changes_are_one_benjamini_hochberg_family():
    cells = [(w, d, "v", 3.0, False) for w in (2024, 2025) for d in "AB"]
    reps = {(w, d): np.c_[[3.0] * 100] for w in (2024, 2025) for d in "AB"}
    fa = [(w, d, "v", "f", 3.0 if w == 2024 else 3.5, False) for w in (2024, 2025) for d in "AB"]
    fa_reps = {
        (2024, "A"): np.c_[[3.0] * 100],
        (2024, "B"): np.c_[[3.0] * 100],
        (2025, "A"): np.c_[3.0 + _pattern(2, 0.5, -0.2)],  # p = 2 * 2/100 = 0.04
        (2025, "B"): np.c_[3.0 + _pattern(3, 0.5, -0.2)],  # p = 2 * 3/100 = 0.06
    }
    scores = hand_scores(cells, reps, [], confidence=0.95, focus_areas=fa, fa_replicates=fa_reps)
    changes = score_changes(scores, 2024, 2025, level="focus_area")
    assert (changes["family"] == "focus_areas").all()
    # BH over 0.04, 0.06: 0.04 * 2 / 1 = 0.08, 0.06 * 2 / 2 = 0.06; running minimum from the
    # top: 0.06, 0.06. Both +0.5, both raw p below 0.06, neither a clear change after adjustment.
    assert changes["p_adjusted"].tolist() == pytest.approx([0.06, 0.06])
    assert changes["diff"].tolist() == pytest.approx([0.5, 0.5])
    assert (changes["verdict"] == "no clear change").all()


def test_score_survey_changes_carry_families_and_adjusted_p_values(scores):
    changes = score_changes(scores, 2024, 2025)
    assert list(changes.columns) == [
        "department",
        "value",
        "wave_from",
        "wave_to",
        "diff",
        "ci_low",
        "ci_high",
        "verdict",
        "n_departments",
        "suppressed",
        "p_adjusted",
        "family",
    ]
    assert set(changes.loc[changes["department"] == "ALL", "family"]) == {"municipality"}
    assert set(changes.loc[changes["department"] != "ALL", "family"]) == {"departments"}
    suf = changes[changes["department"] == "SUF"]
    assert suf["p_adjusted"].isna().all() and (suf["verdict"] == "").all()
    # BUF's climate goes from 2.0 to 4.0 in every resample: p = 0, and +2.0 is a clear improvement.
    buf = changes[(changes["department"] == "BUF") & (changes["value"] == "climate")].iloc[0]
    assert buf["p_adjusted"] == 0.0 and buf["verdict"] == "improvement"
    # The whole municipality in both waves: 2024 (BUF 2.0 + SUF 3.0 + ØKF 3.0) / 3, 2025 (BUF 4.0
    # + the merged group SUF+ØKF 3.0, weighing two) / 3: a change of 2/3 over three departments.
    muni = changes[(changes["department"] == "ALL") & (changes["value"] == "climate")].iloc[0]
    assert muni["diff"] == pytest.approx(2 / 3) and muni["n_departments"] == 3
