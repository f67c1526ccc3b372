"""Tests for autogen/logger/summary.py."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from autogen.logger import FileLogger, SqliteLogger
from autogen.logger.summary import summarize_file, summarize_sqlite


def _call(logger, source, prompt: int, completion: int, cost: float, cached: int = 0, start: str = "") -> None:
    logger.log_chat_completion(
        uuid.uuid4(),
        1,
        2,
        source,
        {"messages": []},
        {
            "model": "gpt-4o-mini",
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
        },
        cached,
        cost,
        start or "2026-01-01 00:00:00.000000",
    )


def test_sqlite_summary_adds_up_calls_tokens_and_cost_per_agent(tmp_path: Path) -> None:
    db = str(tmp_path / "logs.db")
    logger = SqliteLogger({"dbname": db})
    logger.start()
    _call(logger, "alice", 10, 5, 0.1)
    _call(logger, "bob", 20, 1, 0.2, cached=1)
    _call(logger, "alice", 1, 1, 0.3)
    logger.stop()
    summary = summarize_sqlite(db)
    assert summary.session_id == logger.session_id
    assert (summary.total.calls, summary.total.cached_calls, summary.total.prompt_tokens) == (3, 1, 31)
    assert summary.total.completion_tokens == 7
    assert summary.total.cost == pytest.approx(0.6)
    assert summary.per_agent["alice"].total_tokens == 17
    assert summary.models == {"gpt-4o-mini": 3}
    assert summary.total.duration_s > 0
    assert "alice" in str(summary) and "TOTAL" in str(summary)


def test_summary_picks_the_requested_session(tmp_path: Path) -> None:
    db = str(tmp_path / "logs.db")
    first = SqliteLogger({"dbname": db})
    first.start()
    _call(first, "a", 1, 1, 0.0)
    first.stop()
    second = SqliteLogger({"dbname": db})
    second.start()
    _call(second, "a", 1, 1, 0.0)
    _call(second, "a", 1, 1, 0.0)
    second.stop()
    assert summarize_sqlite(db).total.calls == 2
    assert summarize_sqlite(db, session_id=first.session_id).total.calls == 1


def test_file_summary_matches_sqlite_summary(tmp_path: Path) -> None:
    path = str(tmp_path / "run.log")
    logger = FileLogger({"filename": path})
    logger.start()
    _call(logger, "alice", 10, 5, 0.1)
    _call(logger, None, 3, 3, 0.0)
    logger.stop()
    summary = summarize_file(path)
    assert summary.total.calls == 2
    assert summary.per_agent[None].total_tokens == 6
    assert summary.to_dict()["per_agent"]["alice"]["prompt_tokens"] == 10


def test_missing_log_is_reported_by_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.db"):
        summarize_sqlite(str(tmp_path / "nope.db"))


def test_command_line_prints_the_table_or_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from autogen.logger.summary import main

    db = str(tmp_path / "logs.db")
    logger = SqliteLogger({"dbname": db})
    logger.start()
    _call(logger, "alice", 10, 5, 0.1)
    logger.stop()
    main([db])
    assert "alice" in capsys.readouterr().out
    main([db, "--json"])
    assert json.loads(capsys.readouterr().out)["total"]["total_tokens"] == 15
