"""Message normalisation: what agents store, what they send to the model, and how they read text."""

from __future__ import annotations

import re
from typing import Any, Optional, Union

__all__ = [
    "content_text",
    "llm_request_messages",
    "message_to_dict",
    "normalize_name",
    "stored_message",
]

Message = dict[str, Any]

# keys of a message that are kept in an agent's history (others, such as "refusal", are dropped)
_STORED_KEYS = ("content", "function_call", "tool_calls", "tool_responses", "tool_call_id", "name", "context")
_INVALID_NAME_CHARS = re.compile(r"[^a-zA-Z0-9_-]")


def message_to_dict(message: Union[Message, str, Any]) -> Message:
    """Turn a message given as text, dict or model object into a dict.

    Args:
        message: a string (the content), a dict, or an object with ``model_dump`` (e.g. an openai message).

    Returns:
        The message as a dict; a dict given is returned as is.
    """
    if isinstance(message, str):
        return {"content": message}
    if isinstance(message, dict):
        return message
    if hasattr(message, "model_dump"):
        return message.model_dump()
    try:
        return dict(message)
    except (TypeError, ValueError):
        raise TypeError(f"a message must be a str or a dict, not {type(message).__name__}: {message!r}") from None


def stored_message(message: Union[Message, str], role: str, name: str) -> Optional[Message]:
    """Build the history entry an agent keeps for a sent or received message.

    Args:
        message: the message as sent.
        role: "assistant" for the sender's copy, "user" for the receiver's copy.
        name: the sender's name, recorded in ``name`` unless the message carries one or a call.

    Returns:
        The entry, or None when the message has neither content nor a function/tool call.
    """
    message = message_to_dict(message)
    get = message.get
    entry = {key: value for key in _STORED_KEYS if (value := get(key)) is not None}
    has_call = bool(entry.get("function_call") or entry.get("tool_calls"))
    if "content" not in entry:
        if not (has_call or "function_call" in entry or "tool_calls" in entry):
            return None
        entry["content"] = None
    given_role = message.get("role")
    entry["role"] = given_role if given_role in ("function", "tool") else role
    if has_call:
        entry["role"] = "assistant"  # only assistant messages may carry calls
    elif "name" not in entry:
        entry["name"] = name
    return entry


def llm_request_messages(messages: list[Message]) -> list[Message]:
    """Expand stored history into the message list a chat-completions endpoint accepts.

    Tool responses bundled in one message become one ``tool`` message each; ``context`` (used for
    templating) is never sent; a ``name`` the API would reject (an agent named "User Proxy") is sent
    with its invalid characters replaced by ``_``.
    """
    out: list[Message] = []
    for message in messages:
        tool_responses = message.get("tool_responses")
        if tool_responses:
            out.extend(tool_responses)
            if message.get("role") == "tool":
                continue  # its content is only the concatenation of the responses
            message = {k: v for k, v in message.items() if k != "tool_responses"}
        if "context" in message:
            message = {k: v for k, v in message.items() if k != "context"}
        name = message.get("name")
        if isinstance(name, str) and (len(name) > 64 or _INVALID_NAME_CHARS.search(name)):
            message = {**message, "name": normalize_name(name)}
        out.append(message)
    return out


def content_text(content: Union[str, list, None]) -> str:
    """The text of a message's content (``code_utils.content_str``, with a fast path for strings)."""
    if isinstance(content, str):
        return content
    if content is None:
        return ""
    from ..code_utils import content_str

    return content_str(content)


def normalize_name(name: str) -> str:
    """Make a function/tool name the API accepts: ``[a-zA-Z0-9_-]``, at most 64 characters."""
    return _INVALID_NAME_CHARS.sub("_", name)[:64]


def tidy_llm_message(message: Message) -> Message:
    """Clean a model's message dict: drop empty fields, normalise call names, drop missing ids."""
    tidy = {k: v for k, v in message.items() if v is not None or k == "content"}
    function_call = tidy.get("function_call")
    if function_call:
        function_call["name"] = normalize_name(function_call.get("name") or "")
    for call in tidy.get("tool_calls") or []:
        function = call.get("function") or {}
        function["name"] = normalize_name(function.get("name") or "")
        if call.get("id") is None:
            call.pop("id", None)
        if call.get("type") is None:
            call.pop("type", None)
    return tidy
