"""`autogen config check`: validates OAI_CONFIG_LIST and asks each endpoint for an answer."""

from __future__ import annotations

import json
import socket


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_answering_endpoint_is_reported_ok_and_exits_zero(cli, server):
    server.script("OK")
    result = cli("config", "check", config_list=server.config_list())
    assert result.returncode == 0, result.stderr
    assert "1 valid entry in $OAI_CONFIG_LIST" in result.stdout
    assert "OK answered in" in result.stdout
    assert "all endpoints answered" in result.stdout
    assert server.chat_requests[0]["max_tokens"] == 5


def test_each_entry_is_checked_and_failures_exit_one(cli, server):
    server.script("OK")
    unreachable = {"model": "gpt-4o-mini", "base_url": f"http://127.0.0.1:{_closed_port()}/v1", "api_key": "sk-x"}
    result = cli("config", "check", "--timeout", "5", config_list=[*server.config_list(), unreachable])
    assert result.returncode == 1
    assert "OK answered" in result.stdout
    assert "FAILED" in result.stdout
    assert "1 of 2 endpoints did not answer" in result.stdout


def test_a_rejected_key_is_a_failure_and_the_key_is_never_printed(cli, server):
    entry = server.config_list(api_key="sk-wrong-key-1234567890")[0]
    result = cli("config", "check", config_list=[entry])
    assert result.returncode == 1
    assert "FAILED" in result.stdout
    assert "sk-wrong-key-1234567890" not in result.stdout + result.stderr


def test_a_config_file_option_is_read(cli, server, tmp_path):
    server.script("OK")
    path = tmp_path / "models.json"
    path.write_text(json.dumps(server.config_list()))
    result = cli("config", "check", "--config", str(path))
    assert result.returncode == 0, result.stderr
    assert f"file {path}" in result.stdout


def test_invalid_configuration_is_explained_without_a_traceback(cli):
    result = cli("config", "check", config_list=[{"api_key": "sk-x"}])
    assert result.returncode == 2
    assert "entry 0 needs a non-empty 'model'" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_configuration_says_how_to_set_it(cli, tmp_path):
    result = cli("config", "check")
    assert result.returncode == 2
    assert "OAI_CONFIG_LIST" in result.stderr
    assert "Traceback" not in result.stderr
