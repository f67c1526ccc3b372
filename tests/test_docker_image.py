"""The root Dockerfile builds (from the CI's local Debian image) and `autogen demo` runs inside it."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BASE = os.environ.get("AUTOGEN_DOCKER_IMAGE", "autogen-python:bookworm")

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.timeout(1500)]


def _docker(*args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def image() -> object:
    tag = f"autogen-test:{uuid.uuid4().hex[:8]}"
    built = subprocess.run(
        ["bash", "scripts/docker-image.sh", tag, BASE], cwd=ROOT, capture_output=True, text=True, timeout=1200
    )
    assert built.returncode == 0, built.stdout + built.stderr
    yield tag
    _docker("rmi", "-f", tag)


def test_image_runs_as_a_non_root_user_with_the_command(image: str) -> None:
    from autogen.version import __version__

    ran = _docker("run", "--rm", image, "sh", "-c", "id -u; autogen --version")
    assert ran.returncode == 0, ran.stderr
    uid, version = ran.stdout.split("\n")[:2]
    assert uid != "0"
    assert version == f"autogen {__version__}"


def test_demo_runs_on_the_embedded_model_inside_the_image(image: str) -> None:
    ran = _docker("run", "--rm", image, "autogen", "demo", "--max-turns", "2")
    out = ran.stdout + ran.stderr
    assert ran.returncode == 0, out
    assert "Running on the local model" in out
    assert "user_proxy (to assistant)" in out  # the chat really ran: the user proxy answered the model
    assert "usage" in out and "SmolLM2-135M-Instruct" in out
