"""Chat sequences: initiate_chats (sequential, carryover) and a_initiate_chats (prerequisites, concurrent)."""

from __future__ import annotations

import asyncio

import pytest

from autogen import AssistantAgent, ChatResult, ConversableAgent, initiate_chats
from autogen.agentchat import Agent, a_initiate_chats


def echo_bot(name: str, reply: str) -> ConversableAgent:
    return ConversableAgent(name, llm_config=False, human_input_mode="NEVER", default_auto_reply=reply)


def first_messages(results) -> list[str]:
    return [r.chat_history[0]["content"] for r in results]


def test_initiate_chats_passes_summaries_on_as_carryover():
    user = echo_bot("user", "ok")
    writer, editor = echo_bot("writer", "draft TERMINATE"), echo_bot("editor", "edited TERMINATE")
    results = initiate_chats(
        [
            {"sender": user, "recipient": writer, "message": "write", "max_turns": 1, "silent": True},
            {"sender": user, "recipient": editor, "message": "edit", "max_turns": 1, "silent": True},
        ]
    )
    assert all(isinstance(r, ChatResult) for r in results)
    assert [r.summary for r in results] == ["draft ", "edited "]
    assert first_messages(results) == ["write", "edit\nContext: \ndraft "]


def test_initiate_chats_keeps_given_carryover_first_and_can_exclude_finished_chats():
    user = echo_bot("user", "ok")
    a, b, c = echo_bot("a", "A"), echo_bot("b", "B"), echo_bot("c", "C")
    results = initiate_chats(
        [
            {"sender": user, "recipient": a, "message": "1", "max_turns": 1, "silent": True},
            {"sender": user, "recipient": b, "message": "2", "max_turns": 1, "silent": True},
            {
                "sender": user,
                "recipient": c,
                "message": "3",
                "max_turns": 1,
                "silent": True,
                "carryover": "given",
                "finished_chat_indexes_to_exclude_from_carryover": [0],
            },
        ]
    )
    assert first_messages(results)[2] == "3\nContext: \ngiven\nB"


def test_agent_initiate_chats_uses_itself_as_sender_and_keeps_results():
    user = echo_bot("user", "ok")
    results = user.initiate_chats(
        [
            {"recipient": echo_bot("a", "A"), "message": "1", "max_turns": 1, "silent": True},
            {"recipient": echo_bot("b", "B"), "message": "2", "max_turns": 1, "silent": True},
        ]
    )
    assert [r.chat_history[0]["name"] for r in results] == ["user", "user"]
    assert user.get_chat_results() is results
    assert user.get_chat_results(1) is results[1]


def test_initiate_chats_prints_a_banner_per_chat(human):
    user = echo_bot("user", "ok")
    initiate_chats([{"sender": user, "recipient": echo_bot("a", "A"), "message": "1", "max_turns": 1}])
    assert "Starting a new chat...." in human.text


def test_chat_queue_without_recipient_is_a_value_error():
    with pytest.raises(ValueError, match="recipient"):
        initiate_chats([{"sender": echo_bot("user", "ok"), "message": "x"}])


def test_chat_queue_without_sender_is_a_value_error():
    with pytest.raises(ValueError, match="sender"):
        initiate_chats([{"recipient": echo_bot("a", "A"), "message": "x"}])


def test_repeated_recipient_warns():
    user, a = echo_bot("user", "ok"), echo_bot("a", "A")
    chat = {"sender": user, "recipient": a, "message": "x", "max_turns": 1, "silent": True}
    with pytest.warns(UserWarning, match="Repetitive recipients"):
        initiate_chats([chat, dict(chat)])


async def test_a_initiate_chats_honours_prerequisites_and_carryover():
    user = echo_bot("user", "ok")
    order = []

    def recorder(name):
        agent = echo_bot(name, name)
        agent.register_reply(Agent, lambda r, messages, sender, config: (order.append(name), (True, name.upper()))[1])
        return agent

    results = await a_initiate_chats(
        [
            {
                "chat_id": 1,
                "sender": user,
                "recipient": recorder("first"),
                "message": "1",
                "max_turns": 1,
                "silent": True,
            },
            {
                "chat_id": 2,
                "prerequisites": [1],
                "sender": user,
                "recipient": recorder("second"),
                "message": "2",
                "max_turns": 1,
                "silent": True,
            },
        ]
    )
    assert order == ["first", "second"]
    assert set(results) == {1, 2}
    assert results[2].chat_id == 2
    assert results[2].chat_history[0]["content"] == "2\nContext: \nFIRST"


async def test_a_initiate_chats_runs_independent_chats_concurrently():
    user = echo_bot("user", "ok")
    both_started = asyncio.Event()
    started = []

    def waiting(name):
        agent = echo_bot(name, name)

        async def wait_for_other(recipient, messages, sender, config):
            started.append(name)
            if len(started) == 2:
                both_started.set()
            await asyncio.wait_for(both_started.wait(), 5)
            return True, f"{name} done"

        agent.register_reply(Agent, wait_for_other)
        return agent

    results = await a_initiate_chats(
        [
            {
                "chat_id": "x",
                "sender": user,
                "recipient": waiting("x"),
                "message": "go",
                "max_turns": 1,
                "silent": True,
            },
            {
                "chat_id": "y",
                "sender": echo_bot("u2", "ok"),
                "recipient": waiting("y"),
                "message": "go",
                "max_turns": 1,
                "silent": True,
            },
        ]
    )
    assert results["x"].summary == "x done" and results["y"].summary == "y done"


async def test_a_initiate_chats_rejects_circular_prerequisites():
    user = echo_bot("user", "ok")
    with pytest.raises(ValueError, match="Circular"):
        await a_initiate_chats(
            [
                {"chat_id": 1, "prerequisites": [2], "sender": user, "recipient": echo_bot("a", "A"), "message": "1"},
                {"chat_id": 2, "prerequisites": [1], "sender": user, "recipient": echo_bot("b", "B"), "message": "2"},
            ]
        )


async def test_a_initiate_chats_rejects_unknown_prerequisites():
    with pytest.raises(ValueError, match="prerequisite"):
        await a_initiate_chats(
            [
                {
                    "chat_id": 1,
                    "prerequisites": [9],
                    "sender": echo_bot("u", "ok"),
                    "recipient": echo_bot("a", "A"),
                    "message": "1",
                }
            ]
        )


async def test_agent_a_initiate_chats_returns_results_by_chat_id():
    user = echo_bot("user", "ok")
    results = await user.a_initiate_chats(
        [{"chat_id": 0, "recipient": echo_bot("a", "A"), "message": "1", "max_turns": 1, "silent": True}]
    )
    assert list(results) == [0]
    assert results[0].summary == "A"


def test_sequential_chats_with_llm(server, llm_config):
    user = echo_bot("user", "ok")
    researcher = AssistantAgent("researcher", llm_config=llm_config)
    writer = AssistantAgent("writer", llm_config=llm_config)
    server.script("facts: water is wet", "poem about wet water")
    results = user.initiate_chats(
        [
            {"recipient": researcher, "message": "find facts", "max_turns": 1, "silent": True},
            {"recipient": writer, "message": "write a poem", "max_turns": 1, "silent": True},
        ]
    )
    assert results[1].summary == "poem about wet water"
    assert server.chat_requests[1]["messages"][-1]["content"] == "write a poem\nContext: \nfacts: water is wet"


async def test_sequential_chats_with_llm_async(server, llm_config):
    user = echo_bot("user", "ok")
    researcher = AssistantAgent("researcher", llm_config=llm_config)
    writer = AssistantAgent("writer", llm_config=llm_config)
    server.script("facts: water is wet", "poem about wet water")
    results = await user.a_initiate_chats(
        [
            {"chat_id": "facts", "recipient": researcher, "message": "find facts", "max_turns": 1, "silent": True},
            {
                "chat_id": "poem",
                "prerequisites": ["facts"],
                "recipient": writer,
                "message": "write a poem",
                "max_turns": 1,
                "silent": True,
            },
        ]
    )
    assert results["poem"].summary == "poem about wet water"
    assert server.chat_requests[1]["messages"][-1]["content"] == "write a poem\nContext: \nfacts: water is wet"


def test_reflection_that_is_a_tool_call_returns_the_message_as_0_2_did(server, llm_config):
    tools = [{"type": "function", "function": {"name": "note", "parameters": {"type": "object", "properties": {}}}}]
    assistant = AssistantAgent("assistant", llm_config={**llm_config, "tools": tools})
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER")
    server.script("the answer", {"tool_calls": [{"name": "note", "arguments": {}}]})
    result = user.initiate_chat(assistant, message="q", max_turns=1, summary_method="reflection_with_llm", silent=True)
    assert isinstance(result.summary, dict)
    assert result.summary["tool_calls"][0]["function"]["name"] == "note"


def test_a_refused_reflection_warns_and_leaves_an_empty_summary(server, llm_config):
    from autogen.testing.openai_server import Fail

    assistant = AssistantAgent("assistant", llm_config=llm_config)
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER")
    server.script("the answer", Fail(400, "bad request"))
    with pytest.warns(UserWarning, match="Cannot extract summary using reflection_with_llm"):
        result = user.initiate_chat(
            assistant, message="q", max_turns=1, summary_method="reflection_with_llm", silent=True
        )
    assert result.summary == ""
    assert [m["content"] for m in result.chat_history] == ["q", "the answer"]
