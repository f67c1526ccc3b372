"""Human input and termination: human_input_mode ALWAYS / TERMINATE / NEVER, through the IOStream."""

from __future__ import annotations

import asyncio
import threading

import pytest

from autogen import ConversableAgent, UserProxyAgent
from autogen.agentchat import Agent
from autogen.io.base import IOStream
from autogen.testing import RecordingIOStream


def bot(name: str, reply: str = "bot reply", **kwargs) -> ConversableAgent:
    kwargs.setdefault("human_input_mode", "NEVER")
    return ConversableAgent(name, llm_config=False, default_auto_reply=reply, **kwargs)


def human_agent(mode: str, **kwargs) -> ConversableAgent:
    return ConversableAgent("human", llm_config=False, human_input_mode=mode, default_auto_reply="auto", **kwargs)


def contents(result) -> list:
    return [m["content"] for m in result.chat_history]


# ---- ALWAYS ----------------------------------------------------------------------------------------
def test_always_asks_on_every_message_and_sends_the_input(human: RecordingIOStream):
    human.inputs.extend(["first answer", "exit"])
    user = human_agent("ALWAYS")
    result = user.initiate_chat(bot("bot"), message="hi", silent=True)
    assert contents(result) == ["hi", "bot reply", "first answer", "bot reply"]
    assert len(human.prompts) == 2
    assert "Replying as human" in human.prompts[0]
    assert result.human_input == ["first answer", "exit"]


def test_always_exit_ends_the_chat(human: RecordingIOStream):
    human.inputs.append("exit")
    result = human_agent("ALWAYS").initiate_chat(bot("bot"), message="hi", silent=True)
    assert contents(result) == ["hi", "bot reply"]


def test_always_empty_input_means_auto_reply(human: RecordingIOStream):
    human.inputs.extend(["", "exit"])
    result = human_agent("ALWAYS").initiate_chat(bot("bot"), message="hi")
    assert contents(result) == ["hi", "bot reply", "auto", "bot reply"]
    assert "NO HUMAN INPUT RECEIVED." in human.text
    assert "USING AUTO REPLY..." in human.text


def test_always_empty_input_at_a_termination_message_ends_the_chat(human: RecordingIOStream):
    human.inputs.append("")
    result = human_agent("ALWAYS").initiate_chat(bot("bot", "TERMINATE"), message="hi", silent=True)
    assert contents(result) == ["hi", "TERMINATE"]
    assert len(human.prompts) == 1


def test_user_proxy_default_is_always_and_terminate_default_termination(human: RecordingIOStream):
    human.inputs.append("")
    proxy = UserProxyAgent("user", code_execution_config=False)
    result = proxy.initiate_chat(bot("bot", "TERMINATE"), message="hi", silent=True)
    assert contents(result) == ["hi", "TERMINATE"]


# ---- TERMINATE -------------------------------------------------------------------------------------
def test_terminate_mode_asks_only_at_a_termination_message(human: RecordingIOStream):
    replies = iter(["one", "two", "TERMINATE"])
    assistant = bot("bot")
    assistant.register_reply(Agent, lambda r, messages, sender, config: (True, next(replies)))
    human.inputs.append("")
    result = human_agent("TERMINATE").initiate_chat(assistant, message="hi", silent=True)
    assert contents(result) == ["hi", "one", "auto", "two", "auto", "TERMINATE"]
    assert len(human.prompts) == 1


def test_terminate_mode_input_at_termination_continues_the_chat(human: RecordingIOStream):
    replies = iter(["TERMINATE", "TERMINATE"])
    assistant = bot("bot")
    assistant.register_reply(Agent, lambda r, messages, sender, config: (True, next(replies)))
    human.inputs.extend(["one more thing", "exit"])
    result = human_agent("TERMINATE").initiate_chat(assistant, message="hi", silent=True)
    assert contents(result) == ["hi", "TERMINATE", "one more thing", "TERMINATE"]


def test_terminate_mode_asks_at_the_auto_reply_limit_and_empty_input_continues(human: RecordingIOStream):
    human.inputs.extend(["", "exit"])
    user = human_agent("TERMINATE", max_consecutive_auto_reply=1)
    result = user.initiate_chat(bot("bot"), message="hi", silent=True)
    # auto-reply once, then at the limit: ask (empty -> auto-reply again), ask again ("exit")
    assert contents(result) == ["hi", "bot reply", "auto", "bot reply", "auto", "bot reply"]
    assert len(human.prompts) == 2
    assert "answer automatically" in human.prompts[0]


def test_human_input_resets_the_auto_reply_counter(human: RecordingIOStream):
    human.inputs.extend(["a human line", "exit"])
    user = human_agent("TERMINATE", max_consecutive_auto_reply=1)
    result = user.initiate_chat(bot("bot"), message="hi", silent=True)
    before, after = ["hi", "bot reply", "auto", "bot reply"], ["a human line", "bot reply", "auto", "bot reply"]
    assert contents(result) == [*before, *after]


# ---- NEVER -----------------------------------------------------------------------------------------
def test_never_mode_never_asks(human: RecordingIOStream):
    user = human_agent("NEVER", max_consecutive_auto_reply=2)
    result = user.initiate_chat(bot("bot"), message="hi", silent=True)
    assert human.prompts == []
    assert contents(result) == ["hi", "bot reply", "auto", "bot reply", "auto", "bot reply"]


# ---- details ---------------------------------------------------------------------------------------
def test_human_reply_to_tool_calls_answers_them_as_user_interrupted(human: RecordingIOStream):
    human.inputs.append("stop that")
    user = human_agent("ALWAYS")
    caller = bot("caller")
    calls = [
        {"id": "call_a", "type": "function", "function": {"name": "f", "arguments": "{}"}},
        {"id": "call_b", "type": "function", "function": {"name": "g", "arguments": "{}"}},
    ]
    final, reply = user.check_termination_and_human_reply([{"content": None, "tool_calls": calls}], caller)
    assert final is True
    assert reply == {
        "role": "user",
        "content": "stop that",
        "tool_responses": [
            {"role": "tool", "tool_call_id": "call_a", "content": "USER INTERRUPTED"},
            {"role": "tool", "tool_call_id": "call_b", "content": "USER INTERRUPTED"},
        ],
    }


def test_human_reply_to_a_function_call_answers_it_as_user_interrupted(human: RecordingIOStream):
    human.inputs.append("no")
    user = human_agent("ALWAYS")
    _, reply = user.check_termination_and_human_reply(
        [{"content": None, "function_call": {"name": "f", "arguments": "{}"}}], bot("caller")
    )
    assert reply["tool_responses"] == [{"role": "function", "name": "f", "content": "USER INTERRUPTED"}]


def test_no_message_asks_the_human_for_the_first_one(human: RecordingIOStream):
    human.inputs.append("typed task")
    user = human_agent("NEVER")
    result = user.initiate_chat(bot("bot", "TERMINATE"), silent=True)
    assert human.prompts[0] == ">"
    assert contents(result)[0] == "typed task"


def test_overridden_get_human_input_is_used_in_sync_and_async_chats():
    class Scripted(ConversableAgent):
        def get_human_input(self, prompt: str) -> str:
            return "exit"

    user = Scripted("u", llm_config=False, human_input_mode="ALWAYS")
    assert contents(user.initiate_chat(bot("bot"), message="hi", silent=True)) == ["hi", "bot reply"]
    result = asyncio.run(user.a_initiate_chat(bot("bot"), message="hi", silent=True))
    assert contents(result) == ["hi", "bot reply"]


async def test_overridden_a_get_human_input_is_used_in_async_chats():
    prompts = []

    class AsyncHuman(ConversableAgent):
        async def a_get_human_input(self, prompt: str) -> str:
            prompts.append(prompt)
            return "exit"

    user = AsyncHuman("u", llm_config=False, human_input_mode="ALWAYS")
    result = await user.a_initiate_chat(bot("bot"), message="hi", silent=True)
    assert contents(result) == ["hi", "bot reply"]
    assert len(prompts) == 1


async def test_async_chat_reads_the_iostream_once_per_question(human: RecordingIOStream):
    human.inputs.extend(["", "exit"])
    result = await human_agent("ALWAYS").a_initiate_chat(bot("bot"), message="hi", silent=True)
    assert contents(result) == ["hi", "bot reply", "auto", "bot reply"]
    assert len(human.prompts) == 2


async def test_blocking_human_input_does_not_block_other_async_chats(human: RecordingIOStream):
    other_chat_ran = threading.Event()

    class WaitingHuman(ConversableAgent):
        def get_human_input(self, prompt: str) -> str:
            # blocks this chat's input until the other chat has run in the same event loop
            return "exit" if other_chat_ran.wait(10) else "the other chat never ran"

    waiting = WaitingHuman("waiting", llm_config=False, human_input_mode="ALWAYS")
    signaller = bot("signaller")
    signaller.register_reply(Agent, lambda r, messages, sender, config: (other_chat_ran.set(), (True, "done"))[1])
    first, second = await asyncio.gather(
        waiting.a_initiate_chat(bot("bot"), message="hi", silent=True),
        bot("starter").a_initiate_chat(signaller, message="go", max_turns=1, silent=True),
    )
    assert contents(first) == ["hi", "bot reply"]
    assert contents(second) == ["go", "done"]


@pytest.mark.parametrize("mode", ["ALWAYS", "TERMINATE"])
def test_exit_resets_the_counter(human: RecordingIOStream, mode):
    human.inputs.append("exit")
    user = human_agent(mode)
    other = bot("bot", "TERMINATE")
    user.initiate_chat(other, message="hi", silent=True)
    assert user._consecutive_auto_reply_counter[other] == 0


def test_sync_chat_inside_a_running_loop_uses_the_callers_iostream():
    stream = RecordingIOStream(["exit"])

    async def main():
        with IOStream.set_default(stream):
            user = human_agent("ALWAYS")
            return user.initiate_chat(bot("bot"), message="hi")  # sync API called from async code

    result = asyncio.run(main())
    assert contents(result) == ["hi", "bot reply"]
    assert len(stream.prompts) == 1
    assert "human (to bot):" in stream.text


def test_no_input_at_a_termination_message_is_reported_before_ending(human: RecordingIOStream):
    human.inputs.append("")
    human_agent("TERMINATE").initiate_chat(bot("bot", "TERMINATE"), message="hi")
    assert "NO HUMAN INPUT RECEIVED." in human.text
    assert "USING AUTO REPLY" not in human.text


async def test_many_humans_can_wait_for_input_at_once():
    n = 40  # more than asyncio's default thread pool ever holds (at most 32)
    all_waiting = threading.Barrier(n, timeout=10)

    class WaitingHuman(ConversableAgent):
        def get_human_input(self, prompt: str) -> str:
            all_waiting.wait()  # only passes when all n humans are waiting at the same time
            return "exit"

    chats = [
        WaitingHuman(f"h{i}", llm_config=False, human_input_mode="ALWAYS").a_initiate_chat(
            bot("bot"), message="hi", silent=True
        )
        for i in range(n)
    ]
    results = await asyncio.gather(*chats)
    assert all(contents(r) == ["hi", "bot reply"] for r in results)
