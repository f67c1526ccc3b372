"""The provider matrix: each provider client, through its real SDK, against a server speaking its wire protocol.

Every test runs for Anthropic, Gemini, Bedrock and Ollama: plain chat, multi-turn tool use with parallel
calls, streaming, a 429 then success, an auth error falling back to the next config, a group chat with
"auto" speaker selection, and a two-agent chat.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from autogen import AssistantAgent, ConversableAgent, GroupChat, GroupChatManager, UserProxyAgent
from autogen.oai.client import OpenAIWrapper
from autogen.oai.errors import AllConfigsFailedError
from autogen.oai.pricing import lookup_price
from autogen.testing.anthropic_server import AnthropicTestServer
from autogen.testing.bedrock_server import BedrockTestServer
from autogen.testing.gemini_server import GeminiTestServer
from autogen.testing.ollama_server import OllamaTestServer
from autogen.testing.openai_server import BrokenStream, Fail, Hang
from autogen.testing.provider_server import ProviderTestServer

pytestmark = pytest.mark.timeout(60)

SERVERS = [AnthropicTestServer, GeminiTestServer, BedrockTestServer, OllamaTestServer]
MESSAGES = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Say hello."}]
# The config key that carries each provider's credential (Bedrock: the signing access key id).
KEY_FIELD = {"bedrock": "aws_access_key"}


@pytest.fixture(params=SERVERS, ids=lambda cls: cls.api_type)
def server(request: pytest.FixtureRequest) -> Iterator[ProviderTestServer]:
    with request.param() as srv:
        yield srv


def _expected_cost(server: ProviderTestServer, prompt: int, completion: int) -> float:
    price = lookup_price(server.model)
    if server.api_type == "ollama" or price is None:
        return 0.0
    return (prompt * price[0] + completion * price[1]) / 1000


def test_plain_chat_maps_system_text_and_options_and_counts_usage_and_cost(server):
    server.script({"content": "Hello!", "usage": {"prompt_tokens": 120, "completion_tokens": 30}})
    wrapper = OpenAIWrapper(config_list=server.config_list())
    response = wrapper.create(messages=MESSAGES, temperature=0.25, max_tokens=50, top_p=0.5, stop="END")
    assert response.choices[0].message.content == "Hello!"
    assert response.choices[0].finish_reason == "stop"
    assert (response.usage.prompt_tokens, response.usage.completion_tokens, response.usage.total_tokens) == (
        120,
        30,
        150,
    )
    assert response.cost == pytest.approx(_expected_cost(server, 120, 30))
    if server.api_type != "ollama":
        assert response.cost > 0  # every hosted provider's default model has a price
    assert wrapper.total_usage_summary["total_cost"] == pytest.approx(response.cost)
    sent = server.summaries()[0]
    assert sent.system == "You are terse."
    assert sent.roles == ["user"] and sent.texts == ["Say hello."]
    values = json.dumps(sent.options)
    assert "0.25" in values and "50" in values and "0.5" in values and "END" in values


def test_unsupported_parameters_are_dropped_with_one_warning(server):
    server.script("one", "two")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    with pytest.warns(UserWarning, match=r"does not take the parameter 'logit_bias'") as caught:
        wrapper.create(messages=MESSAGES, logit_bias={"1": 2})
        wrapper.create(messages=MESSAGES, logit_bias={"1": 2})
    assert len([w for w in caught if "logit_bias" in str(w.message)]) == 1
    assert "logit_bias" not in json.dumps(server.chat_requests)


async def test_async_create_uses_the_async_path(server):
    server.script("async hello")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    responses = await asyncio.gather(*(wrapper.a_create(messages=MESSAGES) for _ in range(1)))
    assert responses[0].choices[0].message.content == "async hello"


def _add(a: int, b: int) -> int:
    return a + b


def _mul(a: int, b: int) -> int:
    return a * b


def _tool_agents(server: ProviderTestServer) -> tuple[AssistantAgent, UserProxyAgent]:
    assistant = AssistantAgent("assistant", llm_config={"config_list": server.config_list(), "cache_seed": None})
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    for function, description in ((_add, "Add two numbers"), (_mul, "Multiply two numbers")):
        assistant.register_for_llm(name=function.__name__.strip("_"), description=description)(function)
        user.register_for_execution(name=function.__name__.strip("_"))(function)
    return assistant, user


def test_multi_turn_tool_use_with_parallel_calls(server):
    calls = [{"name": "add", "arguments": {"a": 1, "b": 2}}, {"name": "mul", "arguments": {"a": 3, "b": 4}}]
    server.script({"tool_calls": calls}, "The sum is 3 and the product 12. TERMINATE")
    assistant, user = _tool_agents(server)
    result = user.initiate_chat(assistant, message="Compute 1+2 and 3*4.", max_turns=2)
    assert result.chat_history[-1]["content"].startswith("The sum is 3")
    first, second = server.summaries()
    assert sorted(first.tools) == ["add", "mul"]
    # The second request carries both calls and both results, matched by id (Ollama: by function name).
    assert [name for _, name in second.tool_calls] == ["add", "mul"]
    results = dict(second.tool_results)
    if server.api_type == "ollama":
        assert results == {"add": "3", "mul": "12"}
    else:
        ids = [call_id for call_id, _ in second.tool_calls]
        assert results == {ids[0]: "3", ids[1]: "12"}
    assert second.roles == ["user", "assistant", "user"]


def test_streaming_text_and_tool_calls_with_exact_usage(server, captured_io):
    server.script(
        {"content": "Streaming works fine.", "usage": {"prompt_tokens": 17, "completion_tokens": 5}},
        {"tool_calls": [{"name": "add", "arguments": {"a": 1, "b": 2}}, {"name": "mul", "arguments": {"a": 5}}]},
    )
    wrapper = OpenAIWrapper(config_list=server.config_list())
    response = wrapper.create(messages=MESSAGES, stream=True)
    assert response.choices[0].message.content == "Streaming works fine."
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (17, 5)
    assert "Streaming works fine." in captured_io.text
    tools = [{"type": "function", "function": {"name": n, "parameters": {"type": "object"}}} for n in ("add", "mul")]
    response = wrapper.create(messages=MESSAGES, stream=True, tools=tools)
    calls = response.choices[0].message.tool_calls
    assert [(c.function.name, json.loads(c.function.arguments)) for c in calls] == [
        ("add", {"a": 1, "b": 2}),
        ("mul", {"a": 5}),
    ]
    assert response.choices[0].finish_reason == "tool_calls"
    assert response.usage.total_tokens == server.answers[-1].prompt_tokens + server.answers[-1].completion_tokens


def test_rate_limit_then_success_is_retried(server):
    server.script(Fail(429, "slow down", headers={"retry-after": "0"}), "finally")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "finally"
    assert len(server.chat_requests) == 2


def test_server_overload_is_retried_up_to_max_retries_then_fails(server):
    server.script(*[Fail(503, "overloaded")] * 3)
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=2))
    with pytest.raises(AllConfigsFailedError, match="after 3 tries"):
        wrapper.create(messages=MESSAGES)
    assert len(server.chat_requests) == 3


def test_auth_error_falls_back_to_the_next_config_and_never_shows_keys(server):
    field = KEY_FIELD.get(server.api_type, "api_key")
    bad = server.config_list(**{field: "wrong-key-abcdef0123456789"})
    server.script("from the second config")
    wrapper = OpenAIWrapper(config_list=bad + server.config_list())
    response = wrapper.create(messages=MESSAGES)
    assert response.choices[0].message.content == "from the second config"
    assert response.config_id == 1
    assert len(server.chat_requests) == 2  # one refused, not retried; one answered
    wrapper = OpenAIWrapper(config_list=bad + bad)
    with pytest.raises(AllConfigsFailedError) as caught:
        wrapper.create(messages=MESSAGES)
    text = str(caught.value)
    assert "config 0" in text and "config 1" in text and server.model in text
    assert "wrong-key-abcdef0123456789" not in text


def test_group_chat_with_auto_speaker_selection(server):
    def reply(body: dict[str, Any]) -> str:
        text = json.dumps(body)
        if "PICK_SPEAKER" in text:
            return "coder" if text.count("planner says") else "planner"
        return "planner says: plan" if "planner_system" in text else "coder says: code"

    server.default_reply = reply
    llm_config = {"config_list": server.config_list(), "cache_seed": None}
    planner = AssistantAgent("planner", system_message="planner_system", llm_config=llm_config, description="plans")
    coder = AssistantAgent("coder", system_message="coder_system", llm_config=llm_config, description="codes")
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, description="asks")
    chat = GroupChat(
        [user, planner, coder],
        messages=[],
        max_round=3,
        speaker_selection_method="auto",
        select_speaker_message_template="PICK_SPEAKER among {roles}. Answer with one of {agentlist}.",
    )
    manager = GroupChatManager(chat, llm_config=llm_config)
    user.initiate_chat(manager, message="Build a sorter.")
    assert [m.get("name") for m in chat.messages] == ["user", "planner", "coder"]
    assert chat.messages[1]["content"] == "planner says: plan"
    selections = [s for s in server.summaries() if "PICK_SPEAKER" in s.system]
    assert len(selections) == 2
    for sent in selections:  # every provider got a conversation that starts with a user turn
        assert sent.roles[0] == "user"


def test_two_agent_chat_with_initiate_chat(server):
    server.script("Hello from the model.", "Goodbye. TERMINATE")
    assistant = AssistantAgent("assistant", llm_config={"config_list": server.config_list(), "cache_seed": None})
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER", default_auto_reply="Go on.")
    result = user.initiate_chat(assistant, message="Hi there.", max_turns=2)
    assert [m["content"] for m in result.chat_history] == [
        "Hi there.",
        "Hello from the model.",
        "Go on.",
        "Goodbye. TERMINATE",
    ]
    second = server.summaries()[1]
    assert second.roles == ["user", "assistant", "user"]
    assert second.texts == ["Hi there.", "Hello from the model.", "Go on."]
    usage = result.cost["usage_including_cached_inference"]
    assert usage["total_cost"] == pytest.approx(
        sum(_expected_cost(server, a.prompt_tokens, a.completion_tokens) for a in server.answers)
    )


def test_a_stream_that_breaks_off_is_retried(server):
    server.script(BrokenStream(content="This answer will break off", after_chunks=2), "whole answer")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    response = wrapper.create(messages=MESSAGES, stream=True)
    assert response.choices[0].message.content == "whole answer"
    assert len(server.chat_requests) == 2


def test_a_silent_server_fails_within_the_config_timeout(server):
    server.script(Hang(30))
    wrapper = OpenAIWrapper(config_list=server.config_list(timeout=0.5, max_retries=0))
    started = time.monotonic()
    with pytest.raises(AllConfigsFailedError, match=r"(?i)time ?out|timed out"):
        wrapper.create(messages=MESSAGES)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("server", [AnthropicTestServer, GeminiTestServer, BedrockTestServer], indirect=True)
def test_the_providers_retry_delay_is_honoured(server):
    # Ollama is left out: its errors carry no headers, so its 429s are retried with backoff only
    if server.api_type == "google":
        server.retry_delay = "0.4s"  # Gemini asks in the error body (RetryInfo), not in a header
        server.script(Fail(429, "quota"), "after the wait")
    else:
        server.script(Fail(429, "slow down", headers={"retry-after": "0.4"}), "after the wait")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    started = time.monotonic()
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "after the wait"
    assert time.monotonic() - started >= 0.4  # the test's backoff is milliseconds (conftest)


async def test_two_agent_chat_in_async_code(server):
    server.script("Async hello.", "Async goodbye.")
    assistant = AssistantAgent("assistant", llm_config={"config_list": server.config_list(), "cache_seed": None})
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER", default_auto_reply="More.")
    result = await user.a_initiate_chat(assistant, message="Hi.", max_turns=2)
    assert [m["content"] for m in result.chat_history] == ["Hi.", "Async hello.", "More.", "Async goodbye."]


def test_nested_chat_reflection_with_summary_by_the_model(server):
    server.script("Tighten the second line.", "Summary: tighten line two.")  # the critic, then the summary
    llm_config = {"config_list": server.config_list(), "cache_seed": None}
    writer = AssistantAgent("writer", llm_config=llm_config)
    critic = AssistantAgent("critic", llm_config=llm_config)
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER", max_consecutive_auto_reply=0)
    nested = [{"recipient": critic, "max_turns": 1, "summary_method": "reflection_with_llm"}]
    writer.register_nested_chats(nested, trigger=user)
    result = user.initiate_chat(writer, message="Write a poem.", max_turns=1)
    assert result.chat_history[-1]["content"] == "Summary: tighten line two."
    assert len(server.chat_requests) == 2
    summary_request = server.summaries()[-1]
    assert summary_request.roles[0] == "user"  # the reflection prompt runs on every provider's role rules


def test_hide_tools_if_any_run_leaves_the_tools_out_once_one_ran(server):
    server.script("ok")
    tools = [{"type": "function", "function": {"name": "add", "parameters": {"type": "object"}}}]
    call = {"id": "c1", "type": "function", "function": {"name": "add", "arguments": "{}"}}
    messages = [
        {"role": "user", "content": "add"},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "c1", "content": "3"},
    ]
    OpenAIWrapper(config_list=server.config_list(hide_tools="if_any_run")).create(messages=messages, tools=tools)
    assert server.summaries()[0].tools == []
