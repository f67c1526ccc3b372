"""When Docker is asked for but not running, run the code in the bubblewrap sandbox instead (never unconfined).

Used by the legacy ``use_docker`` path (:func:`autogen.code_utils.execute_code` and agents) and by
``CodeExecutorFactory`` for ``{"executor": "docker"}``. A warning is logged once per process.
``AUTOGEN_SANDBOX_FALLBACK=0`` turns the fallback off (Docker or a clear error).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from ._bwrap import sandbox_problem

__all__ = ["FALLBACK_NOTICE", "docker_replaced_by_sandbox", "fallback_enabled"]

logger = logging.getLogger(__name__)

FALLBACK_NOTICE = (
    "Docker was asked for but is not running: code runs in the local bubblewrap sandbox instead "
    "(no network, read-only system, only the work dir writable; see docs/security.md). "
    "Start Docker to run it in a container, or set AUTOGEN_SANDBOX_FALLBACK=0 to be refused instead."
)

_notice_lock = threading.Lock()
_noticed = False


def fallback_enabled() -> bool:
    """Whether ``AUTOGEN_SANDBOX_FALLBACK`` allows the sandbox to stand in for Docker (default yes).

    Raises:
        ValueError: for a value other than 1/true/yes or 0/false/no.
    """
    raw = os.environ.get("AUTOGEN_SANDBOX_FALLBACK", "1")
    value = raw.strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    raise ValueError(f"Invalid value for AUTOGEN_SANDBOX_FALLBACK: {raw!r}. Use 1/true/yes or 0/false/no.")


def _notice_once() -> None:
    global _noticed
    with _notice_lock:
        if _noticed:
            return
        _noticed = True
    logger.warning(FALLBACK_NOTICE)


def docker_replaced_by_sandbox(use_docker: Any) -> bool:
    """Whether code that ``use_docker`` sends to Docker runs in the sandbox instead.

    False when Docker is not asked for (``use_docker`` falsy) or is running. True when it is
    asked for, not running, and the sandbox works here (a warning is logged once per process).

    Raises:
        RuntimeError: Docker is asked for and neither Docker nor the sandbox can run the code; the
            message gives the ways out (start Docker, install bubblewrap, or opt in to local execution).
    """
    from .. import code_utils

    if not use_docker or code_utils.is_docker_running():
        return False
    enabled = fallback_enabled()
    problem = sandbox_problem() if enabled else None
    if enabled and problem is None:
        _notice_once()
        return True
    try:
        code_utils.check_can_use_docker_or_throw(use_docker)
    except RuntimeError as exc:
        if problem is None:
            raise
        raise RuntimeError(f"{exc}\n- or let code run in a local sandbox without Docker: {problem}") from None
    return False
