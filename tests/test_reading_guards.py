"""Issue 12 (parts 1 and 6): nothing in an export is lost or misread silently, and every message
about a file is short and counts its problems right.

Each test writes its export the way the tool (or a script) writes it and checks what a person
would see: the error or warning naming file, row and column, or the frame read.
"""

from __future__ import annotations

from functools import partial

import pytest

from analysis.exceptions import SurveyDataError
from analysis.survey.loading import MAX_PROBLEMS_PER_FILE, load_responses
from analysis.survey.problems import MAX_QUOTED

HEADER = ["respondent_id", "department", "wave", "food_1", "food_2", "wages_1"]


def _csv(path, rows, sep=",", encoding="utf-8"):
    path.write_bytes("".join(sep.join(r) + "\r\n" for r in rows).encode(encoding))
    return path


@pytest.fixture
def load(tiny_codebook, tiny_departments):
    return partial(load_responses, codebook=tiny_codebook, departments=tiny_departments)


# ------------------------------------------------------------------------------------------
# Messages quote at most MAX_QUOTED characters of a value, and count every problem
BIG = "X" * 1_000_000


@pytest.mark.parametrize(
    "row, column",
    [
        (["r1", BIG, "2025", "1", "2", "3"], "department"),
        (["r1", "BUF", "2025", BIG, "2", "3"], "food_1"),
        (["r1", "BUF", BIG, "1", "2", "3"], "wave"),
    ],
)
def test_a_one_megabyte_cell_is_quoted_short(load, tmp_path, row, column):
    path = _csv(tmp_path / "big.csv", [HEADER, row, ["r2", "SUF", "2025", "1", "1", "1"]])
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = exc.value.problems
    assert (p.row, p.column) == (2, column)
    assert "'" + "X" * (MAX_QUOTED - 1) + "…' (1,000,000 characters)" in p.message
    assert len(str(exc.value)) < 1_500


def test_a_one_megabyte_id_and_header_are_quoted_short(load, tmp_path):
    # the same long id twice (a duplicate), and a long header that is a second column for food_1
    path = _csv(
        tmp_path / "big.csv",
        [[*HEADER, "Q1"], [BIG, "BUF", "2025", "1", "2", "3", "1"], [BIG, "SUF", "2025", "1", "1", "1", "1"]],
    )
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    assert len(str(exc.value)) < 2_000
    assert "(1,000,000 characters)" in str(exc.value)


def test_the_count_of_problems_is_the_true_total_when_the_list_is_capped(load, tmp_path):
    n = 400
    rows = [HEADER] + [[f"r{k}", "Nowhere", "2025", "x", "1", "y"] for k in range(n)]
    path = _csv(tmp_path / "many.csv", rows)
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    total = 3 * n  # a department and two answers in every row
    assert exc.value.total == total
    assert str(exc.value).startswith(f"{total:,} problems in the survey data ({MAX_PROBLEMS_PER_FILE} listed):")
    assert f"and {total - MAX_PROBLEMS_PER_FILE} more problems" in exc.value.problems[-1].message
