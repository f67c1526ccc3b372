"""Read and validate a team file for ``autogen run`` (YAML or JSON).

A team file names the agents, optionally a group chat, and the task::

    llm: {temperature: 0}            # optional: llm_config keys for every agent that uses the model
    agents:
      - name: user
        type: user_proxy             # assistant (default) | user_proxy | conversable
        human_input_mode: NEVER
        code_execution: true         # run code blocks locally in a temporary directory
      - name: coder
        system_message: You write Python.
    group_chat: {max_round: 8, speaker_selection_method: round_robin}   # optional
    task: {message: Print the first 5 primes., initiator: user, max_turns: 3}   # or just a string

Every problem is reported with its place in the file (``agents[1].type``) and what is valid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ._errors import CommandError

__all__ = ["AgentSpec", "TaskSpec", "TeamFileError", "TeamSpec", "load_team_file"]

AGENT_TYPES = ("assistant", "user_proxy", "conversable")
HUMAN_INPUT_MODES = ("ALWAYS", "NEVER", "TERMINATE")
_TOP_KEYS = ("llm", "agents", "group_chat", "task")
_AGENT_KEYS = (
    "name",
    "type",
    "system_message",
    "description",
    "human_input_mode",
    "max_consecutive_auto_reply",
    "code_execution",
    "use_llm",
    "terminate_on",
    "default_auto_reply",
)
_TASK_KEYS = ("message", "initiator", "max_turns", "summary_method")
_CODE_KEYS = ("work_dir", "use_docker", "timeout", "last_n_messages")
_SUMMARY_METHODS = ("last_msg", "reflection_with_llm")


class TeamFileError(CommandError):
    """The team file is missing, unreadable, or describes an invalid team."""


@dataclass
class AgentSpec:
    """One agent of the team, as the file describes it."""

    name: str
    type: str = "assistant"
    options: dict[str, Any] = field(default_factory=dict)
    code_execution: Any = False
    use_llm: bool = True
    terminate_on: Optional[str] = None


@dataclass
class TaskSpec:
    """What the team is asked, and who asks."""

    message: str
    initiator: str
    max_turns: Optional[int] = None
    summary_method: str = "last_msg"


@dataclass
class TeamSpec:
    """A validated team file."""

    agents: list[AgentSpec]
    task: TaskSpec
    llm: dict[str, Any] = field(default_factory=dict)
    group_chat: Optional[dict[str, Any]] = None


def load_team_file(path: str, *, task_override: Optional[str] = None) -> TeamSpec:
    """Read ``path`` and return the team it describes.

    Args:
        path: a ``.yaml``, ``.yml`` or ``.json`` file.
        task_override: use this task message instead of the file's.

    Raises:
        TeamFileError: naming the place in the file that is wrong.
    """
    file = Path(path)
    if not file.is_file():
        raise TeamFileError(f"team file {path!r} does not exist")
    data = _parse(file)
    where = file.name
    _require(isinstance(data, dict), f"{where}: the top level must be a mapping with keys {', '.join(_TOP_KEYS)}")
    _no_unknown_keys(data, _TOP_KEYS, where)
    llm = data.get("llm") or {}
    _require(isinstance(llm, dict), f"{where}: 'llm' must be a mapping of llm_config keys (temperature, ...)")
    _require(
        "config_list" not in llm or isinstance(llm["config_list"], list), f"{where}: llm.config_list must be a list"
    )
    agents = _agents(data.get("agents"), where)
    group_chat = data.get("group_chat")
    _require(group_chat is None or isinstance(group_chat, dict), f"{where}: 'group_chat' must be a mapping")
    if group_chat is None:
        _require(
            len(agents) == 2,
            f"{where}: without 'group_chat', a team has exactly 2 agents (found {len(agents)}); "
            "add a group_chat section for more",
        )
    raw_task = data.get("task")
    if task_override is not None:  # keeps the file's initiator and limits, replaces only the message
        raw_task = {**raw_task, "message": task_override} if isinstance(raw_task, dict) else task_override
    task = _task(raw_task, [a.name for a in agents], where)
    return TeamSpec(agents=agents, task=task, llm=dict(llm), group_chat=dict(group_chat) if group_chat else None)


def _parse(file: Path) -> Any:
    text = file.read_text(encoding="utf-8")
    suffix = file.suffix.lower()
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise TeamFileError(f"{file.name} is not valid JSON: {err.msg} at line {err.lineno}") from None
    if suffix in (".yaml", ".yml"):
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            at = f" at line {mark.line + 1}" if mark is not None else ""
            raise TeamFileError(f"{file.name} is not valid YAML{at}: {getattr(err, 'problem', err)}") from None
    raise TeamFileError(f"team file {file.name!r} must end in .yaml, .yml or .json")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise TeamFileError(message)


def _no_unknown_keys(mapping: dict, valid: tuple[str, ...], where: str) -> None:
    unknown = [key for key in mapping if key not in valid]
    if unknown:
        raise TeamFileError(f"{where}: unknown key {unknown[0]!r}; valid keys: {', '.join(valid)}")


def _agents(raw: Any, where: str) -> list[AgentSpec]:
    _require(isinstance(raw, list) and len(raw) > 0, f"{where}: 'agents' must be a non-empty list")
    agents: list[AgentSpec] = []
    for index, item in enumerate(raw):
        at = f"{where}: agents[{index}]"
        _require(isinstance(item, dict), f"{at} must be a mapping with at least a 'name'")
        _no_unknown_keys(item, _AGENT_KEYS, at)
        name = item.get("name")
        _require(isinstance(name, str) and name.strip() != "", f"{at} needs a non-empty 'name'")
        _require(name not in [a.name for a in agents], f"{at}: the name {name!r} is used twice; names must be unique")
        kind = item.get("type", "assistant")
        _require(kind in AGENT_TYPES, f"{at}.type is {kind!r}; valid types: {', '.join(AGENT_TYPES)}")
        options: dict[str, Any] = {}
        for key in ("system_message", "description", "default_auto_reply"):
            if key in item:
                _require(isinstance(item[key], str), f"{at}.{key} must be a string")
                options[key] = item[key]
        if "human_input_mode" in item:
            mode = item["human_input_mode"]
            _require(
                mode in HUMAN_INPUT_MODES, f"{at}.human_input_mode is {mode!r}; valid: {', '.join(HUMAN_INPUT_MODES)}"
            )
            options["human_input_mode"] = mode
        if "max_consecutive_auto_reply" in item:
            limit = item["max_consecutive_auto_reply"]
            _require(_is_count(limit), f"{at}.max_consecutive_auto_reply must be a whole number >= 0, got {limit!r}")
            options["max_consecutive_auto_reply"] = limit
        use_llm = item.get("use_llm", kind != "user_proxy")
        _require(isinstance(use_llm, bool), f"{at}.use_llm must be true or false")
        terminate_on = item.get("terminate_on")
        _require(terminate_on is None or isinstance(terminate_on, str), f"{at}.terminate_on must be a string")
        code = _code_execution(item.get("code_execution", False), f"{at}.code_execution")
        agents.append(AgentSpec(name, kind, options, code, use_llm, terminate_on))
    return agents


def _code_execution(raw: Any, at: str) -> Any:
    if isinstance(raw, bool):
        return raw
    _require(isinstance(raw, dict), f"{at} must be true, false, or a mapping with keys {', '.join(_CODE_KEYS)}")
    _no_unknown_keys(raw, _CODE_KEYS, at)
    if "timeout" in raw:
        timeout = raw["timeout"]
        valid = isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0
        _require(valid, f"{at}.timeout must be a positive number of seconds, got {timeout!r}")
    return dict(raw)


def _task(raw: Any, names: list[str], where: str) -> TaskSpec:
    _require(raw is not None, f"{where}: 'task' is missing; give the message to start with (or pass --task)")
    if isinstance(raw, str):
        raw = {"message": raw}
    _require(isinstance(raw, dict), f"{where}: 'task' must be a string or a mapping with keys {', '.join(_TASK_KEYS)}")
    _no_unknown_keys(raw, _TASK_KEYS, f"{where}: task")
    message = raw.get("message")
    _require(isinstance(message, str) and message.strip() != "", f"{where}: task.message must be a non-empty string")
    initiator = raw.get("initiator", names[0])
    _require(initiator in names, f"{where}: task.initiator {initiator!r} is not an agent; agents: {', '.join(names)}")
    max_turns = raw.get("max_turns")
    _require(
        max_turns is None or (_is_count(max_turns) and max_turns > 0),
        f"{where}: task.max_turns must be a whole number > 0",
    )
    summary = raw.get("summary_method", "last_msg")
    _require(
        summary in _SUMMARY_METHODS,
        f"{where}: task.summary_method is {summary!r}; valid: {', '.join(_SUMMARY_METHODS)}",
    )
    return TaskSpec(message=message, initiator=initiator, max_turns=max_turns, summary_method=summary)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
