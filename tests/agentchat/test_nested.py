"""Nested chats: an agent replies by running other chats and answering with the last summary."""

from __future__ import annotations

import pytest

from autogen import AssistantAgent, ConversableAgent
from autogen.agentchat import Agent


def bot(name: str, reply: str = "", **kwargs) -> ConversableAgent:
    kwargs.setdefault("human_input_mode", "NEVER")
    return ConversableAgent(name, llm_config=False, default_auto_reply=reply, **kwargs)


def test_nested_chat_reply_is_the_last_summary():
    user = bot("user", max_consecutive_auto_reply=0)
    writer = bot("writer")
    critic = bot("critic", "looks good TERMINATE")
    writer.register_nested_chats([{"recipient": critic, "max_turns": 1, "summary_method": "last_msg"}], trigger=user)
    result = user.initiate_chat(writer, message="review this", silent=True)
    assert result.chat_history[-1]["content"] == "looks good "
    # the first nested chat starts with the message the writer received
    assert critic.chat_messages[writer][0]["content"] == "review this"


def test_nested_chats_run_in_sequence_with_carryover():
    user = bot("user", max_consecutive_auto_reply=0)
    boss = bot("boss")
    first, second = bot("first", "one"), bot("second", "two")
    boss.register_nested_chats(
        [
            {"recipient": first, "max_turns": 1, "silent": True},
            {"recipient": second, "message": "next step", "max_turns": 1, "silent": True},
        ],
        trigger=user,
    )
    result = user.initiate_chat(boss, message="go", silent=True)
    assert result.chat_history[-1]["content"] == "two"
    assert second.chat_messages[boss][0]["content"] == "next step\nContext: \none"


def test_nested_chat_only_fires_for_its_trigger():
    user, stranger = bot("user", max_consecutive_auto_reply=0), bot("stranger", max_consecutive_auto_reply=0)
    host = bot("host", "plain reply")
    host.register_nested_chats([{"recipient": bot("inner", "nested"), "max_turns": 1}], trigger=user)
    assert user.initiate_chat(host, message="hi", silent=True).chat_history[-1]["content"] == "nested"
    assert stranger.initiate_chat(host, message="hi", silent=True).chat_history[-1]["content"] == "plain reply"


def test_callable_message_gets_recipient_messages_sender_config():
    user = bot("user", max_consecutive_auto_reply=0)
    host = bot("host")
    inner = bot("inner", "ok")
    seen = []

    def make_message(recipient, messages, sender, config):
        seen.append((recipient.name, messages[-1]["content"], sender.name))
        return "rewritten: " + messages[-1]["content"]

    host.register_nested_chats([{"recipient": inner, "message": make_message, "max_turns": 1}], trigger=user)
    user.initiate_chat(host, message="task", silent=True)
    assert seen == [("host", "task", "user")]
    assert inner.chat_messages[host][0]["content"] == "rewritten: task"


def test_custom_reply_func_from_nested_chats():
    user = bot("user", max_consecutive_auto_reply=0)
    host = bot("host")

    def reply_with_count(chat_queue, recipient, messages, sender, config):
        return True, f"{len(chat_queue)} chats queued"

    host.register_nested_chats([{"recipient": bot("x")}], trigger=user, reply_func_from_nested_chats=reply_with_count)
    assert user.initiate_chat(host, message="hi", silent=True).chat_history[-1]["content"] == "1 chats queued"


def test_nested_chats_is_registered_at_position_2_by_default():
    host = bot("host")
    host.register_nested_chats([{"recipient": bot("x")}], trigger=Agent)
    assert host.reply_functions[2].__name__ == "_summary_from_nested_chats"


async def test_nested_chats_work_in_async_chats():
    user = bot("user", max_consecutive_auto_reply=0)
    host = bot("host")
    host.register_nested_chats([{"recipient": bot("inner", "from inner"), "max_turns": 1}], trigger=user)
    result = await user.a_initiate_chat(host, message="hi", silent=True)
    assert result.chat_history[-1]["content"] == "from inner"


async def test_async_nested_chats_need_chat_ids_and_run_in_async_chats():
    user = bot("user", max_consecutive_auto_reply=0)
    host = bot("host")
    with pytest.raises(ValueError, match="chat_id"):
        host.register_nested_chats([{"recipient": bot("x")}], trigger=user, use_async=True)
    host.register_nested_chats(
        [{"chat_id": 1, "recipient": bot("inner", "async inner"), "max_turns": 1}], trigger=user, use_async=True
    )
    result = await user.a_initiate_chat(host, message="hi", silent=True)
    assert result.chat_history[-1]["content"] == "async inner"
    with pytest.raises(RuntimeError, match="Async reply functions"):
        user.initiate_chat(host, message="hi", silent=True)


def test_nested_chat_with_llm(server, llm_config):
    user = bot("user", max_consecutive_auto_reply=0)
    host = AssistantAgent("host", llm_config=llm_config)
    critic = AssistantAgent("critic", llm_config=llm_config)
    host.register_nested_chats(
        [{"recipient": critic, "max_turns": 1, "summary_method": "reflection_with_llm", "silent": True}], trigger=user
    )
    server.script("critique", "summary of the critique")
    result = user.initiate_chat(host, message="my essay", silent=True)
    assert result.summary == "summary of the critique"
    assert server.chat_requests[0]["messages"][-1] == {"content": "my essay", "role": "user", "name": "host"}


async def test_nested_chat_with_llm_async(server, llm_config):
    user = bot("user", max_consecutive_auto_reply=0)
    host = AssistantAgent("host", llm_config=llm_config)
    critic = AssistantAgent("critic", llm_config=llm_config)
    host.register_nested_chats([{"recipient": critic, "max_turns": 1, "silent": True}], trigger=user)
    server.script("async critique")
    result = await user.a_initiate_chat(host, message="my essay", silent=True)
    assert result.chat_history[-1]["content"] == "async critique"
