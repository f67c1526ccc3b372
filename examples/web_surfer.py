"""Ask a web-surfing agent a question: it searches, opens pages, scrolls and finds text with its
browser tools, and answers from what it read.

    python examples/web_surfer.py "What does https://www.python.org/downloads/ offer?"
    python examples/web_surfer.py --bing-key KEY "Who maintains the markdownify package?"

Web search needs a Bing Web Search key (``--bing-key`` or the BING_API_KEY environment variable);
without one the agent can still visit the addresses you give it. The browser fetches only the pages
the agent chooses to visit. Needs ``pip install -e ".[websurfer]"``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Optional

from _models import add_model_arguments, llm_config_from

from autogen import UserProxyAgent
from autogen.agentchat.contrib.web_surfer import WebSurferAgent
from autogen.browser_utils import BING_BASE_URL

DEFAULT_QUESTION = "What is on the front page of https://www.python.org/ today?"


def ask(question: str, llm_config: dict[str, Any], browser_config: dict[str, Any]) -> str:
    """One question to a web surfer; returns its answer."""
    surfer = WebSurferAgent(
        "web_surfer", llm_config=llm_config, browser_config=browser_config, human_input_mode="NEVER"
    )
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, default_auto_reply=None)
    result = user.initiate_chat(surfer, message=question, max_turns=1)
    return str(result.summary)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("question", nargs="?", default=DEFAULT_QUESTION)
    parser.add_argument("--bing-key", default=os.environ.get("BING_API_KEY"), help="Bing Web Search key")
    parser.add_argument("--bing-url", default=BING_BASE_URL, help="Bing Web Search endpoint")
    parser.add_argument("--start-page", default=None, help="the page the browser opens first")
    parser.add_argument("--viewport-size", type=int, default=8 * 1024, help="characters shown per viewport")
    add_model_arguments(parser)
    args = parser.parse_args(argv)
    browser_config = {
        "bing_api_key": args.bing_key,
        "bing_base_url": args.bing_url,
        "start_page": args.start_page,
        "viewport_size": args.viewport_size,
    }
    with llm_config_from(args) as llm_config:
        if llm_config is None:
            return 2
        answer = ask(args.question, llm_config, browser_config)
    print(f"\nAnswer: {answer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
