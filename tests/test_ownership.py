"""The tool never replaces or deletes what it did not write: render, score and sample.

Every output folder carries a manifest of what the tool wrote there; a command replaces only
those files (or the names its own naming rules give, such as ``briefing.*`` and ``tables/``)
and refuses, with exit code 2 and before any kernel starts, a folder that holds anything else or
an input.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from test_render import lang_notebook, use_stand_in_kernel

from analysis import cli, config
from analysis.exceptions import ParameterError
from analysis.pipeline.render import render_notebook


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run(argv, capsys):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_kernel(monkeypatch):
    """Fail the test if a notebook is executed."""
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


def _earlier_render(out: Path) -> None:
    """Files as an earlier render left them (the plain names a render owns)."""
    (out / "tables").mkdir(parents=True)
    for name in ("briefing.ipynb", "briefing.html", "bilag.html", "tables/maturity_by_value.csv"):
        (out / name).write_text(f"earlier {name}", encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"cache_key": "x", "outputs": {}}), encoding="utf-8")


# --- render ----------------------------------------------------------------------------------


def test_a_render_never_deletes_a_file_it_did_not_write(tmp_path, capsys, no_kernel):
    """A foreign file and an input inside --out: both refused with exit 2, before any kernel, nothing touched."""
    out = tmp_path / "2025"
    _earlier_render(out)
    export = out / "eksport_2025.csv"
    shutil.copyfile(config.sample_files()[-1], export)
    before = _tree(out)

    code, _out, err = run(["render", "-r", export, "--wave", "2025", "--out", out, "--formats", "html"], capsys)
    assert code == 2 and "Traceback" not in err
    assert "contains an input of this render" in err and str(export) in err
    assert _tree(out) == before

    # An input elsewhere, but a file of the user's own in the folder: refused too, naming it.
    export.rename(tmp_path / "eksport_2025.csv")
    (out / "noter.docx").write_text("mine", encoding="utf-8")
    before = _tree(out)
    code, _out, err = run(["render", "-r", tmp_path / "eksport_2025.csv", "--out", out, "--formats", "html"], capsys)
    assert code == 2 and "Traceback" not in err
    assert "noter.docx, which this tool did not write" in err and "--out" in err
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025", "eksport_2025.csv"]  # nothing beside it


def test_a_render_carries_over_what_it_does_not_own(tmp_path, monkeypatch):
    """Even past the check, the swap moves into place only the render's own entries."""
    from analysis.pipeline import render

    use_stand_in_kernel(monkeypatch)
    notebook, out = lang_notebook(tmp_path), tmp_path / "2025"
    render_notebook(notebook, out, {"lang": "da"}, formats=("html",), title="T", progress=False, quiet=True)
    (out / ".DS_Store").write_bytes(b"finder")  # a file browser's clutter is never refused nor removed
    monkeypatch.setattr(render, "check_output_folder", lambda *a, **k: None)
    (out / "noter.txt").write_text("mine", encoding="utf-8")
    (out / "briefing.pdf").write_text("an earlier render's PDF", encoding="utf-8")

    render_notebook(notebook, out, {"lang": "da"}, formats=("html",), title="T", progress=False, quiet=True)

    assert (out / "noter.txt").read_text(encoding="utf-8") == "mine"
    assert (out / ".DS_Store").read_bytes() == b"finder"
    assert not (out / "briefing.pdf").exists()  # its own: replaced as a whole (no PDF asked for)


def test_an_entry_listed_in_the_render_manifest_is_its_own(tmp_path, monkeypatch, no_kernel):
    from analysis.pipeline.render import check_output_folder, owned_names

    out = tmp_path / "2025"
    _earlier_render(out)
    (out / "figurer.zip").write_text("zip", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"figurer\.zip"):
        check_output_folder(out, lang_notebook(tmp_path), "briefing")
    (out / "manifest.json").write_text(json.dumps({"outputs": {"figurer.zip": "x"}}), encoding="utf-8")
    check_output_folder(out, lang_notebook(tmp_path), "briefing")
    assert owned_names(out, "briefing", "da")("figurer.zip")
    assert not owned_names(out, "briefing", "en")("figurer.zip")


# --- score -----------------------------------------------------------------------------------


def test_score_refuses_an_input_inside_its_tables_folder(tmp_path, capsys):
    tables = tmp_path / "out" / "tables"
    tables.mkdir(parents=True)
    export = tables / "svar.csv"
    shutil.copyfile(config.sample_files()[-1], export)
    code, _out, err = run(["score", "-r", export, "--out", tmp_path / "out", "--resamples", "100"], capsys)
    assert code == 2 and "Traceback" not in err and str(export) in err and "holds an input" in err
    assert [p.name for p in tables.iterdir()] == ["svar.csv"]


def test_score_refuses_a_tables_folder_holding_files_it_never_wrote(tmp_path, capsys):
    tables = tmp_path / "out" / "tables"
    tables.mkdir(parents=True)
    (tables / "mine.xlsx").write_text("mine", encoding="utf-8")
    code, _out, err = run(["score", "--out", tmp_path / "out", "--resamples", "100"], capsys)
    assert code == 2 and "mine.xlsx, which this tool did not write" in err and "Traceback" not in err
    assert [p.name for p in tables.iterdir()] == ["mine.xlsx"]


def test_score_writes_a_manifest_and_replaces_its_own_tables(tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["score", "--out", out, "--resamples", "100"], capsys)[0] == 0
    manifest = json.loads((out / "tables" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "score" and manifest["parameters"]["resamples"] == 100
    assert {Path(i["path"]).name for i in manifest["inputs"]} == {p.name for p in config.sample_files()}
    written = sorted(p.name for p in (out / "tables").iterdir() if p.name != "manifest.json")
    assert sorted(manifest["outputs"]) == written and "briefing_tables.xlsx" in written
    # Its own folder (listed in its manifest) is replaced on the next run; nothing is left beside it.
    code, _out, err = run(["score", "--out", out, "--resamples", "100", "--seed", "7"], capsys)
    assert code == 0, err
    assert json.loads((out / "tables" / "manifest.json").read_text(encoding="utf-8"))["parameters"]["seed"] == 7
    assert sorted(p.name for p in out.iterdir()) == ["tables"]


# --- sample ----------------------------------------------------------------------------------


def test_sample_never_overwrites_real_exports(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "responses_2025.csv").write_text("respondent_id,department,wave\nREAL-1,BUF,2025\n", encoding="utf-8")
    (raw / "README.md").write_text("# Our notes\n", encoding="utf-8")
    before = _tree(raw)
    code, _out, err = run(["sample", "--out", raw], capsys)
    assert code == 2 and "Traceback" not in err
    assert "responses_2025.csv, README.md, which `briefing sample` did not write" in err
    assert _tree(raw) == before  # nothing written, not even the files that were free


def test_sample_rewrites_only_its_own_unchanged_files(tmp_path, capsys):
    out = tmp_path / "sample"
    assert run(["sample", "--out", out, "--seed", "3"], capsys)[0] == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "sample" and sorted(manifest["outputs"]) == sorted(
        p.name for p in out.iterdir() if p.name != "manifest.json"
    )
    # Its own files, listed in its manifest, are replaced by another seed's ...
    assert run(["sample", "--out", out, "--seed", "4"], capsys)[0] == 0
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["seed"] == 4
    # ... but not once someone edited one of them.
    edited = out / "responses_2024.csv"
    edited.write_text(edited.read_text(encoding="utf-8") + "R99,BUF,2024\n", encoding="utf-8")
    before = _tree(out)
    code, _out, err = run(["sample", "--out", out, "--seed", "5"], capsys)
    assert code == 2 and "responses_2024.csv" in err
    assert _tree(out) == before


def test_sample_does_not_take_a_render_manifest_for_its_own(tmp_path, capsys):
    out = tmp_path / "2025"
    _earlier_render(out)
    before = _tree(out)
    code, _out, err = run(["sample", "--out", out], capsys)
    assert code == 2 and "manifest.json" in err
    assert _tree(out) == before
