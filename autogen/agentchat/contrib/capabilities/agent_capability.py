"""The base class of agent capabilities."""

from __future__ import annotations

from typing import Any

__all__ = ["AgentCapability"]


class AgentCapability:
    """Something that can be added to an agent, usually by registering hooks on it."""

    def __init__(self) -> None:
        pass

    def add_to_agent(self, agent: Any) -> None:
        """Give ``agent`` this capability (subclasses register their hooks here)."""
        raise NotImplementedError(f"{type(self).__name__} must implement add_to_agent(agent)")
