"""Endpoints that misbehave: calls that never end, huge or empty answers, redirects, per-request loops."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import time

import httpx
import openai
import pytest

from autogen.oai import openai_client
from autogen.oai.client import OpenAIWrapper
from autogen.oai.errors import AllConfigsFailedError, InvalidResponseError, ResponseTooLargeError
from autogen.testing import EndlessStream, Garbage, GzipBomb, Hang, Redirect, Trickle

MESSAGES = [{"role": "user", "content": "hi"}]
AZURE_KEY = "0123456789abcdef0123456789abcdef"  # Azure keys are 32 hex digits, nothing like sk-...


def _completion(**overrides: object) -> str:
    body = {
        "id": "chatcmpl-x",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "x"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    body.update(overrides)
    return json.dumps(body)


# ---- calls that never end --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fault, stream",
    [(EndlessStream(interval=0.05), True), (Trickle(interval=0.2), False), (Hang(30), False)],
    ids=["endless-stream", "one-byte-per-interval", "silent"],
)
def test_the_timeout_bounds_the_whole_attempt(server, fault, stream):
    server.script(fault)
    wrapper = OpenAIWrapper(config_list=server.config_list(timeout=1, max_retries=0))
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError, match="timeout=1 s"):
        wrapper.create(messages=MESSAGES, stream=stream)
    assert time.monotonic() - started < 3


def test_default_timeout_is_one_a_person_would_wait_for():
    assert 0 < openai_client.DEFAULT_TIMEOUT <= 120


def test_a_config_without_timeout_gets_the_default_deadline(server, monkeypatch):
    monkeypatch.setattr(openai_client, "DEFAULT_TIMEOUT", 0.5)
    server.script(Hang(30))
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=0))
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        wrapper.create(messages=MESSAGES)
    assert time.monotonic() - started < 2.5


def test_a_timed_out_attempt_is_retried(server):
    server.script(Trickle(interval=0.2), "second try")
    wrapper = OpenAIWrapper(config_list=server.config_list(timeout=0.5, max_retries=1))
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "second try"


# ---- answers that are too large -----------------------------------------------------------------------
def test_a_gzip_bomb_is_refused_by_its_decompressed_size(server, server2):
    server.script(GzipBomb(size=8 * 1024 * 1024))  # ~8 KB on the wire, 8 MB inflated
    server2.script("backup")
    wrapper = OpenAIWrapper(
        config_list=server.config_list(max_response_bytes=1024 * 1024, max_retries=3) + server2.config_list()
    )
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "backup"
    assert len(server.chat_requests) == 1  # refused, not retried


def test_a_too_large_answer_names_the_setting(server):
    server.script(GzipBomb(size=4 * 1024 * 1024))
    wrapper = OpenAIWrapper(config_list=server.config_list(max_response_bytes=100_000))
    with pytest.raises(ResponseTooLargeError, match="max_response_bytes=100000"):
        wrapper.create(messages=MESSAGES)


def test_an_endless_stream_stops_at_the_size_cap(server):
    server.script(EndlessStream(interval=0.0005, chunk="x" * 500))
    wrapper = OpenAIWrapper(config_list=server.config_list(max_response_bytes=50_000, timeout=10, max_retries=0))
    started = time.monotonic()
    with pytest.raises(ResponseTooLargeError):
        wrapper.create(messages=MESSAGES, stream=True)
    assert time.monotonic() - started < 5


def test_the_default_cap_is_32_mb():
    from autogen.oai.http_guard import DEFAULT_MAX_RESPONSE_BYTES

    assert DEFAULT_MAX_RESPONSE_BYTES == 32 * 1024 * 1024


async def test_gzip_answers_under_the_cap_are_decoded():
    import gzip

    from autogen.oai.http_guard import HttpGuard

    payload = gzip.compress(_completion().encode())

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["accept-encoding"] == "gzip, deflate"
        return httpx.Response(200, content=payload, headers={"content-encoding": "gzip"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        HttpGuard(max_response_bytes=10_000).install(client)
        response = await client.get("http://example.test/")
        assert response.json()["choices"][0]["message"]["content"] == "x"


# ---- empty answers ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        _completion(choices=[]),
        _completion(choices=[{"index": 0, "message": None, "finish_reason": "stop"}]),
    ],
    ids=["choices-empty", "message-null"],
)
def test_an_answer_without_a_message_is_retried_then_falls_back(server, server2, body):
    server.script(Garbage(body), Garbage(body))
    server2.script("backup")
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=1) + server2.config_list())
    response = wrapper.create(messages=MESSAGES)
    assert response.choices[0].message.content == "backup"
    assert len(server.chat_requests) == 2


def test_an_answer_without_choices_on_the_last_config_is_an_invalid_response_error(server):
    server.script(Garbage(_completion(choices=[])))
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=0))
    with pytest.raises(InvalidResponseError, match="no choices") as info:
        wrapper.create(messages=MESSAGES)
    assert isinstance(info.value, AllConfigsFailedError)


# ---- redirects ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["azure", "openai"])
def test_credentials_are_not_sent_to_another_origin_on_redirect(server, server2, kind):
    server.api_key = None
    server2.api_key = None
    server.script(Redirect(f"http://127.0.0.1:{server2.port}/v1/chat/completions"))
    server2.script("from the other origin")
    if kind == "azure":
        config = {"model": "gpt-4o-mini", "api_type": "azure", "api_version": "2024-06-01"}
        config.update(base_url=f"http://127.0.0.1:{server.port}", api_key=AZURE_KEY)
    else:
        config = server.config_list(api_key=AZURE_KEY)[0]
    wrapper = OpenAIWrapper(config_list=[config])
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "from the other origin"
    sent = server.requests[0].headers
    assert AZURE_KEY in (sent.get("api-key", "") + sent.get("authorization", ""))  # the endpoint itself gets it
    forwarded = server2.requests[0].headers
    assert "api-key" not in forwarded
    assert "authorization" not in forwarded
    assert AZURE_KEY not in json.dumps(forwarded)


def test_a_redirect_within_the_origin_keeps_the_credentials(server):
    server.api_key = AZURE_KEY
    server.script(Redirect(f"http://127.0.0.1:{server.port}/v1/chat/completions?moved=1"), "same origin")
    wrapper = OpenAIWrapper(config_list=server.config_list(api_key=AZURE_KEY))
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "same origin"


# ---- one event loop per request -------------------------------------------------------------------------
def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open file descriptors in /proc")
def test_asyncio_run_per_request_keeps_no_sockets_open(server):
    server.default_reply = "ok"
    config_list = server.config_list()

    async def one_request() -> None:
        await OpenAIWrapper(config_list=config_list).a_create(messages=MESSAGES)

    asyncio.run(one_request())  # first use: imports, TLS context
    gc.collect()
    before = _open_fds()
    for _ in range(30):
        asyncio.run(one_request())
    time.sleep(0.1)  # the server thread closes its side
    assert _open_fds() - before <= 3


def test_an_http_client_from_another_event_loop_is_refused_clearly(server):
    server.default_reply = "ok"

    async def first() -> OpenAIWrapper:
        wrapper = OpenAIWrapper(config_list=server.config_list(http_client=httpx.AsyncClient()))
        await wrapper.a_create(messages=MESSAGES)
        return wrapper

    wrapper = asyncio.run(first())
    with pytest.raises(RuntimeError, match="another event loop") as info:
        asyncio.run(wrapper.a_create(messages=MESSAGES))
    assert "leave http_client out" in str(info.value)
    assert len(server.chat_requests) == 1
