"""Executing a notebook with papermill, after checking its parameters.

The parameters are read from the notebook's cell tagged ``parameters`` and checked before a
kernel starts; the kernel talks over a private IPC socket; a failed cell becomes one clear
message that names the cell, its first line and the error.

The kernel's connection file (with its HMAC key) and sockets live in the run's private session
folder (:mod:`analysis.pipeline.lifecycle`), never loose in TMPDIR; the kernel is started through
:mod:`analysis.pipeline.kernel_launcher`, which ends it (and what it started) when the process
that started it is gone, and it is registered in the session so that an interrupted run, or the
next run after a ``kill -9``, stops it.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..exceptions import ParameterError
from ..tables.atomic import atomic_write
from . import lifecycle

__all__ = [
    "KERNEL_NAME",
    "check_parameters",
    "execute_notebook",
    "execution_failure",
    "keep_failed",
    "notebook_parameters",
    "where_kept",
]

#: Kernel that executes the notebooks (ipykernel's spec in the project's virtual environment).
KERNEL_NAME = "python3"
#: The module that starts ipykernel with a watch on its parent (in place of ``ipykernel_launcher``).
KERNEL_LAUNCHER = "analysis.pipeline.kernel_launcher"
#: Longest path of a Unix socket that every system accepts (the limit is 104 to 108 bytes).
_SOCKET_PATH_MAX = 100


def notebook_parameters(notebook: Path) -> dict[str, dict]:
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
    except Exception as exc:
        raise ParameterError(f"Cannot read notebook {notebook}: {type(exc).__name__}: {exc}") from exc
    cell = next(
        (c for c in nb.cells if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])), None
    )
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
                params[name] = {
                    "name": name,
                    "inferred_type_name": annotation,
                    "default": ast.unparse(value) if value is not None else "None",
                    "help": comments.get(node.end_lineno, ""),
                }
    return params


def _pair_targets(target: ast.expr, value: ast.expr | None) -> list[tuple[str, ast.expr | None]]:
    """Return (name, value) pairs of an assignment target, unpacking ``a, b = 1, 2``."""
    if isinstance(target, ast.Name):
        return [(target.id, value)]
    if isinstance(target, (ast.Tuple, ast.List)):
        values = (
            value.elts
            if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts)
            else [None] * len(target.elts)
        )
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


def check_parameters(notebook: Path, parameters: Mapping[str, Any], accepted: Mapping[str, dict]) -> None:
    """Raise ParameterError naming every parameter the notebook does not define."""
    unknown = [name for name in parameters if name not in accepted]
    if not unknown:
        return
    lines = [
        f"Unknown parameter{'s' if len(unknown) > 1 else ''} for {notebook.name}: {', '.join(map(repr, unknown))}."
    ]
    for name in unknown:
        close = difflib.get_close_matches(name, list(accepted), n=1)
        if close:
            lines.append(f"  {name!r}: did you mean {close[0]!r}?")
    if accepted:
        listed = ", ".join(
            f"{name} ({p['inferred_type_name']}, default {p['default']})"
            if p.get("inferred_type_name") not in (None, "None")
            else f"{name} (default {p['default']})"
            for name, p in accepted.items()
        )
        lines.append(f"The notebook accepts: {listed}.")
    else:
        lines.append("The notebook has no cell tagged 'parameters', so it accepts none.")
    raise ParameterError("\n".join(lines))


def execute_notebook(notebook: Path, nb_path: Path, parameters: dict, progress: bool):
    """Execute the notebook with papermill and return the executed notebook node.

    The kernel's connection file and sockets are made in the run's session folder and removed
    afterwards; whatever happens (an error, a signal), no kernel of this call is left running.
    """
    run = lifecycle.session()
    token = uuid.uuid4().hex[:12]
    settings: dict[str, Any] = {"connection_file": str(run.path / f"kernel-{token}.json")}
    ipc_dir = None
    if os.name == "posix":
        # Local sockets instead of TCP on localhost: nobody else on the machine can listen in,
        # and ipykernel does not warn about unencrypted TCP on every run. (No IPC on Windows.)
        # Each render gets its own socket folder: kernels started at the same time by parallel
        # renders can never pick the same socket (the IPC analogue of a port race).
        ipc_dir = _socket_folder(run)
        settings.update(transport="ipc", ip=f"{ipc_dir}/kernel")
    from traitlets.config import Config

    engine_options: dict[str, Any] = {
        "config": Config({"KernelManager": settings}),
        "kernel_manager_class": _kernel_manager_class(token),
    }
    try:
        return _run_papermill(notebook, nb_path, parameters, progress, engine_options)
    finally:
        lifecycle.stop_kernels(token=token)  # already shut down, unless the run was cut short
        if ipc_dir is not None:
            shutil.rmtree(ipc_dir, ignore_errors=True)
        Path(settings["connection_file"]).unlink(missing_ok=True)


def _socket_folder(run: lifecycle.Session) -> Path:
    """Return a new folder for a kernel's sockets: in the session, unless its path is too long for a socket."""
    folder = lifecycle.private_tempdir("k")
    if len(os.fsencode(f"{folder}/kernel-99")) <= _SOCKET_PATH_MAX:
        return folder
    # A deep TMPDIR: the sockets go to a short folder of /tmp named after the session, which the
    # session lists so that it is removed with the session however the run ends.
    shutil.rmtree(folder, ignore_errors=True)
    short = Path(tempfile.mkdtemp(prefix=f"kb-{run.name}-", dir="/tmp"))
    lifecycle.register_extra_folder(short)
    return short


def watched_kernel_command(cmd: list[str]) -> list[str]:
    """Return a kernel command that starts ipykernel through :data:`KERNEL_LAUNCHER`.

    Only ipykernel in this very interpreter is started that way (the launcher must be
    importable); any other command is returned as it is.
    """
    cmd = list(cmd)
    for i in range(len(cmd) - 1):
        if cmd[i] == "-m" and cmd[i + 1] == "ipykernel_launcher" and _same_interpreter(cmd[0]):
            cmd[i + 1] = KERNEL_LAUNCHER
            break
    return cmd


def _same_interpreter(executable: str) -> bool:
    try:
        return os.path.samefile(executable, sys.executable)
    except OSError:
        return False


def _kernel_manager_class(token: str):
    """Return a kernel manager class whose kernels watch their parent and are registered under ``token``."""
    from jupyter_client.manager import AsyncKernelManager

    class BriefingKernelManager(AsyncKernelManager):
        """jupyter_client's manager, starting the kernel through the watching launcher."""

        def format_kernel_cmd(self, extra_arguments=None):
            return watched_kernel_command(super().format_kernel_cmd(extra_arguments))

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw["env"] = {**(kw.get("env") or os.environ), **lifecycle.kernel_environment()}
            await super()._async_launch_kernel(kernel_cmd, **kw)
            pid = getattr(self.provisioner, "pid", None)
            if pid:
                lifecycle.register_kernel(int(pid), token)

    return BriefingKernelManager


def _run_papermill(notebook: Path, nb_path: Path, parameters: dict, progress: bool, engine_options: dict):
    """Run papermill on the notebook in its own folder and return the executed notebook node."""
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


def keep_failed(nb_path: Path, failed_path: Path) -> Path | None:
    """Copy the executed notebook next to the output folder, all-or-nothing; return where, or None.

    When the copy cannot be written (a full disk), no partial file is left, and an earlier
    failure's notebook at that place is removed rather than left to be taken for this one's.
    """
    if not nb_path.is_file():
        return None
    try:
        atomic_write(failed_path, nb_path.read_bytes(), prefix=lifecycle.temp_prefix(failed_path))
    except OSError:
        with contextlib.suppress(OSError):
            failed_path.unlink(missing_ok=True)
        return None
    return failed_path


def where_kept(kept: Path | None, out_dir: Path) -> str:
    """Return the sentence that says where the failed notebook was kept and what became of the output."""
    # Called inside atomic_directory, before it cleans up: out_dir exists only if it did before.
    unchanged = f"{out_dir} was left unchanged." if out_dir.exists() else f"Nothing was written to {out_dir}."
    if kept is None:
        return unchanged
    return f"The executed notebook, with the traceback, was kept at {kept}; {unchanged}"


def execution_failure(exc: Exception, notebook: Path, out_dir: Path, kept: Path | None) -> str:
    """Return the message for a failed execution: which cell, its first line, the error."""
    from papermill.exceptions import PapermillExecutionError

    if not isinstance(exc, PapermillExecutionError):
        return f"Running {notebook.name} failed ({type(exc).__name__}: {exc}).\n{where_kept(kept, out_dir)}"
    number = _source_cell_number(notebook, exc.source, exc.cell_index)
    first_line = next((ln.strip() for ln in exc.source.splitlines() if ln.strip()), "")
    if len(first_line) > 100:
        first_line = first_line[:97] + "..."
    evalue = f": {exc.evalue}" if exc.evalue else ""
    return (
        f"Cell {number} of {notebook.name} (counting all cells from 1) failed with "
        f"{exc.ename}{evalue}\n"
        f"  first line of the cell: {first_line}\n"
        f"{where_kept(kept, out_dir)}"
    )


def _source_cell_number(notebook: Path, source: str, executed_index: int) -> int:
    """Return the failed cell's 1-based position in the source notebook (all cells counted).

    papermill's index counts its injected-parameters cell, which the source notebook lacks, so
    the cell is found by its source; the executed index is the fallback.
    """
    import nbformat

    try:
        cells = nbformat.read(str(notebook), as_version=4).cells
    except Exception:
        return executed_index + 1
    matches = [i for i, c in enumerate(cells) if c.cell_type == "code" and c.source == source]
    if len(matches) == 1:
        return matches[0] + 1
    return executed_index + 1
