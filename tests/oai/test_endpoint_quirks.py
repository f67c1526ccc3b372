"""llama.cpp quirks: what the server receives, and that OpenAI requests are left alone."""

from __future__ import annotations

import logging

import pytest

from autogen.oai.client import OpenAIWrapper
from autogen.oai.endpoint_quirks import UnsupportedByEndpointError

TOOL = {"type": "function", "function": {"name": "add", "parameters": {"type": "object", "properties": {}}}}
TOOL2 = {"type": "function", "function": {"name": "mul", "parameters": {"type": "object", "properties": {}}}}
HISTORY = [
    {"role": "user", "content": "add"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "add", "arguments": "{}"}}],
    },
    {"role": "tool", "tool_call_id": "c1", "content": "3"},
]
SCHEMA_FORMAT = {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object"}}}


def llama(server):
    return OpenAIWrapper(config_list=server.config_list(api_type="llama.cpp"))


def openai_like(server):
    return OpenAIWrapper(config_list=server.config_list())


def test_llama_cpp_gets_max_tokens_instead_of_max_completion_tokens(server):
    server.script("ok")
    llama(server).create(messages=HISTORY[:1], max_completion_tokens=12)
    body = server.chat_requests[0]
    assert body["max_tokens"] == 12
    assert "max_completion_tokens" not in body


def test_llama_cpp_gets_empty_content_for_tool_call_messages(server):
    server.script("ok")
    llama(server).create(messages=HISTORY)
    assert server.chat_requests[0]["messages"][1]["content"] == ""


def test_llama_cpp_required_tool_choice_with_one_tool_becomes_named(server):
    server.script("ok")
    llama(server).create(messages=HISTORY[:1], tools=[TOOL], tool_choice="required")
    assert server.chat_requests[0]["tool_choice"] == {"type": "function", "function": {"name": "add"}}


def test_llama_cpp_required_tool_choice_with_several_tools_is_a_clear_error(server):
    with pytest.raises(UnsupportedByEndpointError, match='tool_choice="required" with 2 tools'):
        llama(server).create(messages=HISTORY[:1], tools=[TOOL, TOOL2], tool_choice="required")
    assert server.requests == []


def test_llama_cpp_json_schema_becomes_json_object_with_schema(server):
    server.script("{}")
    llama(server).create(messages=HISTORY[:1], response_format=SCHEMA_FORMAT)
    assert server.chat_requests[0]["response_format"] == {"type": "json_object", "schema": {"type": "object"}}


def test_llama_cpp_n_above_one_is_dropped_with_warning(server, caplog):
    server.script("ok")
    with caplog.at_level(logging.WARNING, logger="autogen.oai.endpoint_quirks"):
        llama(server).create(messages=HISTORY[:1], n=3)
    assert "n" not in server.chat_requests[0]


def test_openai_endpoint_gets_request_unchanged(server):
    server.script("ok")
    openai_like(server).create(
        messages=HISTORY, max_completion_tokens=12, tools=[TOOL], tool_choice="required", response_format=SCHEMA_FORMAT
    )
    body = server.chat_requests[0]
    assert body["max_completion_tokens"] == 12
    assert body["messages"][1]["content"] is None
    assert body["tool_choice"] == "required"
    assert body["response_format"] == SCHEMA_FORMAT


def test_quirks_do_not_change_the_callers_messages(server):
    server.script("ok")
    history = [dict(m) for m in HISTORY]
    llama(server).create(messages=history)
    assert history[1]["content"] is None


def test_llama_cpp_without_key_never_gets_the_users_openai_key(server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-users-real-openai-key")
    server.api_key = None
    server.script("ok")
    OpenAIWrapper(config_list=[{"model": "m", "base_url": server.base_url, "api_type": "llama.cpp"}]).create(
        messages=HISTORY[:1]
    )
    assert "sk-users-real-openai-key" not in server.requests[0].headers["authorization"]


DOUBLE_ANSWER = {
    "content": None,
    "tool_calls": [{"name": "add", "arguments": {"a": 1}}],
    "function_call": {"name": "add", "arguments": {"a": 1}},
}


@pytest.mark.parametrize("stream", [False, True])
def test_llama_cpp_duplicate_function_call_is_dropped_when_only_tools_were_offered(server, stream):
    server.script(DOUBLE_ANSWER)
    response = llama(server).create(messages=HISTORY[:1], tools=[TOOL], stream=stream)
    message = response.choices[0].message
    assert message.tool_calls[0].function.name == "add"
    assert message.function_call is None


def test_llama_cpp_function_call_is_kept_when_legacy_functions_were_offered(server):
    server.script(DOUBLE_ANSWER)
    functions = [TOOL["function"]]
    message = llama(server).create(messages=HISTORY[:1], functions=functions).choices[0].message
    assert message.function_call.name == "add"


def test_openai_answers_keep_both_tool_calls_and_function_call(server):
    server.script(DOUBLE_ANSWER)
    message = openai_like(server).create(messages=HISTORY[:1], tools=[TOOL]).choices[0].message
    assert message.function_call.name == "add"
