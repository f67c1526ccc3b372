"""AgentOptimizer: an assistant solves math problems; after each round the optimizer model improves its functions.

    python examples/agent_optimizer.py
    python examples/agent_optimizer.py --steps 2 --optimizer-model gpt-4o

Each round the assistant answers every problem; a conversation counts as satisfying when the right answer is in
it. The optimizer then adds, revises or removes functions, which are registered with the assistant (to call)
and the user proxy (to run: in Docker, or the bubblewrap sandbox when Docker is not running; AUTOGEN_USE_DOCKER=0
runs them on this machine).
"""

from __future__ import annotations

import sys
from typing import Any, Optional

from _models import add_model_arguments, llm_config_from

from autogen import AssistantAgent, UserProxyAgent
from autogen.agentchat.contrib.agent_optimizer import AgentOptimizer

PROBLEMS = [
    ("What is the sum of the squares of the integers from 1 to 10?", "385"),
    ("What is the sum of the squares of the integers from 1 to 20?", "2870"),
]


def _terminates(message: dict[str, Any]) -> bool:
    return "TERMINATE" in str(message.get("content") or "")


def make_agents(llm_config: dict[str, Any]) -> tuple[AssistantAgent, UserProxyAgent]:
    assistant = AssistantAgent(
        "assistant",
        llm_config=llm_config,
        system_message="You solve math problems. Call a function when one helps. End with TERMINATE.",
    )
    user_proxy = UserProxyAgent(
        "user_proxy",
        human_input_mode="NEVER",
        code_execution_config=False,
        max_consecutive_auto_reply=3,
        is_termination_msg=_terminates,
    )
    return assistant, user_proxy


def solve(assistant: AssistantAgent, user_proxy: UserProxyAgent, problem: str, answer: str) -> tuple[list, bool]:
    """One conversation about ``problem``: its messages and whether ``answer`` is in the assistant's last word."""
    user_proxy.initiate_chat(assistant, message=problem, clear_history=True)
    history = assistant.chat_messages_for_summary(user_proxy)
    final = str(history[-1].get("content") or "") if history else ""
    return history, answer in final


def train(llm_config: dict[str, Any], optimizer_model: str, steps: int = 1) -> tuple[AssistantAgent, UserProxyAgent]:
    """Run ``steps`` rounds of solving and optimizing; returns the agents with their functions."""
    assistant, user_proxy = make_agents(llm_config)
    optimizer = AgentOptimizer(max_actions_per_step=3, llm_config=llm_config, optimizer_model=optimizer_model)
    for step in range(steps):
        for problem, answer in PROBLEMS:
            history, satisfied = solve(assistant, user_proxy, problem, answer)
            optimizer.record_one_conversation(history, is_satisfied=satisfied)
            print(f"Round {step + 1}: {problem} -> {'solved' if satisfied else 'not solved'}")
        register_for_llm, register_for_executor = optimizer.step()
        for action in register_for_llm:
            assistant.update_function_signature(**action)
        user_proxy.register_function(function_map=register_for_executor)
        print(f"Functions after step {step + 1}:", sorted(user_proxy.function_map))
    return assistant, user_proxy


def main(argv: Optional[list[str]] = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1, help="rounds of solving and optimizing")
    parser.add_argument("--optimizer-model", help="the optimizer's model (default: the first of the config list)")
    add_model_arguments(parser)
    args = parser.parse_args(argv)
    with llm_config_from(args) as llm_config:
        if llm_config is None:
            return 2
        optimizer_model = args.optimizer_model or llm_config["config_list"][0]["model"]
        assistant, user_proxy = train(llm_config, optimizer_model, args.steps)
        problem, answer = PROBLEMS[-1]
        _, satisfied = solve(assistant, user_proxy, problem, answer)
    print(f"After optimizing: {problem} -> {'solved' if satisfied else 'not solved'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
