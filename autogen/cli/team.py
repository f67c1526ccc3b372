"""``autogen run TEAM_FILE``: build the team a file describes and run its task."""

from __future__ import annotations

import argparse
import contextlib
from typing import Any

from autogen.io import IOStream

from ._console import RichIOStream, make_console
from ._endpoints import open_endpoint, validate_config_list
from .team_file import TeamFileError

__all__ = ["run_team"]


def run_team(args: argparse.Namespace) -> int:
    """Run the task of a team file and print the summary and usage; returns 0 when the chat ran."""
    from autogen import gather_usage_summary
    from autogen.teams import Team

    team_file = Team.from_file(args.team_file, task=args.task)
    team = team_file.spec
    console = make_console()
    stream = RichIOStream(console)
    file_config_list = team.llm.get("config_list")
    with contextlib.ExitStack() as stack:
        if file_config_list is not None:
            config_list = validate_config_list(file_config_list, f"{args.team_file}: llm.config_list")
        else:
            starting = lambda: console.status("starting the local model...")  # noqa: E731
            endpoint = stack.enter_context(
                open_endpoint(
                    config=args.config,
                    model=args.model,
                    local=args.local,
                    model_path=args.model_path,
                    on_local_start=starting,
                )
            )
            config_list = endpoint.config_list
            console.print(f"model: {endpoint.source}", style="dim", markup=False)
        built = team_file.build(team_file.llm_config(config_list), stack)
        initiator, recipient = built.initiator, built.recipient
        stack.enter_context(IOStream.set_default(stream))
        durable = _durable_options(args)
        result = initiator.initiate_chat(
            recipient,
            message=team.task.message,
            max_turns=team.task.max_turns,
            summary_method=team.task.summary_method,
            **durable,
        )
        stream.stop_spinner()
        console.rule("summary")
        console.print(str(result.summary or "(empty)"), markup=False)
        console.rule("usage")
        usage = gather_usage_summary(built.agents)
        _print_usage(console, usage)
    return 0


RESUME_OPTIONS = ("team_file", "task", "config", "model", "local", "model_path")


def _durable_options(args: argparse.Namespace) -> dict[str, Any]:
    """``checkpoint``/``run_id`` for initiate_chat; the store also keeps how to run the command again."""
    checkpoint, run_id = getattr(args, "checkpoint", None), getattr(args, "run_id", None)
    if checkpoint is None and run_id is None:
        return {}
    if checkpoint is None or run_id is None:
        raise TeamFileError("--checkpoint and --run-id go together: give both to record (or resume) a run")
    from pathlib import Path

    from autogen.checkpoint import open_store

    store = open_store(checkpoint)
    meta = store.get_meta(run_id) or {}
    command = {name: getattr(args, name, None) for name in RESUME_OPTIONS}
    command["team_file"] = str(Path(args.team_file).resolve())
    store.set_meta(run_id, {**meta, "command": command})
    return {"checkpoint": checkpoint, "run_id": run_id}


def _print_usage(console: Any, usage: Any) -> None:
    actual = (usage or {}).get("usage_excluding_cached_inference") or {}
    total_cost = actual.get("total_cost", 0)
    tokens = sum(v.get("total_tokens", 0) for k, v in actual.items() if isinstance(v, dict))
    console.print(f"{tokens} tokens, cost ${total_cost:.4f} (excluding cached replies)", markup=False)
