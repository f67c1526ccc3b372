"""The Studio's database tables (SQLAlchemy ORM). Alembic migrations in ``migrations/`` create them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["AgentRow", "Base", "MessageRow", "ModelRow", "SessionRow", "SkillRow", "WorkflowRow", "utcnow"]

# stable constraint names, so migrations can refer to them on every database
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Now, in UTC, without tzinfo (how every timestamp is stored)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Base of the Studio tables (their own metadata, apart from any other ORM in the process)."""

    metadata = MetaData(naming_convention=NAMING)


class _Stamped:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class ModelRow(_Stamped, Base):
    """An ``OAI_CONFIG_LIST`` entry; the key never leaves the server."""

    __tablename__ = "studio_model"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(200))
    api_type: Mapped[str] = mapped_column(String(50), default="openai")
    base_url: Mapped[Optional[str]] = mapped_column(String(500), nullable=True)
    api_key: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    api_version: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")


class SkillRow(_Stamped, Base):
    """A Python function registered as a tool."""

    __tablename__ = "studio_skill"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text)


class AgentRow(_Stamped, Base):
    """An assistant, a user proxy or a group chat manager."""

    __tablename__ = "studio_agent"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    system_message: Mapped[str] = mapped_column(Text, default="")
    model_id: Mapped[Optional[int]] = mapped_column(ForeignKey("studio_model.id"), nullable=True)
    skill_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    human_input_mode: Mapped[str] = mapped_column(String(20), default="NEVER")
    max_consecutive_auto_reply: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    code_execution: Mapped[str] = mapped_column(String(20), default="none")
    timeout: Mapped[int] = mapped_column(Integer, default=60)


class WorkflowRow(_Stamped, Base):
    """A two-agent chat or a group chat."""

    __tablename__ = "studio_workflow"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))
    initiator_id: Mapped[int] = mapped_column(ForeignKey("studio_agent.id"))
    receiver_id: Mapped[Optional[int]] = mapped_column(ForeignKey("studio_agent.id"), nullable=True)
    manager_id: Mapped[Optional[int]] = mapped_column(ForeignKey("studio_agent.id"), nullable=True)
    member_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    speaker_selection: Mapped[str] = mapped_column(String(20), default="auto")
    max_rounds: Mapped[int] = mapped_column(Integer, default=10)
    summary_method: Mapped[str] = mapped_column(String(30), default="last_msg")


class SessionRow(Base):
    """One run (or several, one after the other) of a workflow, and its outcome."""

    __tablename__ = "studio_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workflow_id: Mapped[int] = mapped_column(ForeignKey("studio_workflow.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    task: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="idle")
    stop_reason: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)
    error: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    cost: Mapped[float] = mapped_column(Float, default=0.0)
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, nullable=True)


class MessageRow(Base):
    """One message of a session, as it was sent."""

    __tablename__ = "studio_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("studio_session.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    content: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    tool_calls: Mapped[Optional[list[Any]]] = mapped_column(JSON, nullable=True)
    tool_responses: Mapped[Optional[list[Any]]] = mapped_column(JSON, nullable=True)
    code_blocks: Mapped[list[Any]] = mapped_column(JSON, default=list)
    code_output: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    cost: Mapped[float] = mapped_column(Float, default=0.0)
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
