"""`autogen config check` tries every provider kind through its own SDK (against the provider test servers)."""

from __future__ import annotations

import pytest

from autogen.testing.anthropic_server import AnthropicTestServer
from autogen.testing.bedrock_server import BedrockTestServer
from autogen.testing.gemini_server import GeminiTestServer
from autogen.testing.ollama_server import OllamaTestServer

pytestmark = pytest.mark.timeout(120)


def test_each_provider_kind_is_asked_and_reported(cli):
    servers = [cls() for cls in (AnthropicTestServer, GeminiTestServer, BedrockTestServer, OllamaTestServer)]
    for server in servers:
        server.start()
    try:
        for server in servers:
            server.script("OK")
        entries = [entry for server in servers for entry in server.config_list()]
        wrong = GeminiTestServer.config_list(servers[1], api_key="wrong-gemini-key-0123456789")
        result = cli("config", "check", config_list=[*entries, *wrong])
        assert result.returncode == 1, result.stderr
        for api_type in ("anthropic", "google", "bedrock", "ollama"):
            assert api_type in result.stdout
        assert result.stdout.count("OK answered in") == 4
        assert "1 of 5 endpoints did not answer" in result.stdout
        assert "wrong-gemini-key-0123456789" not in result.stdout + result.stderr
        assert all(len(server.chat_requests) >= 1 for server in servers)
    finally:
        for server in servers:
            server.stop()
