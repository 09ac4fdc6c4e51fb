"""The CSV tables: the column contract and formula neutralisation (OWASP CSV injection)."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from conftest import groups_frame

from analysis.stats.changes import score_changes
from analysis.stats.scoring import score_survey
from analysis.tables.contract import (
    CHANGE_COLUMNS,
    DEPARTMENT_VALUE_COLUMNS,
    DONT_KNOW_COLUMNS,
    FOCUS_AREA_COLUMNS,
    RESPONDENT_COLUMNS,
    VALUE_COLUMNS,
    neutralise_text,
    write_tables,
)

#: A department code that Excel would run as a formula if it were written as it is.
FORMULA_DEPT = '=HYPERLINK("x")'


@pytest.fixture(scope="module")
def formula_scores(tiny_codebook):
    """Score six respondents of FORMULA_DEPT, two of SUF (suppressed) and five of BUF in 2024 and 2025.

    Worked by hand (food_2 is reverse-scored 6 - x): FORMULA_DEPT scores climate 2.0 and social
    4.0 in 2024, climate 4.0 and social 3.0 in 2025; everyone answers alike, so every interval
    is a single point, and the change is +2.0 (improvement) and -1.0 (decline). SUF pulls BUF
    (the smallest published department, 5 < 6) into the merged group ØVRIGE, members ``BUF+SUF``
    (report order), n = 7, and both members' own rows are suppressed.

    The merged group, pooled respondent by respondent (every item alike within a department):
    2024: (2 x 5 + 5 x 3) / 7 = 25/7 = 3.5714 on both values; 2025: (2 x 1 + 5 x 3) / 7 = 17/7 =
    2.4286. So its change is -8/7 = -1.1429 on both values (members the same in both waves).
    The municipality weighs FORMULA_DEPT once and the group twice (it stands in for BUF and SUF):
    climate 2024 (2 + 2 x 25/7) / 3 = 64/21, 2025 (4 + 2 x 17/7) / 3 = 62/21, a change of
    -2/21 = -0.095: under 0.25, so ``no clear change`` whatever its p-value.
    """
    responses = groups_frame(
        [
            (2024, FORMULA_DEPT, 6, {"food_1": 2, "food_2": 4, "wages_1": 4}),
            (2024, "SUF", 2, {"food_1": 5, "food_2": 1, "wages_1": 5}),
            (2024, "BUF", 5, {"food_1": 3, "food_2": 3, "wages_1": 3}),
            (2025, FORMULA_DEPT, 6, {"food_1": 4, "food_2": 2, "wages_1": 3}),
            (2025, "SUF", 2, {"food_1": 1, "food_2": 5, "wages_1": 1}),
            (2025, "BUF", 5, {"food_1": 3, "food_2": 3, "wages_1": 3}),
        ]
    )
    # departments=None: the bundled list, which does not know FORMULA_DEPT; it is kept as is.
    return score_survey(responses, tiny_codebook, None, resamples=100, seed=1)


# -- neutralise_text ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["=SUM(A1)", "+1", "-2", "@x", "\t=1", "  =1", "\r=1", "\n=1", " \t@x", "\u00a0=1", "＝SUM(A1)", '=HYPERLINK("x")'],
)
def test_formula_like_text_gets_a_leading_quote(text):
    assert neutralise_text(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["ØKF", "climate", "no clear change", "", "a=b", "1-2", "'=already", "ALL", "Ved ikke", "x@y.dk"]
)
def test_ordinary_text_is_untouched(text):
    assert neutralise_text(text) == text


@pytest.mark.parametrize("value", [-0.12, -2, 0, 3.5, True, None])
def test_non_text_is_returned_as_it_is(value):
    out = neutralise_text(value)
    assert out is value or out == value
    assert type(out) is type(value)


def test_neutralising_twice_adds_one_quote_only():
    assert neutralise_text(neutralise_text("=1")) == "'=1"


# -- write_tables -------------------------------------------------------------------------------
def read_cells(path) -> list[dict[str, str]]:
    """Return the CSV's rows as text, exactly as a spreadsheet would receive them."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_formula_department_is_written_with_a_quote(formula_scores, tmp_path):
    changes = score_changes(formula_scores, 2024, 2025)
    paths = write_tables(formula_scores, tmp_path, changes=changes)
    with_departments = [p for p in paths if p.name != "maturity_by_value.csv"]
    assert len(with_departments) == 5
    for path in with_departments:
        departments = {row["department"] for row in read_cells(path)}
        assert "'" + FORMULA_DEPT in departments, path.name
        assert FORMULA_DEPT not in departments, path.name
        # No cell of any table starts like a formula.
        for row in read_cells(path):
            for value in row.values():
                assert not value.lstrip().startswith(("=", "+", "@")), (path.name, value)


def test_numbers_stay_numbers_and_text_is_untouched(formula_scores, tmp_path):
    changes = score_changes(formula_scores, 2024, 2025)
    write_tables(formula_scores, tmp_path, changes=changes)
    change = pd.read_csv(tmp_path / "change_by_department_value.csv")
    assert pd.api.types.is_float_dtype(change["diff"])
    social = change[(change["department"] == "'" + FORMULA_DEPT) & (change["value"] == "social")].iloc[0]
    assert social["diff"] == pytest.approx(-1.0)  # a decline: negative, and still a number
    assert social["verdict"] == "decline"
    raw = (tmp_path / "change_by_department_value.csv").read_text(encoding="utf-8")
    assert ",-1.0," in raw and "'-1" not in raw
    dv = pd.read_csv(tmp_path / "maturity_by_department_value.csv")
    assert set(dv["value"]) == {"climate", "social"}
    assert "SUF" in set(dv["department"])
    published = dv[(dv["department"] == "'" + FORMULA_DEPT) & (dv["wave"] == 2025)].set_index("value")
    assert published.loc["climate", "score"] == pytest.approx(4.0)
    assert published.loc["social", "score"] == pytest.approx(3.0)


def test_suppressed_cells_stay_blank_in_the_csv(formula_scores, tmp_path):
    write_tables(formula_scores, tmp_path)
    rows = [r for r in read_cells(tmp_path / "maturity_by_department_value.csv") if r["department"] == "SUF"]
    assert rows and all(r["suppressed"] == "True" for r in rows)
    assert all(r[c] == "" for r in rows for c in ("score", "ci_low", "ci_high", "level"))


def test_column_contract_is_unchanged(formula_scores, tmp_path):
    changes = score_changes(formula_scores, 2024, 2025)
    write_tables(formula_scores, tmp_path, changes=changes)
    expected = {
        "maturity_by_department_value.csv": DEPARTMENT_VALUE_COLUMNS,
        "maturity_by_value.csv": VALUE_COLUMNS,
        "maturity_by_department_focus_area.csv": FOCUS_AREA_COLUMNS,
        "dont_know_by_department_value.csv": DONT_KNOW_COLUMNS,
        "respondents_by_department.csv": RESPONDENT_COLUMNS,
        "change_by_department_value.csv": CHANGE_COLUMNS,
    }
    for name, columns in expected.items():
        with open(tmp_path / name, encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == columns, name
    assert DEPARTMENT_VALUE_COLUMNS == [
        "wave",
        "department",
        "value",
        "score",
        "ci_low",
        "ci_high",
        "n",
        "level",
        "suppressed",
        "members",
    ]


# --- atomic file writing --------------------------------------------------------------------


def test_atomic_write_writes_text_as_utf8_and_bytes_as_given(tmp_path):
    from analysis.tables.atomic import atomic_write

    assert atomic_write(tmp_path / "sub" / "a.txt", "Økonomi") == tmp_path / "sub" / "a.txt"
    assert (tmp_path / "sub" / "a.txt").read_text(encoding="utf-8") == "Økonomi"
    atomic_write(tmp_path / "sub" / "a.txt", b"\x00\x01")
    assert (tmp_path / "sub" / "a.txt").read_bytes() == b"\x00\x01"
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["a.txt"]
    assert (tmp_path / "sub" / "a.txt").stat().st_mode & 0o777 == 0o644


def test_atomic_write_keeps_the_old_file_and_removes_the_temporary_one_on_failure(tmp_path, monkeypatch):
    from analysis.tables import atomic

    target = tmp_path / "a.txt"
    target.write_text("old")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        atomic.atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


# --- method v2: the merged group, small counts, adjusted changes ---------------------------------


def test_merged_group_is_a_row_with_its_members_and_the_members_are_suppressed(formula_scores, tmp_path):
    write_tables(formula_scores, tmp_path)
    for name in (
        "maturity_by_department_value.csv",
        "maturity_by_department_focus_area.csv",
        "dont_know_by_department_value.csv",
    ):
        rows = read_cells(tmp_path / name)
        merged = [r for r in rows if r["department"] == "ØVRIGE"]
        assert len(merged) == 4, name  # 2 waves x 2 values (one focus area each)
        assert {r["members"] for r in merged} == {"BUF+SUF"}, name
        assert all(r["suppressed"] == "False" and r["n"] == "7" for r in merged), name
        for r in rows:
            if r["department"] != "ØVRIGE":
                assert r["members"] == "", (name, r["department"])
            if r["department"] in ("BUF", "SUF"):
                assert r["suppressed"] == "True", (name, r)
        assert list(rows[0])[-1] == "members", name
    dv = pd.read_csv(tmp_path / "maturity_by_department_value.csv", keep_default_na=False)
    merged = dv[dv["department"] == "ØVRIGE"].set_index(["wave", "value"])["score"]
    assert float(merged[(2024, "climate")]) == pytest.approx(25 / 7, abs=1e-4)
    assert float(merged[(2025, "social")]) == pytest.approx(17 / 7, abs=1e-4)
    # BUF's own score (3.0) is published nowhere, nor SUF's.
    for who in ("BUF", "SUF"):
        assert (dv.loc[dv["department"] == who, "score"] == "").all()


def test_counts_under_min_n_are_blank_in_every_table(formula_scores, tmp_path):
    write_tables(formula_scores, tmp_path, changes=score_changes(formula_scores, 2024, 2025))
    seen = 0
    for path in sorted(tmp_path.glob("*.csv")):
        for row in read_cells(path):
            for column in ("n", "respondents", "n_respondents", "dont_know", "answers"):
                if column not in row:
                    continue
                cell = row[column]
                assert cell == "" or int(cell) == 0 or int(cell) >= 5, (path.name, column, row)
                if row.get("department") == "SUF" and column in ("n", "respondents"):
                    assert cell == "", (path.name, row)  # SUF has 2 respondents
                    seen += 1
    assert seen == 2 * 2 + 2 * 2 + 2 * 2 + 2  # three value tables x 2 waves x 2 values, 2 waves


def test_change_table_carries_p_adjusted_and_family(formula_scores, tmp_path):
    assert CHANGE_COLUMNS[-2:] == ["p_adjusted", "family"]
    assert CHANGE_COLUMNS[:8] == ["department", "value", "wave_from", "wave_to", "diff", "ci_low", "ci_high", "verdict"]
    write_tables(formula_scores, tmp_path, changes=score_changes(formula_scores, 2024, 2025))
    change = pd.read_csv(tmp_path / "change_by_department_value.csv", keep_default_na=False)
    assert list(change.columns) == CHANGE_COLUMNS
    by = change.assign(department=change["department"].str.lstrip("'")).set_index(["department", "value"])
    assert set(by.loc[by.index.get_level_values(0) == "ALL", "family"]) == {"municipality"}
    assert set(by.loc[by.index.get_level_values(0) != "ALL", "family"]) == {"departments"}
    # FORMULA_DEPT: every resample gives +2.0, so the raw and adjusted p-values are 0.
    assert float(by.loc[(FORMULA_DEPT, "climate"), "p_adjusted"]) == 0.0
    assert by.loc[(FORMULA_DEPT, "climate"), "verdict"] == "improvement"
    # The municipality's climate change is -2/21: under 0.25, so no clear change.
    assert float(by.loc[("ALL", "climate"), "diff"]) == pytest.approx(-2 / 21, abs=1e-4)
    assert by.loc[("ALL", "climate"), "verdict"] == "no clear change"
    # The merged group (same members in both waves) is compared: -8/7.
    assert float(by.loc[("ØVRIGE", "social"), "diff"]) == pytest.approx(-8 / 7, abs=1e-4)
    # Suppressed members: no difference, no p-value, no verdict.
    for who in ("BUF", "SUF"):
        row = by.loc[(who, "climate")]
        assert (row["diff"], row["p_adjusted"], row["verdict"]) == ("", "", "")
