"""Scenario 10: thousands of concurrent two-agent chats via ``a_initiate_chat`` at the model's speed (issue 18).

Each chat is 3 turns against a server that answers after 1 s (its own process, asyncio). Ideal wall time
is turns x latency; the scenario reports wall / ideal, CPU per LLM call, peak RSS and how many chats failed.
"""

from __future__ import annotations

import asyncio

import _common


async def chats(ctx: _common.Context, url: str, n: int, turns: int, latency: float) -> dict:
    config = ctx.llm_config(url)
    rss_before = _common.peak_rss_mb()
    pairs = _common.chat_pairs(n, config)
    await pairs[0][0].a_initiate_chat(pairs[0][1], message="Warm up.", max_turns=1)
    before = ctx.stats(url)
    with _common.Measure() as m:
        outcomes = await asyncio.gather(
            *(user.a_initiate_chat(bot, message="Hello.", max_turns=turns) for user, bot in pairs),
            return_exceptions=True,
        )
    calls = ctx.calls_since(before, url)
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    return {
        **_common.concurrency_figures(m, calls, turns, latency),
        "chats": n,
        "failed_chats": len(errors),
        "first_error": f"{type(errors[0]).__name__}: {errors[0]}"[:200] if errors else "",
        "rss_before_mb": rss_before,
        "peak_rss_mb": _common.peak_rss_mb(),
    }


def scenario(ctx: _common.Context) -> dict:
    _common.allow_many_sockets()
    n = int(ctx.params.get("chats", 2000))
    turns = int(ctx.params.get("turns", 3))
    latency = float(ctx.params["latency"])
    return asyncio.run(chats(ctx, str(ctx.params["url"]), n, turns, latency))


if __name__ == "__main__":
    _common.run(scenario)
