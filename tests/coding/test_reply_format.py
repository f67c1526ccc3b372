"""The agent's reply text after running code."""

from __future__ import annotations

from autogen.coding import format_code_reply


def test_success_reply() -> None:
    assert format_code_reply(0, "hi\n") == "exitcode: 0 (execution succeeded)\nCode output: hi\n"


def test_failure_reply_including_timeout() -> None:
    assert format_code_reply(1, "boom") == "exitcode: 1 (execution failed)\nCode output: boom"
    assert format_code_reply(124, "\nTimeout").startswith("exitcode: 124 (execution failed)\nCode output: ")
