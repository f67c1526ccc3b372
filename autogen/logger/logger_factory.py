"""Choosing a built-in logger by name."""

from __future__ import annotations

from typing import Any, Literal, Optional

from .base_logger import BaseLogger

__all__ = ["LoggerFactory"]

LOGGER_TYPES = ("sqlite", "file")


class LoggerFactory:
    """Creates the logger named by ``logger_type``."""

    @staticmethod
    def get_logger(
        logger_type: Literal["sqlite", "file"] = "sqlite", config: Optional[dict[str, Any]] = None
    ) -> BaseLogger:
        """Return a new ``SqliteLogger`` (``"sqlite"``) or ``FileLogger`` (``"file"``) built from ``config``."""
        if config is not None and not isinstance(config, dict):
            raise TypeError(f"logger config must be a dict or None, got {type(config).__name__}")
        if logger_type == "sqlite":
            from .sqlite_logger import SqliteLogger

            return SqliteLogger(config)
        if logger_type == "file":
            from .file_logger import FileLogger

            return FileLogger(config)
        raise ValueError(f"[logger_factory] Unknown logger type {logger_type!r}; valid types are {LOGGER_TYPES}")
