"""`autogen demo`: the two-agent example ends on its own and exits 0."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ._run import cli_env

CODE_REPLY = "Here you go:\n```python\nprint(sum(range(5)) * 7)\n```"


def test_demo_stops_when_the_code_runs_successfully(cli, server):
    server.script(CODE_REPLY)
    result = cli("demo", config_list=server.config_list())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "exitcode: 0 (execution succeeded)" in result.stdout
    assert "70" in result.stdout  # the code's output
    assert "ran successfully" in result.stdout
    assert len(server.chat_requests) == 1  # no model call after the successful run
    assert "Using gpt-4o-mini" in result.stdout


def test_demo_prints_the_usage_summary(cli, server):
    server.script(CODE_REPLY)
    result = cli("demo", config_list=server.config_list())
    assert result.returncode == 0, result.stderr
    assert "usage" in result.stdout.lower()
    assert "gpt-4o-mini" in result.stdout.split("usage", 1)[1]


def test_demo_ends_after_max_turns_when_the_model_never_writes_code(cli, server):
    server.script("I would rather not.", "Still no.", "Never.")
    result = cli("demo", "--max-turns", "2", config_list=server.config_list())
    assert result.returncode == 0, result.stderr
    assert len(server.chat_requests) == 2
    assert "without a successful run" in result.stdout


def test_demo_sends_the_given_task(cli, server):
    server.script(CODE_REPLY)
    result = cli("demo", "--task", "Multiply things.", config_list=server.config_list())
    assert result.returncode == 0, result.stderr
    assert server.chat_requests[0]["messages"][-1]["content"] == "Multiply things."


def test_demo_reports_an_unreachable_endpoint_without_a_traceback(cli):
    entry = {"model": "gpt-4o-mini", "base_url": "http://127.0.0.1:9/v1", "api_key": "sk-x", "max_retries": 0}
    result = cli("demo", config_list=[entry])
    assert result.returncode == 1
    assert "error:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.local_model
@pytest.mark.slow
def test_demo_without_configuration_runs_on_the_embedded_local_model(cli):
    result = cli("demo", timeout=280)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tiny" in result.stdout
    assert "OAI_CONFIG_LIST" in result.stdout  # how to point it at a real model
    assert "assistant (to user_proxy)" in result.stdout
    assert "usage" in result.stdout.lower()


def test_without_configuration_or_the_local_extra_the_install_command_is_named():
    hide_llama = "import sys; sys.modules['llama_cpp'] = None; from autogen.cli import main; sys.exit(main(['demo']))"
    result = subprocess.run([sys.executable, "-c", hide_llama], env=cli_env(), capture_output=True, text=True)
    assert result.returncode == 2
    assert 'pip install "autogen[local]"' in result.stderr
    assert "OAI_CONFIG_LIST" in result.stderr
    assert "Traceback" not in result.stderr
