"""Request bodies of the Studio API (pydantic); every field error names the field and what is valid."""

from __future__ import annotations

import re
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "API_TYPES",
    "AgentIn",
    "CodeIn",
    "HighlightIn",
    "ImportIn",
    "InputIn",
    "ModelIn",
    "RunIn",
    "SessionIn",
    "SkillIn",
    "WorkflowIn",
]

# OpenAI-compatible kinds, the provider SDKs of autogen/oai/providers.py, and the embedded model
API_TYPES = (
    "openai",
    "azure",
    "llama.cpp",
    "anthropic",
    "google",
    "bedrock",
    "ollama",
    "mistral",
    "groq",
    "together",
    "cohere",
    "local",
)
# names OpenAI accepts in a message's "name" field (agent names travel there)
_AGENT_NAME = re.compile(r"^[^\s<|\\/>]+$")


def folder_name_problem(name: str) -> Optional[str]:
    """Why an agent's name cannot be its code-execution folder (None when it can): '.' and '..' would leave it."""
    if name in (".", ".."):
        return f"agent name {name!r} cannot be a folder name; give the agent a name such as 'coder'"
    return None


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


class ModelIn(_In):
    """A model: one ``OAI_CONFIG_LIST`` entry."""

    name: str = Field(min_length=1, max_length=200)
    model: str = Field(min_length=1, max_length=200)
    api_type: str = "openai"
    base_url: Optional[str] = None
    api_key: Optional[str] = None
    api_version: Optional[str] = None
    description: str = ""

    @field_validator("api_type")
    @classmethod
    def _known_api_type(cls, value: str) -> str:
        if value not in API_TYPES:
            raise ValueError(f"api_type {value!r} is not supported; use one of: {', '.join(API_TYPES)}")
        return value

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: Optional[str]) -> Optional[str]:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {value!r}")
        return value


class SkillIn(_In):
    """A skill: Python source defining a function called ``name``."""

    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    content: str

    @field_validator("name")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not value.isidentifier():
            raise ValueError(f"name {value!r} must be a Python function name (letters, digits, _)")
        return value


class CodeIn(_In):
    """Source to validate as a skill."""

    content: str
    name: str


class HighlightIn(_In):
    """Code to colour."""

    code: str
    language: str = "python"


class AgentIn(_In):
    """An agent."""

    name: str = Field(min_length=1, max_length=200)
    type: Literal["assistant", "userproxy", "groupchat"]
    description: str = ""
    system_message: str = ""
    model_id: Optional[int] = None
    skill_ids: list[int] = Field(default_factory=list)
    human_input_mode: Literal["NEVER", "TERMINATE", "ALWAYS"] = "NEVER"
    max_consecutive_auto_reply: Optional[int] = Field(default=None, ge=0)
    code_execution: Literal["none", "local", "docker", "sandbox"] = "none"
    timeout: int = Field(default=60, ge=1, le=3600)

    @field_validator("name")
    @classmethod
    def _message_name(cls, value: str) -> str:
        if not _AGENT_NAME.match(value):
            raise ValueError(f"name {value!r} must have no spaces or any of < | \\ / > (e.g. 'coder' or 'user_proxy')")
        problem = folder_name_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


class WorkflowIn(_In):
    """A workflow: who talks to whom, and how long."""

    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    kind: Literal["twoagent", "groupchat"]
    initiator_id: int
    receiver_id: Optional[int] = None
    manager_id: Optional[int] = None
    member_ids: list[int] = Field(default_factory=list)
    speaker_selection: Literal["auto", "round_robin", "random", "manual"] = "auto"
    max_rounds: int = Field(default=10, ge=1, le=1000)
    summary_method: Literal["last_msg", "reflection_with_llm"] = "last_msg"


class ImportIn(_In):
    """A team file's text to import as a workflow."""

    content: str = Field(min_length=1)
    name: Optional[str] = None


class SessionIn(_In):
    """A new session of a workflow."""

    workflow_id: int
    name: Optional[str] = None


class RunIn(_In):
    """The task a session runs."""

    task: str = Field(min_length=1)


class InputIn(_In):
    """What the human typed."""

    text: str
