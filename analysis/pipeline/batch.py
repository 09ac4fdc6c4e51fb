"""Rendering the committee briefing and the department profiles, with provenance and caching.

One render is a :class:`Job`: a notebook, its parameters and the folder it fills. Before a job
runs, its manifest (:mod:`analysis.pipeline.provenance`) is computed; when the folder already holds the
output of the same notebook, data, codebook, parameters and code, the job is skipped. Several
jobs run in a bounded pool of worker processes, each render with its own temporary folder and
its own kernel (on a private IPC socket, see :mod:`analysis.pipeline.execute`), and one overall progress
bar. A failing job does not stop the others.

The profiles live inside the briefing's folder (``<out>/departments/<CODE>``), and the briefing
and its profiles are one unit, a *committee folder*: they must always have been made from the
same data, settings and code (:func:`analysis.pipeline.provenance.set_key`). So a batch renders
every job of the unit into a staging folder beside it and, only when every one of them
succeeded, builds the new folder beside the old one (the old one's files that stay are carried
over as hard links) and swaps the two in one step; when any job failed, the folder is left
exactly as it was. Profiles of the language being rendered that were made from other data or
settings than the new briefing, and are not rendered again, are left out of the new folder,
and the run says so. A single profile rendered into a folder whose briefing was made from other
data is refused.

Before anything runs, every output folder is checked (:func:`check_jobs`): one that holds
anything the tool did not write, or an input, is refused; what earlier, killed runs left beside
it is cleared away (:func:`analysis.pipeline.lifecycle.recover`). Pool workers stop their render
and its kernel when the run is stopped by a signal or their parent dies.

Languages share the folders: ``--lang en`` writes ``briefing.en.*`` and ``profile.en.*`` beside
the Danish ``briefing.*`` and ``profile.*`` and never touches them (nor they it); each language
has its own manifest, so each is up to date or not on its own, and the language is part of the
cache key.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import config
from ..exceptions import BriefingError, ParameterError, RenderError
from . import lifecycle
from .messages import say
from .output import link_tree, swap_directories

BRIEFING_NOTEBOOK = config.NOTEBOOKS_DIR / "briefing.ipynb"
PROFILE_NOTEBOOK = config.NOTEBOOKS_DIR / "department.ipynb"
#: Sub-folder of the briefing's output that holds the profiles.
DEPARTMENTS_FOLDER = "departments"

RENDERED, UP_TO_DATE, FAILED = "rendered", "up to date", "failed"
#: A job of a committee folder that rendered, but was not written because another job of it failed.
NOT_WRITTEN = "not written"
#: Seconds pool workers get to stop their renders when the run is stopped, before they are killed.
STOP_SECONDS = 10.0


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
    quotes: bool = False,
    stop_list: str | Path = "",
) -> list[Job]:
    """Return the renders asked for: the briefing, one profile, or the briefing and every profile.

    ``department`` is None (the briefing), ``"all"`` (the briefing and the seven profiles) or a
    department code, name or alias (that profile only). ``reading`` holds the options of
    :func:`~analysis.survey.loading.load_responses` that say how to read the exports (source,
    mapping, department column, complete only); ``files_read`` every file they read (a SurveyXact
    dataset's labels and structure, the mapping), recorded and hashed in the manifest.
    ``quotes`` turns on redacted quotes in the briefing; ``stop_list`` is a file of names redaction
    removes (hashed like the other inputs, never copied).
    """
    from ..report.briefing import default_title

    given = tuple(Path(p).resolve() for p in inputs)
    inputs = tuple(Path(p).resolve() for p in files_read) if files_read else given
    if str(texts):
        inputs = (*inputs, Path(texts).resolve())
    if str(stop_list):
        inputs = (*inputs, Path(stop_list).resolve())
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
            "quotes": bool(quotes),
            "stop_list": str(Path(stop_list).resolve()) if str(stop_list) else "",
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
    """Render one job unless its output is up to date; never raise for a failed render.

    A job with a ``write_dir`` (staged by a batch) is written there; its failed notebook is kept
    where the job's own folder would have it, and its messages name that folder.
    """
    from .provenance import is_up_to_date, manifest_meta
    from .render import failed_path, render_notebook

    start = time.perf_counter()
    try:
        manifest = manifest_for(job)
        lang = manifest["render_options"]["lang"]
        if not force and is_up_to_date(job.out_dir, manifest, lang=lang):
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
            inputs=job.inputs,
            failed_as=failed_path(job.out_dir, lang) if job.write_dir is not None else None,
            shown_as=job.out_dir if job.write_dir is not None else None,
        )
        return JobResult(job, RENDERED, time.perf_counter() - start, paths=result.paths)
    except BriefingError as exc:
        return JobResult(job, FAILED, time.perf_counter() - start, _as_own(job, str(exc)))
    except Exception as exc:
        return JobResult(job, FAILED, time.perf_counter() - start, _as_own(job, f"{type(exc).__name__}: {exc}"))


def _as_own(job: Job, message: str) -> str:
    """Name the job's own folder in a message, not the staging folder it was written into."""
    return message.replace(str(job.write_dir), str(job.out_dir)) if job.write_dir is not None else message


def run_jobs(
    jobs: Sequence[Job], *, workers: int | None = None, force: bool = False, progress: bool | None = None
) -> list[JobResult]:
    """Run jobs (in a pool of worker processes when there are several) and return their results.

    A single job runs in this process and prints its steps; several run in at most
    ``workers`` processes (default: the number of cores) with one overall progress bar. Every
    output folder is checked first (:func:`check_jobs`, which raises ParameterError before
    anything runs). The jobs of a committee folder (a job that keeps ``departments`` and the jobs
    inside its folder) are written all together or not at all; other jobs each on their own.
    """
    if not jobs:
        return []
    jobs = list(jobs)
    for job in jobs:
        for note in lifecycle.recover(job.out_dir):
            say(note)
    units = _committee_units(jobs)
    check_jobs(jobs, units)
    in_units = {j.name for root, members in units for j in (root, *members)}
    committees = [_Committee(root, members, force) for root, members in units]
    try:
        to_run = [j for j in jobs if j.name not in in_units]
        for unit in committees:
            to_run += unit.stage()
        results = _execute(to_run, workers=workers, force=force, progress=progress)
        for unit in committees:
            results.update(unit.finish(results))
    finally:
        for unit in committees:
            unit.discard()
    return [results[job.name] for job in jobs]


def check_jobs(jobs: Sequence[Job], units: Sequence[tuple[Job, list[Job]]] | None = None) -> None:
    """Refuse, before anything runs, output folders that a batch must not replace.

    Each job's folder must be new, empty or its own earlier output, and hold none of its inputs
    (:func:`analysis.pipeline.render.check_output_folder`); a committee folder's ``departments/``
    must hold nothing but profile folders and their kept notebooks; and a single profile must be
    made from the same data and settings as the briefing of its folder.
    """
    from .provenance import read_manifest, set_key
    from .render import OS_CLUTTER, check_output_folder

    units = _committee_units(jobs) if units is None else units
    for job in jobs:
        check_output_folder(job.out_dir, job.notebook, job.out_name, job.keep, job.inputs)
    for root, _members in units:
        for name in root.keep:
            folder = root.out_dir / name
            if not folder.is_dir():
                continue
            odd = [
                p.name
                for p in sorted(folder.iterdir())
                if not p.is_dir() and p.name not in OS_CLUTTER and not _is_kept_notebook(p.name)
            ]
            if odd:
                raise ParameterError(
                    f"{folder} holds {', '.join(odd[:5])}, which this tool did not write; it holds the "
                    "department profiles of the briefing and nothing else. Move those files elsewhere, "
                    "or choose a new or empty folder with --out."
                )
    in_units = {j.name for root, members in units for j in (root, *members)}
    for job in jobs:
        if job.name in in_units or job.out_dir.parent.name != DEPARTMENTS_FOLDER:
            continue
        lang = job_language(job)
        committee = job.out_dir.parent.parent
        briefing = read_manifest(committee, lang=lang)
        if briefing is None:
            continue
        theirs, ours = set_key(briefing), set_key(manifest_for(job))
        if theirs != ours:
            raise ParameterError(
                f"{committee} holds a briefing made from other data, settings or code than this profile of "
                f"{job.name} would be; the briefing and its profiles are one unit and must agree. Render them "
                "together (--department all), or choose another folder with --out."
            )


def _is_kept_notebook(name: str) -> bool:
    """Whether a file name is a failed render's kept notebook: ``<name>.failed[.<lang>].ipynb``."""
    stem = name.removesuffix(".ipynb")
    if stem == name:
        return False
    parts = stem.split(".")
    return len(parts) >= 2 and (parts[-1] == "failed" or (parts[-2] == "failed" and parts[-1] in config.LANGUAGES))


def _committee_units(jobs: Sequence[Job]) -> list[tuple[Job, list[Job]]]:
    """Return the committee folders among the jobs: a root job and the jobs inside its folder.

    A root is a job that keeps ``departments`` (the briefing), or any job whose folder holds
    another job's folder. A job inside must sit at ``<root>/<folder>/<name>``.
    """
    units = []
    claimed: set[str] = set()
    for root in sorted(jobs, key=lambda j: len(j.out_dir.parts)):
        if root.name in claimed:
            continue
        members = [
            j for j in jobs if j is not root and j.out_dir != root.out_dir and j.out_dir.is_relative_to(root.out_dir)
        ]
        if not members and DEPARTMENTS_FOLDER not in root.keep:
            continue
        for member in members:
            if len(member.out_dir.relative_to(root.out_dir).parts) != 2:
                raise ParameterError(
                    f"{member.out_dir} lies inside {root.out_dir} but not in one of its folders "
                    f"({root.out_dir}/<folder>/<name>, as the profiles in {DEPARTMENTS_FOLDER}/)."
                )
        claimed |= {root.name, *(m.name for m in members)}
        units.append((root, members))
    return units


class _Committee:
    """A briefing and the profiles inside its folder: staged, then written together or not at all."""

    def __init__(self, root: Job, members: list[Job], force: bool):
        from .provenance import is_up_to_date, read_manifest, set_key

        self.root, self.members, self.force = root, members, force
        self.jobs = [root, *members]
        self.lang = job_language(root)
        manifests = {job.name: manifest_for(job) for job in self.jobs}
        self.key = set_key(manifests[root.name])
        self.current = {
            job.name: not force and is_up_to_date(job.out_dir, manifests[job.name], lang=job_language(job))
            for job in self.jobs
        }
        self.stale = self._stale_profiles(read_manifest, set_key)
        self.up_to_date_message = (
            "same notebook, data, codebook, parameters and code as the existing output; use --force to render again"
        )
        self.staging: Path | None = None
        self.staged: list[Job] = []

    def _stale_profiles(self, read_manifest, set_key) -> list[Path]:
        """Profile folders of this language that disagree with the briefing and are not rendered again."""
        from .render import owned_names

        ours = {m.out_dir for m in self.members}
        stale = []
        for name in sorted({*self.root.keep, *(m.out_dir.parent.name for m in self.members)}):
            folder = self.root.out_dir / name
            if not folder.is_dir():
                continue
            out_name = next((m.out_name for m in self.members if m.out_dir.parent == folder), "profile")
            for profile in sorted(p for p in folder.iterdir() if p.is_dir() and p not in ours):
                owned = owned_names(profile, out_name, self.lang)
                if not any(owned(p.name) for p in profile.iterdir()):
                    continue  # nothing of this language in it
                if set_key(read_manifest(profile, lang=self.lang)) != self.key or self.key is None:
                    stale.append(profile)
        return stale

    def stage(self) -> list[Job]:
        """Return the jobs to render, each sent to a staging folder beside the committee folder."""
        due = [job for job in self.jobs if not self.current[job.name]]
        if not due and not self.stale:
            return []
        parent = self.root.out_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=lifecycle.temp_prefix(self.root.out_dir, "staging"), dir=parent))
        self.staged = [replace(job, write_dir=self.staging / f"job-{i}") for i, job in enumerate(due)]
        return list(self.staged)

    def finish(self, results: dict[str, JobResult]) -> dict[str, JobResult]:
        """Write the unit when every staged job rendered; else mark the rendered ones not written.

        Returns the result of every job of the unit (those that were up to date too).
        """
        out = {
            job.name: JobResult(job, UP_TO_DATE, 0.0, self.up_to_date_message)
            for job in self.jobs
            if self.current[job.name]
        }
        if self.staging is None:
            return out
        return {**out, **self._finish(results)}

    def _finish(self, results: dict[str, JobResult]) -> dict[str, JobResult]:
        mine = {job.name: results[job.name] for job in self.staged if job.name in results}
        if any(r.status != RENDERED for r in mine.values()) or len(mine) != len(self.staged):
            return {
                name: replace(r, status=NOT_WRITTEN, paths={}) if r.status == RENDERED else r
                for name, r in mine.items()
            }
        self._write(mine)
        written = {}
        for job in self.staged:
            r = mine[job.name]
            paths = {kind: job.out_dir / path.name for kind, path in r.paths.items()}
            written[job.name] = replace(r, job=replace(job, write_dir=None), paths=paths)
        return written

    def _write(self, results: dict[str, JobResult]) -> None:
        """Build the new committee folder beside the old one and swap them."""
        from .render import failed_path, owned_names

        root = self.root.out_dir
        staged = {job.out_dir: job for job in self.staged}
        new = Path(tempfile.mkdtemp(prefix=lifecycle.temp_prefix(root), dir=root.parent))
        try:
            old_exists = root.is_dir()
            if root in staged:
                _move_entries(staged[root].write_dir, new)
            if old_exists:
                own = owned_names(root, self.root.out_name, self.lang) if root in staged else (lambda name: False)
                containers = {m.out_dir.parent.name for m in self.members} | set(self.root.keep)
                for entry in sorted(root.iterdir()):
                    if entry.name in containers or os.path.lexists(new / entry.name) or own(entry.name):
                        continue
                    link_tree(entry, new / entry.name)
                for name in sorted(containers):
                    self._write_container(root / name, new / name, staged)
            else:
                for name in sorted({m.out_dir.parent.name for m in self.members}):
                    self._write_container(root / name, new / name, staged)
            _share_like_umask(new)
            with lifecycle.deferred_signals():
                old = swap_directories(new, root)
                if old is not None:
                    shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
        if root in staged:
            failed_path(root, self.lang).unlink(missing_ok=True)
        if self.stale:
            names = ", ".join(p.name for p in self.stale)
            say(
                f"Removed the {self.lang} department profiles {names} from {root}: they were made from "
                "other data, settings or code than this briefing. Render them again with --department all."
            )

    def _write_container(self, old: Path, new: Path, staged: dict[Path, Job]) -> None:
        """Fill ``new`` (e.g. ``departments/``) from the old folder and the staged profiles in it."""
        from .render import failed_path, owned_names

        members = {m.out_dir.name: m for m in self.members if m.out_dir.parent == old}
        if not old.is_dir() and not members:
            return
        new.mkdir()
        stale = {p.name for p in self.stale if p.parent == old}
        replaced_notes = {
            failed_path(old / m.out_dir.name, self.lang).name for m in members.values() if m.out_dir in staged
        }
        if old.is_dir():
            for entry in sorted(old.iterdir()):
                if entry.name in replaced_notes:
                    continue
                member = members.get(entry.name)
                if member is not None and member.out_dir in staged:
                    continue  # filled below
                if entry.name in stale:
                    out_name = next((m.out_name for m in members.values()), "profile")
                    owned = owned_names(entry, out_name, self.lang)
                    rest = [p for p in sorted(entry.iterdir()) if not owned(p.name)]
                    if rest:
                        (new / entry.name).mkdir()
                        for p in rest:
                            link_tree(p, new / entry.name / p.name)
                        shutil.copystat(entry, new / entry.name)
                    continue
                link_tree(entry, new / entry.name)
            shutil.copystat(old, new)
        for name, member in sorted(members.items()):
            if member.out_dir not in staged:
                continue
            target = new / name
            staged[member.out_dir].write_dir.rename(target)
            previous = old / name
            if previous.is_dir():
                owned = owned_names(previous, member.out_name, self.lang)
                for entry in sorted(previous.iterdir()):
                    if not owned(entry.name) and not os.path.lexists(target / entry.name):
                        link_tree(entry, target / entry.name)

    def discard(self) -> None:
        """Remove the staging folder (whatever is left in it)."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


def _move_entries(source: Path, destination: Path) -> None:
    for entry in sorted(source.iterdir()):
        entry.rename(destination / entry.name)


def _share_like_umask(folder: Path) -> None:
    from .render import _share_like_umask as share

    share(folder)


# --- the pool ----------------------------------------------------------------------------------


def _execute(jobs: Sequence[Job], *, workers: int | None, force: bool, progress: bool | None) -> dict[str, JobResult]:
    """Run the jobs: one in this process, several in a pool of worker processes."""
    if not jobs:
        return {}
    if len(jobs) == 1:
        return {jobs[0].name: run_job(jobs[0], force, quiet=False)}
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers > 1:
        jobs = serial_chart_jobs(jobs)
    show = sys.stderr.isatty() if progress is None else progress
    lifecycle.session()  # made before the workers fork, so they share it and its lock
    results: dict[str, JobResult] = {}
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_worker_started, initargs=(os.getpid(),)
    )
    try:
        futures = {pool.submit(_run_in_worker, job, force): job for job in jobs}
        bar = _progress_bar(len(jobs), show)
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:
                result = JobResult(job, FAILED, 0.0, f"the worker process failed: {exc}")
            results[job.name] = result
            bar(f"{job.name}: {result.status}")
    except BaseException:
        _stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return results


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop the workers (each stops its render and kernel), kill those that do not, and every kernel left."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        with contextlib.suppress(Exception):
            if process.is_alive():
                process.kill()
                process.join(1.0)
    lifecycle.stop_kernels()


_worker_state = {"running": False, "stopping": False}


def _worker_started(parent: int) -> None:
    """Set up a pool worker: stop cleanly on a signal, and when the run that started it is gone."""
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _worker_signal)
    if os.name == "posix":
        threading.Thread(target=_watch_parent, args=(parent,), name="briefing-parent-watch", daemon=True).start()


def _worker_signal(signum: int, frame) -> None:
    if _worker_state["stopping"]:
        return  # already stopping: let the clean-up finish
    _worker_state["stopping"] = True
    if _worker_state["running"]:
        raise lifecycle.Interrupted(signum)  # unwinds the render: its temporary folder goes
    os._exit(128 + signum)


def _watch_parent(parent: int) -> None:
    """End the worker when the run that started it is gone (killed): first as if stopped, then hard."""
    while os.getppid() == parent:
        time.sleep(0.25)
    with contextlib.suppress(OSError):
        os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(STOP_SECONDS)
    lifecycle.stop_kernels(owner=os.getpid())
    os._exit(1)


def _run_in_worker(job: Job, force: bool) -> JobResult:
    """Run a job in a pool worker; when the run is stopped, stop this worker's kernel and exit."""
    _worker_state["running"] = True
    try:
        return run_job(job, force)
    except lifecycle.Interrupted as exc:
        lifecycle.stop_kernels(owner=os.getpid())
        os._exit(exc.exit_code)
    finally:
        _worker_state["running"] = False


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
    """Raise RenderError naming every failed job, with its message.

    When a failed job belongs to a committee folder, the message says that nothing in that
    folder was changed (its jobs are written together or not at all).
    """
    failed = [r for r in results if r.status == FAILED]
    if not failed:
        return
    details = "\n".join(f"- {r.job.name} ({r.job.out_dir}): {r.message}" for r in failed)
    units = _committee_units([r.job for r in results])
    held = [
        root.out_dir for root, members in units if {j.name for j in (root, *members)} & {r.job.name for r in failed}
    ]
    if held:
        where = ", ".join(str(folder) for folder in held)
        raise RenderError(
            f"{len(failed)} of {len(results)} renders failed, so nothing in {where} was changed: the briefing "
            f"and its profiles are written together or not at all, and the previous ones stay as they were.\n{details}"
        )
    others = "; the others were written" if len(failed) < len(results) else ""
    raise RenderError(f"{len(failed)} of {len(results)} renders failed{others}.\n{details}")
