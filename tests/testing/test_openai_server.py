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


def _post(server: OpenAITestServer, **kw) -> httpx.Response:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], **kw.pop("json", {})}
    headers = {"authorization": f"Bearer {server.api_key}"}
    return httpx.post(f"{server.base_url}/chat/completions", json=body, headers=headers, **kw)


def test_redirect_answers_with_the_location(server):
    from autogen.testing import Redirect

    server.script(Redirect("http://elsewhere.test/v1/chat/completions", status=308))
    response = _post(server, follow_redirects=False, timeout=2)
    assert response.status_code == 308
    assert response.headers["location"] == "http://elsewhere.test/v1/chat/completions"


def test_gzip_bomb_is_small_on_the_wire_and_large_inflated(server):
    import zlib

    from autogen.testing import GzipBomb

    server.script(GzipBomb(size=2 * 1024 * 1024))
    server.api_key = None
    with httpx.stream("POST", f"{server.base_url}/chat/completions", json={"messages": []}, timeout=2) as response:
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert len(raw) < 20_000
    assert zlib.decompress(raw, zlib.MAX_WBITS | 16) == b" " * (2 * 1024 * 1024)


def test_trickle_sends_a_valid_completion_byte_by_byte(server):
    import time

    from autogen.testing import Trickle

    server.script(Trickle(body='{"ok": true}', interval=0.02))
    started = time.monotonic()
    response = _post(server, timeout=5)
    assert response.json() == {"ok": True}
    assert time.monotonic() - started >= 12 * 0.02 * 0.8


def test_endless_stream_never_finishes(server):
    from autogen.testing import EndlessStream

    server.script(EndlessStream(interval=0.001, chunk="more "))
    server.api_key = None
    events = 0
    body = {"messages": [], "stream": True}
    with httpx.stream("POST", f"{server.base_url}/chat/completions", json=body, timeout=2) as r:
        for line in r.iter_lines():
            if line.startswith("data: "):
                assert json.loads(line[6:])["choices"][0]["finish_reason"] is None
                events += 1
            if events == 200:
                break
    assert events == 200
