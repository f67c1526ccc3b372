"""The one process-tree killer of the package (built on psutil)."""

from __future__ import annotations

import contextlib
import os
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


def _leads_group(pid: int) -> bool:
    """Whether ``pid`` leads its own process group (and it is not ours: never kill our own group)."""
    try:
        return os.getpgid(pid) == pid != os.getpgrp()
    except OSError:
        return False


def count_descendants(pid: int) -> int:
    """How many live processes run below ``pid``."""
    return len(_descendants(pid))


def signal_processes(processes: Iterable[psutil.Process], sig: int) -> None:
    """Send ``sig`` to each process that still exists (psutil checks the pid was not reused)."""
    for proc in processes:
        with contextlib.suppress(psutil.Error):
            proc.send_signal(sig)


def _group_members(pgid: int, but: int) -> List[psutil.Process]:
    found = []
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if proc.pid != but and os.getpgid(proc.pid) == pgid and _running(proc):
                found.append(proc)
    return found


def kill_descendants(
    pid: int, *, include_root: bool = False, include_group: bool = False, grace: float = 0.0, deadline: float = 10.0
) -> None:
    """Stop every process below ``pid`` (and ``pid`` itself with ``include_root``).

    With ``include_group``, also the other processes of the process group ``pid`` leads (those
    whose parent exited). SIGTERM first when ``grace`` > 0, then SIGKILL until none is left (new
    forks are caught by the next round).
    """
    lead_group = include_group and _leads_group(pid)

    def targets() -> List[psutil.Process]:
        found = _descendants(pid)
        if lead_group:
            known = {p.pid for p in found}
            found += [p for p in _group_members(pid, but=pid) if p.pid not in known]
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
