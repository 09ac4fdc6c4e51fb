"""A run that is stopped (a signal, ``kill -9``, a full disk) leaves nothing behind, and no process.

SIGINT, SIGTERM and SIGHUP stop a render cleanly (exit 130, 143, 129); after ``kill -9`` the next
run clears away what the killed one left (its temporary folders beside the output, its session
folder with the kernel's connection file), and no kernel outlives the process that started it.
The end-to-end tests start ``python -m analysis render`` as a real process and kill it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from analysis import cli, config
from analysis.pipeline import lifecycle

posix_only = pytest.mark.skipif(os.name != "posix", reason="signals and process groups as on POSIX")


@pytest.fixture
def private_runtime(tmp_path, monkeypatch):
    """Give this test a session of its own in a runtime folder of its own (not the machine's)."""
    monkeypatch.setattr(lifecycle, "_root", lifecycle._private_folder(tmp_path / "runtime-root"))
    monkeypatch.setattr(lifecycle, "_session", None)
    monkeypatch.setattr(lifecycle, "_lock_fd", None)
    yield lifecycle.runtime_root()
    lifecycle.stop_kernels()


def _dead_pid() -> int:
    """Return the pid of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _dead_session(root: Path) -> str:
    """Make the folder of a session whose run is dead (its lock is not held) and return its name."""
    name = f"s{_dead_pid()}-deadbeef"
    (root / name / "kernels").mkdir(parents=True)
    (root / name / "lock").write_text("0\n", encoding="utf-8")
    (root / name / "kernel-0123456789ab.json").write_text('{"key": "secret"}', encoding="utf-8")
    return name


# --- what a dead run left behind -----------------------------------------------------------------


def test_recover_removes_only_what_dead_runs_left_and_puts_back_a_set_aside_output(tmp_path, private_runtime):
    root = lifecycle.runtime_root()
    live = lifecycle.session().name
    dead = _dead_session(root)
    reports = tmp_path / "reports"
    reports.mkdir()
    target = reports / "2025"
    debris = [
        reports / f".2025.tmp-{dead}-abc_123",
        reports / f".2025.staging-{dead}-xyz",
        reports / f".x.tmp-{dead}-1",
    ]
    for folder in debris:
        (folder / "part").mkdir(parents=True)
    # The killed run had set the old output aside and died before the new one took its name.
    aside = reports / f".2025.old-{dead}-0a1b2c3d"
    aside.mkdir()
    (aside / "briefing.html").write_text("the previous briefing", encoding="utf-8")
    keep = [reports / f".2025.tmp-{live}-mine", reports / ".2025.tmp-abcdef", reports / "notes.tmp-s1-deadbeef-x"]
    for folder in keep:
        folder.mkdir()

    notes = lifecycle.recover(target)

    assert (target / "briefing.html").read_text(encoding="utf-8") == "the previous briefing"
    assert sorted(p.name for p in reports.iterdir()) == sorted(["2025", *(p.name for p in keep)])
    assert len(notes) == 4 and any("restored" in n for n in notes)
    # With the output in place, a set-aside copy of a dead run is removed, not restored.
    aside.mkdir()
    lifecycle.recover(target)
    assert not aside.exists() and (target / "briefing.html").exists()


def test_a_dead_session_is_swept_and_a_live_one_is_not(tmp_path, private_runtime):
    root = lifecycle.runtime_root()
    live = lifecycle.session()  # (making a session sweeps the dead ones there already)
    dead = _dead_session(root)
    assert not lifecycle.session_alive(dead) and lifecycle.session_alive(live.name)
    # A lock held by a process that is not this one (a run in another process) is alive too.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
            str(root / dead / "lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert lifecycle.session_alive(dead)
        assert dead not in lifecycle.sweep()
    finally:
        holder.kill()
        holder.wait()
    assert dead in lifecycle.sweep()
    assert not (root / dead).exists() and live.path.is_dir()


@posix_only
def test_stop_kernels_ends_a_registered_kernel_and_its_group_but_no_stranger(private_runtime):
    psutil = pytest.importorskip("psutil")
    # A stand-in kernel: leader of its own session, with a child in its group (like the chart process).
    kernel = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys, time; subprocess.Popen(['sleep', '60']); time.sleep(60)"],
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while not psutil.Process(kernel.pid).children() and time.monotonic() < deadline:
            time.sleep(0.05)
        [child] = psutil.Process(kernel.pid).children()
        lifecycle.register_kernel(kernel.pid, token="t-stranger")
        record = lifecycle.session().path / "kernels" / f"{kernel.pid}.json"
        data = json.loads(record.read_text(encoding="utf-8"))
        record.write_text(json.dumps({**data, "started": data["started"] - 100}), encoding="utf-8")
        assert lifecycle.stop_kernels(token="t-stranger") == 0  # same pid, another process: left alone
        assert kernel.poll() is None
        lifecycle.register_kernel(kernel.pid, token="t-ours")
        assert lifecycle.stop_kernels(token="t-ours") == 1
        kernel.wait(5)
        lifecycle.wait_gone([child.pid], 5)
        assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(kernel.pid, signal.SIGKILL)
        kernel.wait()


@posix_only
def test_a_kernel_ends_with_everything_it_started_when_its_parent_is_killed(tmp_path):
    """The launcher's watch: kill -9 the process that started the 'kernel', and the kernel's group ends."""
    psutil = pytest.importorskip("psutil")
    pids = tmp_path / "pids.json"
    parent_code = (
        "import json, os, subprocess, sys, time\n"
        "env = {**os.environ, 'JPY_PARENT_PID': str(os.getpid())}\n"
        "code = ('import subprocess, time\\n'\n"
        "        'from analysis.pipeline.kernel_launcher import watch_parent\\n'\n"
        "        'watch_parent()\\n'\n"
        '        \'subprocess.Popen(["sleep", "60"])\\n\'\n'
        "        'time.sleep(60)')\n"
        "k = subprocess.Popen([sys.executable, '-c', code], env=env, start_new_session=True)\n"
        "json.dump({'kernel': k.pid}, open(sys.argv[1], 'w'))\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", parent_code, str(pids)], cwd=config.PROJECT_DIR)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (pids.exists() and pids.stat().st_size):
            time.sleep(0.05)
        kernel = psutil.Process(json.loads(pids.read_text())["kernel"])
        while time.monotonic() < deadline and not kernel.children():
            time.sleep(0.05)
        group = [kernel, *kernel.children()]
        assert len(group) == 2
        parent.kill()
        parent.wait()
        _gone, alive = psutil.wait_procs(group, timeout=5)
        alive = [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
        assert not alive, [p.cmdline() for p in alive]
    finally:
        parent.kill()
        parent.wait()


def test_a_failed_notebook_that_cannot_be_kept_leaves_no_empty_file(tmp_path, monkeypatch):
    from analysis.pipeline.execute import keep_failed
    from analysis.tables import atomic

    executed = tmp_path / "work" / "briefing.ipynb"
    executed.parent.mkdir()
    executed.write_text('{"cells": []}', encoding="utf-8")
    failed = tmp_path / "2025.failed.ipynb"
    failed.write_text("an earlier failure's notebook", encoding="utf-8")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    assert keep_failed(executed, failed) is None
    # Neither a 0-byte or partial file nor the earlier failure's notebook (it would be taken for this one).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    monkeypatch.undo()
    assert keep_failed(executed, failed) == failed and failed.read_text(encoding="utf-8") == '{"cells": []}'


# --- signals -------------------------------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("name, code", [("SIGINT", 130), ("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_signal_stops_a_render_cleanly_with_its_exit_code(tmp_path, monkeypatch, capsys, name, code):
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers live in the main thread")
    from analysis.pipeline import render

    def signalled(notebook, nb_path, parameters, progress):
        (Path(parameters["output_dir"]) / "tables").mkdir()  # half-way through
        os.kill(os.getpid(), getattr(signal, name))
        time.sleep(10)
        raise AssertionError("the signal did not stop the render")

    monkeypatch.setattr(render, "execute_notebook", signalled)
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    out = tmp_path / "2025"
    assert cli.main(["render", "--out", str(out), "--formats", "html"]) == code
    err = capsys.readouterr().err
    assert f"Interrupted ({name})" in err and "Traceback" not in err and "bug" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no output, no temporary folder
    assert {s: signal.getsignal(s) for s in before} == before  # handlers given back


# --- end to end: a real render, killed -----------------------------------------------------------


def _descendants(psutil, pid: int):
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _cmdline(process) -> str:
    try:
        return " ".join(process.cmdline())
    except Exception:
        return ""


def _start_render(tmp_path: Path, *extra: str):
    """Start ``python -m analysis render`` with TMPDIR and the Jupyter runtime folder of the test's own."""
    work, tmpdir, runtime = tmp_path / "work", tmp_path / "tmp", tmp_path / "runtime"
    for folder in (work, tmpdir, runtime):
        folder.mkdir()
    env = {**os.environ, "TMPDIR": str(tmpdir), "JUPYTER_RUNTIME_DIR": str(runtime)}
    env.pop(lifecycle.RUNTIME_ENV, None)
    cmd = [sys.executable, "-m", "analysis", "render", "--out", str(work / "2025"), "--formats", "html", *extra]
    log = open(tmp_path / "stderr.txt", "wb")  # noqa: SIM115 - closed by the caller's process ending
    proc = subprocess.Popen(
        cmd, cwd=config.PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
    )
    return proc, cmd, env, work, tmpdir, runtime


def _wait_for_kernels(psutil, proc, count: int, seconds: float = 180.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kernels = [p for p in _descendants(psutil, proc.pid) if "kernel_launcher" in _cmdline(p)]
        if len(kernels) >= count:
            return kernels
        assert proc.poll() is None, "the render ended before its kernels started"
        time.sleep(0.1)
    raise AssertionError("no kernel started")


def _all_gone(psutil, processes, seconds: float = 10.0) -> list[str]:
    """Wait for the processes to end; return the command lines of those still alive."""
    _gone, alive = psutil.wait_procs(processes, timeout=seconds)
    return [_cmdline(p) for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def _leftovers(tmpdir: Path, runtime: Path) -> list[str]:
    """Files and folders of ours left in TMPDIR and the Jupyter runtime folder (the empty root aside)."""
    roots = {tmpdir / f"briefing-{os.getuid()}"}
    found = [p for p in tmpdir.rglob("*") if p not in roots]
    return [str(p) for p in [*found, *runtime.rglob("*")]]


@pytest.mark.slow
@posix_only
def test_a_render_killed_with_sigkill_leaves_no_debris_after_the_next_run_and_no_process(tmp_path):
    psutil = pytest.importorskip("psutil")
    proc, cmd, env, work, tmpdir, runtime = _start_render(tmp_path)
    try:
        kernels = _wait_for_kernels(psutil, proc, 1)
        time.sleep(1.0)  # the kernel is at work on the notebook
        family = _descendants(psutil, proc.pid)
        groups = {os.getpgid(k.pid) for k in kernels}
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)

    # No kernel, nor anything it started, outlives the killed render.
    assert _all_gone(psutil, family) == []
    in_groups = [p for p in psutil.process_iter() if _pgid(p.pid) in groups and p.status() != psutil.STATUS_ZOMBIE]
    assert in_groups == []
    # The killed run did leave debris: its staging folder beside the output, its session in TMPDIR.
    assert [p.name for p in work.iterdir() if p.name.startswith(".2025.")]
    sessions = [p.name for p in (tmpdir / f"briefing-{os.getuid()}").iterdir()]
    assert len(sessions) == 1 and any((tmpdir / f"briefing-{os.getuid()}" / sessions[0]).glob("kernel-*.json"))

    done = subprocess.run(cmd, cwd=config.PROJECT_DIR, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "left behind by an interrupted run" in done.stderr
    assert sorted(p.name for p in work.iterdir()) == ["2025"]
    assert (work / "2025" / "briefing.html").is_file()
    assert _leftovers(tmpdir, runtime) == []
    assert not list(Path("/tmp").glob(f"kb-{sessions[0]}-*"))


def _pgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


@pytest.mark.slow
@posix_only
def test_sigterm_stops_a_batch_its_workers_and_kernels(tmp_path):
    psutil = pytest.importorskip("psutil")
    proc, _cmd, _env, work, tmpdir, runtime = _start_render(tmp_path, "--department", "all", "--workers", "2")
    try:
        _wait_for_kernels(psutil, proc, 2)
        family = _descendants(psutil, proc.pid)
        os.kill(proc.pid, signal.SIGTERM)
        code = proc.wait(60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert code == 143
    assert "Interrupted (SIGTERM)" in (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert _all_gone(psutil, family) == []  # pool workers and kernels
    assert sorted(p.name for p in work.iterdir()) == []
    assert _leftovers(tmpdir, runtime) == []
