"""Fixtures for agent tests: a scripted human (IOStream) and agents without a model."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from autogen.io.base import IOStream


class ScriptedIO:
    """An IOStream whose human answers come from a list; everything printed is kept."""

    def __init__(self, inputs: Iterable[str] = ()) -> None:
        self.inputs = deque(inputs)
        self.prompts: list[str] = []
        self.printed: list[str] = []

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        self.printed.append(sep.join(str(o) for o in objects) + end)

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        self.prompts.append(prompt)
        if not self.inputs:
            raise AssertionError(f"the test's human was asked more than scripted: {prompt!r}")
        return self.inputs.popleft()

    @property
    def text(self) -> str:
        return "".join(self.printed)


@pytest.fixture
def human() -> Iterator[ScriptedIO]:
    """A scripted human installed as the global IOStream; script answers with ``human.inputs.extend``."""
    stream = ScriptedIO()
    previous = IOStream._global_default
    IOStream.set_global_default(stream)
    try:
        yield stream
    finally:
        IOStream._global_default = previous
