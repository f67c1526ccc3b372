"""Chat results and chat sequences: ``initiate_chats`` (sequential, with carryover) and
``a_initiate_chats`` (async, honouring ``prerequisites``, independent chats run concurrently)."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

from .._sync import run_sync
from . import _durable as durable
from ._agent_base import AgentBase
from ._chat_result import ChatResult
from ._printing import print_carryover
from .chat_run import new_run
from .utils import consolidate_chat_info

__all__ = ["ChatResult", "a_initiate_chats", "initiate_chats"]


def _validate_recipients(chat_queue: list[dict[str, Any]]) -> None:
    """Warn when one recipient appears in several chats (its history carries over between them)."""
    seen: set[int] = set()
    for chat_info in chat_queue:
        recipient = chat_info["recipient"]
        if id(recipient) in seen:
            warnings.warn(
                f"Repetitive recipients detected: {getattr(recipient, 'name', recipient)!r} appears in more than "
                "one chat; set clear_history in its chats if its history should not carry over.",
                UserWarning,
                stacklevel=3,
            )
        seen.add(id(recipient))


def _with_carryover(chat_info: dict[str, Any], previous: dict[int, ChatResult]) -> dict[str, Any]:
    """A copy of ``chat_info`` whose ``carryover`` also holds the summaries of ``previous`` chats."""
    info = dict(chat_info)
    carryover = info.get("carryover", [])
    if isinstance(carryover, str):
        carryover = [carryover]
    excluded = info.get("finished_chat_indexes_to_exclude_from_carryover", [])
    info["carryover"] = list(carryover) + [r.summary for i, r in previous.items() if i not in excluded]
    if not info.get("silent", False):
        print_carryover(info)
    return info


async def _a_run_one(chat_info: dict[str, Any], sync: bool) -> ChatResult:
    """Run one chat of a queue in a run of its own (a child of the active run, e.g. for nested chats)."""
    sender = chat_info["sender"]
    kwargs = {k: v for k, v in chat_info.items() if k != "sender"}
    if not isinstance(sender, AgentBase):
        return await sender.a_initiate_chat(**kwargs)
    run = new_run(
        sync,
        cache=kwargs.pop("cache", None),
        silent=kwargs.pop("silent", False),
        max_turns=kwargs.pop("max_turns", None),
        **durable.run_options(kwargs),
    )
    return await sender._a_chat(run, **kwargs)  # type: ignore[attr-defined]


async def a_run_chat_sequence(chat_queue: list[dict[str, Any]], sync: bool = False) -> list[ChatResult]:
    """Run chats one after another; each one's carryover gets the summaries of those before it."""
    consolidate_chat_info(chat_queue)
    _validate_recipients(chat_queue)
    finished: dict[int, ChatResult] = {}
    for i, chat_info in enumerate(chat_queue):
        finished[i] = await _a_run_one(_with_carryover(chat_info, finished), sync)
    return list(finished.values())


def initiate_chats(chat_queue: list[dict[str, Any]]) -> list[ChatResult]:
    """Run a sequence of two-agent chats, passing each one's summary on as carryover.

    Args:
        chat_queue: dicts with ``sender``, ``recipient`` and any ``initiate_chat`` arguments
            (``message``, ``summary_method``, ``summary_args``, ``max_turns``, ``clear_history``,
            ``silent``, ``cache``, ``carryover``, ``finished_chat_indexes_to_exclude_from_carryover``).

    Returns:
        One ``ChatResult`` per chat, in order.
    """
    return run_sync(a_run_chat_sequence(chat_queue, sync=True))


def _chat_order(chat_book: dict[int, dict[str, Any]]) -> list[int]:
    """Chat ids in an order where every chat comes after its prerequisites; ValueError on a cycle."""
    order: list[int] = []
    state: dict[int, int] = {}  # 1 visiting, 2 done

    def visit(chat_id: int, path: tuple[int, ...]) -> None:
        if state.get(chat_id) == 2:
            return
        if state.get(chat_id) == 1:
            raise ValueError(f"Circular chat prerequisites: {' -> '.join(map(str, (*path, chat_id)))}")
        state[chat_id] = 1
        for prerequisite in chat_book[chat_id].get("prerequisites", []):
            if prerequisite not in chat_book:
                raise ValueError(
                    f"Chat {chat_id} has prerequisite {prerequisite!r}, which is not a chat_id in the queue"
                )
            visit(prerequisite, (*path, chat_id))
        state[chat_id] = 2
        order.append(chat_id)

    for chat_id in chat_book:
        visit(chat_id, ())
    return order


async def a_initiate_chats(chat_queue: list[dict[str, Any]]) -> dict[int, ChatResult]:
    """Run chats concurrently, each after the chats its ``prerequisites`` name have finished.

    Args:
        chat_queue: like :func:`initiate_chats`, each dict with a ``chat_id`` (default: its index) and
            optionally ``prerequisites``, a list of chat ids whose summaries become its carryover.

    Returns:
        chat_id -> ``ChatResult``.
    """
    consolidate_chat_info(chat_queue)
    _validate_recipients(chat_queue)
    chat_book = {info.get("chat_id", i): info for i, info in enumerate(chat_queue)}
    if len(chat_book) != len(chat_queue):
        raise ValueError("chat_id values in chat_queue must be unique")
    order = _chat_order(chat_book)
    tasks: dict[int, asyncio.Task[ChatResult]] = {}

    async def run(chat_id: int) -> ChatResult:
        info = chat_book[chat_id]
        previous = {p: await tasks[p] for p in info.get("prerequisites", [])}
        info = {k: v for k, v in _with_carryover(info, previous).items() if k not in ("chat_id", "prerequisites")}
        result = await _a_run_one(info, sync=False)
        result.chat_id = chat_id
        return result

    for chat_id in order:
        tasks[chat_id] = asyncio.ensure_future(run(chat_id))
    try:
        await asyncio.gather(*tasks.values())
    except BaseException:
        for task in tasks.values():
            task.cancel()
        raise
    return {chat_id: tasks[chat_id].result() for chat_id in chat_book}
