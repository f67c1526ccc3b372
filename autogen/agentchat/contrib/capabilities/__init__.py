"""Capabilities: add-ons that change how an existing agent behaves, through its hooks."""

from __future__ import annotations

from .agent_capability import AgentCapability
from .transform_messages import TransformMessages

__all__ = ["AgentCapability", "TransformMessages"]
