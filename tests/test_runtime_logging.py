"""Tests for autogen/runtime_logging.py (the module-level logging session)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from autogen import runtime_logging
from autogen.logger.base_logger import BaseLogger


@pytest.fixture(autouse=True)
def _stop_logging() -> Iterator[None]:
    yield
    runtime_logging.stop()


def _log_call(source: Any = "alice", content: str = "hi") -> None:
    runtime_logging.log_chat_completion(
        uuid.uuid4(),
        1,
        2,
        source,
        {"messages": [{"role": "user", "content": content}]},
        {"usage": {"prompt_tokens": 4, "completion_tokens": 1, "total_tokens": 5}},
        0,
        0.5,
        "2026-01-01 00:00:00.000000",
    )


def test_logging_is_off_until_started() -> None:
    assert runtime_logging.logging_enabled() is False
    _log_call()  # ignored, no error


def test_start_returns_a_session_id_and_turns_logging_on(tmp_path: Path) -> None:
    session_id = runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    assert str(uuid.UUID(session_id)) == session_id
    assert runtime_logging.logging_enabled() is True


def test_stop_turns_logging_off_and_keeps_the_log_readable(tmp_path: Path) -> None:
    runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    _log_call()
    runtime_logging.stop()
    _log_call()
    assert runtime_logging.logging_enabled() is False
    con = runtime_logging.get_connection()
    assert con is not None
    assert con.execute("SELECT COUNT(*) FROM chat_completions").fetchone()[0] == 1


def test_get_connection_sees_every_row_logged_so_far(tmp_path: Path) -> None:
    runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    for i in range(20):
        _log_call(content=str(i))
    con = runtime_logging.get_connection()
    assert con.execute("SELECT COUNT(*) FROM chat_completions").fetchone()[0] == 20


def test_file_logger_session(tmp_path: Path) -> None:
    path = tmp_path / "run.log"
    session_id = runtime_logging.start(logger_type="file", config={"filename": str(path)})
    _log_call()
    runtime_logging.stop()
    line = json.loads(path.read_text().splitlines()[0])
    assert (line["record"], line["session_id"]) == ("chat_completion", session_id)
    assert runtime_logging.get_connection() is None


def test_starting_again_closes_the_previous_session(tmp_path: Path) -> None:
    first = runtime_logging.start(config={"dbname": str(tmp_path / "a.db")})
    _log_call()
    runtime_logging.start(config={"dbname": str(tmp_path / "b.db")})
    rows = sqlite3.connect(tmp_path / "a.db").execute("SELECT session_id FROM chat_completions").fetchall()
    assert rows == [(first,)]


def test_a_custom_logger_receives_the_calls() -> None:
    class ListLogger(BaseLogger):
        def __init__(self) -> None:
            self.seen: list[str] = []

        def start(self) -> str:
            return "custom-session"

        def log_chat_completion(self, *args: Any) -> None:
            self.seen.append("chat_completion")

        def log_new_agent(self, agent: Any, init_args: dict) -> None:
            self.seen.append("new_agent")

        def log_event(self, source: Any, name: str, **kwargs: Any) -> None:
            self.seen.append(name)

        def log_new_wrapper(self, wrapper: Any, init_args: dict) -> None:
            self.seen.append("new_wrapper")

        def log_new_client(self, client: Any, wrapper: Any, init_args: dict) -> None:
            self.seen.append("new_client")

        def log_function_use(self, source: Any, function: Callable, args: dict, returns: Any) -> None:
            self.seen.append("function_use")

        def stop(self) -> None:
            self.seen.append("stop")

        def get_connection(self) -> Optional[sqlite3.Connection]:
            return None

    custom = ListLogger()
    assert runtime_logging.start(logger=custom) == "custom-session"
    _log_call()
    runtime_logging.log_new_agent(object(), {})
    runtime_logging.log_event("src", "tick")
    runtime_logging.log_new_wrapper(object(), {})
    runtime_logging.log_new_client(object(), object(), {})
    runtime_logging.log_function_use("a", len, {}, 0)
    runtime_logging.stop()
    assert custom.seen == [
        "chat_completion",
        "new_agent",
        "tick",
        "new_wrapper",
        "new_client",
        "function_use",
        "stop",
    ]


def test_a_failing_logger_never_breaks_the_caller(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(BaseLogger):
        def start(self) -> str:
            return "s"

        def log_chat_completion(self, *args: Any) -> None:
            raise RuntimeError("disk full")

        def log_new_agent(self, agent: Any, init_args: dict) -> None:
            raise RuntimeError("disk full")

        def log_event(self, source: Any, name: str, **kwargs: Any) -> None:
            raise RuntimeError("disk full")

        def log_new_wrapper(self, wrapper: Any, init_args: dict) -> None:
            raise RuntimeError("disk full")

        def log_new_client(self, client: Any, wrapper: Any, init_args: dict) -> None:
            raise RuntimeError("disk full")

        def log_function_use(self, source: Any, function: Callable, args: dict, returns: Any) -> None:
            raise RuntimeError("disk full")

        def stop(self) -> None:
            pass

        def get_connection(self) -> Optional[sqlite3.Connection]:
            return None

    runtime_logging.start(logger=Broken())
    _log_call()
    runtime_logging.log_new_agent(object(), {})
    runtime_logging.log_event("x", "y")
    runtime_logging.log_new_wrapper(object(), {})
    runtime_logging.log_new_client(object(), object(), {})
    runtime_logging.log_function_use("a", len, {}, 0)
    for method in ("chat_completion", "new_agent", "event", "new_wrapper", "new_client", "function_use"):
        assert f"log_{method} failed" in caplog.text


def test_event_keyword_arguments_reach_the_logger_whatever_their_names() -> None:
    class EventLogger(BaseLogger):
        def __init__(self) -> None:
            self.events: list[tuple[Any, str, dict[str, Any]]] = []

        def start(self) -> str:
            return "s"

        def log_chat_completion(self, *args: Any) -> None:
            pass

        def log_new_agent(self, agent: Any, init_args: dict) -> None:
            pass

        def log_event(self, source: Any, name: str, **kwargs: Any) -> None:
            self.events.append((source, name, kwargs))

        def log_new_wrapper(self, wrapper: Any, init_args: dict) -> None:
            pass

        def log_new_client(self, client: Any, wrapper: Any, init_args: dict) -> None:
            pass

        def log_function_use(self, source: Any, function: Callable, args: dict, returns: Any) -> None:
            pass

        def stop(self) -> None:
            pass

        def get_connection(self) -> Optional[sqlite3.Connection]:
            return None

    events = EventLogger()
    runtime_logging.start(logger=events)
    runtime_logging.log_event("src", "tick", method_name="m", args=[1], kwargs={"k": 2})
    assert events.events == [("src", "tick", {"method_name": "m", "args": [1], "kwargs": {"k": 2}})]


async def test_concurrent_async_tasks_each_get_their_row(tmp_path: Path) -> None:
    runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})

    async def task(n: int) -> None:
        for i in range(10):
            _log_call(f"agent{n}", f"{n}-{i}")
            await asyncio.sleep(0)

    await asyncio.gather(*(task(n) for n in range(10)))
    runtime_logging.stop()
    con = sqlite3.connect(tmp_path / "logs.db")
    assert con.execute("SELECT COUNT(DISTINCT request) FROM chat_completions").fetchone()[0] == 100


def test_summarize_current_session(tmp_path: Path) -> None:
    session_id = runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    _log_call("alice")
    _log_call("bob")
    _log_call("alice")
    summary = runtime_logging.summarize()
    assert summary.session_id == session_id
    assert (summary.total.calls, summary.total.total_tokens, summary.total.cost) == (3, 15, 1.5)
    assert summary.per_agent["alice"].calls == 2


def test_summarize_a_file_log(tmp_path: Path) -> None:
    runtime_logging.start(logger_type="file", config={"filename": str(tmp_path / "run.log")})
    _log_call("alice")
    summary = runtime_logging.summarize()
    assert (summary.total.calls, summary.per_agent["alice"].prompt_tokens) == (1, 4)


def test_summarize_without_any_log_says_what_to_pass() -> None:
    runtime_logging.autogen_logger = None
    with pytest.raises(ValueError, match="dbname= or filename="):
        runtime_logging.summarize()


# -- with the real LLM client layer against the scripted test server ---------------------------------
def _server_usage(server: Any, replies: list[str]) -> int:
    """Total tokens as the test server computed them, from its own request log."""
    from autogen.testing.openai_server import _prompt_tokens, count_tokens

    return sum(_prompt_tokens(body) + count_tokens(text) for body, text in zip(server.chat_requests, replies))


def test_wrapper_calls_are_logged_as_the_server_received_them(tmp_path: Path, server: Any) -> None:
    from autogen import OpenAIWrapper

    replies = ["Hello there", "General Kenobi"]
    server.script(*replies)
    runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    wrapper = OpenAIWrapper(config_list=server.config_list(), cache_seed=None)
    wrapper.create(messages=[{"role": "user", "content": "hi"}])
    wrapper.create(messages=[{"role": "user", "content": "hi again"}])
    con = runtime_logging.get_connection()
    rows = con.execute("SELECT request, response, is_cached, wrapper_id FROM chat_completions ORDER BY id").fetchall()
    assert len(rows) == len(server.chat_requests) == 2
    for (request, response, is_cached, wrapper_id), body, text in zip(rows, server.chat_requests, replies):
        assert json.loads(request)["messages"] == body["messages"]
        assert json.loads(response)["choices"][0]["message"]["content"] == text
        assert (is_cached, wrapper_id) == (0, id(wrapper))
    summary = runtime_logging.summarize()
    assert summary.total.total_tokens == _server_usage(server, replies)
    assert summary.total.total_tokens == wrapper.actual_usage_summary[server.model]["total_tokens"]


def test_wrapper_and_client_creation_is_logged_without_the_key(tmp_path: Path, server: Any) -> None:
    from autogen import OpenAIWrapper

    server.script("ok")
    runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    wrapper = OpenAIWrapper(config_list=server.config_list(), cache_seed=None)
    wrapper.create(messages=[{"role": "user", "content": "hi"}])
    con = runtime_logging.get_connection()
    wrappers = con.execute("SELECT wrapper_id FROM oai_wrappers").fetchall()
    clients = con.execute("SELECT wrapper_id FROM oai_clients").fetchall()
    runtime_logging.stop()
    assert wrappers == [(id(wrapper),)]
    assert clients == [(id(wrapper),)]
    assert server.api_key.encode() not in (tmp_path / "logs.db").read_bytes()


def test_calls_from_several_threads_are_all_logged(tmp_path: Path, server: Any) -> None:
    import threading

    from autogen import OpenAIWrapper

    server.default_reply = "ok"
    runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    wrapper = OpenAIWrapper(config_list=server.config_list(), cache_seed=None)

    def work(n: int) -> None:
        for i in range(5):
            wrapper.create(messages=[{"role": "user", "content": f"{n}-{i}"}])

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    runtime_logging.stop()
    con = sqlite3.connect(tmp_path / "logs.db")
    logged = sorted(
        json.loads(r[0])["messages"][0]["content"] for r in con.execute("SELECT request FROM chat_completions")
    )
    assert logged == sorted(body["messages"][0]["content"] for body in server.chat_requests)
    assert len(logged) == 20


# -- a real two-agent chat ---------------------------------------------------------------------------------
def test_a_logged_chat_matches_the_conversation_exactly(tmp_path: Path, server: Any) -> None:
    from autogen import AssistantAgent, UserProxyAgent

    replies = ["First answer", "Second answer", "Third answer"]
    server.script(*replies)
    session_id = runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    assistant = AssistantAgent("assistant", llm_config={"config_list": server.config_list(), "cache_seed": None})
    user = UserProxyAgent(
        "user", human_input_mode="NEVER", code_execution_config=False, default_auto_reply="go on", llm_config=False
    )
    result = user.initiate_chat(assistant, message="Hello", silent=True, max_turns=3)
    runtime_logging.stop()

    con = sqlite3.connect(tmp_path / "logs.db")
    calls = con.execute(
        "SELECT session_id, source_name, request, response, is_cached FROM chat_completions ORDER BY id"
    ).fetchall()
    assert len(calls) == len(server.chat_requests) == 3
    for (session, source, request, response, is_cached), body, text in zip(calls, server.chat_requests, replies):
        assert (session, source, is_cached) == (session_id, "assistant", 0)
        assert json.loads(request)["messages"] == body["messages"]
        assert json.loads(response)["choices"][0]["message"]["content"] == text

    agents = con.execute("SELECT name, class FROM agents WHERE session_id = ? ORDER BY id", (session_id,)).fetchall()
    assert agents == [("assistant", "AssistantAgent"), ("user", "UserProxyAgent")]

    received = con.execute(
        "SELECT source_name, json_state FROM events WHERE event_name = 'received_message' ORDER BY id"
    ).fetchall()
    logged_conversation = [
        (receiver, json.loads(state)["sender"], _content(json.loads(state)["message"])) for receiver, state in received
    ]
    other = {"user": "assistant", "assistant": "user"}
    expected = [(other[m["name"]], m["name"], m["content"]) for m in result.chat_history]
    assert len(expected) == 6
    assert logged_conversation == expected


def _content(message: Any) -> Any:
    return message if isinstance(message, str) else message.get("content")


def test_a_logged_chat_summary_matches_the_agents_usage(tmp_path: Path, server: Any) -> None:
    from autogen import AssistantAgent, UserProxyAgent

    replies = ["One", "Two"]
    server.script(*replies)
    runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    assistant = AssistantAgent("assistant", llm_config={"config_list": server.config_list(), "cache_seed": None})
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, default_auto_reply="more")
    user.initiate_chat(assistant, message="Count", silent=True, max_turns=2)
    summary = runtime_logging.summarize()
    runtime_logging.stop()
    usage = assistant.get_actual_usage()
    assert summary.per_agent["assistant"].calls == 2
    assert summary.total.total_tokens == _server_usage(server, replies)
    assert summary.total.total_tokens == usage[server.model]["total_tokens"]


def test_a_logged_chat_in_a_json_lines_file(tmp_path: Path, server: Any) -> None:
    from autogen import AssistantAgent, UserProxyAgent

    server.script("Only answer")
    path = tmp_path / "chat.log"
    runtime_logging.start(logger_type="file", config={"filename": str(path)})
    assistant = AssistantAgent("assistant", llm_config={"config_list": server.config_list(), "cache_seed": None})
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    user.initiate_chat(assistant, message="Hi", silent=True, max_turns=1)
    runtime_logging.stop()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    calls = [line for line in lines if line["record"] == "chat_completion"]
    assert [c["request"]["messages"] for c in calls] == [b["messages"] for b in server.chat_requests]
    assert calls[0]["response"]["choices"][0]["message"]["content"] == "Only answer"
    assert {line["agent_name"] for line in lines if line["record"] == "new_agent"} == {"assistant", "user"}
    assert server.api_key not in path.read_text()


def test_a_tool_call_in_a_chat_is_logged_with_its_arguments_and_result(tmp_path: Path, server: Any) -> None:
    from autogen import AssistantAgent, UserProxyAgent, register_function

    def add(a: int, b: int) -> int:
        return a + b

    server.script({"tool_calls": [{"id": "call_1", "name": "add", "arguments": {"a": 2, "b": 3}}]}, "It is 5")
    runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    assistant = AssistantAgent("assistant", llm_config={"config_list": server.config_list(), "cache_seed": None})
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    register_function(add, caller=assistant, executor=user, description="add two numbers")
    user.initiate_chat(assistant, message="2+3?", silent=True, max_turns=2)
    runtime_logging.stop()
    con = sqlite3.connect(tmp_path / "logs.db")
    rows = con.execute("SELECT source_name, function_name, args, returns FROM function_calls").fetchall()
    assert [(r[0], r[1], json.loads(r[2]), json.loads(r[3])) for r in rows] == [("user", "add", {"a": 2, "b": 3}, 5)]


def test_start_rejects_a_logger_that_is_not_a_base_logger() -> None:
    with pytest.raises(TypeError, match="BaseLogger"):
        runtime_logging.start(logger=object())  # type: ignore[arg-type]
    assert runtime_logging.logging_enabled() is False


def test_a_logged_group_chat_attributes_each_call_to_its_agent(tmp_path: Path, server: Any) -> None:
    from autogen import AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent

    server.script("alice speaks", "bob speaks", "alice again")
    runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    llm_config = {"config_list": server.config_list(), "cache_seed": None}
    alice = AssistantAgent("alice", llm_config=llm_config)
    bob = AssistantAgent("bob", llm_config=llm_config)
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    chat = GroupChat(agents=[user, alice, bob], messages=[], max_round=5, speaker_selection_method="round_robin")
    manager = GroupChatManager(chat, llm_config=llm_config)
    user.initiate_chat(manager, message="topic", silent=True)
    summary = runtime_logging.summarize()
    runtime_logging.stop()
    assert len(server.chat_requests) == 3
    assert {name: usage.calls for name, usage in summary.per_agent.items()} == {"alice": 2, "bob": 1}
    assert summary.total.total_tokens == _server_usage(server, ["alice speaks", "bob speaks", "alice again"])


def test_a_cache_hit_is_logged_as_cached(tmp_path: Path, server: Any) -> None:
    from autogen import OpenAIWrapper
    from autogen.cache import Cache

    server.script("fresh")
    runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    wrapper = OpenAIWrapper(config_list=server.config_list())
    with Cache.in_memory() as cache:
        wrapper.create(messages=[{"role": "user", "content": "hi"}], cache=cache)
        wrapper.create(messages=[{"role": "user", "content": "hi"}], cache=cache)
    summary = runtime_logging.summarize()
    rows = runtime_logging.get_connection().execute("SELECT is_cached FROM chat_completions ORDER BY id").fetchall()
    assert len(server.chat_requests) == 1
    assert rows == [(0,), (1,)]
    assert (summary.total.calls, summary.total.cached_calls) == (2, 1)


async def test_concurrent_async_chats_are_each_logged_whole(tmp_path: Path, server: Any) -> None:
    from autogen import AssistantAgent, UserProxyAgent

    server.default_reply = lambda body: f"echo {body['messages'][-1]['content']}"
    runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    llm_config = {"config_list": server.config_list(), "cache_seed": None}
    pairs = [
        (
            UserProxyAgent(
                f"user{i}", human_input_mode="NEVER", code_execution_config=False, default_auto_reply="next"
            ),
            AssistantAgent(f"assistant{i}", llm_config=llm_config),
        )
        for i in range(4)
    ]
    await asyncio.gather(
        *(
            user.a_initiate_chat(bot, message=f"task {i}", silent=True, max_turns=3)
            for i, (user, bot) in enumerate(pairs)
        )
    )
    summary = runtime_logging.summarize()
    runtime_logging.stop()
    assert len(server.chat_requests) == 12
    assert {name: usage.calls for name, usage in summary.per_agent.items()} == {f"assistant{i}": 3 for i in range(4)}


def test_a_file_log_exists_at_start_and_has_each_record_when_the_call_returns(tmp_path: Path) -> None:
    path = tmp_path / "tail.log"
    runtime_logging.start(logger_type="file", config={"filename": str(path)})
    assert path.exists()  # a user can start `tail -f` right away
    runtime_logging.log_event("alice", "first_event", detail=1)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(line["record"], line["event_name"]) for line in lines] == [("event", "first_event")]
    _log_call(content="second")
    assert path.read_text().count("\n") == 2  # written (and flushed) before log_chat_completion returned


def test_log_new_agent_takes_init_args_optionally_as_in_0_2(tmp_path: Path) -> None:
    import inspect

    assert inspect.signature(runtime_logging.log_new_agent).parameters["init_args"].default == {}
    path = tmp_path / "agents.log"
    runtime_logging.start(logger_type="file", config={"filename": str(path)})

    class Named:
        name = "bob"

    runtime_logging.log_new_agent(Named())
    line = json.loads(path.read_text())
    assert (line["record"], line["agent_name"], line["args"]) == ("new_agent", "bob", {})
