"""Rendering the committee briefing and the department profiles, with provenance and caching.

One render is a :class:`Job`: a notebook, its parameters and the folder it fills. Before a job
runs, its manifest (:mod:`analysis.pipeline.provenance`) is computed; when the folder already holds the
output of the same notebook, data, codebook, parameters and code, the job is skipped. Several
jobs run in a bounded pool of worker processes, each render with its own temporary folder and
its own kernel (on a private IPC socket, see :mod:`analysis.pipeline.execute`), and one overall progress
bar. A failing job does not stop the others.

The profiles live inside the briefing's folder (``<out>/departments/<CODE>``), and the briefing
replaces its folder as a whole when it finishes. So that the two never touch the same folder
at the same time, a batch renders the profiles into a staging folder beside the briefing's and
moves each finished profile into place after the pool is done.

Languages share the folders: ``--lang en`` writes ``briefing.en.*`` and ``profile.en.*`` beside
the Danish ``briefing.*`` and ``profile.*`` and never touches them (nor they it); each language
has its own manifest, so each is up to date or not on its own, and the language is part of the
cache key.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import config
from ..exceptions import BriefingError, ParameterError, RenderError
from .output import replace_directory

BRIEFING_NOTEBOOK = config.NOTEBOOKS_DIR / "briefing.ipynb"
PROFILE_NOTEBOOK = config.NOTEBOOKS_DIR / "department.ipynb"
#: Sub-folder of the briefing's output that holds the profiles.
DEPARTMENTS_FOLDER = "departments"

RENDERED, UP_TO_DATE, FAILED = "rendered", "up to date", "failed"


@dataclass(frozen=True)
class Job:
    """One notebook to render into one output folder."""

    name: str
    notebook: Path
    out_dir: Path
    parameters: dict[str, Any]
    title: str
    inputs: tuple[Path, ...]
    formats: tuple[str, ...] = ("html", "pdf", "docx")
    out_name: str = "briefing"
    lang: str = "da"
    keep: tuple[str, ...] = ()
    #: Where the render actually writes, when it differs from ``out_dir`` (staging in a batch).
    write_dir: Path | None = None
    #: A Word file whose styles the .docx documents take (the municipality's own template).
    word_template: str = ""


@dataclass(frozen=True)
class JobResult:
    """What happened to one job."""

    job: Job
    status: str
    seconds: float
    message: str = ""
    paths: dict[str, Path] = field(default_factory=dict)


def plan_jobs(
    inputs: Sequence[Path],
    *,
    wave: int,
    out: Path,
    department: str | None,
    departments,
    min_n: int,
    seed: int,
    lang: str,
    formats: tuple[str, ...],
    title: str = "",
    economy_text: str = "",
    next_steps_text: str = "",
    sheet: str | None = None,
    reading: dict | None = None,
    files_read: Sequence[str | Path] | None = None,
    texts: str | Path = "",
    word_template: str | Path = "",
) -> list[Job]:
    """Return the renders asked for: the briefing, one profile, or the briefing and every profile.

    ``department`` is None (the briefing), ``"all"`` (the briefing and the seven profiles) or a
    department code, name or alias (that profile only). ``reading`` holds the options of
    :func:`~analysis.survey.loading.load_responses` that say how to read the exports (source,
    mapping, department column, complete only); ``files_read`` every file they read (a SurveyXact
    dataset's labels and structure, the mapping), recorded and hashed in the manifest.
    """
    from ..report.briefing import default_title

    given = tuple(Path(p).resolve() for p in inputs)
    inputs = tuple(Path(p).resolve() for p in files_read) if files_read else given
    if str(texts):
        inputs = (*inputs, Path(texts).resolve())
    template = str(Path(word_template).resolve()) if str(word_template) else ""
    if template:
        inputs = (*inputs, Path(template))
    common = {
        "responses": [str(p) for p in given],
        "wave": wave,
        "min_n": min_n,
        "seed": seed,
        "lang": lang,
        "sheet": sheet or "",
        "reading": dict(reading or {}),
    }
    out = Path(out).resolve()
    briefing = Job(
        name="briefing",
        notebook=BRIEFING_NOTEBOOK,
        out_dir=out,
        title=title or default_title(wave, lang),
        parameters={
            **common,
            "title": title or default_title(wave, lang),
            "economy_text": economy_text,
            "next_steps_text": next_steps_text,
            "texts": str(Path(texts).resolve()) if str(texts) else "",
        },
        inputs=inputs,
        formats=formats,
        out_name="briefing",
        lang=lang,
        keep=(DEPARTMENTS_FOLDER,),
        word_template=template,
    )
    if department is None:
        return [briefing]
    if department.lower() == "all":
        codes = list(departments.codes)
    else:
        code = departments.resolve(department)
        if code is None:
            raise ParameterError(
                f"--department {department!r} is not a department; use 'all' or one of {', '.join(departments.codes)}."
            )
        codes = [code]
    profiles = [
        Job(
            name=code,
            notebook=PROFILE_NOTEBOOK,
            out_dir=out / DEPARTMENTS_FOLDER / code,
            title=_profile_title(code, wave, lang, departments),
            parameters={**common, "department": code, "title": _profile_title(code, wave, lang, departments)},
            inputs=inputs,
            formats=formats,
            out_name="profile",
            lang=lang,
            word_template=template,
        )
        for code in codes
    ]
    return [briefing, *profiles] if department.lower() == "all" else profiles


def _profile_title(code: str, wave: int, lang: str, departments) -> str:
    from ..report.profile import default_profile_title

    return default_profile_title(departments[code].name(lang), code, wave, lang)


def job_language(job: Job) -> str:
    """Return the language a job's render writes: its ``lang`` parameter, else the notebook's."""
    from .render import output_language

    return output_language(job.notebook, job.parameters)


def manifest_for(job: Job, started: datetime | None = None) -> dict:
    """Return the provenance manifest of a job (its cache key decides whether it must run)."""
    from .provenance import build_manifest, default_extra_files

    return build_manifest(
        notebook=job.notebook,
        parameters=job.parameters,
        inputs=list(job.inputs),
        extra_files=default_extra_files(),
        render_options={"formats": sorted(job.formats), "out_name": job.out_name, "lang": job_language(job)},
        started=started or datetime.now(UTC),
    )


def run_job(job: Job, force: bool = False, quiet: bool = True) -> JobResult:
    """Render one job unless its output is up to date; never raise for a failed render."""
    from .provenance import is_up_to_date, manifest_meta
    from .render import render_notebook

    start = time.perf_counter()
    try:
        manifest = manifest_for(job)
        if not force and is_up_to_date(job.out_dir, manifest, lang=manifest["render_options"]["lang"]):
            return JobResult(
                job,
                UP_TO_DATE,
                time.perf_counter() - start,
                f"same notebook, data, codebook, parameters and code as the existing output "
                f"(cache key {manifest['cache_key'][:12]}); use --force to render again",
            )
        result = render_notebook(
            job.notebook,
            job.write_dir or job.out_dir,
            job.parameters,
            formats=job.formats,
            title=job.title,
            progress=False if quiet else None,
            metadata=manifest_meta(manifest, lang=job.lang),
            out_name=job.out_name,
            manifest=manifest,
            keep=job.keep,
            quiet=quiet,
            word_template=job.word_template or None,
        )
        return JobResult(job, RENDERED, time.perf_counter() - start, paths=result.paths)
    except BriefingError as exc:
        return JobResult(job, FAILED, time.perf_counter() - start, str(exc))
    except Exception as exc:
        return JobResult(job, FAILED, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")


def run_jobs(
    jobs: Sequence[Job], *, workers: int | None = None, force: bool = False, progress: bool | None = None
) -> list[JobResult]:
    """Run jobs (in a pool of worker processes when there are several) and return their results.

    A single job runs in this process and prints its steps; several run in at most
    ``workers`` processes (default: the number of cores) with one overall progress bar.
    """
    if not jobs:
        return []
    if len(jobs) == 1:
        return [run_job(jobs[0], force, quiet=False)]
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    staged, staging = _stage(jobs)
    if workers > 1:
        staged = serial_chart_jobs(staged)
    show = sys.stderr.isatty() if progress is None else progress
    results: dict[str, JobResult] = {}
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
            futures = {pool.submit(run_job, job, force): job for job in staged}
            bar = _progress_bar(len(staged), show)
            for future in as_completed(futures):
                job = futures[future]
                try:
                    result = future.result()
                except Exception as exc:
                    result = JobResult(job, FAILED, 0.0, f"the worker process failed: {exc}")
                results[job.name] = result
                bar(f"{job.name}: {result.status}")
        finals = [_unstage(results[job.name]) for job in staged]
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return finals


def serial_chart_jobs(jobs: Sequence[Job]) -> list[Job]:
    """Return the jobs with ``chart_background=False``: the pool's workers already use every core.

    The briefing and profile notebooks pass the parameter on to ``prepare_briefing`` /
    ``prepare_profile``, so each render draws its charts in its own kernel instead of forking a
    second process. Other notebooks do not take the parameter and are left as they are.
    """
    ours = (BRIEFING_NOTEBOOK, PROFILE_NOTEBOOK)
    return [
        replace(job, parameters={**job.parameters, "chart_background": False}) if job.notebook in ours else job
        for job in jobs
    ]


def _context():
    # fork starts a worker in milliseconds with the package already imported; spawn elsewhere.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _stage(jobs: Sequence[Job]) -> tuple[list[Job], Path | None]:
    """Send every job whose folder lies inside another job's folder to a staging folder."""
    outer = [j.out_dir for j in jobs]
    nested = [j for j in jobs if any(o != j.out_dir and j.out_dir.is_relative_to(o) for o in outer)]
    if not nested:
        return list(jobs), None
    root = min(
        (o for o in outer if any(j.out_dir.is_relative_to(o) and j.out_dir != o for j in nested)),
        key=lambda p: len(p.parts),
    )
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.staging-", dir=root.parent))
    return [replace(j, write_dir=staging / j.name) if j in nested else j for j in jobs], staging


def _unstage(result: JobResult) -> JobResult:
    """Move a staged, rendered job into its real folder and return it.

    The staged folder replaces the old one, keeping the old one's files of other languages.
    """
    job = result.job
    if job.write_dir is None or result.status != RENDERED:
        return result
    final = job.out_dir
    replace_directory(job.write_dir, final, lang=job_language(job))
    paths = {kind: final / path.name for kind, path in result.paths.items()}
    return replace(result, paths=paths)


def _progress_bar(total: int, show: bool):
    """Return a function that advances one overall progress bar (or prints a line per job)."""
    if show:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="render", desc="Rendering", file=sys.stderr, dynamic_ncols=True)

        def advance(note: str) -> None:
            bar.set_postfix_str(note)
            bar.update(1)
            if bar.n >= total:
                bar.close()

        return advance
    done = [0]

    def line(note: str) -> None:
        done[0] += 1
        print(f"[{done[0]}/{total}] {note}", file=sys.stderr, flush=True)

    return line


def summary_table(results: Sequence[JobResult]) -> str:
    """Return the table printed at the end of a render: output, status and seconds per job."""
    rows = [(str(r.job.out_dir), r.status, f"{r.seconds:.1f}") for r in results]
    width = max(len("output"), *(len(r[0]) for r in rows))
    lines = [f"{'output':<{width}}  {'status':<10}  seconds", f"{'-' * width}  {'-' * 10}  -------"]
    lines += [f"{o:<{width}}  {s:<10}  {t:>7}" for o, s, t in rows]
    return "\n".join(lines)


def raise_for_failures(results: Sequence[JobResult]) -> None:
    """Raise RenderError naming every failed job, with its message."""
    failed = [r for r in results if r.status == FAILED]
    if failed:
        details = "\n".join(f"- {r.job.name} ({r.job.out_dir}): {r.message}" for r in failed)
        raise RenderError(f"{len(failed)} of {len(results)} renders failed; the others were written.\n{details}")
