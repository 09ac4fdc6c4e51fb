"""The ``briefing`` command: exit codes, messages a person can act on, the table contract."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from analysis import cli, config
from analysis.survey.codebook import load_codebook


def run(argv, capsys):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write_cp1252_semicolon(path):
    """A small export as Danish Excel writes it: Windows-1252, ';', full department names."""
    cb = load_codebook()
    items = cb.item_ids[:4]
    lines = [";".join(["respondent_id", "department", "wave", *items])]
    names = ["Børne- og Ungdomsforvaltningen", "Sundheds- og Omsorgsforvaltningen", "Teknik- og Miljøforvaltningen"]
    answers = ["Førende", "3", "Ved ikke", "Ikke påbegyndt"]
    for k in range(6):
        lines.append(";".join([f"R{k}", names[k % 3], "2025", *answers]))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def test_validate_accepts_windows_1252_semicolon_file_with_full_names(tmp_path, capsys):
    path = write_cp1252_semicolon(tmp_path / "eksport.csv")
    before = path.read_bytes()
    code, out, err = run(["validate", str(path)], capsys)
    assert code == 0, err
    assert "OK" in out and "BUF" in out and "TMF" in out
    assert path.read_bytes() == before


def test_validate_reports_problems_with_place_and_exit_2(tmp_path, capsys):
    cb = load_codebook()
    path = tmp_path / "bad.csv"
    path.write_text(
        f"respondent_id,department,wave,{cb.item_ids[0]}\nR1,Nowhere,2025,7\nR2,BUF,2025,3\n", encoding="utf-8"
    )
    code, _out, err = run(["validate", str(path)], capsys)
    assert code == 2
    assert f"{path}:2:department" in err and "Nowhere" in err
    assert f"{path}:2:{cb.item_ids[0]}" in err and "'7'" in err
    assert "Traceback" not in err


def test_score_writes_the_table_contract(tmp_path, capsys):
    code, _out, err = run(["score", "--out", str(tmp_path / "out"), "--resamples", "200"], capsys)
    assert code == 0, err
    dv = pd.read_csv(tmp_path / "out" / "tables" / "maturity_by_department_value.csv")
    assert list(dv.columns) == [
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
    hidden = dv[dv["suppressed"]]
    assert not hidden.empty and hidden[["score", "ci_low", "ci_high", "level"]].isna().all().all()
    # Counts under min_n are blank, never a number; published cells have n >= min_n.
    assert not (dv["n"] < 5).any() and (dv.loc[~dv["suppressed"], "n"] >= 5).all()
    group = dv[dv["department"] == "ØVRIGE"]
    assert set(group["members"]) == {"KFF+BIF", "SOF+KFF+BIF", "SOF+BIF"}
    value = pd.read_csv(tmp_path / "out" / "tables" / "maturity_by_value.csv")
    assert list(value.columns) == [
        "wave",
        "value",
        "score",
        "ci_low",
        "ci_high",
        "n_departments",
        "n_respondents",
        "level",
    ]
    assert set(value["wave"]) == {2023, 2024, 2025}


def test_min_n_changes_what_is_suppressed(tmp_path, capsys):
    run(["score", "--out", str(tmp_path / "a"), "--min-n", "5", "--resamples", "100"], capsys)
    run(["score", "--out", str(tmp_path / "b"), "--min-n", "12", "--resamples", "100"], capsys)
    a = pd.read_csv(tmp_path / "a" / "tables" / "maturity_by_department_value.csv")
    b = pd.read_csv(tmp_path / "b" / "tables" / "maturity_by_department_value.csv")
    assert a["suppressed"].sum() < b["suppressed"].sum()


def test_min_n_below_five_is_refused_with_the_reason(tmp_path, capsys):
    for argv in (["score", "--out", str(tmp_path / "a")], ["render", "--out", str(tmp_path / "r")]):
        code, _out, err = run([*argv, "--min-n", "3"], capsys)
        assert code == 2 and "at least 5" in err and "recognised" in err and "Traceback" not in err
    assert not (tmp_path / "a").exists() and not (tmp_path / "r").exists()


def test_usage_errors_exit_2(capsys):
    code, _out, err = run(["score", "--out"], capsys)
    assert code == 2
    code, _out, err = run(["score", "--out", "x", "--min-n", "zero"], capsys)
    assert code == 2 and "min-n" in err


def test_unexpected_errors_exit_1_without_traceback(monkeypatch, tmp_path, capsys):
    import analysis.stats.scoring

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(analysis.stats.scoring, "score_survey", boom)
    code, _out, err = run(["score", "--out", str(tmp_path)], capsys)
    assert code == 1
    assert "simulated bug" in err and "Traceback" not in err


def test_python_dash_m_runs_as_a_real_process(tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_text("", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "validate", str(bad)], capture_output=True, text=True, cwd=config.PROJECT_DIR
    )
    assert proc.returncode == 2
    assert str(bad) in proc.stderr and "Traceback" not in proc.stderr
