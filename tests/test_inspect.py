"""``briefing inspect``, ``--mapping``, ``--source`` and ``render --wave`` on the tools' exports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from exports import read_plain, write_qualtrics

from analysis import cli
from analysis.exceptions import SurveyDataError
from analysis.survey.loading import load_responses

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
SURVEYXACT = FIXTURES / "surveyxact" / "ansi" / "dataset.csv"
QUALTRICS = FIXTURES / "qualtrics" / "text.csv"
LIMESURVEY = FIXTURES / "limesurvey" / "codes.csv"
SAMPLE = Path(__file__).parents[1] / "data" / "sample" / "responses_2025.csv"


def run(argv, capsys):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_inspect_surveyxact_fits_one_screen_and_names_every_role(capsys):
    code, out, err = run(["inspect", SURVEYXACT, "--wave", "2025"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) <= 40 and max(len(line.replace(str(SURVEYXACT), "")) for line in lines) <= 120
    assert lines[0].startswith(f"{SURVEYXACT}: SurveyXact export")
    assert "dataset.csv, labels.csv, structure.csv" in lines[0]
    text = "\n".join(lines)
    assert "Respondent id 'responde' (surveyxact id)" in text
    assert "Department    's_1'" in text
    assert "6 of 56 codebook items (6 by text)" in text
    assert "s_2_1=org_data_1" in text
    assert "stato_1" in text  # the tool's own columns, ignored
    assert "Codes" in text and "6 Ved ikke" in text
    assert "1 no answers" in text  # the invited non-responder
    assert "No problems" in text


def test_inspect_qualtrics_shows_previews_left_out(capsys):
    code, out, err = run(["inspect", QUALTRICS, "--wave", "2025"], capsys)
    assert code == 0, err
    assert out.splitlines()[0].startswith(f"{QUALTRICS}: Qualtrics export")
    assert "Respondent id 'ResponseId'" in out
    assert "1 preview" in out and "1 test" in out
    assert "'Etableret'=3" in out or "'Etableret'" in out


def test_inspect_lists_problems_and_exits_2(capsys, tmp_path):
    code, out, err = run(["inspect", LIMESURVEY, "--wave", "2025"], capsys)
    assert code == 2
    assert "Problems (" in out and "cannot be scored" in err
    assert "Traceback" not in err


def test_written_mapping_loads_the_same_as_automatic_matching(capsys, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    code, _out, err = run(["inspect", SURVEYXACT, "--wave", "2025", "--write-mapping", mapping], capsys)
    assert code == 0, err
    text = mapping.read_text(encoding="utf-8")
    assert text.startswith("# Column mapping for briefing")
    assert '"s_2_1": org_data_1' in text and '"responde": respondent_id' in text
    automatic = load_responses(SURVEYXACT, wave=2025)
    mapped = load_responses(SURVEYXACT, wave=2025, mapping=mapping)
    pd.testing.assert_frame_equal(automatic.responses, mapped.responses)
    # Written again over its own file: allowed.
    assert run(["inspect", SURVEYXACT, "--wave", "2025", "--write-mapping", mapping], capsys)[0] == 0


def test_write_mapping_never_overwrites_a_file_it_did_not_write(capsys, tmp_path):
    other = tmp_path / "notes.yaml"
    other.write_text("my notes\n", encoding="utf-8")
    code, _out, err = run(["inspect", SURVEYXACT, "--wave", "2025", "--write-mapping", other], capsys)
    assert code == 2 and "not written by this tool" in err
    assert other.read_text(encoding="utf-8") == "my notes\n"


def test_edited_mapping_moves_a_column(tmp_path):
    """A person's edit wins: a column mapped to 'ignore' is not scored."""
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text('columns:\n  "s_2_1": ignore\n', encoding="utf-8")
    survey = load_responses(SURVEYXACT, wave=2025, mapping=mapping)
    assert "org_data_1" not in set(survey.responses["item"])
    assert "org_data_2" in set(survey.responses["item"])


@pytest.mark.parametrize(
    "content, expected",
    [
        ('columns:\n  "s_2_1": org_dat_1\n', "Did you mean 'org_data_1'"),
        ("columns: [1, 2]\n", "'columns:' section"),
        ('answers:\n  "*": 3\n', "code: answer pairs"),
        ("source: surveymonkey\n", "surveymonkey"),
    ],
)
def test_a_bad_mapping_file_names_what_to_fix(tmp_path, content, expected):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(content, encoding="utf-8")
    with pytest.raises(SurveyDataError) as caught:
        load_responses(SURVEYXACT, wave=2025, mapping=mapping)
    [problem] = caught.value.problems
    assert problem.file == str(mapping) and expected in problem.message


def test_source_override_reads_the_file_as_that_tool(capsys):
    code, _out, err = run(["validate", QUALTRICS, "--wave", "2025", "--source", "qualtrics"], capsys)
    assert code == 0, err
    code, _out, err = run(["validate", QUALTRICS, "--wave", "2025", "--source", "plain"], capsys)
    assert code == 2  # read as a plain table, the question-text and import-id rows are not answers
    code, _out, err = run(["validate", QUALTRICS, "--source", "surveymonkey"], capsys)
    assert code == 2 and "surveymonkey" in err


def test_department_column_option_names_the_column(capsys, tmp_path):
    frame = pd.read_csv(FIXTURES / "plain.csv", dtype=str, keep_default_na=False)
    frame = frame.rename(columns={"department": "Enhed"}).drop(columns="wave")
    path = tmp_path / "enhed.csv"
    frame.to_csv(path, index=False)
    code, _out, err = run(["validate", path, "--wave", "2025", "--department-column", "enhed"], capsys)
    assert code == 0, err
    code, _out, err = run(["validate", path, "--wave", "2025", "--department-column", "Afdelingen"], capsys)
    assert code == 2 and "Afdelingen" in err


def test_the_scored_tables_match_across_source_and_plain(tmp_path, capsys):
    """`briefing score` on a SurveyXact export writes the tables of the same data in the plain layout."""
    out_x, out_p = tmp_path / "x", tmp_path / "p"
    assert run(["score", "-r", SURVEYXACT, "--wave", "2025", "--out", out_x, "--resamples", "200"], capsys)[0] == 0
    assert run(["score", "-r", FIXTURES / "plain.csv", "--out", out_p, "--resamples", "200"], capsys)[0] == 0
    for name in ("maturity_by_department_value.csv", "maturity_by_value.csv"):
        x = pd.read_csv(out_x / "tables" / name)
        p = pd.read_csv(out_p / "tables" / name)
        cols = [c for c in x.columns if not c.startswith("ci_")]  # respondent ids differ, so resamples do
        pd.testing.assert_frame_equal(x[cols], p[cols])


@pytest.mark.slow
def test_render_wave_gives_a_file_without_a_wave_column_its_year(tmp_path, capsys):
    """A Qualtrics export has no wave column: `render --wave 2025` renders it (with the mapping recorded)."""
    data = tmp_path / "data"
    data.mkdir()
    export = write_qualtrics(read_plain(SAMPLE), data / "qualtrics.csv", "numeric", previews=2).path
    mapping = data / "mapping.yaml"
    shutil.copyfile(FIXTURES / "qualtrics" / "numeric_mapping.yaml", mapping)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    out = tmp_path / "out"
    code, _out, err = run(
        ["render", "-r", export, "--wave", "2025", "--out", out, "--formats", "html", "--mapping", mapping], capsys
    )
    assert code == 0, err
    assert (out / "briefing.html").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["reading"] == {"mapping": str(mapping.resolve())}
    assert {Path(e["path"]).name for e in manifest["inputs"]} == {"qualtrics.csv", "mapping.yaml"}
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before
    # The same numbers as the plain sample: the tables the render wrote agree.
    plain = tmp_path / "plain"
    assert run(["score", "--out", plain, "--resamples", "200"], capsys)[0] == 0
    rendered = pd.read_csv(out / "tables" / "maturity_by_department_value.csv")
    scored = pd.read_csv(plain / "tables" / "maturity_by_department_value.csv")
    scored = scored[scored["wave"] == 2025].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        rendered[["department", "value", "score", "n"]], scored[["department", "value", "score", "n"]]
    )
    # Without --wave the file has no year: a clear error before any kernel starts.
    code, _out, err = run(["render", "-r", export, "--out", tmp_path / "o2", "--mapping", mapping], capsys)
    assert code == 2 and "--wave" in err and "Traceback" not in err


def test_briefing_appendix_says_which_rows_of_the_export_were_left_out():
    from analysis.report.appendix import _rows_read_text
    from analysis.report.briefing import prepare_briefing

    briefing = prepare_briefing([QUALTRICS], wave=2025, charts=False, chart_background=False, resamples=200)
    text = _rows_read_text(briefing)
    assert "1 forhåndsvisning, udeladt" in text and "1 testbesvarelse, udeladt" in text
    assert "1 delvis besvarelse, medtaget" in text
    assert _rows_read_text(prepare_briefing(None, charts=False, chart_background=False, resamples=200)) == ""


def test_earlier_waves_and_a_tools_export_score_in_one_run(tmp_path, capsys):
    """Last years' plain files keep their wave column; the 2025 SurveyXact export takes --wave."""
    sample = SAMPLE.parent
    out = tmp_path / "out"
    argv = ["score", "-r", sample / "responses_2023.csv", "-r", sample / "responses_2024.csv", "-r", SURVEYXACT]
    code, _out, err = run([*argv, "--wave", "2025", "--out", out, "--resamples", "200"], capsys)
    assert code == 0, err
    table = pd.read_csv(out / "tables" / "maturity_by_department_value.csv")
    assert sorted(table["wave"].unique()) == [2023, 2024, 2025]
