"""ConversableAgent: construction, history, the reply chain, hooks, send/receive and two-agent chats."""

from __future__ import annotations

import asyncio
import copy

import pytest

from autogen import AssistantAgent, ConversableAgent, UserProxyAgent
from autogen.agentchat import Agent
from autogen.exception_utils import InvalidCarryOverType, SenderRequired
from autogen.testing import RecordingIOStream


def quiet(name: str, **kwargs) -> ConversableAgent:
    kwargs.setdefault("llm_config", False)
    kwargs.setdefault("human_input_mode", "NEVER")
    return ConversableAgent(name, **kwargs)


# ---- construction ---------------------------------------------------------------------------------
def test_unknown_human_input_mode_is_a_value_error_naming_the_argument():
    with pytest.raises(ValueError, match="human_input_mode"):
        ConversableAgent("a", human_input_mode="SOMETIMES")


def test_non_dict_llm_config_is_a_type_error_naming_the_argument():
    with pytest.raises(TypeError, match="llm_config"):
        ConversableAgent("a", llm_config="gpt-4")


@pytest.mark.parametrize("config", [{}, {"config_list": []}, {"config_list": [{"model": ""}]}])
def test_llm_config_without_a_model_is_a_value_error(config):
    with pytest.raises(ValueError, match="model"):
        ConversableAgent("a", llm_config=config)


def test_function_map_value_that_is_not_callable_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match="function_map\\['add'\\]"):
        ConversableAgent("a", llm_config=False, function_map={"add": 3})


def test_function_map_with_an_invalid_name_is_a_value_error():
    with pytest.raises(ValueError, match="Invalid name"):
        ConversableAgent("a", llm_config=False, function_map={"bad name!": print})


def test_negative_max_consecutive_auto_reply_is_a_value_error():
    with pytest.raises(ValueError, match="max_consecutive_auto_reply"):
        ConversableAgent("a", llm_config=False, max_consecutive_auto_reply=-1)


def test_send_to_something_that_is_not_an_agent_is_a_type_error_naming_recipient():
    with pytest.raises(TypeError, match="recipient"):
        quiet("a").send("hi", "bob")


def test_initiate_chat_with_something_that_is_not_an_agent_is_a_type_error_naming_recipient():
    with pytest.raises(TypeError, match="recipient"):
        quiet("a").initiate_chat(42, message="hi")


def test_llm_config_none_means_no_model_client():
    agent = ConversableAgent("a")
    assert agent.llm_config is False
    assert agent.client is None


def test_llm_config_dict_is_copied_so_tools_do_not_leak_between_agents(llm_config):
    first = ConversableAgent("a", llm_config=llm_config)

    @first.register_for_llm(description="adds")
    def add(a: int, b: int) -> int:
        return a + b

    second = ConversableAgent("b", llm_config=llm_config)
    assert "tools" in first.llm_config
    assert "tools" not in second.llm_config
    assert "tools" not in llm_config


def test_description_defaults_to_the_system_message_and_is_settable():
    agent = quiet("a", system_message="I add numbers.")
    assert agent.description == "I add numbers."
    agent.description = "adder"
    assert agent.description == "adder"


def test_update_system_message_changes_the_system_message():
    agent = quiet("a")
    agent.update_system_message("New rules.")
    assert agent.system_message == "New rules."


def test_agents_satisfy_the_agent_protocol():
    assert isinstance(quiet("a"), Agent)


def test_chat_messages_preloads_history():
    other = quiet("b")
    agent = quiet("a", chat_messages={other: [{"content": "earlier", "role": "user", "name": "b"}]})
    assert agent.last_message(other)["content"] == "earlier"
    assert agent.chat_messages[quiet("c")] == []


# ---- messages --------------------------------------------------------------------------------------
def test_sent_messages_are_stored_with_role_and_sender_name_on_both_sides():
    a, b = quiet("a"), quiet("b")
    a.send("hello", b, request_reply=False, silent=True)
    assert a.chat_messages[b] == [{"content": "hello", "role": "assistant", "name": "a"}]
    assert b.chat_messages[a] == [{"content": "hello", "role": "user", "name": "a"}]


def test_message_with_none_content_and_tool_calls_is_stored_as_assistant_without_name():
    a, b = quiet("a"), quiet("b")
    calls = [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
    a.send({"content": None, "tool_calls": calls}, b, request_reply=False, silent=True)
    stored = b.chat_messages[a][0]
    assert stored == {"content": None, "tool_calls": calls, "role": "assistant"}


def test_message_without_content_or_calls_is_a_value_error():
    with pytest.raises(ValueError, match="content or function_call"):
        quiet("a").send({"role": "user"}, quiet("b"), request_reply=False)


def test_last_message_needs_an_agent_when_there_are_several_conversations():
    a, b, c = quiet("a"), quiet("b"), quiet("c")
    a.send("x", b, request_reply=False, silent=True)
    assert a.last_message()["content"] == "x"
    a.send("y", c, request_reply=False, silent=True)
    with pytest.raises(ValueError, match="More than one conversation"):
        a.last_message()
    with pytest.raises(KeyError):
        a.last_message(quiet("d"))


def test_clear_history_keeps_the_last_messages_when_asked():
    a, b = quiet("a"), quiet("b")
    for text in ("1", "2", "3"):
        a.send(text, b, request_reply=False, silent=True)
    a.clear_history(nr_messages_to_preserve=2)
    assert [m["content"] for m in a.chat_messages[b]] == ["2", "3"]
    a.clear_history(b)
    assert a.chat_messages[b] == []


def test_printed_message_has_a_sender_to_recipient_header(human: RecordingIOStream):
    a, b = quiet("alice"), quiet("bob")
    a.send("hello bob", b, request_reply=False)
    assert "alice (to bob):" in human.text
    assert "hello bob" in human.text
    assert "-" * 80 in human.text


def test_silent_send_prints_nothing(human: RecordingIOStream):
    a, b = quiet("alice"), quiet("bob")
    a.send("hello", b, request_reply=False, silent=True)
    assert human.text == ""


# ---- reply chain -----------------------------------------------------------------------------------
def test_default_reply_chain_order():
    agent = quiet("a")
    names = [f.__name__ for f in agent.reply_functions]
    assert names == [
        "check_termination_and_human_reply",
        "generate_function_call_reply",
        "generate_tool_calls_reply",
        "generate_oai_reply",
    ]


def test_reply_chain_includes_code_execution_when_enabled():
    agent = quiet("a", code_execution_config={"use_docker": False})
    assert [f.__name__ for f in agent.reply_functions][3] == "generate_code_execution_reply"


def test_default_auto_reply_when_no_reply_function_answers():
    agent = quiet("a", default_auto_reply="nothing to add")
    assert agent.generate_reply([{"content": "hi", "role": "user"}], sender=quiet("b")) == "nothing to add"


def test_generate_reply_without_messages_or_sender_raises_naming_the_agent():
    with pytest.raises(ValueError, match="'a' needs messages or a sender"):
        quiet("a").generate_reply()


async def test_a_generate_reply_without_messages_or_sender_raises():
    with pytest.raises(ValueError, match="needs messages or a sender"):
        await quiet("a").a_generate_reply()


def test_registered_reply_function_is_checked_first():
    agent = quiet("a")
    agent.register_reply(Agent, lambda recipient, messages, sender, config: (True, "mine"))
    assert agent.generate_reply([{"content": "hi"}], sender=quiet("b")) == "mine"


def test_non_final_reply_function_passes_on_to_the_next():
    agent = quiet("a", default_auto_reply="default")
    seen = []
    agent.register_reply(Agent, lambda r, messages, sender, config: (seen.append(1), (False, "ignored"))[1])
    assert agent.generate_reply([{"content": "hi"}], sender=quiet("b")) == "default"
    assert seen == [1]


@pytest.mark.parametrize("kind", ["class", "name", "instance", "callable", "list"])
def test_trigger_kinds_match_the_right_sender(kind):
    bob, carol = quiet("bob"), quiet("carol")
    trigger = {
        "class": AssistantAgent,
        "name": "bob",
        "instance": bob,
        "callable": lambda sender: sender.name == "bob",
        "list": ["nobody", bob],
    }[kind]
    if kind == "class":
        bob = AssistantAgent("bob", llm_config=False)
    agent = quiet("a", default_auto_reply="default")
    agent.register_reply(trigger, lambda r, messages, sender, config: (True, "triggered"))
    assert agent.generate_reply([{"content": "hi"}], sender=bob) == "triggered"
    assert agent.generate_reply([{"content": "hi"}], sender=carol) == "default"


def test_name_trigger_without_sender_raises_sender_required():
    agent = quiet("a")
    agent.register_reply("bob", lambda r, messages, sender, config: (True, "x"))
    with pytest.raises(SenderRequired):
        agent.generate_reply([{"content": "hi"}])


def test_invalid_trigger_is_a_value_error():
    with pytest.raises(ValueError, match="trigger"):
        quiet("a").register_reply(42, lambda *a, **k: (True, None))


def test_position_places_the_reply_function_in_the_chain():
    agent = quiet("a")

    def mine(recipient, messages, sender, config):
        return True, "mine"

    agent.register_reply(Agent, mine, position=2)
    assert agent.reply_functions[2] is mine


def test_remove_other_reply_funcs_leaves_only_the_new_one():
    agent = quiet("a")

    def only(recipient, messages, sender, config):
        return True, "only"

    agent.register_reply(Agent, only, remove_other_reply_funcs=True)
    assert agent.reply_functions == [only]


def test_remove_reply_func_takes_it_out_of_the_chain():
    agent = quiet("a")
    agent.remove_reply_func(ConversableAgent.generate_oai_reply)
    assert ConversableAgent.generate_oai_reply not in agent.reply_functions
    assert len(agent.reply_functions) == 3


def test_remove_reply_func_accepts_the_async_name_of_a_built_in():
    agent = quiet("a")
    agent.remove_reply_func(ConversableAgent.a_generate_oai_reply)
    assert ConversableAgent.generate_oai_reply not in agent.reply_functions


def test_replace_reply_func_swaps_in_place():
    agent = quiet("a")

    def replacement(recipient, messages, sender, config):
        return True, "replaced"

    agent.replace_reply_func(ConversableAgent.generate_oai_reply, replacement)
    assert agent.reply_functions[-1] is replacement
    assert agent.generate_reply([{"content": "hi"}], sender=quiet("b")) == "replaced"


def test_exclude_skips_a_reply_function_by_either_name():
    agent = quiet("a", default_auto_reply="default")
    agent.register_reply(Agent, lambda r, messages, sender, config: (True, "first"))
    first = agent.reply_functions[0]
    assert agent.generate_reply([{"content": "hi"}], sender=quiet("b"), exclude=[first]) == "default"
    # a built-in can be excluded by its async name too
    agent2 = quiet("a2")
    agent2.register_reply(Agent, lambda r, messages, sender, config: (True, "custom"), position=1)
    msgs = [{"content": "TERMINATE", "role": "user"}]
    assert agent2.generate_reply(msgs, sender=quiet("b")) is None
    excluded = [ConversableAgent.a_check_termination_and_human_reply]
    assert agent2.generate_reply(msgs, sender=quiet("b"), exclude=excluded) == "custom"


def test_reply_config_is_passed_and_restored_by_reset():
    agent = quiet("a")
    seen = []

    def counting(recipient, messages, sender, config):
        seen.append(config["n"])
        config["n"] += 1
        return True, "x"

    agent.register_reply(Agent, counting, config={"n": 0})
    agent.register_reply(Agent, counting, config={"n": 0}, position=5)
    sender = quiet("b")
    agent.generate_reply([{"content": "hi"}], sender=sender)
    agent.generate_reply([{"content": "hi"}], sender=sender)
    assert seen == [0, 1]


def test_reset_calls_reset_config():
    agent = quiet("a")
    resets = []
    agent.register_reply(Agent, lambda r, messages, sender, config: (True, "x"), config=[1], reset_config=resets.append)
    agent.reset()
    assert resets == [[1]]


def test_reset_forgets_history_and_counters():
    a, b = quiet("a", max_consecutive_auto_reply=1), quiet("b")
    a.initiate_chat(b, message="hi", silent=True)
    a.reset()
    assert a.chat_messages == {}
    assert a._consecutive_auto_reply_counter == {}


# ---- hooks -----------------------------------------------------------------------------------------
def test_process_last_received_message_hook_changes_the_last_message_as_in_0_2():
    agent = quiet("a")
    seen = []
    agent.register_hook("process_last_received_message", lambda content: content.upper())

    def record(recipient, messages, sender, config):
        seen.append(messages[-1]["content"])
        return True, "ok"

    agent.register_reply(Agent, record)
    history = [{"content": "shout", "role": "user"}]
    agent.generate_reply(history, sender=quiet("b"))
    assert seen == ["SHOUT"]
    assert history[0]["content"] == "SHOUT"  # 0.2 changed the stored message too


def test_process_last_received_message_hook_skips_function_calls():
    agent = quiet("a")
    agent.register_hook("process_last_received_message", lambda content: "changed")
    history = [{"content": "x", "function_call": {"name": "f", "arguments": "{}"}, "role": "assistant"}]
    assert agent.process_last_received_message(history) is history
    assert history[0]["content"] == "x"


def test_process_all_messages_before_reply_hook_sees_all_messages():
    agent = quiet("a")
    seen = []
    agent.register_hook("process_all_messages_before_reply", lambda messages: messages[-1:])
    agent.register_reply(Agent, lambda r, messages, sender, config: (seen.append(len(messages)), (True, "ok"))[1])
    agent.generate_reply([{"content": "1"}, {"content": "2"}], sender=quiet("b"))
    assert seen == [1]


def test_process_message_before_send_hook_rewrites_outgoing_messages():
    a, b = quiet("a"), quiet("b")
    a.register_hook("process_message_before_send", lambda sender, message, recipient, silent: message + "!")
    a.send("hi", b, request_reply=False, silent=True)
    assert b.last_message(a)["content"] == "hi!"


def test_update_agent_state_hook_runs_before_reply():
    agent = quiet("a")
    calls = []
    agent.register_hook("update_agent_state", lambda ag, messages: calls.append((ag, len(messages))))
    agent.generate_reply([{"content": "hi"}], sender=quiet("b"))
    assert calls == [(agent, 1)]


def test_unknown_hookable_method_is_a_value_error():
    with pytest.raises(ValueError, match="hookable"):
        quiet("a").register_hook("before_everything", print)


def test_registering_the_same_hook_twice_is_a_value_error():
    agent = quiet("a")
    agent.register_hook("process_all_messages_before_reply", list)
    with pytest.raises(ValueError, match="already registered"):
        agent.register_hook("process_all_messages_before_reply", list)


# ---- two-agent chats without a model ---------------------------------------------------------------
def test_max_consecutive_auto_reply_counts_per_side():
    a = quiet("a", max_consecutive_auto_reply=2, default_auto_reply="from a")
    b = quiet("b", max_consecutive_auto_reply=1, default_auto_reply="from b")
    result = a.initiate_chat(b, message="start", silent=True)
    # b replies once, a once, then b is at its limit and ends the chat
    assert [m["content"] for m in result.chat_history] == ["start", "from b", "from a"]


def test_counters_reset_at_a_new_chat():
    a = quiet("a", max_consecutive_auto_reply=1, default_auto_reply="from a")
    b = quiet("b", max_consecutive_auto_reply=1, default_auto_reply="from b")
    first = a.initiate_chat(b, message="one", silent=True)
    second = a.initiate_chat(b, message="two", silent=True)
    assert len(first.chat_history) == len(second.chat_history) == 3


def test_max_consecutive_auto_reply_zero_never_auto_replies():
    a = quiet("a", default_auto_reply="from a")
    b = quiet("b", max_consecutive_auto_reply=0, default_auto_reply="from b")
    result = a.initiate_chat(b, message="start", silent=True)
    assert [m["content"] for m in result.chat_history] == ["start"]


def test_update_max_consecutive_auto_reply_per_sender():
    a, b = quiet("a"), quiet("b")
    a.update_max_consecutive_auto_reply(3, sender=b)
    assert a.max_consecutive_auto_reply(b) == 3
    assert a.max_consecutive_auto_reply() == 100
    a.update_max_consecutive_auto_reply(5)
    assert a.max_consecutive_auto_reply(b) == 5


def test_max_turns_counts_round_trips():
    a = quiet("a", default_auto_reply="from a")
    b = quiet("b", default_auto_reply="from b")
    result = a.initiate_chat(b, message="start", max_turns=2, silent=True)
    assert [m["content"] for m in result.chat_history] == ["start", "from b", "from a", "from b"]


def test_max_turns_is_counted_afresh_in_each_chat():
    a = quiet("a", default_auto_reply="from a")
    b = quiet("b", default_auto_reply="from b")
    a.initiate_chat(b, message="start", max_turns=1, silent=True)
    result = a.initiate_chat(b, message="again", max_turns=1, silent=True)
    assert [m["content"] for m in result.chat_history] == ["again", "from b"]


def test_clear_history_false_continues_the_conversation():
    a = quiet("a", default_auto_reply="from a")
    b = quiet("b", default_auto_reply="from b")
    a.initiate_chat(b, message="start", max_turns=1, silent=True)
    result = a.initiate_chat(b, message="more", max_turns=1, clear_history=False, silent=True)
    assert [m["content"] for m in result.chat_history] == ["start", "from b", "more", "from b"]


def test_termination_message_on_the_receiver_ends_the_chat():
    a = quiet("a", default_auto_reply="TERMINATE")
    b = quiet("b", default_auto_reply="from b")
    result = a.initiate_chat(b, message="start", silent=True)
    assert [m["content"] for m in result.chat_history] == ["start", "from b", "TERMINATE"]


def test_custom_is_termination_msg():
    a = quiet("a", default_auto_reply="bye now", is_termination_msg=lambda m: "bye" in m["content"])
    b = quiet("b", default_auto_reply="done? bye", is_termination_msg=lambda m: "bye" in m["content"])
    result = a.initiate_chat(b, message="start", silent=True)
    assert [m["content"] for m in result.chat_history] == ["start", "done? bye"]


def test_chat_result_holds_history_summary_cost_and_human_input():
    a = quiet("a", default_auto_reply="final words TERMINATE")
    b = quiet("b", default_auto_reply="from b")
    result = a.initiate_chat(b, message="start", silent=True)
    assert result.summary == "final words "
    assert result.cost == {
        "usage_including_cached_inference": {"total_cost": 0},
        "usage_excluding_cached_inference": {"total_cost": 0},
    }
    assert result.human_input == []
    assert result.chat_history[0] == {"content": "start", "role": "assistant", "name": "a"}


def test_chat_history_of_a_result_is_not_emptied_by_a_later_chat():
    a = quiet("a", max_consecutive_auto_reply=0)
    b = quiet("b", max_consecutive_auto_reply=0)
    first = a.initiate_chat(b, message="one", silent=True)
    a.initiate_chat(b, message="two", silent=True)
    assert [m["content"] for m in first.chat_history] == ["one"]


def test_message_can_be_a_dict():
    a, b = quiet("a"), quiet("b", max_consecutive_auto_reply=0)
    result = a.initiate_chat(b, message={"content": "as dict", "role": "user"}, silent=True)
    assert result.chat_history[0]["content"] == "as dict"


def test_message_can_be_a_callable_of_sender_recipient_context():
    a, b = quiet("a"), quiet("b", max_consecutive_auto_reply=0)
    calls = []

    def first_message(sender, recipient, context):
        calls.append((sender, recipient, context))
        return f"hello {recipient.name}, {context['topic']}"

    result = a.initiate_chat(b, message=first_message, topic="weather", silent=True)
    assert result.chat_history[0]["content"] == "hello b, weather"
    assert calls[0][:2] == (a, b)


def test_carryover_string_is_appended_as_context():
    a, b = quiet("a"), quiet("b", max_consecutive_auto_reply=0)
    result = a.initiate_chat(b, message="task", carryover="earlier result", silent=True)
    assert result.chat_history[0]["content"] == "task\nContext: \nearlier result"


def test_carryover_list_is_joined_by_lines():
    a, b = quiet("a"), quiet("b", max_consecutive_auto_reply=0)
    result = a.initiate_chat(b, message="task", carryover=["one", {"content": "two"}], silent=True)
    assert result.chat_history[0]["content"] == "task\nContext: \none\ntwo"


def test_carryover_of_another_type_is_invalid():
    with pytest.raises(InvalidCarryOverType):
        quiet("a").generate_init_message("task", carryover=42)


def test_summary_method_callable():
    a, b = quiet("a"), quiet("b", max_consecutive_auto_reply=0)

    def summarize(sender, recipient, summary_args):
        return f"{sender.name}->{recipient.name}:{summary_args['tag']}"

    result = a.initiate_chat(b, message="x", summary_method=summarize, summary_args={"tag": "t"}, silent=True)
    assert result.summary == "a->b:t"


def test_unknown_summary_method_is_a_value_error():
    with pytest.raises(ValueError, match="summary_method"):
        quiet("a").initiate_chat(quiet("b"), message="x", summary_method="best_guess")


def test_reflection_summary_without_any_model_is_a_value_error():
    with pytest.raises(ValueError, match="reflection_with_llm"):
        quiet("a").initiate_chat(quiet("b"), message="x", summary_method="reflection_with_llm")


def test_sync_chat_refuses_async_reply_functions_that_cannot_be_skipped():
    a, b = quiet("a"), quiet("b")

    async def async_reply(recipient, messages, sender, config):
        return True, "async"

    b.register_reply(Agent, async_reply)
    with pytest.raises(RuntimeError, match="Async reply functions"):
        a.initiate_chat(b, message="x", silent=True)


def test_sync_chat_skips_async_reply_functions_marked_ignorable():
    a, b = quiet("a"), quiet("b", default_auto_reply="sync default", max_consecutive_auto_reply=1)

    async def async_reply(recipient, messages, sender, config):
        return True, "async"

    b.register_reply(Agent, async_reply, ignore_async_in_sync_chat=True)
    result = a.initiate_chat(b, message="x", max_turns=1, silent=True)
    assert result.chat_history[-1]["content"] == "sync default"


async def test_async_chat_runs_async_and_sync_reply_functions():
    a, b = quiet("a"), quiet("b")

    async def async_reply(recipient, messages, sender, config):
        await asyncio.sleep(0)
        return True, "async says hi"

    def sync_reply(recipient, messages, sender, config):
        return True, "sync says hi"

    b.register_reply(Agent, async_reply, ignore_async_in_sync_chat=True)
    a.register_reply(Agent, sync_reply)
    result = await a.a_initiate_chat(b, message="x", max_turns=2, silent=True)
    assert [m["content"] for m in result.chat_history] == ["x", "async says hi", "sync says hi", "async says hi"]


async def test_async_chat_equals_sync_chat():
    def make():
        return (
            quiet("a", max_consecutive_auto_reply=3, default_auto_reply="from a"),
            quiet("b", max_consecutive_auto_reply=2, default_auto_reply="from b"),
        )

    a, b = make()
    async_result = await a.a_initiate_chat(b, message="go", silent=True)
    a, b = make()
    sync_result = await asyncio.to_thread(a.initiate_chat, b, message="go", silent=True)
    assert async_result.chat_history == sync_result.chat_history


def test_sync_api_works_inside_a_running_event_loop():
    a, b = quiet("a", default_auto_reply="from a"), quiet("b", default_auto_reply="from b")

    async def main():
        return a.initiate_chat(b, message="hi", max_turns=1, silent=True)

    result = asyncio.run(main())
    assert [m["content"] for m in result.chat_history] == ["hi", "from b"]


def test_built_in_reply_functions_are_callable_directly():
    agent = quiet("a")
    sender = quiet("b")
    final, reply = agent.check_termination_and_human_reply([{"content": "TERMINATE"}], sender)
    assert (final, reply) == (True, None)
    assert agent.generate_oai_reply([{"content": "hi"}], sender) == (False, None)


def test_long_chat_does_not_hit_the_recursion_limit():
    a = quiet("a", max_consecutive_auto_reply=150, default_auto_reply="a")
    b = quiet("b", max_consecutive_auto_reply=150, default_auto_reply="b")
    result = a.initiate_chat(b, message="go", silent=True)
    assert len(result.chat_history) == 301


def test_sync_override_of_receive_is_honoured_in_sync_chats():
    received = []

    class Recording(ConversableAgent):
        def receive(self, message, sender, request_reply=None, silent=False):
            received.append(message)
            super().receive(message, sender, request_reply, silent)

    a = quiet("a", default_auto_reply="from a")
    b = Recording("b", llm_config=False, human_input_mode="NEVER", default_auto_reply="from b")
    a.initiate_chat(b, message="hi", max_turns=2, silent=True)
    assert received == ["hi", "from a"]


def test_assistant_and_user_proxy_defaults():
    assistant = AssistantAgent("assistant")
    assert assistant.human_input_mode == "NEVER"
    assert assistant.description == AssistantAgent.DEFAULT_DESCRIPTION
    assert assistant.system_message == AssistantAgent.DEFAULT_SYSTEM_MESSAGE
    assert assistant.code_executor is None and assistant.use_docker is None
    proxy = UserProxyAgent("user", code_execution_config=False)
    assert proxy.human_input_mode == "ALWAYS"
    assert proxy.llm_config is False
    assert proxy.description == UserProxyAgent.DEFAULT_USER_PROXY_AGENT_DESCRIPTIONS["ALWAYS"]


def test_user_proxy_default_code_execution_config_is_not_shared():
    first = UserProxyAgent("u1", code_execution_config={"use_docker": False})
    first._code_execution_config["work_dir"] = "x"
    default_arg = UserProxyAgent.__init__.__defaults__
    assert {} in default_arg and copy.deepcopy(default_arg) == default_arg


def test_stop_reply_at_receive_silences_auto_replies():
    a, b = quiet("a"), quiet("b", default_auto_reply="reply")
    a.initiate_chat(b, message="hi", max_turns=1, silent=True)
    b.reply_at_receive[a] = True
    b.stop_reply_at_receive(a)
    a.send("anyone?", b, silent=True)
    assert b.last_message(a)["content"] == "anyone?"
    b.receive("now answer", a, request_reply=True, silent=True)
    assert a.last_message(b)["content"] == "reply"


def test_function_response_is_printed_with_its_name(human: RecordingIOStream):
    a, b = quiet("a"), quiet("b")
    a.send({"role": "function", "name": "lookup", "content": "42"}, b, request_reply=False)
    assert "***** Response from calling function (lookup) *****" in human.text
    assert b.last_message(a) == {"content": "42", "name": "lookup", "role": "function"}


def test_runtime_logging_records_agents_events_and_function_calls(tmp_path):
    import sqlite3

    from autogen import runtime_logging

    db = tmp_path / "log.db"
    runtime_logging.start(logger_type="sqlite", config={"dbname": str(db)})
    try:
        a = quiet("a", max_consecutive_auto_reply=1, default_auto_reply="x")
        b = quiet("b", max_consecutive_auto_reply=1, default_auto_reply="y")
        b.register_for_execution(name="double")(lambda n: 2 * n)
        a.initiate_chat(b, message="hi", silent=True)
        b.execute_function({"name": "double", "arguments": '{"n": 2}'})
    finally:
        runtime_logging.stop()
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from agents").fetchone()[0] == 2
        events = dict(con.execute("select event_name, count(*) from events group by event_name").fetchall())
        assert events["received_message"] == 3
        assert events["reply_func_executed"] > 0
        assert con.execute("select count(*) from function_calls").fetchone()[0] == 1


def test_0_2_internals_used_by_subclasses_still_work():
    a, b = quiet("a"), quiet("b")
    assert a._append_oai_message("hi", "assistant", b, is_sending=True) is True
    assert a._append_oai_message({"role": "user"}, "user", b) is False
    assert a.chat_messages[b] == [{"content": "hi", "role": "assistant", "name": "a"}]
    assert ConversableAgent._message_to_dict("x") == {"content": "x"}
    assert a._match_trigger([ConversableAgent, None], b) is True
    assert a._match_trigger("c", b) is False


def test_0_2_summary_helpers_still_work():
    a, b = quiet("a"), quiet("b", max_consecutive_auto_reply=0)
    a.initiate_chat(b, message="the result TERMINATE", silent=True)
    assert ConversableAgent._last_msg_as_summary(a, b, {}) == "the result "
    assert a._summarize_chat("last_msg", {}, b) == "the result "


def test_reply_function_returning_something_else_than_a_pair_is_a_type_error():
    agent = quiet("a")

    def broken(recipient, messages, sender, config):
        return "just text"

    agent.register_reply(Agent, broken)
    with pytest.raises(TypeError, match="broken"):
        agent.generate_reply([{"content": "hi"}], sender=quiet("b"))


def test_agent_silent_true_never_prints_its_messages(human: RecordingIOStream):
    a, b = quiet("a", silent=True), quiet("b")
    a.send("quiet please", b, request_reply=False, silent=False)
    assert human.text == ""
    b.send("loud", a, request_reply=False)
    assert "b (to a):" in human.text


def test_long_sync_chat_with_overridden_send_and_receive():
    sent, received = [], []

    class Logging(ConversableAgent):
        def send(self, message, recipient, request_reply=None, silent=False):
            sent.append(message)
            super().send(message, recipient, request_reply, silent)

        def receive(self, message, sender, request_reply=None, silent=False):
            received.append(message)
            super().receive(message, sender, request_reply, silent)

    a = Logging("a", llm_config=False, human_input_mode="NEVER", max_consecutive_auto_reply=120, default_auto_reply="x")
    b = Logging("b", llm_config=False, human_input_mode="NEVER", max_consecutive_auto_reply=120, default_auto_reply="y")
    result = a.initiate_chat(b, message="go", silent=True)
    assert len(result.chat_history) == 241
    assert len(sent) == len(received) == 241


async def test_long_async_chat_with_overridden_a_send():
    sent = []

    class Logging(ConversableAgent):
        async def a_send(self, message, recipient, request_reply=None, silent=False):
            sent.append(message)
            await super().a_send(
                message + "!" if isinstance(message, str) else message, recipient, request_reply, silent
            )

    a = Logging("a", llm_config=False, human_input_mode="NEVER", max_consecutive_auto_reply=300, default_auto_reply="x")
    b = Logging("b", llm_config=False, human_input_mode="NEVER", max_consecutive_auto_reply=300, default_auto_reply="y")
    result = await a.a_initiate_chat(b, message="go", silent=True)
    assert len(result.chat_history) == len(sent) == 601
    assert result.chat_history[1]["content"] == "y!"


@pytest.mark.parametrize("cls", [ConversableAgent, UserProxyAgent, AssistantAgent])
def test_default_auto_reply_none_means_no_automatic_reply_and_the_chat_stops(server, llm_config, cls):
    kwargs = {"code_execution_config": False} if cls is UserProxyAgent else {}
    silent_one = cls("quiet_one", llm_config=False, human_input_mode="NEVER", default_auto_reply=None, **kwargs)
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    server.script("here is my answer")
    result = silent_one.initiate_chat(assistant, message="question", silent=True)
    assert [m["content"] for m in result.chat_history] == ["question", "here is my answer"]
    assert len(server.chat_requests) == 1  # no empty messages bouncing to the model
