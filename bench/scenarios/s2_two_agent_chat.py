"""Scenario 2: a two-agent chat of N turns with 200-character replies; cost per LLM call."""

from __future__ import annotations

import _common

import autogen


def make_pair(ctx: _common.Context, **llm_extra: object) -> tuple[autogen.AssistantAgent, autogen.AssistantAgent]:
    """Two LLM agents that talk to each other (shared by scenarios 2, 6 and 8)."""
    config = ctx.llm_config(**llm_extra)
    alice = autogen.AssistantAgent("bench_alice", system_message="You are Alice. Reply briefly.", llm_config=config)
    bob = autogen.AssistantAgent("bench_bob", system_message="You are Bob. Reply briefly.", llm_config=config)
    return alice, bob


def scenario(ctx: _common.Context) -> dict:
    turns = int(ctx.params.get("turns", 20))
    chats = int(ctx.params.get("chats", 3))
    alice, bob = make_pair(ctx)
    alice.initiate_chat(bob, message="Warm up.", max_turns=2)
    wall = cpu = 0.0
    calls = 0
    for _ in range(chats):
        alice, bob = make_pair(ctx)
        before = ctx.stats()
        with _common.Measure() as m:
            alice.initiate_chat(bob, message="Let us talk about the weather.", max_turns=turns)
        calls += ctx.calls_since(before)
        wall += m.wall
        cpu += m.cpu
    return {
        "calls_per_chat": calls / chats,
        "wall_ms_per_call": wall * 1000 / calls,
        "cpu_ms_per_call": cpu * 1000 / calls,
    }


if __name__ == "__main__":
    _common.run(scenario)
