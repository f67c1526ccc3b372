"""Rows as the JSON the API returns: one pydantic model per table, read from the row's attributes (so the
OpenAPI docs describe every response). Model keys are masked here, the only way a model leaves the server."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Optional, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema

from .tables import MessageRow, ModelRow, SessionRow

__all__ = [
    "AgentOut",
    "MessageOut",
    "ModelOut",
    "SessionOut",
    "SkillOut",
    "WorkflowOut",
    "mask_key",
    "message_view",
    "session_view",
    "utc_iso",
]

V = TypeVar("V", bound="_Out")


def mask_key(key: Optional[str]) -> Optional[str]:
    """``"sk-…cdef"``: at most the last 4 characters of a key (none of a short one); None for no key."""
    if not key:
        return None
    prefix = "sk-" if key.startswith("sk-") else ""
    tail = key[-4:] if len(key) >= 12 else ""
    return f"{prefix}…{tail}"


def utc_iso(moment: dt.datetime) -> str:
    """ISO-8601 in UTC (stored times are naive UTC)."""
    return moment.replace(tzinfo=dt.timezone.utc).isoformat()


Time = Annotated[
    dt.datetime,
    PlainSerializer(utc_iso, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]
# a JSON list column; a null in an old row reads as []
IdList = Annotated[list[int], BeforeValidator(lambda value: list(value or []))]
AnyList = Annotated[list[Any], BeforeValidator(lambda value: list(value or []))]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls: type[V], row: Any) -> V:
        """The view of ``row``."""
        return cls.model_validate(row)


class ModelOut(_Out):
    """A model; ``api_key`` is masked (``"sk-…cdef"``) and ``has_api_key`` says whether one is stored."""

    id: int
    name: str
    model: str
    api_type: str
    base_url: Optional[str]
    api_key: Optional[str]
    has_api_key: bool = False
    api_version: Optional[str]
    description: str
    created_at: Time
    updated_at: Time

    @classmethod
    def of(cls, row: ModelRow) -> ModelOut:
        """The view of ``row``, its key masked."""
        view = cls.model_validate(row)
        view.api_key, view.has_api_key = mask_key(row.api_key), bool(row.api_key)
        return view


class SkillOut(_Out):
    """A skill."""

    id: int
    name: str
    description: str
    content: str
    created_at: Time
    updated_at: Time


class AgentOut(_Out):
    """An agent."""

    id: int
    name: str
    type: str
    description: str
    system_message: str
    model_id: Optional[int]
    skill_ids: IdList
    human_input_mode: str
    max_consecutive_auto_reply: Optional[int]
    code_execution: str
    timeout: int
    created_at: Time
    updated_at: Time


class WorkflowOut(_Out):
    """A workflow."""

    id: int
    name: str
    description: str
    kind: str
    initiator_id: int
    receiver_id: Optional[int]
    manager_id: Optional[int]
    member_ids: IdList
    speaker_selection: str
    max_rounds: int
    summary_method: str
    created_at: Time
    updated_at: Time


class SessionOut(_Out):
    """A session and its totals."""

    id: int
    workflow_id: int
    name: str
    task: Optional[str]
    status: str
    stop_reason: Optional[str]
    error: Optional[str]
    cost: float
    prompt_tokens: int
    completion_tokens: int
    created_at: Time
    finished_at: Optional[Time]


class MessageOut(_Out):
    """One message of a session."""

    id: int
    seq: int
    sender: str
    recipient: str
    role: str
    content: Optional[str]
    tool_calls: Any
    tool_responses: Any
    code_blocks: AnyList
    code_output: Optional[str]
    cost: float
    prompt_tokens: int
    completion_tokens: int
    created_at: Time


def session_view(row: SessionRow) -> dict[str, Any]:
    """A session as the JSON of a websocket event."""
    return SessionOut.of(row).model_dump(mode="json")


def message_view(row: MessageRow) -> dict[str, Any]:
    """A message as the JSON of a websocket event."""
    return MessageOut.of(row).model_dump(mode="json")
