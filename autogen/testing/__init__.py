"""Tools for testing agent applications without a real model."""

from .iostream import RecordingIOStream
from .openai_server import BrokenStream, Fail, Garbage, Hang, OpenAITestServer, RecordedRequest, count_tokens

__all__ = [
    "BrokenStream",
    "Fail",
    "Garbage",
    "Hang",
    "OpenAITestServer",
    "RecordedRequest",
    "RecordingIOStream",
    "count_tokens",
]
