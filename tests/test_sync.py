"""The sync facade: sync entry points work anywhere, keep sync user code off event loops, and obey Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time

import pytest

from autogen import AssistantAgent, ConversableAgent, UserProxyAgent, register_function
from autogen._sync import run_sync


async def _answer(value: int) -> int:
    await asyncio.sleep(0)
    return value


def test_run_sync_returns_the_coroutine_result_and_raises_its_errors():
    assert run_sync(_answer(7)) == 7

    async def fail() -> None:
        raise LookupError("nope")

    with pytest.raises(LookupError, match="nope"):
        run_sync(fail())


async def test_run_sync_works_inside_a_running_event_loop_as_in_jupyter():
    assert run_sync(_answer(3)) == 3
    agent = ConversableAgent("a", llm_config=False, human_input_mode="NEVER", default_auto_reply="pong")
    other = ConversableAgent("b", llm_config=False, human_input_mode="NEVER")
    result = other.initiate_chat(agent, message="ping", max_turns=1, silent=True)
    assert [m["content"] for m in result.chat_history] == ["ping", "pong"]


def test_ctrl_c_on_the_calling_thread_cancels_the_work():
    cleaned_up = threading.Event()
    started = threading.Event()

    async def long_work() -> None:
        started.set()
        try:
            await asyncio.sleep(30)
        finally:
            cleaned_up.set()

    timer = threading.Thread(target=lambda: (started.wait(5), time.sleep(0.1), os.kill(os.getpid(), signal.SIGINT)))
    timer.start()
    begin = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_sync(long_work())
    timer.join()
    assert cleaned_up.wait(5)
    assert time.monotonic() - begin < 10
    assert run_sync(_answer(1)) == 1  # the engine loop survives


def test_ctrl_c_inside_sync_user_code_reaches_the_caller_and_the_engine_survives():
    def interrupted(recipient, messages, sender, config):
        raise KeyboardInterrupt

    agent = ConversableAgent("a", llm_config=False, human_input_mode="NEVER")
    agent.register_reply([ConversableAgent], interrupted)
    user = ConversableAgent("u", llm_config=False, human_input_mode="NEVER")
    with pytest.raises(KeyboardInterrupt):
        user.initiate_chat(agent, message="go", max_turns=1, silent=True)
    agent.remove_reply_func(interrupted)
    assert user.initiate_chat(agent, message="go", max_turns=1, silent=True).chat_history[-1]["content"] == ""


async def _ticks_while(coro) -> tuple[object, int]:
    ticks = 0
    done = False

    async def ticker() -> None:
        nonlocal ticks
        while not done:
            ticks += 1
            await asyncio.sleep(0.005)

    task = asyncio.ensure_future(ticker())
    try:
        result = await coro
    finally:
        done = True
        await task
    return result, ticks


async def test_a_sync_reply_function_in_an_async_chat_runs_on_a_worker_thread():
    loop_thread = threading.get_ident()
    seen: list[int] = []

    def blocking_reply(recipient, messages, sender, config):
        seen.append(threading.get_ident())
        time.sleep(0.2)  # would freeze every chat of the loop if it ran there
        return True, "slept"

    agent = ConversableAgent("a", llm_config=False, human_input_mode="NEVER")
    agent.register_reply([ConversableAgent], blocking_reply)
    user = ConversableAgent("u", llm_config=False, human_input_mode="NEVER")
    result, ticks = await _ticks_while(user.a_initiate_chat(agent, message="go", max_turns=1, silent=True))
    assert result.chat_history[-1]["content"] == "slept"
    assert seen and seen[0] != loop_thread
    assert ticks >= 10  # the loop kept running meanwhile


async def test_a_sync_tool_in_an_async_chat_runs_on_a_worker_thread(server, llm_config):
    loop_thread = threading.get_ident()
    seen: list[int] = []

    def slow_add(a: int, b: int) -> int:
        seen.append(threading.get_ident())
        time.sleep(0.2)
        return a + b

    assistant = AssistantAgent("assistant", llm_config=llm_config)
    executor = UserProxyAgent("executor", human_input_mode="NEVER", code_execution_config=False)
    register_function(slow_add, caller=assistant, executor=executor, description="add")
    server.script(
        {"tool_calls": [{"name": "slow_add", "arguments": {"a": 2, "b": 3}}]},
        "5 it is. TERMINATE",
    )
    result, ticks = await _ticks_while(
        executor.a_initiate_chat(assistant, message="add 2 and 3", max_turns=2, silent=True)
    )
    assert result.chat_history[2]["content"] == "5"
    assert seen and seen[0] != loop_thread
    assert ticks >= 10


def test_a_sync_tool_in_a_sync_chat_runs_on_the_calling_thread(server, llm_config):
    seen: list[int] = []

    def where(x: int) -> int:
        seen.append(threading.get_ident())
        return x

    assistant = AssistantAgent("assistant", llm_config=llm_config)
    executor = UserProxyAgent("executor", human_input_mode="NEVER", code_execution_config=False)
    register_function(where, caller=assistant, executor=executor, description="echo")
    server.script({"tool_calls": [{"name": "where", "arguments": {"x": 1}}]}, "TERMINATE")
    executor.initiate_chat(assistant, message="go", max_turns=2, silent=True)
    assert seen == [threading.get_ident()]
