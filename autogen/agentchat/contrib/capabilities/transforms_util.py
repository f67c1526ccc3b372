"""Helpers shared by the message transforms: token counting, filters, caching and tool-call pairing."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from typing import Any, Optional

__all__ = [
    "cache_content_get",
    "cache_content_set",
    "cache_key",
    "count_text_tokens",
    "group_tool_units",
    "is_content_right_type",
    "is_content_text_empty",
    "message_tokens",
    "min_tokens_reached",
    "part_text",
    "remove_split_tool_pairs",
    "should_transform_message",
]

DEFAULT_MODEL = "gpt-3.5-turbo-0613"


def cache_key(content: Any, *args: Any) -> str:
    """A stable cache key for a message content and the settings that shaped its transformation."""
    raw = json.dumps([content, *[str(a) for a in args]], sort_keys=True, default=str)
    return "transforms:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def cache_content_get(cache: Any, key: str) -> Optional[tuple[Any, ...]]:
    """Return the cached ``(content, *extra_values)`` for ``key``, or None (also when ``cache`` is None)."""
    if cache is None:
        return None
    cached = cache.get(key)
    return tuple(cached) if cached else None


def cache_content_set(cache: Any, key: str, content: Any, *extra_values: Any) -> None:
    """Store ``(content, *extra_values)`` under ``key`` (nothing happens when ``cache`` is None)."""
    if cache is not None:
        cache.set(key, (content, *extra_values))


@functools.lru_cache(maxsize=8192)
def _text_tokens(text: str, model: str) -> int:
    # Histories are re-counted before every reply; most of their texts were counted last time.
    from autogen.token_count_utils import count_token

    return count_token(text, model)


def part_text(part: Any) -> Optional[str]:
    """The text of one item of a list content: a string item, or the ``text`` of a ``"text"`` part.

    None for every other item (images, audio, malformed parts), which holds no text to count or cut.
    """
    if isinstance(part, str):
        return part
    if isinstance(part, dict) and part.get("type", "text") == "text" and isinstance(part.get("text"), str):
        return part["text"]
    return None


def count_text_tokens(content: Any, model: str = DEFAULT_MODEL) -> int:
    """Tokens in a message content: a string, or a list whose text items (see :func:`part_text`) are counted."""
    if isinstance(content, str):
        return _text_tokens(content, model) if content else 0
    if isinstance(content, list):
        return sum(_text_tokens(text, model) for text in map(part_text, content) if text)
    return 0


def message_tokens(message: dict[str, Any], model: str = DEFAULT_MODEL) -> int:
    """Tokens a message costs in a request: its content plus the names and arguments of its tool calls."""
    total = count_text_tokens(message.get("content"), model)
    calls = list(message.get("tool_calls") or [])
    if message.get("function_call"):
        calls.append({"function": message["function_call"]})
    for call in calls:
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict):
            continue
        text = f"{function.get('name') or ''}{function.get('arguments') or ''}"
        if text:
            total += _text_tokens(text, model)
    return total


def min_tokens_reached(messages: list[dict[str, Any]], min_tokens: Optional[int], model: str = DEFAULT_MODEL) -> bool:
    """Whether the contents of ``messages`` hold at least ``min_tokens`` tokens (always true without a minimum)."""
    if not min_tokens:
        return True
    total = 0
    for message in messages:
        total += count_text_tokens(message.get("content"), model)
        if total >= min_tokens:
            return True
    return False


def is_content_right_type(content: Any) -> bool:
    """Whether a content is one a transform can work on (a string or a list of parts)."""
    return isinstance(content, (str, list))


def is_content_text_empty(content: Any) -> bool:
    """Whether a content holds no text at all."""
    if isinstance(content, str):
        return content == ""
    if isinstance(content, list):
        return not any(map(part_text, content))
    return True


def should_transform_message(message: dict[str, Any], filter_dict: Optional[dict[str, Any]], exclude: bool) -> bool:
    """Whether ``message`` is selected by ``filter_dict`` (matched, or with ``exclude``, not matched).

    ``filter_dict`` works as in ``autogen.filter_config``: ``{"role": ["system"]}`` with
    ``exclude=True`` selects every message that is not a system message.
    """
    if not filter_dict:
        return True
    from autogen.oai.openai_utils import filter_config

    return len(filter_config([message], filter_dict, exclude)) > 0


# -- tool call / tool response pairing -----------------------------------------------------------
def _call_ids(message: dict[str, Any]) -> list[str]:
    return [str(c["id"]) for c in message.get("tool_calls") or [] if isinstance(c, dict) and c.get("id")]


def _response_ids(message: dict[str, Any]) -> list[str]:
    ids = [message["tool_call_id"]] if message.get("tool_call_id") else []
    for response in message.get("tool_responses") or []:
        if isinstance(response, dict) and response.get("tool_call_id"):
            ids.append(response["tool_call_id"])
    return ids


def _is_tool_response(message: dict[str, Any]) -> bool:
    return message.get("role") == "tool" or bool(message.get("tool_responses"))


def group_tool_units(messages: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split ``messages`` into units that a transform keeps or drops whole.

    A unit is an assistant message with ``tool_calls`` and the tool responses that follow it, a
    legacy ``function_call`` message and the ``function`` message that answers it, or any other
    single message.
    """
    units: list[list[dict[str, Any]]] = []
    i = 0
    while i < len(messages):
        message = messages[i]
        unit = [message]
        i += 1
        if message.get("tool_calls"):
            while i < len(messages) and _is_tool_response(messages[i]):
                unit.append(messages[i])
                i += 1
        elif message.get("function_call") and i < len(messages) and messages[i].get("role") == "function":
            unit.append(messages[i])
            i += 1
        units.append(unit)
    return units


def remove_split_tool_pairs(
    original: Iterable[dict[str, Any]], transformed: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Drop from ``transformed`` every tool call whose response was removed, and every response whose call was.

    Only pairs that were complete in ``original`` count: a tool call still waiting for its
    response (the last message, before the tools run) is left alone.
    """
    original = list(original)
    answered = {i for m in original if _is_tool_response(m) for i in _response_ids(m)}
    called = {i for m in original for i in _call_ids(m)}
    result = list(transformed)
    while True:
        kept_calls = {i for m in result for i in _call_ids(m)}
        kept_answers = {i for m in result if _is_tool_response(m) for i in _response_ids(m)}
        pruned = [
            m
            for m in result
            if not any(i in answered and i not in kept_answers for i in _call_ids(m))
            and not (_is_tool_response(m) and any(i in called and i not in kept_calls for i in _response_ids(m)))
        ]
        if len(pruned) == len(result):
            return pruned
        result = pruned
