"""Durable chats, the engine's side: open a run's journal, save what ``autogen runs show`` reads, restore.

The journal itself (``autogen/checkpoint``) records the chat's effects; this module keeps the run's
metadata current (status, the chat's messages so far, usage, why it stopped) and, for a chat started
with ``clear_history=False``, the agents' histories as they were when the run began, so a new
process resumes from the same starting point.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Optional

from ..budget import Budget
from .chat_run import ChatRun

if TYPE_CHECKING:
    from ..checkpoint import Journal

__all__ = ["journal_for", "recorded", "run_options"]


def run_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The run options among ``initiate_chat``'s keyword arguments: ``budget``, ``checkpoint`` and ``run_id``."""
    options: dict[str, Any] = {"budget": Budget.of(kwargs.pop("budget", None), name="budget of the chat")}
    journal = journal_for(kwargs.pop("checkpoint", None), kwargs.pop("run_id", None))
    if journal is not None:
        options["checkpoint"] = journal
    return options


def journal_for(checkpoint: Any, run_id: Any) -> Optional[Journal]:
    """The journal of ``run_id`` in the store ``checkpoint`` names (None: the chat is not durable)."""
    if checkpoint is None:
        if run_id is not None:
            raise ValueError("run_id was given without checkpoint: pass checkpoint='runs.db' (or a redis:// URL) too")
        return None
    if run_id is None:
        raise ValueError("checkpoint needs run_id='...' naming the run, so the same call can resume it after a crash")
    from ..checkpoint import Journal, open_store  # loaded only for durable chats

    return Journal(open_store(checkpoint), str(run_id))


def _members(sender: Any, recipient: Any) -> list[Any]:
    agents = [sender, recipient]
    groupchat = getattr(recipient, "groupchat", None)
    for agent in getattr(groupchat, "agents", []):
        if all(agent is not a for a in agents):
            agents.append(agent)
    return agents


def _histories(agents: list[Any]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    return {
        agent.name: {peer.name: list(messages) for peer, messages in agent.chat_messages.items()}
        for agent in agents
        if hasattr(agent, "chat_messages")
    }


def _transcript(sender: Any, recipient: Any) -> list[dict[str, Any]]:
    groupchat = getattr(recipient, "groupchat", None)
    if groupchat is not None:
        return list(groupchat.messages)
    return list(sender.chat_messages.get(recipient, []))


def _begin(journal: Journal, run: ChatRun, sender: Any, recipient: Any, clear_history: bool) -> None:
    """Start or resume the run: save (or restore) the starting state, and keep the metadata current."""
    agents = _members(sender, recipient)
    groupchat = getattr(recipient, "groupchat", None)
    if journal.resumed and not clear_history:
        by_name = {a.name: a for a in agents}
        for name, histories in journal.meta.get("initial_histories", {}).items():
            agent = by_name.get(name)
            for peer_name, messages in histories.items():
                peer = by_name.get(peer_name)
                if agent is not None and peer is not None:
                    agent.chat_messages[peer] = [dict(m) for m in messages]
        if groupchat is not None:
            groupchat.messages[:] = [dict(m) for m in journal.meta.get("initial_group_messages", [])]
    starting: dict[str, Any] = {
        "status": "running",
        "sender": sender.name,
        "recipient": recipient.name,
        "resumes": journal.meta.get("resumes", -1) + 1,
    }
    if not journal.resumed:
        starting["started"] = time.time()
        if not clear_history:
            starting["initial_histories"] = _histories(agents)
            starting["initial_group_messages"] = list(getattr(groupchat, "messages", []))
    journal.save_meta(**starting)

    def save_progress() -> None:
        journal.save_meta(messages=_transcript(sender, recipient), usage=dataclasses.asdict(run.usage))

    journal.on_record = save_progress


@contextlib.contextmanager
def recorded(run: ChatRun, sender: Any, recipient: Any, clear_history: bool) -> Iterator[None]:
    """Keep a durable run's metadata current while its top chat runs (nothing for other runs)."""
    journal = run.checkpoint if run.parent is None else None
    if journal is None:
        yield
        return
    _begin(journal, run, sender, recipient, clear_history)
    try:
        yield
    except BaseException as error:
        _end(journal, run, sender, recipient, error)
        raise
    _end(journal, run, sender, recipient, None)


def _end(journal: Journal, run: ChatRun, sender: Any, recipient: Any, error: Optional[BaseException]) -> None:
    """Record how the run ended."""
    journal.on_record = None
    journal.save_meta(
        status="failed" if error is not None else "finished",
        error=None if error is None else f"{type(error).__name__}: {error}",
        stop_reason=run.stop_reason,
        messages=_transcript(sender, recipient),
        usage=dataclasses.asdict(run.usage),
        replayed_steps=journal.replayed,
    )
