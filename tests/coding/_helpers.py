"""Helpers for the code-execution tests."""

from __future__ import annotations

import time
from pathlib import Path

# a Python program whose forked child ignores SIGTERM, records its pid, and both processes hang
FORK_IGNORING_SIGTERM = """
import os, signal, time
if os.fork() == 0:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    open("child.pid", "w").write(str(os.getpid()))
    time.sleep(600)
else:
    print("parent started", flush=True)
    time.sleep(600)
"""


def process_alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting to be reaped counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def wait_for(predicate, deadline: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until it is true or ``deadline`` seconds pass; return its last value."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return bool(predicate())


def read_pid(work_dir: Path) -> int:
    """The pid the forked child wrote."""
    assert wait_for(lambda: (work_dir / "child.pid").exists(), 10)
    return int((work_dir / "child.pid").read_text())


__all__ = ["FORK_IGNORING_SIGTERM", "process_alive", "read_pid", "wait_for"]
