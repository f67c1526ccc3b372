"""The README's first example as a script: an assistant writes code, a user proxy runs it.

Put your endpoints in ``OAI_CONFIG_LIST`` (a file here, or an environment variable holding the JSON
or a file path; see ``OAI_CONFIG_LIST_sample``), then::

    python examples/twoagent.py
    python examples/twoagent.py --task "Print the first 10 Fibonacci numbers."
    python examples/twoagent.py --local        # the embedded local model, no key needed

The code runs on this machine in ``./coding`` (as in AutoGen 0.2's sample). The chat ends when the
assistant says TERMINATE or after ``--max-turns`` round trips.
"""

from __future__ import annotations

import argparse
import sys

from _models import add_model_arguments, llm_config_from

from autogen import AssistantAgent, UserProxyAgent

DEFAULT_TASK = "Plot NVDA and TSLA stock price change YTD."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default=DEFAULT_TASK, help="what to ask the assistant")
    parser.add_argument("--max-turns", type=int, default=10, help="most round trips (default 10)")
    add_model_arguments(parser)
    args = parser.parse_args(argv)
    with llm_config_from(args) as llm_config:
        if llm_config is None:
            return 2
        assistant = AssistantAgent("assistant", llm_config=llm_config)
        user_proxy = UserProxyAgent(
            "user_proxy",
            human_input_mode="NEVER",
            code_execution_config={"work_dir": "coding", "use_docker": False},
            is_termination_msg=lambda message: "TERMINATE" in (message.get("content") or ""),
        )
        result = user_proxy.initiate_chat(assistant, message=args.task, max_turns=args.max_turns)
    print(f"\nSummary: {result.summary}")
    print(f"Stopped: {result.stop_reason}")
    print(f"Cost: ${result.cost['usage_including_cached_inference']['total_cost']:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
