"""Overrides of send/receive/generate_reply are honoured on every path, on the thread that started the chat."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from autogen import ConversableAgent, GroupChat, GroupChatManager


class SyncRecorder(ConversableAgent):
    """Overrides the three sync steps and records the thread each ran on."""

    def __init__(self, name: str, log: list[tuple[str, str, int]], **kwargs: Any) -> None:
        super().__init__(name, llm_config=False, human_input_mode="NEVER", **kwargs)
        self.log = log

    def send(self, message, recipient, request_reply=None, silent=False):
        self.log.append((self.name, "send", threading.get_ident()))
        super().send(message, recipient, request_reply, silent)

    def receive(self, message, sender, request_reply=None, silent=False):
        self.log.append((self.name, "receive", threading.get_ident()))
        super().receive(message, sender, request_reply, silent)

    def generate_reply(self, messages=None, sender=None, **kwargs):
        self.log.append((self.name, "generate_reply", threading.get_ident()))
        return super().generate_reply(messages, sender, **kwargs)


class AsyncRecorder(ConversableAgent):
    """Overrides the three async steps and records the thread each ran on."""

    def __init__(self, name: str, log: list[tuple[str, str, int]], **kwargs: Any) -> None:
        super().__init__(name, llm_config=False, human_input_mode="NEVER", **kwargs)
        self.log = log

    async def a_send(self, message, recipient, request_reply=None, silent=False):
        self.log.append((self.name, "a_send", threading.get_ident()))
        await super().a_send(message, recipient, request_reply, silent)

    async def a_receive(self, message, sender, request_reply=None, silent=False):
        self.log.append((self.name, "a_receive", threading.get_ident()))
        await super().a_receive(message, sender, request_reply, silent)

    async def a_generate_reply(self, messages=None, sender=None, **kwargs):
        self.log.append((self.name, "a_generate_reply", threading.get_ident()))
        return await super().a_generate_reply(messages, sender, **kwargs)


def _steps(log: list[tuple[str, str, int]], name: str) -> set[str]:
    return {step for who, step, _ in log if who == name}


def _threads(log: list[tuple[str, str, int]]) -> set[int]:
    return {thread for _, _, thread in log}


def _pair(cls: type, log: list) -> tuple[ConversableAgent, ConversableAgent]:
    return cls("a", log, max_consecutive_auto_reply=2, default_auto_reply="from a"), cls(
        "b", log, max_consecutive_auto_reply=2, default_auto_reply="from b"
    )


def test_sync_overrides_run_on_the_calling_thread_in_a_two_agent_chat():
    log: list = []
    a, b = _pair(SyncRecorder, log)
    result = a.initiate_chat(b, message="hi", silent=True)
    assert _steps(log, "a") == {"send", "receive", "generate_reply"}
    assert _steps(log, "b") == {"send", "receive", "generate_reply"}
    assert _threads(log) == {threading.get_ident()}
    assert [m["content"] for m in result.chat_history] == ["hi", "from b", "from a", "from b", "from a"]


async def test_async_overrides_run_on_the_loop_thread_in_a_two_agent_chat():
    log: list = []
    a, b = _pair(AsyncRecorder, log)
    result = await a.a_initiate_chat(b, message="hi", silent=True)
    assert _steps(log, "a") == {"a_send", "a_receive", "a_generate_reply"}
    assert _steps(log, "b") == {"a_send", "a_receive", "a_generate_reply"}
    assert _threads(log) == {threading.get_ident()}
    assert len(result.chat_history) == 5


async def test_a_sync_override_in_an_async_chat_runs_off_the_event_loop():
    log: list = []
    a, b = _pair(SyncRecorder, log)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    tick_task = asyncio.ensure_future(ticker())
    await a.a_initiate_chat(b, message="hi", silent=True)
    tick_task.cancel()
    assert _steps(log, "b") == {"send", "receive", "generate_reply"}
    assert threading.get_ident() not in _threads(log)  # honoured, on a worker thread
    assert ticks > 0


def _nested_setup(cls: type, log: list) -> tuple[ConversableAgent, ConversableAgent]:
    inner = cls("inner", log, default_auto_reply="inner says")
    outer = ConversableAgent("outer", llm_config=False, human_input_mode="NEVER")
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER")
    outer.register_nested_chats([{"recipient": inner, "max_turns": 1, "summary_method": "last_msg"}], trigger=user)
    return user, outer


def test_sync_overrides_run_on_the_calling_thread_in_a_nested_chat():
    log: list = []
    user, outer = _nested_setup(SyncRecorder, log)
    result = user.initiate_chat(outer, message="hi", max_turns=1, silent=True)
    assert result.summary == "inner says"
    assert _steps(log, "inner") == {"receive", "generate_reply", "send"}
    assert _threads(log) == {threading.get_ident()}


async def test_async_overrides_run_on_the_loop_thread_in_a_nested_chat():
    log: list = []
    user, outer = _nested_setup(AsyncRecorder, log)
    result = await user.a_initiate_chat(outer, message="hi", max_turns=1, silent=True)
    assert result.summary == "inner says"
    assert _steps(log, "inner") == {"a_receive", "a_generate_reply", "a_send"}
    assert _threads(log) == {threading.get_ident()}


def _group_setup(cls: type, log: list) -> tuple[ConversableAgent, GroupChatManager]:
    members = [cls(name, log, default_auto_reply=f"{name} speaks") for name in ("x", "y")]
    chat = GroupChat(members, messages=[], max_round=3, speaker_selection_method="round_robin")
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER")
    return user, GroupChatManager(chat, llm_config=False)


def test_sync_overrides_run_on_the_calling_thread_in_a_group_chat():
    log: list = []
    user, manager = _group_setup(SyncRecorder, log)
    user.initiate_chat(manager, message="hi", silent=True)
    assert [m["content"] for m in manager.groupchat.messages] == ["hi", "x speaks", "y speaks"]
    assert _steps(log, "x") == {"receive", "generate_reply", "send"}
    assert _threads(log) == {threading.get_ident()}


async def test_async_overrides_run_on_the_loop_thread_in_a_group_chat():
    log: list = []
    user, manager = _group_setup(AsyncRecorder, log)
    await user.a_initiate_chat(manager, message="hi", silent=True)
    assert [m["content"] for m in manager.groupchat.messages] == ["hi", "x speaks", "y speaks"]
    assert _steps(log, "x") == {"a_receive", "a_generate_reply", "a_send"}
    assert _threads(log) == {threading.get_ident()}


def test_an_override_that_swallows_the_message_stops_the_chat():
    class Deaf(ConversableAgent):
        def receive(self, message, sender, request_reply=None, silent=False):
            pass  # never passes it on

    a = ConversableAgent("a", llm_config=False, human_input_mode="NEVER")
    deaf = Deaf("deaf", llm_config=False, human_input_mode="NEVER")
    result = a.initiate_chat(deaf, message="hello", silent=True)
    assert [m["content"] for m in result.chat_history] == ["hello"]
    assert deaf.chat_messages[a] == []


def test_a_send_override_can_change_the_reply_on_its_way():
    class Shouting(ConversableAgent):
        def send(self, message, recipient, request_reply=None, silent=False):
            super().send(message.upper() if isinstance(message, str) else message, recipient, request_reply, silent)

    a = ConversableAgent("a", llm_config=False, human_input_mode="NEVER", max_consecutive_auto_reply=0)
    loud = Shouting("loud", llm_config=False, human_input_mode="NEVER", default_auto_reply="ok then")
    result = a.initiate_chat(loud, message="quiet please", silent=True)
    assert [m["content"] for m in result.chat_history] == ["quiet please", "OK THEN"]


def test_overrides_are_resolved_once_per_class():
    class OnlyReply(ConversableAgent):
        def generate_reply(self, messages=None, sender=None, **kwargs):
            return "mine"

    overrides = OnlyReply._overrides
    assert overrides.generate_reply and not overrides.a_generate_reply
    assert not (overrides.send or overrides.receive or overrides.a_send or overrides.a_receive)
    assert not any(vars(ConversableAgent._overrides).values())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_long_chat_through_overrides_never_reaches_the_recursion_limit(mode):
    log: list = []
    cls = SyncRecorder if mode == "sync" else AsyncRecorder
    a = cls("a", log, max_consecutive_auto_reply=400, default_auto_reply="ping")
    b = cls("b", log, max_consecutive_auto_reply=400, default_auto_reply="pong")
    if mode == "sync":
        result = a.initiate_chat(b, message="start", silent=True)
    else:
        result = asyncio.run(a.a_initiate_chat(b, message="start", silent=True))
    assert len(result.chat_history) == 801
