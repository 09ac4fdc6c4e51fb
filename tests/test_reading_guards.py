"""Issue 12 (parts 1 and 6): nothing in an export is lost or misread silently, and every message
about a file is short and counts its problems right.

Each test writes its export the way the tool (or a script) writes it and checks what a person
would see: the error or warning naming file, row and column, or the frame read.
"""

from __future__ import annotations

import os
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


# ------------------------------------------------------------------------------------------
# CSV/TSV: rows, first lines, encodings, and what a path is
ROWS = [HEADER, ["r1", "BUF", "2025", "1", "2", "3"], ["r2", "SUF", "2025", "4", "5", "Ved ikke"]]


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_a_row_with_fewer_fields_than_the_header_is_an_error_naming_it(load, tmp_path, sep):
    # The third respondent's row was cut after the first item: it must not read as two blanks.
    path = _csv(tmp_path / "short.csv", [*ROWS, ["r3", "ØKF", "2025", "4"], ["", "", ""]], sep=sep)
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = exc.value.problems  # the blank last row with few fields is a blank row, not a problem
    assert (p.file, p.row) == (str(path), 4)
    assert "expected 6 fields like the header, found 4" in p.message
    assert "'food_2', 'wages_1'" in p.message


def test_every_row_with_the_wrong_number_of_fields_is_named(load, tmp_path):
    path = _csv(tmp_path / "ragged.csv", [*ROWS, ["r3", "ØKF", "2025"], ["r4", "BUF", "2025", "1", "1", "1", "1"]])
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    assert [(p.row, p.message[:34]) for p in exc.value.problems] == [
        (4, "expected 6 fields like the header,"),
        (5, "expected 6 fields like the header,"),
    ]
    assert "found 3" in exc.value.problems[0].message and "found 7" in exc.value.problems[1].message


def test_a_blank_first_line_is_called_so_not_an_empty_file(load, tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\r\n\r\n" + "".join(",".join(r) + "\r\n" for r in ROWS).encode())
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = exc.value.problems
    assert (p.file, p.row) == (str(path), 1)
    assert "2 blank rows before it" in p.message and "row 3" in p.message and "empty" not in p.message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(load, tmp_path, encoding):
    rows = [HEADER, ["r1", "Økonomiforvaltningen", "2025", "Førende", "2", "3"]]
    path = _csv(tmp_path / "unicode.txt", rows, sep="\t", encoding=encoding)
    assert not path.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    survey = load(path)
    assert survey.responses["department"].unique().tolist() == ["ØKF"]
    assert survey.responses["answer"].tolist() == [5, 2, 3]
    assert survey.quality.files[0].encoding == encoding


def test_binary_data_is_called_binary(load, tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"respondent_id,department\n\x00\x01\x02\x03\xff\x00\x00\x07binary")
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = exc.value.problems
    assert "binary data" in p.message and "NUL byte at byte 26" in p.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("name", ["answers.csv", "answers.zip", "answers.sav", "answers.xlsx"])
def test_a_named_pipe_is_called_a_pipe_and_never_opened(load, tmp_path, name):
    pipe = tmp_path / name
    os.mkfifo(pipe)  # opening it to read would wait for a writer for ever
    with pytest.raises(SurveyDataError) as exc:
        load(pipe)
    [p] = exc.value.problems
    assert p.file == str(pipe) and "named pipe" in p.message and "folder" not in p.message
