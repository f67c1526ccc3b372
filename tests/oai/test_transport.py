"""Shared SDK clients: created lazily, one per (loop, endpoint, key, options)."""

from __future__ import annotations

import asyncio

from autogen._sync import run_sync
from autogen.oai.client import OpenAIWrapper
from autogen.oai.transport import (
    MAX_CLIENTS_PER_ENDPOINT,
    REQUESTS_PER_CLIENT,
    aclose_shared_clients,
    shared_client_count,
)

MESSAGES = [{"role": "user", "content": "hi"}]


async def test_wrappers_with_same_config_share_one_sdk_client(server):
    server.default_reply = "ok"
    await aclose_shared_clients()
    wrappers = [OpenAIWrapper(config_list=server.config_list()) for _ in range(200)]
    assert shared_client_count() == 0  # nothing is built before the first call
    for wrapper in wrappers[:20]:
        await wrapper.a_create(messages=MESSAGES)
    assert shared_client_count() == 1
    sdk_clients = {id(w._clients[0]._sdk_client()) for w in wrappers[:20]}
    assert len(sdk_clients) == 1
    await aclose_shared_clients()


async def test_concurrent_sdk_requests_spread_over_a_bounded_number_of_clients(server):
    server.default_reply = "ok"
    server.latency = 0.05  # keep the requests in flight together
    await aclose_shared_clients()
    wrappers = [OpenAIWrapper(config_list=server.config_list()) for _ in range(100)]
    # streams go through the SDK (httpx), whose pool gets slow with many requests per client
    await asyncio.gather(*[w.a_create(messages=MESSAGES, stream=True) for w in wrappers])
    expected = min(MAX_CLIENTS_PER_ENDPOINT, -(-100 // REQUESTS_PER_CLIENT))
    assert shared_client_count() == expected
    await asyncio.gather(*[w.a_create(messages=MESSAGES, stream=True) for w in wrappers])
    assert shared_client_count() == expected  # reused, not rebuilt
    await aclose_shared_clients()


async def test_concurrent_direct_requests_share_one_session(server):
    server.default_reply = "ok"
    server.latency = 0.05
    await aclose_shared_clients()
    wrappers = [OpenAIWrapper(config_list=server.config_list()) for _ in range(100)]
    answers = await asyncio.gather(*[w.a_create(messages=MESSAGES) for w in wrappers])
    assert [a.choices[0].message.content for a in answers] == ["ok"] * 100
    assert shared_client_count() == 1  # one aiohttp session (its connector pools the connections)
    await aclose_shared_clients()


async def test_different_keys_or_options_get_different_clients(server):
    server.api_key = None
    server.default_reply = "ok"
    await aclose_shared_clients()
    await OpenAIWrapper(config_list=server.config_list(api_key="k1")).a_create(messages=MESSAGES)
    await OpenAIWrapper(config_list=server.config_list(api_key="k2")).a_create(messages=MESSAGES)
    await OpenAIWrapper(config_list=server.config_list(api_key="k1", timeout=5)).a_create(messages=MESSAGES)
    assert shared_client_count() == 3
    await aclose_shared_clients()


def test_sync_calls_reuse_the_threads_client(server):
    server.default_reply = "ok"
    wrapper = OpenAIWrapper(config_list=server.config_list())
    wrapper.create(messages=MESSAGES)

    async def current_sdk_client():
        return wrapper._clients[0]._sdk_client()

    first = run_sync(current_sdk_client())
    wrapper.create(messages=MESSAGES)
    assert run_sync(current_sdk_client()) is first
