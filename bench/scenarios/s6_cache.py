"""Scenario 6: the same chat twice with a disk cache: the replay's time and LLM calls; one cache hit's cost.

The chat uses ``cache_seed`` in ``llm_config`` (0.2's default disk cache, under ``./.cache``); cache hits
are also timed through ``OpenAIWrapper.create`` both that way and with an explicit ``Cache.disk``.
"""

from __future__ import annotations

import os
import tempfile

import _common
from s2_two_agent_chat import make_pair

import autogen

SEED = 7


def mark(label: str) -> None:
    """A syscall strace can see, so a trace can be cut into phases (no effect otherwise)."""
    os.path.exists(f"/BENCH-MARK-{label}")


def time_hits(ctx: _common.Context, wrapper: autogen.OpenAIWrapper, hits: int, label: str, **create: object) -> dict:
    """Time ``hits`` cache hits of one request (the first call fills the cache)."""
    messages = [{"role": "user", "content": "What is the weather like?"}]
    wrapper.create(messages=messages, **create)
    before = ctx.stats()
    mark(f"{label}-BEGIN")
    with _common.Measure() as m:
        for _ in range(hits):
            wrapper.create(messages=messages, **create)
    mark(f"{label}-END")
    return {"cpu_ms": m.cpu * 1000 / hits, "wall_ms": m.wall * 1000 / hits, "calls": ctx.calls_since(before)}


def scenario(ctx: _common.Context) -> dict:
    turns = int(ctx.params.get("turns", 10))
    hits = int(ctx.params.get("hits", 200))
    os.chdir(tempfile.mkdtemp(prefix="bench-cache-"))  # a fresh ./.cache for every run
    alice, bob = make_pair(ctx)
    alice.initiate_chat(bob, message="Warm up.", max_turns=1)
    alice, bob = make_pair(ctx, cache_seed=SEED)
    before = ctx.stats()
    with _common.Measure() as first:
        alice.initiate_chat(bob, message="Let us talk about the weather.", max_turns=turns)
    first_calls = ctx.calls_since(before)
    alice, bob = make_pair(ctx, cache_seed=SEED)
    before = ctx.stats()
    with _common.Measure() as replay:
        alice.initiate_chat(bob, message="Let us talk about the weather.", max_turns=turns)
    replay_calls = ctx.calls_since(before)
    replayed = len(bob.chat_messages[alice]) - 1  # every message but the opening one came from the LLM or cache

    seeded = time_hits(ctx, autogen.OpenAIWrapper(**ctx.llm_config(cache_seed=SEED)), hits, "HITS")
    with autogen.Cache.disk(cache_seed=SEED + 1, cache_path_root=".cache-explicit") as cache:
        explicit = time_hits(ctx, autogen.OpenAIWrapper(**ctx.llm_config()), hits, "XHITS", cache=cache)
    return {
        "first_calls": first_calls,
        "first_ms_per_call": first.wall * 1000 / max(first_calls, 1),
        "replay_calls": replay_calls,
        "replay_ms_per_message": replay.wall * 1000 / replayed,
        "replay_cpu_ms_per_message": replay.cpu * 1000 / replayed,
        "hit_cpu_ms": seeded["cpu_ms"],
        "hit_calls": seeded["calls"],
        "explicit_hit_cpu_ms": explicit["cpu_ms"],
        "explicit_hit_calls": explicit["calls"],
        "hits": hits,
    }


if __name__ == "__main__":
    _common.run(scenario)
