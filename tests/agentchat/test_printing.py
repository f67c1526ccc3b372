"""A received message reaches the terminal as one write, with exactly the text its print calls make."""

from __future__ import annotations

import io
import sys

import pytest

from autogen.agentchat._printing import print_received_message
from autogen.io.base import IOStream
from autogen.io.console import IOConsole
from autogen.oai.templating import instantiate
from autogen.testing import RecordingIOStream

MESSAGES = [
    {"content": "Hello there.", "role": "user", "name": "alice"},
    {"content": "Hi {name}.", "context": {"name": "Bob"}, "role": "user"},
    {
        "content": None,
        "role": "assistant",
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "add", "arguments": '{"a": 1}'}},
            {"id": "call_2", "type": "function", "function": {"name": "mul", "arguments": '{"b": 2}'}},
        ],
    },
    {"content": None, "role": "assistant", "function_call": {"name": "add", "arguments": "{}"}},
    {
        "content": "3\n\n4",
        "role": "tool",
        "tool_responses": [
            {"tool_call_id": "call_1", "role": "tool", "content": "3"},
            {"tool_call_id": "call_2", "role": "tool", "content": "4"},
        ],
    },
]


class CountingStdout(io.StringIO):
    """stdout that counts its writes and flushes."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0
        self.flushes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)

    def flush(self) -> None:
        self.flushes += 1


def _fill(content, context):
    return instantiate(content, context, False)


@pytest.mark.parametrize("message", MESSAGES, ids=["text", "template", "tool_calls", "function_call", "tool_reply"])
def test_the_terminal_gets_each_message_in_one_write_with_the_text_of_its_prints(message, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    recording = RecordingIOStream()
    with IOStream.set_default(recording):
        print_received_message(message, "alice", "bob", _fill)
    expected = recording.text
    assert "alice (to bob):" in expected and "-" * 80 in expected

    stdout = CountingStdout()
    monkeypatch.setattr(sys, "stdout", stdout)
    with IOStream.set_default(IOConsole()):
        print_received_message(message, "alice", "bob", _fill)
    assert stdout.getvalue() == expected
    assert stdout.flushes == 1
    assert stdout.writes <= 2  # the text, and print's empty end


def test_another_stream_still_sees_every_print_call():
    recording = RecordingIOStream()
    with IOStream.set_default(recording):
        print_received_message(MESSAGES[2], "alice", "bob", _fill)
    # header, per call: title, arguments, rule (x2), then the closing rule
    assert len(recording.printed) == 1 + 3 * 2 + 1
