"""What a scenario's process gets in its environment, as AutoGenBench gave it.

``OAI_CONFIG_LIST`` holds the config list as JSON (scenarios call
``autogen.config_list_from_json("OAI_CONFIG_LIST")``); ``OPENAI_API_KEY``, ``BING_API_KEY`` and
``AZURE_OPENAI_AD_TOKEN`` pass through when set; ``ENV.json`` (in the current folder, else in the
scenario folder above the task file) adds its keys.
"""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlparse

from .errors import BenchError

__all__ = ["ENV_FILE", "filter_by_model", "find_env_file", "loopback_endpoints", "scenario_env"]

ENV_FILE = "ENV.json"
_PASSED_THROUGH = ("OPENAI_API_KEY", "BING_API_KEY", "AZURE_OPENAI_AD_TOKEN")


def filter_by_model(config_list: list[dict[str, Any]], model: Optional[str]) -> list[dict[str, Any]]:
    """Entries whose model or tags match ``model`` (each entry's model counts as one of its tags)."""
    tagged = []
    for entry in config_list:
        entry = dict(entry)
        tags = list(entry.get("tags") or [])
        if entry["model"] not in tags:
            tags.append(entry["model"])
        entry["tags"] = tags
        tagged.append(entry)
    if model is None:
        return tagged
    kept = [entry for entry in tagged if model in entry["tags"]]
    if not kept:
        names = sorted({tag for entry in tagged for tag in entry["tags"]})
        raise BenchError(f"--model {model!r} matches no config entry; the models and tags are: {', '.join(names)}")
    return kept


def find_env_file(task_file: Path) -> Optional[Path]:
    """``./ENV.json``, else ``ENV.json`` in the task file's folder or the folder above it."""
    for folder in (Path.cwd(), task_file.resolve().parent, task_file.resolve().parent.parent):
        candidate = folder / ENV_FILE
        if candidate.is_file():
            return candidate
    return None


def scenario_env(config_list: list[dict[str, Any]], env_file: Optional[Path]) -> dict[str, str]:
    """The variables to add to a scenario's environment."""
    env = {name: os.environ[name] for name in _PASSED_THROUGH if os.environ.get(name, "").strip()}
    if env_file is not None:
        try:
            values = json.loads(env_file.read_text(encoding="utf-8"))
        except ValueError as err:
            raise BenchError(f"{env_file} is not valid JSON ({err}); it must be an object of NAME: value") from None
        if not isinstance(values, dict):
            raise BenchError(f"{env_file} must be a JSON object of NAME: value")
        for name, value in values.items():
            if not isinstance(value, str):
                raise BenchError(f"{env_file}: the value of {name!r} must be a string, got {type(value).__name__}")
        env.update(values)
    env["OAI_CONFIG_LIST"] = json.dumps(config_list)
    return env


def loopback_endpoints(config_list: list[dict[str, Any]]) -> bool:
    """Whether any entry's endpoint is on this machine (a container then needs the host's network)."""
    for entry in config_list:
        url = entry.get("base_url") or entry.get("azure_endpoint")
        if not url:
            continue
        host = urlparse(str(url)).hostname or ""
        if host == "localhost":
            return True
        try:
            if ipaddress.ip_address(host).is_loopback:
                return True
        except ValueError:
            continue
    return False
