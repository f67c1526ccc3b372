"""Runtime logging of wrappers, clients and completions (SQLite), never with the API key."""

from __future__ import annotations

import json

import pytest

from autogen import runtime_logging
from autogen.cache.cache import Cache
from autogen.oai.client import OpenAIWrapper

MESSAGES = [{"role": "user", "content": "hi"}]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "log.db"
    runtime_logging.start(logger_type="sqlite", config={"dbname": str(path)})
    yield path
    runtime_logging.stop()


def test_completions_wrapper_and_client_are_logged(server, db):
    server.script("logged answer")
    wrapper = OpenAIWrapper(config_list=server.config_list(model="gpt-4"))
    cache = Cache.in_memory()
    wrapper.create(messages=MESSAGES, cache=cache)
    wrapper.create(messages=MESSAGES, cache=cache)
    conn = runtime_logging.get_connection()
    rows = conn.execute("SELECT wrapper_id, request, response, is_cached, cost FROM chat_completions").fetchall()
    assert [r[3] for r in rows] == [0, 1]
    assert all(r[0] == id(wrapper) for r in rows)
    assert json.loads(rows[0][1])["messages"] == MESSAGES
    assert "logged answer" in rows[0][2]
    assert rows[0][4] > 0
    assert conn.execute("SELECT COUNT(*) FROM oai_wrappers").fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(*) FROM oai_clients").fetchone()[0] == 1


def test_logs_never_hold_the_api_key(server, db):
    server.script("ok")
    OpenAIWrapper(config_list=server.config_list()).create(messages=MESSAGES)
    conn = runtime_logging.get_connection()
    dump = "\n".join(conn.iterdump())
    assert server.api_key not in dump
    assert "chat_completions" in dump


def test_failed_call_is_logged_without_key(server, db):
    from autogen.oai.errors import AllConfigsFailedError
    from autogen.testing import Fail

    server.default_reply = Fail(500, f"server echoes {server.api_key}")
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=0))
    with pytest.raises(AllConfigsFailedError):
        wrapper.create(messages=MESSAGES)
    rows = runtime_logging.get_connection().execute("SELECT response, cost FROM chat_completions").fetchall()
    assert len(rows) == 1
    assert "failed" in rows[0][0]
    assert server.api_key not in rows[0][0]
    assert rows[0][1] == 0
