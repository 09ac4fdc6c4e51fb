"""The provenance in words for people: the page's ``<meta>`` tags and the appendix table.

Both read a manifest of :mod:`analysis.pipeline.provenance`; hashes are shortened like git
commits, times shown in Copenhagen time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from .. import config
from ..config import check_lang
from .export import DEFAULT_AUTHOR, TOOL_NAME

__all__ = ["manifest_meta", "provenance_rows"]

#: Parameters shown elsewhere in the provenance table (``Inddata``) or set by render itself.
_ROWS_SKIP_PARAMETERS = frozenset({"responses", "output_dir", "chart_background"})

_SHORT = 12  # hex digits of a hash shown to people, like a short git commit

_KEYWORDS = {
    "da": "indkøb, modenhed, indkøbspolitik, Økonomiudvalget, innovation, partnerskaber",
    "en": "procurement, maturity, procurement policy, Finance Committee, innovation, partnerships",
}
_LABELS = {
    "da": {
        "codebook": "Kodebog",
        "version": "Programversion",
        "git": "Git-commit",
        "inputs": "Inddata",
        "parameters": "Parametre",
        "libraries": "Biblioteker",
        "run": "Kørt",
    },
    "en": {
        "codebook": "Codebook",
        "version": "Program version",
        "git": "Git commit",
        "inputs": "Input data",
        "parameters": "Parameters",
        "libraries": "Libraries",
        "run": "Run",
    },
}
_WORDS = {
    "da": {
        "latest": "seneste runde",
        "none": "ingen",
        "not_git": "ikke kørt fra et git-repository",
        "dirty": "med ikke-committede ændringer",
        "unknown": "ukendt",
        "time": "dansk tid",
    },
    "en": {
        "latest": "latest wave",
        "none": "none",
        "not_git": "not run from a git repository",
        "dirty": "with uncommitted changes",
        "unknown": "unknown",
        "time": "Copenhagen time",
    },
}


def manifest_meta(manifest: Mapping[str, Any], *, lang: str = "da") -> dict[str, str]:
    """Return the ``<meta>`` tags of a briefing: PDF metadata and the provenance in the head.

    WeasyPrint copies ``author``, ``description``, ``keywords``, ``generator`` and
    ``dcterms.created`` into the PDF; the ``briefing.*`` tags stay in the HTML head.

    Parameters
    ----------
    manifest : mapping
        From :func:`build_manifest`.
    lang : {"da", "en"}
        Language of the description and keywords.

    Returns
    -------
    dict of str to str
        ``{name: content}``, for ``render_notebook(..., metadata=...)``.
    """
    lang = check_lang(lang)
    words = _WORDS[lang]
    parameters = manifest.get("parameters", {})
    wave = parameters.get("wave")
    min_n = parameters.get("min_n", config.DEFAULT_MIN_N)
    seed = parameters.get("seed", config.DEFAULT_SEED)
    codebook_version = manifest["codebook"].get("version") or words["unknown"]
    wave_text = str(wave) if wave is not None else words["latest"]
    if lang == "da":
        description = (
            f"Briefing til Økonomiudvalget om modenhed i indkøb, spørgeskemaundersøgelsen "
            f"{wave_text}: mindste gruppestørrelse {min_n}, bootstrap-seed {seed}, "
            f"kodebog {codebook_version}."
        )
    else:
        description = (
            f"Briefing for the Finance Committee on procurement maturity, survey wave "
            f"{wave_text}: minimum group size {min_n}, bootstrap seed {seed}, "
            f"codebook {codebook_version}."
        )
    tool = manifest["tool"]
    commit = tool.get("git_commit")
    git = "unknown" if commit is None else commit + ("-dirty" if tool.get("git_dirty") else "")
    return {
        "author": DEFAULT_AUTHOR,
        "description": description,
        "keywords": _KEYWORDS[lang],
        "generator": f"{tool.get('name', TOOL_NAME)} {tool['version']}",
        "dcterms.created": manifest["started"],
        "briefing.cache-key": manifest["cache_key"],
        "briefing.codebook-version": str(manifest["codebook"].get("version") or ""),
        "briefing.git-commit": git,
        "briefing.inputs": "; ".join(_short_inputs(manifest, sep=":")),
    }


def provenance_rows(manifest: Mapping[str, Any], *, lang: str = "da") -> list[tuple[str, str]]:
    """Return label/value pairs for the provenance table in the briefing's appendix.

    Parameters
    ----------
    manifest : mapping
        From :func:`build_manifest` (e.g. read in the notebook with :func:`read_manifest`).
    lang : {"da", "en"}
        Language of labels and words.

    Returns
    -------
    list of (str, str)
        Rows in order: codebook, program version, git commit, input data, parameters,
        libraries, run time.
    """
    lang = check_lang(lang)
    labels, words = _LABELS[lang], _WORDS[lang]
    codebook = manifest["codebook"]
    tool = manifest["tool"]
    commit = tool.get("git_commit")
    if commit is None:
        git = words["not_git"]
    else:
        git = commit[:_SHORT] + (f" ({words['dirty']})" if tool.get("git_dirty") else "")
    parameters = ", ".join(
        f"{name} = {_short_value(value)}"
        for name, value in sorted(manifest.get("parameters", {}).items())
        if name not in _ROWS_SKIP_PARAMETERS
    )
    libraries = manifest.get("libraries", {})
    library_text = ", ".join(
        f"{'Python' if name == 'python' else name} {version}"
        for name, version in libraries.items()
        if version is not None
    )
    return [
        (labels["codebook"], f"{codebook.get('version') or words['unknown']} (sha256 {codebook['sha256'][:_SHORT]})"),
        (labels["version"], f"{tool.get('name', TOOL_NAME)} {tool['version']}"),
        (labels["git"], git),
        (labels["inputs"], ", ".join(_short_inputs(manifest, sep=": ")) or words["none"]),
        (labels["parameters"], parameters or words["none"]),
        (labels["libraries"], library_text or words["unknown"]),
        (labels["run"], _local_time(manifest.get("started"), words)),
    ]


def _short_inputs(manifest: Mapping[str, Any], *, sep: str) -> list[str]:
    return [f"{PurePath(e['path']).name}{sep}{e['sha256'][:_SHORT]}" for e in manifest.get("inputs", [])]


def _short_value(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _local_time(iso: str | None, words: Mapping[str, str]) -> str:
    """Return an ISO time as Copenhagen time, e.g. ``2025-11-28 10:46 (dansk tid)``."""
    if not iso:
        return words["unknown"]
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    try:
        from zoneinfo import ZoneInfo

        return f"{moment.astimezone(ZoneInfo('Europe/Copenhagen')):%Y-%m-%d %H:%M} ({words['time']})"
    except Exception:
        return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"
