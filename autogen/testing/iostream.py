"""An in-memory IOStream for tests: scripted human answers, everything printed kept."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from autogen.io.base import IOStream

__all__ = ["RecordingIOStream"]


class RecordingIOStream(IOStream):
    """An :class:`~autogen.io.IOStream` that records output and answers ``input()`` from a script.

    Install it for a block with ``IOStream.set_default(stream)`` (or process-wide with
    ``IOStream.set_global_default(stream)``), run the agents, then assert on what was shown.

    Example:
        >>> from autogen.io import IOStream
        >>> stream = RecordingIOStream(inputs=["exit"])
        >>> with IOStream.set_default(stream):
        ...     IOStream.get_default().print("hello", "world")
        ...     answer = IOStream.get_default().input("Your reply: ")
        >>> stream.printed, stream.prompts, answer
        (['hello world'], ['Your reply: '], 'exit')

    Attributes:
        inputs: Answers still to give, oldest first; add more with ``inputs.extend``.
        prompts: Every prompt ``input()`` was called with, in order.
        printed: One entry per ``print()`` call: its objects joined by ``sep``, without ``end``.
    """

    def __init__(self, inputs: Iterable[str] = ()) -> None:
        """Create a stream that answers ``input()`` with ``inputs`` in order.

        Args:
            inputs: The human's answers. Asking once more than scripted raises ``AssertionError``.
        """
        self.inputs: deque[str] = deque(inputs)
        self.prompts: list[str] = []
        self.printed: list[str] = []
        self._chunks: list[str] = []

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        """Record the objects as ``print`` would show them."""
        line = sep.join(str(o) for o in objects)
        self.printed.append(line)
        self._chunks.append(line + end)

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        """Record ``prompt`` and return the next scripted answer.

        Raises:
            AssertionError: No scripted answer is left.
        """
        self.prompts.append(prompt)
        if not self.inputs:
            raise AssertionError(f"input() was called more often than scripted; prompt: {prompt!r}")
        return self.inputs.popleft()

    @property
    def text(self) -> str:
        """Everything printed so far, exactly as a console would show it (each ``end`` included)."""
        return "".join(self._chunks)
