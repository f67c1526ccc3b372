"""Runtime loggers: where ``autogen.runtime_logging`` writes LLM calls, agents and events.

The loggers load on first use, so modules that only need ``autogen.logger.redact`` (every model
client does) do not pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["BaseLogger", "FileLogger", "LoggerFactory", "SqliteLogger"]

_HOMES = {
    "BaseLogger": ".base_logger",
    "FileLogger": ".file_logger",
    "LoggerFactory": ".logger_factory",
    "SqliteLogger": ".sqlite_logger",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:
    from .base_logger import BaseLogger
    from .file_logger import FileLogger
    from .logger_factory import LoggerFactory
    from .sqlite_logger import SqliteLogger
