"""The logger interface that ``autogen.runtime_logging`` drives."""

from __future__ import annotations

import sqlite3
import uuid
from abc import ABC, abstractmethod
from typing import Any, Callable, Optional, Union

__all__ = ["BaseLogger", "LLMConfig"]

LLMConfig = dict[str, Union[float, int, dict[str, Any], list[Any], str, None]]


class BaseLogger(ABC):
    """Receives runtime events (LLM calls, new agents/wrappers/clients, events, tool uses) and stores them."""

    @abstractmethod
    def start(self) -> str:
        """Open the log and return the new session id."""

    @abstractmethod
    def log_chat_completion(
        self,
        invocation_id: uuid.UUID,
        client_id: int,
        wrapper_id: int,
        source: Any,
        request: dict[str, Any],
        response: Any,
        is_cached: int,
        cost: float,
        start_time: str,
    ) -> None:
        """Record one LLM request and its response (``source`` is the calling agent, its name, or None)."""

    @abstractmethod
    def log_new_agent(self, agent: Any, init_args: dict[str, Any]) -> None:
        """Record the creation of an agent."""

    @abstractmethod
    def log_event(self, source: Any, name: str, **kwargs: Any) -> None:
        """Record a named event raised by ``source`` (an agent or a string), with its details."""

    @abstractmethod
    def log_new_wrapper(self, wrapper: Any, init_args: dict[str, Any]) -> None:
        """Record the creation of an ``OpenAIWrapper``."""

    @abstractmethod
    def log_new_client(self, client: Any, wrapper: Any, init_args: dict[str, Any]) -> None:
        """Record a model client created inside a wrapper."""

    @abstractmethod
    def log_function_use(self, source: Any, function: Callable[..., Any], args: dict[str, Any], returns: Any) -> None:
        """Record one execution of a registered function or tool."""

    @abstractmethod
    def stop(self) -> None:
        """Write everything still pending and close the log."""

    @abstractmethod
    def get_connection(self) -> Optional[sqlite3.Connection]:
        """Return a database connection to the log, or None for loggers without one."""
