"""Scenario 8: the two-agent chat with ``stream=True``; does it work offline, is usage exact."""

from __future__ import annotations

import _common
from s2_two_agent_chat import make_pair


def tokens_counted(*agents: object) -> int:
    """Prompt plus completion tokens the agents' clients accounted."""
    total = 0
    for agent in agents:
        summary = agent.client.total_usage_summary or {}
        for value in summary.values():
            if isinstance(value, dict):
                total += int(value.get("prompt_tokens", 0)) + int(value.get("completion_tokens", 0))
    return total


def scenario(ctx: _common.Context) -> dict:
    turns = int(ctx.params.get("turns", 10))
    alice, bob = make_pair(ctx, stream=True)
    alice.initiate_chat(bob, message="Warm up.", max_turns=1)
    alice, bob = make_pair(ctx, stream=True)
    before = ctx.stats()
    with _common.Measure() as m:
        alice.initiate_chat(bob, message="Let us talk about the weather.", max_turns=turns)
    after = ctx.stats()
    calls = after["calls"] - before["calls"]
    served = (after["prompt_tokens"] - before["prompt_tokens"]) + (
        after["completion_tokens"] - before["completion_tokens"]
    )
    last = bob.chat_messages[alice][-1].get("content")
    return {
        "calls": calls,
        "streamed_calls": after["streamed"] - before["streamed"],
        "wall_ms_per_call": m.wall * 1000 / calls,
        "cpu_ms_per_call": m.cpu * 1000 / calls,
        "usage_exact": tokens_counted(alice, bob) == served,
        "reply_chars": len(last or ""),
    }


if __name__ == "__main__":
    _common.run(scenario)
