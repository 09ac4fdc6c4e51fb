"""A committee folder (the briefing and its department profiles) is always one consistent unit.

The renders here run the stand-in kernel of test_render.py (the pool forks, so its workers have
it too); the data a job is "made from" is a small file of its own, so that two renders differ in
their inputs as a corrected export would.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from test_render import lang_notebook, use_stand_in_kernel

from analysis.exceptions import ParameterError, RenderError
from analysis.pipeline import batch
from analysis.pipeline.batch import FAILED, NOT_WRITTEN, RENDERED, UP_TO_DATE, Job, run_jobs


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _data(folder: Path, version: str) -> Path:
    path = folder / f"export-{version}.csv"
    path.write_text(f"respondent_id,department\nR1,BUF {version}\n", encoding="utf-8")
    return path


def _jobs(notebook: Path, out: Path, data: Path, lang: str = "da", codes=("BUF", "SUF"), fail=()) -> list[Job]:
    def job(name, folder, out_name, keep=()):
        parameters = {"lang": lang, **({"fail": True} if name in fail else {})}
        return Job(
            name=name,
            notebook=notebook,
            out_dir=folder,
            parameters=parameters,
            title="Udvalg",
            inputs=(data,),
            formats=("html",),
            out_name=out_name,
            lang=lang,
            keep=keep,
        )

    briefing = job("briefing", out, "briefing", keep=(batch.DEPARTMENTS_FOLDER,))
    return [briefing, *(job(code, out / "departments" / code, "profile") for code in codes)]


@pytest.fixture
def committee(tmp_path, monkeypatch):
    """A stand-in kernel, its notebook, an output folder and two versions of the data."""
    use_stand_in_kernel(monkeypatch)
    work = tmp_path / "work"
    work.mkdir()
    return lang_notebook(tmp_path), work / "2025", _data(tmp_path, "v1"), _data(tmp_path, "v2")


def _made_from(folder: Path, lang: str = "da") -> str:
    name = "manifest.json" if lang == "da" else f"manifest.{lang}.json"
    manifest = json.loads((folder / name).read_text(encoding="utf-8"))
    return Path(manifest["inputs"][0]["path"]).name


def test_a_briefing_from_other_data_takes_the_stale_profiles_out_and_says_so(committee, capsys):
    notebook, out, v1, v2 = committee
    assert [r.status for r in run_jobs(_jobs(notebook, out, v1), workers=2, progress=False)] == [RENDERED] * 3
    assert _made_from(out / "departments" / "BUF") == "export-v1.csv"
    # English profiles of the old data stay: they belong to the English briefing, not this one.
    run_jobs(_jobs(notebook, out, v1, lang="en", codes=("BUF",)), workers=2, progress=False)
    english = {k: v for k, v in _tree(out).items() if ".en" in k}
    capsys.readouterr()

    [result] = run_jobs(_jobs(notebook, out, v2, codes=()))  # only the briefing, from corrected data

    assert result.status == RENDERED
    assert _made_from(out) == "export-v2.csv"
    after = _tree(out)
    # No Danish profile made from the old data is left beside the new briefing ...
    assert not [k for k in after if k.startswith("departments/") and ".en" not in k]
    assert not (out / "departments" / "SUF").exists()
    # ... the English files are as they were, byte for byte ...
    assert {k: v for k, v in after.items() if ".en" in k} == english
    # ... and the run says what it took out, and how to get the profiles back.
    err = capsys.readouterr().err
    assert "Removed the da department profiles BUF, SUF" in err and "--department all" in err
    assert sorted(p.name for p in out.parent.iterdir()) == ["2025"]  # no staging or temporary folders


def test_a_briefing_from_the_same_data_keeps_its_profiles(committee, capsys):
    notebook, out, v1, _v2 = committee
    run_jobs(_jobs(notebook, out, v1), workers=2, progress=False)
    profiles = {k: v for k, v in _tree(out).items() if k.startswith("departments/")}
    capsys.readouterr()

    [result] = run_jobs(_jobs(notebook, out, v1, codes=()), force=True)

    assert result.status == RENDERED
    assert {k: v for k, v in _tree(out).items() if k.startswith("departments/")} == profiles
    assert "Removed" not in capsys.readouterr().err


def test_a_partly_failed_batch_leaves_the_previous_set_untouched(committee):
    notebook, out, v1, v2 = committee
    run_jobs(_jobs(notebook, out, v1), workers=2, progress=False)
    before = _tree(out)

    results = run_jobs(_jobs(notebook, out, v2, fail=("SUF",)), workers=2, progress=False)

    status = {r.job.name: r.status for r in results}
    assert status == {"briefing": NOT_WRITTEN, "BUF": NOT_WRITTEN, "SUF": FAILED}
    # The failed profile's notebook is kept for diagnosis beside its folder (as when it is rendered
    # alone), not in the staging area; apart from it, the briefing and profiles of v1 are all there,
    # together, byte for byte.
    kept = out / "departments" / "SUF.failed.ipynb"
    assert kept.is_file()
    assert {k: v for k, v in _tree(out).items() if k != "departments/SUF.failed.ipynb"} == before
    with pytest.raises(RenderError, match=r"nothing in .* was changed") as info:
        batch.raise_for_failures(results)
    assert "bevidst fejl" in str(info.value) and str(kept) in str(info.value)
    assert sorted(p.name for p in out.parent.iterdir()) == ["2025"]

    # When every job succeeds, the set is replaced as a whole, and the stale diagnosis goes.
    results = run_jobs(_jobs(notebook, out, v2), workers=2, progress=False)
    assert [r.status for r in results] == [RENDERED] * 3
    assert {_made_from(out), *(_made_from(out / "departments" / c) for c in ("BUF", "SUF"))} == {"export-v2.csv"}
    assert not kept.exists()
    assert results[1].paths["html"] == out / "departments" / "BUF" / "profile.html"


def test_a_failed_first_batch_writes_nothing(committee):
    notebook, out, v1, _v2 = committee
    results = run_jobs(_jobs(notebook, out, v1, fail=("briefing",)), workers=2, progress=False)
    assert {r.job.name: r.status for r in results} == {"briefing": FAILED, "BUF": NOT_WRITTEN, "SUF": NOT_WRITTEN}
    assert not out.exists()
    assert sorted(p.name for p in out.parent.iterdir()) == ["2025.failed.ipynb"]


def test_an_up_to_date_set_is_skipped_as_a_whole(committee):
    notebook, out, v1, _v2 = committee
    run_jobs(_jobs(notebook, out, v1), workers=2, progress=False)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    results = run_jobs(_jobs(notebook, out, v1), workers=2, progress=False)
    assert [r.status for r in results] == [UP_TO_DATE] * 3
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_one_profile_from_other_data_than_its_briefing_is_refused(committee, tmp_path):
    notebook, out, v1, v2 = committee
    run_jobs(_jobs(notebook, out, v1), workers=2, progress=False)
    before = _tree(out)
    [_briefing, buf, _suf] = _jobs(notebook, out, v2)
    with pytest.raises(ParameterError, match="briefing made from other data"):
        run_jobs([buf])
    assert _tree(out) == before
    # From the same data as the briefing it is rendered on its own.
    [_briefing, buf, _suf] = _jobs(notebook, out, v1)
    assert run_jobs([buf], force=True)[0].status == RENDERED


def test_a_committee_folder_with_foreign_files_in_departments_is_refused(committee):
    notebook, out, v1, _v2 = committee
    (out / "departments").mkdir(parents=True)
    (out / "departments" / "oversigt.xlsx").write_text("mine", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"oversigt\.xlsx, which this tool did not write"):
        run_jobs(_jobs(notebook, out, v1))
    assert (out / "departments" / "oversigt.xlsx").read_text(encoding="utf-8") == "mine"
