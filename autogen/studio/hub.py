"""Live events of each session, fanned out to every websocket watching it."""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["EventHub"]


class EventHub:
    """Per-session subscriber queues; publishing never blocks (all on the app's event loop)."""

    def __init__(self) -> None:
        self._queues: dict[int, set[asyncio.Queue[dict[str, Any]]]] = {}

    def subscribe(self, session_id: int) -> asyncio.Queue[dict[str, Any]]:
        """A queue that receives every event of the session published from now on."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._queues.setdefault(session_id, set()).add(queue)
        return queue

    def unsubscribe(self, session_id: int, queue: asyncio.Queue[dict[str, Any]]) -> None:
        """Stop delivering the session's events to ``queue``."""
        queues = self._queues.get(session_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._queues[session_id]

    def publish(self, session_id: int, event: dict[str, Any]) -> None:
        """Send ``event`` to every subscriber of the session."""
        for queue in list(self._queues.get(session_id, ())):
            queue.put_nowait(event)
