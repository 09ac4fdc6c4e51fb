"""Tests of analysis.provenance: the manifest, its cache key, and the skip-if-unchanged check.

Every file is written into tmp_path; expected hashes come from ``hashlib`` on the bytes written
(or from the published SHA-256 test vectors), never from the module's own output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import analysis
from analysis import config
from analysis.exceptions import ParameterError
from analysis.pipeline import provenance
from analysis.pipeline.provenance import (
    build_manifest,
    default_extra_files,
    is_up_to_date,
    manifest_meta,
    provenance_rows,
    read_manifest,
    record_outputs,
    sha256_file,
    write_manifest,
)

UTC = dt.UTC
STARTED = dt.datetime(2025, 11, 28, 9, 46, 0, tzinfo=UTC)
FINISHED = dt.datetime(2025, 11, 28, 9, 47, 30, tzinfo=UTC)
PARAMETERS = {"wave": 2025, "min_n": 5, "seed": 2025, "lang": "da", "title": "Modenhed i indkøbet 2025"}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    """Write a notebook, two response files, a codebook, a department list and a case file."""
    src = tmp_path / "src"
    src.mkdir()
    contents = {
        "notebook": ("briefing.ipynb", '{"cells": [], "nbformat": 4, "nbformat_minor": 5}\n'),
        "r2024": ("responses_2024.csv", "respondent_id,department,Q1\nr1,BUF,3\n"),
        "r2025": ("responses_2025.csv", "respondent_id,department,Q1\nr1,BUF,4\nr2,ØKF,2\n"),
        "codebook": ("codebook.yaml", 'version: "2025.1"\ntitle_da: "Modenhed i indkøb"\n'),
        "departments": ("departments.yaml", "departments:\n  - code: ØKF\n"),
        "cases": ("cases.yaml", "cases:\n  - title: Innovationspartnerskab\n"),
    }
    paths = {}
    for key, (name, text) in contents.items():
        paths[key] = src / name
        paths[key].write_text(text, encoding="utf-8")
    return paths


def _manifest(files: dict[str, Path], **overrides):
    kwargs = dict(
        notebook=files["notebook"],
        parameters=PARAMETERS,
        inputs=[files["r2024"], files["r2025"]],
        codebook_path=files["codebook"],
        departments_path=files["departments"],
        extra_files=[files["cases"]],
        started=STARTED,
    )
    kwargs.update(overrides)
    return build_manifest(**kwargs)


def _rendered_folder(tmp_path: Path, files: dict[str, Path]) -> tuple[Path, dict]:
    """Return an output folder as a finished render leaves it, and the manifest written there."""
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "briefing.html").write_text("<html lang='da'>Økonomiudvalget</html>", encoding="utf-8")
    (out / "briefing.pdf").write_bytes(b"%PDF-1.7 not really\n")
    (out / "tables" / "value.csv").write_text("value,score\norganisation,2.4\n", encoding="utf-8")
    manifest = record_outputs(out, _manifest(files), finished=FINISHED)
    write_manifest(out, manifest)
    return out, manifest


# --- hashing -----------------------------------------------------------------------------


def test_sha256_file_matches_published_test_vectors(tmp_path):
    abc, empty = tmp_path / "abc", tmp_path / "empty"
    abc.write_bytes(b"abc")
    empty.write_bytes(b"")
    # FIPS 180-2 test vectors.
    assert sha256_file(abc) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert sha256_file(empty) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_sha256_file_streams_files_larger_than_one_chunk(tmp_path):
    data = bytes(range(256)) * (3 * 4096 + 17)  # about 3 MiB, not a multiple of the chunk size
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    assert sha256_file(path) == _sha(data)


# --- the manifest ------------------------------------------------------------------------


def test_manifest_records_the_hashes_and_sizes_of_the_files(files):
    m = _manifest(files)
    assert m["schema"] == 1
    assert m["notebook"]["sha256"] == _sha(files["notebook"].read_bytes())
    assert [i["sha256"] for i in m["inputs"]] == [_sha(files["r2024"].read_bytes()), _sha(files["r2025"].read_bytes())]
    assert [i["bytes"] for i in m["inputs"]] == [len(files["r2024"].read_bytes()), len(files["r2025"].read_bytes())]
    assert m["codebook"]["sha256"] == _sha(files["codebook"].read_bytes())
    assert m["codebook"]["version"] == "2025.1"
    assert m["departments"]["sha256"] == _sha(files["departments"].read_bytes())
    assert m["extra_files"][0]["sha256"] == _sha(files["cases"].read_bytes())
    assert m["tool"]["name"] == "kk-procurement-briefing"
    assert m["tool"]["version"] == analysis.__version__
    assert re.fullmatch(r"[0-9a-f]{64}", m["cache_key"])


def test_manifest_times_are_iso_8601_in_utc(files):
    copenhagen = dt.timezone(dt.timedelta(hours=1))  # CET, as in November
    m = _manifest(
        files,
        started=dt.datetime(2025, 11, 28, 10, 46, 5, tzinfo=copenhagen),
        finished=dt.datetime(2025, 11, 28, 10, 48, 0, tzinfo=copenhagen),
    )
    assert m["started"] == "2025-11-28T09:46:05+00:00"
    assert m["finished"] == "2025-11-28T09:48:00+00:00"
    assert _manifest(files)["finished"] is None


def test_manifest_parameters_are_json_safe(files):
    m = _manifest(files, parameters={"responses": (files["r2025"],), "wave": 2025, "lang": "da"})
    assert m["parameters"] == {"responses": [str(files["r2025"])], "wave": 2025, "lang": "da"}
    json.dumps(m)  # raises if anything is not JSON


def test_parameters_json_cannot_hold_are_refused_with_a_clear_error(files):
    with pytest.raises(ParameterError, match="min_n"):
        _manifest(files, parameters={"min_n": float("nan")})
    with pytest.raises(ParameterError, match="object"):
        _manifest(files, parameters={"wave": object()})


def test_paths_inside_the_project_are_relative_outside_absolute(files):
    inside = config.PROJECT_DIR / "pyproject.toml"
    m = _manifest(files, notebook=inside)
    assert m["notebook"]["path"] == "pyproject.toml"
    assert m["inputs"][0]["path"] == str(files["r2024"].resolve())


def test_codebook_version_is_text_even_when_yaml_reads_a_number(files):
    files["codebook"].write_text("version: 2025.1\n", encoding="utf-8")
    assert _manifest(files)["codebook"]["version"] == "2025.1"
    files["codebook"].write_text("title_da: uden version\n", encoding="utf-8")
    assert _manifest(files)["codebook"]["version"] is None
    files["codebook"].write_text("version: [unclosed\n", encoding="utf-8")
    assert _manifest(files)["codebook"]["version"] is None


def test_a_missing_input_file_is_a_clear_error(files):
    missing = files["r2025"].with_name("responses_2026.csv")
    with pytest.raises(ParameterError, match=r"responses_2026\.csv"):
        _manifest(files, inputs=[missing])


def test_libraries_are_recorded_and_a_missing_one_is_none(files, monkeypatch):
    m = _manifest(files)
    assert set(m["libraries"]) == {
        "python",
        "pandas",
        "numpy",
        "matplotlib",
        "papermill",
        "nbconvert",
        "weasyprint",
        "openpyxl",
        "babel",
        "scipy",
    }
    assert m["libraries"]["pandas"] is not None
    monkeypatch.setattr(provenance, "LIBRARIES", ("pandas", "no-such-package-kk-briefing"))
    assert _manifest(files)["libraries"]["no-such-package-kk-briefing"] is None


# --- the cache key -----------------------------------------------------------------------


def test_cache_key_ignores_times_and_git_state(files, monkeypatch):
    key = _manifest(files)["cache_key"]
    later = STARTED + dt.timedelta(days=30)
    assert _manifest(files, started=later, finished=later + dt.timedelta(minutes=2))["cache_key"] == key
    # A commit that changes none of the decisive files must still hit the cache.
    monkeypatch.setattr(provenance, "_git_state", lambda folder: ("f" * 40, True))
    assert _manifest(files)["cache_key"] == key


def test_cache_key_ignores_the_temporary_output_dir_and_the_order_of_extra_files(files):
    key = _manifest(files, extra_files=[files["cases"], files["departments"]])["cache_key"]
    assert _manifest(files, extra_files=[files["departments"], files["cases"]])["cache_key"] == key
    plain = _manifest(files)["cache_key"]
    with_tmp = _manifest(files, parameters={**PARAMETERS, "output_dir": "/tmp/.out.tmp-abc123"})
    assert with_tmp["cache_key"] == plain


def test_cache_key_ignores_the_order_of_parameters(files):
    reordered = dict(reversed(list(PARAMETERS.items())))
    assert _manifest(files, parameters=reordered)["cache_key"] == _manifest(files)["cache_key"]


@pytest.mark.parametrize(
    "change",
    [
        "parameter",
        "input bytes",
        "notebook",
        "extra file",
        "codebook",
        "departments",
        "package version",
        "render options",
        "input list",
    ],
)
def test_cache_key_changes_with_what_decides_the_output(files, monkeypatch, change):
    key = _manifest(files)["cache_key"]
    overrides = {}
    if change == "parameter":
        overrides["parameters"] = {**PARAMETERS, "min_n": 6}
    elif change == "input bytes":
        files["r2025"].write_text("respondent_id,department,Q1\nr1,BUF,4\nr2,ØKF,3\n", encoding="utf-8")
    elif change == "notebook":
        files["notebook"].write_text('{"cells": [1], "nbformat": 4, "nbformat_minor": 5}\n', encoding="utf-8")
    elif change == "extra file":
        files["cases"].write_text("cases:\n  - title: Markedsdialog\n", encoding="utf-8")
    elif change == "codebook":
        files["codebook"].write_text('version: "2025.2"\n', encoding="utf-8")
    elif change == "departments":
        files["departments"].write_text("departments:\n  - code: BUF\n", encoding="utf-8")
    elif change == "package version":
        monkeypatch.setattr(analysis, "__version__", "0.2.0")
    elif change == "render options":
        overrides["render_options"] = {"formats": ["html"]}
    elif change == "input list":
        overrides["inputs"] = [files["r2025"]]
    assert _manifest(files, **overrides)["cache_key"] != key


# --- writing, reading, outputs -----------------------------------------------------------


def test_manifest_json_is_valid_sorted_utf8_and_round_trips(tmp_path, files):
    m = _manifest(files, finished=FINISHED)
    path = write_manifest(tmp_path, m)
    assert path == tmp_path / "manifest.json"
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert "indkøbet" in text  # ensure_ascii=False: Danish letters stay readable
    assert json.loads(text) == m
    assert read_manifest(tmp_path) == m
    top_keys = re.findall(r'^  "([^"]+)":', text, flags=re.MULTILINE)
    assert top_keys == sorted(top_keys) and "cache_key" in top_keys
    assert not list(tmp_path.glob(".manifest.json*"))  # no temporary file left behind


def test_a_failed_manifest_write_leaves_the_old_manifest(tmp_path, files, monkeypatch):
    from analysis.tables import atomic

    out = tmp_path / "out"
    out.mkdir()
    old = write_manifest(out, _manifest(files)).read_text(encoding="utf-8")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_manifest(out, _manifest(files, finished=FINISHED))
    assert (out / "manifest.json").read_text(encoding="utf-8") == old
    assert [p.name for p in out.iterdir()] == ["manifest.json"]


@pytest.mark.parametrize("content", [None, b'{"cache_key": "abc"', b"[1, 2]", b"\xff\xfe{}", b""])
def test_read_manifest_gives_none_for_missing_or_corrupt_files(tmp_path, content):
    if content is not None:
        (tmp_path / "manifest.json").write_bytes(content)
    assert read_manifest(tmp_path) is None


def test_record_outputs_hashes_every_file_but_the_manifest(tmp_path, files):
    _out, manifest = _rendered_folder(tmp_path, files)
    assert manifest["outputs"] == {
        "briefing.html": _sha("<html lang='da'>Økonomiudvalget</html>".encode()),
        "briefing.pdf": _sha(b"%PDF-1.7 not really\n"),
        "tables/value.csv": _sha(b"value,score\norganisation,2.4\n"),
    }
    assert manifest["finished"] == "2025-11-28T09:47:30+00:00"


def test_record_outputs_does_not_change_the_manifest_it_is_given(tmp_path, files):
    m = _manifest(files)
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    record_outputs(tmp_path, m, finished=FINISHED)
    assert "outputs" not in m and m["finished"] is None


# --- is_up_to_date -----------------------------------------------------------------------


def test_an_untouched_folder_is_up_to_date_for_a_later_run(tmp_path, files):
    out, _ = _rendered_folder(tmp_path, files)
    later = STARTED + dt.timedelta(hours=5)
    assert is_up_to_date(out, _manifest(files, started=later))


def test_a_deleted_output_is_not_up_to_date(tmp_path, files):
    out, _ = _rendered_folder(tmp_path, files)
    (out / "briefing.pdf").unlink()
    assert not is_up_to_date(out, _manifest(files))


@pytest.mark.parametrize("name", ["briefing.pdf", "tables/value.csv"])
def test_an_edited_output_is_not_up_to_date(tmp_path, files, name):
    out, _ = _rendered_folder(tmp_path, files)
    with open(out / name, "ab") as f:
        f.write(b"edited")
    assert not is_up_to_date(out, _manifest(files))


def test_a_corrupt_or_missing_manifest_is_not_up_to_date(tmp_path, files):
    out, _ = _rendered_folder(tmp_path, files)
    text = (out / "manifest.json").read_text(encoding="utf-8")
    (out / "manifest.json").write_text(text[: len(text) // 2], encoding="utf-8")
    assert not is_up_to_date(out, _manifest(files))
    (out / "manifest.json").unlink()
    assert not is_up_to_date(out, _manifest(files))
    assert not is_up_to_date(tmp_path / "never-rendered", _manifest(files))


def test_changed_inputs_are_not_up_to_date(tmp_path, files):
    out, _ = _rendered_folder(tmp_path, files)
    assert not is_up_to_date(out, _manifest(files, parameters={**PARAMETERS, "seed": 1}))


def test_a_manifest_without_outputs_vouches_for_nothing(tmp_path, files):
    # E.g. the manifest render writes before executing, if a folder ever kept it alone.
    write_manifest(tmp_path, _manifest(files))
    assert not is_up_to_date(tmp_path, _manifest(files))


# --- git ---------------------------------------------------------------------------------


def _project_is_git_repo() -> bool:
    if shutil.which("git") is None:
        return False
    done = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=config.PROJECT_DIR, capture_output=True, text=True, check=False
    )
    return done.returncode == 0 and Path(done.stdout.strip()).resolve() == config.PROJECT_DIR


@pytest.mark.skipif(not _project_is_git_repo(), reason="the project is not a git work tree")
def test_git_commit_is_the_project_head(files):
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=config.PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.strip()
    tool = _manifest(files)["tool"]
    assert re.fullmatch(r"[0-9a-f]{40}", tool["git_commit"])
    assert tool["git_commit"] == head
    assert isinstance(tool["git_dirty"], bool)


def test_a_folder_that_is_not_a_repository_has_no_git_state(tmp_path):
    assert provenance._git_state(tmp_path) == (None, None)


# --- meta tags and appendix rows ---------------------------------------------------------


def test_manifest_meta_has_the_pdf_fields_and_the_provenance(files, monkeypatch):
    monkeypatch.setattr(provenance, "_git_state", lambda folder: ("a" * 40, True))
    m = _manifest(files)
    meta = manifest_meta(m)
    assert meta["author"] == "Københavns Kommune, Økonomiforvaltningen"
    assert meta["keywords"] == "indkøb, modenhed, indkøbspolitik, Økonomiudvalget, innovation, partnerskaber"
    assert meta["generator"] == f"kk-procurement-briefing {analysis.__version__}"
    assert meta["dcterms.created"] == "2025-11-28T09:46:00+00:00"
    assert meta["briefing.cache-key"] == m["cache_key"]
    assert meta["briefing.codebook-version"] == "2025.1"
    assert meta["briefing.git-commit"] == "a" * 40 + "-dirty"
    r2024 = _sha(files["r2024"].read_bytes())[:12]
    r2025 = _sha(files["r2025"].read_bytes())[:12]
    assert meta["briefing.inputs"] == f"responses_2024.csv:{r2024}; responses_2025.csv:{r2025}"
    description = meta["description"]
    assert description.endswith(".") and description.count(".") == 2  # one sentence ("2025.1")
    for expected in ("2025", "gruppestørrelse 5", "seed 2025", "kodebog 2025.1"):
        assert expected in description
    assert all(isinstance(v, str) for v in meta.values())


def test_manifest_meta_in_english(files):
    meta = manifest_meta(_manifest(files), lang="en")
    assert meta["keywords"].startswith("procurement, maturity")
    assert "minimum group size 5" in meta["description"]
    with pytest.raises(ParameterError, match="lang"):
        manifest_meta(_manifest(files), lang="de")


def test_provenance_rows_in_danish(files, monkeypatch):
    monkeypatch.setattr(provenance, "_git_state", lambda folder: ("0123456789ab" + "c" * 28, False))
    rows = provenance_rows(_manifest(files))
    assert [label for label, _ in rows] == [
        "Kodebog",
        "Programversion",
        "Git-commit",
        "Inddata",
        "Parametre",
        "Biblioteker",
        "Kørt",
    ]
    values = dict(rows)
    assert values["Kodebog"].startswith("2025.1")
    assert values["Git-commit"] == "0123456789ab"
    r2025 = _sha(files["r2025"].read_bytes())[:12]
    assert f"responses_2025.csv: {r2025}" in values["Inddata"]
    assert "min_n = 5" in values["Parametre"] and "seed = 2025" in values["Parametre"]
    assert values["Biblioteker"].startswith("Python 3.")
    # 09:46 UTC on 28 November is 10:46 in Copenhagen (CET, UTC+1).
    assert values["Kørt"] == "2025-11-28 10:46 (dansk tid)"


def test_provenance_rows_outside_git_and_in_english(files, monkeypatch):
    monkeypatch.setattr(provenance, "_git_state", lambda folder: (None, None))
    rows = dict(provenance_rows(_manifest(files), lang="en"))
    assert rows["Git commit"] == "not run from a git repository"
    assert rows["Run"] == "2025-11-28 10:46 (Copenhagen time)"


def test_default_extra_files_cover_template_cases_and_code():
    names = {p.relative_to(config.PROJECT_DIR).as_posix() for p in default_extra_files()}
    assert {
        "data/cases.yaml",
        "analysis/report/templates/briefing/briefing.css",
        "analysis/report/templates/briefing/index.html.j2",
        "analysis/stats/scoring.py",
    } <= names
    assert not any("__pycache__" in n for n in names)
