"""MathChat: an assistant solves a math problem step by step, a MathUserProxyAgent runs its Python queries and
ends the chat at the boxed answer.

    python examples/math_chat.py
    python examples/math_chat.py "Find all x such that x^2 - 5x + 6 = 0."
    python examples/math_chat.py --prompt-type default "..."   # 0.2's default: direct, Python or step by step
    python examples/math_chat.py --local                       # the embedded local model (weak at math)

The queries run on this machine in a temporary folder (``autogen.math_utils`` reads the boxed answer).
The Wolfram Alpha modes of 0.2 are not offered.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from typing import Optional

from _models import add_model_arguments, llm_config_from

from autogen import AssistantAgent
from autogen.agentchat.contrib.math_user_proxy_agent import PROMPTS, MathUserProxyAgent
from autogen.math_utils import get_answer

DEFAULT_PROBLEM = "What is the sum of the squares of the integers from 1 to 10?"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("problem", nargs="?", default=DEFAULT_PROBLEM, help="the math problem")
    parser.add_argument("--prompt-type", choices=sorted(PROMPTS), default="python", help="MathChat's prompt")
    parser.add_argument("--max-turns", type=int, default=8, help="most round trips (default 8)")
    add_model_arguments(parser)
    args = parser.parse_args(argv)
    with llm_config_from(args) as llm_config, tempfile.TemporaryDirectory(prefix="mathchat_") as work_dir:
        if llm_config is None:
            return 2
        assistant = AssistantAgent(
            "assistant", system_message="You are a helpful assistant who solves math problems.", llm_config=llm_config
        )
        proxy = MathUserProxyAgent("mathproxyagent", code_execution_config={"work_dir": work_dir, "use_docker": False})
        result = proxy.initiate_chat(
            assistant,
            message=proxy.message_generator,
            problem=args.problem,
            prompt_type=args.prompt_type,
            max_turns=args.max_turns,
        )
    answer = get_answer(result.chat_history[-1].get("content") or "") if result.chat_history else None
    print(f"\nAnswer: {answer if answer is not None else '(no boxed answer)'}")
    print(f"Stopped: {result.stop_reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
