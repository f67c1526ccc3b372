"""`autogen local serve`: a long-running local model server that stops cleanly."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time

import pytest

from autogen.oai.local import default_model_path

from ._run import cli_env, run_cli


def _wait_for_file(path, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() or not path.read_text().strip():
        assert process.poll() is None, process.stdout.read() if process.stdout else "server command exited"
        assert time.monotonic() < deadline, "the server did not write its config in time"
        time.sleep(0.1)


def _port_answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.local_model
@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_writes_a_working_config_and_stops_the_server_on_a_signal(tmp_path, stop_signal):
    config_file = tmp_path / "local.json"
    # the SIGTERM run names the model file, as a user with their own GGUF would
    model = ["--model-path", str(default_model_path())] if stop_signal == signal.SIGTERM else []
    process = subprocess.Popen(
        [sys.executable, "-m", "autogen", "local", "serve", "--write-config", str(config_file), *model],
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_file(config_file, process)
        [entry] = json.loads(config_file.read_text())
        assert entry["api_type"] == "llama.cpp"
        port = int(entry["base_url"].rsplit(":", 1)[1].split("/")[0])
        check = run_cli("config", "check", "--config", str(config_file))
        assert check.returncode == 0, check.stdout + check.stderr
        process.send_signal(stop_signal)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == (0 if stop_signal == signal.SIGINT else 128 + signal.SIGTERM)
    assert "serving" in output
    assert not _port_answers(port)


def test_serve_with_a_missing_model_file_explains_the_problem(tmp_path):
    result = run_cli("local", "serve", "--model-path", str(tmp_path / "missing.gguf"))
    assert result.returncode == 2
    assert "missing.gguf" in result.stderr
    assert "Traceback" not in result.stderr
