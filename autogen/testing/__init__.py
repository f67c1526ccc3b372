"""Tools for testing agent applications without a real model."""

from .iostream import RecordingIOStream
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

__all__ = [
    "BrokenStream",
    "EndlessStream",
    "Fail",
    "Garbage",
    "GzipBomb",
    "Hang",
    "OpenAITestServer",
    "RecordedRequest",
    "RecordingIOStream",
    "Redirect",
    "Trickle",
    "count_tokens",
]
