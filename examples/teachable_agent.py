"""A teachable agent: what you tell it is remembered in a vector store on disk and recalled in later chats,
also after a restart. Each message below is a new chat with a fresh agent; only the memory carries over.

    python examples/teachable_agent.py "My cat is called Pixel." "What is my cat called?"
    python examples/teachable_agent.py --local "What is my cat called?"    # the embedded local model
    python examples/teachable_agent.py --reset "..."                      # forget everything first

Memories live at ``--db`` (default ``tmp/teachable_agent_db``); ``pip install -e ".[teachable]"``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Optional

from _models import add_model_arguments, llm_config_from

from autogen import ConversableAgent, UserProxyAgent
from autogen.agentchat.contrib.capabilities.teachability import Teachability

DEFAULT_MESSAGES = ["My cat is called Pixel.", "What is my cat called?"]


def chat(
    messages: list[str], llm_config: dict[str, Any], db: str = "tmp/teachable_agent_db", reset: bool = False
) -> list[str]:
    """Send each message in its own chat to a teachable agent; returns the agent's answers."""
    answers = []
    for i, message in enumerate(messages):
        agent = ConversableAgent("teachable", llm_config=llm_config, human_input_mode="NEVER")
        Teachability(path_to_db_dir=db, reset_db=reset and i == 0, llm_config=llm_config).add_to_agent(agent)
        user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, default_auto_reply=None)
        result = user.initiate_chat(agent, message=message, max_turns=1)
        answers.append(result.summary)
    return answers


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("messages", nargs="*", default=DEFAULT_MESSAGES, help="one chat per message")
    parser.add_argument("--db", default="tmp/teachable_agent_db", help="folder of the memory store")
    parser.add_argument("--reset", action="store_true", help="forget all memories first")
    add_model_arguments(parser)
    args = parser.parse_args(argv)
    with llm_config_from(args) as llm_config:
        if llm_config is None:
            return 2
        answers = chat(args.messages, llm_config, args.db, args.reset)
    for message, answer in zip(args.messages, answers):
        print(f"\nYou: {message}\nAgent: {answer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
