"""End to end: an assistant writes code (scripted LLM over HTTP), a user proxy runs it through each executor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autogen import AssistantAgent, UserProxyAgent, code_utils
from autogen.coding import DockerCommandLineCodeExecutor, LocalCommandLineCodeExecutor
from autogen.coding.jupyter import EmbeddedIPythonCodeExecutor, JupyterCodeExecutor, LocalJupyterServer
from autogen.testing import OpenAITestServer

CODE_REPLY = "Let me compute it.\n```python\nprint(sum(range(10)))\n```"
SHELL_REPLY = "And in the shell:\n```sh\necho $((6 * 7))\n```"
DONE = "The results are 45 and 42. TERMINATE"


def chat(server: OpenAITestServer, llm_config: dict, code_execution_config: Any) -> list[dict]:
    """Run assistant ↔ user-proxy until TERMINATE; return the chat history."""
    server.script(CODE_REPLY, SHELL_REPLY, DONE)
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        max_consecutive_auto_reply=5,
        code_execution_config=code_execution_config,
        is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
    )
    result = user.initiate_chat(assistant, message="What is sum(range(10)) and 6*7?", silent=True)
    return result.chat_history


def assert_code_ran(history: list[dict]) -> None:
    contents = [m.get("content") or "" for m in history]
    assert contents[2].startswith("exitcode: 0 (execution succeeded)\nCode output:")
    assert "45" in contents[2]
    assert contents[4].startswith("exitcode: 0 (execution succeeded)") and "42" in contents[4]
    assert contents[-1] == DONE


def test_chat_through_the_local_executor(server: OpenAITestServer, llm_config: dict, tmp_path: Path) -> None:
    history = chat(server, llm_config, {"executor": LocalCommandLineCodeExecutor(work_dir=tmp_path)})
    assert_code_ran(history)


def test_chat_through_the_legacy_local_path(server: OpenAITestServer, llm_config: dict, tmp_path: Path) -> None:
    assert_code_ran(chat(server, llm_config, {"work_dir": str(tmp_path), "use_docker": False}))


def test_chat_survives_a_timeout(server: OpenAITestServer, llm_config: dict, tmp_path: Path) -> None:
    server.script("```python\nimport time\ntime.sleep(60)\n```", DONE)
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        code_execution_config={"executor": LocalCommandLineCodeExecutor(work_dir=tmp_path, timeout=1)},
        is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
    )
    history = user.initiate_chat(assistant, message="Sleep.", silent=True).chat_history
    assert history[2]["content"].startswith("exitcode: 124 (execution failed)")
    assert "Timeout" in history[2]["content"]
    assert history[-1]["content"] == DONE


@pytest.mark.docker
def test_chat_through_the_docker_executor(server: OpenAITestServer, llm_config: dict, tmp_path: Path) -> None:
    with DockerCommandLineCodeExecutor(work_dir=tmp_path) as executor:
        assert_code_ran(chat(server, llm_config, {"executor": executor}))


@pytest.mark.docker
def test_chat_through_the_legacy_docker_path(
    server: OpenAITestServer, llm_config: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(code_utils, "in_docker_container", lambda: False)  # really use Docker here
    assert_code_ran(chat(server, llm_config, {"work_dir": str(tmp_path), "use_docker": True}))


@pytest.fixture
def jupyter_server() -> Iterator[LocalJupyterServer]:
    with LocalJupyterServer() as srv:
        yield srv


@pytest.mark.jupyter
def test_chat_through_the_embedded_ipython_executor(server: OpenAITestServer, llm_config: dict, tmp_path: Path) -> None:
    with EmbeddedIPythonCodeExecutor(output_dir=tmp_path) as executor:
        assert_code_ran(chat(server, llm_config, {"executor": executor}))


@pytest.mark.jupyter
def test_chat_through_the_jupyter_executor(
    server: OpenAITestServer, llm_config: dict, tmp_path: Path, jupyter_server: LocalJupyterServer
) -> None:
    with JupyterCodeExecutor(jupyter_server, output_dir=tmp_path) as executor:
        assert_code_ran(chat(server, llm_config, {"executor": executor}))
