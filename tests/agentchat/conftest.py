"""Fixtures for agent tests: a scripted human (IOStream) and agents without a model."""

from __future__ import annotations

from collections.abc import Iterator

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
