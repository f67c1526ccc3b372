"""Helpers for custom model clients: parameter validation and tool hiding."""

from __future__ import annotations

import logging
import warnings
from typing import Any, Optional

__all__ = ["should_hide_tools", "validate_parameter"]

logger = logging.getLogger(__name__)


def validate_parameter(
    params: dict[str, Any],
    param_name: str,
    allowed_types: tuple[type, ...],
    allow_None: bool,
    default_value: Any,
    numerical_bound: Optional[tuple[Optional[float], Optional[float]]],
    allowed_values: Optional[list[Any]],
) -> Any:
    """The value of ``params[param_name]`` if it is valid, else ``default_value`` (with a warning).

    Args:
        params: the request parameters.
        param_name: the parameter to check.
        allowed_types: types the value may have.
        allow_None: whether None is a valid value.
        default_value: used when the parameter is missing or invalid.
        numerical_bound: ``(lower, upper)`` inclusive bounds; either may be None.
        allowed_values: the only values accepted, or None for any.
    """
    if param_name not in params:
        return default_value
    value = params[param_name]
    problem = None
    if value is None:
        if not allow_None:
            problem = "must not be None"
    elif not isinstance(value, allowed_types):
        names = ", ".join(t.__name__ for t in allowed_types)
        problem = f"must be of type {names}, got {type(value).__name__}"
    elif numerical_bound is not None and isinstance(value, (int, float)):
        lower, upper = numerical_bound
        if (lower is not None and value < lower) or (upper is not None and value > upper):
            problem = f"must be between {lower} and {upper} (inclusive), got {value}"
    if problem is None and allowed_values is not None and value not in allowed_values:
        problem = f"must be one of {allowed_values}, got {value!r}"
    if problem is None:
        return value
    warnings.warn(
        f"Config error - {param_name} {problem}; using default value {default_value!r}.", UserWarning, stacklevel=2
    )
    return default_value


def should_hide_tools(messages: list[dict[str, Any]], tools: list[dict[str, Any]], hide_tools_param: str) -> bool:
    """Whether to leave ``tools`` out of the next request, given the calls already made in ``messages``.

    Args:
        messages: the conversation so far.
        tools: the tools offered.
        hide_tools_param: ``"never"``; ``"if_any_run"`` (after any tool call); ``"if_all_run"`` (once every
            tool has been called).

    Raises:
        ValueError: ``hide_tools_param`` is none of those.
    """
    if hide_tools_param == "never":
        return False
    called = {
        call.get("function", {}).get("name")
        for message in messages
        for call in (message.get("tool_calls") or [])
        if isinstance(call, dict)
    }
    if hide_tools_param == "if_any_run":
        return bool(called)
    if hide_tools_param == "if_all_run":
        names = {tool.get("function", {}).get("name") for tool in tools}
        return bool(names) and names <= called
    raise ValueError(f"hide_tools must be 'never', 'if_any_run' or 'if_all_run', got {hide_tools_param!r}")
