"""Changes between waves per focus area, against numbers worked out by hand.

The tiny codebook of conftest: value ``climate`` has focus area ``clim_food`` (food_1 and the
reverse-worded food_2), value ``social`` has ``soc_wages`` (wages_1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import people_frame

from analysis.exceptions import ParameterError
from analysis.stats.bootstrap import department_generator
from analysis.stats.changes import score_changes
from analysis.stats.scoring import score_survey

ITEMS = ["food_1", "food_2", "wages_1"]
RESAMPLES = 400


def _two_waves():
    # 2024: BUF answers food_1 = 2 and food_2 = 4 (turned: 2), so clim_food = 2.0 in every
    # resample; wages_1 = 3. SUF has 6 respondents.
    before = people_frame({"BUF": [[2, 4, 3]] * 6, "SUF": [[3, 3, 3]] * 6}, ITEMS, wave=2024)
    # 2025: BUF food_1 is 3 or 5 (mean 4), food_2 = 2 (turned: 4): clim_food = (4 + 4) / 2 = 4.0,
    # a change of +2.0; wages_1 stays 3. SUF has only 3 respondents: suppressed at min_n = 5.
    after = people_frame({"BUF": [[3, 2, 3], [5, 2, 3]] * 3, "SUF": [[3, 3, 3]] * 3}, ITEMS, wave=2025)
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
    # Department rows only: the municipality score is defined per value.
    assert set(changes["department"]) == {"BUF", "SUF"}


def test_score_changes_refuses_an_unknown_level(scores):
    with pytest.raises(ParameterError, match="level must be one of"):
        score_changes(scores, 2024, 2025, level="item")
