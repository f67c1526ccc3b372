"""Human input from the browser: an agent's question waits for the answer typed in the playground."""

from __future__ import annotations

import asyncio
from typing import Callable, Optional

__all__ = ["HumanChannel"]


class HumanChannel:
    """One session's questions to the human (one at a time, as a chat asks them).

    Args:
        on_ask: called with the prompt when a question starts waiting.
        on_done: called when it got an answer or timed out.
        timeout: seconds to wait for an answer.
    """

    def __init__(self, on_ask: Callable[[str], None], on_done: Callable[[], None], timeout: float) -> None:
        self.on_ask = on_ask
        self.on_done = on_done
        self.timeout = timeout
        self._pending: Optional[asyncio.Future[str]] = None
        self._deadline = 0.0
        self.prompt: Optional[str] = None

    @property
    def waiting(self) -> bool:
        """True while a question waits for its answer."""
        return self._pending is not None and not self._pending.done()

    async def ask(self, prompt: str) -> Optional[str]:
        """The human's answer, or None when none came within the timeout."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str] = loop.create_future()
        self._pending, self.prompt, self._deadline = future, prompt, loop.time() + self.timeout
        self.on_ask(prompt)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except asyncio.TimeoutError:
            return None
        finally:
            self._pending, self.prompt = None, None
            self.on_done()

    def seconds_left(self) -> float:
        """Seconds until the waiting question times out (0 when none waits)."""
        if not self.waiting:
            return 0.0
        return max(0.0, self._deadline - asyncio.get_running_loop().time())

    def answer(self, text: str) -> bool:
        """Give the waiting question its answer; False when nothing is waiting."""
        if not self.waiting:
            return False
        assert self._pending is not None
        self._pending.set_result(text)
        return True
