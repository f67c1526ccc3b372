"""Nested chats: an agent replies by running a queue of chats and answering with the last summary."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Callable, Optional, Union, cast

from .._sync import run_sync
from ._agent_base import AgentBase
from .chat import ChatResult, a_initiate_chats, a_run_chat_sequence
from .chat_run import ChatRun, current_run

if TYPE_CHECKING:
    from .agent import Agent

__all__ = ["NestedChatsMixin"]

Message = dict[str, Any]


def chats_to_run(
    chat_queue: list[dict[str, Any]], recipient: Any, messages: list[Message], sender: Any, config: Any
) -> list[dict[str, Any]]:
    """The chats of ``chat_queue`` to run now, with senders and first messages filled in.

    A chat without a ``sender`` is sent by ``recipient`` (the agent replying); the first chat without a
    ``message`` starts with the last message received; a callable ``message`` is called with
    ``(recipient, messages, sender, config)``. Chats left without a message are skipped.
    """
    last_content = messages[-1].get("content") if messages else None
    chats = []
    for i, chat in enumerate(chat_queue):
        chat = dict(chat)
        if chat.get("sender") is None:
            chat["sender"] = recipient
        message = chat.get("message")
        if message is None and i == 0:
            message = last_content
        if callable(message):
            message = message(recipient, messages, sender, config)
        if message:
            chat["message"] = message
            chats.append(chat)
    return chats


async def _a_run_nested_chats(
    runner: Callable[[list[dict[str, Any]]], Awaitable[Union[list[ChatResult], dict[int, ChatResult]]]],
    chat_queue: list[dict[str, Any]],
    recipient: Any,
    messages: Optional[list[Message]],
    sender: Any,
    config: Any,
) -> tuple[bool, Optional[str]]:
    """Run the chats of ``chat_queue`` with ``runner``; reply with the last chat's summary."""
    chats = chats_to_run(chat_queue, recipient, messages or [], sender, config)
    if not chats:
        return True, None
    results = await runner(chats)
    last = results[-1] if isinstance(results, list) else results[list(results)[-1]]
    return True, last.summary


async def a_sequential_nested_chats(
    chat_queue: list[dict[str, Any]],
    recipient: Any,
    messages: Optional[list[Message]] = None,
    sender: Any = None,
    config: Any = None,
) -> tuple[bool, Optional[str]]:
    """Run the nested chats one after another (in the mode of the active chat); reply with the last summary."""
    run = current_run()
    return await _sequential(run.sync if run is not None else False, chat_queue, recipient, messages, sender, config)


async def _sequential(
    sync: bool, chat_queue: list[dict[str, Any]], recipient: Any, messages: Any, sender: Any, config: Any
) -> tuple[bool, Optional[str]]:
    async def run_in_sequence(chats: list[dict[str, Any]]) -> list[ChatResult]:
        return await a_run_chat_sequence(chats, sync=sync)

    return await _a_run_nested_chats(run_in_sequence, chat_queue, recipient, messages, sender, config)


class NestedChatsMixin(AgentBase):
    """``register_nested_chats`` and the reply functions it registers."""

    @staticmethod
    def _summary_from_nested_chats(
        chat_queue: list[dict[str, Any]],
        recipient: Any,
        messages: Optional[list[Message]] = None,
        sender: Optional[Agent] = None,
        config: Any = None,
    ) -> tuple[bool, Optional[str]]:
        """Run the nested chats one after another; reply with the last one's summary."""
        return run_sync(_sequential(True, chat_queue, recipient, messages, sender, config))

    @staticmethod
    async def _a_summary_from_nested_chats(
        chat_queue: list[dict[str, Any]],
        recipient: Any,
        messages: Optional[list[Message]] = None,
        sender: Optional[Agent] = None,
        config: Any = None,
    ) -> tuple[bool, Optional[str]]:
        """Run the nested chats with ``a_initiate_chats`` (prerequisites honoured); reply with the last summary."""
        return await _a_run_nested_chats(a_initiate_chats, chat_queue, recipient, messages, sender, config)

    def register_nested_chats(
        self,
        chat_queue: list[dict[str, Any]],
        trigger: Union[type, str, Agent, Callable[[Agent], bool], list[Any]],
        reply_func_from_nested_chats: Union[str, Callable[..., Any]] = "summary_from_nested_chats",
        position: int = 2,
        use_async: Union[bool, None] = None,
        **kwargs: Any,
    ) -> None:
        """Reply to messages from ``trigger`` by running ``chat_queue`` as nested chats.

        Args:
            chat_queue: chats as for ``initiate_chats``; ``sender`` defaults to this agent and the first
                chat's ``message`` to the message received.
            trigger: who fires the nested chats (as in ``register_reply``).
            reply_func_from_nested_chats: "summary_from_nested_chats" (reply with the last chat's summary)
                or a callable ``(chat_queue, recipient, messages, sender, config) -> (final, reply)``.
            position: where in the reply-function list to register it.
            use_async: run the chats with ``a_initiate_chats`` (each needs a ``chat_id``); only in async chats.
            kwargs: ``config``, ``reset_config``, ``ignore_async_in_sync_chat`` for ``register_reply``.
        """
        if use_async:
            for chat in chat_queue:
                if chat.get("chat_id") is None:
                    raise ValueError("chat_id is required for every chat of async nested chats")
        default = reply_func_from_nested_chats == "summary_from_nested_chats"
        if use_async:
            func = self._a_summary_from_nested_chats if default else reply_func_from_nested_chats
            if not callable(func) or not inspect.iscoroutinefunction(func):
                raise ValueError("reply_func_from_nested_chats must be a coroutine function when use_async=True")
            a_func = cast(Callable[..., Awaitable[Any]], func)

            async def wrapped_reply_func(
                recipient: Any, messages: Any = None, sender: Any = None, config: Any = None
            ) -> Any:
                return await a_func(chat_queue, recipient, messages, sender, config)

        else:
            func = self._summary_from_nested_chats if default else reply_func_from_nested_chats
            if not callable(func):
                raise ValueError("reply_func_from_nested_chats must be a callable")

            def wrapped_reply_func(recipient: Any, messages: Any = None, sender: Any = None, config: Any = None) -> Any:  # type: ignore[misc]
                return func(chat_queue, recipient, messages, sender, config)

        functools.update_wrapper(wrapped_reply_func, func)
        if default and not use_async:  # the engine runs the chats itself, in the mode of the chat that triggers them

            async def a_wrapped(recipient: Any, messages: Any = None, sender: Any = None, config: Any = None) -> Any:
                return await a_sequential_nested_chats(chat_queue, recipient, messages, sender, config)

            async def builtin(agent: Any, run: ChatRun, messages: Any, sender: Any, config: Any) -> Any:
                return await _sequential(run.sync, chat_queue, agent, messages, sender, config)

            self._register_builtin_reply(
                trigger,
                wrapped_reply_func,
                a_wrapped,
                builtin,
                position,
                kwargs.get("config"),
                kwargs.get("reset_config"),
            )
            return
        ignore = (not use_async) if use_async is not None else kwargs.get("ignore_async_in_sync_chat", False)
        self.register_reply(
            trigger,
            wrapped_reply_func,
            position,
            kwargs.get("config"),
            kwargs.get("reset_config"),
            ignore_async_in_sync_chat=ignore,
        )
