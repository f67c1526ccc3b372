"""The agent protocols: what every participant in a conversation offers."""

from __future__ import annotations

from typing import Any, Optional, Protocol, Union, runtime_checkable

__all__ = ["Agent", "LLMAgent"]


@runtime_checkable
class Agent(Protocol):
    """Anything that can take part in a conversation: it has a name and sends, receives and replies."""

    @property
    def name(self) -> str:
        """The agent's name, unique within a conversation."""
        ...

    @property
    def description(self) -> str:
        """What the agent does; other agents (e.g. a group chat manager) read it."""
        ...

    def send(self, message: Union[dict[str, Any], str], recipient: Agent, request_reply: Optional[bool] = None) -> None:
        """Send ``message`` to ``recipient``."""
        ...

    async def a_send(
        self, message: Union[dict[str, Any], str], recipient: Agent, request_reply: Optional[bool] = None
    ) -> None:
        """Send ``message`` to ``recipient`` (async)."""
        ...

    def receive(self, message: Union[dict[str, Any], str], sender: Agent, request_reply: Optional[bool] = None) -> None:
        """Receive ``message`` from ``sender``."""
        ...

    async def a_receive(
        self, message: Union[dict[str, Any], str], sender: Agent, request_reply: Optional[bool] = None
    ) -> None:
        """Receive ``message`` from ``sender`` (async)."""
        ...

    def generate_reply(
        self, messages: Optional[list[dict[str, Any]]] = None, sender: Optional[Agent] = None, **kwargs: Any
    ) -> Union[str, dict[str, Any], None]:
        """Generate a reply to ``messages`` (or to the conversation with ``sender``)."""
        ...

    async def a_generate_reply(
        self, messages: Optional[list[dict[str, Any]]] = None, sender: Optional[Agent] = None, **kwargs: Any
    ) -> Union[str, dict[str, Any], None]:
        """Generate a reply (async)."""
        ...


@runtime_checkable
class LLMAgent(Agent, Protocol):
    """An agent backed by a language model, with a system message."""

    @property
    def system_message(self) -> str:
        """The system message sent to the model."""
        ...

    def update_system_message(self, system_message: str) -> None:
        """Replace the system message."""
        ...
