"""Saving and resuming group chats, and the "clear history" command."""

from __future__ import annotations

import asyncio

import pytest

from autogen import AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent


def build(llm_config: dict, **chat_kwargs) -> tuple[list[AssistantAgent], GroupChat, GroupChatManager]:
    agents = [AssistantAgent(n, llm_config=dict(llm_config), description=f"the {n}") for n in ("a", "b", "c")]
    chat = GroupChat(agents, messages=[], speaker_selection_method="round_robin", **chat_kwargs)
    return agents, chat, GroupChatManager(chat, llm_config=llm_config)


def person() -> UserProxyAgent:
    return UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)


SAVED = [
    {"content": "Plan a trip.", "role": "user", "name": "user"},
    {"content": "Go to Rome.", "role": "user", "name": "a"},
    {"content": "Book flights.", "role": "user", "name": "b"},
]


# ---- messages to and from strings --------------------------------------------------------------------------


def test_messages_round_trip_through_a_string(llm_config):
    _, _, manager = build(llm_config)
    text = manager.messages_to_string(SAVED)
    assert manager.messages_from_string(text) == SAVED


def test_messages_to_string_defaults_to_the_groups_messages(llm_config):
    _, chat, manager = build(llm_config)
    chat.messages.extend(SAVED)
    assert manager.messages_from_string(manager.messages_to_string()) == SAVED


@pytest.mark.parametrize("text", ["not json", '{"content": "x"}', "[1, 2]"])
def test_reading_bad_message_strings_is_a_clear_error(llm_config, text):
    _, _, manager = build(llm_config)
    with pytest.raises(ValueError, match="Cannot read group chat messages"):
        manager.messages_from_string(text)


# ---- resume ----------------------------------------------------------------------------------------------


def test_resume_loads_the_history_and_returns_the_last_speaker_and_message(llm_config):
    (a, b, c), chat, manager = build(llm_config)
    last_agent, last_message = manager.resume(manager.messages_to_string(SAVED), silent=True)
    assert last_agent is b
    assert last_message["content"] == "Book flights."
    assert [m["content"] for m in chat.messages] == ["Plan a trip.", "Go to Rome."]
    for agent in (a, b, c):
        assert [m["content"] for m in agent.chat_messages[manager]] == ["Plan a trip.", "Go to Rome."]
    assert [m["role"] for m in a.chat_messages[manager]] == ["user", "assistant"]  # its own words, as in a live chat
    assert [m["role"] for m in b.chat_messages[manager]] == ["user", "user"]


def test_resume_replaces_whatever_the_histories_held(server, llm_config):
    (a, _, _), chat, manager = build(llm_config, max_round=2)
    server.script("old words")
    person().initiate_chat(manager, message="an older chat")
    manager.resume(SAVED, silent=True)
    assert [m["content"] for m in chat.messages] == ["Plan a trip.", "Go to Rome."]
    assert [m["content"] for m in a.chat_messages[manager]] == ["Plan a trip.", "Go to Rome."]


def test_resume_rejects_messages_that_are_not_a_list_of_dicts(llm_config):
    _, _, manager = build(llm_config)
    with pytest.raises(TypeError, match="list of message dicts"):
        manager.resume([("user", "hi")])


def test_a_resumed_chat_goes_on_from_the_last_message(server, llm_config):
    (_a, _b, _c), chat, manager = build(llm_config, max_round=3)
    last_agent, last_message = manager.resume(SAVED, silent=True)
    server.script("c: hotels booked", "a: all set")
    last_agent.initiate_chat(manager, message=last_message, clear_history=False)
    assert [(m["name"], m["content"]) for m in chat.messages] == [
        ("user", "Plan a trip."),
        ("a", "Go to Rome."),
        ("b", "Book flights."),
        ("c", "c: hotels booked"),
        ("a", "a: all set"),
    ]
    c_request = server.chat_requests[0]["messages"]
    assert [m["content"] for m in c_request[1:]] == ["Plan a trip.", "Go to Rome.", "Book flights."]


def test_resume_can_remove_the_termination_string(llm_config):
    _, _, manager = build(llm_config)
    saved = [*SAVED, {"content": "All done. TERMINATE", "role": "user", "name": "c"}]
    _, last_message = manager.resume(saved, remove_termination_string="TERMINATE", silent=True)
    assert last_message["content"] == "All done. "


def test_resume_accepts_a_function_to_clean_the_last_message(llm_config):
    _, _, manager = build(llm_config)
    _, last_message = manager.resume(SAVED, remove_termination_string=lambda text: text.upper(), silent=True)
    assert last_message["content"] == "BOOK FLIGHTS."


def test_resuming_at_a_termination_message_warns(llm_config, caplog):
    _, _, manager = build(llm_config)
    manager.resume([*SAVED, {"content": "TERMINATE", "role": "user", "name": "c"}], silent=True)
    assert "remove_termination_string" in caplog.text


def test_resume_rejects_messages_from_unknown_agents(llm_config):
    _, _, manager = build(llm_config)
    with pytest.raises(ValueError, match="'mallory'"):
        manager.resume([*SAVED, {"content": "hi", "role": "user", "name": "mallory"}])


def test_resume_needs_messages(llm_config):
    _, _, manager = build(llm_config)
    with pytest.raises(ValueError, match="without messages"):
        manager.resume([])


def test_messages_without_a_name_are_the_managers(llm_config):
    _, _, manager = build(llm_config)
    last_agent, _ = manager.resume([SAVED[0], {"content": "from the chat result", "role": "assistant"}], silent=True)
    assert last_agent is manager


def test_resume_turns_introductions_off(llm_config):
    _, chat, manager = build(llm_config, send_introductions=True)
    manager.resume(SAVED, silent=True)
    assert chat.send_introductions is False


def test_resume_works_in_async_code(llm_config):
    (_, b, _), chat, manager = build(llm_config)
    last_agent, _ = asyncio.run(manager.a_resume(SAVED, silent=True))
    assert last_agent is b and len(chat.messages) == 2


def test_resume_prints_what_it_loaded_unless_silent(llm_config, capsys):
    _, _, manager = build(llm_config)
    manager.resume(SAVED)
    assert "Prepared group chat with 3 messages" in capsys.readouterr().out


# ---- clear history ----------------------------------------------------------------------------------------------


def test_clear_history_command_clears_the_group_and_every_member(server, llm_config):
    (a, _b, _c), chat, manager = build(llm_config, max_round=4, enable_clear_history=True)
    server.script("a talks", "clear history", "c starts fresh")
    person().initiate_chat(manager, message="go")
    assert [(m["name"], m["content"]) for m in chat.messages] == [("b", ""), ("c", "c starts fresh")]
    assert [m["content"] for m in a.chat_messages[manager]] == ["", "c starts fresh"]
    c_request = server.chat_requests[2]["messages"]
    assert [m["content"] for m in c_request[1:]] == [""]


def test_clear_history_for_one_agent_keeping_its_last_messages(server, llm_config):
    (a, _b, c), chat, manager = build(llm_config, max_round=3, enable_clear_history=True)
    server.script("a talks", "Noted. Clear history a 1. Moving on.")
    person().initiate_chat(manager, message="go")
    assert chat.messages[-1]["content"] == "Noted. Moving on."
    assert [m["content"] for m in a.chat_messages[manager]] == ["a talks", "Noted. Moving on."]
    assert len(c.chat_messages[manager]) == 3


def test_clear_history_is_ignored_unless_enabled(server, llm_config):
    (a, _, _), chat, manager = build(llm_config, max_round=3)
    server.script("a talks", "clear history")
    person().initiate_chat(manager, message="go")
    assert [m["content"] for m in chat.messages] == ["go", "a talks", "clear history"]
    assert len(a.chat_messages[manager]) == 3


def test_clear_history_command_may_be_followed_by_punctuation(server, llm_config):
    (a, b, _), chat, manager = build(llm_config, max_round=3, enable_clear_history=True)
    server.script("a talks", "clear history a. How are you doing?")
    person().initiate_chat(manager, message="go")
    assert chat.messages[-1]["content"] == "How are you doing?"
    assert [m["content"] for m in a.chat_messages[manager]] == ["How are you doing?"]
    assert len(b.chat_messages[manager]) == 3
