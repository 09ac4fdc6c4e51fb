"""Provenance, caching and batch rendering of the briefing and the department profiles."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
import pytest
from test_render import lang_notebook, use_stand_in_kernel

from analysis import cli, config
from analysis.exceptions import RenderError
from analysis.pipeline import batch
from analysis.pipeline.batch import FAILED, RENDERED, UP_TO_DATE, Job, run_jobs

FIXTURES = Path(__file__).parent / "fixtures"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _params_job(out: Path, **parameters) -> Job:
    """Return a job that renders the small parameterised fixture, with the sample as its data."""
    return Job(
        name="params",
        notebook=FIXTURES / "params.ipynb",
        out_dir=out,
        parameters={"seed": 2025, **parameters},
        title="Prøve",
        inputs=tuple(config.sample_files()),
        formats=("html",),
    )


@pytest.fixture(scope="module")
def rendered_once(tmp_path_factory):
    """Render the parameterised fixture once, through the same code path as ``briefing render``."""
    out = tmp_path_factory.mktemp("cache") / "2025"
    [result] = run_jobs([_params_job(out)])
    assert result.status == RENDERED, result.message
    return out


@pytest.mark.slow
def test_manifest_records_inputs_parameters_and_outputs(rendered_once):
    manifest = json.loads((rendered_once / "manifest.json").read_text(encoding="utf-8"))
    by_name = {Path(i["path"]).name: i["sha256"] for i in manifest["inputs"]}
    for path in config.sample_files():
        assert by_name[path.name] == sha256(path)
    assert manifest["codebook"]["sha256"] == sha256(config.CODEBOOK_PATH)
    assert manifest["codebook"]["version"] == "2026.1"
    assert manifest["parameters"]["seed"] == 2025
    assert manifest["outputs"]["briefing.html"] == sha256(rendered_once / "briefing.html")
    assert manifest["outputs"]["tables/seed.csv"] == sha256(rendered_once / "tables" / "seed.csv")
    assert "manifest.json" not in manifest["outputs"]


@pytest.mark.slow
def test_identical_second_run_is_skipped_and_force_renders(rendered_once):
    before = {p.name: p.stat().st_mtime_ns for p in rendered_once.iterdir()}
    [skipped] = run_jobs([_params_job(rendered_once)])
    assert skipped.status == UP_TO_DATE and "use --force" in skipped.message
    assert {p.name: p.stat().st_mtime_ns for p in rendered_once.iterdir()} == before
    [forced] = run_jobs([_params_job(rendered_once)], force=True)
    assert forced.status == RENDERED
    assert (rendered_once / "briefing.html").stat().st_mtime_ns != before["briefing.html"]


@pytest.mark.slow
def test_changed_parameters_or_edited_output_render_again(rendered_once):
    (rendered_once / "briefing.html").write_text("edited by hand", encoding="utf-8")
    [again] = run_jobs([_params_job(rendered_once)])
    assert again.status == RENDERED
    assert "edited by hand" not in (rendered_once / "briefing.html").read_text(encoding="utf-8")
    [changed] = run_jobs([_params_job(rendered_once, seed=7)])
    assert changed.status == RENDERED
    manifest = json.loads((rendered_once / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["seed"] == 7
    assert "seed 7" in (rendered_once / "briefing.html").read_text(encoding="utf-8")


def test_the_cli_says_when_the_output_is_up_to_date(tmp_path, monkeypatch, capsys):
    """``briefing render`` skips a job whose output is current and says how to force it."""
    up_to_date = batch.JobResult(_params_job(tmp_path / "2025"), UP_TO_DATE, 0.0, "same everything; use --force")

    def run_nothing(jobs, **kwargs):
        return [up_to_date] * len(jobs)

    monkeypatch.setattr(batch, "run_jobs", run_nothing)
    assert cli.main(["render", "--out", str(tmp_path / "2025"), "--formats", "html"]) == 0
    assert "is up to date" in capsys.readouterr().out


def _fixture_job(tmp_path: Path, name: str, notebook: str, out: Path | None = None) -> Job:
    return Job(
        name=name,
        notebook=FIXTURES / notebook,
        out_dir=out or tmp_path / name,
        parameters={},
        title=f"Prøve {name}",
        inputs=tuple(config.sample_files()),
        formats=("html",),
    )


@pytest.mark.slow
def test_a_failing_job_does_not_stop_the_others(tmp_path):
    jobs = [
        _fixture_job(tmp_path, "a", "ok.ipynb"),
        _fixture_job(tmp_path, "bad", "fails.ipynb"),
        _fixture_job(tmp_path, "b", "ok.ipynb"),
    ]
    results = run_jobs(jobs, workers=2, progress=False)
    status = {r.job.name: r.status for r in results}
    assert status == {"a": RENDERED, "bad": FAILED, "b": RENDERED}
    assert (tmp_path / "a" / "briefing.html").exists() and (tmp_path / "b" / "briefing.html").exists()
    assert not (tmp_path / "bad").exists()
    with pytest.raises(RenderError, match="1 of 3 renders failed") as err:
        batch.raise_for_failures(results)
    assert "bevidst fejl" in str(err.value)
    again = run_jobs(jobs[:1] + jobs[2:], workers=2, progress=False)
    assert {r.status for r in again} == {UP_TO_DATE}


@pytest.mark.slow
def test_nested_jobs_are_staged_and_kept_by_the_outer_render(tmp_path):
    outer = tmp_path / "2025"
    inner = outer / "departments" / "X"
    jobs = [_fixture_job(tmp_path, "outer", "ok.ipynb", outer), _fixture_job(tmp_path, "X", "ok.ipynb", inner)]
    jobs[0] = Job(**{**jobs[0].__dict__, "keep": ("departments",)})
    results = run_jobs(jobs, workers=2, progress=False)
    assert [r.status for r in results] == [RENDERED, RENDERED]
    assert (outer / "briefing.html").exists() and (inner / "briefing.html").exists()
    assert results[1].paths["html"] == inner / "briefing.html"
    # Rendering the outer folder again keeps the profiles inside it.
    assert run_jobs(jobs[:1] * 1, force=True)[0].status == RENDERED
    assert (inner / "briefing.html").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_department_all_renders_briefing_and_profiles_and_reports_a_failure(tmp_path, monkeypatch, capsys):
    """The end-to-end test: ``briefing render --department all`` with the real notebooks.

    The briefing and the seven profiles are written together; then, with one profile failing on
    purpose (an extra cell raises), the run exits 2, names it, and changes nothing in the folder.
    """
    out = tmp_path / "2025"
    argv = ["render", "--department", "all", "--out", str(out), "--formats", "html", "--workers", "2"]
    code = cli.main(argv)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["min_n"] == 5 and manifest["parameters"]["wave"] == 2025
    assert "tables/maturity_by_value.csv" in manifest["outputs"]
    html = (out / "bilag.html").read_text(encoding="utf-8")  # provenance is Bilag 4, in the Bilag document
    assert manifest["cache_key"] in html and "Bilag 4. Sporbarhed" in html
    written = sorted(p.name for p in (out / "departments").iterdir())
    assert written == sorted(["ØKF", "BUF", "SUF", "SOF", "TMF", "KFF", "BIF"])
    for code_ in written:
        assert (out / "departments" / code_ / "profile.html").exists()
        assert (out / "departments" / code_ / "tables" / f"profile_{code_}.csv").exists()
    # The summary table lists every output with its status and time.
    assert captured.out.count("rendered") == 8
    before = {p.relative_to(out).as_posix(): sha256(p) for p in sorted(out.rglob("*")) if p.is_file()}

    broken = nbformat.read(batch.PROFILE_NOTEBOOK, as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("bevidst fejl i profilen")'))
    broken_path = tmp_path / "department_broken.ipynb"
    nbformat.write(broken, broken_path)
    plan = batch.plan_jobs

    def plan_with_a_broken_profile(*args, **kwargs):
        jobs = plan(*args, **kwargs)
        return [Job(**{**job.__dict__, "notebook": broken_path}) if job.name == "BUF" else job for job in jobs]

    monkeypatch.setattr(batch, "plan_jobs", plan_with_a_broken_profile)
    code = cli.main(argv)
    captured = capsys.readouterr()
    assert code == 2
    assert "1 of 8 renders failed, so nothing in" in captured.err and "BUF" in captured.err
    assert "bevidst fejl i profilen" in captured.err
    assert "failed" in captured.out and "7 up to date" in captured.out
    # The folder keeps the briefing and profiles it had, together; the failed notebook is kept beside BUF's.
    after = {p.relative_to(out).as_posix(): sha256(p) for p in sorted(out.rglob("*")) if p.is_file()}
    assert after.pop("departments/BUF.failed.ipynb", None) is not None
    assert after == before
    # Nothing is left behind in the staging area.
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_pool_jobs_draw_their_charts_in_their_own_kernel(tmp_path):
    from analysis.survey.codebook import load_departments

    jobs = batch.plan_jobs(
        config.sample_files(),
        wave=2025,
        out=tmp_path / "2025",
        department="all",
        departments=load_departments(),
        min_n=5,
        seed=2025,
        lang="da",
        formats=("html",),
    )
    other = Job(
        name="fixture",
        notebook=config.PROJECT_DIR / "tests" / "fixtures" / "ok.ipynb",
        out_dir=tmp_path / "x",
        parameters={},
        title="x",
        inputs=(),
    )
    serial = batch.serial_chart_jobs([*jobs, other])
    assert len(jobs) == 8
    assert all(j.parameters["chart_background"] is False for j in serial[:8])
    assert serial[8].parameters == {}, "a notebook without the parameter is left as it is"
    assert all("chart_background" not in j.parameters for j in jobs), "the planned jobs are not changed"


# --- languages side by side (a stand-in kernel, see test_render.py) ------------------------


def _lang_job(notebook: Path, out: Path, lang: str, name: str = "briefing", out_name: str = "briefing", **kw) -> Job:
    return Job(
        name=name,
        notebook=notebook,
        out_dir=out,
        parameters={"lang": lang},
        title="Sprog",
        inputs=tuple(config.sample_files()),
        formats=("html",),
        out_name=out_name,
        lang=lang,
        **kw,
    )


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_each_language_is_cached_on_its_own(tmp_path, monkeypatch):
    use_stand_in_kernel(monkeypatch)
    notebook, out = lang_notebook(tmp_path), tmp_path / "2025"
    da, en = _lang_job(notebook, out, "da"), _lang_job(notebook, out, "en")
    assert batch.manifest_for(da)["cache_key"] != batch.manifest_for(en)["cache_key"]
    assert batch.manifest_for(en)["render_options"]["lang"] == "en"

    assert run_jobs([da])[0].status == RENDERED
    # The Danish output does not make the English one up to date ...
    assert run_jobs([en])[0].status == RENDERED
    # ... and each language, rendered once, is skipped the second time.
    before = _tree(out)
    assert [run_jobs([en])[0].status, run_jobs([da])[0].status] == [UP_TO_DATE, UP_TO_DATE]
    assert _tree(out) == before
    # An edited English file renders English again, and leaves the Danish files as they were.
    (out / "briefing.en.html").write_text("edited", encoding="utf-8")
    assert run_jobs([en])[0].status == RENDERED
    danish = {k: v for k, v in before.items() if ".en" not in k}
    assert {k: v for k, v in _tree(out).items() if ".en" not in k} == danish
    assert run_jobs([da])[0].status == UP_TO_DATE


def test_department_all_in_english_writes_profile_en_beside_the_danish_profiles(tmp_path, monkeypatch):
    """The staged profiles (``--department all``) keep the other language's files when moved in."""
    use_stand_in_kernel(monkeypatch)  # the pool forks, so the workers have it too
    notebook, out = lang_notebook(tmp_path), tmp_path / "2025"

    def jobs(lang):
        return [
            _lang_job(notebook, out, lang, keep=("departments",)),
            _lang_job(notebook, out / "departments" / "BUF", lang, name="BUF", out_name="profile"),
        ]

    assert [r.status for r in run_jobs(jobs("da"), workers=2, progress=False)] == [RENDERED, RENDERED]
    danish = _tree(out)
    results = run_jobs(jobs("en"), workers=2, progress=False)
    assert [r.status for r in results] == [RENDERED, RENDERED]
    after = _tree(out)
    assert {k: after.get(k) for k in danish} == danish
    assert sorted(set(after) - set(danish)) == [
        "briefing.en.html",
        "briefing.en.ipynb",
        "departments/BUF/manifest.en.json",
        "departments/BUF/profile.en.html",
        "departments/BUF/profile.en.ipynb",
        "departments/BUF/tables.en/scores.csv",
        "departments/BUF/tables.en/workbook.txt",
        "manifest.en.json",
        "tables.en/scores.csv",
        "tables.en/workbook.txt",
    ]
    assert results[1].paths["html"] == out / "departments" / "BUF" / "profile.en.html"
    # And back: a Danish batch (forced) keeps every English file.
    english = {k: v for k, v in after.items() if ".en" in k}
    run_jobs(jobs("da"), workers=2, force=True, progress=False)
    assert {k: v for k, v in _tree(out).items() if ".en" in k} == english
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_the_real_briefing_in_english_beside_a_danish_one(tmp_path):
    """End to end: ``briefing render --lang en`` into a folder holding a Danish render."""
    out = tmp_path / "2025"
    (out / "tables").mkdir(parents=True)
    (out / "departments" / "BUF").mkdir(parents=True)
    for name in ("briefing.ipynb", "briefing.html", "briefing.pdf", "manifest.json", "tables/maturity_by_value.csv"):
        (out / name).write_text(f"dansk {name}", encoding="utf-8")
    (out / "departments" / "BUF" / "profile.html").write_text("dansk profil", encoding="utf-8")
    danish = _tree(out)

    assert cli.main(["render", "--lang", "en", "--out", str(out), "--formats", "html"]) == 0

    after = _tree(out)
    assert {k: after.get(k) for k in danish} == danish
    assert {"briefing.en.ipynb", "briefing.en.html", "manifest.en.json"} <= set(after)
    assert "tables.en/maturity_by_value.csv" in after and "tables.en/briefing_tables.xlsx" in after
    manifest = json.loads((out / "manifest.en.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["lang"] == "en" and manifest["render_options"]["lang"] == "en"
    assert all(".en" in rel.split("/")[0] for rel in manifest["outputs"])
    html = (out / "briefing.en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and manifest["cache_key"] in html  # its own manifest in the appendix
