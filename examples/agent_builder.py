"""AutoBuild: a builder model designs a team of experts for a task, and the team solves it in a group chat.

    python examples/agent_builder.py
    python examples/agent_builder.py --task "Print the 20th Fibonacci number with Python and check it."
    python examples/agent_builder.py --library agents.json      # pick the experts from an agent library
    python examples/agent_builder.py --local                     # the embedded local model (weak at this)

The builder asks for expert names, a system message and a description for each, and whether code is needed;
then a Computer_terminal runs the experts' code (in Docker, or the bubblewrap sandbox when Docker is not running;
AUTOGEN_USE_DOCKER=0 runs it on this machine). ``--save team.json`` keeps the team for later (no keys in it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from typing import Any, Optional

from _models import add_model_arguments, llm_config_from

import autogen
from autogen.agentchat.contrib.agent_builder import AgentBuilder, BuilderAnswerError

DEFAULT_TASK = "Compute the sum of the squares of the integers from 1 to 10 with Python, and verify the result."
CONFIG_VARIABLE = "AUTOGEN_EXAMPLE_BUILDER_CONFIG"  # the config list the builder reads, set from the arguments


def build_team(
    task: str, llm_config: dict[str, Any], work_dir: str, library: Optional[str] = None, max_agents: int = 3
) -> tuple[list[Any], dict[str, Any], AgentBuilder]:
    """The team the builder model designs for ``task`` (from ``library`` when given)."""
    os.environ[CONFIG_VARIABLE] = json.dumps(llm_config["config_list"])
    builder = AgentBuilder(config_file_or_env=CONFIG_VARIABLE, max_agents=max_agents)
    options = {k: v for k, v in llm_config.items() if k != "config_list"}
    execution = {"work_dir": work_dir, "timeout": 60, "last_n_messages": 1}
    if library:
        agents, configs = builder.build_from_library(task, library, options, code_execution_config=execution)
    else:
        agents, configs = builder.build(task, options, code_execution_config=execution)
    return agents, configs, builder


def solve(task: str, agents: list[Any], llm_config: dict[str, Any], max_round: int = 12) -> Any:
    """Run the team as a group chat; its first expert states the task. Returns the GroupChat."""
    groupchat = autogen.GroupChat(agents=agents, messages=[], max_round=max_round)
    manager = autogen.GroupChatManager(groupchat, llm_config=llm_config)
    agents[0].initiate_chat(manager, message=task)
    return groupchat


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default=DEFAULT_TASK, help="what the team should do")
    parser.add_argument("--library", help="an agent library JSON file to choose the experts from")
    parser.add_argument("--max-agents", type=int, default=3, help="most experts in the team")
    parser.add_argument("--max-round", type=int, default=12, help="most messages in the group chat")
    parser.add_argument("--work-dir", help="where the code runs (default: a temporary directory)")
    parser.add_argument("--save", help="write the team's config to this JSON file")
    add_model_arguments(parser)
    args = parser.parse_args(argv)
    with llm_config_from(args) as llm_config, tempfile.TemporaryDirectory(prefix="autobuild_") as scratch:
        if llm_config is None:
            return 2
        try:
            agents, _, builder = build_team(
                args.task, llm_config, args.work_dir or scratch, args.library, args.max_agents
            )
        except BuilderAnswerError as err:  # a weak builder model (e.g. --local): its answers, and the fix
            print(f"error: {err}", file=sys.stderr)
            return 1
        print("Team:", ", ".join(agent.name for agent in agents))
        if args.save:
            print("Saved to", builder.save(args.save))
        groupchat = solve(args.task, agents, llm_config, args.max_round)
    print("\nMessages:", len(groupchat.messages))
    print("Last message:", (groupchat.messages[-1].get("content") or "").strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
