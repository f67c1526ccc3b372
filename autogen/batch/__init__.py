"""Batch runs: the same function over many inputs, on local threads or a Ray cluster.

:func:`get_backend` returns a :class:`Backend` (``"local"`` or ``"ray"``); :func:`run_batch` runs one agent
team per task on a backend and returns the ``ChatResult`` of every task, in task order.
"""

from ._backend import Backend, Resources
from .backends import BACKEND_NAMES, get_backend
from .run import BatchError, BatchProgress, Task, chat_cost, iter_batch, run_batch

__all__ = [
    "BACKEND_NAMES",
    "Backend",
    "BatchError",
    "BatchProgress",
    "Resources",
    "Task",
    "chat_cost",
    "get_backend",
    "iter_batch",
    "run_batch",
]
