"""A ChatGPT-style chat in the terminal, as AutoGen 0.2's ``simple_chat.py``: you talk to an assistant.

A user proxy with ``human_input_mode="ALWAYS"`` asks you for every message and sends it to the
assistant; ``exit`` (or Ctrl-D) ends the chat. Code the assistant writes is not run. ::

    python examples/simple_chat.py                   # endpoints from OAI_CONFIG_LIST
    python examples/simple_chat.py --local           # the embedded local model
"""

from __future__ import annotations

import argparse
import sys

from _models import add_model_arguments, llm_config_from

from autogen import AssistantAgent, UserProxyAgent

SYSTEM_MESSAGE = "You are a helpful assistant. Answer clearly and briefly."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_model_arguments(parser)
    args = parser.parse_args(argv)
    with llm_config_from(args) as llm_config:
        if llm_config is None:
            return 2
        assistant = AssistantAgent("assistant", system_message=SYSTEM_MESSAGE, llm_config=llm_config)
        user_proxy = UserProxyAgent("user_proxy", human_input_mode="ALWAYS", code_execution_config=False)
        try:
            first = input("You (type 'exit' to quit): ").strip()
        except EOFError:
            return 0
        if not first or first == "exit":
            return 0
        try:
            result = user_proxy.initiate_chat(assistant, message=first)
        except EOFError:  # Ctrl-D at a prompt
            print()
            return 0
    cost = result.cost["usage_including_cached_inference"]["total_cost"]
    print(f"\n{len(result.chat_history)} messages, cost ${cost:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
