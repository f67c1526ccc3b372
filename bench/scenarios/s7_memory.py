"""Scenario 7: many agents with one ``llm_config``: creation time per agent, a one-turn chat each, peak RSS."""

from __future__ import annotations

import resource

import _common

import autogen


def scenario(ctx: _common.Context) -> dict:
    n = int(ctx.params.get("agents", 1000))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # one socket per agent is possible: allow it
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))
    config = ctx.llm_config()
    rss_before = _common.peak_rss_mb()

    def make(i: int) -> autogen.AssistantAgent:
        return autogen.AssistantAgent(f"bench_agent{i}", system_message="You answer briefly.", llm_config=config)

    with _common.Measure() as create:
        with _common.Measure() as first:  # the first agent pays for whatever the LLM layer imports lazily
            agents = [make(0)]
        agents += [make(i) for i in range(1, n)]
    rss_created = _common.peak_rss_mb()
    user = autogen.UserProxyAgent("bench_user", human_input_mode="NEVER", code_execution_config=False, llm_config=False)
    before = ctx.stats()
    with _common.Measure() as chat:
        for agent in agents:
            user.initiate_chat(agent, message="Hello.", max_turns=1)
    calls = ctx.calls_since(before)
    return {
        "agents": n,
        "create_ms_per_agent": create.wall * 1000 / n,
        "create_total_s": create.wall,
        "first_agent_ms": first.wall * 1000,
        "create_rest_ms_per_agent": (create.wall - first.wall) * 1000 / max(n - 1, 1),
        "chat_ms_per_agent": chat.wall * 1000 / n,
        "calls": calls,
        "rss_before_mb": rss_before,
        "rss_after_create_mb": rss_created,
        "peak_rss_mb": _common.peak_rss_mb(),
    }


if __name__ == "__main__":
    _common.run(scenario)
