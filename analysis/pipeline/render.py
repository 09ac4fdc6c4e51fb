"""Render a briefing notebook: execute it, then export HTML and PDF, all-or-nothing.

The three steps run in this one Python process through the libraries' Python APIs:

1. papermill executes the notebook with the given parameters (refused before the kernel starts
   when the notebook's ``parameters`` cell does not define them);
2. nbconvert exports the executed notebook to one self-contained HTML page with the project's
   own template (``analysis/templates/briefing``): only the rich display outputs, no code;
3. WeasyPrint prints the same HTML to an A4 PDF.

Everything is written into a temporary folder beside the output folder, which replaces the output
folder only when every requested format succeeded (:func:`analysis.pipeline.output.atomic_directory`).
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import functools
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jinja2 import pass_context

from .. import config
from ..exceptions import BriefingError, ParameterError, RenderError
from .output import atomic_directory
from .provenance import record_outputs, write_manifest
from .sanitize import safe_html

__all__ = ["FORMATS", "RenderResult", "export_html", "html_to_pdf", "render_notebook"]

#: Formats :func:`render_notebook` can write, besides the executed notebook itself.
#: A notebook parameter that render sets to the (temporary) output folder, when the notebook has it.
OUTPUT_DIR_PARAMETER = "output_dir"

FORMATS = ("html", "pdf")
#: Author written into the HTML ``<meta name="author">`` and the PDF's metadata by default.
DEFAULT_AUTHOR = "Københavns Kommune, Økonomiforvaltningen"
#: Kernel that executes the notebooks (ipykernel's spec in the project's virtual environment).
KERNEL_NAME = "python3"
#: Languages the page template has words for.
LANGUAGES = ("da", "en")

TEMPLATE_NAME = "briefing"
TEMPLATE_DIR = config.TEMPLATES_DIR / TEMPLATE_NAME
CSS_PATH = TEMPLATE_DIR / "briefing.css"

_WORDS = {
    "da": {"page": "side", "of": "af", "figure": "Figur"},
    "en": {"page": "page", "of": "of", "figure": "Figure"},
}
# The output types a briefing shows, best first. Widgets, JavaScript, LaTeX and plain text are
# never shown: a briefing is a static document, and text/plain is a repr, not content.
_DISPLAY_PRIORITY = ["text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg"]
_DOCTITLE_RE = re.compile(r"""<h1\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bdoctitle\b""", re.IGNORECASE)


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
) -> RenderResult:
    """Execute a notebook with parameters and write the briefing into ``out_dir``, all-or-nothing.

    ``out_dir`` ends up holding ``<out_name>.ipynb`` (the executed notebook, with papermill's
    ``injected-parameters`` cell) and ``<out_name>.html`` / ``<out_name>.pdf`` for the requested
    formats. It is replaced only when every step succeeded; on failure it is left exactly as it
    was, and the executed notebook (with the traceback) is kept beside it as
    ``<out_dir>.failed.ipynb`` for diagnosis. A successful render removes that file.

    Parameters
    ----------
    notebook : str or Path
        The notebook to execute.
    out_dir : str or Path
        Output folder. It must be new, empty, or the output of an earlier render (holding
        ``<out_name>.ipynb``), because it is replaced as a whole.
    parameters : mapping
        Values for the names in the notebook's cell tagged ``parameters``; any other name is
        refused before the kernel starts. ``lang`` (``"da"`` or ``"en"``, else the notebook's
        default, else ``"da"``) also sets the page language and the footer words.
    formats : iterable of str
        Any of ``"html"`` and ``"pdf"``; the executed notebook is always written.
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
        the finished time and the hashes of every output at the end.
    keep : iterable of str
        Entries of an existing ``out_dir`` carried over into the new one (e.g. ``departments``,
        the profiles rendered into the briefing's folder).
    quiet : bool
        Print no step lines (batch rendering shows one overall progress bar instead).

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
    formats = _check_formats(formats)
    accepted = _notebook_parameters(notebook)
    if OUTPUT_DIR_PARAMETER in parameters:
        raise ParameterError(f"{OUTPUT_DIR_PARAMETER!r} is set by render itself (the output folder); leave it out.")
    _check_parameters(notebook, parameters, accepted)
    lang = _page_language(parameters, accepted)
    _check_out_dir(out_dir, notebook, out_name, tuple(keep))
    failed_path = out_dir.with_name(f"{out_dir.name}.failed.ipynb")
    show_progress = sys.stderr.isatty() if progress is None else bool(progress)
    names = {"ipynb": f"{out_name}.ipynb", **{fmt: f"{out_name}.{fmt}" for fmt in formats}}

    # Importing and setting up nbconvert and WeasyPrint takes about a second; the kernel start
    # and the notebook's own work take longer, and meanwhile this process only waits.
    warm_up = threading.Thread(target=_warm_up, name="briefing-warm-up", daemon=True)
    if formats:
        warm_up.start()
    try:
        _QUIET.on = quiet
        timings = _render_into(out_dir, notebook, parameters, formats, names, failed_path,
                               show_progress, warm_up, tuple(keep), manifest, lang=lang, title=title,
                               metadata=metadata, wants_output_dir=OUTPUT_DIR_PARAMETER in accepted)
        failed_path.unlink(missing_ok=True)  # stale diagnosis of an earlier failed run
        timings["total"] = time.perf_counter() - started
        result = RenderResult(out_dir, {k: out_dir / v for k, v in names.items()}, timings)
        _say(result.summary())
        return result
    finally:
        _QUIET.on = False
        if warm_up.is_alive():
            warm_up.join()  # never leave it running into interpreter shutdown


def _render_into(out_dir: Path, notebook: Path, parameters: dict, formats: tuple[str, ...],
                 names: dict[str, str], failed_path: Path, progress: bool,
                 warm_up: threading.Thread, keep: tuple[str, ...], manifest: Mapping[str, Any] | None,
                 **page: Any) -> dict[str, float]:
    """Execute and export into a temporary folder that replaces ``out_dir`` on success.

    Returns the seconds per step. On failure, keeps the executed notebook at ``failed_path`` and
    raises RenderError; ``out_dir`` is left untouched (atomic_directory).
    """
    timings: dict[str, float] = {}
    with atomic_directory(out_dir, keep=keep) as work:
        _share_like_umask(work)
        nb_path = work / names["ipynb"]
        if manifest is not None:
            write_manifest(work, manifest)  # the notebook shows it in its appendix
        if page.pop("wants_output_dir"):
            # The notebook writes its own extra outputs (e.g. the CSV tables) into the same
            # temporary folder, so they too appear only when everything succeeded.
            parameters = {**parameters, OUTPUT_DIR_PARAMETER: str(work)}
        _say(f"Running {notebook.name} ({KERNEL_NAME} kernel)...")
        t0 = time.perf_counter()
        try:
            executed = _execute(notebook, nb_path, parameters, progress)
        except BriefingError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes one clear RenderError
            kept = _keep_failed(nb_path, failed_path)
            raise RenderError(_execution_failure(exc, notebook, out_dir, kept)) from exc
        timings["execute"] = time.perf_counter() - t0
        if not formats:
            _finish_manifest(work, manifest)
            return timings

        try:
            _say("Exporting HTML...")
            t0 = time.perf_counter()
            warm_up.join()
            html = export_html(executed, **page)
            if "html" in formats:
                (work / names["html"]).write_text(html, encoding="utf-8")
            timings["html"] = time.perf_counter() - t0
            if "pdf" in formats:
                _say("Printing PDF...")
                t0 = time.perf_counter()
                html_to_pdf(html, work / names["pdf"], base_url=notebook.parent)
                timings["pdf"] = time.perf_counter() - t0
        except Exception as exc:  # noqa: BLE001
            kept = _keep_failed(nb_path, failed_path)
            reason = str(exc) if isinstance(exc, BriefingError) else f"{type(exc).__name__}: {exc}"
            raise RenderError(f"Exporting the briefing failed ({reason}).\n"
                              f"{_where_kept(kept, out_dir)}") from exc
        _finish_manifest(work, manifest)
    return timings


def _finish_manifest(work: Path, manifest: Mapping[str, Any] | None) -> None:
    """Rewrite the manifest with the finished time and the hash of every output."""
    if manifest is not None:
        write_manifest(work, record_outputs(work, dict(manifest), finished=datetime.now(timezone.utc)))


def export_html(
    notebook_node: Any,
    *,
    lang: str = "da",
    title: str,
    metadata: Mapping[str, str] | None = None,
) -> str:
    """Return an executed notebook as one self-contained HTML page in the briefing style.

    Only the rich display outputs appear (text/html, text/markdown, SVG, PNG and JPEG images
    as ``<img>`` with alt text); code, prompts, markdown cells, stream output and errors do not.
    The CSS is inlined and nothing is loaded from the network: ``<script>``, ``<link>``,
    ``<iframe>``, ``<object>`` and ``<embed>`` elements in outputs are dropped.

    Parameters
    ----------
    notebook_node : nbformat.NotebookNode
        The executed notebook (as papermill returns it, or read with ``nbformat.read``).
    lang : {"da", "en"}
        Page language: ``<html lang>`` and the PDF footer words ("side 1 af 3", "page 1 of 3").
    title : str
        Page ``<title>``; also the page's H1 (``<h1 class="doctitle">``, the running header
        from page 2) unless an output of the notebook already shows one.
    metadata : mapping of str to str, optional
        Extra ``<meta name content>`` tags; ``author`` defaults to :data:`DEFAULT_AUTHOR`.

    Returns
    -------
    str
        The HTML page.
    """
    if lang not in _WORDS:
        raise ParameterError(f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r}.")
    meta = {"author": DEFAULT_AUTHOR, "generator": "kk-procurement-briefing"}
    meta.update({str(k): str(v) for k, v in (metadata or {}).items()})
    resources = {
        "briefing": {
            "lang": lang,
            "title": title,
            # The notebook may show its own title block (analysis.briefing's header(), an
            # <h1 class="doctitle">); then the page adds none, so the title is not shown twice.
            "own_title": not _shows_title(notebook_node),
            "meta": sorted(meta.items()),
            "words": _WORDS[lang],
            "css": _css(),
        }
    }
    with warnings.catch_warnings():
        # Outputs with only text/plain (a stray repr) are left out on purpose; no need to warn.
        warnings.filterwarnings("ignore", message="Your element with mimetype", category=UserWarning)
        html, resources = _exporter().from_notebook_node(notebook_node, resources=resources)
    missing = len(resources["briefing"].get("missing_alt", []))
    if missing:
        _say(f"warning: {missing} image output{'s' if missing > 1 else ''} without alt text; the "
             f"page says {_WORDS[lang]['figure']!r} instead. Display images with "
             "IPython.display.Image(..., alt=...) or as <img alt=...> in HTML.")
    return html


def _shows_title(notebook_node: Any) -> bool:
    """Return whether an HTML output of the notebook holds an ``<h1 class="doctitle">``."""
    for cell in notebook_node.get("cells", []):
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            if isinstance(html, list):
                html = "".join(html)
            if "doctitle" in html and _DOCTITLE_RE.search(html):
                return True
    return False


def html_to_pdf(html: str, path: str | Path, *, base_url: str | Path | None = None) -> Path:
    """Print an HTML page to a PDF file with WeasyPrint, fetching nothing but ``data:`` URLs.

    Page size, margins, running header and page numbers come from the page's CSS
    (``@page`` rules). The PDF's title comes from ``<title>``, its language from
    ``<html lang>``, and author, description and keywords from the ``<meta>`` tags.

    Parameters
    ----------
    html : str
        The HTML page, e.g. from :func:`export_html`.
    path : str or Path
        PDF file to write.
    base_url : str or Path, optional
        Base for relative URLs in the page (none are fetched; kept for error messages).

    Returns
    -------
    Path
        ``path``.
    """
    import weasyprint

    path = Path(path)
    document = weasyprint.HTML(
        string=html,
        base_url=str(base_url) if base_url is not None else None,
        url_fetcher=_url_fetcher(),
    )
    # Tagged PDF: the structure (headings, tables, alt text) for screen readers.
    document.write_pdf(path, pdf_tags=True)
    return path


# --- parameters and checks ---------------------------------------------------------------


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """Return the requested formats in canonical order, refusing unknown ones."""
    if isinstance(formats, str):
        formats = (formats,)
    requested = [str(f).lower().lstrip(".") for f in formats]
    unknown = sorted(set(requested) - set(FORMATS))
    if unknown:
        raise ParameterError(
            f"Unknown output format(s): {', '.join(map(repr, unknown))}. "
            f"Choose from: {', '.join(FORMATS)}.")
    return tuple(f for f in FORMATS if f in requested)


def _notebook_parameters(notebook: Path) -> dict[str, dict]:
    """Return the names the notebook's ``parameters`` cell assigns, with their defaults.

    The cell is parsed with :mod:`ast`, not with papermill's line patterns, which miss
    annotations such as ``wave: int | None = None`` and would make such names look unknown.
    Returns ``{name: {"name", "inferred_type_name", "default", "help"}}`` (papermill's shape).
    """
    if not notebook.is_file():
        raise ParameterError(f"Notebook not found: {notebook}")
    import nbformat

    try:
        nb = nbformat.read(str(notebook), as_version=4)
    except Exception as exc:  # noqa: BLE001 - unreadable JSON and the like
        raise ParameterError(f"Cannot read notebook {notebook}: {type(exc).__name__}: {exc}") from exc
    cell = next((c for c in nb.cells if c.cell_type == "code"
                 and "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return {}
    try:
        return _parse_parameters(cell.source)
    except SyntaxError:
        # e.g. an IPython magic in the cell: fall back on papermill's line-by-line inspection
        from papermill.inspection import _infer_parameters

        with _quiet_papermill():
            return {p.name: p._asdict() for p in _infer_parameters(nb)}


def _parse_parameters(source: str) -> dict[str, dict]:
    """Return the top-level names assigned in a parameters cell's source.

    >>> p = _parse_parameters('wave: int | None = None  # survey year\\nlang = "da"')
    >>> [(k, v["inferred_type_name"], v["default"], v["help"]) for k, v in p.items()]
    [('wave', 'int | None', 'None', 'survey year'), ('lang', 'None', "'da'", '')]
    """
    import io
    import tokenize

    tree = ast.parse(source)
    comments = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    params: dict[str, dict] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign):
            targets, annotation = [node.target], ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign):
            targets, annotation = node.targets, "None"
        else:
            continue
        for target in targets:
            for name, value in _pair_targets(target, node.value):
                params[name] = {"name": name, "inferred_type_name": annotation,
                                "default": ast.unparse(value) if value is not None else "None",
                                "help": comments.get(node.end_lineno, "")}
    return params


def _pair_targets(target: ast.expr, value: ast.expr | None) -> list[tuple[str, ast.expr | None]]:
    """Return (name, value) pairs of an assignment target, unpacking ``a, b = 1, 2``."""
    if isinstance(target, ast.Name):
        return [(target.id, value)]
    if isinstance(target, (ast.Tuple, ast.List)):
        values = (value.elts if isinstance(value, (ast.Tuple, ast.List))
                  and len(value.elts) == len(target.elts) else [None] * len(target.elts))
        return [pair for t, v in zip(target.elts, values) for pair in _pair_targets(t, v)]
    return []  # attribute or subscript targets (x.y = 1, d["k"] = 1) define no parameter


@contextlib.contextmanager
def _quiet_papermill():
    """Drop papermill's warnings about parameter lines it cannot parse or names it does not see.

    The parameters were checked already (:func:`_parse_parameters` reads what papermill's
    line patterns miss), so those warnings would only be noise on the terminal.
    """
    import logging

    noise = ("Unable to parse line", "Passed unknown parameter")

    def keep(record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(noise)

    # A filter only sees records logged on its own logger, not those propagated from children.
    loggers = [logging.getLogger(name) for name in ("papermill", "papermill.translators")]
    for logger in loggers:
        logger.addFilter(keep)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(keep)


def _check_parameters(notebook: Path, parameters: Mapping[str, Any], accepted: Mapping[str, dict]) -> None:
    """Raise ParameterError naming every parameter the notebook does not define."""
    unknown = [name for name in parameters if name not in accepted]
    if not unknown:
        return
    lines = [f"Unknown parameter{'s' if len(unknown) > 1 else ''} for {notebook.name}: "
             f"{', '.join(map(repr, unknown))}."]
    for name in unknown:
        close = difflib.get_close_matches(name, list(accepted), n=1)
        if close:
            lines.append(f"  {name!r}: did you mean {close[0]!r}?")
    if accepted:
        listed = ", ".join(
            f"{name} ({p['inferred_type_name']}, default {p['default']})"
            if p.get("inferred_type_name") not in (None, "None") else f"{name} (default {p['default']})"
            for name, p in accepted.items())
        lines.append(f"The notebook accepts: {listed}.")
    else:
        lines.append("The notebook has no cell tagged 'parameters', so it accepts none.")
    raise ParameterError("\n".join(lines))


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
    if lang not in LANGUAGES:
        raise ParameterError(f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r}.")
    return lang


def _check_out_dir(out_dir: Path, notebook: Path, out_name: str, keep: Iterable[str] = ()) -> None:
    """Refuse an output folder whose replacement would destroy something that is not output."""
    if not out_name or Path(out_name).name != out_name or out_name.startswith("."):
        raise ParameterError(f"out_name must be a plain file name without folders; got {out_name!r}.")
    if out_dir.exists() and not out_dir.is_dir():
        raise ParameterError(f"Output folder {out_dir} exists and is not a folder.")
    if notebook.is_relative_to(out_dir):
        raise ParameterError(
            f"Output folder {out_dir} contains the notebook {notebook.name}; the output folder is "
            "replaced as a whole, so choose a folder of its own (e.g. reports/<name>).")
    own = [p for p in out_dir.iterdir() if p.name not in keep] if out_dir.is_dir() else []
    if own and not (out_dir / f"{out_name}.ipynb").exists():
        raise ParameterError(
            f"Output folder {out_dir} is not empty and holds no {out_name}.ipynb from an earlier "
            "render; it would be replaced as a whole. Choose a new or empty folder.")


# --- execution ---------------------------------------------------------------------------


def _execute(notebook: Path, nb_path: Path, parameters: dict, progress: bool):
    """Execute the notebook with papermill and return the executed notebook node."""
    import papermill

    engine_options: dict[str, Any] = {}
    ipc_dir = None
    if os.name == "posix":
        # Local sockets instead of TCP on localhost: nobody else on the machine can listen in,
        # and ipykernel does not warn about unencrypted TCP on every run. (No IPC on Windows.)
        from traitlets.config import Config

        # Each render gets its own short socket folder: kernels started at the same time by
        # parallel renders can never pick the same socket (the IPC analogue of a port race), and
        # the path stays below the 107-byte limit of a Unix socket.
        ipc_dir = tempfile.mkdtemp(prefix="kb-")
        engine_options["config"] = Config({"KernelManager": {"transport": "ipc", "ip": f"{ipc_dir}/kernel"}})
    try:
        return _run_papermill(notebook, nb_path, parameters, progress, engine_options)
    finally:
        if ipc_dir is not None:
            shutil.rmtree(ipc_dir, ignore_errors=True)


def _run_papermill(notebook: Path, nb_path: Path, parameters: dict, progress: bool, engine_options: dict):
    import papermill

    with _quiet_papermill():
        return papermill.execute_notebook(
            str(notebook),
            str(nb_path),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            language="python",
            cwd=str(notebook.parent),
            progress_bar=progress,
            log_output=False,
            # Saving after every cell rewrites the whole notebook, images included, each time
            # (quadratic in the notebook's size); papermill still writes it at the end and on error.
            request_save_on_cell_execute=False,
            # Every output has arrived when the last cell finishes; a graceful kernel shutdown
            # only adds 0.2-0.4 s of waiting for the kernel to exit.
            shutdown_kernel="immediate",
            **engine_options,
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


def _keep_failed(nb_path: Path, failed_path: Path) -> Path | None:
    """Copy the executed notebook next to the output folder; return where, or None."""
    if not nb_path.is_file():
        return None
    try:
        shutil.copyfile(nb_path, failed_path)
    except OSError:
        return None
    return failed_path


def _where_kept(kept: Path | None, out_dir: Path) -> str:
    # Called inside atomic_directory, before it cleans up: out_dir exists only if it did before.
    unchanged = (f"{out_dir} was left unchanged." if out_dir.exists()
                 else f"Nothing was written to {out_dir}.")
    if kept is None:
        return unchanged
    return f"The executed notebook, with the traceback, was kept at {kept}; {unchanged}"


def _execution_failure(exc: Exception, notebook: Path, out_dir: Path, kept: Path | None) -> str:
    """Return the message for a failed execution: which cell, its first line, the error."""
    from papermill.exceptions import PapermillExecutionError

    if not isinstance(exc, PapermillExecutionError):
        return (f"Running {notebook.name} failed ({type(exc).__name__}: {exc}).\n"
                f"{_where_kept(kept, out_dir)}")
    number = _source_cell_number(notebook, exc.source, exc.cell_index)
    first_line = next((ln.strip() for ln in exc.source.splitlines() if ln.strip()), "")
    if len(first_line) > 100:
        first_line = first_line[:97] + "..."
    evalue = f": {exc.evalue}" if exc.evalue else ""
    return (f"Cell {number} of {notebook.name} (counting all cells from 1) failed with "
            f"{exc.ename}{evalue}\n"
            f"  first line of the cell: {first_line}\n"
            f"{_where_kept(kept, out_dir)}")


def _source_cell_number(notebook: Path, source: str, executed_index: int) -> int:
    """Return the failed cell's 1-based position in the source notebook (all cells counted).

    papermill's index counts its injected-parameters cell, which the source notebook lacks, so
    the cell is found by its source; the executed index is the fallback.
    """
    import nbformat

    try:
        cells = nbformat.read(str(notebook), as_version=4).cells
    except Exception:  # noqa: BLE001 - the message is still useful without the mapping
        return executed_index + 1
    matches = [i for i, c in enumerate(cells) if c.cell_type == "code" and c.source == source]
    if len(matches) == 1:
        return matches[0] + 1
    return executed_index + 1


# --- export ------------------------------------------------------------------------------


@functools.cache
def _css() -> str:
    """Return the briefing CSS (read once per process)."""
    return CSS_PATH.read_text(encoding="utf-8")


@functools.cache
def _exporter():
    """Return the HTML exporter with the briefing template (built once per process)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.extra_template_basedirs = [str(config.TEMPLATES_DIR)]
    # Belt and braces with the template: whatever it does, no code, prompts or notes.
    c.TemplateExporter.exclude_input = True
    c.TemplateExporter.exclude_input_prompt = True
    c.TemplateExporter.exclude_output_prompt = True
    c.TemplateExporter.exclude_markdown = True
    c.TemplateExporter.exclude_raw = True
    c.TemplateExporter.exclude_unknown = True
    c.NbConvertBase.display_data_priority = _DISPLAY_PRIORITY
    # No preprocessors: nothing to do, and nbconvert validates the whole notebook after each
    # one (including disabled ones), which costs time in proportion to the images it holds.
    c.HTMLExporter.default_preprocessors = []
    c.HTMLExporter.preprocessors = []
    exporter = HTMLExporter(config=c)
    exporter.register_filter("briefing_safe_html", safe_html)
    exporter.register_filter("briefing_alt", _alt_text)
    return exporter


@pass_context
def _alt_text(context: Any, output: Mapping, mimetype: str) -> str:
    """Return the alt text of an image output, or the page's generic word for a figure.

    IPython's ``Image(..., alt=...)`` stores the text in the output's metadata. Images without
    one are counted in ``resources["briefing"]["missing_alt"]`` so the caller can warn: a text
    repr such as ``<Figure size 640x480 with 1 Axes>`` describes nothing and is not used.
    """
    metadata = output.get("metadata", {})
    per_type = metadata.get(mimetype, {})
    alt = per_type.get("alt") if isinstance(per_type, Mapping) else None
    alt = alt or metadata.get("alt")
    if alt:
        return str(alt)
    briefing = context.get("resources", {}).get("briefing", {})
    briefing.setdefault("missing_alt", []).append(mimetype)
    return briefing.get("words", _WORDS["da"])["figure"]


def _url_fetcher():
    """Return a WeasyPrint URL fetcher that fetches ``data:`` URLs only (no network, no files)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


def _warm_up() -> None:
    """Set up the exporter and WeasyPrint ahead of use (in a thread, while the kernel runs).

    The first export compiles the templates, and the first PDF initialises fontconfig and
    Pango and parses WeasyPrint's own stylesheets: together about half a second that the
    parent process would otherwise spend after the notebook has finished.
    """
    try:
        import io

        import nbformat
        import weasyprint

        html = export_html(nbformat.v4.new_notebook(), lang="da", title="Opvarmning")
        weasyprint.HTML(string=html, url_fetcher=_url_fetcher()).write_pdf(io.BytesIO())
    except Exception:  # noqa: BLE001 - the real call reports any problem
        pass


_QUIET = threading.local()


def _say(message: str) -> None:
    if not getattr(_QUIET, "on", False):
        print(message, file=sys.stderr, flush=True)
