"""Tests for autogen/agentchat/contrib/capabilities/transform_messages.py."""

from __future__ import annotations

import copy
from typing import Any, Callable

import pytest

from autogen.agentchat.contrib.capabilities.transform_messages import TransformMessages
from autogen.agentchat.contrib.capabilities.transforms import MessageHistoryLimiter, MessageTokenLimiter
from autogen.io import IOStream
from autogen.testing import RecordingIOStream


class HookHolder:
    """The part of the agent API the capability uses: register_hook."""

    def __init__(self) -> None:
        self.hooks: dict[str, list[Callable]] = {}

    def register_hook(self, hookable_method: str, hook: Callable) -> None:
        self.hooks.setdefault(hookable_method, []).append(hook)


def _hook(capability: TransformMessages) -> Callable[[list[dict]], list[dict]]:
    holder = HookHolder()
    capability.add_to_agent(holder)
    (hook,) = holder.hooks["process_all_messages_before_reply"]
    return hook


def _chat(n: int) -> list[dict[str, Any]]:
    return [{"role": "user" if i % 2 == 0 else "assistant", "content": f"message {i}"} for i in range(n)]


def test_registers_on_process_all_messages_before_reply() -> None:
    holder = HookHolder()
    TransformMessages(transforms=[MessageHistoryLimiter(max_messages=1)]).add_to_agent(holder)
    assert list(holder.hooks) == ["process_all_messages_before_reply"]


def test_system_message_is_kept_and_not_counted() -> None:
    hook = _hook(TransformMessages(transforms=[MessageHistoryLimiter(max_messages=2)], verbose=False))
    messages = [{"role": "system", "content": "be brief"}, *_chat(6)]
    assert hook(messages) == [messages[0], *messages[-2:]]


def test_transforms_apply_in_order() -> None:
    hook = _hook(
        TransformMessages(
            transforms=[MessageHistoryLimiter(max_messages=3), MessageTokenLimiter(max_tokens_per_message=1)],
            verbose=False,
        )
    )
    assert hook(_chat(5)) == [
        {"role": "user", "content": "message"},
        {"role": "assistant", "content": "message"},
        {"role": "user", "content": "message"},
    ]


def test_the_agents_history_is_not_changed() -> None:
    hook = _hook(TransformMessages(transforms=[MessageTokenLimiter(max_tokens_per_message=1)], verbose=False))
    messages = _chat(3)
    before = copy.deepcopy(messages)
    hook(messages)
    assert messages == before


def test_verbose_prints_what_was_cut() -> None:
    stream = RecordingIOStream()
    hook = _hook(TransformMessages(transforms=[MessageHistoryLimiter(max_messages=2)]))
    with IOStream.set_default(stream):
        hook(_chat(5))
    assert any("Removed 3 messages. Number of messages reduced from 5 to 2." in p for p in stream.printed)


def test_quiet_when_nothing_was_cut_or_not_verbose() -> None:
    stream = RecordingIOStream()
    with IOStream.set_default(stream):
        _hook(TransformMessages(transforms=[MessageHistoryLimiter(max_messages=10)]))(_chat(3))
        _hook(TransformMessages(transforms=[MessageHistoryLimiter(max_messages=1)], verbose=False))(_chat(3))
    assert stream.printed == []


def test_a_custom_transform_that_splits_a_tool_pair_is_repaired() -> None:
    class DropFirstTwo:
        def apply_transform(self, messages: list[dict]) -> list[dict]:
            return messages[2:]

        def get_logs(self, pre: list[dict], post: list[dict]) -> tuple[str, bool]:
            return "", False

    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    messages = [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "c1", "content": "result"},
        {"role": "assistant", "content": "done"},
    ]
    assert _hook(TransformMessages(transforms=[DropFirstTwo()]))(messages) == [messages[-1]]


def test_transforms_must_have_apply_transform_and_get_logs() -> None:
    with pytest.raises(TypeError, match="apply_transform"):
        TransformMessages(transforms=[object()])  # type: ignore[list-item]


def test_add_to_agent_needs_register_hook() -> None:
    with pytest.raises(TypeError, match="register_hook"):
        TransformMessages().add_to_agent(object())


def test_empty_history_passes_through() -> None:
    assert _hook(TransformMessages(transforms=[MessageHistoryLimiter(max_messages=1)]))([]) == []


# -- on real agents, against the scripted test server ---------------------------------------------------
def _agents(server: Any, capability: TransformMessages, **user_kwargs: Any) -> tuple[Any, Any]:
    from autogen import AssistantAgent, UserProxyAgent

    assistant = AssistantAgent("assistant", llm_config={"config_list": server.config_list(), "cache_seed": None})
    capability.add_to_agent(assistant)
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, **user_kwargs)
    return assistant, user


def _non_system(body: dict) -> list[dict]:
    return [m for m in body["messages"] if m["role"] != "system"]


def test_a_long_chat_stays_under_the_message_limit(server: Any) -> None:
    server.default_reply = "another answer"
    limiter = TransformMessages(transforms=[MessageHistoryLimiter(max_messages=3)], verbose=False)
    assistant, user = _agents(server, limiter, default_auto_reply="keep going")
    user.initiate_chat(assistant, message="start", silent=True, max_turns=8)
    assert len(server.chat_requests) == 8
    assert [len(_non_system(body)) for body in server.chat_requests] == [1, 3, 3, 3, 3, 3, 3, 3]
    assert all(body["messages"][0]["role"] == "system" for body in server.chat_requests)
    assert len(assistant.chat_messages[user]) == 16  # the agent's own history is complete


def test_a_long_chat_stays_under_the_token_limit(server: Any) -> None:
    from autogen.token_count_utils import count_token

    server.default_reply = "answer " * 40
    limiter = TransformMessages(transforms=[MessageTokenLimiter(max_tokens=120)], verbose=False)
    assistant, user = _agents(server, limiter, default_auto_reply="more words " * 20)
    user.initiate_chat(assistant, message="start", silent=True, max_turns=6)
    sizes = [sum(count_token(m["content"]) for m in _non_system(body)) for body in server.chat_requests]
    assert max(sizes) <= 120
    assert sum(count_token(m["content"]) for m in assistant.chat_messages[user]) > 120 * 3


@pytest.mark.parametrize("max_messages", [2, 3, 4])
def test_limited_history_with_tools_never_splits_a_call_from_its_result(server: Any, max_messages: int) -> None:
    from autogen import register_function

    def add(a: int, b: int) -> int:
        return a + b

    for i in range(4):
        call = {"id": f"call_{i}", "name": "add", "arguments": {"a": i, "b": 1}}
        server.script({"tool_calls": [call]}, f"the sum is {i + 1}")
    limiter = TransformMessages(transforms=[MessageHistoryLimiter(max_messages=max_messages)], verbose=False)
    assistant, user = _agents(server, limiter, default_auto_reply="next")
    register_function(add, caller=assistant, executor=user, description="add two numbers")
    user.initiate_chat(assistant, message="add things", silent=True, max_turns=8)
    assert len(server.chat_requests) == 8
    for body in server.chat_requests:
        messages = _non_system(body)
        calls = {c["id"] for m in messages for c in m.get("tool_calls") or []}
        answers = {m["tool_call_id"] for m in messages if m["role"] == "tool"}
        assert calls == answers, messages
        assert messages, "the limiter never sends an empty history"
    assert any(m["role"] == "tool" for body in server.chat_requests for m in body["messages"])


def test_the_cut_is_reported_through_iostream(server: Any) -> None:
    stream = RecordingIOStream()
    server.default_reply = "ok"
    limiter = TransformMessages(transforms=[MessageHistoryLimiter(max_messages=1)])
    assistant, user = _agents(server, limiter, default_auto_reply="again")
    with IOStream.set_default(stream):
        user.initiate_chat(assistant, message="start", silent=True, max_turns=2)
    assert any("Removed 2 messages. Number of messages reduced from 3 to 1." in p for p in stream.printed)
