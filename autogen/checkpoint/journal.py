"""The journal of a durable chat: every effect the chat had, so a crashed run can be replayed and go on.

A chat is deterministic given its effects: the model's replies, tool and code results, the human's
input and the chosen speakers. The engine asks the journal for each of them with :meth:`Journal.step`
under a *slot* (what was asked: the request's hash, the tool call, the prompt) and gets the recorded
value when the run is being resumed, or runs the effect and records it (one atomic append) when it
is new. Resuming a run therefore re-runs the chat's own logic in milliseconds, without one repeated
model or tool call, and goes on live from the first effect that was not recorded: the last
completed turn.

A tool call is recorded twice: when it starts and when it ends. One that started but never ended
(the process died inside it) is run again only if the tool was marked :func:`idempotent`; otherwise
the model is told it was interrupted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import weakref
from collections import defaultdict
from collections.abc import Awaitable
from typing import Any, Callable, Optional, TypeVar

from .store import CheckpointStore

__all__ = ["INTERRUPTED_TOOL_RESULT", "Journal", "idempotent", "is_idempotent", "slot_of"]

logger = logging.getLogger(__name__)
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

INTERRUPTED_TOOL_RESULT = (
    "Error: this tool call was interrupted when the run stopped unexpectedly, and it was not run again "
    "because the tool is not marked idempotent. Check its effects before calling it again."
)
_idempotent: weakref.WeakSet[Callable[..., Any]] = weakref.WeakSet()


def idempotent(func: F) -> F:
    """Mark a tool as safe to run twice: a resumed run re-runs it if the crash came while it ran."""
    _idempotent.add(func)
    return func


def is_idempotent(func: Any) -> bool:
    """Whether ``func`` (or the function it wraps) was marked with :func:`idempotent`."""
    seen = 0
    while func is not None and seen < 5:
        try:
            if func in _idempotent:
                return True
        except TypeError:  # not weak-referenceable
            return False
        func = getattr(func, "__wrapped__", None) or getattr(func, "_origin", None)
        seen += 1
    return False


def slot_of(*parts: Any) -> str:
    """A short, stable name for what a step asks (its parts as sorted JSON, hashed)."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Journal:
    """The recorded effects of one run id, replayed in order per slot, and recorded as they happen."""

    def __init__(self, store: CheckpointStore, run_id: str) -> None:
        if not isinstance(run_id, str) or not run_id:
            raise ValueError(f"run_id must be a non-empty str naming the run, not {run_id!r}")
        self.store = store
        self.run_id = run_id
        self._recorded: dict[tuple[str, str], list[Any]] = defaultdict(list)
        self._started: dict[tuple[str, str], int] = defaultdict(int)
        for entry in store.entries(run_id):
            if entry.get("kind") == "tool-start":
                self._started[("tool", entry["slot"])] += 1
            else:
                self._recorded[(entry["kind"], entry["slot"])].append(entry.get("value"))
        self._used: dict[tuple[str, str], int] = defaultdict(int)
        self.replayed = 0
        self.meta: dict[str, Any] = store.get_meta(run_id) or {}
        self.resumed = "status" in self.meta  # a launcher may have saved other metadata before the first start
        self.on_record: Optional[Callable[[], None]] = None

    async def step(self, kind: str, slot: str, produce: Callable[[], Awaitable[T]]) -> T:
        """The recorded value of this step when resuming, else ``await produce()``, recorded."""
        found, recorded, _ = self._next((kind, slot))
        if found:
            return recorded
        value = await produce()
        self._record(kind, slot, value)
        return value

    async def tool(self, slot: str, func: Any, produce: Callable[[], Awaitable[T]]) -> Any:
        """A tool call: its recorded result; or, if it was cut off by a crash, run again only when idempotent."""
        found, recorded, n = self._next(("tool", slot))
        if found:
            return recorded
        if n < self._started.get(("tool", slot), 0) and not is_idempotent(func):
            logger.warning("Run %r: a tool call was interrupted by the crash and is not run again.", self.run_id)
            self._record("tool", slot, INTERRUPTED_TOOL_RESULT)
            return INTERRUPTED_TOOL_RESULT
        self.store.append(self.run_id, {"kind": "tool-start", "slot": slot, "at": time.time()})
        value = await produce()
        self._record("tool", slot, value)
        return value

    def _next(self, key: tuple[str, str]) -> tuple[bool, Any, int]:
        """(whether the next use of ``key`` was recorded, the recorded value, how many uses came before)."""
        n = self._used[key]
        self._used[key] += 1
        recorded = self._recorded.get(key, [])
        if n < len(recorded):
            self.replayed += 1
            return True, recorded[n], n
        return False, None, n

    def _record(self, kind: str, slot: str, value: Any) -> None:
        self.store.append(self.run_id, {"kind": kind, "slot": slot, "value": value})
        if self.on_record is not None:
            self.on_record()

    def save_meta(self, **changes: Any) -> None:
        """Update the run's metadata (status, messages so far, usage, ...)."""
        self.meta.update(changes, updated=time.time())
        self.store.set_meta(self.run_id, self.meta)
