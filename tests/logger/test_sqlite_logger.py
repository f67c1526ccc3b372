"""Tests for autogen/logger/sqlite_logger.py."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from pathlib import Path

from autogen.logger import SqliteLogger

TABLES = {"chat_completions", "agents", "oai_wrappers", "oai_clients", "version", "events", "function_calls"}
KEY = "sk-test-0123456789abcdef0123456789abcdef"


class FakeAgent:
    def __init__(self, name: str) -> None:
        self.name = name
        self.client = None


def _started(tmp_path: Path) -> SqliteLogger:
    logger = SqliteLogger({"dbname": str(tmp_path / "logs.db")})
    logger.start()
    return logger


def _log_call(logger: SqliteLogger, source: object, content: str = "hi") -> None:
    logger.log_chat_completion(
        uuid.uuid4(),
        1,
        2,
        source,
        {"messages": [{"role": "user", "content": content}], "model": "m"},
        {"model": "m", "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}},
        0,
        0.25,
        "2026-01-01 00:00:00.000000",
    )


def test_start_creates_every_table_and_the_schema_version(tmp_path: Path) -> None:
    logger = _started(tmp_path)
    logger.stop()
    con = sqlite3.connect(tmp_path / "logs.db")
    tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables >= TABLES
    assert con.execute("SELECT version_number FROM version").fetchall() == [(1,)]


def test_chat_completion_row_holds_request_response_and_session(tmp_path: Path) -> None:
    logger = _started(tmp_path)
    _log_call(logger, FakeAgent("alice"), "what is 2+2?")
    row = (
        logger.get_connection()
        .execute("SELECT session_id, source_name, request, response, is_cached, cost, start_time FROM chat_completions")
        .fetchone()
    )
    logger.stop()
    assert row[0] == logger.session_id
    assert row[1] == "alice"
    assert json.loads(row[2])["messages"] == [{"role": "user", "content": "what is 2+2?"}]
    assert json.loads(row[3])["usage"]["total_tokens"] == 5
    assert row[4:] == (0, 0.25, "2026-01-01 00:00:00.000000")


def test_string_response_is_stored_under_response_key(tmp_path: Path) -> None:
    logger = _started(tmp_path)
    logger.log_chat_completion(uuid.uuid4(), 1, 2, None, {}, "plain text", 1, 0.0, "t")
    row = logger.get_connection().execute("SELECT response, is_cached FROM chat_completions").fetchone()
    logger.stop()
    assert (json.loads(row[0]), row[1]) == ({"response": "plain text"}, 1)


def test_agent_wrapper_client_event_and_function_rows(tmp_path: Path) -> None:
    logger = _started(tmp_path)
    agent, wrapper, client = FakeAgent("bob"), object(), object()
    logger.log_new_agent(agent, {"name": "bob", "llm_config": {"config_list": [{"model": "m", "api_key": KEY}]}})
    logger.log_new_wrapper(wrapper, {"config_list": [{"model": "m", "api_key": KEY}]})
    logger.log_new_client(client, wrapper, {"model": "m", "api_key": KEY})
    logger.log_event(agent, "received_message", message={"content": "hello"}, sender="alice")
    logger.log_function_use(agent, len, {"obj": [1, 2]}, 2)
    con = logger.get_connection()
    agents = con.execute("SELECT agent_id, name, class, init_args FROM agents").fetchall()
    wrappers = con.execute("SELECT wrapper_id, init_args FROM oai_wrappers").fetchall()
    clients = con.execute("SELECT client_id, wrapper_id, class FROM oai_clients").fetchall()
    events = con.execute("SELECT event_name, source_name, agent_class_name, json_state FROM events").fetchall()
    calls = con.execute("SELECT source_name, function_name, args, returns FROM function_calls").fetchall()
    logger.stop()
    assert agents[0][:3] == (id(agent), "bob", "FakeAgent")
    assert json.loads(agents[0][3])["llm_config"]["config_list"] == [{"model": "m"}]
    assert wrappers[0][0] == id(wrapper)
    assert clients == [(id(client), id(wrapper), "object")]
    assert events[0][:3] == ("received_message", "bob", "FakeAgent")
    assert json.loads(events[0][3]) == {"message": {"content": "hello"}, "sender": "alice"}
    assert calls == [("bob", "len", '{"obj": [1, 2]}', "2")]


def test_no_api_key_reaches_the_database_file(tmp_path: Path) -> None:
    logger = _started(tmp_path)
    wrapper = object()
    logger.log_new_wrapper(wrapper, {"config_list": [{"model": "m", "api_key": KEY}], "api_key": KEY})
    logger.log_new_client(object(), wrapper, {"api_key": KEY, "azure_ad_token": "tok-secret-value"})
    logger.log_chat_completion(
        uuid.uuid4(),
        1,
        2,
        None,
        {"messages": [{"role": "user", "content": f"my key is {KEY}"}], "extra_headers": {"Authorization": KEY}},
        {"ok": True},
        0,
        0.0,
        "t",
    )
    logger.log_event("x", "custom", credentials={"api_key": KEY})
    logger.stop()
    raw = (tmp_path / "logs.db").read_bytes()
    assert KEY.encode() not in raw
    assert b"0123456789abcdef0123456789abcdef" not in raw
    assert b"tok-secret-value" not in raw


def test_many_threads_logging_at_once_lose_no_row(tmp_path: Path) -> None:
    logger = _started(tmp_path)

    def work(n: int) -> None:
        for i in range(50):
            _log_call(logger, f"agent{n}", f"{n}-{i}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    logger.stop()
    con = sqlite3.connect(tmp_path / "logs.db")
    contents = {json.loads(r[0])["messages"][0]["content"] for r in con.execute("SELECT request FROM chat_completions")}
    assert contents == {f"{n}-{i}" for n in range(8) for i in range(50)}


def test_stop_writes_everything_still_queued(tmp_path: Path) -> None:
    logger = _started(tmp_path)
    for i in range(1000):
        _log_call(logger, "a", str(i))
    logger.stop()
    count = sqlite3.connect(tmp_path / "logs.db").execute("SELECT COUNT(*) FROM chat_completions").fetchone()[0]
    assert count == 1000


def test_log_after_stop_is_ignored(tmp_path: Path) -> None:
    logger = _started(tmp_path)
    logger.stop()
    _log_call(logger, "a")
    assert logger.get_connection().execute("SELECT COUNT(*) FROM chat_completions").fetchone()[0] == 0


def test_in_memory_log_stays_readable_after_stop() -> None:
    logger = SqliteLogger({"dbname": ":memory:"})
    logger.start()
    _log_call(logger, "a")
    logger.stop()
    assert logger.get_connection().execute("SELECT COUNT(*) FROM chat_completions").fetchone()[0] == 1


def test_two_sessions_share_one_database_with_distinct_ids(tmp_path: Path) -> None:
    first = _started(tmp_path)
    _log_call(first, "a")
    first.stop()
    second = _started(tmp_path)
    _log_call(second, "a")
    second.stop()
    con = sqlite3.connect(tmp_path / "logs.db")
    sessions = [r[0] for r in con.execute("SELECT session_id FROM chat_completions ORDER BY id")]
    assert sessions == [first.session_id, second.session_id]
    assert first.session_id != second.session_id


def test_request_is_logged_as_it_was_at_call_time(tmp_path: Path) -> None:
    logger = _started(tmp_path)
    messages = [{"role": "user", "content": "first"}]
    request = {"messages": messages, "model": "m"}
    logger.log_chat_completion(uuid.uuid4(), 1, 2, None, request, {"ok": True}, 0, 0.0, "t")
    messages[0]["content"] = "changed"
    messages.append({"role": "assistant", "content": "later"})
    request["model"] = "other"
    row = logger.get_connection().execute("SELECT request FROM chat_completions").fetchone()
    logger.stop()
    assert json.loads(row[0]) == {"messages": [{"role": "user", "content": "first"}], "model": "m"}
