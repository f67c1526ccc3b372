"""Durable chats: a run recorded in a store resumes after a crash without repeating a model or tool call."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from autogen import AssistantAgent, ConversableAgent, GroupChat, GroupChatManager, UserProxyAgent, register_function
from autogen.checkpoint import INTERRUPTED_TOOL_RESULT, RedisCheckpointStore, SQLiteCheckpointStore, open_store
from autogen.testing.openai_server import Fail

CHILD = Path(__file__).with_name("_durable_child.py")


def numbered(body: dict) -> dict:
    """An answer that depends only on the request: replays and live runs get the same words."""
    return {"content": f"answer {len(body['messages'])}: {body['messages'][-1]['content'][:20]}"}


def pair(llm_config: dict, limit: int = 3) -> tuple[ConversableAgent, AssistantAgent]:
    user = ConversableAgent(
        "user", llm_config=False, human_input_mode="NEVER", default_auto_reply="go on", max_consecutive_auto_reply=limit
    )
    return user, AssistantAgent("assistant", llm_config=llm_config)


def contents(messages: list[dict]) -> list[Any]:
    return [m.get("content") for m in messages]


def test_a_finished_run_replays_without_calling_the_model(server, llm_config, tmp_path):
    server.default_reply = numbered
    store = tmp_path / "runs.db"
    user, assistant = pair(llm_config)
    first = user.initiate_chat(assistant, message="hello", checkpoint=str(store), run_id="r1", silent=True)
    calls = len(server.chat_requests)
    user, assistant = pair(llm_config)  # a new process would build new agents
    again = user.initiate_chat(assistant, message="hello", checkpoint=str(store), run_id="r1", silent=True)
    assert len(server.chat_requests) == calls == 4
    assert contents(again.chat_history) == contents(first.chat_history)
    meta = open_store(str(store)).get_meta("r1")
    assert meta["status"] == "finished" and meta["stop_reason"] == "max_consecutive_auto_reply"
    assert meta["usage"]["llm_calls"] == 4
    assert contents(meta["messages"]) == contents(first.chat_history)


def test_a_run_that_failed_midway_resumes_from_its_last_completed_turn(server, llm_config, tmp_path):
    server.default_reply = numbered
    reference_user, reference_assistant = pair(llm_config)
    reference = reference_user.initiate_chat(reference_assistant, message="hello", silent=True)
    server.reset()

    store = str(tmp_path / "runs.db")
    config = {**llm_config, "config_list": [{**llm_config["config_list"][0], "max_retries": 0}]}
    server.script("answer 2: hello", "answer 4: go on", Fail(500, "the endpoint fell over"))
    user, assistant = pair(config)
    with pytest.raises(Exception, match="the endpoint fell over"):
        user.initiate_chat(assistant, message="hello", checkpoint=store, run_id="r2", silent=True)
    assert open_store(store).get_meta("r2")["status"] == "failed"
    before = [json.dumps(r["messages"]) for r in server.chat_requests]

    server.default_reply = numbered
    user, assistant = pair(config)
    resumed = user.initiate_chat(assistant, message="hello", checkpoint=store, run_id="r2", silent=True)
    after = [json.dumps(r["messages"]) for r in server.chat_requests[len(before) :]]
    assert contents(resumed.chat_history) == contents(reference.chat_history)
    # the two calls that completed were not made again; the failed third and the fourth were
    assert len(after) == 2 and not set(after[1:]) & set(before[:2])
    assert open_store(store).get_meta("r2")["status"] == "finished"


def _tool_pair(llm_config: dict, log: list[str]) -> tuple[UserProxyAgent, AssistantAgent]:
    def book(seat: str) -> str:
        """Book a seat."""
        log.append(seat)
        return f"booked {seat}"

    assistant = AssistantAgent("assistant", llm_config=llm_config)
    executor = UserProxyAgent("executor", human_input_mode="NEVER", code_execution_config=False)
    register_function(book, caller=assistant, executor=executor, description="Book a seat.")
    return executor, assistant


def test_a_completed_tool_call_is_never_run_again(server, llm_config, tmp_path):
    store, booked = str(tmp_path / "runs.db"), []
    server.script({"tool_calls": [{"name": "book", "arguments": {"seat": "12A"}}]}, Fail(500, "down"))
    config = {**llm_config, "config_list": [{**llm_config["config_list"][0], "max_retries": 0}]}
    executor, assistant = _tool_pair(config, booked)
    with pytest.raises(Exception, match="down"):
        executor.initiate_chat(assistant, message="book", max_turns=2, checkpoint=store, run_id="t", silent=True)
    assert booked == ["12A"]
    server.script("all booked")
    executor, assistant = _tool_pair(config, booked)
    result = executor.initiate_chat(assistant, message="book", max_turns=2, checkpoint=store, run_id="t", silent=True)
    assert booked == ["12A"]  # the booking was not made twice
    assert contents(result.chat_history)[2] == "booked 12A" and result.chat_history[-1]["content"] == "all booked"


def _crash_inside_a_tool(server: Any, tmp_path: Path, mark_idempotent: bool) -> tuple[list[str], list[Any]]:
    """Run a child that dies (SIGKILL) inside its tool, then resume it; returns (tool log, final contents)."""
    script = tmp_path / "child.py"
    script.write_text(
        f"""
import os, sys, json
from autogen import AssistantAgent, UserProxyAgent, register_function
from autogen.checkpoint import idempotent
log = {str(tmp_path / "tool.log")!r}
def book(seat: str) -> str:
    '''Book a seat.'''
    with open(log, "a") as f:
        f.write(seat + "\\n")
    if os.environ.get("DIE_IN_TOOL"):
        os.kill(os.getpid(), 9)
    return "booked " + seat
if {mark_idempotent}:
    book = idempotent(book)
entry = {{"model": "gpt-4o-mini", "base_url": sys.argv[1], "api_key": {server.api_key!r}}}
config = {{"config_list": [entry], "cache_seed": None}}
assistant = AssistantAgent("assistant", llm_config=config)
executor = UserProxyAgent("executor", human_input_mode="NEVER", code_execution_config=False)
register_function(book, caller=assistant, executor=executor, description="Book a seat.")
r = executor.initiate_chat(assistant, message="book", max_turns=2, checkpoint=sys.argv[2], run_id="k", silent=True)
print(json.dumps([m.get("content") for m in r.chat_history]))
"""
    )
    store = str(tmp_path / "runs.db")
    server.script({"tool_calls": [{"name": "book", "arguments": {"seat": "7C"}}]})
    env = {**os.environ, "DIE_IN_TOOL": "1"}
    died = subprocess.run([sys.executable, str(script), server.base_url, store], env=env, capture_output=True)
    assert died.returncode == -signal.SIGKILL
    server.script("done")
    ok = subprocess.run([sys.executable, str(script), server.base_url, store], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    return (tmp_path / "tool.log").read_text().split(), json.loads(ok.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_tool_cut_off_by_a_crash_is_not_run_again_unless_idempotent(server, tmp_path):
    runs, history = _crash_inside_a_tool(server, tmp_path, mark_idempotent=False)
    assert runs == ["7C"]
    assert history[2] == INTERRUPTED_TOOL_RESULT and history[-1] == "done"


@pytest.mark.slow
def test_an_idempotent_tool_cut_off_by_a_crash_runs_again(server, tmp_path):
    runs, history = _crash_inside_a_tool(server, tmp_path, mark_idempotent=True)
    assert runs == ["7C", "7C"]
    assert history[2] == "booked 7C"


def test_a_group_chat_resumes_with_the_same_speakers(server, llm_config, tmp_path):
    server.default_reply = numbered
    store = str(tmp_path / "runs.db")

    def team() -> tuple[ConversableAgent, GroupChatManager, GroupChat]:
        members = [AssistantAgent(n, llm_config=llm_config) for n in ("a", "b", "c")]
        chat = GroupChat(members, messages=[], max_round=6, speaker_selection_method="random")
        user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER")
        return user, GroupChatManager(chat, llm_config=False), chat

    user, manager, chat = team()
    user.initiate_chat(manager, message="start", checkpoint=store, run_id="g", silent=True)
    first = [(m["name"], m["content"]) for m in chat.messages]
    calls = len(server.chat_requests)
    user, manager, chat = team()
    user.initiate_chat(manager, message="start", checkpoint=store, run_id="g", silent=True)
    assert [(m["name"], m["content"]) for m in chat.messages] == first  # the random choices were replayed
    assert len(server.chat_requests) == calls


def test_the_store_never_holds_the_api_key(server, llm_config, tmp_path):
    server.default_reply = numbered
    secret = llm_config["config_list"][0]["api_key"]
    user, assistant = pair(llm_config)
    store = tmp_path / "runs.db"
    user.initiate_chat(assistant, message=f"my key is {secret}", checkpoint=str(store), run_id="s", silent=True)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("runs.db*"))
    assert secret.encode() not in raw


def test_checkpoint_and_run_id_go_together(llm_config):
    user, assistant = pair(llm_config)
    with pytest.raises(ValueError, match="checkpoint needs run_id"):
        user.initiate_chat(assistant, message="x", checkpoint="runs.db")
    with pytest.raises(ValueError, match="run_id was given without checkpoint"):
        user.initiate_chat(assistant, message="x", run_id="r")


async def test_concurrent_runs_share_one_store(server, llm_config, tmp_path):
    import asyncio

    server.default_reply = numbered
    store = str(tmp_path / "runs.db")

    async def one(i: int) -> Any:
        user, assistant = pair(llm_config, limit=2)
        return await user.a_initiate_chat(assistant, message=f"hi {i}", checkpoint=store, run_id=f"c{i}", silent=True)

    results = await asyncio.gather(*(one(i) for i in range(20)))
    opened = open_store(store)
    assert sorted(opened.run_ids()) == sorted(f"c{i}" for i in range(20))
    for i, result in enumerate(results):
        assert contents(opened.get_meta(f"c{i}")["messages"]) == contents(result.chat_history)
        assert len(opened.entries(f"c{i}")) == 3  # three model replies recorded


@pytest.mark.redis
def test_a_run_resumes_from_a_redis_store(server, llm_config):
    import uuid

    server.default_reply = numbered
    url, run_id = "redis://127.0.0.1:6379/0", f"redis-{uuid.uuid4().hex}"
    user, assistant = pair(llm_config)
    first = user.initiate_chat(assistant, message="hello", checkpoint=url, run_id=run_id, silent=True)
    calls = len(server.chat_requests)
    user, assistant = pair(llm_config)
    again = user.initiate_chat(assistant, message="hello", checkpoint=url, run_id=run_id, silent=True)
    assert len(server.chat_requests) == calls
    assert contents(again.chat_history) == contents(first.chat_history)
    store = open_store(url)
    assert isinstance(store, RedisCheckpointStore) and store.get_meta(run_id)["status"] == "finished"


def test_a_directory_is_not_a_store(tmp_path):
    with pytest.raises(ValueError, match="is a directory"):
        SQLiteCheckpointStore(tmp_path)


# ---- the crash test: kill -9 at random points of a group chat with tools ----------------------------------


def team_policy(body: dict) -> dict:
    messages = body["messages"]
    who, n, last = messages[0]["content"], len(messages), messages[-1]
    if last.get("role") == "tool":
        return {"content": f"{who} used the result at {n}", "delay": 0.01}
    if "coder" in who:
        return {"tool_calls": [{"name": "add", "arguments": {"a": n, "b": 1}}], "delay": 0.01}
    if "reviewer" in who:
        return {"tool_calls": [{"name": "note", "arguments": {"text": f"r{n}"}}], "delay": 0.01}
    return {"content": f"writer says {n}", "delay": 0.01}


class ForkServer:
    """Drives ``_durable_child.py``: each chat runs in a freshly forked process that can be SIGKILLed."""

    def __init__(self, server: Any, folder: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), server.base_url, str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._line() == "READY"

    def _line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def _say(self, line: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self._line()

    def start(self, run_id: str) -> int:
        return int(self._say(f"run {run_id}").split()[1])

    def wait(self, pid: int) -> int:
        return int(self._say(f"wait {pid}").split()[1])

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.mark.slow
def test_fifty_kill_9_crashes_all_resume_to_the_reference_history_without_repeated_calls(server, tmp_path):
    server.default_reply = team_policy
    started = time.monotonic()
    forks = ForkServer(server, tmp_path)
    begin = time.monotonic()
    assert forks.wait(forks.start("reference")) == 0
    chat_seconds = time.monotonic() - begin
    expected = json.loads((tmp_path / "reference.json").read_text())
    expected_tools = (tmp_path / "reference.tools").read_text().splitlines()
    expected_calls = len(server.chat_requests)
    assert expected["stop_reason"] == "max_round" and expected_calls >= 8 and len(expected_tools) >= 3

    rng = random.Random(20261204)
    matched = repeated_llm = repeated_tools = 0
    for k in range(50):
        run_id = f"crash{k}"
        before = len(server.chat_requests)
        victim = forks.start(run_id)
        time.sleep(rng.uniform(0, chat_seconds))
        os.kill(victim, signal.SIGKILL)
        forks.wait(victim)
        crashed = [json.dumps(r["messages"]) for r in server.chat_requests[before:]]
        middle = len(server.chat_requests)
        assert forks.wait(forks.start(run_id)) == 0
        resumed = [json.dumps(r["messages"]) for r in server.chat_requests[middle:]]
        got = json.loads((tmp_path / f"{run_id}.json").read_text())
        matched += got == expected
        # only the call in flight when the process died may be made again
        again = [r for r in resumed if r in crashed]
        repeated_llm += len([r for r in again if r != crashed[-1]])
        tools = (
            (tmp_path / f"{run_id}.tools").read_text().splitlines() if (tmp_path / f"{run_id}.tools").exists() else []
        )
        repeated_tools += max(0, len(tools) - len(expected_tools) - 1)
        assert sorted(set(tools)) == sorted(set(expected_tools))
        assert len(crashed) + len(resumed) <= expected_calls + 1
    forks.close()
    assert (matched, repeated_llm, repeated_tools) == (50, 0, 0)
    print(f"crash test: 50 kills, {matched} resumes matched, repeated calls 0, {time.monotonic() - started:.0f}s")
