"""Rows as the JSON the API returns. Model keys are masked here, the only way a model leaves the server."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from .tables import AgentRow, MessageRow, ModelRow, SessionRow, SkillRow, WorkflowRow

__all__ = ["agent_view", "iso", "mask_key", "message_view", "model_view", "session_view", "skill_view", "workflow_view"]


def iso(moment: Optional[dt.datetime]) -> Optional[str]:
    """ISO-8601 in UTC (stored times are naive UTC)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.timezone.utc).isoformat()


def mask_key(key: Optional[str]) -> Optional[str]:
    """``"sk-…cdef"``: at most the last 4 characters of a key (none of a short one); None for no key."""
    if not key:
        return None
    prefix = "sk-" if key.startswith("sk-") else ""
    tail = key[-4:] if len(key) >= 12 else ""
    return f"{prefix}…{tail}"


def _stamps(row: Any) -> dict[str, Any]:
    return {"created_at": iso(row.created_at), "updated_at": iso(row.updated_at)}


def model_view(row: ModelRow) -> dict[str, Any]:
    """A model with its key masked and ``has_api_key`` added."""
    return {
        "id": row.id,
        "name": row.name,
        "model": row.model,
        "api_type": row.api_type,
        "base_url": row.base_url,
        "api_key": mask_key(row.api_key),
        "has_api_key": bool(row.api_key),
        "api_version": row.api_version,
        "description": row.description,
        **_stamps(row),
    }


def skill_view(row: SkillRow) -> dict[str, Any]:
    """A skill."""
    return {"id": row.id, "name": row.name, "description": row.description, "content": row.content, **_stamps(row)}


def agent_view(row: AgentRow) -> dict[str, Any]:
    """An agent."""
    return {
        "id": row.id,
        "name": row.name,
        "type": row.type,
        "description": row.description,
        "system_message": row.system_message,
        "model_id": row.model_id,
        "skill_ids": list(row.skill_ids or []),
        "human_input_mode": row.human_input_mode,
        "max_consecutive_auto_reply": row.max_consecutive_auto_reply,
        "code_execution": row.code_execution,
        "timeout": row.timeout,
        **_stamps(row),
    }


def workflow_view(row: WorkflowRow) -> dict[str, Any]:
    """A workflow."""
    return {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "kind": row.kind,
        "initiator_id": row.initiator_id,
        "receiver_id": row.receiver_id,
        "manager_id": row.manager_id,
        "member_ids": list(row.member_ids or []),
        "speaker_selection": row.speaker_selection,
        "max_rounds": row.max_rounds,
        "summary_method": row.summary_method,
        **_stamps(row),
    }


def session_view(row: SessionRow) -> dict[str, Any]:
    """A session and its totals."""
    return {
        "id": row.id,
        "workflow_id": row.workflow_id,
        "name": row.name,
        "task": row.task,
        "status": row.status,
        "stop_reason": row.stop_reason,
        "error": row.error,
        "cost": row.cost,
        "prompt_tokens": row.prompt_tokens,
        "completion_tokens": row.completion_tokens,
        "created_at": iso(row.created_at),
        "finished_at": iso(row.finished_at),
    }


def message_view(row: MessageRow) -> dict[str, Any]:
    """One message of a session."""
    return {
        "id": row.id,
        "seq": row.seq,
        "sender": row.sender,
        "recipient": row.recipient,
        "role": row.role,
        "content": row.content,
        "tool_calls": row.tool_calls,
        "tool_responses": row.tool_responses,
        "code_blocks": list(row.code_blocks or []),
        "code_output": row.code_output,
        "cost": row.cost,
        "prompt_tokens": row.prompt_tokens,
        "completion_tokens": row.completion_tokens,
        "created_at": iso(row.created_at),
    }
