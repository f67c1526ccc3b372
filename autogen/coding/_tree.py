"""The one process-tree killer of the package (built on psutil)."""

from __future__ import annotations

import contextlib
import signal
import time
from typing import Iterable, List

import psutil

__all__ = ["count_descendants", "is_alive", "kill_descendants", "signal_processes"]


def is_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped counts as dead)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _descendants(pid: int) -> List[psutil.Process]:
    try:
        return [p for p in psutil.Process(pid).children(recursive=True) if _running(p)]
    except psutil.Error:
        return []


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def count_descendants(pid: int) -> int:
    """How many live processes run below ``pid``."""
    return len(_descendants(pid))


def signal_processes(processes: Iterable[psutil.Process], sig: int) -> None:
    """Send ``sig`` to each process that still exists (psutil checks the pid was not reused)."""
    for proc in processes:
        with contextlib.suppress(psutil.Error):
            proc.send_signal(sig)


def kill_descendants(pid: int, *, include_root: bool = False, grace: float = 0.0, deadline: float = 10.0) -> None:
    """Stop every process below ``pid`` (and ``pid`` itself with ``include_root``).

    SIGTERM first when ``grace`` > 0, then SIGKILL until none is left (new forks are caught by the
    next round).
    """

    def targets() -> List[psutil.Process]:
        found = _descendants(pid)
        if include_root:
            with contextlib.suppress(psutil.Error):
                root = psutil.Process(pid)
                if _running(root):
                    found.insert(0, root)
        return found

    if grace > 0:
        first = targets()
        signal_processes(first, signal.SIGTERM)
        psutil.wait_procs(first, timeout=grace)
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        left = targets()
        if not left:
            return
        signal_processes(left, signal.SIGKILL)
        psutil.wait_procs(left, timeout=0.2)
