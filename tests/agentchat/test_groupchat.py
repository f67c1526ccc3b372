"""GroupChatManager running group chats end to end against the scripted test server, sync and async."""

from __future__ import annotations

import asyncio

import pytest

from autogen import AssistantAgent, ConversableAgent, GroupChat, GroupChatManager, UserProxyAgent
from autogen.agentchat.groupchat import GroupChat as GroupChatFromModule
from autogen.io import IOStream
from autogen.testing import RecordingIOStream


def assistants(llm_config: dict, *names: str) -> list[AssistantAgent]:
    return [AssistantAgent(n, llm_config=dict(llm_config), description=f"the {n}") for n in names]


def user() -> UserProxyAgent:
    return UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)


def contents(messages: list[dict]) -> list[tuple[str, str]]:
    return [(m.get("name"), m.get("content")) for m in messages]


# ---- the loop ----------------------------------------------------------------------------------------


def test_round_robin_chat_relays_every_message_to_every_member(server, llm_config, start):
    a, b, c = assistants(llm_config, "a", "b", "c")
    chat = GroupChat([a, b, c], messages=[], max_round=10, speaker_selection_method="round_robin")
    manager = GroupChatManager(chat, llm_config=llm_config)
    server.script("from a", "from b", "from c", "TERMINATE")
    start(user(), manager, message="hello")
    assert contents(chat.messages) == [
        ("user", "hello"),
        ("a", "from a"),
        ("b", "from b"),
        ("c", "from c"),
        ("a", "TERMINATE"),
    ]
    assert len(server.chat_requests) == 4  # one per reply, no selection calls
    everything = [m["content"] for m in chat.messages]
    for agent in (a, b, c):
        assert [m["content"] for m in agent.chat_messages[manager]] == everything
    assert [m["role"] for m in b.chat_messages[manager]] == ["user", "user", "assistant", "user", "user"]


def test_each_speaker_sees_the_whole_conversation_when_asked(server, llm_config, start):
    a, b, c = assistants(llm_config, "a", "b", "c")
    chat = GroupChat([a, b, c], messages=[], max_round=3, speaker_selection_method="round_robin")
    server.script("first", "second")
    start(user(), GroupChatManager(chat, llm_config=llm_config), message="task")
    second_request = server.chat_requests[1]["messages"]
    assert [(m["role"], m.get("name"), m["content"]) for m in second_request[1:]] == [
        ("user", "user", "task"),
        ("user", "a", "first"),
    ]
    assert second_request[0]["role"] == "system"


def test_max_round_counts_messages_including_the_first(server, llm_config, start):
    a, b = assistants(llm_config, "a", "b")
    chat = GroupChat([a, b], messages=[], max_round=3, speaker_selection_method="round_robin")
    server.script("one", "two", "never")
    start(user(), GroupChatManager(chat, llm_config=llm_config), message="go")
    assert contents(chat.messages) == [("user", "go"), ("a", "one"), ("b", "two")]
    assert server.pending == 1


def test_the_managers_termination_condition_ends_the_chat(server, llm_config, start):
    a, b = assistants(llm_config, "a", "b")
    chat = GroupChat([a, b], messages=[], max_round=10, speaker_selection_method="round_robin")
    manager = GroupChatManager(chat, llm_config=llm_config, is_termination_msg=lambda m: "DONE" in m["content"])
    server.script("working", "all DONE here", "never")
    start(user(), manager, message="go")
    assert chat.messages[-1]["content"] == "all DONE here"
    assert manager.last_speaker is b


def test_a_selector_returning_none_ends_the_chat_gracefully(server, llm_config, start):
    a, b = assistants(llm_config, "a", "b")
    chat = GroupChat([a, b], messages=[], speaker_selection_method=lambda last, gc: None if last is a else a)
    server.script("only a speaks")
    start(user(), GroupChatManager(chat, llm_config=llm_config), message="go")
    assert contents(chat.messages) == [("user", "go"), ("a", "only a speaks")]


def test_a_speaker_without_a_reply_ends_the_chat(server, llm_config, start):
    a, b = assistants(llm_config, "a", "b")
    b.register_reply([ConversableAgent, None], lambda agent, messages, sender, config: (True, None))
    chat = GroupChat([a, b], messages=[], speaker_selection_method="round_robin")
    server.script("a speaks")
    start(user(), GroupChatManager(chat, llm_config=llm_config), message="go")
    assert contents(chat.messages) == [("user", "go"), ("a", "a speaks")]


def test_the_next_speaker_is_announced_unless_silent(server, llm_config):
    a, b = assistants(llm_config, "a", "b")
    for silent, expected in ((False, True), (True, False)):
        chat = GroupChat([a, b], messages=[], max_round=2, speaker_selection_method="round_robin")
        server.script("hi")
        io = RecordingIOStream()
        with IOStream.set_default(io):
            user().initiate_chat(GroupChatManager(chat, silent=silent), message="go")
        assert any("Next speaker: a" in line for line in io.printed) is expected


def test_a_new_chat_clears_the_group_and_member_histories(server, llm_config):
    a, b = assistants(llm_config, "a", "b")
    chat = GroupChat([a, b], messages=[], max_round=2, speaker_selection_method="round_robin")
    manager = GroupChatManager(chat, llm_config=llm_config)
    server.script("first run", "second run")
    person = user()
    person.initiate_chat(manager, message="one")
    person.initiate_chat(manager, message="two")
    assert contents(chat.messages) == [("user", "two"), ("a", "second run")]
    assert [m["content"] for m in b.chat_messages[manager]] == ["two", "second run"]


def test_a_member_can_start_the_chat(server, llm_config, start):
    a, b, c = assistants(llm_config, "a", "b", "c")
    chat = GroupChat([a, b, c], messages=[], max_round=3, speaker_selection_method="round_robin")
    server.script("b here", "c here")
    manager = GroupChatManager(chat, llm_config=llm_config)
    result = start(a, manager, message="a starts")
    assert contents(chat.messages) == [("a", "a starts"), ("b", "b here"), ("c", "c here")]
    assert result.summary == "c here"
    assert [(m["role"], m["content"]) for m in a.chat_messages[manager]] == [
        ("assistant", "a starts"),
        ("user", "b here"),
        ("user", "c here"),
    ]


def test_introductions_are_sent_to_every_member_first(server, llm_config, start):
    a, b = assistants(llm_config, "a", "b")
    chat = GroupChat([a, b], messages=[], max_round=2, speaker_selection_method="round_robin", send_introductions=True)
    manager = GroupChatManager(chat, llm_config=llm_config)
    server.script("hi all")
    start(user(), manager, message="go")
    for agent in (a, b):
        first = agent.chat_messages[manager][0]["content"]
        assert first.startswith(GroupChat.DEFAULT_INTRO_MSG) and "a: the a" in first and "b: the b" in first
    assert contents(chat.messages) == [("user", "go"), ("a", "hi all")]


def test_the_summary_history_of_a_manager_is_the_groups_messages(server, llm_config):
    a, b = assistants(llm_config, "a", "b")
    chat = GroupChat([a, b], messages=[], max_round=2, speaker_selection_method="round_robin")
    manager = GroupChatManager(chat, llm_config=llm_config)
    server.script("hi")
    person = user()
    person.initiate_chat(manager, message="go")
    assert manager.chat_messages_for_summary(person) is chat.messages
    assert manager.groupchat is chat


def test_manual_selection_through_the_manager(server, llm_config):
    a, b, c = assistants(llm_config, "a", "b", "c")
    chat = GroupChat([a, b, c], messages=[], max_round=2, speaker_selection_method="manual")
    server.script("c was chosen")
    io = RecordingIOStream(["nope", "3"])
    with IOStream.set_default(io):
        user().initiate_chat(GroupChatManager(chat, llm_config=llm_config), message="go")
    assert contents(chat.messages)[-1] == ("c", "c was chosen")
    assert any("Invalid input 'nope'" in line for line in io.printed)


# ---- construction -------------------------------------------------------------------------------------


def test_the_manager_may_not_declare_tools(llm_config):
    a, b = assistants(llm_config, "a", "b")
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}]
    with pytest.raises(ValueError, match="cannot make function or tool calls"):
        GroupChatManager(GroupChat([a, b]), llm_config={**llm_config, "tools": tools})


def test_the_manager_needs_a_group_chat():
    with pytest.raises(TypeError, match="must be a GroupChat"):
        GroupChatManager({"agents": []})


def test_group_chat_is_importable_from_its_module():
    assert GroupChatFromModule is GroupChat


# ---- sync and async specifics ---------------------------------------------------------------------------


def test_an_interrupted_speaker_hands_the_turn_to_the_admin(server, llm_config):
    a, b = assistants(llm_config, "a", "b")
    admin = UserProxyAgent("Admin", human_input_mode="NEVER", code_execution_config=False, default_auto_reply="stop")

    def interrupted(agent, messages, sender, config):
        raise KeyboardInterrupt

    b.register_reply([ConversableAgent, None], interrupted)
    chat = GroupChat([a, b, admin], messages=[], max_round=3, speaker_selection_method="round_robin")
    server.script("a speaks")
    user().initiate_chat(GroupChatManager(chat, llm_config=llm_config), message="go")
    assert contents(chat.messages) == [("user", "go"), ("a", "a speaks"), ("Admin", "stop")]


def test_an_interruption_without_an_admin_propagates(server, llm_config):
    a, b = assistants(llm_config, "a", "b")

    def interrupted(agent, messages, sender, config):
        raise KeyboardInterrupt

    a.register_reply([ConversableAgent, None], interrupted)
    chat = GroupChat([a, b], messages=[], max_round=3, speaker_selection_method="round_robin")
    with pytest.raises(KeyboardInterrupt):
        user().initiate_chat(GroupChatManager(chat, llm_config=llm_config), message="go")


def test_async_only_reply_functions_run_in_async_chats_and_are_skipped_in_sync_ones(server, llm_config):
    a, b = assistants(llm_config, "a", "b")

    async def async_reply(agent, messages, sender, config):
        return True, "from the async reply function"

    a.register_reply([ConversableAgent, None], async_reply, ignore_async_in_sync_chat=True)
    chat = GroupChat([a, b], messages=[], max_round=2, speaker_selection_method="round_robin")
    manager = GroupChatManager(chat, llm_config=llm_config)
    server.script("from the LLM")
    user().initiate_chat(manager, message="sync")
    assert chat.messages[-1]["content"] == "from the LLM"
    asyncio.run(user().a_initiate_chat(manager, message="async"))
    assert chat.messages[-1]["content"] == "from the async reply function"


def test_group_chats_run_concurrently_in_one_event_loop(server, llm_config):
    server.default_reply = {"content": "working", "delay": 0.2}

    async def one(tag: str) -> list:
        a, b = assistants(llm_config, f"a_{tag}", f"b_{tag}")
        chat = GroupChat([a, b], messages=[], max_round=3, speaker_selection_method="round_robin")
        await user().a_initiate_chat(GroupChatManager(chat, llm_config=llm_config), message=tag)
        return [m["name"] for m in chat.messages]

    async def main() -> list:
        return await asyncio.gather(*(one(str(i)) for i in range(5)))

    results = asyncio.run(main())
    assert results == [["user", f"a_{i}", f"b_{i}"] for i in range(5)]
    assert len(server.chat_requests) == 10
    # every chat asked its first question before any chat got its first answer
    first_five = {r["messages"][1]["content"] for r in server.chat_requests[:5]}
    assert first_five == {str(i) for i in range(5)}


def test_a_sync_group_chat_refuses_a_member_with_an_unskippable_async_reply(server, llm_config):
    a, b = assistants(llm_config, "a", "b")

    async def async_reply(agent, messages, sender, config):
        return True, "async"

    b.register_reply([ConversableAgent, None], async_reply)
    chat = GroupChat([a, b], messages=[], max_round=2, speaker_selection_method="round_robin")
    with pytest.raises(RuntimeError, match="a_initiate_chat"):
        user().initiate_chat(GroupChatManager(chat, llm_config=llm_config), message="go")
    assert server.chat_requests == []


def test_introductions_are_sent_once_per_conversation(server, llm_config):
    a, b = assistants(llm_config, "a", "b")
    chat = GroupChat([a, b], messages=[], max_round=2, speaker_selection_method="round_robin", send_introductions=True)
    manager = GroupChatManager(chat, llm_config=llm_config)
    server.script("first", "second")
    person = user()
    person.initiate_chat(manager, message="one")
    person.initiate_chat(manager, message="two", clear_history=False)
    intros = [m for m in a.chat_messages[manager] if m["content"].startswith(GroupChat.DEFAULT_INTRO_MSG)]
    assert len(intros) == 1


def test_any_agent_can_run_a_group_chat_with_run_chat_as_a_reply_function(server, llm_config):
    a, b = assistants(llm_config, "a", "b")
    chat = GroupChat([a, b], messages=[], max_round=2, speaker_selection_method="round_robin")
    deputy = ConversableAgent("deputy", llm_config=False)
    deputy.register_reply(
        ConversableAgent, reply_func=GroupChatManager.run_chat, config=chat, reset_config=GroupChat.reset
    )
    server.script("a answers the deputy")
    user().initiate_chat(deputy, message="hello")
    assert contents(chat.messages) == [("user", "hello"), ("a", "a answers the deputy")]
    deputy.reset()
    assert chat.messages == []
