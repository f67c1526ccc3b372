"""Where the `autogen` command's model comes from: OAI_CONFIG_LIST, or the embedded local model."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

__all__ = [
    "ENV_VAR",
    "ConfigError",
    "Endpoint",
    "describe_entry",
    "load_config_list",
    "open_endpoint",
    "validate_config_list",
]

ENV_VAR = "OAI_CONFIG_LIST"
_STRING_KEYS = ("model", "api_key", "base_url", "api_type", "api_version", "organization", "azure_endpoint")


class ConfigError(ValueError):
    """The model configuration (OAI_CONFIG_LIST or a team file) is invalid."""


@dataclass
class Endpoint:
    """The model the command talks to."""

    config_list: list[dict[str, Any]]
    source: str
    local: bool = False
    bundled_model: bool = False


def load_config_list(path: Optional[str] = None) -> tuple[list[dict[str, Any]], str]:
    """Read a config list from ``path``, else ``$OAI_CONFIG_LIST``, else ``./OAI_CONFIG_LIST``.

    ``$OAI_CONFIG_LIST`` may hold the JSON itself or the path of a JSON file, as in AutoGen 0.2.

    Returns:
        The validated config list and where it came from; ``([], "")`` when nothing is configured.

    Raises:
        ConfigError: the file or variable exists but does not hold a valid config list.
    """
    if path is not None:
        file = Path(path).expanduser()
        if not file.is_file():
            raise ConfigError(f"config file {path!r} does not exist")
        return _read_file(file, f"file {path}")
    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        if value.startswith(("[", "{")):
            source = f"${ENV_VAR}"
            return validate_config_list(_parse_json(value, source), source), source
        file = Path(value).expanduser()
        if not file.is_file():
            raise ConfigError(f"${ENV_VAR} is {value!r}, which is neither JSON nor an existing file")
        return _read_file(file, f"file {value} (from ${ENV_VAR})")
    if Path(ENV_VAR).is_file():
        return _read_file(Path(ENV_VAR), f"file ./{ENV_VAR}")
    return [], ""


def _read_file(file: Path, source: str) -> tuple[list[dict[str, Any]], str]:
    return validate_config_list(_parse_json(file.read_text(encoding="utf-8"), source), source), source


def _parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(f"{source} is not valid JSON: {err.msg} at line {err.lineno} column {err.colno}") from None


def validate_config_list(data: Any, source: str) -> list[dict[str, Any]]:
    """Check that ``data`` is a non-empty list of config entries, each with a model name.

    Raises:
        ConfigError: naming the entry and the key that is wrong.
    """
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data:
        raise ConfigError(
            f'{source} must be a non-empty JSON list of entries like {{"model": "gpt-4o-mini", "api_key": "..."}}'
        )
    for index, entry in enumerate(data):
        where = f"{source}, entry {index}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} must be an object with at least a 'model' key, got {type(entry).__name__}")
        if not isinstance(entry.get("model"), str) or not entry["model"].strip():
            raise ConfigError(f"{where} needs a non-empty 'model' string")
        for key in _STRING_KEYS:
            if key in entry and entry[key] is not None and not isinstance(entry[key], str):
                raise ConfigError(f"{where}: '{key}' must be a string, got {type(entry[key]).__name__}")
        url = entry.get("base_url")
        if url and not str(url).startswith(("http://", "https://")):
            raise ConfigError(f"{where}: 'base_url' must start with http:// or https://, got {url!r}")
        if "tags" in entry and not (isinstance(entry["tags"], list) and all(isinstance(t, str) for t in entry["tags"])):
            raise ConfigError(f"{where}: 'tags' must be a list of strings")
    return data


def describe_entry(entry: dict[str, Any]) -> str:
    """A one-line description of a config entry, without its key."""
    where = entry.get("base_url") or entry.get("azure_endpoint") or "api.openai.com"
    api_type = entry.get("api_type") or "openai"
    return f"{entry['model']} ({api_type}, {where})"


@contextmanager
def open_endpoint(
    *,
    config: Optional[str] = None,
    model: Optional[str] = None,
    local: bool = False,
    model_path: Optional[str] = None,
    on_local_start: Any = None,
) -> Iterator[Endpoint]:
    """Yield the endpoint to use: the configured one, or a local model server started for the block.

    Args:
        config: a config-list file; default ``$OAI_CONFIG_LIST`` or ``./OAI_CONFIG_LIST``.
        model: keep only entries for this model.
        local: use the local model even if an endpoint is configured.
        model_path: a GGUF file for the local model (implies ``local``).
        on_local_start: a context manager factory shown while the local model starts (a spinner).
    """
    if not local and model_path is None:
        config_list, source = load_config_list(config)
        if config_list:
            if model is not None:
                config_list = [entry for entry in config_list if entry.get("model") == model]
                if not config_list:
                    raise ConfigError(f"{source} has no entry with model {model!r}")
            yield Endpoint(config_list, source)
            return
    from autogen.oai.local import LocalExtraMissing, LocalModelServer

    try:
        server = LocalModelServer(model_path)
        server.check_installed()
    except LocalExtraMissing as err:
        if local or model_path is not None:
            raise
        raise LocalExtraMissing(
            f"no model endpoint is configured and {err}; or set ${ENV_VAR} to use a hosted model"
        ) from None
    if on_local_start is not None:
        with on_local_start():
            server.start()
    else:
        server.start()
    try:
        source = f"local model {server.model_path.name}"
        yield Endpoint(server.config_list(), source, local=True, bundled_model=model_path is None)
    finally:
        server.stop()
