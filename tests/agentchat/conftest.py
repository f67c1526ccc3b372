"""Fixtures for agent tests: a scripted human (IOStream) and a chat starter run sync and async."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any, Callable

import pytest

from autogen.io.base import IOStream
from autogen.testing import RecordingIOStream


@pytest.fixture
def human() -> Iterator[RecordingIOStream]:
    """A scripted human installed as the global IOStream; script answers with ``human.inputs.extend``."""
    stream = RecordingIOStream()
    previous = IOStream._global_default
    IOStream.set_global_default(stream)
    try:
        yield stream
    finally:
        IOStream._global_default = previous


@pytest.fixture(params=["sync", "async"])
def start(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """Start a chat with ``initiate_chat`` or ``a_initiate_chat``; tests using it run once for each."""

    def run(sender: Any, recipient: Any, **kwargs: Any) -> Any:
        if request.param == "sync":
            return sender.initiate_chat(recipient, **kwargs)
        return asyncio.run(sender.a_initiate_chat(recipient, **kwargs))

    return run
