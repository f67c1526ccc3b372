"""Resource limits for code on this machine (:class:`ResourceLimits`) and in containers (:class:`ContainerLimits`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from typing import Any, Dict, Optional, Tuple, Union

__all__ = ["GIB", "UNPRIVILEGED_UID", "ContainerLimits", "ResourceLimits"]

GIB = 1024**3


@dataclass(frozen=True)
class ResourceLimits:
    """Limits applied to every process a code block starts (each None turns that limit off).

    Attributes:
        memory_bytes: address space of each process (``RLIMIT_AS``); a bigger allocation fails
            (``MemoryError`` in Python). Default 4 GiB.
        max_processes: processes the block may run at once. Enforced by a pids cgroup where this
            process can create one (Linux, usually as root), else by ``RLIMIT_NPROC`` (which root
            ignores), else, for root, by killing the block when it has more. Default 256.
        file_size_bytes: largest file a process may write (``RLIMIT_FSIZE``). Default 1 GiB.
        cpu_seconds: CPU time of each process (``RLIMIT_CPU``). Default None: the executor's timeout.
    """

    memory_bytes: Optional[int] = 4 * GIB
    max_processes: Optional[int] = 256
    file_size_bytes: Optional[int] = GIB
    cpu_seconds: Optional[int] = None

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise ValueError(
                    f"ResourceLimits.{field.name} must be a positive int or None (no limit), got {value!r}"
                )

    def rlimits(self, timeout: float) -> Dict[str, int]:
        """The ``RLIMIT_*`` values (by name without the prefix) for a block with ``timeout`` seconds."""
        cpu = self.cpu_seconds if self.cpu_seconds is not None else max(1, int(timeout) + 1)
        values = {"AS": self.memory_bytes, "NPROC": self.max_processes, "FSIZE": self.file_size_bytes, "CPU": cpu}
        return {name: value for name, value in values.items() if value is not None}


UNPRIVILEGED_UID = 1000
"""The uid code runs as in a container when the host user is root (whose uid would be root there too)."""


@dataclass(frozen=True)
class ContainerLimits:
    """How a code-execution container is confined (Docker executors and legacy ``use_docker``).

    Attributes:
        pids_limit: processes the container may run at once (stops fork bombs). Default 256.
        mem_limit: memory of the container, swap included (Docker syntax: ``"2g"``, ``"512m"`` or
            bytes). Default ``"2g"``.
        cpus: CPUs the container may use (fractions allowed). Default 1.0.
        user: ``"uid:gid"`` the code runs as. Default None: the host user's uid and gid, so files
            in the work dir belong to you; when the host user is root, the work dir's owner, or
            uid/gid 1000 when root owns it (the work dir is then handed to uid 1000 so the code
            can write there).
        read_only: read-only root filesystem; only the work dir and a tmpfs ``/tmp`` are writable.
        tmpfs_size: size of the ``/tmp`` tmpfs. Default ``"256m"``.
        drop_capabilities: drop every Linux capability. Default True.
        no_new_privileges: forbid gaining privileges (setuid binaries do not work). Default True.
    """

    pids_limit: Optional[int] = 256
    mem_limit: Optional[Union[str, int]] = "2g"
    cpus: Optional[float] = 1.0
    user: Optional[str] = None
    read_only: bool = True
    tmpfs_size: str = "256m"
    drop_capabilities: bool = True
    no_new_privileges: bool = True

    def __post_init__(self) -> None:
        if self.pids_limit is not None and (isinstance(self.pids_limit, bool) or self.pids_limit < 1):
            raise ValueError(f"ContainerLimits.pids_limit must be a positive int or None, got {self.pids_limit!r}")
        if self.cpus is not None and not self.cpus > 0:
            raise ValueError(f"ContainerLimits.cpus must be positive or None, got {self.cpus!r}")
        if self.user is not None and not re.fullmatch(r"\d+(:\d+)?", self.user):
            raise ValueError(f"ContainerLimits.user must be 'uid' or 'uid:gid' (numbers), got {self.user!r}")

    def resolved_user(self) -> Tuple[int, int]:
        """The ``(uid, gid)`` the code runs as."""
        if self.user is not None:
            uid, _, gid = self.user.partition(":")
            return int(uid), int(gid or uid)
        if os.geteuid() == 0:
            return UNPRIVILEGED_UID, UNPRIVILEGED_UID
        return os.geteuid(), os.getegid()

    def host_config(self) -> Dict[str, Any]:
        """Keyword arguments for ``docker.APIClient.create_host_config``."""
        config: Dict[str, Any] = {"read_only": self.read_only}
        if self.pids_limit is not None:
            config["pids_limit"] = self.pids_limit
        if self.mem_limit is not None:
            config["mem_limit"] = self.mem_limit
            config["memswap_limit"] = self.mem_limit
        if self.cpus is not None:
            config["nano_cpus"] = int(self.cpus * 1e9)
        if self.drop_capabilities:
            config["cap_drop"] = ["ALL"]
        if self.no_new_privileges:
            config["security_opt"] = ["no-new-privileges"]
        config["tmpfs"] = {"/tmp": f"rw,nosuid,nodev,size={self.tmpfs_size}"}
        return config
