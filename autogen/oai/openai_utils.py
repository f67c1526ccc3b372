"""Config-list helpers: read, build and filter the ``config_list`` an :class:`OpenAIWrapper` walks."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Optional, Union

from .pricing import load_price_table

__all__ = [
    "DEFAULT_AZURE_API_VERSION",
    "NON_CACHE_KEY",
    "OAI_PRICE1K",
    "ConfigListError",
    "ConfigListLengthError",
    "EmptyConfigList",
    "config_list_from_dotenv",
    "config_list_from_json",
    "config_list_from_models",
    "config_list_gpt4_gpt35",
    "config_list_openai_aoai",
    "filter_config",
    "get_config",
    "get_config_list",
    "get_key",
    "is_valid_api_key",
]

logger = logging.getLogger(__name__)

DEFAULT_AZURE_API_VERSION = "2024-02-01"
OAI_PRICE1K: dict[str, tuple[float, float]] = load_price_table()
# Config fields that never change the answer (or are secrets): left out of cache keys.
NON_CACHE_KEY = [
    "api_key",
    "base_url",
    "api_type",
    "api_version",
    "azure_endpoint",
    "azure_ad_token",
    "azure_ad_token_provider",
    "credentials",
]
_API_KEY_PATTERN = re.compile(r"^sk-([A-Za-z0-9]+(-+[A-Za-z0-9]+)*-)?[A-Za-z0-9]{32,}$")


class ConfigListError(ValueError):
    """A config list that cannot be used: not JSON, not a list of dicts, or an entry without ``model``."""


class EmptyConfigList(list):
    """An empty config list that remembers why it is empty (``OpenAIWrapper`` shows the reason).

    It is a plain empty list otherwise (``== []``), as 0.2 returned.
    """

    def __init__(self, empty_reason: str) -> None:
        super().__init__()
        self.empty_reason = empty_reason


# ---- reading -------------------------------------------------------------------------------------
def config_list_from_json(
    env_or_file: str,
    file_location: Optional[str] = "",
    filter_dict: Optional[dict[str, Any]] = None,
) -> list[dict[str, Any]]:
    """Read a config list from an environment variable or a JSON file, then filter it.

    The environment variable ``env_or_file`` may hold the JSON itself or the path of a JSON file.
    Without such a variable, ``env_or_file`` is a file name under ``file_location``.

    Args:
        env_or_file: environment variable name or file name (usually ``"OAI_CONFIG_LIST"``).
        file_location: folder of the file when ``env_or_file`` names a file.
        filter_dict: see :func:`filter_config`.

    Returns:
        The configs that pass the filter (an empty list when none does; a warning names the filter).

    Raises:
        FileNotFoundError: neither the variable nor the file exists.
        ConfigListError: the JSON is invalid, not a list of objects, or an entry has no ``model``.
    """
    env_value = os.environ.get(env_or_file)
    if env_value:
        if os.path.isfile(env_value):
            source = f"file {env_value!r} (named by environment variable {env_or_file})"
            text = Path(env_value).read_text(encoding="utf-8")
        elif not env_value.lstrip().startswith(("[", "{")):  # not JSON: the name of a file that is not there
            raise FileNotFoundError(
                f"Environment variable {env_or_file} names the config list file {os.path.abspath(env_value)!r}, "
                f"which does not exist. Create that file, or set {env_or_file} to the JSON list itself, e.g. "
                '[{"model": "gpt-4o-mini", "api_key": "..."}].'
            )
        else:
            source = f"environment variable {env_or_file}"
            text = env_value
    else:
        path = os.path.join(file_location, env_or_file) if file_location else env_or_file
        if not os.path.isfile(path):
            raise FileNotFoundError(
                f"No config list found: there is no environment variable {env_or_file!r} and no file "
                f"{os.path.abspath(path)!r}. Set {env_or_file} to a JSON list of configs (or to the path of a "
                'JSON file), e.g. [{"model": "gpt-4o-mini", "api_key": "..."}].'
            )
        source = f"file {os.path.abspath(path)!r}"
        text = Path(path).read_text(encoding="utf-8")
    config_list = parse_config_list(text, source)
    filtered = filter_config(config_list, filter_dict)
    if isinstance(filtered, EmptyConfigList):
        filtered.empty_reason += f" in {source}"
        logger.warning("%s: the config list is empty.", filtered.empty_reason)
    return filtered


def parse_config_list(text: str, source: str) -> list[dict[str, Any]]:
    """Parse and check the JSON text of a config list read from ``source`` (named in errors)."""
    try:
        data = json.loads(text)
    except ValueError as err:
        raise ConfigListError(f"The config list in {source} is not valid JSON ({err}).") from None
    if not isinstance(data, list):
        raise ConfigListError(
            f"The config list in {source} must be a JSON list of objects, got a JSON {type(data).__name__}."
        )
    for i, entry in enumerate(data):
        if not isinstance(entry, dict):
            raise ConfigListError(f"Entry {i} of the config list in {source} is not a JSON object: {entry!r:.80}.")
        if not entry.get("model"):
            fields = sorted(k for k in entry if k != "api_key")
            raise ConfigListError(
                f'Entry {i} of the config list in {source} has no "model" (its fields: {fields}). '
                'Every entry needs one, e.g. {"model": "gpt-4o-mini", ...}.'
            )
    return data


def filter_config(
    config_list: list[dict[str, Any]],
    filter_dict: Optional[dict[str, Any]],
    exclude: bool = False,
) -> list[dict[str, Any]]:
    """Keep the configs that match every criterion of ``filter_dict`` (or, with ``exclude``, match none).

    A criterion ``field: allowed`` matches when the config's value is in ``allowed`` (a list, set or single
    value); a list-valued field (such as ``tags``) matches when it shares an element with ``allowed``;
    ``None`` in ``allowed`` matches a config without the field.

    Args:
        config_list: the configs.
        filter_dict: field -> allowed values; empty or None keeps everything.
        exclude: drop the matching configs instead of keeping them.
    """
    if not filter_dict:
        return config_list
    criteria = {key: _as_list(allowed) for key, allowed in filter_dict.items()}
    kept = [
        config
        for config in config_list
        if all(_matches(config, key, allowed) != exclude for key, allowed in criteria.items())
    ]
    if config_list and not kept:
        verb = "excluded all" if exclude else "matched none"
        return EmptyConfigList(f"filter_dict={filter_dict!r} {verb} of the {len(config_list)} configs")
    return kept


def _as_list(allowed: Any) -> list[Any]:
    if isinstance(allowed, (str, bytes, dict)) or not isinstance(allowed, Iterable):
        return [allowed]
    return list(allowed)


def _matches(config: dict[str, Any], key: str, allowed: list[Any]) -> bool:
    value = config.get(key)
    if value is None:
        return None in allowed
    if isinstance(value, (list, tuple, set)):
        return any(v in allowed for v in value)
    return value in allowed


# ---- building --------------------------------------------------------------------------------------
def get_config(
    api_key: Optional[str],
    base_url: Optional[str] = None,
    api_type: Optional[str] = None,
    api_version: Optional[str] = None,
) -> dict[str, Any]:
    """One config dict with the given fields (empty ones are left out, except ``api_key``).

    As in 0.2, ``base_url``, ``api_type`` and ``api_version`` may each name an environment variable,
    whose value is then used instead.
    """
    config: dict[str, Any] = {"api_key": api_key}
    if base_url:
        config["base_url"] = os.getenv(base_url, default=base_url)
    if api_type:
        config["api_type"] = os.getenv(api_type, default=api_type)
    if api_version:
        config["api_version"] = os.getenv(api_version, default=api_version)
    return config


class ConfigListLengthError(ValueError, AssertionError):
    """``get_config_list`` got a different number of ``base_urls`` than ``api_keys``.

    Also an ``AssertionError``, which is what 0.2 raised.
    """


def get_config_list(
    api_keys: list[str],
    base_urls: Optional[list[str]] = None,
    api_type: Optional[str] = None,
    api_version: Optional[str] = None,
) -> list[dict[str, Any]]:
    """One config per API key that is not blank, paired with ``base_urls`` by position (as 0.2).

    Keys and base URLs are used as given; ``api_type`` and ``api_version`` are added when set.

    Raises:
        ConfigListLengthError: (a ``ValueError`` and ``AssertionError``) ``base_urls`` has a different
            length than ``api_keys``.
    """
    if base_urls is not None and len(base_urls) != len(api_keys):
        raise ConfigListLengthError(
            f"get_config_list: {len(api_keys)} api_keys but {len(base_urls)} base_urls; give one base_url per key."
        )
    configs = []
    for i, key in enumerate(api_keys):
        if not key.strip():
            continue
        config: dict[str, Any] = {"api_key": key}
        if base_urls:
            config["base_url"] = base_urls[i]
        if api_type:
            config["api_type"] = api_type
        if api_version:
            config["api_version"] = api_version
        configs.append(config)
    return configs


def _read_value(env_var: str, folder: str, file_name: str) -> str:
    """An environment variable's value, else the stripped text of ``folder/file_name``, else ``""``."""
    value = os.environ.get(env_var)
    if value:
        return value
    path = Path(folder) / file_name
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    logger.info("%s is not set and %s does not exist.", env_var, path)
    return ""


def config_list_openai_aoai(
    key_file_path: str = ".",
    openai_api_key_file: str = "key_openai.txt",
    aoai_api_key_file: str = "key_aoai.txt",
    openai_api_base_file: str = "base_openai.txt",
    aoai_api_base_file: str = "base_aoai.txt",
    exclude: Optional[str] = None,
) -> list[dict[str, Any]]:
    """Configs for OpenAI and Azure OpenAI from environment variables or key files.

    Reads ``OPENAI_API_KEY``/``OPENAI_API_BASE`` and ``AZURE_OPENAI_API_KEY``/``AZURE_OPENAI_API_BASE``
    (several values separated by newlines), falling back to the files under ``key_file_path``.

    Args:
        exclude: ``"openai"`` or ``"aoai"`` to leave that provider out.
    """
    configs: list[dict[str, Any]] = []
    if exclude != "openai":
        keys = _read_value("OPENAI_API_KEY", key_file_path, openai_api_key_file).split("\n")
        bases_text = _read_value("OPENAI_API_BASE", key_file_path, openai_api_base_file)
        configs += get_config_list(keys, bases_text.split("\n") if bases_text else None)
    if exclude != "aoai":
        keys = _read_value("AZURE_OPENAI_API_KEY", key_file_path, aoai_api_key_file).split("\n")
        bases = _read_value("AZURE_OPENAI_API_BASE", key_file_path, aoai_api_base_file).split("\n")
        if any(k.strip() for k in keys):
            configs += get_config_list(keys, bases, api_type="azure", api_version=DEFAULT_AZURE_API_VERSION)
    return configs


def config_list_from_models(
    key_file_path: str = ".",
    openai_api_key_file: str = "key_openai.txt",
    aoai_api_key_file: str = "key_aoai.txt",
    aoai_api_base_file: str = "base_aoai.txt",
    exclude: Optional[str] = None,
    model_list: Optional[list[str]] = None,
) -> list[dict[str, Any]]:
    """:func:`config_list_openai_aoai` repeated for every model in ``model_list`` (model-major order)."""
    configs = config_list_openai_aoai(
        key_file_path,
        openai_api_key_file,
        aoai_api_key_file,
        aoai_api_base_file=aoai_api_base_file,
        exclude=exclude,
    )
    if model_list:
        configs = [{**config, "model": model} for model in model_list for config in configs]
    return configs


def config_list_gpt4_gpt35(
    key_file_path: str = ".",
    openai_api_key_file: str = "key_openai.txt",
    aoai_api_key_file: str = "key_aoai.txt",
    aoai_api_base_file: str = "base_aoai.txt",
    exclude: Optional[str] = None,
) -> list[dict[str, Any]]:
    """:func:`config_list_from_models` for ``gpt-4`` then ``gpt-3.5-turbo``."""
    return config_list_from_models(
        key_file_path,
        openai_api_key_file,
        aoai_api_key_file,
        aoai_api_base_file,
        exclude,
        model_list=["gpt-4", "gpt-3.5-turbo"],
    )


def config_list_from_dotenv(
    dotenv_file_path: Optional[str] = None,
    model_api_key_map: Optional[dict[str, Union[str, dict[str, Any]]]] = None,
    filter_dict: Optional[dict[str, Any]] = None,
) -> list[dict[str, Any]]:
    """Configs from a ``.env`` file: one per model, its key read from the variable the map names.

    Args:
        dotenv_file_path: the ``.env`` file; None searches for one from the working directory up.
        model_api_key_map: model -> environment variable name, or -> dict with ``api_key_env_var`` plus
            other config fields. ``gpt-4`` and ``gpt-3.5-turbo`` map to ``OPENAI_API_KEY`` unless given.
        filter_dict: see :func:`filter_config`.
    """
    from dotenv import find_dotenv, load_dotenv

    if dotenv_file_path:
        if Path(dotenv_file_path).exists():
            load_dotenv(dotenv_file_path)
        else:
            logger.warning("The .env file %s does not exist; reading environment variables only.", dotenv_file_path)
    else:
        found = find_dotenv(usecwd=True)
        if found:
            load_dotenv(found)
        else:
            logger.warning("No .env file found; reading environment variables only.")
    mapping: dict[str, Union[str, dict[str, Any]]] = dict(model_api_key_map or {})
    for model in ("gpt-4", "gpt-3.5-turbo"):
        mapping.setdefault(model, "OPENAI_API_KEY")
    configs = []
    for model, spec in mapping.items():
        if isinstance(spec, str):
            env_var, extra = spec, {}
        elif isinstance(spec, dict):
            env_var = spec.get("api_key_env_var", "OPENAI_API_KEY")
            extra = {k: v for k, v in spec.items() if k != "api_key_env_var"}
        else:
            logger.warning("model_api_key_map[%r] must be a variable name or a dict, got %r; skipped.", model, spec)
            continue
        api_key = os.environ.get(env_var, "").strip()
        if not api_key:
            logger.warning("Environment variable %s (API key for %r) is not set or empty; skipped.", env_var, model)
            continue
        configs.append({"api_key": api_key, **extra, "model": model})
    return filter_config(configs, filter_dict)


# ---- keys ------------------------------------------------------------------------------------------
def get_key(config: Any) -> str:
    """A stable string key for caching ``config``: sorted JSON, secrets and endpoint fields left out.

    Args:
        config: the create params (a dict), or any JSON-able value.
    """
    if isinstance(config, dict) and any(k in config for k in NON_CACHE_KEY):
        config = {k: v for k, v in config.items() if k not in NON_CACHE_KEY}
    return json.dumps(config, sort_keys=True, ensure_ascii=False, default=_jsonable)


def _jsonable(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(exclude_none=True)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
    return repr(value)


def is_valid_api_key(api_key: str) -> bool:
    """Whether ``api_key`` looks like an OpenAI API key (``sk-...``)."""
    return bool(_API_KEY_PATTERN.match(api_key or ""))
