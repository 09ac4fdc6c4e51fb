"""Tests of the explorable Scores: names beside codes, on the tiny codebook and department list."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import people_frame

from analysis.exceptions import ParameterError
from analysis.stats.scoring import score_survey

ITEMS = ["food_1", "food_2", "wages_1"]


@pytest.fixture
def scores(tiny_codebook, tiny_departments):
    # SUF (3) is hidden and pulls ØKF (5, the smallest published) into the merged group; BUF stays.
    before = people_frame({"BUF": [[2, 4, 3]] * 6, "SUF": [[3, 3, 3]] * 3, "ØKF": [[3, 3, 3]] * 5}, ITEMS, wave=2024)
    after = people_frame({"BUF": [[4, 2, 3]] * 6, "SUF": [[3, 3, 3]] * 3, "ØKF": [[3, 3, 3]] * 5}, ITEMS, wave=2025)
    return score_survey(
        pd.concat([before, after], ignore_index=True), tiny_codebook, tiny_departments, seed=1, resamples=200
    )


def test_by_department_value_names_departments_values_and_levels(scores):
    table = scores.by_department_value(lang="en")
    buf = table[(table["wave"] == 2024) & (table["department"] == "BUF")].set_index("value")
    # food_1 = 2, food_2 = 4 turned to 2: climate = 2.0, level 2 "Developing"; wages_1 = 3.
    assert buf.loc["climate", "value_name"] == "Climate"
    assert buf.loc["climate", "score"] == pytest.approx(2.0)
    assert buf.loc["climate", "level_name"] == "Developing"
    assert buf.loc["social", "level_name"] == "Established"
    assert buf.loc["social", "department_name"] == "Children and Youth Administration"
    # SUF has 3 respondents: suppressed, so no level and no level name.
    suf = table[table["department"] == "SUF"]
    assert suf["suppressed"].all() and suf["level_name"].isna().all()


def test_by_value_and_by_focus_area_give_danish_names_by_default(scores):
    assert scores.by_value().loc[0, "value_name"] == "Klima"
    fa = scores.by_focus_area()
    assert set(fa["focus_area_name"]) == {"Mad", "Arbejdsklausuler"}


def test_changes_with_names_at_both_levels(scores):
    values = scores.changes(2024, 2025, lang="en")
    muni = values[(values["department"] == "ALL") & (values["value"] == "climate")].iloc[0]
    # The whole municipality in both waves: BUF 2 -> 4, the merged group (weighing two) 3 -> 3:
    # (4 + 2 x 3) / 3 - (2 + 2 x 3) / 3 = 2/3.
    assert muni["department_name"] == "Whole municipality" and muni["diff"] == pytest.approx(2 / 3)
    areas = scores.changes(2024, 2025, level="focus_area", lang="en")
    food = areas[(areas["department"] == "BUF") & (areas["focus_area"] == "clim_food")].iloc[0]
    assert food["focus_area_name"] == "Food" and food["diff"] == pytest.approx(2.0)


def test_an_unknown_language_is_refused(scores):
    with pytest.raises(ParameterError, match="lang must be one of"):
        scores.by_value(lang="de")
