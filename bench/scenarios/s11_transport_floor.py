"""Scenario 11: the transport floor of scenarios 1, 5 and 10 (issue 18) - the same requests with no framework.

Each "chat" sends the requests an assistant would (a system message, the history growing by the reply and
"Go on." each turn) with one shared aiohttp session and orjson, exactly as many and at the same concurrency
as scenarios 5 and 10, against the same servers. No agents, no wrapper, no retries: what the HTTP client and
the event loop cost on these cores. A target below this floor cannot be met by any framework built on the
same client here. It starts with scenario 1's floor: a new process's first answer with nothing imported but
the client. Runs with this project's interpreter only (it needs aiohttp and orjson, not autogen).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import _common

HEADERS = {"Authorization": f"Bearer {_common.API_KEY}", "Content-Type": "application/json"}


async def shape(url: str, chats: int, turns: int, latency: float) -> dict[str, float]:
    """``chats`` concurrent conversations of ``turns`` requests each; the figures of all of them."""
    import aiohttp
    import orjson

    endpoint = url + "/chat/completions"

    async def chat(session: Any) -> None:
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": "You answer briefly."},
            {"role": "user", "content": "Hello.", "name": "bench_user"},
        ]
        for _ in range(turns):
            body = orjson.dumps({"model": _common.MODEL, "messages": messages})
            async with session.post(endpoint, data=body, headers=HEADERS) as response:
                answer = orjson.loads(await response.read())
            messages.append({"role": "assistant", "content": answer["choices"][0]["message"]["content"]})
            messages.append({"role": "user", "content": "Go on.", "name": "bench_user"})

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        await chat(session)  # warm up: one connection, the parser, the first request
        with _common.Measure() as m:
            await asyncio.gather(*(chat(session) for _ in range(chats)))
    return _common.concurrency_figures(m, chats * turns, turns, latency)


async def first_response(url: str) -> float:
    """One request from a process that has not imported aiohttp yet; when its answer was read (epoch)."""
    import aiohttp
    import orjson

    body = orjson.dumps({"model": _common.MODEL, "messages": [{"role": "user", "content": "Hello there."}]})
    async with aiohttp.ClientSession() as session:  # noqa: SIM117 - bench scripts also run on Python 3.9
        async with session.post(url + "/chat/completions", data=body, headers=HEADERS) as response:
            orjson.loads(await response.read())
    return time.time()


def scenario(ctx: _common.Context) -> dict:
    # first, as scenario 1 does for a chat: a new process's first answer, here with nothing but the client
    result: dict[str, Any] = {"first_reply_epoch": asyncio.run(first_response(ctx.url))}
    _common.allow_many_sockets()
    turns = int(ctx.params.get("turns", 3))
    for tag, url, chats, latency in (
        ("s5", ctx.slow_url, int(ctx.params["chats5"]), float(ctx.params["latency5"])),
        ("s10", str(ctx.params["url"]), int(ctx.params["chats10"]), float(ctx.params["latency10"])),
    ):
        measured = asyncio.run(shape(url, chats, turns, latency))
        result.update({f"{tag}_{key}": measured[key] for key in ("x_ideal", "cpu_ms_per_call", "gc_share")})
    return result


if __name__ == "__main__":
    _common.run(scenario)
