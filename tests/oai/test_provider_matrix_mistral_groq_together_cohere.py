"""Mistral, Groq, Together and Cohere through their real SDKs, against local servers speaking their wire formats.

Every provider runs the same matrix: plain chat, multi-turn tool use with parallel calls, streaming with
exact usage, a 429 then success, an auth error falling back to the next config, a group chat with
"auto" speaker selection and a two-agent ``initiate_chat``. Mistral, Groq and Together chat is
OpenAI-like (``OpenAITestServer`` in that provider's dialect); Cohere v2 has its own server.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from autogen import AssistantAgent, GroupChat, GroupChatManager, OpenAIWrapper, UserProxyAgent
from autogen.oai.errors import AllConfigsFailedError
from autogen.oai.pricing import lookup_price
from autogen.oai.providers import ProviderSDKMissingError, make_provider_client
from autogen.testing import Fail, OpenAITestServer
from autogen.testing.cohere_server import CohereTestServer

pytestmark = pytest.mark.timeout(60)

PROVIDERS = ["mistral", "groq", "together", "cohere"]
MODELS = {
    "mistral": "mistral-large-latest",
    "groq": "llama-3.1-8b-instant",
    "together": "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    "cohere": "command-r-plus-08-2024",
}
PATHS = {
    "mistral": "/v1/chat/completions",
    "groq": "/openai/v1/chat/completions",
    "together": "/v1/chat/completions",
    "cohere": "/v2/chat",
}
# What temperature/max_tokens/top_p/stop/seed are called on each provider's wire.
SENT_OPTIONS = {
    "mistral": {"temperature": 0.3, "max_tokens": 50, "top_p": 0.9, "stop": ["END"], "random_seed": 7},
    "groq": {"temperature": 0.3, "max_tokens": 50, "top_p": 0.9, "stop": ["END"], "seed": 7},
    "together": {"temperature": 0.3, "max_tokens": 50, "top_p": 0.9, "stop": ["END"], "seed": 7},
    "cohere": {"temperature": 0.3, "max_tokens": 50, "p": 0.9, "stop_sequences": ["END"], "seed": 7},
}
SDKS = {"mistral": "mistralai.client", "groq": "groq", "together": "together", "cohere": "cohere"}


def make_server(provider: str, replies: Any = None) -> Any:
    if provider == "cohere":
        return CohereTestServer(replies, model=MODELS[provider])
    return OpenAITestServer(replies, dialect=provider, model=MODELS[provider])


@pytest.fixture(params=PROVIDERS)
def provider(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def server(provider: str) -> Iterator[Any]:
    with make_server(provider) as srv:
        yield srv


def llm_config(server: Any) -> dict[str, Any]:
    return {"config_list": server.config_list(), "cache_seed": None}


def chat_bodies(server: Any) -> list[dict[str, Any]]:
    return [r.body for r in server.requests if r.path.split("?")[0] in PATHS.values()]


USAGE = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}


# ---- plain chat ------------------------------------------------------------------------------------------
def test_plain_chat_sends_options_under_the_providers_names_and_counts_usage_and_cost(provider, server):
    server.script({"content": "Hello there.", "usage": USAGE})
    wrapper = OpenAIWrapper(config_list=server.config_list(), cache_seed=None)
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi", "name": "alice"}]
    response = wrapper.create(messages=messages, temperature=0.3, max_tokens=50, top_p=0.9, stop=["END"], seed=7)

    assert wrapper.extract_text_or_completion_object(response) == ["Hello there."]
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (11, 7)
    prompt_price, completion_price = lookup_price(MODELS[provider])
    assert response.cost == pytest.approx((11 * prompt_price + 7 * completion_price) / 1000)
    assert wrapper.total_usage_summary[MODELS[provider]]["total_tokens"] == 18
    request = server.requests[0]
    assert request.path == PATHS[provider]
    assert request.headers["authorization"] == f"Bearer {server.api_key}"
    body = request.body
    assert {k: body[k] for k in SENT_OPTIONS[provider]} == SENT_OPTIONS[provider]
    assert body["messages"][0] == {"role": "system", "content": "Be brief."}
    assert body["messages"][1]["role"] == "user" and body["messages"][1]["content"] == "Hi"


def test_message_names_are_kept_only_where_the_provider_takes_them(provider, server):
    server.script("ok")
    OpenAIWrapper(config_list=server.config_list(), cache_seed=None).create(
        messages=[{"role": "user", "content": "Hi", "name": "alice"}]
    )
    sent = chat_bodies(server)[0]["messages"][-1]
    assert sent.get("name") == ("alice" if provider in ("groq", "together") else None)


def test_a_parameter_the_provider_does_not_take_is_dropped_with_one_warning(provider, server):
    server.script("one", "two")
    wrapper = OpenAIWrapper(config_list=server.config_list(logit_bias={"1": 2}), cache_seed=None)
    with pytest.warns(UserWarning, match="does not take the parameter 'logit_bias'"):
        wrapper.create(messages=[{"role": "user", "content": "Hi"}])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wrapper.create(messages=[{"role": "user", "content": "Hi"}])
    assert all("logit_bias" not in body for body in chat_bodies(server))


def test_json_mode_images_and_a_forced_tool_reach_the_wire(provider, server):
    server.script({"content": None, "tool_calls": [{"name": "lookup", "arguments": {"q": "x"}}]})
    tools = [
        {"type": "function", "function": {"name": name, "parameters": {"type": "object", "properties": {}}}}
        for name in ("lookup", "other")
    ]
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    content = [{"type": "text", "text": "What is this?"}, image]
    OpenAIWrapper(config_list=server.config_list(), cache_seed=None).create(
        messages=[{"role": "user", "content": content}],
        tools=tools,
        tool_choice={"type": "function", "function": {"name": "lookup"}},
        response_format={"type": "json_object"},
    )
    body = chat_bodies(server)[0]
    parts = body["messages"][-1]["content"]
    assert [p["type"] for p in parts] == ["text", "image_url"]
    assert parts[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert body["response_format"]["type"] == "json_object"
    if provider == "cohere":  # one named function: only it is offered, and a call is required
        assert body["tool_choice"] == "REQUIRED"
        assert [t["function"]["name"] for t in body["tools"]] == ["lookup"]
    else:
        assert body["tool_choice"] == {"type": "function", "function": {"name": "lookup"}}
        assert len(body["tools"]) == 2


# ---- tools -----------------------------------------------------------------------------------------------
def test_multi_turn_tool_use_with_parallel_calls(provider, server):
    calls = [{"name": "add", "arguments": {"a": 1, "b": 2}}, {"name": "mul", "arguments": {"a": 3, "b": 4}}]
    server.script({"content": None, "tool_calls": calls}, "The sum is 3 and the product 12. TERMINATE")
    assistant = AssistantAgent("assistant", llm_config=llm_config(server))
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        code_execution_config=False,
        is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
    )

    @user.register_for_execution()
    @assistant.register_for_llm(description="Add two numbers.")
    def add(a: int, b: int) -> int:
        return a + b

    @user.register_for_execution()
    @assistant.register_for_llm(description="Multiply two numbers.")
    def mul(a: int, b: int) -> int:
        return a * b

    result = user.initiate_chat(assistant, message="Compute 1+2 and 3*4.")

    assert result.chat_history[-1]["content"] == "The sum is 3 and the product 12. TERMINATE"
    first, second = chat_bodies(server)
    assert sorted(t["function"]["name"] for t in first["tools"]) == ["add", "mul"]
    turn = [m for m in second["messages"] if m["role"] == "assistant" and m.get("tool_calls")]
    assert len(turn) == 1
    call_ids = [c["id"] for c in turn[0]["tool_calls"]]
    assert [c["function"]["name"] for c in turn[0]["tool_calls"]] == ["add", "mul"]
    results = [(m["tool_call_id"], m["content"]) for m in second["messages"] if m["role"] == "tool"]
    assert results == [(call_ids[0], "3"), (call_ids[1], "12")]


# ---- streaming -------------------------------------------------------------------------------------------
def test_streaming_text_and_parallel_tool_calls_with_the_servers_usage(provider, server, captured_io):
    calls = [{"name": "add", "arguments": {"a": 1}}, {"name": "mul", "arguments": {"b": 2}}]
    server.script(
        {"content": "Streaming works fine.", "usage": USAGE},
        {"content": None, "tool_calls": calls, "usage": USAGE},
    )
    wrapper = OpenAIWrapper(config_list=server.config_list(), cache_seed=None)
    text = wrapper.create(messages=[{"role": "user", "content": "Hi"}], stream=True)
    tools = wrapper.create(messages=[{"role": "user", "content": "Hi"}], stream=True)

    assert all(body["stream"] is True for body in chat_bodies(server))
    assert text.choices[0].message.content == "Streaming works fine."
    assert "Streaming works fine." in captured_io.text
    assert (text.usage.prompt_tokens, text.usage.completion_tokens) == (11, 7)
    got = [(c.function.name, c.function.arguments) for c in tools.choices[0].message.tool_calls]
    assert got == [("add", '{"a": 1}'), ("mul", '{"b": 2}')]
    assert tools.choices[0].finish_reason == "tool_calls"
    assert (tools.usage.prompt_tokens, tools.usage.completion_tokens) == (11, 7)
    assert wrapper.actual_usage_summary[MODELS[provider]]["total_tokens"] == 36


# ---- errors: retries and fallback -------------------------------------------------------------------------
def test_a_429_is_retried_after_the_servers_retry_after_then_succeeds(provider, server):
    server.script(Fail(429, "Rate limit reached", headers={"retry-after": "0.2"}), "after the wait")
    wrapper = OpenAIWrapper(config_list=server.config_list(), cache_seed=None)
    started = time.monotonic()
    response = wrapper.create(messages=[{"role": "user", "content": "Hi"}])
    waited = time.monotonic() - started

    assert response.choices[0].message.content == "after the wait"
    assert len(chat_bodies(server)) == 2
    assert 0.2 <= waited < 5  # the header's 0.2 s, not the (test-shortened) backoff


def test_an_auth_error_moves_on_to_the_next_config_without_retrying(provider, server):
    with make_server(provider, ["from the second config"]) as second:
        wrong = server.config_list(api_key="wrong-key-0123456789")[0]
        wrapper = OpenAIWrapper(config_list=[wrong, *second.config_list()], cache_seed=None)
        response = wrapper.create(messages=[{"role": "user", "content": "Hi"}])

    assert response.choices[0].message.content == "from the second config"
    assert response.config_id == 1
    assert len(server.requests) == 1  # a 401 is not retried


def test_when_every_config_fails_the_error_names_each_config_and_no_key(provider, server):
    key = "wrong-key-abcdefghijklmnop"
    server.script(Fail(503, "overloaded"), Fail(503, "overloaded"), Fail(503, "overloaded"))
    configs = [server.config_list(api_key=key)[0], server.config_list(max_retries=2)[0]]
    wrapper = OpenAIWrapper(config_list=configs, cache_seed=None)
    with pytest.raises(AllConfigsFailedError) as caught:
        wrapper.create(messages=[{"role": "user", "content": "Hi"}])

    message = str(caught.value)
    assert "config 0" in message and "config 1" in message
    assert message.count(MODELS[provider]) == 2
    assert "127.0.0.1" in message
    assert key not in message and server.api_key not in message
    assert "after 3 tries" in message


# ---- agents --------------------------------------------------------------------------------------------
def test_group_chat_with_auto_speaker_selection(provider, server):
    config = llm_config(server)
    alice = AssistantAgent("alice", llm_config=config, description="Writes the plan.")
    bob = AssistantAgent("bob", llm_config=config, description="Reviews the plan.")
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    chat = GroupChat([user, alice, bob], messages=[], max_round=3, speaker_selection_method="auto")
    manager = GroupChatManager(chat, llm_config=config)
    server.script("bob", "Bob reviewed it.", "alice", "Alice's plan.")

    user.initiate_chat(manager, message="Plan a picnic.")

    assert [(m.get("name"), m["content"]) for m in chat.messages] == [
        ("user", "Plan a picnic."),
        ("bob", "Bob reviewed it."),
        ("alice", "Alice's plan."),
    ]
    bodies = chat_bodies(server)
    assert len(bodies) == 4  # selection, bob, selection, alice
    selection = " ".join(str(m.get("content")) for m in bodies[2]["messages"])
    assert all(name in selection for name in ("user", "alice", "bob"))
    assert "Bob reviewed it." in selection  # the selector saw the conversation so far


def test_two_agent_initiate_chat(provider, server):
    server.script("First answer.", "Second answer. TERMINATE")
    assistant = AssistantAgent("assistant", llm_config=llm_config(server))
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, default_auto_reply="more")
    result = user.initiate_chat(assistant, message="Tell me something.", max_turns=2)

    assert [m["content"] for m in result.chat_history] == [
        "Tell me something.",
        "First answer.",
        "more",
        "Second answer. TERMINATE",
    ]
    second = chat_bodies(server)[1]["messages"]
    assert [m["content"] for m in second[1:]] == ["Tell me something.", "First answer.", "more"]
    assert result.cost["usage_including_cached_inference"][MODELS[provider]]["cost"] > 0


# ---- configuration ---------------------------------------------------------------------------------------
def test_a_base_url_with_the_path_the_sdk_adds_itself_is_understood(provider, server):
    server.script("ok")
    config = server.config_list()[0]
    config["base_url"] = config["base_url"].rstrip("/") + "/"
    response = OpenAIWrapper(config_list=[config], cache_seed=None).create(messages=[{"role": "user", "content": "Hi"}])
    assert response.choices[0].message.content == "ok"
    assert server.requests[0].path == PATHS[provider]


ENV_KEYS = {
    "mistral": "MISTRAL_API_KEY",
    "groq": "GROQ_API_KEY",
    "together": "TOGETHER_API_KEY",
    "cohere": "CO_API_KEY",
}


def test_no_key_in_the_config_nor_the_environment_is_a_clear_error(provider, monkeypatch):
    monkeypatch.delenv(ENV_KEYS[provider], raising=False)
    with pytest.raises(ValueError, match=ENV_KEYS[provider]):
        OpenAIWrapper(config_list=[{"api_type": provider, "model": MODELS[provider]}])


def test_the_key_is_read_from_the_providers_environment_variable(provider, server, monkeypatch):
    monkeypatch.setenv(ENV_KEYS[provider], server.api_key)
    server.script("ok")
    config = {k: v for k, v in server.config_list()[0].items() if k != "api_key"}
    response = OpenAIWrapper(config_list=[config], cache_seed=None).create(messages=[{"role": "user", "content": "Hi"}])
    assert response.choices[0].message.content == "ok"


def test_a_missing_sdk_names_the_pip_install_command(provider, monkeypatch):
    monkeypatch.setitem(sys.modules, SDKS[provider], None)  # import of it now fails
    with pytest.raises(ProviderSDKMissingError, match=rf'pip install "autogen\[{provider}\]"'):
        make_provider_client(provider, {"model": MODELS[provider], "api_key": "k"})


def test_autogen_config_check_tries_the_provider(provider, server, tmp_path):
    from autogen._sync import run_sync
    from autogen.cli._endpoints import load_config_list
    from autogen.cli.config_check import check_entry

    server.script("OK")
    path = tmp_path / "OAI_CONFIG_LIST"
    path.write_text(json.dumps(server.config_list()))
    config_list, _ = load_config_list(str(path))
    result = run_sync(check_entry(config_list[0], 10))

    assert result.ok, result.detail
    assert chat_bodies(server)[0]["model"] == MODELS[provider]


TOOL = {"type": "function", "function": {"name": "add", "parameters": {"type": "object", "properties": {}}}}
RAN = [
    {"role": "user", "content": "Add."},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "c1", "function": {"name": "add", "arguments": "{}"}}],
    },
    {"role": "tool", "tool_call_id": "c1", "content": "3"},
]


def test_hide_tools_leaves_the_tools_out_once_they_ran_as_0_2(provider, server):
    server.script("first", "second")
    wrapper = OpenAIWrapper(config_list=server.config_list(hide_tools="if_all_run"), cache_seed=None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # hide_tools is taken, not warned about
        wrapper.create(messages=RAN[:1], tools=[TOOL])
        wrapper.create(messages=RAN, tools=[TOOL])
    first, second = chat_bodies(server)
    assert [t["function"]["name"] for t in first["tools"]] == ["add"]
    assert "tools" not in second and "hide_tools" not in second


def test_mistral_gets_a_user_turn_after_a_conversation_that_ends_otherwise():
    with make_server("mistral", ["ok"]) as server:
        OpenAIWrapper(config_list=server.config_list(), cache_seed=None).create(
            messages=[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]
        )
    assert [m["role"] for m in chat_bodies(server)[0]["messages"]] == ["user", "assistant", "user"]


async def test_an_async_chat_uses_the_sdks_async_client_on_the_callers_loop(provider, server):
    server.script("Async answer. TERMINATE")
    assistant = AssistantAgent("assistant", llm_config=llm_config(server))
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    result = await user.a_initiate_chat(assistant, message="Hi", max_turns=1)
    assert result.chat_history[-1]["content"] == "Async answer. TERMINATE"


def test_a_silent_endpoint_is_cut_off_at_the_configs_timeout(provider, server):
    from autogen.testing import Hang

    server.script(Hang(30))
    wrapper = OpenAIWrapper(config_list=server.config_list(timeout=0.5, max_retries=0), cache_seed=None)
    started = time.monotonic()
    with pytest.raises(AllConfigsFailedError, match="timeout"):
        wrapper.create(messages=[{"role": "user", "content": "Hi"}])
    assert time.monotonic() - started < 5


def test_answers_are_cached_and_replayed_without_a_request(provider, server, tmp_path):
    from autogen import Cache

    server.script({"content": "cached answer", "usage": USAGE})
    wrapper = OpenAIWrapper(config_list=server.config_list())
    with Cache.disk(cache_path_root=str(tmp_path)) as cache:
        first = wrapper.create(messages=[{"role": "user", "content": "Hi"}], cache=cache)
        again = wrapper.create(messages=[{"role": "user", "content": "Hi"}], cache=cache)
    assert again.choices[0].message.content == first.choices[0].message.content == "cached answer"
    assert len(chat_bodies(server)) == 1
    assert wrapper.actual_usage_summary[MODELS[provider]]["total_tokens"] == 18
    assert wrapper.total_usage_summary[MODELS[provider]]["total_tokens"] == 36


@pytest.mark.parametrize(("choice", "sent"), [("none", "NONE"), ("required", "REQUIRED"), ("auto", None)])
def test_cohere_tool_choice_and_json_schema_on_its_wire(choice, sent):
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    response_format = {"type": "json_schema", "json_schema": {"name": "out", "schema": schema}}
    with make_server("cohere", ['{"a": 1}']) as server:
        OpenAIWrapper(config_list=server.config_list(), cache_seed=None).create(
            messages=[{"role": "user", "content": "Hi"}],
            tools=[TOOL],
            tool_choice=choice,
            response_format=response_format,
        )
    body = chat_bodies(server)[0]
    assert body.get("tool_choice") == sent
    assert body["response_format"] == {"type": "json_object", "json_schema": schema}
