"""Scenario 3: a group chat of 4 agents, round_robin and auto (valid and garbage selector)."""

from __future__ import annotations

import _common

import autogen

NAMES = ["bench_planner", "bench_coder", "bench_critic", "bench_writer"]


def run_group(ctx: _common.Context, method: str, marker: str, max_round: int) -> dict:
    """One group chat; returns ms and LLM calls per round (a round is one speaker's turn)."""
    config = ctx.llm_config()
    agents = [
        autogen.AssistantAgent(name, system_message=f"You are {name}.", llm_config=config, description=f"{name} helps.")
        for name in NAMES
    ]
    templates = {}
    if marker:  # the server recognises selection requests by the marker and answers a name (or garbage)
        templates = {
            "select_speaker_message_template": f"{marker} You pick who speaks next. Roles:\n{{roles}}\n"
            "Answer with one name from {agentlist}.",
            "select_speaker_prompt_template": f"{marker} Who speaks next? One name from {{agentlist}}, nothing else.",
        }
    group = autogen.GroupChat(
        agents=agents, messages=[], max_round=max_round, speaker_selection_method=method, **templates
    )
    manager = autogen.GroupChatManager(groupchat=group, llm_config=config)
    before = ctx.stats()
    with _common.Measure() as m:
        agents[0].initiate_chat(manager, message="Plan a picnic for the team.")
    calls = ctx.calls_since(before)
    rounds = len(group.messages) - 1
    return {"rounds": rounds, "ms": m.wall * 1000 / rounds, "cpu_ms": m.cpu * 1000 / rounds, "calls": calls / rounds}


def scenario(ctx: _common.Context) -> dict:
    max_round = int(ctx.params.get("max_round", 13))
    run_group(ctx, "round_robin", "", 3)  # warm-up
    result: dict = {}
    for prefix, method, marker in (
        ("rr", "round_robin", ""),
        ("auto", "auto", "BENCH-SELECT"),
        ("garbage", "auto", "BENCH-GARBAGE"),
    ):
        for key, value in run_group(ctx, method, marker, max_round).items():
            result[f"{prefix}_{key}"] = value
    return result


if __name__ == "__main__":
    _common.run(scenario)
