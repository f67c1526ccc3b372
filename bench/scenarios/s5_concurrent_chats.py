"""Scenario 5: many concurrent two-agent chats via ``a_initiate_chat`` against a server with latency."""

from __future__ import annotations

import asyncio

import _common


async def chats(ctx: _common.Context, n: int, turns: int, latency: float) -> dict:
    config = ctx.llm_config(ctx.slow_url)
    pairs = _common.chat_pairs(n, config)
    await pairs[0][0].a_initiate_chat(pairs[0][1], message="Warm up.", max_turns=1)
    before = ctx.stats(ctx.slow_url)
    with _common.Measure() as m:
        await asyncio.gather(*(user.a_initiate_chat(bot, message="Hello.", max_turns=turns) for user, bot in pairs))
    calls = ctx.calls_since(before, ctx.slow_url)
    return _common.concurrency_figures(m, calls, turns, latency)


def scenario(ctx: _common.Context) -> dict:
    n = int(ctx.params.get("chats", 100))
    turns = int(ctx.params.get("turns", 3))
    latency = float(ctx.params["latency"])
    return asyncio.run(chats(ctx, n, turns, latency))


if __name__ == "__main__":
    _common.run(scenario)
