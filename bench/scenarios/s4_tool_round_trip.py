"""Scenario 4: tool round trip: the LLM asks for a tool, the tool runs, the LLM answers."""

from __future__ import annotations

from typing import Annotated

import _common

import autogen

RAN: list[int] = []


def add(a: Annotated[int, "first number"], b: Annotated[int, "second number"]) -> int:
    """Add two numbers."""
    RAN.append(a + b)
    return a + b


def scenario(ctx: _common.Context) -> dict:
    trips = int(ctx.params.get("trips", 20))
    caller = autogen.AssistantAgent("bench_caller", system_message="You use tools.", llm_config=ctx.llm_config())
    executor = autogen.UserProxyAgent(
        "bench_executor", human_input_mode="NEVER", code_execution_config=False, llm_config=False
    )
    autogen.register_function(add, caller=caller, executor=executor, name="add", description="Add two numbers.")
    executor.initiate_chat(caller, message="What is 2 + 3?", max_turns=2)  # warm-up
    RAN.clear()
    before = ctx.stats()
    with _common.Measure() as m:
        for _ in range(trips):
            executor.initiate_chat(caller, message="What is 2 + 3?", max_turns=2)
    calls = ctx.calls_since(before)
    return {
        "wall_ms_per_trip": m.wall * 1000 / trips,
        "cpu_ms_per_trip": m.cpu * 1000 / trips,
        "calls_per_trip": calls / trips,
        "tool_runs_per_trip": len(RAN) / trips,
    }


if __name__ == "__main__":
    _common.run(scenario)
