"""Tests of analysis.loading: accepted input variants, the long frame, and actionable errors.

Every fixture is a few hand-written rows; the expected frames and counts are worked out by hand
from those rows, never copied from the loader's output.
"""

from __future__ import annotations

import os
import re
import zipfile
from functools import partial

import openpyxl
import pandas as pd
import pytest

from analysis.exceptions import ParameterError, SurveyDataError
from analysis.survey.codebook import load_codebook, load_departments
from analysis.survey.loading import MAX_PROBLEMS_PER_FILE, DataQuality, Survey, load_responses

# Two respondents x three items; columns deliberately not in codebook order and rows not in
# department order, so sorting is exercised.
TINY_ROWS = [
    ["respondent_id", "department", "wave", "wages_1", "food_1", "food_2"],
    ["b7", "SUF", "2025", "Ikke relevant", "1", "Ved ikke"],
    ["a3", "BUF", "2025", "4", "5", ""],
]


def _expected_tiny(wave: int = 2025) -> pd.DataFrame:
    """Return the long frame TINY_ROWS must give, written out by hand."""
    rows = [
        ("a3", "BUF", "food_1", 5),
        ("a3", "BUF", "food_2", None),
        ("a3", "BUF", "wages_1", 4),
        ("b7", "SUF", "food_1", 1),
        ("b7", "SUF", "food_2", 8),
        ("b7", "SUF", "wages_1", 9),
    ]
    return pd.DataFrame(
        {
            "wave": pd.Series([wave] * 6, dtype="int64"),
            "respondent_id": pd.Series([r[0] for r in rows], dtype="str"),
            "department": pd.Series([r[1] for r in rows], dtype="str"),
            "item": pd.Series([r[2] for r in rows], dtype="str"),
            "answer": pd.array([r[3] for r in rows], dtype="Int8"),
        }
    )


def _csv_text(rows, sep=",") -> str:
    return "".join(sep.join(r) + "\r\n" for r in rows)


def _write(path, rows, sep=",", encoding="utf-8"):
    path.write_bytes(_csv_text(rows, sep).encode(encoding))
    return path


def _write_xlsx(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def _store_numbers_as_floats(path):
    """Rewrite every whole number in the workbook's sheets as ``n.0``, as some exporters do.

    openpyxl itself writes 3.0 as ``<v>3</v>``, which reads back as an int; this makes the
    file hold real floats so the loader's float handling is exercised.
    """
    with zipfile.ZipFile(path) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/sheet"):
            parts[name] = re.sub(rb'(t="n"><v>)(\d+)(</v>)', rb"\g<1>\g<2>.0\g<3>", data)
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return path


def _problems(excinfo) -> list:
    return excinfo.value.problems


@pytest.fixture
def load(tiny_codebook, tiny_departments):
    """Return load_responses bound to the tiny codebook and department list."""
    return partial(load_responses, codebook=tiny_codebook, departments=tiny_departments)


# ------------------------------------------------------------------------------------------
# The long frame
def test_tiny_csv_gives_the_hand_written_long_frame(load, tmp_path):
    survey = load(_write(tmp_path / "tiny.csv", TINY_ROWS))
    assert isinstance(survey, Survey)
    assert list(survey.responses.columns) == ["wave", "respondent_id", "department", "item", "answer"]
    pd.testing.assert_frame_equal(survey.responses, _expected_tiny())


def test_tiny_quality_record_counts_answers_and_respondents(load, tmp_path):
    path = _write(tmp_path / "tiny.csv", TINY_ROWS)
    quality = load(path).quality
    assert isinstance(quality, DataQuality)
    # answers: levels 1, 4, 5 -> 3; one 'Ved ikke'; one 'Ikke relevant'; one blank.
    assert quality.answer_counts.loc[2025].to_dict() == {"level": 3, "dont_know": 1, "not_applicable": 1, "blank": 1}
    resp = quality.respondents()
    assert resp.index.tolist() == ["BUF", "SUF", "ØKF"]
    assert resp[2025].tolist() == [1, 1, 0]
    [info] = quality.files
    assert (info.path, info.format, info.data_rows, info.waves) == (str(path), "csv", 2, (2025,))
    assert info.item_columns == ("food_1", "food_2", "wages_1")
    assert quality.warnings == []


def test_summary_reports_files_counts_and_shares_in_both_languages(load, tmp_path):
    path = _write(tmp_path / "tiny.csv", TINY_ROWS)
    quality = load(path).quality
    en, da = quality.summary(), quality.summary(lang="da")
    assert str(path) in en and "2 rows" in en and "Total" in en
    assert "on the 1-5 scale: 3 (50.0 %)" in en
    assert "blank: 1 (16.7 %)" in en
    assert "I alt" in da and "på skalaen 1-5: 3 (50,0 %)" in da
    assert "No warnings." in en


# ------------------------------------------------------------------------------------------
# Accepted variants
@pytest.mark.parametrize("sep, name", [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_csv_delimiters_are_detected_from_the_header(load, tmp_path, sep, name):
    survey = load(_write(tmp_path / "tiny.csv", TINY_ROWS, sep=sep))
    pd.testing.assert_frame_equal(survey.responses, _expected_tiny())
    assert survey.quality.files[0].delimiter == sep


def test_txt_extension_is_read_as_delimited_text(load, tmp_path):
    survey = load(_write(tmp_path / "tiny.txt", TINY_ROWS, sep="\t"))
    pd.testing.assert_frame_equal(survey.responses, _expected_tiny())


DANISH_ROWS = [
    ["respondent_id", "department", "wave", "food_1"],
    ["r1", "Børne- og Ungdomsforvaltningen", "2025", "Førende"],
    ["r2", "Økonomiforvaltningen", "2025", "Ikke påbegyndt"],
]


@pytest.mark.parametrize("encoding, detected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252")])
def test_encodings_are_detected_and_danish_letters_survive(load, tmp_path, encoding, detected):
    survey = load(_write(tmp_path / "da.csv", DANISH_ROWS, sep=";", encoding=encoding))
    df = survey.responses
    assert df["department"].tolist() == ["BUF", "ØKF"]
    assert df["answer"].tolist() == [5, 1]
    assert survey.quality.files[0].encoding == detected


def test_utf8_bom_does_not_stick_to_the_first_header(load, tmp_path):
    path = _write(tmp_path / "bom.csv", TINY_ROWS, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    pd.testing.assert_frame_equal(load(path).responses, _expected_tiny())


def test_xlsx_first_sheet_with_numbers_stored_as_floats(load, tmp_path):
    path = _store_numbers_as_floats(
        _write_xlsx(
            tmp_path / "svar.xlsx",
            {
                "Ark1": [
                    ["respondent_id", "department", "wave", "food_1", "food_2", "wages_1"],
                    [101, "BUF", 2025, 3, 8, None],
                    [102, "SUF", 2025, "Etableret", 2, 9],
                ]
            },
        )
    )
    wb = openpyxl.load_workbook(path, read_only=True)
    assert next(wb.active.iter_rows(min_row=2, values_only=True))[:5] == (101.0, "BUF", 2025.0, 3.0, 8.0)
    assert isinstance(next(wb.active.iter_rows(min_row=2, values_only=True))[0], float)
    wb.close()
    survey = load(path)
    df = survey.responses
    assert df["respondent_id"].tolist() == ["101"] * 3 + ["102"] * 3
    assert df["wave"].tolist() == [2025] * 6
    assert df["answer"].astype(object).where(df["answer"].notna(), None).tolist() == [3, 8, None, 3, 2, 9]
    info = survey.quality.files[0]
    assert (info.format, info.sheet, info.encoding, info.delimiter) == ("xlsx", "Ark1", None, None)


def test_xlsx_named_sheet_is_read_instead_of_the_first(load, tmp_path):
    path = _write_xlsx(
        tmp_path / "svar.xlsx",
        {
            "Forside": [["Rapport fra SurveyXact"]],
            "Svar": [TINY_ROWS[0], *[[int(c) if c.isdigit() else c for c in r] for r in TINY_ROWS[1:]]],
        },
    )
    survey = load(path, sheet="Svar")
    pd.testing.assert_frame_equal(survey.responses, _expected_tiny())
    assert survey.quality.files[0].sheet == "Svar"


def test_text_level_labels_in_danish_and_english_with_case_noise(load, tmp_path):
    rows = [
        ["respondent_id", "department", "wave", "food_1", "food_2", "wages_1"],
        ["r1", "BUF", "2025", "ETABLERET", " systematic ", "not applicable"],
        ["r2", "BUF", "2025", "begyndende", "Leading", "VED IKKE"],
        ["r3", "BUF", "2025", " 4 ", "2,0", "8"],
    ]
    df = load(_write(tmp_path / "labels.csv", rows, sep=";")).responses
    assert df["answer"].tolist() == [3, 4, 9, 2, 5, 8, 4, 2, 8]


def test_department_codes_names_and_aliases_with_case_and_space_noise(load, tmp_path):
    rows = [["respondent_id", "department", "wave", "food_1"]] + [
        [f"r{k}", dept, "2025", "3"]
        for k, dept in enumerate(
            [
                "  buf ",
                "børne  og unge",
                "CHILDREN AND YOUTH ADMINISTRATION",
                "sundheds- og omsorgsforvaltningen",
                "okf",
                "Økonomiforvaltningen ",
            ]
        )
    ]
    df = load(_write(tmp_path / "deps.csv", rows)).responses
    assert df.set_index("respondent_id")["department"].sort_index().tolist() == [
        "BUF",
        "BUF",
        "BUF",
        "SUF",
        "ØKF",
        "ØKF",
    ]


def test_item_aliases_and_case_variants_as_headers(load, tmp_path):
    rows = [
        ["respondent_id", "department", "wave", " q1 ", "FOOD_2", "arbejdsklausul"],
        ["r1", "BUF", "2025", "1", "2", "3"],
    ]
    df = load(_write(tmp_path / "alias.csv", rows)).responses
    assert df[["item", "answer"]].values.tolist() == [["food_1", 1], ["food_2", 2], ["wages_1", 3]]


@pytest.mark.parametrize(
    "headers",
    [["Respondent", "Forvaltning", "År"], [" ID ", "afdeling", "Bølge"], ["RespondentID", "Department", "year"]],
)
def test_required_headers_accept_synonyms_and_case(load, tmp_path, headers):
    rows = [[*headers, "food_1"], ["r1", "SUF", "2024", "4"]]
    df = load(_write(tmp_path / "syn.csv", rows)).responses
    assert df.iloc[0].tolist() == [2024, "r1", "SUF", "food_1", 4]


def test_wave_argument_supplies_the_wave_when_the_file_has_no_column(load, tmp_path):
    rows = [[c for k, c in enumerate(r) if k != 2] for r in TINY_ROWS]
    survey = load(_write(tmp_path / "nowave.csv", rows), wave=2023)
    pd.testing.assert_frame_equal(survey.responses, _expected_tiny(wave=2023))
    assert survey.quality.files[0].waves == (2023,)


def test_wave_argument_that_agrees_with_the_column_is_accepted(load, tmp_path):
    survey = load(_write(tmp_path / "tiny.csv", TINY_ROWS), wave=2025)
    pd.testing.assert_frame_equal(survey.responses, _expected_tiny())


def test_several_files_are_stacked_and_sorted_by_wave(load, tmp_path):
    late = _write(tmp_path / "2025.csv", TINY_ROWS, sep=";")
    early = _write_xlsx(
        tmp_path / "2024.xlsx",
        {
            "Ark1": [
                ["respondent_id", "department", "wave", "food_1"],
                ["a3", "SUF", 2024, 2],  # the same id in another wave is a different response
                ["a1", "SUF", 2024, 4],
            ]
        },
    )
    survey = load([late, early])
    df = survey.responses
    assert df["wave"].tolist() == [2024, 2024] + [2025] * 6
    assert df.head(2)[["respondent_id", "answer"]].values.tolist() == [["a1", 4], ["a3", 2]]
    pd.testing.assert_frame_equal(df.iloc[2:].reset_index(drop=True), _expected_tiny())
    assert [f.path for f in survey.quality.files] == [str(late), str(early)]
    assert [f.data_rows for f in survey.quality.files] == [2, 2]
    resp = survey.quality.respondents()
    assert resp.loc["SUF"].tolist() == [2, 1] and resp.loc["BUF"].tolist() == [0, 1]
    # The 2024 file has no food_2/wages_1 columns: their answers are absent, and it says so.
    assert any(
        str(early) == w.file and "food_2" in w.message and "wages_1" in w.message for w in survey.quality.warnings
    )


def test_blank_lines_are_skipped_and_quoted_delimiters_kept(load, tmp_path):
    text = 'respondent_id,department,wave,food_1,comment\nr1,BUF,2025,3,"good, mostly"\n\nr2,SUF,2025,4,\n,,,,\n'
    (tmp_path / "gaps.csv").write_text(text, encoding="utf-8")
    survey = load(tmp_path / "gaps.csv")
    assert survey.responses["answer"].tolist() == [3, 4]
    assert survey.quality.files[0].data_rows == 2
    assert survey.quality.files[0].blank_rows == 2


def test_bundled_codebook_and_departments_are_the_defaults(tmp_path):
    codebook, departments = load_codebook(), load_departments()
    first, second = codebook.item_ids[:2]
    rows = [["respondent_id", "department", "wave", second, first], ["x1", departments.codes[0], "2025", "2", "4"]]
    df = load_responses(_write(tmp_path / "real.csv", rows)).responses
    assert df[["item", "answer"]].values.tolist() == [[first, 4], [second, 2]]
    assert df["department"].tolist() == [departments.codes[0]] * 2


# ------------------------------------------------------------------------------------------
# Warnings
def test_unknown_columns_and_missing_items_are_warnings_that_name_them(load, tmp_path):
    rows = [
        ["respondent_id", "department", "wave", "food_1", "Kommentar", "Startdato"],
        ["r1", "BUF", "2025", "3", "fint", "2025-03-01"],
    ]
    path = _write(tmp_path / "warn.csv", rows)
    survey = load(path)
    assert survey.responses["item"].tolist() == ["food_1"]
    text = "\n".join(str(w) for w in survey.quality.warnings)
    assert "'Kommentar'" in text and "'Startdato'" in text
    assert "'food_2'" in text and "'wages_1'" in text
    assert all(w.file == str(path) for w in survey.quality.warnings)
    assert survey.quality.files[0].unknown_columns == ("Kommentar", "Startdato")
    assert "Warnings (2)" in survey.quality.summary()


# ------------------------------------------------------------------------------------------
# Errors: each names the file, the row as seen in the file, the column and the value found
def test_empty_file_is_an_error(load, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = _problems(exc)
    assert p.file == str(path) and "empty file" in p.message


def test_header_without_data_rows_is_an_error(load, tmp_path):
    path = _write(tmp_path / "header.csv", TINY_ROWS[:1])
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = _problems(exc)
    assert p.file == str(path) and "no data rows" in p.message


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("missing.csv", None, "no file at this path"),
        ("answers.xls", b"\xd0\xcf\x11\xe0", "'.xls'"),
        ("corrupt.xlsx", b"this is not a zip archive", "cannot read"),
        ("renamed.csv", b"PK\x03\x04 rest of a workbook", "Rename it to .xlsx"),
    ],
)
def test_unreadable_files_are_errors(load, tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = _problems(exc)
    assert p.file == str(path) and expected in p.message


def test_folder_instead_of_file_is_an_error(load, tmp_path):
    with pytest.raises(SurveyDataError) as exc:
        load(tmp_path)
    [p] = _problems(exc)
    assert p.file == str(tmp_path) and "folder" in p.message


def test_undecodable_bytes_are_an_error_at_their_line(load, tmp_path):
    path = tmp_path / "bad.csv"
    # 0x81 is undefined in Windows-1252 and invalid as UTF-8.
    path.write_bytes(b"respondent_id,department,wave,food_1\nr1,BUF,2025,3\nr2,B\x81F,2025,3\n")
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = _problems(exc)
    assert (p.file, p.row) == (str(path), 3) and "0x81" in p.message


def test_ragged_row_is_an_error_at_its_row(load, tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("respondent_id,department,wave,food_1\nr1,BUF,2025,3\nr2,BUF,2025,3,4\n")
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = _problems(exc)
    assert (p.file, p.row) == (str(path), 3) and "expected 4 fields" in p.message


def test_missing_sheet_lists_the_sheets_found(load, tmp_path):
    path = _write_xlsx(tmp_path / "svar.xlsx", {"Ark1": TINY_ROWS, "Ark2": TINY_ROWS})
    with pytest.raises(SurveyDataError) as exc:
        load(path, sheet="Besvarelser")
    [p] = _problems(exc)
    assert "'Besvarelser'" in p.message and "'Ark1', 'Ark2'" in p.message


@pytest.mark.parametrize("dropped, hint", [("respondent_id", None), ("department", None), ("wave", "--wave")])
def test_missing_required_column_names_it_and_lists_the_headers(load, tmp_path, dropped, hint):
    k = TINY_ROWS[0].index(dropped)
    rows = [[c for j, c in enumerate(r) if j != k] for r in TINY_ROWS]
    path = _write(tmp_path / "cols.csv", rows)
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = _problems(exc)
    assert (p.file, p.row) == (str(path), 1)
    assert f"required column '{dropped}'" in p.message
    assert "'wages_1', 'food_1', 'food_2'" in p.message
    assert hint is None or hint in p.message


def test_unknown_department_quotes_the_value_and_lists_the_codes(load, tmp_path):
    rows = [TINY_ROWS[0], TINY_ROWS[1], ["a3", "Teknik og Miljø", "2025", "4", "5", ""]]
    path = _write(tmp_path / "dep.csv", rows, sep=";")
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = _problems(exc)
    assert (p.file, p.row, p.column) == (str(path), 3, "department")
    assert "'Teknik og Miljø'" in p.message and "BUF, SUF, ØKF" in p.message
    assert str(p).startswith(f"{path}:3:department: expected")


@pytest.mark.parametrize("raw", ["6", "10", "-3", "2.5", "0", "meget"])
def test_answer_outside_the_scale_quotes_it_and_says_what_is_accepted(load, tiny_codebook, tmp_path, raw):
    # "10" and "-3" matter: matching that ignores '.' and '-' would read them as 1 and 3.
    rows = [TINY_ROWS[0], ["b7", "SUF", "2025", raw, "1", "Ved ikke"], TINY_ROWS[2]]
    path = _write(tmp_path / "ans.csv", rows)
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = _problems(exc)
    assert (p.file, p.row, p.column) == (str(path), 2, "wages_1")
    assert f"found {raw!r}" in p.message and tiny_codebook.accepted_answers() in p.message


@pytest.mark.parametrize("raw", ["2025.5", "tyve", ""])
def test_wave_that_is_not_a_whole_number_is_an_error(load, tmp_path, raw):
    rows = [TINY_ROWS[0], TINY_ROWS[1], ["a3", "BUF", raw, "4", "5", ""]]
    path = _write(tmp_path / "wave.csv", rows)
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = _problems(exc)
    assert (p.file, p.row, p.column) == (str(path), 3, "wave")
    assert "whole number" in p.message
    assert (repr(raw) if raw else "blank") in p.message


def test_wave_cell_that_contradicts_the_argument_is_an_error(load, tmp_path):
    path = _write(tmp_path / "wave.csv", TINY_ROWS)
    with pytest.raises(SurveyDataError) as exc:
        load(path, wave=2024)
    assert [(p.row, p.column) for p in _problems(exc)] == [(2, "wave"), (3, "wave")]
    assert "expected wave 2024" in _problems(exc)[0].message
    assert "'2025'" in _problems(exc)[0].message


def test_blank_respondent_id_is_an_error(load, tmp_path):
    rows = [TINY_ROWS[0], TINY_ROWS[1], ["  ", "BUF", "2025", "4", "5", ""]]
    path = _write(tmp_path / "id.csv", rows)
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = _problems(exc)
    assert (p.file, p.row, p.column) == (str(path), 3, "respondent_id")
    assert "blank" in p.message


def test_duplicate_respondent_in_one_file_names_both_rows(load, tmp_path):
    rows = [*TINY_ROWS, ["b7", "BUF", "2025", "3", "3", "3"]]
    path = _write(tmp_path / "dup.csv", rows)
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = _problems(exc)
    assert (p.file, p.row, p.column) == (str(path), 4, "respondent_id")
    assert "'b7'" in p.message and "row 2" in p.message


def test_duplicate_respondent_across_files_names_both_files(load, tmp_path):
    first = _write(tmp_path / "a.csv", TINY_ROWS)
    second = _write(tmp_path / "b.csv", [TINY_ROWS[0], ["a3", "SUF", "2025", "1", "1", "1"]])
    with pytest.raises(SurveyDataError) as exc:
        load([first, second])
    [p] = _problems(exc)
    assert (p.file, p.row) == (str(second), 2)
    assert "'a3'" in p.message and f"{first} row 3" in p.message


def test_all_problems_of_all_files_are_reported_at_once(load, tmp_path):
    rows = [
        TINY_ROWS[0],
        ["b7", "Teknik", "2025", "7", "1", "1"],  # row 2: department, wages_1
        ["", "BUF", "20x5", "1", "1", "x"],  # row 3: respondent_id, wave, food_2
    ]
    bad = _write(tmp_path / "bad.csv", rows)
    missing = tmp_path / "missing.csv"
    with pytest.raises(SurveyDataError) as exc:
        load([bad, missing])
    found = [(p.file, p.row, p.column) for p in _problems(exc)]
    assert found == [
        (str(bad), 2, "department"),
        (str(bad), 2, "wages_1"),
        (str(bad), 3, "respondent_id"),
        (str(bad), 3, "wave"),
        (str(bad), 3, "food_2"),
        (str(missing), None, None),
    ]
    assert str(exc.value).startswith("6 problems in the survey data:")


def test_many_problems_in_one_file_are_capped_with_a_count(load, tmp_path):
    extra = 10
    rows = [TINY_ROWS[0]] + [[f"r{k}", "BUF", "2025", "1", "x", "1"] for k in range(MAX_PROBLEMS_PER_FILE + extra)]
    path = _write(tmp_path / "many.csv", rows)
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    problems = _problems(exc)
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1
    assert [p.row for p in problems[:-1]] == list(range(2, MAX_PROBLEMS_PER_FILE + 2))
    assert f"{extra} more problems" in problems[-1].message


def test_bad_arguments_raise_parameter_error(load, tmp_path):
    path = _write(tmp_path / "tiny.csv", TINY_ROWS)
    with pytest.raises(ParameterError):
        load(path, wave="last year")
    with pytest.raises(ParameterError):
        load([])


# ------------------------------------------------------------------------------------------
# Input files are read-only to the loader
def _fingerprint(path):
    st = os.stat(path)
    return path.read_bytes(), st.st_mtime_ns


@pytest.mark.parametrize("fails", [False, True])
def test_input_files_are_not_modified(load, tmp_path, fails):
    csv_rows = TINY_ROWS + ([["zz", "Nowhere", "2025", "1", "1", "1"]] if fails else [])
    csv = _write(tmp_path / "in.csv", csv_rows, sep=";", encoding="cp1252")
    xlsx = _write_xlsx(
        tmp_path / "in.xlsx", {"Ark1": [["respondent_id", "department", "wave", "food_1"], ["x1", "BUF", 2024, 3]]}
    )
    for p in (csv, xlsx):
        os.utime(p, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = [_fingerprint(csv), _fingerprint(xlsx)]
    if fails:
        with pytest.raises(SurveyDataError):
            load([csv, xlsx])
    else:
        load([csv, xlsx])
    assert [_fingerprint(csv), _fingerprint(xlsx)] == before


def test_excel_sep_line_sets_the_delimiter_and_rows_count_from_the_header(load, tmp_path):
    # Excel hides the "sep=" line when it opens the file, so the header is still row 1.
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\n" + _csv_text(TINY_ROWS, ";"), encoding="utf-8")
    pd.testing.assert_frame_equal(load(path).responses, _expected_tiny())
    bad = tmp_path / "sepbad.csv"
    bad.write_text(
        "sep=;\n" + _csv_text([TINY_ROWS[0], ["b7", "Nowhere", "2025", "1", "1", "1"]], ";"), encoding="utf-8"
    )
    with pytest.raises(SurveyDataError) as exc:
        load(bad)
    assert [(p.row, p.column) for p in _problems(exc)] == [(2, "department")]


def test_unnamed_column_with_data_is_a_warning_and_an_empty_one_is_ignored(load, tmp_path):
    rows = [[*TINY_ROWS[0], "", ""], [*TINY_ROWS[1], "note", ""], [*TINY_ROWS[2], "", ""]]
    survey = load(_write(tmp_path / "unnamed.csv", rows))
    pd.testing.assert_frame_equal(survey.responses, _expected_tiny())
    [warning] = survey.quality.warnings
    assert "column 7, no header" in warning.message and "column 8" not in warning.message


def test_two_columns_for_one_item_is_an_error_naming_both(load, tmp_path):
    rows = [["respondent_id", "department", "wave", "food_1", "Q1"], ["r1", "BUF", "2025", "3", "4"]]
    path = _write(tmp_path / "twice.csv", rows)
    with pytest.raises(SurveyDataError) as exc:
        load(path)
    [p] = _problems(exc)
    assert (p.file, p.row, p.column) == (str(path), 1, "Q1")
    assert "'food_1'" in p.message and "column 4" in p.message and "column 5" in p.message


def test_blank_wave_cells_take_the_wave_argument(load, tmp_path):
    rows = [TINY_ROWS[0], ["b7", "SUF", "", "Ikke relevant", "1", "Ved ikke"], TINY_ROWS[2]]
    survey = load(_write(tmp_path / "gap.csv", rows), wave=2025)
    pd.testing.assert_frame_equal(survey.responses, _expected_tiny())
