"""examples/twoagent.py and examples/simple_chat.py run as scripts against the test server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example_env(server) -> dict[str, str]:
    env = {**os.environ, "OAI_CONFIG_LIST": json.dumps(server.config_list()), "NO_COLOR": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(EXAMPLES.parent), env.get("PYTHONPATH")]))
    return env


@pytest.mark.slow
def test_twoagent_writes_code_runs_it_and_stops_on_terminate(server, tmp_path):
    server.script("```python\n# filename: answer.py\nprint(6 * 7)\n```", "The answer is 42. TERMINATE")
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "twoagent.py"), "--task", "Compute 6*7 in Python."],
        env=example_env(server),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "exitcode: 0 (execution succeeded)\nCode output: \n42" in done.stdout  # the code really ran
    saved = (tmp_path / "coding" / "answer.py").read_text()  # in ./coding, as 0.2's sample
    assert saved.strip() == "# filename: answer.py\nprint(6 * 7)"
    assert "Stopped: termination_message" in done.stdout
    assert server.chat_requests[0]["messages"][-1]["content"] == "Compute 6*7 in Python."
    assert "42" in server.chat_requests[1]["messages"][-1]["content"]  # the output went back to the model


@pytest.mark.slow
def test_simple_chat_is_a_conversation_with_you(server, tmp_path):
    server.script("Hello! How can I help?", "2 + 2 = 4.")
    child = pexpect.spawn(
        sys.executable,
        [str(EXAMPLES / "simple_chat.py")],
        env=example_env(server),
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=120,
    )
    try:
        child.expect_exact("You (type 'exit' to quit): ")
        child.sendline("Hi there")
        child.expect_exact("Hello! How can I help?")
        child.expect_exact("'exit' ends the chat): ")
        child.sendline("What is 2 + 2?")
        child.expect_exact("2 + 2 = 4.")
        child.expect_exact("'exit' ends the chat): ")
        child.sendline("exit")
        child.expect_exact("4 messages, cost $")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    second = server.chat_requests[1]["messages"]
    assert [m["content"] for m in second[1:]] == ["Hi there", "Hello! How can I help?", "What is 2 + 2?"]
    assert second[0]["content"] == "You are a helpful assistant. Answer clearly and briefly."
