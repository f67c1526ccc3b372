"""Hard budgets on chats, group chats, agents and the process, and why every chat stopped."""

from __future__ import annotations

import asyncio

import pytest

import autogen
from autogen import AssistantAgent, Budget, BudgetExceeded, ConversableAgent, GroupChat, GroupChatManager
from autogen.cache import Cache
from autogen.testing import RecordingIOStream


@pytest.fixture(autouse=True)
def _no_global_budget():
    yield
    autogen.set_budget(None)


def talkers(llm_config, **user_kwargs):
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    user = ConversableAgent(
        "user", llm_config=False, human_input_mode="NEVER", default_auto_reply="more", **user_kwargs
    )
    return user, assistant


def test_a_chat_stops_before_the_call_that_would_cross_its_llm_call_limit(server, llm_config):
    server.default_reply = lambda body: {"content": "and another thing"}
    user, assistant = talkers(llm_config)
    result = user.initiate_chat(assistant, message="talk", budget={"llm_calls": 3}, silent=True)
    assert result.stop_reason == "budget"
    assert len(server.chat_requests) == 3
    assert [m["content"] for m in result.chat_history] == ["talk", *["and another thing", "more"] * 3]
    assert result.cost["usage_including_cached_inference"]["total_cost"] >= 0


def test_the_token_limit_counts_the_estimate_before_the_call(server, llm_config):
    server.default_reply = lambda body: {"content": "x"}
    user, assistant = talkers(llm_config)
    config = {**llm_config, "max_tokens": 50}
    assistant = AssistantAgent("assistant", llm_config=config, system_message="short")
    result = user.initiate_chat(assistant, message="hi", budget={"tokens": 80}, silent=True)
    # the first call's estimate (15 prompt tokens + 50) fits; a second needs what the first used + 29 + 50
    assert result.stop_reason == "budget"
    assert len(server.chat_requests) == 1


def test_the_dollar_limit_uses_the_price_of_the_config(server, llm_config):
    server.default_reply = lambda body: {"content": "word " * 20}
    config = {"config_list": [{**llm_config["config_list"][0], "price": [10.0, 10.0]}], "cache_seed": None}
    assistant = AssistantAgent("assistant", llm_config={**config, "max_tokens": 30}, system_message="be brief")
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER", default_auto_reply="more")
    result = user.initiate_chat(assistant, message="hi", budget={"usd": 1.5}, silent=True)
    # about 0.4-0.6 USD per call at 10 USD per 1k tokens: two calls fit, the third would not
    assert result.stop_reason == "budget"
    spent = result.cost["usage_including_cached_inference"]["total_cost"]
    assert 0 < spent <= 1.5
    assert len(server.chat_requests) == 2


def test_the_seconds_limit_stops_a_slow_chat(server, llm_config):
    server.default_reply = lambda body: {"content": "slowly", "delay": 0.15}
    user, assistant = talkers(llm_config)
    result = user.initiate_chat(assistant, message="go", budget={"seconds": 0.4}, silent=True)
    assert result.stop_reason == "budget"
    assert 2 <= len(server.chat_requests) <= 4


def test_an_agent_budget_lasts_across_its_chats(server, llm_config):
    server.default_reply = lambda body: {"content": "ok"}
    user, assistant = talkers(llm_config, max_consecutive_auto_reply=1)
    assistant.set_budget({"llm_calls": 3})
    first = user.initiate_chat(assistant, message="one", silent=True)
    second = user.initiate_chat(assistant, message="two", silent=True)
    assert first.stop_reason == "max_consecutive_auto_reply"
    assert second.stop_reason == "budget"
    assert len(server.chat_requests) == 3
    assert assistant.budget.spent.llm_calls == 3


def test_a_group_chat_manager_budget_covers_every_member(server, llm_config):
    server.default_reply = lambda body: {"content": "my turn"}
    members = [AssistantAgent(name, llm_config=llm_config) for name in ("a", "b", "c")]
    chat = GroupChat(members, messages=[], max_round=20, speaker_selection_method="round_robin")
    manager = GroupChatManager(chat, llm_config=False, budget={"llm_calls": 4})
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER")
    result = user.initiate_chat(manager, message="begin", silent=True)
    assert result.stop_reason == "budget"
    assert len(server.chat_requests) == 4
    assert len(chat.messages) == 5


def test_cache_hits_are_free(server, llm_config):
    server.default_reply = lambda body: {"content": f"answer {len(body['messages'])}"}
    user, assistant = talkers(llm_config, max_consecutive_auto_reply=2)
    cache = Cache.in_memory()
    user.initiate_chat(assistant, message="q", cache=cache, silent=True)
    calls = len(server.chat_requests)
    replay = user.initiate_chat(assistant, message="q", cache=cache, budget={"llm_calls": 0}, silent=True)
    assert replay.stop_reason == "max_consecutive_auto_reply"
    assert len(server.chat_requests) == calls


@pytest.mark.slow
async def test_a_hundred_concurrent_chats_never_overspend_one_global_budget(server, llm_config):
    server.default_reply = lambda body: {"content": "busy", "delay": 0.01}
    budget = autogen.set_budget({"llm_calls": 50})
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    users = [
        ConversableAgent(f"u{i}", llm_config=False, human_input_mode="NEVER", default_auto_reply="more")
        for i in range(100)
    ]
    results = await asyncio.gather(
        *(u.a_initiate_chat(assistant, message="go", max_turns=3, silent=True) for u in users)
    )
    assert len(server.chat_requests) == 50
    assert budget.spent.llm_calls == 50
    assert sum(r.stop_reason == "budget" for r in results) >= 50


def test_a_direct_wrapper_call_counts_against_the_global_budget(server, llm_config):
    from autogen import OpenAIWrapper

    server.default_reply = lambda body: {"content": "fine"}
    autogen.set_budget({"llm_calls": 1})
    wrapper = OpenAIWrapper(**llm_config)
    wrapper.create(messages=[{"role": "user", "content": "one"}])
    with pytest.raises(BudgetExceeded, match="llm_calls limit of 1"):
        wrapper.create(messages=[{"role": "user", "content": "two"}])
    assert len(server.chat_requests) == 1


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ({"dollars": 1}, ValueError, r"unknown limit\(s\) \['dollars'\]"),
        ({"usd": -1}, ValueError, "'usd' must be a number >= 0"),
        ({"tokens": "lots"}, ValueError, "'tokens' must be a number"),
        ("1 USD", TypeError, "budget must be a dict"),
    ],
)
def test_a_bad_budget_is_named(value, error, match):
    with pytest.raises(error, match=match):
        Budget.of(value)


# ---- why a chat stopped ----------------------------------------------------------------------------


def test_stop_reason_termination_message(server, llm_config):
    server.script("done. TERMINATE")
    user = ConversableAgent(
        "user", llm_config=False, human_input_mode="NEVER", is_termination_msg=lambda m: "TERMINATE" in m["content"]
    )
    result = user.initiate_chat(AssistantAgent("assistant", llm_config=llm_config), message="go", silent=True)
    assert result.stop_reason == "termination_message"


def test_stop_reason_max_turns_and_auto_reply_limit():
    a = ConversableAgent("a", llm_config=False, human_input_mode="NEVER", default_auto_reply="x")
    b = ConversableAgent("b", llm_config=False, human_input_mode="NEVER", default_auto_reply="y")
    assert a.initiate_chat(b, message="m", max_turns=2, silent=True).stop_reason == "max_turns"
    b.update_max_consecutive_auto_reply(1)
    assert a.initiate_chat(b, message="m", silent=True).stop_reason == "max_consecutive_auto_reply"


def test_stop_reason_human_exit(human: RecordingIOStream):
    person = ConversableAgent("human", llm_config=False, human_input_mode="ALWAYS")
    bot = ConversableAgent("bot", llm_config=False, human_input_mode="NEVER", default_auto_reply="hello")
    human.inputs.extend(["exit"])
    result = person.initiate_chat(bot, message="hi", silent=True)
    assert result.stop_reason == "human_exit"


def test_stop_reason_no_reply_and_max_round():
    quiet = ConversableAgent("quiet", llm_config=False, human_input_mode="NEVER", default_auto_reply=None)
    a = ConversableAgent("a", llm_config=False, human_input_mode="NEVER")
    assert a.initiate_chat(quiet, message="anyone?", silent=True).stop_reason == "no_reply"
    members = [ConversableAgent(n, llm_config=False, human_input_mode="NEVER", default_auto_reply=n) for n in "xy"]
    chat = GroupChat(members, messages=[], max_round=3, speaker_selection_method="round_robin")
    result = a.initiate_chat(GroupChatManager(chat, llm_config=False), message="go", silent=True)
    assert result.stop_reason == "max_round"


@pytest.mark.parametrize("server_name", ["anthropic", "gemini", "bedrock", "ollama"])
def test_a_budget_stops_chats_on_every_provider_client(server_name):
    from autogen.testing.anthropic_server import AnthropicTestServer
    from autogen.testing.bedrock_server import BedrockTestServer
    from autogen.testing.gemini_server import GeminiTestServer
    from autogen.testing.ollama_server import OllamaTestServer

    servers = {
        "anthropic": AnthropicTestServer,
        "gemini": GeminiTestServer,
        "bedrock": BedrockTestServer,
        "ollama": OllamaTestServer,
    }
    with servers[server_name]() as provider:
        provider.script(*["a reply"] * 5)
        assistant = AssistantAgent("assistant", llm_config={"config_list": provider.config_list(), "cache_seed": None})
        user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER", default_auto_reply="more")
        result = user.initiate_chat(assistant, message="go", budget={"llm_calls": 2}, silent=True)
        assert result.stop_reason == "budget"
        assert len(provider.chat_requests) == 2
