"""Fixtures for the LLM client layer: fast retries, a second server, captured output."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from autogen.io.base import IOStream
from autogen.oai.retry import DEFAULT_RETRY_POLICY
from autogen.testing import OpenAITestServer, RecordingIOStream


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch) -> None:
    """Backoff of milliseconds, so retry tests stay quick (the retry count is unchanged)."""
    monkeypatch.setattr(DEFAULT_RETRY_POLICY, "base_delay", 0.001)
    monkeypatch.setattr(DEFAULT_RETRY_POLICY, "max_delay", 0.01)


@pytest.fixture
def server2() -> Iterator[OpenAITestServer]:
    """A second, independent test server (for fallback between endpoints)."""
    with OpenAITestServer() as srv:
        yield srv


@pytest.fixture
def captured_io() -> Iterator[RecordingIOStream]:
    """Everything printed through the default IOStream during the test."""
    io = RecordingIOStream()
    with IOStream.set_default(io):
        yield io
