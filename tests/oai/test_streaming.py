"""Streaming: tokens printed as they arrive, the full completion returned, usage from the stream or counted."""

from __future__ import annotations

import json

from autogen.oai.client import OpenAIWrapper
from autogen.testing import Fail, count_tokens

MESSAGES = [{"role": "user", "content": "hi"}]


def test_stream_prints_tokens_and_returns_full_text(server, captured_io):
    server.script("The quick brown fox jumps")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    response = wrapper.create(messages=MESSAGES, stream=True)
    assert response.choices[0].message.content == "The quick brown fox jumps"
    assert response.choices[0].finish_reason == "stop"
    assert len(captured_io.printed) > 2  # several pieces, not one print at the end
    assert captured_io.text.strip() == "The quick brown fox jumps"


def test_stream_assembles_tool_calls_from_deltas(server, captured_io):
    server.script(
        {"tool_calls": [{"name": "add", "arguments": {"a": 1, "b": 2}}, {"name": "mul", "arguments": {"x": 3}}]}
    )
    wrapper = OpenAIWrapper(config_list=server.config_list())
    response = wrapper.create(messages=MESSAGES, stream=True, tools=[])
    [message] = wrapper.extract_text_or_completion_object(response)
    calls = message.tool_calls
    assert [c.function.name for c in calls] == ["add", "mul"]
    assert [json.loads(c.function.arguments) for c in calls] == [{"a": 1, "b": 2}, {"x": 3}]
    assert calls[0].id == "call_0_add"
    assert response.choices[0].finish_reason == "tool_calls"


def test_stream_asks_server_for_usage_and_counts_it(server, captured_io):
    server.script("counted words")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    response = wrapper.create(messages=MESSAGES, stream=True)
    assert server.chat_requests[0]["stream_options"] == {"include_usage": True}
    assert response.usage.completion_tokens == count_tokens("counted words")
    assert wrapper.total_usage_summary[server.model]["completion_tokens"] == count_tokens("counted words")


def test_stream_without_usage_counts_tokens_locally(server, captured_io):
    server.script("no usage from this server")
    wrapper = OpenAIWrapper(config_list=server.config_list(api_type="llama.cpp"))
    response = wrapper.create(messages=MESSAGES, stream=True)
    assert "stream_options" not in server.chat_requests[0]
    assert response.usage.completion_tokens > 0
    assert response.usage.prompt_tokens > 0
    assert response.usage.total_tokens == response.usage.prompt_tokens + response.usage.completion_tokens


async def test_stream_from_async_create(server, captured_io):
    server.script("async stream")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    response = await wrapper.a_create(messages=MESSAGES, stream=True)
    assert response.choices[0].message.content == "async stream"
    assert "async stream" in captured_io.text


def test_server_rejecting_stream_options_is_asked_again_without(server, captured_io):
    def picky(body):
        if "stream_options" in body:
            return Fail(400, "Unrecognized request argument supplied: stream_options")
        return "fine without"

    server.default_reply = picky
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=0))
    first = wrapper.create(messages=MESSAGES, stream=True)
    second = wrapper.create(messages=MESSAGES, stream=True)
    assert first.choices[0].message.content == second.choices[0].message.content == "fine without"
    assert ["stream_options" in b for b in server.chat_requests] == [True, False, False]
    assert second.usage.completion_tokens > 0


def test_old_azure_api_version_is_not_sent_stream_options(server, captured_io):
    server.script("a", "b")
    base = {"model": "gpt-4o", "api_type": "azure", "base_url": f"http://127.0.0.1:{server.port}"}
    for version in ("2024-02-01", "2024-10-21"):
        config = {**base, "api_key": server.api_key, "api_version": version}
        OpenAIWrapper(config_list=[config]).create(messages=MESSAGES, stream=True)
    assert ["stream_options" in r.body for r in server.requests] == [False, True]
