"""Checking a config entry's values where they enter ``OpenAIWrapper``, naming the setting and the fix.

A bad value found here would otherwise surface late and disguised: ``timeout="soon"`` as a
"Connection error" after three tries, ``base_url=5`` only at the first call, an entry without
``model`` as a request without one.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from typing import Any, Callable, Optional

from .params import SECRET_KWARGS

__all__ = ["ConfigValueError", "check_config", "describe_value"]


class ConfigValueError(ValueError, TypeError):
    """A config entry has a setting with a value of the wrong type or out of range.

    A ``ValueError`` and a ``TypeError`` both, so code catching either keeps working.
    """


def describe_value(name: str, value: Any) -> str:
    """How a bad value is shown in an error: secrets by their type only."""
    if name in SECRET_KWARGS:
        return f"a {type(value).__name__} (not shown: it is a secret)"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_httpx(value: Any, name: str) -> bool:
    """Whether ``value`` is an ``httpx.<name>`` (httpx not imported: it cannot be; no import for the check)."""
    httpx = sys.modules.get("httpx")
    return httpx is not None and isinstance(value, getattr(httpx, name))


def _timeout(value: Any) -> Optional[str]:
    if value is None or (_is_number(value) and value > 0):
        return None
    if _is_httpx(value, "Timeout"):
        return None
    return "must be a number of seconds > 0 (or an httpx.Timeout), e.g. 60"


def _max_retries(value: Any) -> Optional[str]:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return None
    return "must be a whole number >= 0 (how many times a failed request is retried), e.g. 2"


def _positive_int(value: Any) -> Optional[str]:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return None
    return "must be a whole number of bytes > 0, e.g. 33554432 (32 MB)"


def _url(value: Any) -> Optional[str]:
    if value is None:
        return None
    text = str(value) if _is_httpx(value, "URL") else value
    if isinstance(text, str) and text.strip().lower().startswith(("http://", "https://")):
        return None
    return 'must be an http:// or https:// URL string, e.g. "https://api.openai.com/v1"'


def _optional_str(value: Any) -> Optional[str]:
    return None if value is None or isinstance(value, str) else "must be a string"


def _optional_mapping(value: Any) -> Optional[str]:
    if value is None or (isinstance(value, Mapping) and all(isinstance(k, str) for k in value)):
        return None
    return "must be a dict with string keys"


def _optional_callable(value: Any) -> Optional[str]:
    return None if value is None or callable(value) else "must be a function that returns a token"


_CHECKS: dict[str, Callable[[Any], Optional[str]]] = {
    "timeout": _timeout,
    "max_retries": _max_retries,
    "max_response_bytes": _positive_int,
    "base_url": _url,
    "azure_endpoint": _url,
    "api_key": _optional_str,
    "api_type": _optional_str,
    "api_version": _optional_str,
    "organization": _optional_str,
    "project": _optional_str,
    "azure_deployment": _optional_str,
    "azure_ad_token": _optional_str,
    "azure_ad_token_provider": _optional_callable,
    "model_client_cls": _optional_str,
    "default_headers": _optional_mapping,
    "default_query": _optional_mapping,
}


def check_config(config: Mapping[str, Any], where: str) -> None:
    """Raise :class:`ConfigValueError` for the first setting of ``config`` that cannot work.

    Args:
        config: one merged config entry.
        where: how the entry is named in the error, e.g. ``"config_list[1]"``.
    """
    for name, check in _CHECKS.items():
        if name in config:
            problem = check(config[name])
            if problem is not None:
                raise ConfigValueError(f"{where}: {name!r} {problem}; got {describe_value(name, config[name])}.")
    model = config.get("model")
    if config.get("model_client_cls"):
        return  # a custom client decides what it needs
    if not isinstance(model, str) or not model.strip():
        got = "no 'model'" if "model" not in config else f"model={describe_value('model', model)}"
        raise ConfigValueError(
            f'{where}: every config needs "model" (a non-empty string naming the model or Azure deployment), '
            f'got {got}. Add it, e.g. {{"model": "gpt-4o-mini", ...}}.'
        )
