"""What AgentBuilder reads and writes: agent configs, team configs (save/load) and agent libraries, validated.

Validation happens where a file or JSON text enters, so a bad one fails with its name and the problem.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

__all__ = ["AgentConfig", "LibraryAgent", "TeamConfig", "load_library", "load_team_config", "public_llm_config"]

NAME_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
_SECRET_KEYS = ("api_key", "azure_ad_token", "aws_secret_key", "aws_session_token", "config_list")


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


class AgentConfig(BaseModel):
    """One agent of a team: its name, system message, description, and which models it may use."""

    model_config = ConfigDict(extra="allow")

    name: str = Field(pattern=NAME_PATTERN)
    system_message: str = ""
    description: str = ""
    model: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)

    _lists = field_validator("model", "tags", mode="before")(_as_list)


class LibraryAgent(AgentConfig):
    """An agent of an agent library: like :class:`AgentConfig`, but its description is required (it is matched)."""

    description: str = Field(min_length=1)


class TeamConfig(BaseModel):
    """A built team, as :meth:`AgentBuilder.save` writes it and :meth:`AgentBuilder.load` reads it."""

    model_config = ConfigDict(extra="allow")

    building_task: str = ""
    agent_configs: list[AgentConfig] = Field(min_length=1)
    coding: bool
    default_llm_config: dict[str, Any]
    code_execution_config: Union[dict[str, Any], bool]


def public_llm_config(llm_config: dict[str, Any]) -> dict[str, Any]:
    """``llm_config`` without its endpoints and secrets: AgentBuilder takes those from the config list again."""
    return {k: v for k, v in llm_config.items() if k not in _SECRET_KEYS}


def _read_json(path_or_json: str, what: str) -> tuple[Any, str]:
    """The JSON value of ``path_or_json`` (JSON text, or the path of a JSON file) and where it came from."""
    text = path_or_json.lstrip()
    if text.startswith(("[", "{")):
        source = f"the {what} JSON text"
    else:
        path = Path(os.path.expanduser(path_or_json))
        if not path.is_file():
            raise FileNotFoundError(
                f"{what} file {str(path)!r} does not exist: give the path of a JSON file or the JSON itself"
            )
        source = f"{what} file {str(path)!r}"
        text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text), source
    except json.JSONDecodeError as e:
        raise ValueError(f"{source} is not valid JSON: {e}") from e


def _problems(error: ValidationError) -> str:
    return "; ".join(f"{'/'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}" for e in error.errors(include_url=False))


_LIBRARY = TypeAdapter(list[LibraryAgent])


def load_library(path_or_json: str) -> list[LibraryAgent]:
    """The agents of an agent library: a JSON list of ``{"name", "description", "system_message"?, ...}``.

    Raises:
        FileNotFoundError: no such file.
        ValueError: not JSON, or not a valid library; the message names the source and each bad field.
    """
    data, source = _read_json(path_or_json, "agent library")
    try:
        agents = _LIBRARY.validate_python(data)
    except ValidationError as e:
        raise ValueError(
            f"{source} is not a valid agent library (a JSON list of agents, each with a name of letters, digits, "
            f"'_' or '-' and a non-empty description): {_problems(e)}"
        ) from e
    if not agents:
        raise ValueError(f"{source} is an empty agent library: list at least one agent")
    names = [a.name for a in agents]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{source} names more than one agent {duplicates}: agent names must be unique")
    return agents


def load_team_config(path_or_json: str) -> TeamConfig:
    """A team config saved by :meth:`AgentBuilder.save`.

    Raises:
        FileNotFoundError: no such file.
        ValueError: not JSON, or not a valid team config; the message names the source and each bad field.
    """
    data, source = _read_json(path_or_json, "team config")
    try:
        return TeamConfig.model_validate(data)
    except ValidationError as e:
        raise ValueError(f"{source} is not a valid AgentBuilder team config: {_problems(e)}") from e
