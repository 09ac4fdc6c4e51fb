"""The Excel workbook: sheets, formats, suppression in words, no formulas, identical bytes."""

from __future__ import annotations

import os
import zipfile

import pytest
from conftest import groups_frame
from openpyxl import load_workbook

from analysis.stats.changes import score_changes
from analysis.stats.scoring import score_survey
from analysis.tables import atomic
from analysis.tables.excel import DEFAULT_TIMESTAMP, EXCEL_NAME, write_excel


@pytest.fixture(autouse=True, scope="module")
def _tiny_groups(low_min_n):
    """Hand-worked fixtures here have groups of one to four: the min_n floor of 5 is lowered for them."""


#: A department code that Excel would run as a formula if it were written as it is.
FORMULA_DEPT = '=HYPERLINK("x")'
DATA_SHEETS_DA = ["Forvaltning x værdi", "Kommunen", "Indsatsområder", "Ved ikke", "Svarende", "Ændringer"]
HIDDEN_COLUMNS_DA = ["Score (1-5)", "Nedre grænse (95 %)", "Øvre grænse (95 %)", "Niveau (1-5)", "Niveau"]


@pytest.fixture(scope="module")
def responses():
    """Five respondents of FORMULA_DEPT and two of SUF (too few to show) in 2024 and 2025.

    Worked by hand (food_2 is reverse-scored 6 - x): FORMULA_DEPT scores climate 2.0 and social
    4.0 in 2024, climate 4.0 and social 3.0 in 2025, every interval a single point (everyone
    answers alike); the changes are +2.0 (improvement) and -1.0 (decline).
    """
    return groups_frame(
        [
            (2024, FORMULA_DEPT, 5, {"food_1": 2, "food_2": 4, "wages_1": 4}),
            (2024, "SUF", 2, {"food_1": 5, "food_2": 1, "wages_1": 5}),
            (2025, FORMULA_DEPT, 5, {"food_1": 4, "food_2": 2, "wages_1": 3}),
            (2025, "SUF", 2, {"food_1": 1, "food_2": 5, "wages_1": 1}),
        ]
    )


@pytest.fixture(scope="module")
def scores(responses, tiny_codebook, tiny_departments):
    return score_survey(responses, tiny_codebook, tiny_departments, resamples=100, seed=1)


@pytest.fixture(scope="module")
def workbook_path(scores, tiny_codebook, tiny_departments, tmp_path_factory):
    folder = tmp_path_factory.mktemp("excel")
    return write_excel(
        scores, folder, changes=score_changes(scores, 2024, 2025), codebook=tiny_codebook, departments=tiny_departments
    )


@pytest.fixture(scope="module")
def wb(workbook_path):
    return load_workbook(workbook_path)


def records(ws) -> list[dict]:
    """Return a sheet's rows as dicts of header -> cell."""
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=2)]


def test_workbook_has_the_about_sheet_and_one_sheet_per_table(wb, workbook_path):
    assert workbook_path.name == EXCEL_NAME
    assert wb.sheetnames == ["Om tabellerne", *DATA_SHEETS_DA]
    for name in wb.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


def test_no_changes_sheet_without_changes(scores, tiny_codebook, tmp_path):
    path = write_excel(scores, tmp_path / "x.xlsx", codebook=tiny_codebook)
    assert path == tmp_path / "x.xlsx"
    assert "Ændringer" not in load_workbook(path).sheetnames


def test_header_is_bold_frozen_and_filterable(wb):
    for name in DATA_SHEETS_DA:
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert all(c.font.bold for c in ws[1]), name
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}", name
        assert all(ws.column_dimensions[c.column_letter].width >= 8 for c in ws[1]), name


def test_score_cells_are_numbers_with_two_decimals(wb):
    rows = [r for r in records(wb["Forvaltning x værdi"]) if r["Skjult"].value is False]
    assert len(rows) == 4  # FORMULA_DEPT x 2 values x 2 years
    for r in rows:
        for header in ("Score (1-5)", "Nedre grænse (95 %)", "Øvre grænse (95 %)"):
            cell = r[header]
            # A whole number such as 4.0 reads back as the int 4: still a number, not text.
            assert cell.data_type == "n" and isinstance(cell.value, (int, float))
            assert not isinstance(cell.value, bool)
            assert cell.number_format == "0.00"
        assert isinstance(r["Niveau (1-5)"].value, int) and r["Niveau (1-5)"].number_format == "0"
        assert isinstance(r["Svarende (n)"].value, int) and r["Svarende (n)"].number_format == "0"
    by_key = {(r["År"].value, r["Værdi (kode)"].value): r for r in rows}
    assert by_key[(2025, "climate")]["Score (1-5)"].value == pytest.approx(4.0)
    assert by_key[(2025, "climate")]["Niveau"].value == "Systematisk"
    assert by_key[(2024, "social")]["Øvre grænse (95 %)"].value == pytest.approx(4.0)


def test_suppressed_rows_show_words_and_no_number(wb):
    for name, hidden in (
        ("Forvaltning x værdi", HIDDEN_COLUMNS_DA),
        ("Indsatsområder", HIDDEN_COLUMNS_DA),
        ("Ved ikke", ["Andel »Ved ikke«", "»Ved ikke«-svar", "Svar i alt", "Over 30 %"]),
    ):
        rows = [r for r in records(wb[name]) if r["Forvaltning (kode)"].value == "SUF"]
        assert rows and all(r["Skjult"].value is True for r in rows), name
        for r in rows:
            for header in hidden:
                assert r[header].value == "skjult (n < 5)", (name, header)
                assert r[header].data_type == "s"
            assert r["Svarende (n)"].value == 2  # how many answered is not hidden
    changes = [r for r in records(wb["Ændringer"]) if r["Forvaltning (kode)"].value == "SUF"]
    assert changes
    for r in changes:
        for header in ("Ændring", "Nedre grænse (95 %)", "Øvre grænse (95 %)", "Vurdering (kode)", "Vurdering"):
            assert r[header].value == "skjult (n < 5)"


def test_suppression_words_follow_min_n_and_language(responses, tiny_codebook, tiny_departments, tmp_path):
    scores = score_survey(responses, tiny_codebook, tiny_departments, min_n=3, resamples=100, seed=1)
    path = write_excel(scores, tmp_path, lang="en", codebook=tiny_codebook, departments=tiny_departments)
    wb = load_workbook(path)
    assert wb.sheetnames == ["About", "Department x value", "Municipality", "Focus areas", "Don't know", "Respondents"]
    rows = [r for r in records(wb["Department x value"]) if r["Department (code)"].value == "SUF"]
    assert rows and {r["Score (1-5)"].value for r in rows} == {"hidden (n < 3)"}
    assert {r["Department"].value for r in rows} == {"Health and Care Administration"}


def test_formula_text_is_a_quoted_string_never_a_formula(wb, workbook_path):
    rows = [r for r in records(wb["Forvaltning x værdi"]) if r["Skjult"].value is False]
    for r in rows:
        cell = r["Forvaltning (kode)"]
        assert cell.value == "'" + FORMULA_DEPT
        assert cell.data_type == "s"
        assert r["Forvaltning"].value == "'" + FORMULA_DEPT  # unknown code: its own name, also quoted
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.lstrip().startswith(("=", "+", "-", "@")), (ws.title, cell.coordinate)
    with zipfile.ZipFile(workbook_path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name


def test_negative_change_is_a_number(wb):
    rows = {(r["Forvaltning (kode)"].value, r["Værdi (kode)"].value): r for r in records(wb["Ændringer"])}
    social = rows[("'" + FORMULA_DEPT, "social")]
    assert social["Ændring"].value == pytest.approx(-1.0) and social["Ændring"].data_type == "n"
    assert social["Ændring"].number_format == "0.00"
    assert social["Vurdering"].value == "tilbagegang"
    assert rows[("ALL", "climate")]["Forvaltning"].value == "Hele kommunen"
    assert rows[("ALL", "climate")]["Vurdering"].value == "forbedring"


def test_shares_are_percent_and_counts_whole_numbers(wb):
    rows = [r for r in records(wb["Ved ikke"]) if r["Skjult"].value is False]
    assert rows
    for r in rows:
        assert r["Andel »Ved ikke«"].value == 0 and r["Andel »Ved ikke«"].number_format == "0.0%"
        answers = r["Svar i alt"].value
        assert isinstance(answers, int) and r["Svar i alt"].number_format == "0"
        # 5 people x the value's items: climate has two (food_1, food_2), social one (wages_1).
        assert answers == {"climate": 10, "social": 5}[r["Værdi (kode)"].value]


def test_about_sheet_states_the_settings(wb, scores):
    about = {row[0].value: row[1].value for row in wb["Om tabellerne"].iter_rows() if row[0].value}
    assert about["Mindste gruppestørrelse (min_n)"] == scores.min_n == 5
    assert about["Bootstrap-gentagelser"] == 100
    assert about["Seed (startværdi for bootstrap)"] == 1
    assert about["Kodebogens version"] == "test"
    assert "skjult (n < 5)" in about["Anonymitet"]
    for name in DATA_SHEETS_DA:
        assert name in about


def test_two_writes_give_identical_bytes(scores, tiny_codebook, tiny_departments, tmp_path):
    changes = score_changes(scores, 2024, 2025)
    a = write_excel(scores, tmp_path / "a.xlsx", changes=changes, codebook=tiny_codebook, departments=tiny_departments)
    b = write_excel(scores, tmp_path / "b.xlsx", changes=changes, codebook=tiny_codebook, departments=tiny_departments)
    assert a.read_bytes() == b.read_bytes()
    props = load_workbook(a).properties
    assert props.created == props.modified == DEFAULT_TIMESTAMP


def test_write_is_atomic(scores, tiny_codebook, tmp_path, monkeypatch):
    target = tmp_path / EXCEL_NAME
    target.write_bytes(b"old")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(OSError):
        write_excel(scores, tmp_path, codebook=tiny_codebook)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == [EXCEL_NAME]  # no temporary file left behind
    monkeypatch.undo()
    write_excel(scores, tmp_path, codebook=tiny_codebook)
    assert sorted(os.listdir(tmp_path)) == [EXCEL_NAME]
    assert target.read_bytes()[:2] == b"PK"
