"""The barriers instrument: shares 4-5, intervals, the merged group, the municipality, the ranking, the table."""

from __future__ import annotations

import csv
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from conftest import groups_frame
from openpyxl import load_workbook
from scipy import stats

from analysis import config
from analysis.exceptions import ParameterError
from analysis.stats.barriers import BARRIER_TABLE_COLUMNS, STREAM, rank_barriers, score_barriers
from analysis.stats.bootstrap import department_generator
from analysis.stats.scoring import score_survey
from analysis.survey.loading import Answers
from analysis.tables.contract import BARRIER_COLUMNS, BARRIERS, write_tables
from analysis.tables.documents import write_briefing_tables
from analysis.tables.excel import write_excel

RESAMPLES = 400
SEED = 11
ITEMS = ("b1", "b2", "e1")
KINDS = {"b1": "barrier", "b2": "barrier", "e1": "enabler"}


def survey(groups, items=ITEMS) -> tuple[pd.DataFrame, Answers]:
    """Return respondents and their Answers from ``(wave, department, [codes per respondent])`` groups.

    A code of -1 is a blank; a respondent is present on every item.
    """
    people, rows = [], []
    for wave, dept, answers in groups:
        for r, codes in enumerate(answers):
            people.append({"wave": wave, "department": dept, "respondent_id": f"{wave}-{dept}-{r}"})
            rows.append(codes)
    codes = np.array(rows, dtype=np.int8).reshape(len(rows), len(items))
    return pd.DataFrame(people), Answers(codes, np.ones(codes.shape, dtype=bool), tuple(items))


def columns(*per_item) -> list[list[int]]:
    """Return per-respondent rows from one list of answers per item."""
    return [list(row) for row in zip(*per_item)]


#: Worked by hand (min_n 5, report order BUF, SUF, ØKF):
#:
#: - b1: BUF 3 of 5 answers 1-5 at 4-5 (its *Ved ikke* left out), n 5; SUF 1/7; ØKF 2 of 2, under 5.
#:   ØKF alone cannot form a group, so the smallest published department, BUF (5 < 7), joins:
#:   ØVRIGE = BUF+ØKF, (3 + 2) / 7 = 5/7, n 7; BUF's own row is suppressed too. ALL = (1/7 + 2 x 5/7) / 3
#:   = 11/21 (SUF weighs 1, the group its 2 members), n 14.
#: - b2: BUF all 4 (1.0, n 6), SUF all 2 (0.0), ØKF all 5: ØVRIGE = BUF+ØKF (6 + 2) / 8 = 1.0; ALL = 2/3 in
#:   every resample too, since each stratum's share is the same in every resample.
#: - e1: BUF 4 answers 1-5 (blank and *Ikke relevant* left out), one at 4-5, n 4; SUF 4 of 6 (2/3);
#:   ØKF 2 of 2: the two small departments pool on their own, ØVRIGE = BUF+ØKF (1 + 2) / 6 = 0.5;
#:   ALL = (2/3 + 2 x 0.5) / 3 = 5/9.
HAND = [
    (2025, "BUF", columns([5, 4, 4, 2, 1, 8], [4] * 6, [1, 2, 3, -1, 9, 5])),
    (2025, "SUF", columns([1, 1, 2, 2, 3, 3, 4], [2] * 7, [4, 4, 5, 5, 1, 2, 8])),
    (2025, "ØKF", columns([5, 5], [5, 5], [5, 5])),
]


@pytest.fixture(scope="module")
def hand(tiny_departments):
    people, answers = survey(HAND)
    return score_barriers(people, answers, tiny_departments, items=KINDS, seed=SEED, resamples=RESAMPLES)


def cell(scores, department, item, wave=2025) -> pd.Series:
    t = scores.table
    (row,) = t[(t["wave"] == wave) & (t["department"] == department) & (t["barrier"] == item)].itertuples(index=False)
    return pd.Series(row._asdict())


# -- the statistic and its interval ----------------------------------------------------------------
#: Two published departments of six; BUF answers b1 with one *Ved ikke*, b2 all 4.
PUBLISHED = [
    (2025, "BUF", columns([5, 4, 2, 1, 3, 8], [4] * 6, [5, 5, 5, 1, 1, 1])),
    (2025, "SUF", columns([5, 5, 5, 5, 1, 1], [4] * 6, [2, 2, 2, 2, 2, 4])),
]


@pytest.fixture(scope="module")
def published(tiny_departments):
    people, answers = survey(PUBLISHED)
    return score_barriers(people, answers, tiny_departments, items=KINDS, seed=SEED, resamples=RESAMPLES)


def loop_bootstrap(answers: list[int], department: str, seed: int, resamples: int) -> np.ndarray:
    """Return the share 4-5 among 1-5 of each resample, drawn one by one from the module's generator."""
    codes = np.array(answers)
    draws = department_generator(seed, 2025, department, stream=STREAM).integers(
        0, len(codes), size=(resamples, len(codes)), dtype=np.uint32
    )
    out = []
    for draw in draws:
        drawn = codes[draw]
        valid = drawn[(drawn >= 1) & (drawn <= 5)]
        out.append(np.mean(valid >= 4) if valid.size else np.nan)
    return np.array(out)


def test_share_high_counts_4_and_5_among_1_to_5_and_keeps_dont_know_apart(published):
    b1 = cell(published, "BUF", "b1")
    assert b1["share_high"] == pytest.approx(2 / 5)  # 5 and 4 of 5, 4, 2, 1, 3; the 8 is not an answer 1-5
    assert b1["n"] == 5
    assert not b1["suppressed"] and b1["members"] == ""


def test_department_interval_is_the_expanded_percentile_interval_of_a_plain_loop_bootstrap(published):
    answers = [5, 4, 2, 1, 3, 8]
    reps = loop_bootstrap(answers, "BUF", SEED, RESAMPLES)
    n = 5  # respondents with an answer 1-5
    t = stats.t.ppf(0.975, n - 1)
    alpha = 2 * stats.norm.cdf(-np.sqrt(n / (n - 1)) * t)
    low, high = np.nanpercentile(reps, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    b1 = cell(published, "BUF", "b1")
    assert b1["ci_low"] == pytest.approx(low)
    assert b1["ci_high"] == pytest.approx(high)
    np.testing.assert_allclose(published.replicates[(2025, "BUF")][:, 0], reps)


def test_the_draws_are_not_those_of_the_maturity_scores(published):
    plain = department_generator(SEED, 2025, "BUF").integers(0, 6, size=(RESAMPLES, 6), dtype=np.uint32)
    own = department_generator(SEED, 2025, "BUF", stream=STREAM).integers(0, 6, size=(RESAMPLES, 6), dtype=np.uint32)
    assert not np.array_equal(plain, own)


def test_equal_answers_give_a_degenerate_interval(published):
    b2 = cell(published, "BUF", "b2")
    assert (b2["share_high"], b2["ci_low"], b2["ci_high"], b2["n"]) == (1.0, 1.0, 1.0, 6)


def test_municipality_of_published_departments_is_their_mean_resample_by_resample(published):
    reps = (published.replicates[(2025, "BUF")] + published.replicates[(2025, "SUF")]) / 2
    np.testing.assert_allclose(published.municipal_replicates[2025], reps)
    e1 = cell(published, "ALL", "e1")
    assert e1["share_high"] == pytest.approx((3 / 6 + 1 / 6) / 2)
    assert e1["n"] == 12
    low, high = np.percentile(reps[:, 2], [2.5, 97.5])
    assert (e1["ci_low"], e1["ci_high"]) == (pytest.approx(low), pytest.approx(high))


def test_one_seed_gives_the_same_numbers_and_another_seed_other_intervals(tiny_departments, published):
    people, answers = survey(PUBLISHED)
    again = score_barriers(people, answers, tiny_departments, items=KINDS, seed=SEED, resamples=RESAMPLES)
    pd.testing.assert_frame_equal(again.table, published.table)
    np.testing.assert_array_equal(again.municipal_replicates[2025], published.municipal_replicates[2025])
    other = score_barriers(people, answers, tiny_departments, items=KINDS, seed=SEED + 1, resamples=RESAMPLES)
    assert not np.array_equal(other.replicates[(2025, "BUF")], published.replicates[(2025, "BUF")])
    pd.testing.assert_series_equal(other.table["share_high"], published.table["share_high"])


def test_a_department_interval_does_not_depend_on_the_other_departments(tiny_departments, published):
    people, answers = survey(PUBLISHED[:1])
    alone = score_barriers(people, answers, tiny_departments, items=KINDS, seed=SEED, resamples=RESAMPLES)
    np.testing.assert_array_equal(alone.replicates[(2025, "BUF")], published.replicates[(2025, "BUF")])
    assert cell(alone, "BUF", "b1")["ci_low"] == cell(published, "BUF", "b1")["ci_low"]


def test_not_applicable_and_blank_are_left_out_too(hand):
    e1 = cell(hand, "BUF", "e1")  # 1, 2, 3, blank, 9, 5: four answers 1-5
    assert e1["suppressed"] and pd.isna(e1["n"]) and pd.isna(e1["share_high"])


# -- disclosure control --------------------------------------------------------------------------------
def test_table_has_exactly_the_contract_columns_in_report_order(hand):
    assert list(hand.table.columns) == BARRIER_TABLE_COLUMNS == BARRIER_COLUMNS
    t = hand.table
    assert t["department"].drop_duplicates().tolist() == ["BUF", "SUF", "ØKF", "ØVRIGE", "ALL"]
    for dept in ("BUF", "ØVRIGE", "ALL"):
        assert t.loc[t["department"] == dept, "barrier"].tolist() == list(ITEMS)


def test_one_small_department_pulls_in_the_smallest_published_one(hand):
    merged = cell(hand, "ØVRIGE", "b1")
    assert merged["members"] == "BUF+ØKF" and not merged["suppressed"]
    assert merged["share_high"] == pytest.approx(5 / 7) and merged["n"] == 7
    for who in ("BUF", "ØKF"):  # BUF's 3/5 is published nowhere
        row = cell(hand, who, "b1")
        assert row["suppressed"] and pd.isna(row["share_high"]) and pd.isna(row["ci_low"]) and pd.isna(row["n"])
    suf = cell(hand, "SUF", "b1")
    assert not suf["suppressed"] and suf["share_high"] == pytest.approx(1 / 7) and suf["n"] == 7


def test_two_small_departments_pool_on_their_own(hand):
    merged = cell(hand, "ØVRIGE", "e1")
    assert merged["members"] == "BUF+ØKF" and merged["share_high"] == pytest.approx(0.5) and merged["n"] == 6
    assert cell(hand, "SUF", "e1")["share_high"] == pytest.approx(2 / 3)


def test_merged_group_interval_resamples_its_pooled_respondents(hand):
    pooled = [5, 4, 4, 2, 1, 8, 5, 5]  # BUF then ØKF on b1, in report order
    reps = loop_bootstrap(pooled, f"{config.MERGED_GROUP}:BUF+ØKF", SEED, RESAMPLES)
    np.testing.assert_allclose(hand.replicates[(2025, config.MERGED_GROUP)][:, 0], reps)


def test_municipality_weighs_the_merged_group_as_its_members(hand):
    assert cell(hand, "ALL", "b1")["share_high"] == pytest.approx(11 / 21)
    assert cell(hand, "ALL", "b1")["n"] == 14
    assert cell(hand, "ALL", "e1")["share_high"] == pytest.approx(5 / 9)
    b2 = cell(hand, "ALL", "b2")
    assert (b2["share_high"], b2["ci_low"], b2["ci_high"]) == (pytest.approx(2 / 3),) * 3
    assert set(hand.table.loc[hand.table["department"] == "ALL", "members"]) == {""}


def test_municipal_replicates_rest_on_the_same_resamples_for_every_item(tiny_departments):
    """Item q is item p with ØKF answering *Ved ikke*: p has a merged group BUF+ØKF, q none.

    Every resample of both is built from the departments' own draws, so ALL(q) = (BUF + SUF) / 2 and
    ALL(p) = (SUF + 2 x (6 BUF + 2 ØKF) / 8) / 3, with BUF's share the same in both, resample by resample.
    """
    p = {"BUF": [5, 4, 2, 1, 3, 4], "SUF": [5, 5, 1, 1, 1, 2, 4], "ØKF": [5, 1]}
    groups = [(2025, d, columns(a, a if d != "ØKF" else [8, 8])) for d, a in p.items()]
    people, answers = survey(groups, items=("p", "q"))
    out = score_barriers(people, answers, tiny_departments, seed=SEED, resamples=RESAMPLES)
    assert cell(out, "ØVRIGE", "p")["members"] == "BUF+ØKF"
    assert out.table.query("department == 'ØVRIGE' and barrier == 'q'").empty
    buf, suf, okf = (out.replicates[(2025, d)] for d in ("BUF", "SUF", "ØKF"))
    np.testing.assert_array_equal(buf[:, 0], buf[:, 1])
    muni = out.municipal_replicates[2025]
    np.testing.assert_allclose(muni[:, 1], (buf[:, 1] + suf[:, 1]) / 2)
    np.testing.assert_allclose(muni[:, 0], (suf[:, 0] + 2 * (6 * buf[:, 0] + 2 * okf[:, 0]) / 8) / 3)


def test_nothing_is_published_when_even_pooled_the_departments_are_too_few(tiny_departments):
    people, answers = survey(
        [(2025, "BUF", columns([5, 4], [1, 1], [2, 2])), (2025, "SUF", columns([4, 4], [1, 1], [2, 2]))]
    )
    out = score_barriers(people, answers, tiny_departments, items=KINDS, seed=SEED, resamples=RESAMPLES)
    assert out.table["suppressed"].all()
    assert out.table["share_high"].isna().all() and out.table["n"].isna().all()
    assert set(out.table.loc[out.table["department"] == "ØVRIGE", "members"]) == {"BUF+SUF"}


def test_a_wave_without_barrier_columns_is_left_out(tiny_departments):
    people, answers = survey([(2024, "BUF", columns([4] * 6, [4] * 6, [4] * 6)), *PUBLISHED])
    present = answers.present.copy()
    present[:6] = False
    codes = answers.codes.copy()
    codes[:6] = -1
    out = score_barriers(people, Answers(codes, present, ITEMS), tiny_departments, seed=SEED, resamples=RESAMPLES)
    assert out.waves == [2025]


def test_kinds_come_from_codebook_items_and_must_match_the_answers(tiny_departments):
    people, answers = survey(PUBLISHED)
    items = [SimpleNamespace(id=i, kind=k, text_da=i, text_en=i) for i, k in KINDS.items()]
    out = score_barriers(people, answers, tiny_departments, items=items, resamples=100)
    assert out.kinds == KINDS
    with pytest.raises(ParameterError, match="kind"):
        score_barriers(people, answers, tiny_departments, items={**KINDS, "b1": "hindrance"}, resamples=100)
    with pytest.raises(ParameterError, match="no kind for"):
        score_barriers(people, answers, tiny_departments, items={"b1": "barrier"}, resamples=100)
    with pytest.raises(ParameterError, match="min_n"):
        score_barriers(people, answers, tiny_departments, min_n=3, resamples=100)


# -- the ranking -------------------------------------------------------------------------------------
def ranked_survey(tiny_departments, top: list[int], second: list[int]):
    """Two departments of 30 answering four items: a top item, a second, a low barrier, and an enabler."""
    rng = np.random.default_rng(5)
    groups = []
    for dept in ("BUF", "SUF"):
        low = [1] * 27 + [4] * 3
        groups.append(
            (2025, dept, columns(rng.permutation(top), rng.permutation(second), rng.permutation(low), [5] * 30))
        )
    people, answers = survey(groups, items=("top", "second", "low", "enabler"))
    kinds = {"top": "barrier", "second": "barrier", "low": "barrier", "enabler": "enabler"}
    return score_barriers(people, answers, tiny_departments, items=kinds, seed=SEED, resamples=1000)


def test_a_clearly_largest_barrier_stands_alone(tiny_departments):
    scores = ranked_survey(tiny_departments, [5] * 30, [4] * 15 + [2] * 15)
    ranked = rank_barriers(scores, 2025)
    assert ranked["barrier"].tolist() == ["top", "second", "low"]  # the enabler is not a barrier
    assert ranked["rank"].tolist() == [1, 2, 3]
    assert ranked["clearly_largest"].tolist() == [True, False, False]
    assert ranked["tied_with_top"].tolist() == [True, False, False]
    assert ranked["clearly_above_next"].tolist() == [True, True, False]
    assert ranked.loc[0, "share_high"] == 1.0 and ranked.loc[1, "share_high"] == pytest.approx(0.5)


def test_two_barriers_on_level_are_tied_and_none_is_clearly_largest(tiny_departments):
    half = [4] * 15 + [2] * 15
    scores = ranked_survey(tiny_departments, [5] * 16 + [1] * 14, half)
    ranked = rank_barriers(scores, 2025)
    assert ranked["barrier"].tolist() == ["top", "second", "low"]
    assert not ranked["clearly_largest"].any()
    assert ranked["tied_with_top"].tolist() == [True, True, False]
    assert ranked["clearly_above_next"].tolist() == [False, True, False]
    # Holm over the three comparisons: adjusted p-values are at least the raw ones.
    assert ranked.loc[1, "p_top_adjusted"] > 0.05


def test_ranking_enablers_and_one_item_alone(tiny_departments):
    scores = ranked_survey(tiny_departments, [5] * 30, [4] * 30)
    enablers = rank_barriers(scores, 2025, kind="enabler")
    assert enablers["barrier"].tolist() == ["enabler"]
    assert not enablers["clearly_largest"].any() and enablers["tied_with_top"].all()
    assert len(rank_barriers(scores, 2025, kind=None)) == 4
    with pytest.raises(ParameterError):
        rank_barriers(scores, 2024)
    with pytest.raises(ParameterError):
        rank_barriers(scores, 2025, kind="hindrance")


# -- the files -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def maturity(tiny_codebook, tiny_departments):
    responses = groups_frame(
        [
            (2025, "BUF", 6, {"food_1": 3, "food_2": 3, "wages_1": 3}),
            (2025, "SUF", 7, {"food_1": 4, "food_2": 2, "wages_1": 4}),
            (2025, "ØKF", 2, {"food_1": 2, "food_2": 4, "wages_1": 2}),
        ]
    )
    return score_survey(responses, tiny_codebook, tiny_departments, resamples=100, seed=1)


def read_rows(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_has_the_contract_columns_and_no_count_under_min_n(maturity, hand, tmp_path):
    written = write_tables(maturity, tmp_path, barriers=hand)
    assert tmp_path / BARRIERS in written
    with open(tmp_path / BARRIERS, encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == BARRIER_COLUMNS
    rows = read_rows(tmp_path / BARRIERS)
    assert len(rows) == len(hand.table)
    for row in rows:
        assert row["n"] == "" or int(row["n"]) >= 5, row
        if row["suppressed"] == "True":
            assert row["share_high"] == row["ci_low"] == row["ci_high"] == row["n"] == "", row
    okf = [r for r in rows if r["department"] == "ØKF"]
    assert okf and all(r["n"] == "" for r in okf)
    merged = next(r for r in rows if r["department"] == "ØVRIGE" and r["barrier"] == "b1")
    assert (merged["members"], merged["share_high"], merged["n"]) == ("BUF+ØKF", "0.7143", "7")


def test_no_barriers_table_without_barrier_scores(maturity, tmp_path):
    write_tables(maturity, tmp_path)
    assert not (tmp_path / BARRIERS).exists()


def test_briefing_tables_pass_the_barriers_on_to_csv_and_workbook(
    maturity, hand, tiny_codebook, tiny_departments, tmp_path
):
    written = write_briefing_tables(
        maturity, tmp_path, changes=None, lang="da", codebook=tiny_codebook, departments=tiny_departments, barriers=hand
    )
    assert tmp_path / "tables" / BARRIERS in written
    wb = load_workbook(tmp_path / "tables" / "briefing_tables.xlsx")
    assert "Barrierer og drivkræfter" in wb.sheetnames


def test_workbook_sheet_hides_like_the_others(maturity, hand, tiny_codebook, tiny_departments, tmp_path):
    codebook = SimpleNamespace(
        **{a: getattr(tiny_codebook, a) for a in ("value_name", "focus_area_name", "level_name")},
        barriers=SimpleNamespace(items=[SimpleNamespace(id="b1", kind="barrier", text_da="Tid", text_en="Time")]),
    )
    path = write_excel(maturity, tmp_path, barriers=hand, codebook=codebook, departments=tiny_departments)
    ws = load_workbook(path)["Barrierer og drivkræfter"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c for c in row))) for row in ws.iter_rows(min_row=2)]
    assert len(rows) == len(hand.table)
    share = "Andel i høj grad (4-5)"

    def find(dept, item):
        return next(r for r in rows if r["Forvaltning (kode)"].value == dept and r["Udsagn (kode)"].value == item)

    buf = find("BUF", "b1")
    assert buf[share].value == "skjult (i Øvrige forvaltninger)"
    assert buf["Svarende (n)"].value == "skjult (i Øvrige forvaltninger)"
    assert buf["Udsagn"].value == "Tid" and find("BUF", "b2")["Udsagn"].value == "b2"
    merged = find("ØVRIGE", "b1")
    assert merged["Forvaltning"].value == "Øvrige forvaltninger (BUF og ØKF)"
    assert merged[share].value == pytest.approx(5 / 7, abs=1e-4) and merged[share].number_format == "0.0%"
    assert merged["Andel, nedre grænse (95 %)"].number_format == "0.0%"
    assert merged["Svarende (n)"].value == 7
    suf = find("SUF", "b1")
    assert suf[share].value == pytest.approx(1 / 7, abs=1e-4) and suf["Svarende (n)"].value == 7
    assert find("ALL", "b1")["Forvaltning"].value == "Hele kommunen"
    for row in rows:
        n = row["Svarende (n)"].value
        assert not isinstance(n, (int, float)) or n >= 5
