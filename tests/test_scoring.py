"""Scores against numbers worked out by hand (see the comments), not copied from the code."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest
from conftest import people_frame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.exceptions import ParameterError
from analysis.stats.scoring import level_of, score_survey
from analysis.survey.codebook import load_codebook


@pytest.fixture(autouse=True, scope="module")
def _tiny_groups(low_min_n):
    """Hand-worked fixtures here have groups of one to four: the min_n floor of 5 is lowered for them."""


TINY_CODEBOOK = textwrap.dedent(
    """
    version: "test-1"
    scale:
      levels:
        - {code: 1, name_da: "Ikke påbegyndt", name_en: "Not started"}
        - {code: 2, name_da: "Begyndende", name_en: "Developing"}
        - {code: 3, name_da: "Etableret", name_en: "Established"}
        - {code: 4, name_da: "Systematisk", name_en: "Systematic"}
        - {code: 5, name_da: "Førende", name_en: "Leading"}
      dont_know: {code: 8, name_da: "Ved ikke", name_en: "Don't know"}
      not_applicable: {code: 9, name_da: "Ikke relevant", name_en: "Not applicable"}
    values:
      - id: va
        name_da: "Værdi A"
        name_en: "Value A"
        focus_areas:
          - id: a1
            name_da: "A1"
            name_en: "A1"
            items:
              - {id: i1, text_da: "i1", text_en: "i1", reverse: false}
              - {id: i2, text_da: "i2", text_en: "i2", reverse: true}
          - id: a2
            name_da: "A2"
            name_en: "A2"
            items:
              - {id: i3, text_da: "i3", text_en: "i3", reverse: false}
      - id: vb
        name_da: "Værdi B"
        name_en: "Value B"
        focus_areas:
          - id: b1
            name_da: "B1"
            name_en: "B1"
            items:
              - {id: i4, text_da: "i4", text_en: "i4", reverse: false}
    """
)

# Answers per respondent for items i1, i2 (reverse), i3, i4. 8 = Ved ikke, 9 = Ikke relevant,
# None = blank.
ANSWERS = {
    "X": [[4, 2, 3, 8], [5, 1, 8, 2], [3, 9, 4, 3], [2, 4, None, 1], [8, 3, 5, 9]],
    "Y": [[1, 1, 1, 1]] * 3,
    "Z": [[2, 4, 2, 5], [3, 3, 3, 4], [2, 4, 2, 5], [3, 3, 3, 4], [2, 4, 2, 5], [3, 3, 3, 4]],
}


@pytest.fixture()
def tiny_codebook(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(TINY_CODEBOOK, encoding="utf-8")
    return load_codebook(path)


def long_frame(answers: dict, wave: int = 2025) -> pd.DataFrame:
    return people_frame(answers, ["i1", "i2", "i3", "i4"], wave)


@pytest.fixture()
def scores(tiny_codebook):
    return score_survey(long_frame(ANSWERS), tiny_codebook, min_n=5, seed=1, resamples=500)


@pytest.fixture()
def unsuppressed(tiny_codebook):
    """Scores with min_n=1, to see item and focus-area numbers of the small fixture."""
    return score_survey(long_frame(ANSWERS), tiny_codebook, min_n=1, seed=1, resamples=200)


def cell(table, **keys):
    mask = np.ones(len(table), dtype=bool)
    for k, v in keys.items():
        mask &= table[k].to_numpy() == v
    assert mask.sum() == 1, keys
    return table[mask].iloc[0]


def test_reverse_items_and_dont_know_are_handled_before_averaging(unsuppressed):
    # X, i2 reversed: raw 2,1,(9),4,3 -> 4,5,2,3, mean 14/4 = 3.5; i1 skips the Ved ikke: 14/4.
    items = unsuppressed.item
    assert cell(items, department="X", item="i2")["mean"] == pytest.approx(3.5)
    assert cell(items, department="X", item="i1")["mean"] == pytest.approx(3.5)
    assert cell(items, department="X", item="i3")["n_valid"] == 3  # one Ved ikke, one blank


def test_focus_areas_weigh_equally(scores, unsuppressed):
    # X: a1 = (3.5 + 3.5) / 2 = 3.5, a2 = (3 + 4 + 5) / 3 = 4.0, value A = (3.5 + 4.0) / 2 = 3.75.
    # Pooling the three items instead would give 11 / 3 = 3.667.
    fa = unsuppressed.department_focus_area
    assert cell(fa, department="X", focus_area="a1")["score"] == pytest.approx(3.5)
    assert cell(fa, department="X", focus_area="a2")["score"] == pytest.approx(4.0)
    x_a = cell(unsuppressed.department_value, department="X", value="va")
    assert x_a["score"] == pytest.approx(3.75)
    assert x_a["level"] == 4
    assert x_a["n"] == 5


def test_level_rounds_half_up(scores):
    # Z: every item alternates 2/3 (i2 reversed from 4/3), so value A = 2.5 exactly -> level 3;
    # value B = (5 + 4) / 2 = 4.5 -> level 5.
    z_a = cell(scores.department_value, department="Z", value="va")
    z_b = cell(scores.department_value, department="Z", value="vb")
    assert z_a["score"] == pytest.approx(2.5) and z_a["level"] == 3
    assert z_b["score"] == pytest.approx(4.5) and z_b["level"] == 5


def test_small_cells_are_suppressed(scores):
    dv = scores.department_value
    # Y has 3 respondents; X has 3 valid answers on value B (r2, r3, r4).
    for dept, value in [("Y", "va"), ("Y", "vb"), ("X", "vb")]:
        row = cell(dv, department=dept, value=value)
        assert row["suppressed"]
        assert pd.isna(row["score"]) and pd.isna(row["ci_low"]) and pd.isna(row["ci_high"])
        assert pd.isna(row["level"]) and pd.isna(row["n"])  # a count under min_n is not published
    # Focus areas and items answered by fewer than min_n stay hidden, and so do those of a
    # suppressed value; the value score itself still uses every answer.
    assert cell(scores.department_focus_area, department="X", focus_area="a2")["suppressed"]
    assert pd.isna(cell(scores.item, department="X", item="i2")["mean"])
    assert cell(scores.department_focus_area, department="X", focus_area="b1")["suppressed"]
    assert pd.isna(cell(scores.item, department="Y", item="i1")["mean"])


def test_one_small_department_pulls_in_the_smallest_published_one(scores):
    # Value A: Y (3) alone would be the total minus the others, so X (5, smaller than Z's 6)
    # joins the merged group and its own cell is hidden too (complementary suppression).
    dv = scores.department_value
    x_a = cell(dv, department="X", value="va")
    # Its n (5) is not published either: the group's n (8) minus it would give Y's 3 away.
    assert x_a["suppressed"] and pd.isna(x_a["score"]) and pd.isna(x_a["n"])
    assert pd.isna(cell(scores.respondents, department="X")["respondents"])
    group = cell(dv, department="ØVRIGE", value="va")
    assert group["members"] == "X+Y" and not group["suppressed"] and group["n"] == 8
    # Pooled X+Y, by hand. i1: X 4,5,3,2 and Y 1,1,1 -> 17/7; i2 reversed: X 4,5,2,3 and Y 5,5,5
    # -> 29/7; a1 = (17/7 + 29/7)/2 = 23/7. i3: X 3,4,5 and Y 1,1,1 -> 15/6 = 2.5 = a2.
    # Value A = (23/7 + 2.5)/2 = 2.892857.
    assert group["score"] == pytest.approx((23 / 7 + 2.5) / 2)
    assert cell(scores.department_focus_area, department="ØVRIGE", focus_area="a1")["score"] == pytest.approx(23 / 7)
    # Value B: X (3) and Y (3) pool on their own (6 >= 5, two departments): i4 = (2+3+1+1+1+1)/6.
    group_b = cell(dv, department="ØVRIGE", value="vb")
    assert group_b["members"] == "X+Y" and group_b["score"] == pytest.approx(1.5)
    assert cell(dv, department="Z", value="va")["members"] == ""


def test_municipality_covers_every_department(scores):
    # Value A: Z 2.5 on its own; X and Y through the merged group (2.892857), which weighs two:
    # (2.5 + 2 x 2.892857) / 3 = 2.761905. The published-only mean would be Z's 2.5 alone.
    # Value B: (Z 4.5 + 2 x 1.5) / 3 = 2.5.
    a = cell(scores.value, value="va")
    b = cell(scores.value, value="vb")
    assert a["score"] == pytest.approx((2.5 + 2 * (23 / 7 + 2.5) / 2) / 3) and a["level"] == 3
    assert a["n_departments"] == 3 and a["n_respondents"] == 14
    assert b["score"] == pytest.approx(2.5) and b["n_departments"] == 3 and b["n_respondents"] == 12
    assert scores.suppressed_departments(2025, "vb") == ["X", "Y"]
    # The municipality's replicates are the weighted mean of the strata's, resample by resample.
    reps = scores.municipal_replicates[2025][:, 0]
    expected = (scores.replicates[(2025, "Z")][:, 0] + 2 * scores.replicates[(2025, "ØVRIGE")][:, 0]) / 3
    np.testing.assert_allclose(reps, expected)


def test_dont_know_share(scores, unsuppressed):
    # X, value A: 14 non-blank answers on i1-i3, 2 of them Ved ikke -> 1/7.
    row = cell(unsuppressed.dont_know, department="X", value="va")
    assert row["dont_know_share"] == pytest.approx(2 / 14)
    assert not row["flagged"]
    # X, value B: 5 answers on i4, 1 Ved ikke -> 0.2.
    assert cell(unsuppressed.dont_know, department="X", value="vb")["dont_know_share"] == pytest.approx(0.2)
    # At min_n 5 the share follows its score: X's are hidden, the merged group's is shown
    # (X+Y on value A: 14 + 9 answers, 2 Ved ikke).
    assert pd.isna(cell(scores.dont_know, department="X", value="va")["dont_know_share"])
    group = cell(scores.dont_know, department="ØVRIGE", value="va")
    assert group["dont_know_share"] == pytest.approx(2 / 23) and group["members"] == "X+Y"
    assert group["ci_low"] <= group["dont_know_share"] <= group["ci_high"]


def test_intervals_are_seeded_and_bracket_the_score(tiny_codebook):
    frame = long_frame(ANSWERS)
    one = score_survey(frame, tiny_codebook, seed=7, resamples=400).department_value
    two = score_survey(frame, tiny_codebook, seed=7, resamples=400).department_value
    other = score_survey(frame, tiny_codebook, seed=8, resamples=400).department_value
    pd.testing.assert_frame_equal(one, two)
    pub = one[~one["suppressed"]]
    assert (pub["ci_low"] <= pub["score"]).all() and (pub["score"] <= pub["ci_high"]).all()
    assert (pub["ci_low"] < pub["ci_high"]).all()
    assert not np.allclose(pub["ci_low"], other[~other["suppressed"]]["ci_low"])


def test_department_interval_does_not_depend_on_other_departments(tiny_codebook):
    both = score_survey(long_frame(ANSWERS), tiny_codebook, seed=3, resamples=300).department_value
    alone = score_survey(long_frame({"Z": ANSWERS["Z"]}), tiny_codebook, seed=3, resamples=300).department_value
    assert cell(both, department="Z", value="va")["ci_low"] == cell(alone, department="Z", value="va")["ci_low"]


def test_level_of_halves_round_up():
    assert [level_of(x) for x in (1.49, 1.5, 2.5, 3.4999, 4.5, 0.7)] == [1, 2, 3, 3, 5, 1]
    # 7/3 and 8/3 average to 2.5 up to floating-point error; the level must still be 3.
    assert level_of((7 / 3 + 8 / 3) / 2) == 3


def test_bad_parameters_are_refused(tiny_codebook):
    with pytest.raises(ParameterError, match="min_n"):
        score_survey(long_frame(ANSWERS), tiny_codebook, min_n=0)


answer = st.sampled_from([1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 8, 9, None])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(answer, min_size=4, max_size=4), min_size=5, max_size=12), st.integers(0, 2**16))
def test_scores_stay_on_the_scale_and_inside_their_intervals(tmp_path_factory, people, seed):
    path = tmp_path_factory.mktemp("cb") / "codebook.yaml"
    path.write_text(TINY_CODEBOOK, encoding="utf-8")
    cb = load_codebook(path)
    scores = score_survey(long_frame({"D": people}), cb, min_n=1, seed=seed, resamples=200)
    for table in (scores.department_value, scores.department_focus_area, scores.value):
        shown = table.dropna(subset=["score"])
        assert shown["score"].between(1, 5).all()
        # The expanded interval needs two respondents: a group of one has a score and no interval.
        if "n" in shown:
            shown = shown[shown["n"] >= 2]
        assert shown["ci_low"].between(1, 5).all() and shown["ci_high"].between(1, 5).all()
        assert (shown["ci_low"] <= shown["score"] + 1e-9).all()
        assert (shown["score"] <= shown["ci_high"] + 1e-9).all()


# -- changes between waves -------------------------------------------------------------------
def _waves(before: dict, after: dict) -> pd.DataFrame:
    return pd.concat([long_frame(before, 2024), long_frame(after, 2025)], ignore_index=True)


def test_a_large_change_is_an_improvement(tiny_codebook):
    from analysis.stats.changes import score_changes

    # Every answer moves from 2 to 4 (i2 is reversed: raw 4 -> 2), a change of +2 on value A.
    low = {"D": [[2, 4, 2, 2]] * 4 + [[3, 3, 2, 2]] * 4}
    high = {"D": [[4, 2, 4, 4]] * 4 + [[5, 1, 4, 4]] * 4}
    changes = score_changes(score_survey(_waves(low, high), tiny_codebook, seed=1, resamples=500), 2024, 2025)
    row = changes[(changes["department"] == "D") & (changes["value"] == "va")].iloc[0]
    # Value A before: a1 = (2.5 + 2.5) / 2 = 2.5, a2 = 2 -> 2.25; after: a1 = 4.5, a2 = 4 -> 4.25.
    assert row["diff"] == pytest.approx(2.0)
    assert row["ci_low"] > 0 and row["verdict"] == "improvement"
    muni = changes[(changes["department"] == "ALL") & (changes["value"] == "va")].iloc[0]
    assert muni["diff"] == pytest.approx(2.0) and muni["verdict"] == "improvement"


def test_the_same_answers_give_no_clear_change(tiny_codebook):
    from analysis.stats.changes import score_changes

    same = {"D": ANSWERS["Z"] + ANSWERS["X"]}
    changes = score_changes(score_survey(_waves(same, same), tiny_codebook, seed=2, resamples=500), 2024, 2025)
    for row in changes.itertuples():
        assert row.diff == pytest.approx(0.0)
        assert row.ci_low < 0 < row.ci_high
        assert row.verdict == "no clear change"


def test_a_decline_and_suppression_across_waves(tiny_codebook):
    from analysis.stats.changes import score_changes

    high = {"D": [[5, 1, 5, 5]] * 6, "S": [[3, 3, 3, 3]] * 6, "T": [[3, 3, 3, 3]] * 6}
    low = {"D": [[1, 5, 1, 1]] * 3 + [[2, 4, 2, 2]] * 3, "S": [[3, 3, 3, 3]] * 3, "T": [[3, 3, 3, 3]] * 6}
    changes = score_changes(score_survey(_waves(high, low), tiny_codebook, seed=3, resamples=500), 2024, 2025)
    d = changes[(changes["department"] == "D") & (changes["value"] == "va")].iloc[0]
    assert d["diff"] == pytest.approx(1.5 - 5.0) and d["verdict"] == "decline"
    # S has 3 respondents in 2025: suppressed there, so its change is suppressed too. It pulls in
    # T (6, tied with D: the later in report order) to form the merged group.
    s = changes[(changes["department"] == "S") & (changes["value"] == "va")].iloc[0]
    assert s["suppressed"] and pd.isna(s["diff"]) and s["verdict"] == ""
    # The municipality covers all three in both waves (like with like): 2024 (5 + 3 + 3) / 3,
    # 2025 (1.5 + 2 x 3) / 3 with S and T through the merged group.
    muni = changes[(changes["department"] == "ALL") & (changes["value"] == "va")].iloc[0]
    assert muni["n_departments"] == 3 and muni["diff"] == pytest.approx(7.5 / 3 - 11 / 3)


def test_one_hidden_focus_area_hides_its_siblings(tiny_codebook):
    # X answers a2's only item (i3) 3 times validly: a2 is hidden at min_n=5 while value A (n=5)
    # is shown. Value A = mean(a1, a2), so a1 published beside A would give a2 away: hide a1 too.
    # (Without Y, whose 3 respondents would pull X into the merged group.)
    scores = score_survey(long_frame({k: ANSWERS[k] for k in "XZ"}), tiny_codebook, min_n=5, seed=1, resamples=200)
    fa = scores.department_focus_area
    assert not cell(scores.department_value, department="X", value="va")["suppressed"]
    for area in ("a1", "a2"):
        row = cell(fa, department="X", focus_area=area)
        assert row["suppressed"] and pd.isna(row["score"])
    # Z answered everything: its focus areas stay shown.
    assert not cell(fa, department="Z", focus_area="a1")["suppressed"]
    # Items follow the same rule within a focus area: X's i2 (4 valid) hides i1 (4 valid) anyway,
    # and Z's items are all shown.
    assert not cell(scores.item, department="Z", item="i1")["suppressed"]
