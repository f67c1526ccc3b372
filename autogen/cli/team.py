"""``autogen run TEAM_FILE``: build the team a file describes and run its task."""

from __future__ import annotations

import argparse
import contextlib
import tempfile
from typing import Any, Callable, Optional

from autogen.io import IOStream

from ._console import RichIOStream, make_console
from ._endpoints import open_endpoint, validate_config_list
from .team_file import AgentSpec, TeamFileError, TeamSpec, load_team_file

__all__ = ["build_agents", "run_team"]


def _termination_check(marker: Optional[str]) -> Optional[Callable[[dict], bool]]:
    if marker is None:
        return None
    return lambda message: isinstance(message.get("content"), str) and marker in message["content"]


def _code_config(spec: AgentSpec, work_dirs: contextlib.ExitStack) -> Any:
    if spec.code_execution is False:
        return False
    config = {} if spec.code_execution is True else dict(spec.code_execution)
    if "work_dir" not in config:
        config["work_dir"] = work_dirs.enter_context(tempfile.TemporaryDirectory(prefix=f"autogen-{spec.name}-"))
    config.setdefault("use_docker", False)
    config.setdefault("timeout", 60)
    return config


def build_agents(team: TeamSpec, llm_config: dict[str, Any], work_dirs: contextlib.ExitStack) -> list[Any]:
    """Create the agents of ``team``; code runs in temporary directories kept open by ``work_dirs``."""
    from autogen import AssistantAgent, ConversableAgent, UserProxyAgent

    classes = {"assistant": AssistantAgent, "user_proxy": UserProxyAgent, "conversable": ConversableAgent}
    agents = []
    for spec in team.agents:
        kwargs = dict(spec.options)
        kwargs["llm_config"] = dict(llm_config) if spec.use_llm else False
        kwargs["code_execution_config"] = _code_config(spec, work_dirs)
        check = _termination_check(spec.terminate_on)
        if check is not None:
            kwargs["is_termination_msg"] = check
        agents.append(classes[spec.type](spec.name, **kwargs))
    return agents


def _group_chat_manager(team: TeamSpec, agents: list[Any], llm_config: dict[str, Any]) -> Any:
    import dataclasses

    from autogen import GroupChat, GroupChatManager

    settings = dict(team.group_chat or {})
    valid = sorted(f.name for f in dataclasses.fields(GroupChat) if f.name not in ("agents", "messages"))
    unknown = [key for key in settings if key not in valid]
    if unknown:
        raise TeamFileError(f"group_chat: unknown setting {unknown[0]!r}; valid settings: {', '.join(valid)}")
    try:
        group_chat = GroupChat(agents=agents, messages=[], **settings)
    except (TypeError, ValueError) as err:
        raise TeamFileError(f"group_chat: {err}") from None
    return GroupChatManager(group_chat, name="chat_manager", llm_config=dict(llm_config))


def run_team(args: argparse.Namespace) -> int:
    """Run the task of a team file and print the summary and usage; returns 0 when the chat ran."""
    from autogen import gather_usage_summary

    team = load_team_file(args.team_file, task_override=args.task)
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
        llm_config = {"cache_seed": None, **team.llm, "config_list": config_list}
        agents = build_agents(team, llm_config, stack)
        by_name = {agent.name: agent for agent in agents}
        initiator = by_name[team.task.initiator]
        if team.group_chat is not None:
            recipient = _group_chat_manager(team, agents, llm_config)
        else:
            recipient = next(agent for agent in agents if agent is not initiator)
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
        usage = gather_usage_summary(agents if recipient in agents else [*agents, recipient])
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
