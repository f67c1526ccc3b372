"""Runtime-logging calls from agents; free when logging is off, and no import until it is on."""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["log_event_if_enabled", "log_function_use_if_enabled", "log_new_agent_if_enabled", "logging_enabled"]

_MODULE = "autogen.runtime_logging"


def logging_enabled() -> bool:
    """Whether ``autogen.runtime_logging`` has a session running (False when it was never imported)."""
    module = sys.modules.get(_MODULE)  # a session can only run once the module has been imported
    return module is not None and bool(module.logging_enabled())


def log_new_agent_if_enabled(agent: Any, init_args: dict[str, Any]) -> None:
    """Record a new agent and its constructor arguments."""
    if logging_enabled():
        sys.modules[_MODULE].log_new_agent(agent, init_args)


def log_event_if_enabled(source: Any, name: str, **kwargs: Any) -> None:
    """Record an event of an agent (a received message, a reply function run, ...)."""
    if logging_enabled():
        sys.modules[_MODULE].log_event(source, name, **kwargs)


def log_function_use_if_enabled(agent: Any, function: Any, args: dict[str, Any], returns: Any) -> None:
    """Record a tool call and its result."""
    if logging_enabled():
        sys.modules[_MODULE].log_function_use(agent, function, args, returns)
