"""Tools for testing agent applications without a real model."""

from .anthropic_server import AnthropicTestServer
from .bedrock_server import BedrockTestServer
from .gemini_server import GeminiTestServer
from .iostream import RecordingIOStream
from .ollama_server import OllamaTestServer
from .openai_server import (
    BrokenStream,
    EndlessStream,
    Fail,
    Garbage,
    GzipBomb,
    Hang,
    OpenAITestServer,
    RecordedRequest,
    Redirect,
    Trickle,
    count_tokens,
)
from .provider_server import ProviderTestServer

__all__ = [
    "AnthropicTestServer",
    "BedrockTestServer",
    "GeminiTestServer",
    "OllamaTestServer",
    "BrokenStream",
    "EndlessStream",
    "Fail",
    "Garbage",
    "GzipBomb",
    "Hang",
    "OpenAITestServer",
    "ProviderTestServer",
    "RecordedRequest",
    "RecordingIOStream",
    "Redirect",
    "Trickle",
    "count_tokens",
]
