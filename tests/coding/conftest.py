"""Fixtures shared by the code-execution tests."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest


@pytest.fixture
def outside_dir() -> Iterator[Path]:
    """A fresh host directory outside the work dir and outside /tmp (which the sandbox replaces anyway)."""
    path = Path(tempfile.mkdtemp(prefix="autogen-test-", dir="/var/tmp"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
