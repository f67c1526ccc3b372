"""A pids cgroup per execution, where this process may create one (typically root on Linux).

Every process the code starts lands in the cgroup whatever it does to its session or parent, so
the cgroup is the complete list of what to kill, and ``pids.max`` stops a fork bomb even for root
(who ignores ``RLIMIT_NPROC``). cgroup v1 (``/sys/fs/cgroup/pids``) and v2 (``/sys/fs/cgroup`` with
the pids controller enabled) are supported; elsewhere :func:`create_pids_cgroup` returns None.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import time
import uuid
from pathlib import Path
from typing import List, Optional

from ._tree import is_alive

__all__ = ["PidsCgroup", "create_pids_cgroup", "pids_cgroup_root"]

logger = logging.getLogger(__name__)

_V1_ROOT = Path("/sys/fs/cgroup/pids")
_V2_ROOT = Path("/sys/fs/cgroup")
_PARENT = "autogen-code"


def pids_cgroup_root() -> Optional[Path]:
    """The writable pids cgroup directory our execution cgroups go under, or None."""
    if not sys.platform.startswith("linux") or os.environ.get("AUTOGEN_CGROUPS", "1").lower() in ("0", "false", "no"):
        return None
    candidates: List[Path] = []
    if (_V1_ROOT / "cgroup.procs").exists():
        candidates.append(_V1_ROOT)
    subtree = _V2_ROOT / "cgroup.subtree_control"
    with contextlib.suppress(OSError):
        if "pids" in subtree.read_text().split():
            candidates.append(_V2_ROOT)
    for root in candidates:
        if os.access(root, os.W_OK):
            parent = root / _PARENT
            with contextlib.suppress(OSError):
                parent.mkdir(exist_ok=True)
                if root == _V2_ROOT:
                    (parent / "cgroup.subtree_control").write_text("+pids")
                return parent
    return None


class PidsCgroup:
    """One execution's cgroup: ``procs_file`` to join, :meth:`kill_all`, then :meth:`remove`."""

    def __init__(self, path: Path, max_pids: int) -> None:
        self.path = path
        path.mkdir()
        try:
            (path / "pids.max").write_text(str(max_pids))
        except OSError:
            path.rmdir()
            raise

    @property
    def procs_file(self) -> str:
        """The file a process writes its pid to, to join."""
        return str(self.path / "cgroup.procs")

    def pids(self) -> List[int]:
        """The processes in the cgroup now (zombies not yet reaped included)."""
        try:
            return [int(line) for line in (self.path / "cgroup.procs").read_text().split()]
        except FileNotFoundError:
            return []

    def kill_all(self, deadline: float = 10.0) -> None:
        """SIGKILL every process in the cgroup until it is empty (``pids.max`` bounds new forks)."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            pids = [pid for pid in self.pids() if is_alive(pid)]
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)
        logger.warning("Processes of %s survived SIGKILL for %.0f s: %s", self.path, deadline, self.pids())

    def remove(self) -> None:
        """Delete the cgroup (retrying while killed processes are still being reaped)."""
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.02)
        logger.warning("Could not remove cgroup %s: processes are still in it: %s", self.path, self.pids())


STALE_AFTER_SECONDS = 60.0
_swept_stale = False


def _remove_stale(parent: Path) -> None:
    """Remove empty cgroups left by executors that died (an empty cgroup is done: its supervisor is gone)."""
    now = time.time()
    for child in parent.iterdir():
        with contextlib.suppress(OSError):
            if child.is_dir() and now - child.stat().st_mtime > STALE_AFTER_SECONDS:
                child.rmdir()  # refused (EBUSY) while processes are in it


def create_pids_cgroup(max_pids: int) -> Optional[PidsCgroup]:
    """A fresh cgroup limited to ``max_pids`` processes, or None where cgroups are not writable."""
    global _swept_stale
    root = pids_cgroup_root()
    if root is None:
        return None
    if not _swept_stale:
        _swept_stale = True
        _remove_stale(root)
    try:
        return PidsCgroup(root / uuid.uuid4().hex, max_pids)
    except OSError as exc:
        logger.debug("No pids cgroup under %s: %s", root, exc)
        return None
