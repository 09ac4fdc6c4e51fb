"""The life of a run on disk and in the process table: its temporary folders, kernels and signals.

A run (one ``briefing`` command, or one Python process rendering through the API) has a
*session*: a private folder ``<TMPDIR>/briefing-<uid>/s<pid>-<hex>/`` (mode 0700, or
``$BRIEFING_RUNTIME_DIR/s<pid>-<hex>/``) holding the kernels' connection files (with their
HMAC keys), their IPC sockets, the run's own temporary files, and a ``lock`` file that the run
holds (``flock``) for as long as it or a worker it forked lives. The system releases that lock
when the last of them dies, however it dies (``kill -9`` too), so the lock tells a live run
from a dead one without trusting a pid that may have been reused.

Every temporary entry a run makes beside an output carries the session's name:
``.<name>.tmp-<session>-<random>`` (an output being written), ``.<name>.old-<session>-<random>``
(the previous output set aside during the final swap, where the file system cannot exchange two
folders in one step) and ``.<name>.staging-<session>-<random>`` (a batch's renders).
:func:`recover` removes a dead session's entries beside an output, and puts a set-aside output
back when the swap was cut short; :func:`sweep` removes dead sessions and stops their kernels.
Nothing else is ever removed: a name that does not follow this pattern, or whose session is
alive, is left alone.

Kernels are registered in the session when they start (:func:`register_kernel`) and stopped,
with everything they started, by :func:`stop_kernels`; each kernel also watches its parent
(:mod:`analysis.pipeline.kernel_launcher`), so none outlives the process that started it.

Signals: inside :func:`handling_signals`, SIGINT, SIGTERM and SIGHUP raise :class:`Interrupted`,
which unwinds a render like any error (its temporary folder is removed on the way out); the CLI
then stops the kernels and exits with 128 + the signal's number. :func:`deferred_signals` holds a
signal back during the few system calls of the final swap.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

try:  # POSIX; elsewhere a session's liveness falls back on its pid
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "RUNTIME_ENV",
    "SESSION_ENV",
    "Interrupted",
    "Session",
    "deferred_signals",
    "handling_signals",
    "kernel_environment",
    "private_tempdir",
    "recover",
    "register_extra_folder",
    "register_kernel",
    "session",
    "session_alive",
    "stop_kernels",
    "sweep",
    "temp_prefix",
    "temporary_files_in_session",
]

#: Environment variable naming the folder that holds the sessions (default ``<TMPDIR>/briefing-<uid>``).
RUNTIME_ENV = "BRIEFING_RUNTIME_DIR"
#: Environment variable a kernel gets: the folder of the session that started it.
SESSION_ENV = "BRIEFING_SESSION"
#: The kinds of temporary entry a run makes beside an output.
KINDS = ("tmp", "old", "staging")

_SESSION = r"s\d+-[0-9a-f]{8}"
_SESSION_RE = re.compile(rf"^{_SESSION}$")
_NEW_SESSION_RE = re.compile(rf"^\.new-(?P<session>{_SESSION})$")
_DEBRIS_RE = re.compile(rf"^\.(?P<target>.+)\.(?P<kind>{'|'.join(KINDS)})-(?P<session>{_SESSION})-[A-Za-z0-9_.]*$")
_KERNELS = "kernels"
_LOCK = "lock"
_EXTRA = "extra-"


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal (SIGINT, SIGTERM or SIGHUP); ``exit_code`` is 128 + its number."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = int(signum)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


@dataclass(frozen=True)
class Session:
    """A run's private runtime folder and the name its temporary entries carry."""

    name: str
    path: Path
    pid: int


_state_lock = threading.RLock()
_session: Session | None = None
_lock_fd: int | None = None
_root: Path | None = None


# --- sessions ------------------------------------------------------------------------------


def runtime_root() -> Path:
    """Return the folder that holds every session (created on first use, private to the user)."""
    global _root
    with _state_lock:
        if _root is None:
            given = os.environ.get(RUNTIME_ENV)
            root = Path(given) if given else Path(tempfile.gettempdir()) / f"briefing-{_user()}"
            _root = _private_folder(root)
        return _root


def session() -> Session:
    """Return this run's session, creating it (and sweeping dead sessions) on first use.

    A process forked from the run (a pool worker) shares the run's session and its lock.
    """
    global _session, _lock_fd
    with _state_lock:
        if _session is not None:
            return _session
        root = runtime_root()
        sweep()
        name = f"s{os.getpid()}-{secrets.token_hex(4)}"
        # Made under a hidden name and renamed once the lock is held: a folder named like a
        # session always has a lock that is held while its run lives.
        making = root / f".new-{name}"
        making.mkdir(mode=0o700)
        fd = os.open(making / _LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(fd, f"{os.getpid()}\n".encode())
        making.rename(root / name)
        _session, _lock_fd = Session(name, root / name, os.getpid()), fd
        atexit.register(_end_session)
        return _session


def temp_prefix(target: str | Path, kind: str = "tmp") -> str:
    """Return the name prefix of a temporary entry beside ``target``: ``.<name>.<kind>-<session>-``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    return f".{Path(target).name}.{kind}-{session().name}-"


def private_tempdir(prefix: str) -> Path:
    """Return a new folder inside the session (for sockets, connection files and the like)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=session().path))


def register_extra_folder(folder: str | Path) -> None:
    """Record a folder outside the session that belongs to it (removed with the session).

    Only a folder whose name starts with ``kb-<session>-`` is ever removed this way.
    """
    current = session()
    listing = current.path / f"{_EXTRA}{secrets.token_hex(4)}"
    listing.write_text(str(folder), encoding="utf-8")


def kernel_environment() -> dict[str, str]:
    """Return the environment variables a kernel of this run gets: its temporary files go into the session."""
    current = session()
    env = {SESSION_ENV: str(current.path)}
    if os.name == "posix":
        env["TMPDIR"] = str(current.path)
    return env


def _end_session() -> None:
    """Remove the session at the normal end of the process that made it (not in forked workers)."""
    global _session, _lock_fd
    with _state_lock:
        current = _session
        if current is None or current.pid != os.getpid():
            return
        stop_kernels()
        _remove_session(current.path)
        if _lock_fd is not None:
            with contextlib.suppress(OSError):
                os.close(_lock_fd)
        _session, _lock_fd = None, None


def session_alive(name: str) -> bool:
    """Return whether the run of the session ``name`` may still be alive (True when in doubt)."""
    if _session is not None and name == _session.name:
        return True
    lock = runtime_root() / name / _LOCK
    if fcntl is not None:
        try:
            fd = os.open(lock, os.O_RDWR)
        except FileNotFoundError:
            pass  # no session folder here (another TMPDIR?): ask about the pid below
        except OSError:
            return True
        else:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True  # held: the run (or a worker it forked) is alive
            else:
                fcntl.flock(fd, fcntl.LOCK_UN)
                return False
            finally:
                os.close(fd)
    return _pid_alive(int(name[1:].split("-")[0]))


def sweep() -> list[str]:
    """Remove the sessions of dead runs, stopping any kernel of theirs still alive; return what was removed."""
    root = runtime_root()
    removed = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return removed
    for entry in entries:
        new = _NEW_SESSION_RE.match(entry.name)
        if new and not _pid_alive(int(new["session"][1:].split("-")[0])):
            _remove_tree(entry)
            removed.append(entry.name)
        elif _SESSION_RE.match(entry.name) and not session_alive(entry.name):
            stop_kernels(entry)
            _remove_session(entry)
            removed.append(entry.name)
    return removed


def recover(target: str | Path) -> list[str]:
    """Clear away what dead runs left beside ``target``, and put back an output they set aside.

    Looks at the entries of ``target``'s folder named like a run's temporary entries
    (``.<name>.tmp|old|staging-<session>-<random>``) whose session is dead: a set-aside output
    (``old``) whose own name is free again is renamed back (the run died between the two renames of
    a swap); everything else of theirs is removed. Returns a line per entry handled.
    """
    parent = Path(target).parent
    notes: list[str] = []
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return notes
    for entry in entries:
        match = _DEBRIS_RE.match(entry.name)
        if match is None or session_alive(match["session"]):
            continue
        if match["kind"] == "old":
            original = parent / match["target"]
            if not original.exists() and not original.is_symlink():
                entry.rename(original)
                notes.append(f"restored {original} (an interrupted run had set it aside)")
                continue
        _remove_tree(entry)
        notes.append(f"removed {entry} (left behind by an interrupted run)")
    return notes


# --- kernels -------------------------------------------------------------------------------


def register_kernel(pid: int, token: str = "") -> None:
    """Record a kernel this process started, so that it can be stopped whatever becomes of the run."""
    folder = session().path / _KERNELS
    folder.mkdir(exist_ok=True)
    record = {"pid": pid, "owner": os.getpid(), "token": token, "started": _start_time(pid)}
    (folder / f"{pid}.json").write_text(json.dumps(record), encoding="utf-8")


def stop_kernels(session_path: str | Path | None = None, *, owner: int | None = None, token: str | None = None) -> int:
    """Stop the registered kernels (and what they started) that are still alive; return how many.

    ``session_path`` defaults to this run's session; ``owner`` and ``token`` narrow it down to the
    kernels started by one process, or by one render. A kernel is stopped only when the process
    with its pid is still the one that was registered (same start time), never a stranger that
    got the pid later.
    """
    if session_path is None:
        if _session is None:
            return 0
        session_path = _session.path
    folder = Path(session_path) / _KERNELS
    stopped = 0
    try:
        records = sorted(folder.glob("*.json"))
    except OSError:
        return 0
    for path in records:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if (owner is not None and record.get("owner") != owner) or (token is not None and record.get("token") != token):
            continue
        pid = int(record.get("pid", 0))
        if pid > 1 and _same_process(pid, record.get("started")):
            _kill_group(pid)
            stopped += 1
        path.unlink(missing_ok=True)
    return stopped


def _kill_group(pid: int) -> None:
    """Kill a kernel and, when it leads its own process group (as jupyter_client starts it), the group."""
    with contextlib.suppress(OSError):
        if hasattr(os, "killpg") and os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
            return
    with contextlib.suppress(OSError):
        os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))


def _start_time(pid: int) -> float | None:
    try:
        import psutil

        return psutil.Process(pid).create_time()
    except Exception:
        return None


def _same_process(pid: int, started: float | None) -> bool:
    """Return whether ``pid`` is alive and still the process that was registered."""
    if not _pid_alive(pid):
        return False
    now = _start_time(pid)
    if started is None or now is None:
        # Without psutil: trust the pid only if it runs our kernel launcher.
        try:
            return b"kernel_launcher" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
    return abs(now - started) < 0.5


# --- signals -------------------------------------------------------------------------------

_HANDLED = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
_defer_depth = 0
_pending: int | None = None
_stopping = False


def _raise_interrupted(signum: int, frame) -> None:
    """Raise :class:`Interrupted` once; a second signal while the run stops is not let cut its clean-up short."""
    global _pending, _stopping
    if _stopping:
        return
    if _defer_depth:
        _pending = _pending or signum
        return
    _stopping = True
    raise Interrupted(signum)


@contextlib.contextmanager
def handling_signals() -> Iterator[None]:
    """Turn SIGINT, SIGTERM and SIGHUP into :class:`Interrupted` inside the block (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    global _stopping
    before = {signum: signal.getsignal(signum) for signum in _HANDLED}
    _stopping = False
    for signum in _HANDLED:
        signal.signal(signum, _raise_interrupted)
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        _stopping = False


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold back :class:`Interrupted` inside the block and raise it when the block is done."""
    global _defer_depth, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _defer_depth += 1
    try:
        yield
    finally:
        _defer_depth -= 1
        if not _defer_depth and _pending is not None:
            signum, _pending = _pending, None
            if signal.getsignal(signum) is _raise_interrupted:
                _raise_interrupted(signum, None)


@contextlib.contextmanager
def temporary_files_in_session() -> Iterator[None]:
    """Let every temporary file of this process (and of the workers it forks) go into the session.

    Libraries make their own temporary folders (WeasyPrint's fonts, for one); in the session they
    go when the run ends, however it ends.
    """
    before = tempfile.tempdir
    tempfile.tempdir = str(session().path)
    try:
        yield
    finally:
        tempfile.tempdir = before


# --- helpers -------------------------------------------------------------------------------


def _user() -> str:
    if hasattr(os, "getuid"):
        return str(os.getuid())
    return re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("USERNAME", "user"))


def _private_folder(path: Path) -> Path:
    """Return ``path`` as a folder only this user can use, or a new private folder when it cannot be."""
    with contextlib.suppress(OSError):
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        info = path.lstat()
        import stat

        ours = not hasattr(os, "getuid") or info.st_uid == os.getuid()
        if stat.S_ISDIR(info.st_mode) and ours and not info.st_mode & 0o022:
            return path
    except OSError:
        pass
    # Someone else's, a symlink or writable by others: never put keys there.
    return Path(tempfile.mkdtemp(prefix="briefing-"))


def _pid_alive(pid: int) -> bool:
    """Return whether a process with this pid exists (True when that cannot be told)."""
    if pid <= 0:
        return False
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows
        try:
            import psutil
        except ImportError:
            return True
        return psutil.pid_exists(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _remove_session(path: Path) -> None:
    """Remove a session folder and the folders outside it that it lists as its own."""
    with contextlib.suppress(OSError):
        for listing in path.glob(f"{_EXTRA}*"):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                extra = Path(listing.read_text(encoding="utf-8").strip())
                if extra.name.startswith(f"kb-{path.name}-"):
                    _remove_tree(extra)
    _remove_tree(path)


def _remove_tree(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def wait_gone(pids, seconds: float) -> None:
    """Wait up to ``seconds`` for the processes ``pids`` to end."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_pid_alive(p) for p in pids):
        time.sleep(0.05)


def current_session() -> Session | None:
    """Return this run's session if it has one (without making one)."""
    return _session
