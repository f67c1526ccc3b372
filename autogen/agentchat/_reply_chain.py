"""The reply-function chain: registration entries, trigger matching, and the sync/async chat mode.

A chat started with a sync entry point (``initiate_chat``, ``send``, ``generate_reply``, ...) runs
the same async engine as an async chat; only the *mode* differs. The mode lives in a context
variable, so concurrent chats each see their own. In a sync chat, user coroutine reply functions
registered with ``ignore_async_in_sync_chat=True`` are skipped, as in 0.2.

Built-in reply functions are registered under their sync public name (for example
``ConversableAgent.generate_oai_reply``) and linked to the coroutine that implements them, which
is what the engine awaits. So each occupies one slot and nothing runs twice.
"""

from __future__ import annotations

import inspect
from collections.abc import Coroutine
from contextvars import ContextVar
from typing import Any, Callable, Optional, TypeVar

from .._sync import run_sync
from ..exception_utils import SenderRequired
from .agent import Agent

__all__ = [
    "async_impl_of",
    "in_sync_chat",
    "link_async_impl",
    "make_entry",
    "match_trigger",
    "run_as_sync_chat",
    "validate_trigger",
]

T = TypeVar("T")

_ASYNC_IMPL_ATTR = "_autogen_async_impl"
_sync_chat: ContextVar[bool] = ContextVar("autogen_sync_chat", default=False)


def in_sync_chat() -> bool:
    """True while the current task runs a chat started from a sync entry point."""
    return _sync_chat.get()


async def _with_mode(coro: Coroutine[Any, Any, T], sync: bool) -> T:
    token = _sync_chat.set(sync)
    try:
        return await coro
    finally:
        _sync_chat.reset(token)


def run_as_sync_chat(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from sync code, in sync-chat mode.

    When the calling thread already runs an event loop, ``run_sync`` uses a worker thread; the
    caller's context variables (e.g. the IOStream set with ``IOStream.set_default``) go with it.
    """
    return run_sync(_with_mode(coro, True))


async def as_async_chat(coro: Coroutine[Any, Any, T]) -> T:
    """Await ``coro`` in async-chat mode (every coroutine reply function is eligible)."""
    return await _with_mode(coro, False)


def link_async_impl(sync_func: Callable[..., Any], async_func: Callable[..., Any]) -> None:
    """Declare that the reply function ``sync_func`` is implemented by the coroutine ``async_func``.

    The engine then awaits ``async_func`` in both sync and async chats; ``exclude=[...]`` and
    ``replace_reply_func`` accept either name.
    """
    setattr(sync_func, _ASYNC_IMPL_ATTR, async_func)


def async_impl_of(func: Callable[..., Any]) -> Optional[Callable[..., Any]]:
    """The coroutine linked to ``func`` with :func:`link_async_impl`, if any."""
    return getattr(func, _ASYNC_IMPL_ATTR, None)


def check_agent(value: Any, argument: str) -> None:
    """Raise TypeError unless ``value`` is an agent; ``argument`` names it in the message."""
    if not is_agent(value):
        raise TypeError(f"{argument} must be an Agent (for example a ConversableAgent), not {type(value).__name__}")


def _sync_overridden(obj: Any, name: str) -> bool:
    """Whether a sync chat must call ``obj.<name>`` itself: a non-ConversableAgent, or an override."""
    base = _conversable_agent_class()
    if not isinstance(obj, base):
        return True
    return name in obj.__dict__ or getattr(type(obj), name) is not getattr(base, name)


async def call_agent_method(obj: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call ``obj.a_<name>`` — or, in a sync chat, ``obj.<name>`` where a subclass overrides it."""
    if in_sync_chat() and _sync_overridden(obj, name):
        return getattr(obj, name)(*args, **kwargs)
    return await getattr(obj, "a_" + name)(*args, **kwargs)


def overrides_send(agent: Any) -> bool:
    """Whether sending from ``agent`` must go through an overridden ``send``/``a_send``."""
    base = _conversable_agent_class()
    if "a_send" in agent.__dict__ or type(agent).a_send is not base.a_send:
        return True
    return in_sync_chat() and _sync_overridden(agent, "send")


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


_agent_types: tuple[type, ...] = ()


def _conversable_agent_class() -> type[Any]:
    global _agent_types
    if not _agent_types:
        from .conversable_agent import ConversableAgent

        _agent_types = (ConversableAgent, Agent)  # checked in order: the fast one first
    return _agent_types[0]


def is_agent(value: Any) -> bool:
    """Whether ``value`` is an agent (fast for ConversableAgent; the Protocol check is slow)."""
    if not _agent_types:
        _conversable_agent_class()
    return isinstance(value, _agent_types)


def match_trigger(trigger: Any, sender: Any) -> bool:
    """Whether a message from ``sender`` fires a reply function registered with ``trigger``."""
    if trigger is None:
        return sender is None
    if isinstance(trigger, type):
        if trigger is Agent:
            return sender is not None and is_agent(sender)
        return isinstance(sender, trigger)
    if isinstance(trigger, str):
        if sender is None:
            raise SenderRequired()
        return trigger == sender.name
    if isinstance(trigger, list):
        return any(match_trigger(t, sender) for t in trigger)
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
) -> dict[str, Any]:
    """A ``_reply_func_list`` entry, with the same keys as 0.2."""
    import copy

    return {
        "trigger": trigger,
        "reply_func": reply_func,
        "config": copy.copy(config),
        "init_config": config,
        "reset_config": reset_config,
        "ignore_async_in_sync_chat": bool(ignore_async_in_sync_chat) and inspect.iscoroutinefunction(reply_func),
    }


def is_excluded(reply_func: Callable[..., Any], exclude: Any) -> bool:
    """Whether ``reply_func`` (or its linked coroutine) is in ``exclude``."""
    if not exclude:
        return False
    impl = async_impl_of(reply_func)
    return any(f is reply_func or f == reply_func or (impl is not None and f is impl) for f in exclude)


def is_unignorable_async(entry: dict[str, Any]) -> bool:
    """A user coroutine reply function that a sync chat could not run."""
    func = entry["reply_func"]
    return (
        inspect.iscoroutinefunction(func) and not entry.get("ignore_async_in_sync_chat") and async_impl_of(func) is None
    )


async def call_reply_func(entry: dict[str, Any], agent: Any, messages: Any, sender: Any) -> Optional[tuple[bool, Any]]:
    """Run one reply function; None when the current chat mode skips it."""
    func = entry["reply_func"]
    impl = async_impl_of(func)
    if impl is not None:
        return await impl(agent, messages=messages, sender=sender, config=entry["config"])
    if inspect.iscoroutinefunction(func):
        if entry.get("ignore_async_in_sync_chat") and in_sync_chat():
            return None
        return await func(agent, messages=messages, sender=sender, config=entry["config"])
    result = func(agent, messages=messages, sender=sender, config=entry["config"])
    if inspect.isawaitable(result):
        result = await result
    return result
