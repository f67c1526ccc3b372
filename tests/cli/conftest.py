"""Fixtures for the `autogen` command's tests."""

from __future__ import annotations

import pytest

from ._run import run_cli


@pytest.fixture
def cli():
    """Run ``python -m autogen ARGS`` in a subprocess (see ``_run.run_cli``)."""
    return run_cli
