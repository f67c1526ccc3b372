"""Run a child process safely: its own process group, a hard timeout, and a cap on output.

The child runs in a new session (POSIX), so on timeout the whole process tree started by the
code is signalled: SIGTERM first, SIGKILL after a grace period (children that ignore SIGTERM
die too). Output is read incrementally; once more than ``max_output_bytes`` arrive, the rest is
discarded and the process group is stopped. Processes the code left running in the background
are killed when the main process exits, so nothing outlives one execution.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Optional, Union

__all__ = [
    "DEFAULT_MAX_OUTPUT_BYTES",
    "KILL_GRACE_SECONDS",
    "TIMEOUT_EXIT_CODE",
    "default_max_output_bytes",
    "ProcessResult",
    "output_cap_notice",
    "run_process",
    "stop_process_tree",
]

DEFAULT_MAX_OUTPUT_BYTES = 1_000_000
"""Default cap on the bytes of output kept from one execution (``AUTOGEN_MAX_OUTPUT_BYTES`` overrides it)."""

KILL_GRACE_SECONDS = 2.0
"""Seconds between SIGTERM and SIGKILL when stopping a process group."""

TIMEOUT_EXIT_CODE = 124
"""Exit code reported when an execution runs past its timeout (as coreutils ``timeout`` does)."""


@dataclass
class ProcessResult:
    """What a finished (or stopped) child process produced."""

    exit_code: int
    stdout: str
    stderr: str
    timed_out: bool = False
    truncated: bool = False


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


def output_cap_notice(max_output_bytes: int) -> str:
    """The line appended to output that was cut at ``max_output_bytes``."""
    return (
        f"\n[output truncated: the code printed more than {max_output_bytes} bytes, "
        "the limit for one execution; the process was stopped]"
    )


class _OutputCollector:
    """Collects bytes from several pipes up to a shared cap."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.total = 0
        self.overflow = threading.Event()
        self._lock = threading.Lock()

    def take(self, buffer: bytearray, chunk: bytes) -> None:
        with self._lock:
            room = self.max_bytes - self.total
            if len(chunk) > room:
                self.overflow.set()
                chunk = chunk[: max(room, 0)]
            self.total += len(chunk)
        buffer.extend(chunk)


def _read_pipe(pipe: IO[bytes], buffer: bytearray, collector: _OutputCollector, wake: threading.Event) -> None:
    fd = pipe.fileno()
    try:
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            if not collector.overflow.is_set():
                collector.take(buffer, chunk)
                if collector.overflow.is_set():
                    wake.set()
            # after an overflow keep draining (and discarding) so the writer never blocks
    except OSError:
        pass
    finally:
        pipe.close()


def _group_alive(pgid: int) -> bool:
    """Whether any process of group ``pgid`` is still running (zombies do not count, on Linux)."""
    proc_root = Path("/proc")
    if proc_root.is_dir():
        for stat in proc_root.glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                return True
        return False
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - no process groups to signal
        proc.kill()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def _wait_group_gone(proc: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None and (sys.platform == "win32" or not _group_alive(proc.pid)):
            return
        time.sleep(0.02)


def stop_process_tree(proc: subprocess.Popen[bytes], grace: float = KILL_GRACE_SECONDS) -> None:
    """SIGTERM the process group, then SIGKILL whatever is still alive after ``grace`` seconds."""
    _signal_group(proc, signal.SIGTERM)
    _wait_group_gone(proc, grace)
    _signal_group(proc, signal.SIGKILL)
    proc.wait()
    _wait_group_gone(proc, 2.0)


def run_process(
    cmd: Sequence[str],
    *,
    cwd: Union[str, Path],
    timeout: float,
    env: Optional[Mapping[str, str]] = None,
    max_output_bytes: Optional[int] = None,
    merge_stderr: bool = True,
    kill_grace: float = KILL_GRACE_SECONDS,
) -> ProcessResult:
    """Run ``cmd`` to completion, or until ``timeout`` seconds pass or the output cap is hit.

    Args:
        cmd: the program and its arguments.
        cwd: the working directory of the child.
        timeout: seconds before the process tree is stopped (exit code 124, ``timed_out``).
        env: the child's environment (default: ours).
        max_output_bytes: bytes of output kept; past it the tree is stopped and ``truncated`` set
            (default: :func:`default_max_output_bytes`).
        merge_stderr: send stderr into stdout (in order) instead of collecting it apart.
        kill_grace: seconds between SIGTERM and SIGKILL.

    Returns:
        The exit code and decoded output. Thread-safe: every call owns its process.
    """
    if max_output_bytes is None:
        max_output_bytes = default_max_output_bytes()
    popen_kwargs: dict[str, object] = {}
    if sys.platform == "win32":  # pragma: no cover
        popen_kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
    else:
        popen_kwargs["start_new_session"] = True
    proc = subprocess.Popen(
        list(cmd),
        cwd=str(cwd),
        env=dict(env) if env is not None else None,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
        **popen_kwargs,  # type: ignore[call-overload]
    )
    collector = _OutputCollector(max_output_bytes)
    wake = threading.Event()
    out_buf, err_buf = bytearray(), bytearray()
    readers = [threading.Thread(target=_read_pipe, args=(proc.stdout, out_buf, collector, wake), daemon=True)]
    if not merge_stderr:
        readers.append(threading.Thread(target=_read_pipe, args=(proc.stderr, err_buf, collector, wake), daemon=True))

    def wait_then_wake() -> None:
        proc.wait()
        wake.set()

    waiter = threading.Thread(target=wait_then_wake, daemon=True)
    for thread in (*readers, waiter):
        thread.start()

    timed_out = False
    try:
        finished = wake.wait(timeout)
        if collector.overflow.is_set() or not finished:
            timed_out = not finished
            stop_process_tree(proc, kill_grace)
        else:
            # the main process is done: kill anything it left running in its group
            _signal_group(proc, signal.SIGKILL)
            _wait_group_gone(proc, 2.0)
    except BaseException:
        stop_process_tree(proc, grace=0.2)
        raise
    finally:
        for thread in readers:
            thread.join(timeout=5)

    truncated = collector.overflow.is_set()
    exit_code = proc.returncode
    if timed_out:
        exit_code = TIMEOUT_EXIT_CODE
    elif truncated and exit_code <= 0:
        exit_code = 1
    return ProcessResult(
        exit_code=exit_code,
        stdout=bytes(out_buf).decode("utf-8", errors="replace"),
        stderr=bytes(err_buf).decode("utf-8", errors="replace"),
        timed_out=timed_out,
        truncated=truncated,
    )
