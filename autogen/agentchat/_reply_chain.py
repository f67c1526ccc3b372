"""The reply-function chain: registration entries and trigger matching.

An entry is a dict with 0.2's keys (``trigger``, ``reply_func``, ``config``, ``init_config``,
``reset_config``, ``ignore_async_in_sync_chat``). A built-in reply function's entry also holds
``builtin``: the engine coroutine that implements it and takes the chat run, and ``aliases``: its
public sync and async names, so ``exclude``, ``replace_reply_func`` and ``remove_reply_func``
accept either.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Awaitable
from typing import Any, Callable, Optional

from ..exception_utils import SenderRequired
from .agent import Agent

__all__ = ["check_agent", "is_agent", "is_excluded", "make_entry", "match_trigger", "validate_trigger"]

# (agent, run, messages, sender, config) -> (final, reply)
Builtin = Callable[[Any, Any, Any, Any, Any], Awaitable[Any]]
_is_agent_type: dict[type, bool] = {}


def is_agent(value: Any) -> bool:
    """Whether ``value`` is an agent (the Protocol check, cached per class because it is slow)."""
    cls = type(value)
    known = _is_agent_type.get(cls)
    if known is None:
        known = _is_agent_type[cls] = isinstance(value, Agent)
    return known


def check_agent(value: Any, argument: str) -> None:
    """Raise TypeError unless ``value`` is an agent; ``argument`` names it in the message."""
    if not is_agent(value):
        raise TypeError(f"{argument} must be an Agent (for example a ConversableAgent), not {type(value).__name__}")


def validate_trigger(trigger: Any) -> None:
    """Raise ValueError unless ``trigger`` is a class, name, agent, callable, None or a list of these."""
    if isinstance(trigger, list):
        for item in trigger:
            validate_trigger(item)
        return
    if trigger is None or isinstance(trigger, (type, str)) or callable(trigger) or is_agent(trigger):
        return
    raise ValueError(
        f"trigger must be a class, an agent name, an agent, a callable, None or a list of these; got {trigger!r}"
    )


def match_trigger(trigger: Any, sender: Any) -> bool:
    """Whether a message from ``sender`` fires a reply function registered with ``trigger``."""
    # this runs for every reply function of every reply: the default trigger [Agent, None] goes first
    if isinstance(trigger, list):
        return any(match_trigger(item, sender) for item in trigger)
    if trigger is Agent:
        return sender is not None and is_agent(sender)
    if trigger is None:
        return sender is None
    if isinstance(trigger, type):
        return isinstance(sender, trigger)
    if isinstance(trigger, str):
        if sender is None:
            raise SenderRequired()
        return trigger == sender.name
    if is_agent(trigger):
        return trigger is sender
    if callable(trigger):
        result = trigger(sender)
        if not isinstance(result, bool):
            raise TypeError(f"trigger {trigger!r} must return a bool, got {result!r}")
        return result
    raise ValueError(f"unsupported trigger type: {type(trigger).__name__}")


def make_entry(
    trigger: Any,
    reply_func: Callable[..., Any],
    config: Any,
    reset_config: Optional[Callable[[Any], Any]],
    ignore_async_in_sync_chat: bool,
    builtin: Optional[Builtin] = None,
    aliases: tuple[Callable[..., Any], ...] = (),
) -> dict[str, Any]:
    """A ``_reply_func_list`` entry, with 0.2's keys (plus ``builtin`` and ``aliases`` for built-ins)."""
    entry = {
        "trigger": trigger,
        "reply_func": reply_func,
        "config": copy.copy(config),
        "init_config": config,
        "reset_config": reset_config,
        "ignore_async_in_sync_chat": bool(ignore_async_in_sync_chat) and inspect.iscoroutinefunction(reply_func),
    }
    if builtin is not None:
        entry["builtin"] = builtin
        entry["aliases"] = aliases
    return entry


def is_excluded(entry: dict[str, Any], exclude: Any) -> bool:
    """Whether the entry's reply function (under any of its names) is in ``exclude``."""
    if not exclude:
        return False
    names = (entry["reply_func"], *entry.get("aliases", ()))
    return any(f is name or f == name for f in exclude for name in names)


def is_unignorable_async(entry: dict[str, Any]) -> bool:
    """A user coroutine reply function that a sync chat could not run."""
    return (
        "builtin" not in entry
        and inspect.iscoroutinefunction(entry["reply_func"])
        and not entry.get("ignore_async_in_sync_chat")
    )
