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
    """One test scores with min_n = 3, under the method's floor of 5: the floor is lowered for it."""


#: A department code that Excel would run as a formula if it were written as it is.
FORMULA_DEPT = '=HYPERLINK("x")'
DATA_SHEETS_DA = ["Forvaltning x værdi", "Kommunen", "Indsatsområder", "Ved ikke", "Svarende", "Ændringer"]
HIDDEN_COLUMNS_DA = ["Score (1-5)", "Nedre grænse (95 %)", "Øvre grænse (95 %)", "Niveau (1-5)", "Niveau"]
DONT_KNOW_HIDDEN_DA = [
    "Andel »Ved ikke«",
    "»Ved ikke«-svar",
    "Svar i alt",
    "Markeret (30 %)",
    "Andel, nedre grænse (95 %)",
    "Andel, øvre grænse (95 %)",
]
CHANGE_HIDDEN_DA = [
    "Ændring",
    "Nedre grænse (95 %)",
    "Øvre grænse (95 %)",
    "Vurdering (kode)",
    "Vurdering",
    "Justeret p-værdi",
]
#: The words in a hidden cell of a department pooled into the merged group.
POOLED_DA = "skjult (i Øvrige forvaltninger)"
MERGED_NAME_DA = "Øvrige forvaltninger (BUF og SUF)"
#: Headers of the count columns, in every sheet that has one.
COUNT_HEADERS_DA = ["Svarende (n)", "Svarende", "Svarende i alt", "»Ved ikke«-svar", "Svar i alt"]


@pytest.fixture(scope="module")
def responses():
    """Six respondents of FORMULA_DEPT, two of SUF and five of BUF in 2024 and 2025.

    Worked by hand (food_2 is reverse-scored 6 - x; everyone in a department answers alike):

    - FORMULA_DEPT (6) scores climate 2.0 and social 4.0 in 2024, climate 4.0 and social 3.0 in
      2025, every interval a single point; its changes are +2.0 (improvement) and -1.0 (decline),
      each with p_adjusted 0 (every resample gives the same difference).
    - SUF (2) is under min_n = 5, so it is pooled; a pool of one department is not enough, so the
      published department with the smallest n joins: BUF (5 < 6). The merged group ØVRIGE has
      members ``BUF+SUF`` (report order) and n = 7; both members' own rows are hidden, BUF's too
      although its n of 5 is shown. SUF's n (2) is under 5, so it reads "færre end 5".
    - ØVRIGE scores (2 x 5 + 5 x 3) / 7 = 25/7 = 3.5714 on both values in 2024 (level 4) and
      (2 x 1 + 5 x 3) / 7 = 17/7 = 2.4286 in 2025 (level 2): a change of -8/7 = -1.1429.
    - The municipality weighs FORMULA_DEPT once and ØVRIGE twice (it stands in for BUF and SUF):
      climate 2024 (2 + 2 x 25/7) / 3 = 64/21 = 3.0476, 2025 (4 + 2 x 17/7) / 3 = 62/21 = 2.9524,
      a change of -2/21 = -0.095: under 0.25, so *ingen klar ændring* whatever its p-value;
      social 2024 (4 + 50/7) / 3 = 78/21, 2025 (3 + 34/7) / 3 = 55/21, a change of -23/21 = -1.095.
    - Answers given (no one says *Ved ikke*): FORMULA_DEPT 6 x 2 = 12 on climate (food_1, food_2)
      and 6 on social (wages_1); ØVRIGE 7 x 2 = 14 and 7.
    """
    return groups_frame(
        [
            (2024, FORMULA_DEPT, 6, {"food_1": 2, "food_2": 4, "wages_1": 4}),
            (2024, "SUF", 2, {"food_1": 5, "food_2": 1, "wages_1": 5}),
            (2024, "BUF", 5, {"food_1": 3, "food_2": 3, "wages_1": 3}),
            (2025, FORMULA_DEPT, 6, {"food_1": 4, "food_2": 2, "wages_1": 3}),
            (2025, "SUF", 2, {"food_1": 1, "food_2": 5, "wages_1": 1}),
            (2025, "BUF", 5, {"food_1": 3, "food_2": 3, "wages_1": 3}),
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
    shown = [r for r in records(wb["Forvaltning x værdi"]) if r["Skjult"].value is False]
    assert len(shown) == 8  # (FORMULA_DEPT and the merged group) x 2 values x 2 years
    rows = [r for r in shown if r["Forvaltning (kode)"].value != "ØVRIGE"]
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
    merged = {(r["År"].value, r["Værdi (kode)"].value): r for r in shown if r["Forvaltning (kode)"].value == "ØVRIGE"}
    # The merged group's scores are numbers too: 25/7 in 2024, 17/7 in 2025 (see responses).
    for (wave, _), r in merged.items():
        cell = r["Score (1-5)"]
        assert cell.data_type == "n" and cell.number_format == "0.00"
        assert cell.value == pytest.approx({2024: 25 / 7, 2025: 17 / 7}[wave], abs=1e-4)
        assert r["Niveau (1-5)"].value == {2024: 4, 2025: 2}[wave]
        assert r["Svarende (n)"].value == 7


def test_suppressed_rows_show_words_and_no_number(wb):
    """Both members of the merged group (SUF under min_n, BUF pulled in) read as hidden, pooled."""
    for name, hidden in (
        ("Forvaltning x værdi", HIDDEN_COLUMNS_DA),
        ("Indsatsområder", HIDDEN_COLUMNS_DA),
        ("Ved ikke", DONT_KNOW_HIDDEN_DA),
    ):
        # A hidden row publishes no count either: BUF's 5 beside the group's 7 would give SUF's 2 away.
        for code, n in (("SUF", POOLED_DA), ("BUF", POOLED_DA)):
            rows = [r for r in records(wb[name]) if r["Forvaltning (kode)"].value == code]
            assert len(rows) == 4 and all(r["Skjult"].value is True for r in rows), (name, code)
            for r in rows:
                for header in hidden:
                    assert r[header].value == POOLED_DA, (name, code, header)
                    assert r[header].data_type == "s"
                assert r["Svarende (n)"].value == n, (name, code)
    for code in ("SUF", "BUF"):
        changes = [r for r in records(wb["Ændringer"]) if r["Forvaltning (kode)"].value == code]
        assert len(changes) == 2, code
        for r in changes:
            for header in CHANGE_HIDDEN_DA:
                assert r[header].value == POOLED_DA, (code, header)
                assert r[header].data_type == "s"


def test_members_rows_carry_a_note_and_the_group_row_its_members(wb):
    for name in ("Forvaltning x værdi", "Indsatsområder", "Ved ikke", "Ændringer"):
        rows = records(wb[name])
        for r in rows:
            code, note = r["Forvaltning (kode)"].value, r["Bemærkning"].value
            if code in ("SUF", "BUF"):
                assert note == f"Indgår i {MERGED_NAME_DA}; forvaltningens egne tal vises ikke.", (name, code)
            elif code == "ØVRIGE":
                assert note == "BUF og SUF lagt sammen og regnet som én forvaltning (anonymitet).", name
            else:
                assert note is None, (name, code)  # an empty note is an empty cell


def test_merged_group_is_a_row_named_with_its_members(wb):
    for name in ("Forvaltning x værdi", "Indsatsområder", "Ved ikke"):
        rows = [r for r in records(wb[name]) if r["Forvaltning (kode)"].value == "ØVRIGE"]
        assert len(rows) == 4, name  # 2 years x 2 values (one focus area each)
        for r in rows:
            assert r["Forvaltning"].value == MERGED_NAME_DA, name
            assert r["Medlemmer (koder)"].value == "BUF+SUF", name
            assert r["Skjult"].value is False, name
        # Every other row has an empty members cell.
        others = [r for r in records(wb[name]) if r["Forvaltning (kode)"].value != "ØVRIGE"]
        assert others and all(r["Medlemmer (koder)"].value is None for r in others), name
    changes = [r for r in records(wb["Ændringer"]) if r["Forvaltning (kode)"].value == "ØVRIGE"]
    assert len(changes) == 2  # the same members in both years, so compared
    for r in changes:
        assert r["Forvaltning"].value == MERGED_NAME_DA
        assert r["Ændring"].value == pytest.approx(-8 / 7, abs=1e-4) and r["Ændring"].data_type == "n"


def test_a_count_under_min_n_is_words_never_a_number_in_every_sheet(wb):
    found = 0
    for name in DATA_SHEETS_DA:
        for r in records(wb[name]):
            for header in COUNT_HEADERS_DA:
                if header not in r:
                    continue
                cell = r[header]
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    assert cell.value == 0 or cell.value >= 5, (name, header, cell.value)
                code = r["Forvaltning (kode)"].value if "Forvaltning (kode)" in r else None
                if code in ("SUF", "BUF") and header in ("Svarende (n)", "Svarende"):  # the group's members
                    assert cell.value == POOLED_DA and cell.data_type == "s", (name, header)
                    found += 1
    assert found == 2 * (4 + 4 + 4 + 2)  # two members x (three sheets x 2 years x 2 values, 2 years of respondents)


def test_suppression_words_follow_min_n_and_language(responses, tiny_codebook, tiny_departments, tmp_path):
    """With min_n = 3 SUF (2) still pulls in BUF: pooled words, the count under 3 in English words."""
    scores = score_survey(responses, tiny_codebook, tiny_departments, min_n=3, resamples=100, seed=1)
    path = write_excel(scores, tmp_path, lang="en", codebook=tiny_codebook, departments=tiny_departments)
    wb = load_workbook(path)
    assert wb.sheetnames == ["About", "Department x value", "Municipality", "Focus areas", "Don't know", "Respondents"]
    rows = [r for r in records(wb["Department x value"]) if r["Department (code)"].value == "SUF"]
    assert rows and {r["Score (1-5)"].value for r in rows} == {"hidden (in Other departments)"}
    assert {r["Department"].value for r in rows} == {"Health and Care Administration"}
    assert {r["Respondents (n)"].value for r in rows} == {"hidden (in Other departments)"}
    merged = [r for r in records(wb["Department x value"]) if r["Department (code)"].value == "ØVRIGE"]
    assert merged and {r["Department"].value for r in merged} == {"Other departments (BUF and SUF)"}
    respondents = {r["Department (code)"].value: r["Respondents"].value for r in records(wb["Respondents"])}
    assert respondents["SUF"] == respondents["BUF"] == "hidden (in Other departments)"


def test_a_group_too_small_even_pooled_reads_hidden_under_min_n(tiny_codebook, tiny_departments, tmp_path):
    """SUF and BUF with one respondent each, and no one else: even pooled they are 2 < 3, so nothing shows."""
    responses = groups_frame(
        [
            (2025, "SUF", 1, {"food_1": 5, "food_2": 1, "wages_1": 5}),
            (2025, "BUF", 1, {"food_1": 3, "food_2": 3, "wages_1": 3}),
        ]
    )
    scores = score_survey(responses, tiny_codebook, tiny_departments, min_n=3, resamples=100, seed=1)
    wb = load_workbook(write_excel(scores, tmp_path, lang="en", codebook=tiny_codebook, departments=tiny_departments))
    rows = records(wb["Department x value"])
    assert {r["Department (code)"].value for r in rows} == {"BUF", "SUF", "ØVRIGE"}
    for r in rows:
        assert r["Hidden"].value is True
        for header in ("Score (1-5)", "Lower bound (95 %)", "Upper bound (95 %)", "Level (1-5)", "Level"):
            assert r[header].value == "hidden (n < 3)"  # not "in Other departments": that is hidden too
        assert r["Respondents (n)"].value == "hidden (n < 3)"


def test_formula_text_is_a_quoted_string_never_a_formula(wb, workbook_path):
    rows = [
        r
        for r in records(wb["Forvaltning x værdi"])
        if r["Skjult"].value is False and r["Forvaltning (kode)"].value != "ØVRIGE"
    ]
    assert len(rows) == 4
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
    # The municipality's climate change is -2/21: under 0,25, so no clear change, number shown.
    assert rows[("ALL", "climate")]["Ændring"].value == pytest.approx(-2 / 21, abs=1e-4)
    assert rows[("ALL", "climate")]["Vurdering (kode)"].value == "no clear change"
    assert rows[("ALL", "climate")]["Vurdering"].value == "ingen klar ændring"
    assert rows[("ALL", "social")]["Ændring"].value == pytest.approx(-23 / 21, abs=1e-4)
    assert rows[("ALL", "social")]["Vurdering"].value == "tilbagegang"


def test_change_sheet_shows_the_adjusted_p_value_and_the_family(wb):
    ws = wb["Ændringer"]
    header = [c.value for c in ws[1]]
    assert header[header.index("Vurdering") + 1 : header.index("Vurdering") + 4] == [
        "Justeret p-værdi",
        "Familie (kode)",
        "Familie",
    ]
    rows = {(r["Forvaltning (kode)"].value, r["Værdi (kode)"].value): r for r in records(ws)}
    climate = rows[("'" + FORMULA_DEPT, "climate")]
    # Every resample gives +2.0, so the p-value is 0 before and after adjustment.
    p = climate["Justeret p-værdi"]
    assert p.value == 0 and p.data_type == "n" and p.number_format == "0.000"
    assert climate["Vurdering"].value == "forbedring"
    for (code, _), r in rows.items():
        family = "municipality" if code == "ALL" else "departments"
        assert r["Familie (kode)"].value == family, code
        assert (
            r["Familie"].value
            == {"municipality": "Kommunen (Holm)", "departments": "Forvaltningerne (Benjamini-Hochberg)"}[family]
        )
        value = r["Justeret p-værdi"].value
        if code in ("SUF", "BUF"):
            assert value == POOLED_DA
        else:
            assert isinstance(value, (int, float)) and 0 <= value <= 1, code


def test_shares_are_percent_and_counts_whole_numbers(wb):
    rows = [r for r in records(wb["Ved ikke"]) if r["Skjult"].value is False]
    assert rows
    for r in rows:
        assert r["Andel »Ved ikke«"].value == 0 and r["Andel »Ved ikke«"].number_format == "0.0%"
        answers = r["Svar i alt"].value
        assert isinstance(answers, int) and r["Svar i alt"].number_format == "0"
        # People x the value's items: climate has two (food_1, food_2), social one (wages_1);
        # FORMULA_DEPT has 6 people, the merged group 7 (BUF 5 + SUF 2).
        people = {"'" + FORMULA_DEPT: 6, "ØVRIGE": 7}[r["Forvaltning (kode)"].value]
        assert answers == people * {"climate": 2, "social": 1}[r["Værdi (kode)"].value]
        # The share's interval is a share too (no one says Ved ikke: 0 % to 0 %).
        for header in ("Andel, nedre grænse (95 %)", "Andel, øvre grænse (95 %)"):
            assert r[header].value == 0 and r[header].number_format == "0.0%"


def test_about_sheet_states_the_settings(wb, scores):
    about = {row[0].value: row[1].value for row in wb["Om tabellerne"].iter_rows() if row[0].value}
    assert about["Mindste gruppestørrelse (min_n)"] == scores.min_n == 5
    assert about["Bootstrap-gentagelser"] == 100
    assert about["Seed (startværdi for bootstrap)"] == 1
    assert about["Kodebogens version"] == "test"
    assert "skjult (n < 5)" in about["Anonymitet"]
    for name in DATA_SHEETS_DA:
        assert name in about
    # Method v2, a sentence each: the merged group, the full-coverage municipality, the 0,25 rule.
    assert "»Øvrige forvaltninger«" in about["Øvrige forvaltninger"] and POOLED_DA in about["Øvrige forvaltninger"]
    assert "alle forvaltninger med svar" in about["Hele kommunen"]
    verdicts = about["Vurdering af ændringer"]
    assert "justerede p-værdi er under 5 %" in verdicts and "mindst 0,25" in verdicts
    texts = [c.value for row in wb["Om tabellerne"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("»færre end 5«" in text for text in texts)
    assert not any("viste forvaltninger" in text for text in texts)  # the version 1 municipality


def test_about_sheet_in_english_quotes_the_rule_the_english_way(scores, tiny_codebook, tiny_departments, tmp_path):
    path = write_excel(scores, tmp_path, lang="en", codebook=tiny_codebook, departments=tiny_departments)
    about = {row[0].value: row[1].value for row in load_workbook(path)["About"].iter_rows() if row[0].value}
    assert "at least 0.25" in about["Change verdicts"]
    assert "every department with answers" in about["Whole municipality"]
    assert "'Other departments'" in about["Other departments"]


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
