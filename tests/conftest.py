"""Shared fixtures: the scripted OpenAI-compatible server, isolated working directories."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from autogen.testing import OpenAITestServer


@pytest.fixture
def server() -> Iterator[OpenAITestServer]:
    """A fresh OpenAI-compatible test server on 127.0.0.1 with an empty script."""
    with OpenAITestServer() as srv:
        yield srv


@pytest.fixture
def llm_config(server: OpenAITestServer) -> dict:
    """An ``llm_config`` pointing at the test server, with the cache off."""
    return {"config_list": server.config_list(), "cache_seed": None}


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path, monkeypatch) -> None:
    """Run every test in its own directory, so caches and work dirs never leak between tests."""
    monkeypatch.chdir(tmp_path)
