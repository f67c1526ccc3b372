"""Context programming: fill message and prompt templates from a ``context`` dict."""

from __future__ import annotations

from typing import Any, Callable, Optional, Union

__all__ = ["apply_context", "instantiate"]

Template = Union[str, Callable[[dict[str, Any]], Any], None]


def instantiate(template: Template, context: Optional[dict[str, Any]] = None, allow_format_str_template: bool = False):
    """Fill one template from ``context``.

    A callable is called with ``context``; a string is filled with ``str.format(**context)`` only when
    ``allow_format_str_template`` is true (otherwise it is returned as is, braces and all). Without a
    context, the template is returned unchanged.

    Raises:
        KeyError: a ``{name}`` placeholder is missing from ``context`` (the message names it).
    """
    if not context or template is None:
        return template
    if isinstance(template, str):
        if not allow_format_str_template:
            return template
        try:
            return template.format(**context)
        except KeyError as err:
            raise KeyError(
                f"Template placeholder {err.args[0]!r} is not in the context (context keys: {sorted(context)})."
            ) from None
    if callable(template):
        return template(context)
    return template


def apply_context(
    params: dict[str, Any], context: Optional[dict[str, Any]], allow_format_str_template: bool
) -> dict[str, Any]:
    """``params`` with its ``prompt`` or each message's ``content`` instantiated from ``context``.

    Raises:
        ValueError: ``params`` has both ``prompt`` and ``messages``, or neither.
    """
    has_prompt, has_messages = params.get("prompt") is not None, params.get("messages") is not None
    if has_prompt == has_messages:
        which = "both" if has_prompt else "neither"
        raise ValueError(f"create() needs exactly one of 'messages' or 'prompt'; got {which}.")
    if not context:
        return params
    params = dict(params)
    if has_prompt:
        params["prompt"] = instantiate(params["prompt"], context, allow_format_str_template)
    else:
        params["messages"] = [
            {**m, "content": instantiate(m["content"], context, allow_format_str_template)}
            if isinstance(m, dict) and m.get("content") is not None and not isinstance(m["content"], list)
            else m
            for m in params["messages"]
        ]
    return params
