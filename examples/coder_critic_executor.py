"""A coder, an executor and a critic solve a programming task together in a group chat.

The coder writes Python, the executor runs it on this machine, the critic checks the result and
says TERMINATE when the task is done. Who speaks next is decided by the manager's LLM, within a
transition graph (coder -> executor -> critic or coder, critic -> coder), so the executor always
runs the coder's code before anyone judges it.

Run it against your model (an ``OAI_CONFIG_LIST`` file or environment variable, as in AutoGen 0.2)::

    python examples/coder_critic_executor.py
    python examples/coder_critic_executor.py --task "Plot nothing; print the 20th Fibonacci number."

The code runs in a temporary directory (``--work-dir`` to keep it) with a 60 s time limit.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from typing import Any, Optional

import autogen
from autogen.coding import LocalCommandLineCodeExecutor

DEFAULT_TASK = "Write a Python script that prints the first 10 prime numbers, run it, and check its output."

CODER_SYSTEM_MESSAGE = (
    "You are the coder of a small team. Solve the task by writing one complete Python script in a "
    "```python code block; the executor runs it and shows you the output. If the executor reports an "
    "error or the critic asks for changes, send a corrected complete script. Do not say TERMINATE."
)
CRITIC_SYSTEM_MESSAGE = (
    "You are the critic of a small team. Check the coder's script and the executor's output against the "
    "task. If the output shows the task is solved correctly, reply with a one-line verdict followed by "
    "TERMINATE. Otherwise say precisely what is wrong so the coder can fix it."
)


def build_team(llm_config: dict, work_dir: str, max_round: int = 12) -> tuple[Any, Any, Any, Any]:
    """Create the coder, executor, critic and the group chat manager that runs them.

    Returns:
        ``(coder, executor, critic, manager)``.
    """
    coder = autogen.AssistantAgent(
        "coder",
        system_message=CODER_SYSTEM_MESSAGE,
        llm_config=llm_config,
        description="Writes the Python script for the task and fixes it when told what is wrong.",
    )
    critic = autogen.AssistantAgent(
        "critic",
        system_message=CRITIC_SYSTEM_MESSAGE,
        llm_config=llm_config,
        description="Reviews the script and its output; ends the chat with TERMINATE once the task is solved.",
    )
    executor = autogen.UserProxyAgent(
        "executor",
        human_input_mode="NEVER",
        code_execution_config={"executor": LocalCommandLineCodeExecutor(work_dir=work_dir, timeout=60)},
        default_auto_reply="There was no code block to run. Coder, please send the script in a ```python block.",
        description="Runs the code blocks of the latest message and reports the exit code and output.",
    )
    groupchat = autogen.GroupChat(
        agents=[coder, executor, critic],
        messages=[],
        max_round=max_round,
        allowed_or_disallowed_speaker_transitions={coder: [executor], executor: [critic, coder], critic: [coder]},
        speaker_transitions_type="allowed",
    )
    manager = autogen.GroupChatManager(
        groupchat,
        llm_config=llm_config,
        is_termination_msg=lambda message: "TERMINATE" in (message.get("content") or ""),
    )
    return coder, executor, critic, manager


def solve(task: str, llm_config: dict, work_dir: Optional[str] = None, max_round: int = 12) -> tuple[Any, dict]:
    """Let the team solve ``task``.

    Returns:
        The chat's ``ChatResult`` and the usage of the whole team (coder, critic and the manager's
        speaker selection), as ``gather_usage_summary`` reports it.
    """
    with tempfile.TemporaryDirectory(prefix="coder_critic_") as scratch:
        coder, executor, critic, manager = build_team(llm_config, work_dir or scratch, max_round)
        result = executor.initiate_chat(manager, message=task, summary_method="last_msg")
        return result, autogen.gather_usage_summary([coder, critic, manager])


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default=DEFAULT_TASK, help="what the team should do")
    parser.add_argument("--config", default="OAI_CONFIG_LIST", help="config list file or environment variable")
    parser.add_argument("--model", action="append", help="use only these models from the config list")
    parser.add_argument("--work-dir", help="where the code runs (default: a temporary directory)")
    parser.add_argument("--max-round", type=int, default=12, help="most messages in the group chat")
    args = parser.parse_args(argv)
    filter_dict = {"model": args.model} if args.model else None
    try:
        config_list = autogen.config_list_from_json(args.config, filter_dict=filter_dict)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not config_list:
        print(f"No model in {args.config} matches {args.model}.", file=sys.stderr)
        return 2
    result, usage = solve(args.task, {"config_list": config_list}, args.work_dir, args.max_round)
    print("\nSummary:", result.summary.strip() or "(none)")
    print("Team usage:", usage["usage_including_cached_inference"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
