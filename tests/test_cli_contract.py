"""Issue 12 (part 6): the exit-code contract. Bad input or usage exits 2 with one short
paragraph and no traceback, checked before any kernel starts; exit 1 is left for bugs."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from analysis import cli, config
from analysis.exceptions import CodebookError
from analysis.survey.codebook import load_codebook


def run(argv, capsys):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_kernel(monkeypatch):
    """Make starting a render a test failure: the checks must refuse before any kernel starts."""
    import analysis.pipeline.batch

    def refuse(*args, **kwargs):
        raise AssertionError("a render was started")

    monkeypatch.setattr(analysis.pipeline.batch, "run_jobs", refuse)


def _export(path, wave="2025", rows=6):
    items = load_codebook().item_ids[:3]
    lines = [",".join(["respondent_id", "department", "wave", *items])]
    lines += [f"R{k},{['BUF', 'SUF', 'ØKF'][k % 3]},{wave},3,4,2" for k in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _unwritable_places(tmp_path):
    """Yield (name, folder a command cannot write in) that exist on this machine, as it is run."""
    below_a_file = tmp_path / "a-file"
    below_a_file.write_text("not a folder")
    yield "below a file", below_a_file / "out"
    if Path("/sys").is_dir():
        try:
            Path(tempfile.mkdtemp(dir="/sys")).rmdir()
        except OSError:
            yield "read-only system folder", Path("/sys/briefing-out")
    if os.name == "posix" and os.geteuid() != 0:  # root writes anywhere, whatever the mode says
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        yield "read-only folder", locked / "out"


@pytest.mark.parametrize("command", ["score", "render", "sample"])
def test_an_output_folder_that_cannot_be_written_exits_2_before_any_work(tmp_path, capsys, no_kernel, command):
    checked = 0
    for name, out in _unwritable_places(tmp_path):
        code, _out, err = run([command, "--out", out], capsys)
        assert code == 2, (name, err)
        assert err.startswith(f"Error: --out {out}: cannot write") and "Choose a folder you can write to" in err
        assert "Traceback" not in err and "bug" not in err
        assert len(err.strip().splitlines()) == 1
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize("command", ["score", "render", "sample"])
def test_a_negative_seed_is_a_usage_error_before_any_kernel_starts(tmp_path, capsys, no_kernel, command):
    code, _out, err = run([command, "--out", tmp_path / "out", "--seed", "-1"], capsys)
    assert code == 2
    assert "--seed" in err and "-1 is not in the range x>=0" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_codebook_path_that_is_a_folder_exits_2_saying_so(tmp_path, capsys, monkeypatch):
    with pytest.raises(CodebookError, match="expected a YAML file, found a folder"):
        load_codebook(tmp_path)
    export = _export(tmp_path / "svar.csv")
    monkeypatch.setattr(config, "CODEBOOK_PATH", tmp_path)
    code, _out, err = run(["validate", export], capsys)
    assert code == 2
    assert err == f"Error: {tmp_path}: expected a YAML file, found a folder.\n"


@pytest.mark.parametrize("wave", ["99999", "-2025", "0", "25"])
def test_render_refuses_an_implausible_wave_naming_the_row_before_any_kernel_starts(tmp_path, capsys, no_kernel, wave):
    path = _export(tmp_path / "svar.csv", wave=wave)
    code, _out, err = run(["render", "-r", path, "--out", tmp_path / "out"], capsys)
    assert code == 2
    assert f"{path}:2:wave: expected the wave as a survey year from 2000 to" in err
    assert "Traceback" not in err
    code, _out, err = run(["render", "-r", _export(tmp_path / "ok.csv"), "--wave", wave, "--out", tmp_path], capsys)
    assert code == 2 and f"found {int(wave)}." in err


def test_a_huge_cell_and_many_problems_give_a_short_message_with_the_true_count(tmp_path, capsys):
    items = load_codebook().item_ids[:2]
    lines = [",".join(["respondent_id", "department", "wave", *items])]
    lines += [f"R{k},Nowhere,2025,x,3" for k in range(300)]
    lines.append("R999," + "X" * 1_000_000 + ",2025,3,3")
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _out, err = run(["validate", path], capsys)
    assert code == 2
    assert err.startswith("Error: 601 problems in the survey data (50 listed):")
    assert len(err.encode()) < 25_000
    code, _out, err = run(["inspect", path, "--wave", "2025"], capsys)
    assert code == 2 and "601 problems (listed above)" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("option", ["--texts", "--word-template", "--mapping"])
def test_a_file_option_naming_a_pipe_is_refused_not_opened(tmp_path, capsys, no_kernel, option):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # opening it would wait for a writer for ever
    code, _out, err = run(["render", option, pipe, "--out", tmp_path / "out"], capsys)
    assert code == 2
    assert err == f"Error: {option} {pipe}: expected a file, found a named pipe (FIFO).\n"
