"""Run a child process safely: resource limits, a hard timeout, a cap on output, nothing left behind.

On POSIX the program runs under :mod:`._supervisor` (a child subreaper): whatever the code does
(``setsid``, double forks, daemons), its processes stay below the supervisor, which kills and
reaps them all when the program exits or the block times out. Where this process can create a pids
cgroup (Linux, usually as root) every process also lands in a cgroup limited to
``max_processes``, which stops fork bombs even for root and is swept once more at the end. Output
is read without blocking and the reader threads always end with the call.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Union

from . import _supervisor
from ._cgroup import PidsCgroup, create_pids_cgroup
from ._limits import ResourceLimits
from ._output import CappedOutput, output_cap_notice, read_fd_chunks
from ._tree import count_descendants, kill_descendants

__all__ = [
    "DEFAULT_MAX_OUTPUT_BYTES",
    "KILL_GRACE_SECONDS",
    "TIMEOUT_EXIT_CODE",
    "TIMEOUT_MSG",
    "ProcessResult",
    "default_max_output_bytes",
    "output_cap_notice",
    "run_process",
]

DEFAULT_MAX_OUTPUT_BYTES = 1_000_000
"""Default cap on the bytes of output kept from one execution (``AUTOGEN_MAX_OUTPUT_BYTES`` overrides it)."""

KILL_GRACE_SECONDS = 2.0
"""Seconds between SIGTERM and SIGKILL when stopping a block's processes."""

TIMEOUT_EXIT_CODE = 124
"""Exit code reported when an execution runs past its timeout (as coreutils ``timeout`` does)."""

TIMEOUT_MSG = "Timeout"
"""What a timed-out execution reports (legacy ``execute_code`` returns it as the whole output)."""

_WATCH_INTERVAL = 0.05

SUPERVISOR_SLACK_SECONDS = 5.0
"""The supervisor stops the code on its own this long after the timeout, should we be gone."""


@dataclass
class ProcessResult:
    """What a finished (or stopped) child process produced."""

    exit_code: int
    stdout: str
    stderr: str
    timed_out: bool = False
    truncated: bool = False
    too_many_processes: bool = False


def default_max_output_bytes() -> int:
    """The output cap to use when none is given: ``AUTOGEN_MAX_OUTPUT_BYTES``, else 1,000,000.

    Raises:
        ValueError: when the environment variable is not a positive integer.
    """
    raw = os.environ.get("AUTOGEN_MAX_OUTPUT_BYTES")
    if not raw:
        return DEFAULT_MAX_OUTPUT_BYTES
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"AUTOGEN_MAX_OUTPUT_BYTES must be a positive integer (bytes), got {raw!r}")
    return value


class _Supervised:
    """One supervised child: start it, stop it (timeout), and sweep whatever is left."""

    def __init__(
        self,
        cmd: Sequence[str],
        cwd: Union[str, Path],
        env: Optional[Mapping[str, str]],
        limits: ResourceLimits,
        timeout: float,
        kill_grace: float,
        merge_stderr: bool,
    ) -> None:
        self.grace = kill_grace
        self.cgroup: Optional[PidsCgroup] = None
        if limits.max_processes is not None:
            # the supervisor itself counts in the cgroup
            self.cgroup = create_pids_cgroup(limits.max_processes + 1)
        rlimits = limits.rlimits(timeout)
        if os.geteuid() == 0:
            rlimits.pop("NPROC", None)  # root ignores it; the cgroup or the watchdog does the job
        self.watch_processes = limits.max_processes if self.cgroup is None and os.geteuid() == 0 else None
        spec = {
            "rlimits": rlimits,
            "cgroups": [self.cgroup.procs_file] if self.cgroup else [],
            "grace": kill_grace,
            "deadline": timeout + kill_grace + SUPERVISOR_SLACK_SECONDS,
        }
        argv = [sys.executable, "-I", "-S", _supervisor.__file__, json.dumps(spec), "--", *cmd]
        try:
            self.proc = subprocess.Popen(
                argv,
                cwd=str(cwd),
                env=dict(env) if env is not None else None,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
                start_new_session=True,
            )
        except BaseException:
            self.close()
            raise

    def too_many_processes(self) -> bool:
        """For root without a cgroup: whether the block runs more processes than allowed."""
        return self.watch_processes is not None and count_descendants(self.proc.pid) > self.watch_processes

    def stop(self) -> None:
        """Ask the supervisor to stop everything (SIGTERM, grace, SIGKILL); force it if it does not."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(self.grace + 3.0)
        self.sweep()

    def sweep(self) -> None:
        """Kill anything still alive: below the supervisor, in its session, in the cgroup."""
        if self.proc.poll() is None:  # once reaped, its pid may belong to someone else
            kill_descendants(self.proc.pid, include_root=True)
            self.proc.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        if self.cgroup is not None:
            self.cgroup.kill_all()

    def close(self) -> None:
        """Remove the cgroup."""
        if self.cgroup is not None:
            self.cgroup.remove()


def run_process(
    cmd: Sequence[str],
    *,
    cwd: Union[str, Path],
    timeout: float,
    env: Optional[Mapping[str, str]] = None,
    max_output_bytes: Optional[int] = None,
    merge_stderr: bool = True,
    kill_grace: float = KILL_GRACE_SECONDS,
    limits: Optional[ResourceLimits] = None,
) -> ProcessResult:
    """Run ``cmd`` to completion, or until ``timeout`` seconds pass or the output cap is hit.

    Args:
        cmd: the program and its arguments.
        cwd: the working directory of the child.
        timeout: seconds before every process of the run is stopped (exit code 124, ``timed_out``).
        env: the child's environment (default: ours).
        max_output_bytes: bytes of output kept; past it the run is stopped and ``truncated`` set
            (default: :func:`default_max_output_bytes`).
        merge_stderr: send stderr into stdout (in order) instead of collecting it apart.
        kill_grace: seconds between SIGTERM and SIGKILL.
        limits: resource limits for every process of the run (default :class:`ResourceLimits()`).

    Returns:
        The exit code and decoded output. When the call returns, no process of the run is left
        and no reader thread is. Thread-safe: every call owns its processes.
    """
    if sys.platform == "win32":  # pragma: no cover - the supervisor needs POSIX
        raise NotImplementedError("Running code on this machine needs a POSIX system (Linux, macOS).")
    if max_output_bytes is None:
        max_output_bytes = default_max_output_bytes()
    child = _Supervised(cmd, cwd, env, limits or ResourceLimits(), timeout, kill_grace, merge_stderr)
    output = CappedOutput(max_output_bytes)
    wake = threading.Event()
    reading_done = threading.Event()
    pipes = [(child.proc.stdout, "out")] + ([] if merge_stderr else [(child.proc.stderr, "err")])
    readers: List[threading.Thread] = [
        output.start_pump(read_fd_chunks(pipe.fileno(), reading_done), stream, wake)
        for pipe, stream in pipes
        if pipe is not None
    ]
    timed_out = too_many = False
    try:
        deadline = time.monotonic() + timeout
        while child.proc.poll() is None and not wake.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            if child.too_many_processes():
                too_many = True
                break
            wake.wait(min(left, _WATCH_INTERVAL))
        if child.proc.poll() is None:
            child.stop()
        else:
            child.sweep()
    except BaseException:
        child.stop()
        raise
    finally:
        reading_done.set()
        for thread in readers:
            thread.join()
        for pipe, _ in pipes:
            if pipe is not None:
                pipe.close()
        child.close()
    output.raise_errors()
    truncated = output.overflow.is_set()
    exit_code = child.proc.returncode
    stdout = output.text("out")
    if timed_out:
        exit_code = TIMEOUT_EXIT_CODE
    elif too_many:
        exit_code = exit_code if exit_code > 0 else 1
        stdout += f"\n[stopped: the code ran more than {child.watch_processes} processes at once]"
    elif truncated and exit_code <= 0:
        exit_code = 1
    return ProcessResult(
        exit_code=exit_code,
        stdout=stdout,
        stderr=output.text("err"),
        timed_out=timed_out,
        truncated=truncated,
        too_many_processes=too_many,
    )
