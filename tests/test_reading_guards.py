"""Issue 12 (parts 1 and 6): nothing in an export is lost or misread silently, and every message
about a file is short and counts its problems right.

Each test writes its export the way the tool (or a script) writes it and checks what a person
would see: the error or warning naming file, row and column, or the frame read.
"""

from __future__ import annotations

import csv
import os
import re
import zipfile
from datetime import date
from functools import partial

import openpyxl
import pytest

from analysis import config
from analysis.exceptions import ParameterError, SurveyDataError
from analysis.survey.codebook import load_codebook
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


# ------------------------------------------------------------------------------------------
# Excel: what calamine reads as blank but is not, and what Excel hides
def _workbook(path, rows, edit=None, title="Svar"):
    """Save ``rows`` with openpyxl as a script would; ``edit(sheet)`` changes the sheet first."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for r in rows:
        sheet.append(r)
    if edit is not None:
        edit(book, sheet)
    book.save(path)
    return path


XLSX_ROWS = [HEADER, *[[f"r{k}", ["BUF", "SUF", "ØKF"][k % 3], 2025, 3, 4, 2] for k in range(6)]]


def test_formulas_without_a_saved_result_are_errors_naming_sheet_row_and_column(load, tmp_path):
    def formulas(book, sheet):
        for row in range(2, 8):
            sheet[f"E{row}"] = "=1+1"  # food_2; openpyxl saves no result, calamine reads ''

    path = _workbook(tmp_path / "script.xlsx", XLSX_ROWS, formulas)
    with zipfile.ZipFile(path) as z:
        assert b"<f>1+1</f><v" in z.read("xl/worksheets/sheet1.xml")
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    problems = exc.value.problems
    assert [(p.file, p.row, p.column) for p in problems] == [(str(path), r, "food_2") for r in range(2, 8)]
    assert "formula without a saved result ('=1+1') on sheet 'Svar'" in problems[0].message
    assert "open it in Excel" in problems[0].message


def test_a_formula_with_a_saved_result_is_read_as_its_value(load, tmp_path):
    # As Excel saves it: the formula and its result. The result is the answer; nothing to report.
    path = _workbook(tmp_path / "excel.xlsx", XLSX_ROWS, lambda book, sheet: sheet.__setitem__("E2", "=1+1"))
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    # openpyxl writes the empty result as <v /> or <v></v>, depending on whether lxml is installed.
    parts["xl/worksheets/sheet1.xml"] = re.sub(
        rb"<f>1\+1</f><v\s*(?:/>|></v>)", b"<f>1+1</f><v>2</v>", parts["xl/worksheets/sheet1.xml"]
    )
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    survey = load(path)
    first = survey.responses[survey.responses["respondent_id"] == "r0"]
    assert first.set_index("item")["answer"].to_dict() == {"food_1": 3, "food_2": 2, "wages_1": 2}
    assert survey.quality.warnings == []


def test_an_excel_error_value_is_an_error_not_a_blank(load, tmp_path):
    path = _workbook(tmp_path / "errors.xlsx", XLSX_ROWS, lambda book, sheet: sheet.__setitem__("D3", "=1/0"))
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = re.sub(
        rb'<c r="D3"><f>1/0</f><v\s*(?:/>|></v>)</c>',
        b'<c r="D3" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
        parts["xl/worksheets/sheet1.xml"],
    )
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = exc.value.problems
    assert (p.row, p.column) == (3, "food_1") and "the Excel error '#DIV/0!'" in p.message


def test_rows_and_columns_hidden_in_excel_are_read_with_a_warning_naming_them(load, tmp_path):
    def hide(book, sheet):
        sheet.auto_filter.ref = "A1:F7"
        sheet.row_dimensions[3].hidden = True  # filtered out
        sheet.row_dimensions[6].hidden = True
        sheet.row_dimensions[20].hidden = True  # hidden but empty: nothing to say
        sheet.column_dimensions["F"].hidden = True  # wages_1

    path = _workbook(tmp_path / "filtered.xlsx", XLSX_ROWS, hide)
    survey = load(path)
    assert survey.responses["respondent_id"].nunique() == 6  # read like the others
    text = [str(w) for w in survey.quality.warnings]
    assert len(text) == 2
    assert text[0].startswith(f"{path}: 2 rows with data are hidden in Excel (filtered out or hidden) on sheet 'Svar'")
    assert "were read like the others: rows 3, 6." in text[0]
    assert "1 column with data is hidden in Excel on sheet 'Svar'" in text[1] and "F (wages_1)" in text[1]
    assert "No warnings" not in survey.quality.summary()


def test_a_hidden_first_sheet_is_not_read_unless_named(load, tmp_path):
    def hidden_first(book, sheet):
        sheet.sheet_state = "hidden"
        visible = book.create_sheet("Svar 2025")
        for r in XLSX_ROWS[:3]:
            visible.append(r)
        book.active = 1

    path = _workbook(tmp_path / "two.xlsx", XLSX_ROWS, hidden_first, title="Gammel")
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = exc.value.problems
    assert p.file == str(path)
    assert "the first sheet 'Gammel' hidden (the visible sheets are 'Svar 2025')" in p.message
    assert "--sheet" in p.message
    assert load(path, sheet="Svar 2025").responses["respondent_id"].nunique() == 2
    assert load(path, sheet="Gammel").responses["respondent_id"].nunique() == 6


# ------------------------------------------------------------------------------------------
# Respondent ids and waves
def test_ids_that_differ_only_in_case_are_an_error_naming_both_rows(load, tmp_path):
    path = _csv(tmp_path / "ids.csv", [*ROWS, ["R1", "ØKF", "2025", "3", "3", "3"]])
    other = _csv(tmp_path / "more.csv", [HEADER, ["R2", "BUF", "2025", "1", "1", "1"]])
    with pytest.raises(SurveyDataError) as exc:
        load([path, other])
    assert [(p.file, p.row, p.column) for p in exc.value.problems] == [
        (str(path), 4, "respondent_id"),
        (str(other), 2, "respondent_id"),
    ]
    first, second = (p.message for p in exc.value.problems)
    assert "found 'R1' in wave 2025, which differs from 'r1' (at row 2) only in upper and lower case" in first
    assert f"'R2' in wave 2025, which differs from 'r2' (at {path} row 3)" in second
    # the same ids in another wave are other responses
    _csv(other, [HEADER, ["R2", "BUF", "2024", "1", "1", "1"]])
    with pytest.raises(SurveyDataError) as exc:
        load([path, other])
    assert [p.row for p in exc.value.problems] == [4]


@pytest.mark.parametrize("raw", ["99999", "-2025", "0", "25"])
def test_a_wave_outside_the_plausible_years_is_an_error_naming_the_cell(load, tmp_path, raw):
    path = _csv(tmp_path / "wave.csv", [*ROWS, ["r3", "BUF", raw, "1", "1", "1"]])
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = exc.value.problems
    first, last = config.wave_range()
    assert (p.file, p.row, p.column) == (str(path), 4, "wave")
    assert f"expected the wave as a survey year from {first} to {last}, found '{raw}'" in p.message
    assert "FIRST_WAVE" in p.message


def test_the_plausible_years_are_a_setting(load, tmp_path, monkeypatch):
    path = _csv(tmp_path / "old.csv", [HEADER, ["r1", "BUF", "1999", "1", "1", "1"]])
    assert config.wave_range() == (2000, date.today().year + 1)
    with pytest.raises(SurveyDataError, match="from 2000 to"):
        load(path)
    with pytest.raises(ParameterError, match="found 25"):
        load(path, wave=25)
    monkeypatch.setattr(config, "FIRST_WAVE", 1990)
    monkeypatch.setattr(config, "LAST_WAVE", 2040)
    assert load(path).quality.waves == [1999]
    with pytest.raises(ParameterError, match="from 1990 to 2040, found 2041"):
        load(path, wave=2041)


# ------------------------------------------------------------------------------------------
# Aliases: '_' is significant
def test_qualtrics_q11_is_not_read_as_the_alias_q1_1(tmp_path):
    # The codebook's aliases Q1_1 and Q1_11 are sub-questions; a tool's Q11 and Q11_1 are other
    # questions. Matching that drops '_' would read Q11 as Q1_1 and Q11_1 as Q1_11.
    codebook = load_codebook()
    assert codebook.match_column("Q1_1") == "org_data_1" and codebook.match_column("Q1_11") is not None
    tags = ["Q1", "Q11", "Q1_2", "Q11_1"]
    rows = [
        ["StartDate", "Status", "ResponseId", "Finished", *tags],
        ["Start Date", "Response Type", "Response ID", "Finished", "Hvilken forvaltning arbejder du i?", *tags[1:]],
        ['{"ImportId":"startDate"}', '{"ImportId":"status"}', '{"ImportId":"_recordId"}', '{"ImportId":"finished"}']
        + [f'{{"ImportId":"QID{t[1:]}"}}' for t in tags],
        ["2025-03-01", "IP Address", "R_1", "True", "BUF", "3", "4", "2"],
        ["2025-03-01", "IP Address", "R_2", "True", "SUF", "2", "1", "5"],
    ]
    path = tmp_path / "qualtrics.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    survey = load_responses(path, wave=2025)
    assert survey.quality.files[0].source == "qualtrics"
    assert set(survey.responses["item"]) == {"org_data_2"}  # Q1_2, its alias, and nothing else
    assert survey.responses["answer"].tolist() == [4, 1]
    ignored = " ".join(str(w) for w in survey.quality.warnings)
    assert "'Q11'" in ignored and "'Q11_1'" in ignored
