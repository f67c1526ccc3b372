"""Tests for autogen/logger/logger_factory.py."""

from __future__ import annotations

import pytest

from autogen.logger import FileLogger, LoggerFactory, SqliteLogger


def test_sqlite_is_the_default_logger() -> None:
    assert isinstance(LoggerFactory.get_logger(), SqliteLogger)


def test_file_logger_by_name_uses_the_config() -> None:
    logger = LoggerFactory.get_logger("file", {"filename": "x.log"})
    assert isinstance(logger, FileLogger)
    assert logger.log_file.endswith("x.log")


def test_unknown_logger_type_is_rejected_with_the_valid_types() -> None:
    with pytest.raises(ValueError, match=r"'mongo'.*sqlite.*file"):
        LoggerFactory.get_logger("mongo")  # type: ignore[arg-type]


def test_config_must_be_a_dict() -> None:
    with pytest.raises(TypeError, match="dict"):
        LoggerFactory.get_logger("sqlite", ["logs.db"])  # type: ignore[arg-type]


def test_unknown_config_keys_are_rejected_naming_the_valid_one() -> None:
    with pytest.raises(ValueError, match=r"\['db_name'\].*'dbname'"):
        LoggerFactory.get_logger("sqlite", {"db_name": "x.db"})
    with pytest.raises(ValueError, match=r"\['file'\].*'filename'"):
        LoggerFactory.get_logger("file", {"file": "x.log"})
