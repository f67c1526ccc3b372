"""The supervisor every local execution runs under (POSIX): limits, containment, and a full cleanup.

Run as ``python -I -S _supervisor.py SPEC_JSON -- PROGRAM ARGS...``; it imports nothing from autogen
(stdlib only) so it starts fast and works with any interpreter. It

1. joins the cgroups named in the spec (a pids limit that also holds for root),
2. makes itself a *child subreaper* (Linux ``PR_SET_CHILD_SUBREAPER``): every process the code
   starts stays below it even after ``setsid`` or a double fork, instead of moving to init,
3. forks the program with the resource limits (``RLIMIT_AS``/``NPROC``/``FSIZE``/``CPU``) applied,
4. when the program exits, or on SIGTERM from the executor (timeout), kills every process below
   it (SIGTERM, then SIGKILL after the grace period), reaps them all and exits with the program's
   exit code (128 + signal for a signal).

SPEC_JSON: ``{"rlimits": {"AS": bytes, "NPROC": count, "FSIZE": bytes, "CPU": seconds},
"cgroups": ["/sys/fs/cgroup/.../cgroup.procs", ...], "grace": seconds, "deadline": seconds}``.
``deadline`` is a backstop for when the executor itself dies: past it the supervisor stops
everything on its own, as on SIGTERM.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time

_PR_SET_CHILD_SUBREAPER = 36
EXEC_FAILED = 127


def _become_subreaper() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _uid_task_count(uid: int) -> int:
    """Threads of ``uid`` now: what ``RLIMIT_NPROC`` counts (on Linux, every task of the user)."""
    count = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    count += len(os.listdir(f"/proc/{name}/task"))
            except OSError:
                continue
    return count


def _apply_rlimits(rlimits: dict) -> None:
    import resource

    for name, value in rlimits.items():
        which = getattr(resource, f"RLIMIT_{name}")
        if name == "NPROC":
            # RLIMIT_NPROC counts every process of the user: allow ``value`` more than exist now
            value += _uid_task_count(os.getuid())
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))


def _descendants(root: int) -> list[int]:
    """Every live process below ``root`` (found through /proc; zombies are left to be reaped)."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] in (b"Z", b"X"):
            continue
        children.setdefault(int(fields[1]), []).append(int(name))
    found: list[int] = []
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _signal_all(sig: int) -> int:
    pids = _descendants(os.getpid()) if os.path.isdir("/proc") else []
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)
    return len(pids)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _kill_everything(grace: float) -> None:
    """SIGTERM every descendant, then SIGKILL until none is left; reap them all."""
    if _signal_all(signal.SIGTERM):
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and _descendants(os.getpid()):
            _reap()
            time.sleep(0.02)
    while _signal_all(signal.SIGKILL):
        _reap()
        time.sleep(0.01)
    _reap()
    while True:  # the last ones, killed above, may still be exiting
        try:
            os.wait()
        except ChildProcessError:
            return


class _StopRequested(Exception):
    """The executor asked us to stop (SIGTERM: the block timed out)."""


def _on_stop(signum: int, frame: object) -> None:
    raise _StopRequested


def main(argv: list[str]) -> int:
    spec = json.loads(argv[1])
    if argv[2] != "--" or len(argv) < 4:
        raise SystemExit("usage: _supervisor.py SPEC_JSON -- PROGRAM [ARGS...]")
    program = argv[3:]
    for procs_file in spec.get("cgroups", []):
        with open(procs_file, "w") as handle:
            handle.write(str(os.getpid()))
    _become_subreaper()
    signal.signal(signal.SIGTERM, _on_stop)
    signal.signal(signal.SIGINT, _on_stop)
    signal.signal(signal.SIGALRM, _on_stop)
    child = os.fork()
    if child == 0:
        try:
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
                signal.signal(sig, signal.SIG_DFL)
            _apply_rlimits(spec.get("rlimits", {}))
            os.execvp(program[0], program)
        except BaseException as exc:
            os.write(2, f"Cannot run {program[0]!r}: {exc}\n".encode())
        os._exit(EXEC_FAILED)
    if spec.get("deadline"):
        signal.setitimer(signal.ITIMER_REAL, float(spec["deadline"]))
    status = None
    stopped = False
    try:
        while status is None:
            try:
                pid, raw = os.waitpid(-1, 0)  # also reaps the orphans handed to us as subreaper
            except ChildProcessError:
                break
            if pid == child:
                status = raw
    except _StopRequested:
        stopped = True
    signal.setitimer(signal.ITIMER_REAL, 0)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
        signal.signal(sig, signal.SIG_IGN)
    _kill_everything(float(spec.get("grace", 2.0)) if stopped else 0.0)
    if status is None:
        return 128 + signal.SIGTERM
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
