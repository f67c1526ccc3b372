"""Runtime loggers: where ``autogen.runtime_logging`` writes LLM calls, agents and events."""

from __future__ import annotations

from .base_logger import BaseLogger
from .file_logger import FileLogger
from .logger_factory import LoggerFactory
from .sqlite_logger import SqliteLogger

__all__ = ["BaseLogger", "FileLogger", "LoggerFactory", "SqliteLogger"]
