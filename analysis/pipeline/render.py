"""Render a briefing notebook: execute it, then export HTML and PDF, all-or-nothing.

The three steps run in this one Python process through the libraries' Python APIs:

1. papermill executes the notebook with the given parameters (refused before the kernel starts
   when the notebook's ``parameters`` cell does not define them): :mod:`analysis.pipeline.execute`;
2. nbconvert exports the executed notebook to one self-contained HTML page with the project's
   own template (``analysis/report/templates/briefing``): only the rich display outputs, no code;
3. WeasyPrint prints the same HTML to an A4 PDF (both in :mod:`analysis.pipeline.export`).

This module orchestrates them.
Everything is written into a temporary folder beside the output folder, which replaces the output
folder only when every requested format succeeded (:func:`analysis.pipeline.output.atomic_directory`).

Languages sit side by side in one folder: a Danish render writes ``briefing.*``, ``tables/`` and
``manifest.json``; an English one ``briefing.en.*``, ``tables.en/`` and ``manifest.en.json``
(:func:`analysis.pipeline.output.language_name`), and each carries the other's files over
untouched, so a render replaces its own language's files as a whole and nothing else.
"""

from __future__ import annotations

import ast
import os
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..config import LANGUAGES, check_lang
from ..exceptions import BriefingError, ParameterError, RenderError
from .execute import (
    KERNEL_NAME,
    check_parameters,
    execute_notebook,
    execution_failure,
    keep_failed,
    notebook_parameters,
    where_kept,
)
from .export import (
    DEFAULT_AUTHOR,
    FORMATS,
    check_formats,
    export_html,
    html_to_pdf,
    notebook_documents,
    notebook_sections,
    warm_up,
)
from .messages import quiet as quiet_messages
from .messages import say
from .output import DEFAULT_LANG, atomic_directory, entry_language, language_name, tag_language
from .provenance import manifest_name, read_manifest, record_outputs, write_manifest

__all__ = [
    "DEFAULT_AUTHOR",
    "FORMATS",
    "RenderResult",
    "check_output_folder",
    "export_html",
    "failed_path",
    "html_to_pdf",
    "output_language",
    "owned_names",
    "render_notebook",
]

#: A notebook parameter that render sets to the (temporary) output folder, when the notebook has it.
OUTPUT_DIR_PARAMETER = "output_dir"
#: Documents a notebook writes beside its main one (the briefing's Bilag), by their plain names.
COMPANION_DOCUMENTS = ("bilag",)
#: The folder of tables a notebook writes into its output (``tables.en`` in English).
TABLES_FOLDER = "tables"
#: Files an operating system's file browser leaves in any folder it shows; carried over, never refused.
OS_CLUTTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


@dataclass(frozen=True)
class RenderResult:
    """What :func:`render_notebook` wrote, and how long each step took.

    Attributes
    ----------
    out_dir : Path
        The output folder.
    paths : dict of str to Path
        Files written, by kind: ``"ipynb"`` (the executed notebook), ``"html"``, ``"pdf"``.
    timings : dict of str to float
        Seconds per step: ``"execute"``, ``"html"``, ``"pdf"`` (the formats requested) and
        ``"total"`` (the whole call, including the parameter check and the final move).
    """

    out_dir: Path
    paths: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """Return a one-line summary of the timings, e.g. for the CLI."""
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items() if k != "total")
        return f"rendered {self.out_dir} in {self.timings.get('total', 0.0):.1f} s ({steps})"


def render_notebook(
    notebook: str | Path,
    out_dir: str | Path,
    parameters: Mapping[str, Any] | None,
    *,
    formats: Iterable[str] = FORMATS,
    title: str,
    progress: bool | None = None,
    metadata: Mapping[str, str] | None = None,
    out_name: str = "briefing",
    manifest: Mapping[str, Any] | None = None,
    keep: Iterable[str] = (),
    quiet: bool = False,
    word_template: str | Path | None = None,
    inputs: Iterable[str | Path] = (),
    failed_as: str | Path | None = None,
    shown_as: str | Path | None = None,
) -> RenderResult:
    """Execute a notebook with parameters and write the briefing into ``out_dir``, all-or-nothing.

    ``out_dir`` ends up holding ``<out_name>.ipynb`` (the executed notebook, with papermill's
    ``injected-parameters`` cell) and ``<out_name>.html`` / ``<out_name>.pdf`` for the requested
    formats. Its files are replaced only when every step succeeded; on failure it is left exactly
    as it was, and the executed notebook (with the traceback) is kept beside it as
    ``<out_dir>.failed.ipynb`` for diagnosis. A successful render removes that file.

    A render in another language than Danish tags every name with its code and leaves the
    other languages' files alone: ``lang="en"`` writes ``<out_name>.en.ipynb`` /
    ``.en.html`` / ``.en.pdf``, ``tables.en/`` and ``manifest.en.json`` (diagnosis:
    ``<out_dir>.failed.en.ipynb``) beside the Danish files, which stay byte for byte; a Danish
    render likewise keeps the English files.

    Parameters
    ----------
    notebook : str or Path
        The notebook to execute.
    out_dir : str or Path
        Output folder. It must be new, empty, or the output of an earlier render in any language
        (holding ``<out_name>.ipynb`` or ``<out_name>.en.ipynb``, or a manifest) and nothing else
        (:func:`check_output_folder`): the language's files in it are replaced as a whole, and
        anything the tool did not write is never touched, so such a folder is refused.
    parameters : mapping
        Values for the names in the notebook's cell tagged ``parameters``; any other name is
        refused before the kernel starts. ``lang`` (``"da"`` or ``"en"``, else the notebook's
        default, else ``"da"``) also sets the page language and the footer words.
    formats : iterable of str
        Any of ``"html"``, ``"pdf"`` and ``"docx"``; the executed notebook is always written. A
        notebook whose sections name another document (the briefing's Bilag) gets that document
        written beside the main one in the same formats (``bilag.html``, ``bilag.pdf`` ...).
    title : str
        The briefing's title: the page's ``<title>`` and the PDF title, and the page's H1 and
        running header from page 2 unless the notebook shows its own ``<h1 class="doctitle">``.
    progress : bool, optional
        Show papermill's cell progress bar; by default only when stderr is a terminal.
    metadata : mapping of str to str, optional
        Extra ``<meta name=... content=...>`` tags for the page head; WeasyPrint copies
        ``author``, ``description``, ``keywords``, ``generator``, ``dcterms.created`` and
        ``dcterms.modified`` into the PDF. ``author`` defaults to :data:`DEFAULT_AUTHOR`.
    out_name : str
        Base name of the files written.
    manifest : mapping, optional
        Provenance (:func:`analysis.pipeline.provenance.build_manifest`): written as ``manifest.json``
        into the output before the notebook runs (so the notebook can show it), and again with
        the finished time and the hashes of every output at the end (as ``manifest.en.json``
        for English).
    keep : iterable of str
        Entries of an existing ``out_dir`` carried over into the new one (e.g. ``departments``,
        the profiles rendered into the briefing's folder).
    quiet : bool
        Print no step lines (batch rendering shows one overall progress bar instead).
    word_template : str or Path, optional
        A ``.docx`` whose styles the Word documents take (:func:`analysis.report.word.write_docx`).
    inputs : iterable of str or Path
        The files the notebook reads (survey exports, texts, template): refused when they lie
        inside ``out_dir``, which is replaced.
    failed_as : str or Path, optional
        Where to keep the executed notebook of a failed render (default
        ``<out_dir>.failed.ipynb``). When given, a successful render leaves that file to the caller.
    shown_as : str or Path, optional
        The folder the step messages name, when ``out_dir`` is a staging folder (a batch's).

    Returns
    -------
    RenderResult
        The paths written and the seconds per step.

    Raises
    ------
    ParameterError
        Unknown parameters or formats, an unsupported ``lang``, a missing notebook, or an
        output folder that is not safe to replace. Raised before anything is executed or written.
    RenderError
        A cell failed (the message names the cell, its first line and the error) or an export
        failed.
    """
    started = time.perf_counter()
    notebook = Path(notebook).resolve()
    out_dir = Path(out_dir).resolve()
    parameters = dict(parameters or {})
    formats = check_formats(formats)
    accepted = notebook_parameters(notebook)
    if OUTPUT_DIR_PARAMETER in parameters:
        raise ParameterError(f"{OUTPUT_DIR_PARAMETER!r} is set by render itself (the output folder); leave it out.")
    check_parameters(notebook, parameters, accepted)
    lang = _page_language(parameters, accepted)
    check_output_folder(out_dir, notebook, out_name, tuple(keep), inputs)
    failed = Path(failed_as) if failed_as is not None else failed_path(out_dir, lang)
    show_progress = sys.stderr.isatty() if progress is None else bool(progress)
    names = {kind: language_name(f"{out_name}.{kind}", lang) for kind in ("ipynb", *formats)}

    # Importing and setting up nbconvert and WeasyPrint takes about a second; the kernel start
    # and the notebook's own work take longer, and meanwhile this process only waits.
    warming = threading.Thread(target=warm_up, name="briefing-warm-up", daemon=True)
    if formats:
        warming.start()
    try:
        with quiet_messages(quiet):
            timings = _render_into(
                out_dir,
                notebook,
                parameters,
                formats,
                names,
                failed,
                show_progress,
                warming,
                tuple(keep),
                manifest,
                lang=lang,
                title=title,
                metadata=metadata,
                wants_output_dir=OUTPUT_DIR_PARAMETER in accepted,
                word_template=word_template,
            )
            if failed_as is None:
                failed.unlink(missing_ok=True)  # stale diagnosis of an earlier failed run
            timings["total"] = time.perf_counter() - started
            result = RenderResult(out_dir, {k: out_dir / v for k, v in names.items()}, timings)
            say(RenderResult(Path(shown_as), timings=timings).summary() if shown_as else result.summary())
        return result
    finally:
        if warming.is_alive():
            warming.join()  # never leave it running into interpreter shutdown


def _render_into(
    out_dir: Path,
    notebook: Path,
    parameters: dict,
    formats: tuple[str, ...],
    names: dict[str, str],
    failed: Path,
    progress: bool,
    warming: threading.Thread,
    keep: tuple[str, ...],
    manifest: Mapping[str, Any] | None,
    **page: Any,
) -> dict[str, float]:
    """Execute and export into a temporary folder that replaces ``out_dir`` on success.

    Returns the seconds per step. On failure, keeps the executed notebook at ``failed`` and
    raises RenderError; ``out_dir`` is left untouched (atomic_directory).
    """
    timings: dict[str, float] = {}
    lang = page["lang"]
    word_template = page.pop("word_template", None)
    owned = owned_names(out_dir, names["ipynb"].split(".")[0], lang)
    with atomic_directory(out_dir, keep=keep, lang=lang, owned=owned) as work:
        _share_like_umask(work)
        nb_path = work / names["ipynb"]
        if manifest is not None:
            write_manifest(work, manifest)  # the notebook shows it in its appendix
        if page.pop("wants_output_dir"):
            # The notebook writes its own extra outputs (e.g. the CSV tables) into the same
            # temporary folder, so they too appear only when everything succeeded.
            parameters = {**parameters, OUTPUT_DIR_PARAMETER: str(work)}
        say(f"Running {notebook.name} ({KERNEL_NAME} kernel)...")
        t0 = time.perf_counter()
        try:
            executed = execute_notebook(notebook, nb_path, parameters, progress)
        except BriefingError:
            raise
        except Exception as exc:
            kept = keep_failed(nb_path, failed)
            raise RenderError(execution_failure(exc, notebook, out_dir, kept)) from exc
        timings["execute"] = time.perf_counter() - t0
        if not formats:
            _finish(work, manifest, lang)
            return timings

        try:
            _export_documents(executed, work, notebook, formats, names, warming, timings, page, word_template)
        except Exception as exc:
            kept = keep_failed(nb_path, failed)
            reason = str(exc) if isinstance(exc, BriefingError) else f"{type(exc).__name__}: {exc}"
            raise RenderError(f"Exporting the briefing failed ({reason}).\n{where_kept(kept, out_dir)}") from exc
        _finish(work, manifest, lang)
    return timings


def _export_documents(
    executed: Any,
    work: Path,
    notebook: Path,
    formats: tuple[str, ...],
    names: dict[str, str],
    warming: threading.Thread,
    timings: dict[str, float],
    page: dict[str, Any],
    word_template: str | Path | None = None,
) -> None:
    """Write every document of the executed notebook in every format, adding their names to ``names``.

    The main document (outputs that name none, e.g. the memo) is written as ``<out_name>.*``; any
    other document a section names (the Bilag) as ``<document>.*`` beside it. Links from one
    document to another (``bilag.html#bilag-2``) are pointed at the file of the same format and
    language; in the PDF they point at the PDF.
    """
    lang, title = page["lang"], page["title"]
    main_stem = names["ipynb"].removesuffix(".ipynb")
    main = main_document(main_stem, lang)
    documents = notebook_documents(executed, main)
    stems = {doc: main_stem if doc == main else language_name(doc, lang) for doc in documents}
    for doc in documents:
        for kind in formats:
            names.setdefault(kind if doc == main else f"{doc}.{kind}", f"{stems[doc]}.{kind}")
    warming.join()
    for doc in documents:
        key = "" if doc == main else f"{doc}."
        doc_title = title if doc == main else document_title(doc, title, lang)
        say(f"Exporting {stems[doc]}...")
        t0 = time.perf_counter()
        html = ""
        if {"html", "pdf"} & set(formats):
            html = export_html(
                executed, lang=lang, title=doc_title, metadata=page.get("metadata"), document=doc, main=main
            )
        if "html" in formats:
            (work / names[f"{key}html"]).write_text(_point_links(html, stems, "html"), encoding="utf-8")
        timings[f"{key}html"] = time.perf_counter() - t0
        if "pdf" in formats:
            t0 = time.perf_counter()
            # No base URL: a link to the sibling PDF (bilag.pdf#bilag-2) stays relative to this file.
            html_to_pdf(_point_links(html, stems, "pdf"), work / names[f"{key}pdf"])
            timings[f"{key}pdf"] = time.perf_counter() - t0
        if "docx" in formats:
            t0 = time.perf_counter()
            from ..report.word import write_docx

            sections = notebook_sections(executed, doc, main)
            if not sections:
                # A notebook that shows plain HTML (not analysis.report sections) has nothing Word can use.
                say(f"note: {notebook.name} shows no sections made by analysis.report, so no {names[f'{key}docx']}.")
                del names[f"{key}docx"]
                continue
            write_docx(
                sections,
                work / names[f"{key}docx"],
                title=doc_title,
                lang=lang,
                subject=(page.get("metadata") or {}).get("description", ""),
                keywords=(page.get("metadata") or {}).get("keywords", ""),
                author=(page.get("metadata") or {}).get("author", DEFAULT_AUTHOR),
                reference=word_template,
                links={f"{d}.html": f"{s}.docx" for d, s in stems.items()},
            )
            timings[f"{key}docx"] = time.perf_counter() - t0


def main_document(stem: str, lang: str) -> str:
    """Return the document key of a notebook's main document from its file stem (``briefing.en`` -> ``briefing``)."""
    return stem.removesuffix(f".{lang}") if lang != DEFAULT_LANG else stem


def document_title(document: str, title: str, lang: str) -> str:
    """Return the title of a document beside the main one, e.g. "Bilag: <title>"."""
    if document == "bilag":
        return f"{'Appendices' if lang == 'en' else 'Bilag'}: {title}"
    return f"{document}: {title}"


def _point_links(html: str, stems: Mapping[str, str], kind: str) -> str:
    """Point links between documents (``href="bilag.html#..."``) at the files written in ``kind``."""
    for doc, stem in stems.items():
        html = html.replace(f'href="{doc}.html#', f'href="{stem}.{kind}#')
    return html


def _finish(work: Path, manifest: Mapping[str, Any] | None, lang: str) -> None:
    """Give every output its language's name, then rewrite the manifest with the finished time
    and the hash of every output (under those names)."""
    tag_language(work, lang)  # tables/ -> tables.en/, manifest.json -> manifest.en.json
    if manifest is not None:
        write_manifest(work, record_outputs(work, dict(manifest), finished=datetime.now(UTC)), lang=lang)


def output_language(notebook: str | Path, parameters: Mapping[str, Any] | None) -> str:
    """Return the language a render of ``notebook`` with ``parameters`` writes (its file names).

    The ``lang`` parameter, else the notebook's default, else Danish.
    """
    return _page_language(dict(parameters or {}), notebook_parameters(Path(notebook).resolve()))


def failed_path(out_dir: Path, lang: str) -> Path:
    """Return where a failed render's notebook is kept: ``<out_dir>.failed[.<lang>].ipynb``."""
    tag = "" if lang == DEFAULT_LANG else f".{lang}"
    return out_dir.with_name(f"{out_dir.name}.failed{tag}.ipynb")


def _page_language(parameters: Mapping[str, Any], accepted: Mapping[str, dict]) -> str:
    """Return the page language: the ``lang`` parameter, else the notebook's default, else da."""
    if "lang" in parameters:
        lang = parameters["lang"]
    elif "lang" in accepted:
        try:
            lang = ast.literal_eval(accepted["lang"]["default"])
        except (ValueError, SyntaxError):
            lang = "da"
    else:
        lang = "da"
    return check_lang(lang)


def owned_names(folder: Path, out_name: str, lang: str):
    """Return a test of whether a top-level entry of ``folder`` is a render's own, in ``lang``.

    A render of ``lang`` owns, by its naming rules, ``<out_name>.*`` and its companion documents
    (``bilag.*``) in the executed-notebook and document formats, ``tables/`` and ``manifest.json``
    (tagged for any language but Danish: ``briefing.en.html``, ``tables.en``,
    ``manifest.en.json``), and whatever its manifest in ``folder`` lists. Nothing else.
    """
    documents = (out_name, *COMPANION_DOCUMENTS)
    own = {language_name(f"{doc}.{kind}", lang) for doc in documents for kind in ("ipynb", *FORMATS)}
    own |= {language_name(TABLES_FOLDER, lang), manifest_name(lang)}
    manifest = read_manifest(folder, lang=lang) if folder.is_dir() else None
    outputs = manifest.get("outputs") if manifest else None
    if isinstance(outputs, dict):
        own |= {str(rel).split("/")[0] for rel in outputs if entry_language(str(rel).split("/")[0]) == lang}
    return own.__contains__


def check_output_folder(
    out_dir: Path, notebook: Path, out_name: str, keep: Iterable[str] = (), inputs: Iterable[str | Path] = ()
) -> None:
    """Refuse an output folder whose replacement would touch something the tool did not write.

    Raises ParameterError (before anything runs) when ``out_name`` is not a plain name, when
    ``out_dir`` is a file, holds the notebook or an input file, or holds an entry that no
    language's render owns (:func:`owned_names`) other than those in ``keep`` and a file
    browser's clutter (``.DS_Store``), or when it is not empty and shows no earlier render.
    """
    if not out_name or Path(out_name).name != out_name or out_name.startswith("."):
        raise ParameterError(f"out_name must be a plain file name without folders; got {out_name!r}.")
    if entry_language(f"{out_name}.ipynb") != DEFAULT_LANG:
        raise ParameterError(
            f"out_name {out_name!r} carries a language tag; give the plain name (the language adds its own)."
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise ParameterError(f"Output folder {out_dir} exists and is not a folder.")
    inside = [Path(p) for p in (notebook, *inputs) if Path(p).resolve().is_relative_to(out_dir)]
    if inside:
        named = ", ".join(str(p) for p in inside[:3]) + (f" and {len(inside) - 3} more" if len(inside) > 3 else "")
        raise ParameterError(
            f"Output folder {out_dir} contains an input of this render ({named}); the output folder is "
            "replaced as a whole, so choose a folder of its own (e.g. reports/<wave>), or move the input out of it."
        )
    if not out_dir.is_dir():
        return
    keep = set(keep)
    tests = [owned_names(out_dir, out_name, lang) for lang in LANGUAGES]
    entries = sorted(p.name for p in out_dir.iterdir())
    foreign = [n for n in entries if n not in keep and n not in OS_CLUTTER and not any(t(n) for t in tests)]
    if foreign:
        named = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ParameterError(
            f"Output folder {out_dir} holds {named}, which this tool did not write. A render replaces "
            "only its own files there and never touches anything else, so it stops rather than mix "
            "them: move them elsewhere, or choose a new or empty folder with --out (e.g. reports/<wave>)."
        )
    own = [n for n in entries if n not in keep and n not in OS_CLUTTER]
    earlier = [language_name(f"{out_name}.ipynb", lang) for lang in LANGUAGES]
    manifests = [manifest_name(lang) for lang in LANGUAGES]
    if own and not any((out_dir / name).exists() for name in (*earlier, *manifests)):
        raise ParameterError(
            f"Output folder {out_dir} is not empty and holds no {' or '.join(earlier)} from an earlier "
            "render; it would be replaced as a whole. Choose a new or empty folder."
        )


def _share_like_umask(folder: Path) -> None:
    """Give the temporary folder (created 0700) the permissions of an ordinary new folder.

    The briefing is meant to be read by colleagues; a folder made with ``mkdir`` would get
    ``0777 & ~umask``.
    """
    if os.name != "posix":
        return
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask)
