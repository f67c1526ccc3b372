"""Tests for autogen/logger/file_logger.py."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from autogen.logger import FileLogger

KEY = "sk-test-0123456789abcdef0123456789abcdef"


def _lines(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_relative_filename_goes_to_autogen_logs_in_cwd(tmp_path: Path) -> None:
    logger = FileLogger({"filename": "run.log"})
    logger.start()
    logger.stop()
    assert os.path.exists(tmp_path / "autogen_logs" / "run.log")


def test_every_record_is_one_json_line_with_its_kind_and_session(tmp_path: Path) -> None:
    path = str(tmp_path / "run.log")
    logger = FileLogger({"filename": path})
    session = logger.start()
    logger.log_new_wrapper(object(), {"config_list": [{"model": "m"}]})
    logger.log_chat_completion(uuid.uuid4(), 1, 2, "alice", {"messages": []}, {"id": "x"}, 0, 0.5, "t0")
    logger.log_event("alice", "received_message", message="hi")
    logger.log_function_use("alice", len, {"obj": "ab"}, 2)
    logger.stop()
    lines = _lines(path)
    assert [line["record"] for line in lines] == ["new_wrapper", "chat_completion", "event", "function_use"]
    assert {line["session_id"] for line in lines} == {session}
    call = lines[1]
    assert (call["source_name"], call["request"], call["response"], call["cost"]) == (
        "alice",
        {"messages": []},
        {"id": "x"},
        0.5,
    )


def test_no_api_key_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "run.log"
    logger = FileLogger({"filename": str(path)})
    logger.start()
    logger.log_new_client(object(), object(), {"api_key": KEY, "default_headers": {"Authorization": f"Bearer {KEY}"}})
    logger.log_chat_completion(uuid.uuid4(), 1, 2, None, {"content": KEY}, {"echo": KEY}, 0, 0.0, "t")
    logger.stop()
    assert "0123456789abcdef0123456789abcdef" not in path.read_text()


def test_file_logger_has_no_connection() -> None:
    assert FileLogger({"filename": "x.log"}).get_connection() is None
