"""The test server speaks OpenAI's protocol well enough for the official client."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from autogen.testing import BrokenStream, Fail, Garbage, Hang, OpenAITestServer, count_tokens


def _client(server: OpenAITestServer, **kw) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key=server.api_key, max_retries=0, **kw)


def _ask(client: openai.OpenAI, **kw):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], **kw)


def test_scripted_text_replies_come_back_in_order(server):
    server.script("first", "second")
    client = _client(server)
    assert _ask(client).choices[0].message.content == "first"
    assert _ask(client).choices[0].message.content == "second"
    assert server.pending == 0


def test_usage_counts_four_characters_per_token(server):
    server.script("x" * 40)
    usage = _ask(_client(server)).usage
    assert usage.completion_tokens == count_tokens("x" * 40) == 10
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_tool_calls_are_returned_with_json_arguments(server):
    server.script({"content": None, "tool_calls": [{"name": "add", "arguments": {"a": 1, "b": 2}}]})
    message = _ask(_client(server)).choices[0].message
    assert message.content is None
    assert message.tool_calls[0].function.name == "add"
    assert json.loads(message.tool_calls[0].function.arguments) == {"a": 1, "b": 2}


def test_stream_joins_to_the_scripted_text_and_reports_usage(server):
    server.script("streamed reply text")
    chunks = list(_ask(_client(server), stream=True, stream_options={"include_usage": True}))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "streamed reply text"
    assert chunks[-1].usage.completion_tokens == count_tokens(text)


def test_injected_errors_map_to_openai_exceptions(server):
    server.script(Fail(429), Fail(500), Garbage())
    client = _client(server)
    with pytest.raises(openai.RateLimitError):
        _ask(client)
    with pytest.raises(openai.InternalServerError):
        _ask(client)
    with pytest.raises(Exception) as garbage:
        _ask(client)
    assert not isinstance(garbage.value, openai.RateLimitError)


def test_hang_makes_the_client_time_out(server):
    server.script(Hang(30))
    with pytest.raises(openai.APITimeoutError):
        _ask(_client(server, timeout=0.3))


def test_broken_stream_raises_mid_stream(server):
    server.script(BrokenStream(after_chunks=2))
    with pytest.raises(httpx.RemoteProtocolError):
        list(_ask(_client(server), stream=True))


def test_wrong_api_key_is_rejected_with_401(server):
    client = openai.OpenAI(base_url=server.base_url, api_key="sk-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        _ask(client)


def test_empty_script_answers_500_naming_the_problem(server):
    with pytest.raises(openai.InternalServerError, match="no scripted reply left"):
        _ask(_client(server))


def test_requests_are_logged_with_their_bodies(server):
    server.script(lambda body: f"you said {body['messages'][-1]['content']}")
    assert _ask(_client(server)).choices[0].message.content == "you said hi"
    assert server.chat_requests[0]["messages"] == [{"role": "user", "content": "hi"}]
    assert server.requests[0].headers["authorization"] == f"Bearer {server.api_key}"
