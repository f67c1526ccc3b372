"""Batch runs: the same function over many inputs, on local threads or a Ray cluster.

:func:`get_backend` returns a :class:`Backend` (``"local"`` or ``"ray"``); :func:`run_batch` runs one agent
team per task on a backend and returns the ``ChatResult`` of every task, in task order.
"""

from ._backend import BACKEND_NAMES, Backend, Resources, get_backend

__all__ = ["BACKEND_NAMES", "Backend", "Resources", "get_backend"]
