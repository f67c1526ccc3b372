"""Scenario 5: many concurrent two-agent chats via ``a_initiate_chat`` against a server with latency."""

from __future__ import annotations

import asyncio

import _common


async def chats(ctx: _common.Context, n: int, turns: int) -> dict:
    config = ctx.llm_config(ctx.slow_url)
    pairs = _common.chat_pairs(n, config)
    await pairs[0][0].a_initiate_chat(pairs[0][1], message="Warm up.", max_turns=1)
    before = ctx.stats(ctx.slow_url)
    with _common.Measure() as m:
        await asyncio.gather(*(user.a_initiate_chat(bot, message="Hello.", max_turns=turns) for user, bot in pairs))
    calls = ctx.calls_since(before, ctx.slow_url)
    return {"wall_s": m.wall, "cpu_s": m.cpu, "gc_s": m.gc, "calls": calls}


def scenario(ctx: _common.Context) -> dict:
    n = int(ctx.params.get("chats", 100))
    turns = int(ctx.params.get("turns", 3))
    latency = float(ctx.params["latency"])
    result = asyncio.run(chats(ctx, n, turns))
    ideal = turns * latency
    result["ideal_s"] = ideal
    result["x_ideal"] = result["wall_s"] / ideal
    result["cpu_ms_per_call"] = result["cpu_s"] * 1000 / max(result["calls"], 1)
    result["gc_share"] = result["gc_s"] / result["cpu_s"] if result["cpu_s"] else 0.0
    return result


if __name__ == "__main__":
    _common.run(scenario)
