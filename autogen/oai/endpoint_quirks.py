"""Per-endpoint fixes for OpenAI-compatible servers that differ from OpenAI.

Each quirk set rewrites the request body for one kind of server (chosen by the config's ``api_type``)
and is never applied to OpenAI or Azure OpenAI themselves.

llama.cpp (``api_type: "llama.cpp"``, the server of ``llama-cpp-python``), measured:

* ``max_completion_tokens`` is ignored: it is sent as ``max_tokens``.
* an assistant message with ``content: null`` and tool calls gets HTTP 500: ``""`` is sent instead.
* ``tool_choice="required"`` gets HTTP 500: with one tool it becomes a named tool choice (same effect);
  with several tools there is no equivalent, so a clear error is raised before sending.
* ``response_format`` of type ``json_schema`` gets HTTP 500: it becomes ``json_object`` with the schema,
  which that server enforces with a grammar.
* streams carry no usage: ``stream_options`` is not sent, tokens are counted locally.
* ``n > 1`` is ignored by the server: it is dropped, with one warning.
* a named ``tool_choice`` is answered with both ``tool_calls`` and a legacy ``function_call``: when the
  request offered no legacy ``functions``, the ``function_call`` is dropped so agents take the tool path.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Optional

__all__ = ["EndpointQuirks", "UnsupportedByEndpointError", "quirks_for"]

logger = logging.getLogger(__name__)

LLAMA_CPP_NAMES = frozenset({"llama.cpp", "llama_cpp", "llamacpp", "llama-cpp"})


class UnsupportedByEndpointError(ValueError):
    """The request asks for something this kind of server cannot do."""


@dataclass(frozen=True)
class EndpointQuirks:
    """What one kind of endpoint needs: a body rewrite, a response fix, and whether it reports usage in streams."""

    name: str
    rewrite: Callable[[dict[str, Any]], dict[str, Any]]
    stream_usage: bool
    fix_response: Callable[[dict[str, Any], Any], None] = lambda body, completion: None


def _no_change(body: dict[str, Any]) -> dict[str, Any]:
    return body


OPENAI = EndpointQuirks("openai", _no_change, stream_usage=True)
_warned_n = False


def _llama_cpp_rewrite(body: dict[str, Any]) -> dict[str, Any]:
    global _warned_n
    body = dict(body)
    if "max_completion_tokens" in body:
        value = body.pop("max_completion_tokens")
        body.setdefault("max_tokens", value)
    if body.get("messages"):
        body["messages"] = [_fix_message(m) for m in body["messages"]]
    if body.get("tool_choice") == "required":
        body["tool_choice"] = _named_tool_choice(body.get("tools") or [])
    response_format = body.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        schema = (response_format.get("json_schema") or {}).get("schema")
        body["response_format"] = {"type": "json_object", **({"schema": schema} if schema else {})}
    if (body.get("n") or 1) > 1:
        if not _warned_n:
            _warned_n = True
            logger.warning("llama.cpp servers ignore n>%d and return one choice; n is not sent.", 1)
        body.pop("n")
    body.pop("stream_options", None)
    return body


def _fix_message(message: Any) -> Any:
    if (
        isinstance(message, dict)
        and message.get("role") == "assistant"
        and message.get("content") is None
        and (message.get("tool_calls") or message.get("function_call"))
    ):
        return {**message, "content": ""}
    return message


def _named_tool_choice(tools: list[dict[str, Any]]) -> dict[str, Any]:
    names = [t.get("function", {}).get("name") for t in tools if isinstance(t, dict)]
    if len(names) == 1 and names[0]:
        return {"type": "function", "function": {"name": names[0]}}
    raise UnsupportedByEndpointError(
        f'tool_choice="required" with {len(names)} tools is not supported by llama.cpp servers (HTTP 500). '
        'Name the tool to call: tool_choice={"type": "function", "function": {"name": "..."}}, '
        'or use tool_choice="auto" (needs the server flag --chat_format chatml-function-calling).'
    )


def _drop_duplicate_function_call(body: dict[str, Any], completion: Any) -> None:
    if body.get("functions"):
        return
    for choice in getattr(completion, "choices", None) or []:
        message = getattr(choice, "message", None)
        if message is not None and getattr(message, "tool_calls", None) and getattr(message, "function_call", None):
            message.function_call = None


LLAMA_CPP = EndpointQuirks(
    "llama.cpp", _llama_cpp_rewrite, stream_usage=False, fix_response=_drop_duplicate_function_call
)


def quirks_for(api_type: Optional[str]) -> EndpointQuirks:
    """The quirks of the endpoint kind named by a config's ``api_type`` (OpenAI's: none)."""
    if api_type and api_type.lower() in LLAMA_CPP_NAMES:
        return LLAMA_CPP
    return OPENAI
