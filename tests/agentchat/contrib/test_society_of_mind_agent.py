"""SocietyOfMindAgent: answers each message by running its inner group chat, then preparing a reply."""

from __future__ import annotations

import logging

import pytest

from autogen import AssistantAgent, ConversableAgent, GroupChat, GroupChatManager, UserProxyAgent
from autogen.agentchat.contrib.society_of_mind_agent import DEFAULT_RESPONSE_PREPARER_PROMPT, SocietyOfMindAgent
from autogen.cache import Cache


def inner_team(llm_config: dict, max_round: int = 3) -> GroupChatManager:
    """Two assistants taking turns; the manager itself needs no model."""
    members = [AssistantAgent(name, llm_config=dict(llm_config)) for name in ("solver", "checker")]
    chat = GroupChat(members, messages=[], max_round=max_round, speaker_selection_method="round_robin")
    return GroupChatManager(chat, llm_config=False, silent=True)


def outer_user(max_replies: int = 0) -> UserProxyAgent:
    return UserProxyAgent(
        "user", human_input_mode="NEVER", code_execution_config=False, max_consecutive_auto_reply=max_replies
    )


def texts(messages: list[dict]) -> list[tuple[str, str]]:
    return [(m.get("name"), m.get("content")) for m in messages]


# ---- answering ------------------------------------------------------------------------------------------


def test_reply_is_the_models_answer_from_the_inner_transcript(server, llm_config):
    manager = inner_team(llm_config)
    som = SocietyOfMindAgent("som", chat_manager=manager, llm_config=llm_config)
    server.script("x = 4", "checked: 4", "The answer is 4.")
    result = outer_user().initiate_chat(som, message="Solve x + 1 = 5", max_turns=1, silent=True)
    assert result.summary == "The answer is 4."
    assert texts(manager.groupchat.messages) == [
        ("som", "Solve x + 1 = 5"),
        ("solver", "x = 4"),
        ("checker", "checked: 4"),
    ]
    request = server.chat_requests[-1]["messages"]
    assert request[0]["role"] == "system"
    assert [(m["role"], m["content"]) for m in request[1:-1]] == [
        ("user", "Solve x + 1 = 5"),
        ("user", "x = 4"),
        ("user", "checked: 4"),
    ]
    assert request[-1] == {"role": "system", "content": DEFAULT_RESPONSE_PREPARER_PROMPT}


def test_without_llm_config_the_reply_is_the_last_inner_message_without_terminate(server, llm_config):
    som = SocietyOfMindAgent("som", chat_manager=inner_team(llm_config))
    server.script("x = 4", "The answer is 4. TERMINATE")
    result = outer_user().initiate_chat(som, message="Solve x + 1 = 5", max_turns=1, silent=True)
    assert result.summary == "The answer is 4."
    assert len(server.chat_requests) == 2


def test_a_prompt_response_preparer_is_sent_last(server, llm_config):
    som = SocietyOfMindAgent(
        "som",
        chat_manager=inner_team(llm_config, max_round=2),
        response_preparer="Answer in one word.",
        llm_config=llm_config,
    )
    server.script("four", "Four")
    outer_user().initiate_chat(som, message="2+2?", max_turns=1, silent=True)
    assert server.chat_requests[-1]["messages"][-1] == {"role": "system", "content": "Answer in one word."}


def test_a_callable_response_preparer_gets_the_agent_and_the_inner_messages(server, llm_config):
    seen = []

    def prepare(agent, messages):
        seen.append((agent, texts(messages)))
        return f"{len(messages)} inner messages"

    som = SocietyOfMindAgent("som", chat_manager=inner_team(llm_config, max_round=2), response_preparer=prepare)
    server.script("hello")
    result = outer_user().initiate_chat(som, message="hi", max_turns=1, silent=True)
    assert result.summary == "2 inner messages"
    assert seen == [(som, [("som", "hi"), ("solver", "hello")])]


async def test_an_async_response_preparer_is_awaited(server, llm_config):
    async def prepare(agent, messages):
        return messages[-1]["content"].upper()

    som = SocietyOfMindAgent("som", chat_manager=inner_team(llm_config, max_round=2), response_preparer=prepare)
    server.script("loud")
    result = await outer_user().a_initiate_chat(som, message="hi", max_turns=1, silent=True)
    assert result.summary == "LOUD"


async def test_async_outer_chat_runs_the_inner_chat(server, llm_config):
    manager = inner_team(llm_config)
    som = SocietyOfMindAgent("som", chat_manager=manager, llm_config=llm_config)
    server.script("a", "b", "final")
    result = await outer_user().a_initiate_chat(som, message="go", max_turns=1, silent=True)
    assert result.summary == "final"
    assert texts(manager.groupchat.messages) == [("som", "go"), ("solver", "a"), ("checker", "b")]


# ---- inner history --------------------------------------------------------------------------------------


def test_each_outer_turn_starts_a_fresh_inner_chat_with_the_earlier_outer_messages(server, llm_config):
    manager = inner_team(llm_config, max_round=2)
    som = SocietyOfMindAgent("som", chat_manager=manager)
    asker = ConversableAgent("asker", llm_config=llm_config, human_input_mode="NEVER", max_consecutive_auto_reply=1)
    # inner turn 1, asker's follow-up, inner turn 2
    server.script("first answer", "and then?", "second answer")
    asker.initiate_chat(som, message="question 1", silent=True)
    assert texts(manager.groupchat.messages) == [("som", "and then?"), ("solver", "second answer")]
    solver_request = server.chat_requests[-1]["messages"]
    assert [(m.get("name"), m["content"]) for m in solver_request[1:]] == [
        ("asker", "question 1"),
        ("som", "first answer"),
        ("som", "and then?"),
    ]
    solver = manager.groupchat.agents[0]
    assert len(solver.chat_messages[manager]) == 4  # two earlier outer messages, the new one, its own reply


def test_without_a_chat_manager_the_default_auto_reply_is_sent():
    som = SocietyOfMindAgent("som", chat_manager=None, default_auto_reply="no team")
    result = outer_user().initiate_chat(som, message="hi", max_turns=1, silent=True)
    assert result.summary == "no team"


def test_a_failed_inner_chat_is_logged_and_still_answered(llm_config, caplog):
    manager = inner_team(llm_config, max_round=2)

    def broken(agent, messages=None, sender=None, config=None):
        raise RuntimeError("solver crashed")

    manager.groupchat.agents[0].register_reply([ConversableAgent, None], broken)
    som = SocietyOfMindAgent("som", chat_manager=manager)
    with caplog.at_level(logging.ERROR):
        result = outer_user().initiate_chat(som, message="task", max_turns=1, silent=True)
    assert result.summary == "task"
    assert "solver crashed" in caplog.text


def test_the_outer_chats_cache_serves_the_inner_chat_and_the_preparer(server, llm_config):
    with Cache.in_memory(cache_seed=7) as cache:
        for _ in range(2):
            som = SocietyOfMindAgent("som", chat_manager=inner_team(llm_config), llm_config=llm_config)
            server.script("a", "b", "final")
            result = outer_user().initiate_chat(som, message="cache me", max_turns=1, silent=True, cache=cache)
            assert result.summary == "final"
    assert len(server.chat_requests) == 3  # the second run came from the cache


# ---- arguments ------------------------------------------------------------------------------------------


def test_a_prompt_response_preparer_without_llm_config_is_refused(llm_config):
    with pytest.raises(ValueError, match="needs an llm_config"):
        SocietyOfMindAgent("som", chat_manager=inner_team(llm_config), response_preparer="Summarise.")


def test_a_response_preparer_of_another_type_is_refused(llm_config):
    with pytest.raises(TypeError, match="response_preparer"):
        SocietyOfMindAgent("som", chat_manager=inner_team(llm_config), response_preparer=42)


def test_chat_manager_must_be_a_group_chat_manager():
    with pytest.raises(TypeError, match="GroupChatManager"):
        SocietyOfMindAgent("som", chat_manager=ConversableAgent("not_a_manager", llm_config=False))


def test_update_chat_manager_switches_the_inner_group(llm_config):
    first, second = inner_team(llm_config), inner_team(llm_config)
    som = SocietyOfMindAgent("som", chat_manager=first)
    som.update_chat_manager(second)
    assert som.chat_manager is second


def test_extra_keyword_arguments_reach_conversable_agent(llm_config):
    som = SocietyOfMindAgent("som", chat_manager=inner_team(llm_config), description="a team in one agent")
    assert som.description == "a team in one agent"
    assert som.system_message == ""
