"""`autogen studio`: starts the server, prints the URL (with a token beyond loopback), opens a browser."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ..cli._run import cli_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(tmp_path: Path, *args: str, **env: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "autogen", "studio", "--appdir", str(tmp_path / "app"), *args],
        env=cli_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("AutoGen Studio: http://"), first + (process.stdout.read() if process.poll() else "")
    return process, first.split(": ", 1)[1].strip()


def _wait_up(url: str, **kwargs) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(url, timeout=5, **kwargs)
        except httpx.TransportError:
            assert time.monotonic() < deadline, f"{url} never answered"
            time.sleep(0.2)


def _stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)
    assert process.stdout is not None
    return process.stdout.read()  # (communicate() would miss what readline() already buffered)


def test_on_loopback_it_prints_the_url_and_needs_no_token(tmp_path) -> None:
    port = _free_port()
    process, url = _start(tmp_path, "--port", str(port))
    try:
        assert url == f"http://127.0.0.1:{port}/"
        assert _wait_up(f"{url}api/models").json() == []
        page = httpx.get(url, timeout=5)
        assert page.status_code == 200 and "<html" in page.text.lower()
        # another Host name (a web page reaching it by DNS rebinding) is refused
        rebound = httpx.get(f"{url}api/models", headers={"Host": f"attacker.example:{port}"}, timeout=5)
        assert rebound.status_code == 400
    finally:
        _stop(process)
    assert (tmp_path / "app" / "studio.db").is_file()


def test_beyond_loopback_a_token_is_required_and_open_starts_a_browser(tmp_path) -> None:
    port = _free_port()
    opened = tmp_path / "opened.txt"
    browser = f"{sys.executable} -c \"import sys; open(r'{opened}', 'w').write(sys.argv[1])\" %s"
    process, url = _start(tmp_path, "--host", "0.0.0.0", "--port", str(port), "--open", BROWSER=browser)
    try:
        assert "?token=" in url
        token = url.split("?token=", 1)[1]
        local = f"http://127.0.0.1:{port}/api/models"
        assert _wait_up(local).status_code == 401
        assert httpx.get(local, headers={"Authorization": f"Bearer {token}"}, timeout=5).json() == []
        deadline = time.monotonic() + 30
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text() == url
    finally:
        output = _stop(process)
    assert "every API call needs the token" in output
