"""Helpers for custom model clients: parameter validation and tool hiding (0.2's behaviour)."""

from __future__ import annotations

import logging
import warnings
from typing import Any, Optional, Union

__all__ = ["should_hide_tools", "validate_parameter"]

logger = logging.getLogger(__name__)

HIDE_TOOLS_VALUES = ("if_all_run", "if_any_run", "never")


def _type_names(allowed_types: Union[type, tuple[type, ...]]) -> str:
    if isinstance(allowed_types, tuple):
        return "(" + ", ".join(t.__name__ for t in allowed_types) + ")"
    return allowed_types.__name__


def _bounds_problem(value: Any, numerical_bound: tuple[Optional[float], Optional[float]], allow_None: bool) -> str:
    lower, upper = numerical_bound
    if not ((lower is not None and value < lower) or (upper is not None and value > upper)):
        return ""
    limits = [f">= {lower}"] if lower is not None else []
    limits += [f"<= {upper}"] if upper is not None else []
    return "has numerical bounds, " + " and ".join(limits) + (", or can be None" if allow_None else "")


def validate_parameter(
    params: dict[str, Any],
    param_name: str,
    allowed_types: Union[type, tuple[type, ...]],
    allow_None: bool,
    default_value: Any,
    numerical_bound: Optional[tuple[Optional[float], Optional[float]]],
    allowed_values: Optional[list[Any]],
) -> Any:
    """The value of ``params[param_name]`` (or ``default_value`` when missing) if valid, else ``default_value``.

    Checks, in order: None (allowed only with ``allow_None``), the type, then the numerical bounds
    when given, otherwise the allowed values. An invalid value gives a ``UserWarning`` naming the
    parameter and the default that is used instead.

    Args:
        params: the request parameters.
        param_name: the parameter to check.
        allowed_types: a type or a tuple of types the value may have.
        allow_None: whether None is a valid value.
        default_value: used when the parameter is missing (and then checked too) or invalid.
        numerical_bound: ``(lower, upper)`` inclusive bounds; either may be None.
        allowed_values: the only values accepted, or None for any.

    Raises:
        TypeError: ``allowed_values`` is neither a list nor None.
    """
    if allowed_values is not None and not isinstance(allowed_values, list):
        raise TypeError(f"allowed_values should be a list or None, got {type(allowed_values).__name__}")
    value = params.get(param_name, default_value)
    problem = ""
    if value is None:
        problem = "" if allow_None else "cannot be None"
    elif not isinstance(value, allowed_types):
        problem = f"must be of type {_type_names(allowed_types)}{' or None' if allow_None else ''}"
    elif numerical_bound:
        problem = _bounds_problem(value, numerical_bound, allow_None)
    elif allowed_values and value not in allowed_values:
        problem = f"must be one of these values [{allowed_values}]{', or can be None' if allow_None else ''}"
    if not problem:
        return value
    warnings.warn(f"Config error - {param_name} {problem}, defaulting to {default_value}.", UserWarning, stacklevel=2)
    return default_value


def should_hide_tools(messages: list[dict[str, Any]], tools: list[dict[str, Any]], hide_tools_param: str) -> bool:
    """Whether to leave ``tools`` out of the next request, given the tools already run in ``messages``.

    A tool has *run* when a tool response (a message with ``tool_call_id``) answers a call of it.

    Args:
        messages: the conversation so far.
        tools: the tools offered (None or empty: never hidden).
        hide_tools_param: ``"never"``; ``"if_any_run"`` (once any tool has run); ``"if_all_run"`` (once
            every tool has run at least once).

    Raises:
        TypeError: ``hide_tools_param`` is none of those (as 0.2).
    """
    if hide_tools_param == "never" or not tools:
        return False
    if hide_tools_param == "if_any_run":
        return any("tool_call_id" in message for message in messages)
    if hide_tools_param == "if_all_run":
        not_run = [tool["function"]["name"] for tool in tools]
        called: dict[Any, Any] = {}
        for message in messages:
            if "tool_calls" in message:
                for call in message["tool_calls"] or []:
                    called[call.get("id")] = (call.get("function") or {}).get("name")
            elif "tool_call_id" in message:
                name = called.get(message["tool_call_id"])
                if name in not_run:
                    not_run.remove(name)
        return not not_run
    raise TypeError(f"hide_tools_param is not a valid value {list(HIDE_TOOLS_VALUES)}, got {hide_tools_param!r}")
