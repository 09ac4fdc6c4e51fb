"""Weighting sensitivity against weighted means worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import people_frame

from analysis.exceptions import ParameterError
from analysis.stats.scoring import score_survey
from analysis.stats.sensitivity import ranking_holds, ranking_summary, score_sensitivity
from analysis.survey.codebook import load_departments

# Conftest codebook: climate = food_1 + food_2 (reverse), social = wages_1. Everyone here
# answers food_1 and wages_1 and leaves food_2 blank, so a department's score is the plain
# mean of its answers.
#   P, n = 6:  food_1 2,2,3,3,4,4 -> climate 3.0;   wages_1 1,1,2,2,3,3 -> social 2.0
#   Q, n = 10: food_1 4 x5, 5 x5  -> climate 4.5;   wages_1 3 x5, 4 x5  -> social 3.5
#   R, n = 2 (< min_n 5): suppressed, extreme answers; alone it would be the total minus the
#   others, so P (the smallest published) joins it in the merged group ØVRIGE = P+R, n = 8:
#   food_1 2,2,3,3,4,4,1,1 -> climate 20/8 = 2.5;  wages_1 1,1,2,2,3,3,5,5 -> social 22/8 = 2.75.
ANSWERS = {
    "P": [(2, 1), (2, 1), (3, 2), (3, 2), (4, 3), (4, 3)],
    "Q": [(4, 3)] * 5 + [(5, 4)] * 5,
    "R": [(1, 5), (1, 5)],
}

DEPARTMENTS_YAML = """\
departments:
  - {code: P, name_da: "P", name_en: "P", procurement_staff: 30}
  - {code: Q, name_da: "Q", name_en: "Q", procurement_staff: 10}
  - {code: R, name_da: "R", name_en: "R", procurement_staff: 5}
"""


def long_frame(answers: dict, wave: int = 2025) -> pd.DataFrame:
    # food_2 is left blank by everyone, so a department's score is the plain mean of its answers.
    people = {dept: [(food, None, wages) for food, wages in rows] for dept, rows in answers.items()}
    return people_frame(people, ["food_1", "food_2", "wages_1"], wave)


@pytest.fixture()
def departments(tmp_path):
    path = tmp_path / "departments.yaml"
    path.write_text(DEPARTMENTS_YAML, encoding="utf-8")
    return load_departments(path)


@pytest.fixture()
def scores(tiny_codebook, departments):
    return score_survey(long_frame(ANSWERS), tiny_codebook, departments, min_n=5, seed=7, resamples=1000)


@pytest.fixture()
def table(scores, departments):
    return score_sensitivity(scores, departments, wave=2025)


def pick(table, scheme, value):
    hit = table[(table["scheme"] == scheme) & (table["value"] == value)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_equal_weights_are_the_headline_exactly(scores, table):
    equal = table[table["scheme"] == "equal"].set_index("value")
    headline = scores.value[scores.value["wave"] == 2025].set_index("value")
    for column in ("score", "ci_low", "ci_high"):
        assert equal[column].tolist() == headline.loc[equal.index, column].tolist()
    # Q weighs one, the merged group P+R two: (4.5 + 2 x 2.5) / 3.
    assert equal.loc["climate", "score"] == pytest.approx((4.5 + 2 * 2.5) / 3)


def test_respondent_weights_worked_by_hand(table):
    # climate: (10 * 4.5 + 8 * 2.5) / 18 = 65/18; social: (10 * 3.5 + 8 * 2.75) / 18 = 57/18.
    assert pick(table, "respondents", "climate")["score"] == pytest.approx(65 / 18)
    assert pick(table, "respondents", "social")["score"] == pytest.approx(57 / 18)


def test_headcount_weights_worked_by_hand(table):
    # Staff Q 10, the merged group P+R 30 + 5 = 35.
    # climate: (10 * 4.5 + 35 * 2.5) / 45 = 132.5/45; social: (10 * 3.5 + 35 * 2.75) / 45 = 131.25/45.
    assert pick(table, "headcount", "climate")["score"] == pytest.approx(132.5 / 45)
    assert pick(table, "headcount", "social")["score"] == pytest.approx(131.25 / 45)


def test_weighted_interval_combines_replicates_resample_by_resample(scores, table):
    # Recompute the stratified bootstrap independently: weight each department's replicates.
    k = 0  # climate is the first value of the codebook
    group, q = scores.replicates[(2025, "ØVRIGE")][:, k], scores.replicates[(2025, "Q")][:, k]
    expected = np.percentile((8 * group + 10 * q) / 18, [2.5, 97.5])
    row = pick(table, "respondents", "climate")
    assert [row["ci_low"], row["ci_high"]] == pytest.approx(expected)


def test_intervals_contain_the_score_and_ranks_run_from_the_top(table):
    assert (table["ci_low"] <= table["score"]).all() and (table["score"] <= table["ci_high"]).all()
    assert set(table["scheme"]) == {"equal", "respondents", "headcount"}
    for _, part in table.groupby("scheme"):
        best = part.loc[part["score"].idxmax()]
        assert best["value"] == "climate" and best["rank"] == 1
    assert ranking_holds(table)


@pytest.mark.parametrize("staff", [", procurement_staff: 10", ", procurement_staff: 5"])
def test_headcount_is_skipped_when_a_covered_department_lacks_it(tiny_codebook, tmp_path, staff):
    # Q's estimate, or R's: R is hidden, but it is covered through the merged group.
    path = tmp_path / "departments.yaml"
    path.write_text(DEPARTMENTS_YAML.replace(staff, ""), encoding="utf-8")
    departments = load_departments(path)
    scores = score_survey(long_frame(ANSWERS), tiny_codebook, departments, min_n=5, seed=7, resamples=200)
    table = score_sensitivity(scores, departments, wave=2025)
    assert set(table["scheme"]) == {"equal", "respondents"}
    assert len(table) == 4


def test_unknown_wave_is_refused(scores, departments):
    with pytest.raises(ParameterError, match="2025"):
        score_sensitivity(scores, departments, wave=2019)


def constructed(ranks: dict[str, list[int]]) -> pd.DataFrame:
    """Build a sensitivity-like table from scheme -> ranks of values a, b, c."""
    rows = []
    for scheme, scheme_ranks in ranks.items():
        for value, rank in zip("abc", scheme_ranks):
            rows.append(
                {
                    "wave": 2025,
                    "value": value,
                    "scheme": scheme,
                    "score": 4.0 - rank,
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "rank": rank,
                }
            )
    return pd.DataFrame(rows)


def test_ranking_holds_on_constructed_tables():
    same = constructed({"equal": [1, 2, 3], "respondents": [1, 2, 3], "headcount": [1, 2, 3]})
    assert ranking_holds(same)
    assert ranking_summary(same) == {
        "holds": True,
        "schemes": ["equal", "respondents", "headcount"],
        "changed": [],
        "ranks": {v: {"equal": r, "respondents": r, "headcount": r} for v, r in zip("abc", [1, 2, 3])},
    }
    swapped = constructed({"equal": [1, 2, 3], "respondents": [1, 2, 3], "headcount": [1, 3, 2]})
    assert not ranking_holds(swapped)
    summary = ranking_summary(swapped)
    assert summary["holds"] is False and summary["changed"] == ["b", "c"]
    assert summary["ranks"]["c"] == {"equal": 3, "respondents": 3, "headcount": 2}
    assert ranking_holds(constructed({"equal": [2, 1, 3]}))  # one scheme holds trivially


def test_ranking_summary_takes_one_wave():
    two_waves = pd.concat([constructed({"equal": [1, 2, 3]}), constructed({"equal": [1, 2, 3]}).assign(wave=2024)])
    assert ranking_holds(two_waves)
    with pytest.raises(ParameterError):
        ranking_summary(two_waves)
