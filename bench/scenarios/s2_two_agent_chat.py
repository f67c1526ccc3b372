"""Scenario 2: a two-agent chat of N turns with 200-character replies; cost per LLM call.

Also times ``OpenAIWrapper.create`` alone on the chat's final history, to split the cost per call
into the client layer and the agents around it.
"""

from __future__ import annotations

import _common

import autogen


def make_pair(ctx: _common.Context, **llm_extra: object) -> tuple[autogen.AssistantAgent, autogen.AssistantAgent]:
    """Two LLM agents that talk to each other (shared by scenarios 2, 6 and 8)."""
    config = ctx.llm_config(**llm_extra)
    alice = autogen.AssistantAgent("bench_alice", system_message="You are Alice. Reply briefly.", llm_config=config)
    bob = autogen.AssistantAgent("bench_bob", system_message="You are Bob. Reply briefly.", llm_config=config)
    return alice, bob


def time_client(ctx: _common.Context, messages: list[dict], calls: int) -> float:
    """CPU ms of one ``OpenAIWrapper.create`` call with these messages."""
    client = autogen.OpenAIWrapper(**ctx.llm_config())
    client.create(messages=messages)
    with _common.Measure() as m:
        for _ in range(calls):
            client.create(messages=messages)
    return m.cpu * 1000 / calls


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
    history = [{"role": "system", "content": alice.system_message}, *alice.chat_messages[bob]]
    return {
        "calls_per_chat": calls / chats,
        "wall_ms_per_call": wall * 1000 / calls,
        "cpu_ms_per_call": cpu * 1000 / calls,
        "client_cpu_ms_per_call": time_client(ctx, history, int(calls / chats)),
        "history_messages": len(history),
    }


if __name__ == "__main__":
    _common.run(scenario)
