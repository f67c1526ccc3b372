"""``ChatRun``: everything that belongs to one conversation and not to an agent.

``initiate_chat``, ``a_initiate_chat``, ``initiate_chats``, nested chats and group chats each create
one and pass it explicitly through the engine: send -> receive -> generate_reply -> reply
functions -> the model call. Agents keep only what is theirs (name, system message, llm_config,
functions, per-counterpart history). Two chats that share an agent therefore never see each
other's cache, mode or human input.

User code keeps 0.2's signatures; when it calls back into the engine (``super().send(...)`` in an
override, ``agent.generate_reply()`` in a reply function) the engine finds the run that is active
in the current context with :func:`current_run`.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Awaitable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar

from .._sync import in_worker_thread, on_calling_thread
from ..budget import Budget

if TYPE_CHECKING:
    from ..checkpoint.journal import Journal

__all__ = ["ChatRun", "RunUsage", "activated", "current_run", "new_run", "run_or_new"]

T = TypeVar("T")
_ids = itertools.count(1)
_active: ContextVar[Optional[ChatRun]] = ContextVar("autogen_chat_run", default=None)

# (sender, message, recipient, request_reply, silent): one message on its way
Hop = tuple[Any, Any, Any, Optional[bool], Optional[bool]]


@dataclass
class RunUsage:
    """Model usage of one chat run (every call made by any agent while the run was active)."""

    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0

    def add(self, prompt_tokens: int, completion_tokens: int, cost: float) -> None:
        """Count one model response."""
        self.llm_calls += 1
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens
        self.cost += cost


@dataclass(eq=False)
class ChatRun:
    """The state of one conversation.

    Attributes:
        sync: started from a sync entry point: sync user code runs on the calling thread, sync
            overrides are preferred, and unskippable coroutine reply functions are refused.
        cache: the cache every model call of the chat uses (None: each agent's own ``client_cache``).
        silent: print nothing.
        max_turns: round trips before the chat stops (None: until termination).
        human_input: what the human typed for the chat's sender.
        usage: model usage of this chat alone.
        checkpoint: the journal that saves the run as it goes (durable chats; None: nothing is saved).
        budget: this run's own limits (None: none); the budgets of the runs that contain it apply too.
        parent: the run that started this one (nested chats, group chats).
        stop_reason: why the chat ended ("termination_message", "max_turns", "budget", ...), once it has.
    """

    sync: bool = False
    cache: Any = None
    silent: Optional[bool] = False
    max_turns: Optional[int] = None
    human_input: list[str] = field(default_factory=list)
    usage: RunUsage = field(default_factory=RunUsage)
    checkpoint: Optional[Journal] = None
    budget: Optional[Budget] = None
    parent: Optional[ChatRun] = None
    stop_reason: Optional[str] = None
    id: int = field(default_factory=lambda: next(_ids))
    # the hop an overridden send/receive hands back to the engine through super() (see _engine)
    _awaited: Optional[tuple[str, Any, Any]] = field(default=None, repr=False)
    _handed_back: Optional[Hop] = field(default=None, repr=False)

    def child(self, **changes: Any) -> ChatRun:
        """A run for a chat started inside this one: same mode and checkpoint; its budgets still apply."""
        settings: dict[str, Any] = {"sync": self.sync, "checkpoint": self.checkpoint}
        settings.update(changes)
        return ChatRun(parent=self, **settings)

    def budgets_for(self, agent: Any) -> list[Budget]:
        """The budgets a model call of ``agent`` in this run counts against (this run's, its parents', the agent's)."""
        found: list[Budget] = []
        run: Optional[ChatRun] = self
        while run is not None:
            if run.budget is not None:
                found.append(run.budget)
            run = run.parent
        own = getattr(agent, "budget", None)
        if isinstance(own, Budget):
            found.append(own)
        return found

    def stop(self, reason: str) -> None:
        """Record why the chat ends (the first reason given wins)."""
        if self.stop_reason is None:
            self.stop_reason = reason

    def cache_for(self, agent: Any) -> Any:
        """The cache ``agent``'s model calls use in this run."""
        return self.cache if self.cache is not None else getattr(agent, "client_cache", None)

    def record(self, response: Any) -> None:
        """Count a model response in this run and in the runs that contain it."""
        usage = getattr(response, "usage", None)
        self.record_usage(
            int(getattr(usage, "prompt_tokens", 0) or 0),
            int(getattr(usage, "completion_tokens", 0) or 0),
            float(getattr(response, "cost", 0.0) or 0.0),
        )

    def record_usage(self, prompt_tokens: int, completion_tokens: int, cost: float) -> None:
        """Count one model call's usage in this run and in the runs that contain it."""
        run: Optional[ChatRun] = self
        while run is not None:
            run.usage.add(prompt_tokens, completion_tokens, cost)
            run = run.parent

    async def effect(self, kind: str, what: tuple[Any, ...], produce: Callable[[], Awaitable[T]]) -> T:
        """An effect of the chat (a model reply, a human answer, a chosen speaker): recorded in the run's
        journal when the chat is durable, replayed from it when the run is resumed. ``what`` names it
        (e.g. the agent and the request); it is hashed only in durable chats."""
        if self.checkpoint is None:
            return await produce()
        from ..checkpoint.journal import slot_of  # durable chats only: keeps the first agent's start-up lean

        return await self.checkpoint.step(kind, slot_of(*what), produce)

    async def call_user(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run sync user code: on the calling thread in a sync chat, on a worker thread in an async one."""
        if self.sync:
            return await on_calling_thread(fn, *args, **kwargs)
        return await in_worker_thread(fn, *args, **kwargs)

    # ---- overrides of send/receive: the reply they pass to super() goes back to the engine's loop ----
    def await_hand_back(self, step: str, agent: Any, peer: Any) -> None:
        """The engine calls ``agent``'s override of ``step`` ("send" or "receive") with ``peer``."""
        self._awaited = (step, agent, peer)
        self._handed_back = None

    def claims(self, step: str, agent: Any, peer: Any) -> bool:
        """Whether a base ``step`` call from ``agent`` to/from ``peer`` is the one the engine waits for."""
        awaited = self._awaited
        if awaited is None or awaited[0] != step or awaited[1] is not agent or awaited[2] is not peer:
            return False
        self._awaited = None
        return True

    def hand_back(self, hop: Optional[Hop]) -> None:
        """Give the engine the next message to deliver."""
        self._handed_back = hop

    def take_hand_back(self) -> Optional[Hop]:
        """The hop handed back by the override (None: the chat stops here); clears the expectation."""
        hop, self._handed_back, self._awaited = self._handed_back, None, None
        return hop


def current_run() -> Optional[ChatRun]:
    """The run active in this context, or None outside any chat."""
    return _active.get()


def run_or_new(sync: bool) -> ChatRun:
    """The active run, or a fresh one for a call made outside any chat."""
    run = _active.get()
    return run if run is not None else ChatRun(sync=sync)


def new_run(sync: bool, **settings: Any) -> ChatRun:
    """A run for a chat starting now: a child of the active run (nested chats), else a top-level one."""
    parent = _active.get()
    return parent.child(sync=sync, **settings) if parent is not None else ChatRun(sync=sync, **settings)


@contextlib.contextmanager
def activated(run: ChatRun) -> Iterator[ChatRun]:
    """Make ``run`` the active run while the block runs (user code calling back into the engine finds it)."""
    token = _active.set(run)
    try:
        yield run
    finally:
        _active.reset(token)
