"""No configured key in artefacts: runtime logs, error messages, tracebacks, pickled errors, validation errors."""

from __future__ import annotations

import json
import pickle
import sqlite3
import traceback
from pathlib import Path

import pytest

from autogen import runtime_logging
from autogen.oai.client import OpenAIWrapper
from autogen.oai.errors import AllConfigsFailedError
from autogen.testing import Fail

AZURE_KEY = "fedcba9876543210fedcba9876543210"  # 32 hex digits: no key pattern matches it
SHORT_KEY = "local-key-7"


def _messages(key: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": f"my key is {key}, keep it safe"}]


def _dump_sqlite(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return json.dumps({t: con.execute(f"SELECT * FROM {t}").fetchall() for t in tables})
    finally:
        con.close()


@pytest.mark.parametrize("key", [AZURE_KEY, SHORT_KEY])
@pytest.mark.parametrize("logger_type", ["sqlite", "file"])
def test_a_configured_key_of_any_shape_is_redacted_in_runtime_logs(server, tmp_path, key, logger_type):
    server.api_key = key
    server.script("fine", f"echo {key}")
    path = tmp_path / ("log.db" if logger_type == "sqlite" else "log.jsonl")
    config = {"dbname": str(path)} if logger_type == "sqlite" else {"filename": str(path)}
    runtime_logging.start(logger_type=logger_type, config=config)
    try:
        wrapper = OpenAIWrapper(config_list=server.config_list(api_key=key, default_headers={"api-key": key}))
        wrapper.create(messages=_messages(key))
        wrapper.create(messages=[{"role": "user", "content": "again"}])
        runtime_logging.log_event(f"agent-{key}", f"note {key}", detail=f"the key {key} in an event")
    finally:
        runtime_logging.stop()
    text = _dump_sqlite(path) if logger_type == "sqlite" else path.read_text()
    assert "my key is [REDACTED], keep it safe" in text
    assert "echo [REDACTED]" in text
    assert key not in text


def test_keys_of_every_wrapper_ever_made_are_redacted(server, tmp_path):
    OpenAIWrapper(config_list=[{"model": "other", "api_key": AZURE_KEY, "base_url": "http://127.0.0.1:9/v1"}])
    server.script("ok")
    path = tmp_path / "log.db"
    runtime_logging.start(config={"dbname": str(path)})
    try:
        OpenAIWrapper(config_list=server.config_list()).create(messages=_messages(AZURE_KEY))
    finally:
        runtime_logging.stop()
    assert AZURE_KEY not in _dump_sqlite(path)


def _failed_call(server, key: str) -> AllConfigsFailedError:
    server.api_key = key
    server.default_reply = Fail(500, f"upstream rejected api key {key} (echoed back)")
    wrapper = OpenAIWrapper(config_list=server.config_list(api_key=key, max_retries=1))
    with pytest.raises(AllConfigsFailedError) as info:
        wrapper.create(messages=[{"role": "user", "content": "hi"}])
    return info.value


@pytest.mark.parametrize("key", [AZURE_KEY, SHORT_KEY, "sk-test-0123456789abcdef0123456789abcdef"])
def test_an_echoed_key_is_in_no_traceback_attempt_or_pickle(server, key):
    err = _failed_call(server, key)
    formatted = "".join(traceback.format_exception(err))
    assert "upstream rejected api key" in formatted  # the cause is shown...
    assert key not in formatted  # ...without the key, in the error and its chained cause
    assert key not in str(err) + repr(err)
    for attempt in err.attempts:
        assert key not in str(attempt.error) + repr(attempt.error) + str(getattr(attempt.error, "body", ""))
    pickled = pickle.dumps(err)
    assert key.encode() not in pickled
    assert b"Bearer" not in pickled or b"Bearer " + key.encode() not in pickled


def test_a_pickled_error_carries_no_authorization_header(server):
    err = _failed_call(server, AZURE_KEY)
    assert err.request.headers["authorization"] == "[REDACTED]"
    assert err.response.request.headers["authorization"] == "[REDACTED]"
    assert err.response.status_code == 500
    assert "echoed back" in err.response.text
    assert AZURE_KEY.encode() not in pickle.dumps(err.attempts[0].error)


def test_validation_errors_do_not_print_config_entries():
    with pytest.raises(ValueError, match=r"config_list\[0\] must be a dict, got a tuple") as info:
        OpenAIWrapper(config_list=[("gpt-4o-mini", AZURE_KEY)])
    assert AZURE_KEY not in str(info.value)


def test_a_bad_key_type_is_named_without_its_value():
    with pytest.raises(TypeError, match="'api_key' must be a string") as info:
        OpenAIWrapper(config_list=[{"model": "m", "api_key": 1234567890123}])
    assert "1234567890123" not in str(info.value)


def test_a_pickled_error_loads_again_with_its_class_message_and_attempts(server):
    import openai

    err = _failed_call(server, AZURE_KEY)
    loaded = pickle.loads(pickle.dumps(err))
    assert isinstance(loaded, AllConfigsFailedError) and isinstance(loaded, openai.InternalServerError)
    assert str(loaded) == str(err)
    assert loaded.status_code == 500
    assert [a.tries for a in loaded.attempts] == [2]
