"""Resource limits for code run on this machine (local executors and legacy ``execute_code``)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Dict, Optional

__all__ = ["GIB", "ResourceLimits"]

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
