"""OpenAI-style request parameters -> a provider SDK's keyword arguments, by a table per provider.

The table maps an OpenAI parameter name to a :class:`Param`: the provider's name for it, the types it
takes and its bounds. A value of the wrong type or out of bounds is left out with 0.2's
``validate_parameter`` warning; a parameter missing from the table is left out with the provider's
one warning per parameter (:class:`~autogen.oai.provider_request.ParameterFilter`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Union

from .client_utils import HIDE_TOOLS_VALUES, should_hide_tools, validate_parameter
from .provider_request import ParameterFilter

__all__ = ["ALWAYS_HANDLED", "Param", "sdk_kwargs", "without_hidden_tools"]

# Read by every client itself, never mapped through a table.
ALWAYS_HANDLED = frozenset({"model", "messages", "stream", "stream_options"})


@dataclass(frozen=True)
class Param:
    """How one OpenAI parameter is passed to a provider SDK."""

    name: str
    types: Union[type, tuple[type, ...]]
    bounds: Optional[tuple[Optional[float], Optional[float]]] = None


def sdk_kwargs(params: dict[str, Any], table: dict[str, Param], taken: ParameterFilter) -> dict[str, Any]:
    """The SDK keyword arguments for ``params`` (see the module docstring); None values are left out.

    Args:
        params: the OpenAI-style request (``model``, ``messages`` and ``stream`` are skipped here).
        table: the provider's parameters.
        taken: the provider's filter, which warns once about each parameter it does not take.
    """
    kwargs: dict[str, Any] = {}
    for name, value in params.items():
        if name in ALWAYS_HANDLED or value is None:
            continue
        param = table.get(name)
        if param is None:
            taken.takes(name, value)
            continue
        checked = validate_parameter({name: value}, name, param.types, True, None, param.bounds, None)
        if checked is not None:
            kwargs[param.name] = checked
    return kwargs


def without_hidden_tools(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` without 0.2's ``hide_tools`` option, and without the tools when it says to hide them.

    ``hide_tools`` (0.2's Mistral, Groq, Together and Cohere clients took it): ``"never"`` (default),
    ``"if_any_run"`` or ``"if_all_run"``; see :func:`~autogen.oai.client_utils.should_hide_tools`.
    """
    if "hide_tools" not in params:
        return params
    params = dict(params)
    hide = validate_parameter(params, "hide_tools", str, False, "never", None, list(HIDE_TOOLS_VALUES))
    del params["hide_tools"]
    if params.get("tools") and should_hide_tools(params.get("messages") or [], params["tools"], hide):
        params.pop("tools")
        params.pop("tool_choice", None)
    return params
