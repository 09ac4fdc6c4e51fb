"""Answer distributions against shares counted by hand, with the disclosure rules.

The conftest codebook: value ``climate`` = food_1 + food_2 (reverse, scored 6 - x), value
``social`` = wages_1. 8 = Ved ikke, 9 = Ikke relevant, None = blank. All tests use
``min_n = 2``, so a distribution is shown from ``n_valid >= 4``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import people_frame

from analysis.exceptions import ParameterError
from analysis.stats.distributions import SHARE_COLUMNS, answer_distribution


@pytest.fixture(autouse=True, scope="module")
def _tiny_groups(low_min_n):
    """Hand-worked fixtures here have groups of one to four: the min_n floor of 5 is lowered for them."""


# department -> answers (food_1, food_2, wages_1) per respondent
BASE = {
    # climate turned: 4,4 | 5,(8) | 3,5 | (9),3 -> levels 3:2, 4:2, 5:2 of 6 valid; 8 answers,
    # 1 Ved ikke, 1 Ikke relevant; n = n_valid = 4 -> shown.
    # social: 3, (9), 4, 5 -> n 4, n_valid 3 -> hidden, but published (>= min_n).
    "A": [(4, 2, 3), (5, 8, 9), (3, 1, 4), (9, 3, 5)],
    # climate turned: 2,2 | 1,1 | 2,- | (8),(8) | 3,- -> levels 1:2, 2:3, 3:1 of 6 valid;
    # 8 answers, 2 Ved ikke; n 5, n_valid 4 -> shown. One respondent left everything blank.
    # social: 2, 1, (8), 2, -, - -> n 4, n_valid 3 -> hidden, published.
    "B": [(2, 4, 2), (1, 5, 1), (2, None, 8), (8, 8, 2), (3, None, None), (None, None, None)],
    # One respondent: never pooled, never shown.
    "C": [(5, 1, 5)],
    # climate turned: 1,1 | 1,(9) | 2,2 -> n_valid 3: hidden; alone among the hidden, so left
    # out of the municipality (3 < 2 * min_n). social: 1, 1, (9) -> n_valid 2, published.
    "D": [(1, 5, 1), (1, 9, 1), (2, 4, 9)],
}


def long_frame(answers: dict, wave: int = 2025) -> pd.DataFrame:
    return people_frame(answers, ["food_1", "food_2", "wages_1"], wave)


def row(table: pd.DataFrame, department: str, value: str) -> pd.Series:
    hit = table[(table["department"] == department) & (table["value"] == value)]
    assert len(hit) == 1, (department, value)
    return hit.iloc[0]


@pytest.fixture()
def base(tiny_codebook):
    return answer_distribution(long_frame(BASE), tiny_codebook, wave=2025, min_n=2)


def test_department_shares_worked_by_hand(base):
    a = row(base, "A", "climate")
    assert (a["n"], a["n_valid"], a["answers"], a["shown"]) == (4, 4, 8, True)
    assert [a[f"share_{lv}"] for lv in range(1, 6)] == pytest.approx([0, 0, 1 / 3, 1 / 3, 1 / 3])
    assert a["share_dont_know"] == pytest.approx(1 / 8)
    assert a["share_not_applicable"] == pytest.approx(1 / 8)

    b = row(base, "B", "climate")
    assert (b["n"], b["n_valid"], b["answers"], b["shown"]) == (5, 4, 8, True)
    assert [b[f"share_{lv}"] for lv in range(1, 6)] == pytest.approx([2 / 6, 3 / 6, 1 / 6, 0, 0])
    assert b["share_dont_know"] == pytest.approx(2 / 8)
    assert b["share_not_applicable"] == 0


def test_reverse_items_are_turned(tiny_codebook):
    # Four people answer only the reverse item food_2, all with raw 1: that is level 5.
    frame = long_frame({"X": [(None, 1, 3)] * 4})
    x = row(answer_distribution(frame, tiny_codebook, wave=2025, min_n=2), "X", "climate")
    assert x["share_5"] == 1.0 and x["share_1"] == 0.0


def test_distribution_is_hidden_below_twice_min_n(base, tiny_codebook):
    d = row(base, "D", "climate")  # n_valid 3 < 4
    assert not d["shown"] and d["n"] == 3
    assert d[SHARE_COLUMNS].isna().all() and pd.isna(d["answers"])
    c = row(base, "C", "climate")
    assert not c["shown"] and c[SHARE_COLUMNS].isna().all()
    # A has n_valid exactly 4: shown at min_n 2 (4 >= 2 * 2), hidden at min_n 3 (4 < 6).
    assert row(base, "A", "climate")["shown"]
    stricter = answer_distribution(long_frame(BASE), tiny_codebook, wave=2025, min_n=3)
    assert not row(stricter, "A", "climate")["shown"]
    assert row(stricter, "A", "climate")[SHARE_COLUMNS].isna().all()


def test_municipality_leaves_out_small_and_lone_hidden_departments(base):
    # Pool = A + B: C is below min_n, and D would be the only hidden department in the pool
    # (the municipality minus A and B would be D's distribution).
    # Levels: A 3:2, 4:2, 5:2 plus B 1:2, 2:3, 3:1 -> 2, 3, 3, 2, 2 of 12;
    # answers 8 + 8 = 16 with 1 + 2 Ved ikke and 1 Ikke relevant.
    m = row(base, "ALL", "climate")
    assert (m["departments"], m["n"], m["n_valid"], m["answers"], m["shown"]) == (2, 9, 8, 16, True)
    assert [m[f"share_{lv}"] for lv in range(1, 6)] == pytest.approx([2 / 12, 3 / 12, 3 / 12, 2 / 12, 2 / 12])
    assert m["share_dont_know"] == pytest.approx(3 / 16)
    assert m["share_not_applicable"] == pytest.approx(1 / 16)


def test_hidden_departments_are_pooled_when_together_large_enough(tiny_codebook):
    # E (n_valid 2, hidden) joins D (3, hidden): together 5 >= 4, so both enter the pool.
    # Added levels: D 1,1,1,2,2 and E 3,3,4,4 -> totals 5, 5, 5, 4, 2 of 21; answers 16 + 6 + 4;
    # respondents with a valid answer 8 + 3 + 2.
    # (Without C: its lone respondent would pull the smallest published department, E, into the
    # merged group, and members are never pooled. C added nothing to the pool anyway.)
    answers = {k: v for k, v in BASE.items() if k != "C"} | {"E": [(3, 3, 3), (4, 2, 4)]}
    table = answer_distribution(long_frame(answers), tiny_codebook, wave=2025, min_n=2)
    m = row(table, "ALL", "climate")
    assert (m["departments"], m["n_valid"], m["answers"]) == (4, 13, 26)
    assert [m[f"share_{lv}"] for lv in range(1, 6)] == pytest.approx([5 / 21, 5 / 21, 5 / 21, 4 / 21, 2 / 21])
    assert m["share_not_applicable"] == pytest.approx(2 / 26)


def test_municipality_of_departments_none_of_which_is_shown(tiny_codebook):
    # social: A (3), B (3) and D (2) are all hidden but published; together 8 >= 4. (Without C,
    # whose lone respondent would pull D into the merged group.)
    # Valid: A 3,4,5; B 2,1,2; D 1,1 -> levels 3, 2, 1, 1, 1 of 8; answers 4 + 4 + 3 = 11,
    # Ved ikke 1 (B), Ikke relevant 2 (A, D).
    answers = {k: v for k, v in BASE.items() if k != "C"}
    base = answer_distribution(long_frame(answers), tiny_codebook, wave=2025, min_n=2)
    m = row(base, "ALL", "social")
    assert (m["departments"], m["n_valid"], m["answers"], m["shown"]) == (3, 8, 11, True)
    assert [m[f"share_{lv}"] for lv in range(1, 6)] == pytest.approx([3 / 8, 2 / 8, 1 / 8, 1 / 8, 1 / 8])
    assert m["share_dont_know"] == pytest.approx(1 / 11)
    assert m["share_not_applicable"] == pytest.approx(2 / 11)
    assert not any(row(base, d, "social")["shown"] for d in "ABD")


def test_municipality_alone_and_empty_pool(tiny_codebook):
    table = answer_distribution(long_frame(BASE), tiny_codebook, wave=2025, min_n=5, by_department=False)
    assert set(table["department"]) == {"ALL"}
    assert (table["departments"] == 0).all() and not table["shown"].any()
    assert table[SHARE_COLUMNS].isna().all().all()


def test_shares_sum_to_one_and_rows_are_ordered(base):
    shown = base[base["shown"]]
    levels = shown[[f"share_{lv}" for lv in range(1, 6)]].sum(axis=1)
    assert np.allclose(levels, 1.0)
    assert list(base["department"].iloc[:2]) == ["ALL", "ALL"]
    assert list(base.columns[:4]) == ["wave", "department", "value", "n"]


def test_unknown_wave_is_refused(tiny_codebook):
    with pytest.raises(ParameterError, match="2025"):
        answer_distribution(long_frame(BASE), tiny_codebook, wave=2019)


def test_a_department_pulled_into_the_merged_group_has_no_distribution(tiny_codebook):
    """B (12) is the smallest published department beside C (3): pulled in, so hidden though 12 >= 10."""
    from conftest import people_frame

    from analysis.stats.distributions import answer_distribution

    people = {"A": [[3, 3, 3]] * 20, "B": [[4, 2, 4]] * 12, "C": [[1, 5, 1]] * 3}
    table = answer_distribution(
        people_frame(people, ["food_1", "food_2", "wages_1"]), tiny_codebook, wave=2025, min_n=5
    )
    rows = table.set_index(["department", "value"])
    assert not rows.loc[("B", "climate"), "shown"] and not rows.loc[("C", "climate"), "shown"]
    assert rows.loc[("A", "climate"), "shown"]
    # The municipality pools only A: B and C together would be the total minus A.
    assert rows.loc[("ALL", "climate"), "departments"] == 1
