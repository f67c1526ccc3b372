"""`autogen chat` in a real pseudo-terminal: streamed replies, history, `exit` to quit."""

from __future__ import annotations

import sys

import pexpect
import pytest

from ._run import cli_env


def _spawn(server, *args: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "autogen", "chat", *args],
        env=cli_env(server.config_list()),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 200),
    )


@pytest.mark.parametrize("mode", [(), ("--no-stream",)])
def test_chat_answers_keeps_history_and_exits_on_exit(server, mode):
    server.script("Hello there!", "You said hi before.")
    chat = _spawn(server, *mode)
    chat.expect_exact("you> ")
    chat.sendline("hi")
    chat.expect_exact("Hello there!")
    chat.expect_exact("you> ")
    chat.sendline("what did I say?")
    chat.expect_exact("You said hi before.")
    chat.expect_exact("you> ")
    chat.sendline("exit")
    chat.expect(pexpect.EOF)
    chat.close()
    assert chat.exitstatus == 0
    second = server.chat_requests[1]["messages"]
    assert [m["content"] for m in second[-3:]] == ["hi", "Hello there!", "what did I say?"]
    assert bool(server.chat_requests[0].get("stream")) is (mode == ())


def test_empty_lines_are_ignored_and_ctrl_d_quits(server):
    server.script("Hi.")
    chat = _spawn(server)
    chat.expect_exact("you> ")
    chat.sendline("")
    chat.expect_exact("you> ")
    chat.sendline("hello")
    chat.expect_exact("Hi.")
    chat.expect_exact("you> ")
    chat.sendeof()
    chat.expect(pexpect.EOF)
    chat.close()
    assert chat.exitstatus == 0
    assert len(server.chat_requests) == 1
