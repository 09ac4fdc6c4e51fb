"""Record where a briefing came from, and tell when rendering it again would change nothing.

A render's output folder gets a ``manifest.json`` (``manifest.en.json`` for an English render
beside a Danish one, :func:`manifest_name`): the tool's version and git commit, the
notebook, the parameters, the SHA-256 of every input file (responses, codebook, department
list, templates), the library versions, the times, and the SHA-256 of every file written.

Its ``cache_key`` is a SHA-256 over exactly what decides the output: the notebook, the
parameters, the input files, the codebook and department list, the package version and any
``extra_files`` (case texts, template, CSS, the package's own code). Times, the git commit and
library versions are recorded but left out of the key: a commit that touches none of those
files renders the same briefing, so it should not force a new render.

:func:`is_up_to_date` compares a new manifest with the one in an output folder and checks that
the recorded outputs are still there, unchanged; :func:`manifest_meta` gives the ``<meta>``
tags for the HTML head and the PDF metadata, and :func:`provenance_rows` the rows of the
briefing appendix's provenance table (both from :mod:`analysis.pipeline.provenance_text`).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import importlib
import importlib.metadata
import json
import math
import os
import platform
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

import yaml

from .. import config
from ..exceptions import ParameterError
from ..tables.atomic import atomic_write, temporary_pattern
from .export import TOOL_NAME
from .output import DEFAULT_LANG, language_name

# The texts for people (meta tags, the appendix table) live in their own module; they are
# offered here too, where the notebooks and the batch find them.
from .provenance_text import manifest_meta, provenance_rows

__all__ = [
    "LIBRARIES",
    "MANIFEST_NAME",
    "SCHEMA",
    "build_command_manifest",
    "build_manifest",
    "default_extra_files",
    "is_up_to_date",
    "manifest_meta",
    "manifest_name",
    "provenance_rows",
    "read_manifest",
    "record_outputs",
    "set_key",
    "sha256_file",
    "write_manifest",
]

#: File name of the manifest in an output folder (of the default language; see :func:`manifest_name`).
MANIFEST_NAME = "manifest.json"
#: Version of the manifest's layout; part of the cache key, so a new layout never hits old output.
SCHEMA = 1
#: Libraries whose versions are recorded (distribution names for importlib.metadata).
LIBRARIES = ("pandas", "numpy", "matplotlib", "papermill", "nbconvert", "weasyprint", "openpyxl", "babel", "scipy")
#: Parameters left out of the cache key: render sets ``output_dir`` to a new temporary folder on
#: every run, so keeping it in would make every render a cache miss.
# chart_background only decides which process draws the charts (batch renders set it False):
# the same document either way.
VOLATILE_PARAMETERS = frozenset({"output_dir", "chart_background"})
#: Parameters in which the briefing and the profiles of one committee folder differ by design
#: (each document's own title and texts, the profile's department): left out of :func:`set_key`.
OWN_PARAMETERS = frozenset({"title", "economy_text", "next_steps_text", "texts", "department"})
_CHUNK = 1 << 20
_GIT_TIMEOUT = 10  # seconds; a hung git (network file system, lock) must not stop a render


def manifest_name(lang: str = DEFAULT_LANG) -> str:
    """Return the file name of a language's manifest: ``manifest.json``, ``manifest.en.json``.

    Each language's render has its own, so each is up to date (or not) on its own.

    Examples
    --------
    >>> manifest_name(), manifest_name("en")
    ('manifest.json', 'manifest.en.json')
    """
    return language_name(MANIFEST_NAME, lang)


# --- hashing -----------------------------------------------------------------------------


def sha256_file(path: str | Path) -> str:
    """Return the SHA-256 of a file's bytes as 64 hex digits, reading it in chunks.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    str
        The hex digest.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "abc.txt")
    ...     _ = path.write_bytes(b"abc")
    ...     sha256_file(path)
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def default_extra_files() -> list[Path]:
    """Return the project files besides notebook and data that decide a briefing's content.

    These are the case texts (``data/cases.yaml``), the organisation's names
    (``data/organisation.yaml``), the page and section templates and CSS, the chart
    style and the package's own modules. The package version alone would miss a change to
    ``scoring.py`` made without a version bump, and then the cache would serve stale figures.

    Returns
    -------
    list of Path
        Existing files, sorted by path.
    """
    candidates = [config.CASES_PATH, config.STYLE_PATH, config.ORGANISATION_PATH]
    candidates += config.TEMPLATES_DIR.rglob("*")
    candidates += config.PACKAGE_DIR.rglob("*.py")
    return sorted({p for p in candidates if p.is_file() and "__pycache__" not in p.parts})


# --- the manifest ------------------------------------------------------------------------


def build_manifest(
    *,
    notebook: str | Path,
    parameters: Mapping[str, Any],
    inputs: Sequence[str | Path],
    codebook_path: str | Path = config.CODEBOOK_PATH,
    departments_path: str | Path = config.DEPARTMENTS_PATH,
    extra_files: Iterable[str | Path] = (),
    render_options: Mapping[str, Any] | None = None,
    started: dt.datetime,
    finished: dt.datetime | None = None,
) -> dict[str, Any]:
    """Build the provenance manifest of one render, with the cache key of its output.

    Parameters
    ----------
    notebook : str or Path
        The notebook that is executed.
    parameters : mapping
        The notebook parameters as the user gave them (Paths become strings). ``output_dir``
        is recorded but left out of the cache key (:data:`VOLATILE_PARAMETERS`).
    inputs : sequence of str or Path
        The survey response files, in the order they are read.
    codebook_path, departments_path : str or Path
        The codebook and the department list.
    extra_files : iterable of str or Path
        Further files that decide the output, e.g. :func:`default_extra_files`. Their order
        does not matter.
    render_options : mapping, optional
        Render settings that are not notebook parameters but change what is written, e.g.
        ``{"formats": ["html", "pdf"], "out_name": "briefing"}``; part of the cache key.
    started : datetime
        When the render started; a naive datetime is taken as local time.
    finished : datetime, optional
        When it finished, if known (see :func:`record_outputs`).

    Returns
    -------
    dict
        The manifest (JSON-safe): ``schema``, ``tool``, ``notebook``, ``parameters``,
        ``inputs``, ``codebook``, ``departments``, ``extra_files``, ``render_options``,
        ``libraries``, ``started``, ``finished`` and ``cache_key``.

    Raises
    ------
    ParameterError
        A file is missing or unreadable, or a parameter cannot be written as JSON.
    """
    safe_parameters = _json_safe(dict(parameters), "parameters")
    safe_options = _json_safe(dict(render_options or {}), "render_options")
    notebook_entry = _file_entry(notebook, "notebook")
    input_entries = [_file_entry(p, "survey response file") for p in inputs]
    codebook_entry = _file_entry(codebook_path, "codebook")
    codebook_entry["version"] = _codebook_version(Path(codebook_path))
    departments_entry = _file_entry(departments_path, "department list")
    extra_entries = sorted((_file_entry(p, "file") for p in extra_files), key=lambda e: e["path"])
    commit, dirty = _git_state(config.PROJECT_DIR)
    version = _package_version()

    manifest: dict[str, Any] = {
        "schema": SCHEMA,
        "tool": {"name": TOOL_NAME, "version": version, "git_commit": commit, "git_dirty": dirty},
        "notebook": {"path": notebook_entry["path"], "sha256": notebook_entry["sha256"]},
        "parameters": safe_parameters,
        "inputs": input_entries,
        "codebook": {k: codebook_entry[k] for k in ("path", "sha256", "version")},
        "departments": {k: departments_entry[k] for k in ("path", "sha256")},
        "extra_files": extra_entries,
        "render_options": safe_options,
        "libraries": _library_versions(),
        "started": _iso_utc(started),
        "finished": _iso_utc(finished) if finished is not None else None,
    }
    manifest["cache_key"] = _cache_key(manifest)
    return manifest


def build_command_manifest(
    *,
    command: str,
    parameters: Mapping[str, Any],
    inputs: Sequence[str | Path],
    codebook_path: str | Path = config.CODEBOOK_PATH,
    departments_path: str | Path = config.DEPARTMENTS_PATH,
    started: dt.datetime | None = None,
) -> dict[str, Any]:
    """Build the manifest of a command's output folder that no notebook made (``briefing score``).

    The same facts as :func:`build_manifest` where they apply: the command and its parameters,
    the SHA-256 of every input, of the codebook and the department list, the tool's version and
    git commit, the library versions and the times. Add the outputs with :func:`record_outputs`.
    """
    codebook_entry = _file_entry(codebook_path, "codebook")
    codebook_entry["version"] = _codebook_version(Path(codebook_path))
    departments_entry = _file_entry(departments_path, "department list")
    commit, dirty = _git_state(config.PROJECT_DIR)
    return {
        "schema": SCHEMA,
        "command": command,
        "tool": {"name": TOOL_NAME, "version": _package_version(), "git_commit": commit, "git_dirty": dirty},
        "parameters": _json_safe(dict(parameters), "parameters"),
        "inputs": [_file_entry(p, "survey response file") for p in inputs],
        "codebook": {k: codebook_entry[k] for k in ("path", "sha256", "version")},
        "departments": {k: departments_entry[k] for k in ("path", "sha256")},
        "libraries": _library_versions(),
        "started": _iso_utc(started or dt.datetime.now(dt.UTC)),
        "finished": None,
    }


def _cache_key(manifest: Mapping[str, Any]) -> str:
    """Return the SHA-256 over what decides the output (not times, git or library versions)."""
    parameters = {k: v for k, v in manifest["parameters"].items() if k not in VOLATILE_PARAMETERS}
    decisive = {
        "schema": manifest["schema"],
        "tool_version": manifest["tool"]["version"],
        "notebook": manifest["notebook"]["sha256"],
        "parameters": parameters,
        # File names count (the data log names the files); folders do not, the bytes do.
        "inputs": [[PurePath(e["path"]).name, e["sha256"]] for e in manifest["inputs"]],
        "codebook": manifest["codebook"]["sha256"],
        "departments": manifest["departments"]["sha256"],
        "extra_files": [[e["path"], e["sha256"]] for e in manifest["extra_files"]],
        "render_options": manifest["render_options"],
    }
    return hashlib.sha256(_canonical_json(decisive).encode("utf-8")).hexdigest()


def set_key(manifest: Mapping[str, Any] | None) -> str | None:
    """Return the key of what the documents of one committee folder must share, or None when unknown.

    The briefing in a folder and the department profiles in its ``departments/`` must be made
    from the same input files, codebook and department list, settings (wave, min_n, seed,
    language, how the exports were read) and code: a SHA-256 over exactly those parts of a
    manifest, leaving out the notebook and what each document has of its own (titles and texts,
    the department). Two documents whose keys differ disagree; None means the manifest is
    missing or too old to tell.
    """
    if not isinstance(manifest, Mapping):
        return None
    try:
        skip = VOLATILE_PARAMETERS | OWN_PARAMETERS
        decisive = {
            "schema": manifest["schema"],
            "tool_version": manifest["tool"]["version"],
            "parameters": {k: v for k, v in manifest["parameters"].items() if k not in skip},
            "inputs": [[PurePath(e["path"]).name, e["sha256"]] for e in manifest["inputs"]],
            "codebook": manifest["codebook"]["sha256"],
            "departments": manifest["departments"]["sha256"],
            "extra_files": [[e["path"], e["sha256"]] for e in manifest["extra_files"]],
            "lang": (manifest.get("render_options") or {}).get("lang"),
        }
    except (KeyError, TypeError, AttributeError):
        return None
    return hashlib.sha256(_canonical_json(decisive).encode("utf-8")).hexdigest()


def write_manifest(folder: str | Path, manifest: Mapping[str, Any], *, lang: str = DEFAULT_LANG) -> Path:
    """Write ``manifest.json`` (``manifest.<lang>.json``) into a folder (UTF-8, sorted keys, indented) and return its path.

    The file is written atomically (:func:`analysis.tables.atomic.atomic_write`), so a reader never sees half
    a manifest.

    Parameters
    ----------
    folder : str or Path
        An existing folder, usually the (temporary) output folder.
    manifest : mapping
        From :func:`build_manifest` or :func:`record_outputs`.
    lang : str
        The language of the render it describes (:func:`manifest_name`).

    Returns
    -------
    Path
        ``folder / "manifest.json"``.
    """
    path = Path(folder) / manifest_name(lang)
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return atomic_write(path, text)


def read_manifest(folder: str | Path, *, lang: str = DEFAULT_LANG) -> dict[str, Any] | None:
    """Read a folder's ``manifest.json`` (``manifest.<lang>.json``), or return None when it is missing or unreadable.

    A corrupt or truncated file (bad JSON, bad UTF-8, not a JSON object) also gives None, so
    a damaged manifest only means "render again", never a crash.

    Parameters
    ----------
    folder : str or Path
        The output folder.
    lang : str
        The language of the render (:func:`manifest_name`).

    Returns
    -------
    dict or None
        The manifest.
    """
    try:
        data = json.loads((Path(folder) / manifest_name(lang)).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def record_outputs(
    folder: str | Path, manifest: Mapping[str, Any], *, finished: dt.datetime | None = None
) -> dict[str, Any]:
    """Return the manifest with ``outputs``: the SHA-256 of every file in the folder.

    Call it after the render has written everything, and before the folder is swapped into
    place. The manifests (``manifest.json``, ``manifest.en.json``) are left out (one cannot hold
    its own hash).

    Parameters
    ----------
    folder : str or Path
        The output folder.
    manifest : mapping
        From :func:`build_manifest`; not changed.
    finished : datetime, optional
        When the render finished; sets ``finished`` (a naive datetime is local time).

    Returns
    -------
    dict
        A copy of the manifest with ``outputs`` = {relative POSIX path: sha256}, sorted.
    """
    folder = Path(folder)
    # The manifest and a manifest being written (its temporary file) describe the outputs.
    names = [manifest_name(lang) for lang in config.LANGUAGES]
    own = [*names, *(temporary_pattern(name) for name in names)]
    outputs = {
        path.relative_to(folder).as_posix(): sha256_file(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not any(fnmatch.fnmatchcase(path.relative_to(folder).as_posix(), p) for p in own)
    }
    updated = {**manifest, "outputs": outputs}
    if finished is not None:
        updated["finished"] = _iso_utc(finished)
    return updated


def is_up_to_date(folder: str | Path, manifest: Mapping[str, Any], *, lang: str = DEFAULT_LANG) -> bool:
    """Return whether a folder already holds the output a new manifest describes, unchanged.

    True only when the folder's manifest of the language (``manifest.json``, ``manifest.en.json``)
    has the same ``cache_key`` and lists its outputs, and every listed file still exists with the
    recorded SHA-256: a deleted or edited PDF means render again. A missing or corrupt manifest
    gives False.

    Parameters
    ----------
    folder : str or Path
        The output folder of an earlier render.
    manifest : mapping
        The manifest of the render about to run (:func:`build_manifest`).
    lang : str
        The language of that render: another language's output in the same folder never counts.

    Returns
    -------
    bool
        Whether the render can be skipped.
    """
    folder = Path(folder)
    old = read_manifest(folder, lang=lang)
    if old is None or old.get("cache_key") != manifest.get("cache_key"):
        return False
    outputs = old.get("outputs")
    # A manifest without outputs was never completed, so it vouches for nothing.
    if not isinstance(outputs, dict) or not outputs:
        return False
    for rel, digest in outputs.items():
        path = folder / rel
        try:
            if not path.is_file() or sha256_file(path) != digest:
                return False
        except OSError:
            return False
    return True


# --- helpers -----------------------------------------------------------------------------


def _display_path(path: Path) -> str:
    """Return a path relative to the project when inside it (portable), else absolute."""
    path = path.resolve()
    try:
        return path.relative_to(config.PROJECT_DIR).as_posix()
    except ValueError:
        return str(path)


def _file_entry(path: str | Path, what: str) -> dict[str, Any]:
    """Return {path, sha256, bytes} of a file, or raise ParameterError saying which is missing."""
    path = Path(path)
    try:
        return {"path": _display_path(path), "sha256": sha256_file(path), "bytes": path.stat().st_size}
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ParameterError(
            f"Cannot read the {what} {path} for the provenance manifest ({reason}). "
            "Check that the file exists and is readable."
        ) from exc


def _codebook_version(path: Path) -> str | None:
    """Return the codebook's ``version`` as text, or None when it has none or cannot be parsed.

    A malformed codebook is reported by ``load_codebook`` with a clear message; the manifest
    only records what it can.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict) or data.get("version") is None:
        return None
    # YAML reads an unquoted 2025.1 as a float; the version is a label, so keep it as text.
    return str(data["version"])


def _git_state(folder: Path) -> tuple[str | None, bool | None]:
    """Return (HEAD commit, has uncommitted changes) of the repository rooted at ``folder``.

    (None, None) when ``folder`` is not the top of a git work tree (e.g. the package installed
    into a virtual environment that happens to sit inside some repository), when git is not
    installed, or when it fails.
    """
    # GIT_OPTIONAL_LOCKS=0: `git status` must not write the index while other processes work.
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=_GIT_TIMEOUT, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    if top is None or not top.strip():
        return None, None
    try:
        if Path(top.strip()).resolve() != Path(folder).resolve():
            return None, None
    except OSError:
        return None, None
    head = git("rev-parse", "--verify", "HEAD")
    if head is None:  # a repository without commits
        return None, None
    status = git("status", "--porcelain")
    return head.strip(), (bool(status.strip()) if status is not None else None)


def _package_version() -> str:
    # Read at call time from the package (tests pretend a version bump by patching it).
    return str(importlib.import_module(__package__.partition(".")[0]).__version__)


def _library_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _iso_utc(moment: dt.datetime) -> str:
    """Return a time as ISO 8601 in UTC, to the second (naive times are local time)."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _json_safe(value: Any, where: str) -> Any:
    """Return ``value`` with Paths as strings, tuples as lists and numpy scalars as numbers."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ParameterError(f"{where} holds {value!r}, which JSON cannot represent; give a finite number or None.")
        return value
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        return sorted((_json_safe(v, where) for v in value), key=_canonical_json)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):  # numpy scalars, without importing numpy
        return _json_safe(value.item(), where)
    raise ParameterError(
        f"{where} holds a {type(value).__name__} ({value!r}), which cannot be "
        "recorded as JSON; give a string, number, bool, None, list or dict."
    )


def _canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
