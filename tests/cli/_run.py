"""Run the `autogen` command as a subprocess, the way a user does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

REPO_ROOT = Path(__file__).resolve().parents[2]


def cli_env(config_list: Optional[list[dict[str, Any]]] = None, **extra: str) -> dict[str, str]:
    """Environment for the command: this checkout importable, no colors, a wide terminal."""
    env = {k: v for k, v in os.environ.items() if k != "OAI_CONFIG_LIST"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.update(NO_COLOR="1", COLUMNS="200", TERM="dumb", PYTHONUNBUFFERED="1")
    if config_list is not None:
        env["OAI_CONFIG_LIST"] = json.dumps(config_list)
    env.update(extra)
    return env


def run_cli(
    *args: str, config_list: Optional[list[dict[str, Any]]] = None, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess:
    """Run ``python -m autogen ARGS`` and return its result (text output)."""
    return subprocess.run(
        [sys.executable, "-m", "autogen", *args],
        env=cli_env(config_list, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
