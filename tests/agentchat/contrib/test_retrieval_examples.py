"""The retrieval examples run as scripts against the test server (OAI_CONFIG_LIST in the environment)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .capabilities.test_teachability import QUESTION, TEACHING, analyzer_and_agent

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def run_example(name: str, server, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "OAI_CONFIG_LIST": json.dumps(server.config_list()), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_rag_chat_answers_from_the_project_docs(server):
    server.script("run_sync hands the coroutine to the engine loop.")
    done = run_example("rag_chat.py", server, "How does run_sync hand a coroutine to the engine loop?")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Answer: run_sync hands the coroutine to the engine loop." in done.stdout
    prompt = server.chat_requests[0]["messages"][-1]["content"]
    assert "How does run_sync hand a coroutine to the engine loop?" in prompt
    context = prompt.split("The context:", 1)[1]
    docs = "\n".join(p.read_text() for p in (EXAMPLES.parent / "docs").rglob("*.md"))  # subfolders too
    lines = [line for line in context.splitlines() if len(line) > 40]
    assert lines and all(line in docs for line in lines)  # the context is made of the project's docs


@pytest.mark.slow
def test_teachable_agent_remembers_across_chats(server):
    server.default_reply = analyzer_and_agent
    done = run_example("teachable_agent.py", server, "--reset", TEACHING, QUESTION)
    assert done.returncode == 0, done.stderr[-3000:]
    asked = [r["messages"][-1]["content"] for r in server.chat_requests]
    assert any(text.startswith(QUESTION) and "favourite colour is teal" in text for text in asked)
    assert f"You: {QUESTION}\nAgent: OK" in done.stdout


def test_examples_say_what_is_missing_without_a_config_list(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "OAI_CONFIG_LIST"}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "rag_chat.py"), "question"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "--local" in done.stderr


@pytest.mark.slow
@pytest.mark.local_model
def test_rag_chat_runs_on_the_embedded_local_model(tmp_path):
    pytest.importorskip("llama_cpp")
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "rag_chat.py"), "--local", "What does ChatRun hold?"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "What does ChatRun hold?" in done.stdout  # the prompt went to the model
    answer = done.stdout.split("\nAnswer:", 1)[1].strip()
    assert answer and answer != "(none)"
