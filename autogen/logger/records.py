"""Turning logging calls into records: a cheap snapshot taken on the caller's thread.

A record is ``(kind, fields, payloads)``: ``fields`` hold scalars, ``payloads`` hold the
structured arguments (request, response, init args, ...) either as JSON text or, for the LLM
request, as a :class:`Snapshot`: copies of the message list and messages, made in microseconds,
which the writer thread serialises. Either way the record no longer shares anything the caller
changes later (an agent's history keeps growing). Secrets are removed on the writer thread
(see :mod:`autogen.logger.redact`).
"""

from __future__ import annotations

import json
import sys
import threading
import uuid
from typing import Any, Callable, NamedTuple

from .logger_utils import get_current_ts, to_dict

__all__ = ["Record", "chat_completion", "event", "function_use", "new_agent", "new_client", "new_wrapper"]

# Never written, whatever the object (0.2 left these out of init args too).
_EXCLUDED_ARGS = ("self", "__class__", "api_key", "azure_ad_token", "organization", "http_client")


class Snapshot(NamedTuple):
    """A copied structure that the writer thread turns into JSON text."""

    value: Any

    def to_json(self) -> str:
        """The JSON text of the copied value."""
        return _json(self.value)


class Record(NamedTuple):
    """One log entry waiting to be written."""

    kind: str
    fields: dict[str, Any]
    payloads: dict[str, Any]  # name -> JSON text or Snapshot


def _json(value: Any, exclude: tuple[str, ...] = (), no_recursive: tuple[Any, ...] = ()) -> str:
    """JSON text of ``value``; objects json cannot write go through ``to_dict``."""
    if not exclude:
        try:
            return json.dumps(value, default=lambda o: to_dict(o, no_recursive=no_recursive))
        except (TypeError, ValueError):  # unusual keys or a reference cycle: the careful path below
            pass
    return json.dumps(to_dict(value, exclude=exclude, no_recursive=no_recursive))


def _copy_message(message: Any) -> Any:
    if not isinstance(message, dict):
        return message
    copied = dict(message)
    for key in ("content", "tool_calls", "tool_responses"):
        if isinstance(copied.get(key), list):
            copied[key] = [dict(item) if isinstance(item, dict) else item for item in copied[key]]
    return copied


def _snapshot_request(request: Any) -> Any:
    """Copy an LLM request down to its messages' parts: cheap, and enough to freeze it."""
    if not isinstance(request, dict):
        return _json(request)
    copied = dict(request)
    if isinstance(copied.get("messages"), list):
        copied["messages"] = [_copy_message(m) for m in copied["messages"]]
    return Snapshot(copied)


def _response_json(response: Any) -> str:
    if isinstance(response, str):
        return json.dumps({"response": response})
    model_dump_json = getattr(response, "model_dump_json", None)
    if callable(model_dump_json):
        try:
            return model_dump_json()
        except Exception:  # extra attributes that pydantic cannot write: the generic path
            pass
    return _json(response)


def _agent_types() -> tuple[Any, ...]:
    # Agents refer to each other, so they are logged by name, never expanded. No import here:
    # if the agent module was never loaded, no agent can appear in the arguments.
    module = sys.modules.get("autogen.agentchat.conversable_agent")
    agent_class = getattr(module, "ConversableAgent", None) if module is not None else None
    return (agent_class,) if isinstance(agent_class, type) else ()


def source_name(source: Any) -> Any:
    """The name a record shows for its source: a string as is, an agent's name, else None."""
    if source is None or isinstance(source, str):
        return source
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else type(source).__name__


def chat_completion(
    invocation_id: Any,
    client_id: int,
    wrapper_id: int,
    source: Any,
    request: dict[str, Any],
    response: Any,
    is_cached: int,
    cost: float,
    start_time: str,
) -> Record:
    """Snapshot one LLM call."""
    return Record(
        "chat_completion",
        {
            "invocation_id": str(invocation_id),
            "client_id": client_id,
            "wrapper_id": wrapper_id,
            "source_name": source_name(source),
            "is_cached": int(bool(is_cached)),
            "cost": float(cost or 0.0),
            "start_time": start_time,
            "end_time": get_current_ts(),
            "thread_id": threading.get_ident(),
        },
        {"request": _snapshot_request(request), "response": _response_json(response)},
    )


def new_agent(agent: Any, init_args: dict[str, Any]) -> Record:
    """Snapshot the creation of an agent."""
    client = getattr(agent, "client", None)
    wrapper_id = id(client) if client is not None else None
    return Record(
        "new_agent",
        {
            "agent_id": id(agent),
            "wrapper_id": wrapper_id,
            "agent_name": source_name(agent),
            "agent_type": type(agent).__name__,
            "timestamp": get_current_ts(),
            "thread_id": threading.get_ident(),
        },
        {"args": _json(init_args, exclude=_EXCLUDED_ARGS, no_recursive=_agent_types())},
    )


def new_wrapper(wrapper: Any, init_args: dict[str, Any]) -> Record:
    """Snapshot the creation of an ``OpenAIWrapper``."""
    return Record(
        "new_wrapper",
        {"wrapper_id": id(wrapper), "timestamp": get_current_ts(), "thread_id": threading.get_ident()},
        {"json_state": _json(init_args, exclude=_EXCLUDED_ARGS, no_recursive=_agent_types())},
    )


def new_client(client: Any, wrapper: Any, init_args: dict[str, Any]) -> Record:
    """Snapshot the creation of a model client inside a wrapper."""
    return Record(
        "new_client",
        {
            "client_id": id(client),
            "wrapper_id": id(wrapper),
            "client_class": type(client).__name__,
            "timestamp": get_current_ts(),
            "thread_id": threading.get_ident(),
        },
        {"json_state": _json(init_args, exclude=_EXCLUDED_ARGS, no_recursive=_agent_types())},
    )


def event(source: Any, name: str, kwargs: dict[str, Any]) -> Record:
    """Snapshot a named event."""
    is_object = source is not None and not isinstance(source, str)
    return Record(
        "event",
        {
            "event_name": name,
            "source_id": id(source),
            "source_name": source_name(source),
            "agent_module": type(source).__module__ if is_object else None,
            "agent_class": type(source).__name__ if is_object else None,
            "timestamp": get_current_ts(),
            "thread_id": threading.get_ident(),
        },
        {"json_state": _json(kwargs, no_recursive=_agent_types())},
    )


def function_use(source: Any, function: Callable[..., Any], args: dict[str, Any], returns: Any) -> Record:
    """Snapshot one function/tool execution."""
    function_name = getattr(function, "__name__", None) or str(function)
    return Record(
        "function_use",
        {
            "source_id": id(source),
            "source_name": source_name(source),
            "function_name": function_name,
            "timestamp": get_current_ts(),
            "thread_id": threading.get_ident(),
        },
        {
            "input_args": _json(args, no_recursive=_agent_types()),
            "returns": _json(returns, no_recursive=_agent_types()),
        },
    )


def new_invocation_id() -> str:
    """A fresh id for one LLM invocation."""
    return str(uuid.uuid4())
