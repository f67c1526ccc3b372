"""Message transforms: shorten a conversation history before it is sent to the model.

Each transform takes the message list and returns a new one, never changing the input. None of
them ever separates a tool call from its tool response: such pairs are kept or dropped whole.
"""

from __future__ import annotations

import copy
import sys
from typing import Any, Optional, Protocol, runtime_checkable

from autogen.io import IOStream

from . import transforms_util
from .text_compressors import LLMLingua, TextCompressor

__all__ = ["MessageHistoryLimiter", "MessageTokenLimiter", "MessageTransform", "TextMessageCompressor"]


@runtime_checkable
class MessageTransform(Protocol):
    """What ``TransformMessages`` needs from a transform."""

    def apply_transform(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Return the transformed messages (a new list; ``messages`` is left unchanged)."""
        ...

    def get_logs(
        self, pre_transform_messages: list[dict[str, Any]], post_transform_messages: list[dict[str, Any]]
    ) -> tuple[str, bool]:
        """Describe what the transform changed, and whether it changed anything."""
        ...


def _check_count(name: str, value: Any, minimum: int) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be None or an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be None or at least {minimum}, got {value}")


class MessageHistoryLimiter:
    """Keeps only the most recent messages.

    Args:
        max_messages: How many messages to keep (None: all). A tool call and its responses are
            kept or dropped together, and the newest of them is always kept, so a history ending in
            a tool exchange can hold a few more messages than ``max_messages``.
        keep_first_message: Also keep the first message (usually the task), counted in ``max_messages``.
    """

    def __init__(self, max_messages: Optional[int] = None, keep_first_message: bool = False) -> None:
        _check_count("max_messages", max_messages, 1)
        self._max_messages = max_messages
        self._keep_first_message = bool(keep_first_message)

    def apply_transform(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Return the first message (if asked) and the newest messages, at most ``max_messages`` in all."""
        if self._max_messages is None or len(messages) <= self._max_messages:
            return list(messages)
        units = transforms_util.group_tool_units(messages)
        head: list[dict[str, Any]] = units.pop(0) if self._keep_first_message else []
        budget = self._max_messages - len(head)
        tail: list[list[dict[str, Any]]] = []
        for unit in reversed(units):
            if len(unit) > budget and tail:  # the newest exchange is always kept
                break
            tail.append(unit)
            budget -= len(unit)
        return head + [m for unit in reversed(tail) for m in unit]

    def get_logs(
        self, pre_transform_messages: list[dict[str, Any]], post_transform_messages: list[dict[str, Any]]
    ) -> tuple[str, bool]:
        """Say how many messages were removed."""
        before, after = len(pre_transform_messages), len(post_transform_messages)
        if after < before:
            return f"Removed {before - after} messages. Number of messages reduced from {before} to {after}.", True
        return "No messages were removed.", False


class MessageTokenLimiter:
    """Truncates long messages and drops the oldest ones so the history fits a token budget.

    Works on messages of every role whose content is a string or a list of parts: the text (a
    string, the ``text`` of text parts, string items) is cut, other parts such as images are kept
    as they are; messages without text (content None, tool calls only) are kept and cost only
    their tool calls.

    Going from the newest message to the oldest, each selected message is first cut to
    ``max_tokens_per_message``; messages are kept while the history fits ``max_tokens``. The first
    message that does not fit is cut to the tokens left (kept only if some of its text remains),
    and everything older is dropped. A tool call and its responses are kept or dropped together.

    Args:
        max_tokens_per_message: Each selected message's text is cut to this many tokens (None: no cut).
        max_tokens: Token budget of the whole history, every message counted (None: no budget).
            Capped at the model's context window when that is known.
        min_tokens: Leave the history alone until it holds at least this many tokens.
        model: Model whose tokenizer counts the tokens.
        filter_dict: Which messages to truncate, as in ``autogen.filter_config`` (None: all).
        exclude_filter: Truncate the messages that do NOT match ``filter_dict``.
    """

    def __init__(
        self,
        max_tokens_per_message: Optional[int] = None,
        max_tokens: Optional[int] = None,
        min_tokens: Optional[int] = None,
        model: str = transforms_util.DEFAULT_MODEL,
        filter_dict: Optional[dict[str, Any]] = None,
        exclude_filter: bool = True,
    ) -> None:
        _check_count("max_tokens_per_message", max_tokens_per_message, 0)
        _check_count("max_tokens", max_tokens, 0)
        _check_count("min_tokens", min_tokens, 0)
        if not isinstance(model, str) or not model:
            raise ValueError(f"model must be a model name, got {model!r}")
        if filter_dict is not None and not isinstance(filter_dict, dict):
            raise TypeError(f"filter_dict must be None or a dict like {{'role': ['system']}}, got {filter_dict!r}")
        self._model = model
        self._max_tokens_per_message = sys.maxsize if max_tokens_per_message is None else max_tokens_per_message
        self._max_tokens = sys.maxsize if max_tokens is None else self._cap_to_model(max_tokens)
        if min_tokens is not None and min_tokens > self._max_tokens:
            raise ValueError(f"min_tokens ({min_tokens}) must not be more than max_tokens ({self._max_tokens})")
        self._min_tokens = min_tokens
        self._filter_dict = filter_dict
        self._exclude_filter = exclude_filter

    def _cap_to_model(self, max_tokens: int) -> int:
        from autogen.token_count_utils import known_max_token_limit

        limit = known_max_token_limit(self._model)
        if limit is not None and max_tokens > limit:
            IOStream.get_default().print(
                f"MessageTokenLimiter: max_tokens ({max_tokens}) exceeds the context window of {self._model}; "
                f"using {limit}."
            )
            return limit
        return max_tokens

    def apply_transform(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Return the newest messages that fit ``max_tokens``, each cut to ``max_tokens_per_message``."""
        if not transforms_util.min_tokens_reached(messages, self._min_tokens, self._model):
            return list(messages)
        kept: list[list[dict[str, Any]]] = []
        left = self._max_tokens
        for unit in reversed(transforms_util.group_tool_units(messages)):
            unit = [self._truncate_message(m, self._max_tokens_per_message) for m in unit]
            cost = self._tokens(unit)
            if cost <= left:
                kept.append(unit)
                left -= cost
                continue
            fitted = self._fit_unit(unit, left)
            # the newest exchange is always sent, cut as short as it goes, rather than nothing
            if not kept or (self._tokens(fitted) <= left and self._has_text(fitted)):
                kept.append(fitted)
            break
        return [m for unit in reversed(kept) for m in unit]

    def _selected(self, message: dict[str, Any]) -> bool:
        return transforms_util.should_transform_message(message, self._filter_dict, self._exclude_filter)

    def _tokens(self, unit: list[dict[str, Any]]) -> int:
        return sum(transforms_util.message_tokens(m, self._model) for m in unit)

    def _has_text(self, unit: list[dict[str, Any]]) -> bool:
        return any(transforms_util.count_text_tokens(m.get("content"), self._model) > 0 for m in unit)

    def _truncate_message(self, message: dict[str, Any], max_tokens: int) -> dict[str, Any]:
        content = message.get("content")
        if max_tokens == sys.maxsize or not isinstance(content, (str, list)) or not self._selected(message):
            return message
        if transforms_util.count_text_tokens(content, self._model) <= max_tokens:
            return message
        if isinstance(content, str):
            return {**message, "content": _truncate_text(content, max_tokens)}
        # the texts of a list share the budget, in order; other parts are kept as they are
        parts: list[Any] = []
        remaining = max_tokens
        for part in content:
            text = transforms_util.part_text(part)
            if text is None:
                parts.append(copy.deepcopy(part))
                continue
            text = _truncate_text(text, remaining)
            remaining = max(0, remaining - transforms_util.count_text_tokens(text, self._model))
            parts.append(text if isinstance(part, str) else {**copy.deepcopy(part), "text": text})
        return {**message, "content": parts}

    def _fit_unit(self, unit: list[dict[str, Any]], budget: int) -> list[dict[str, Any]]:
        """``unit`` cut to fit ``budget`` if it can: tool calls are kept, the texts share the rest, newest first."""
        calls = sum(transforms_util.message_tokens({**m, "content": None}, self._model) for m in unit)
        left = max(0, budget - calls)
        fitted: list[dict[str, Any]] = []
        for message in reversed(unit):
            message = self._truncate_message(message, left)
            left = max(0, left - transforms_util.count_text_tokens(message.get("content"), self._model))
            fitted.append(message)
        return list(reversed(fitted))

    def get_logs(
        self, pre_transform_messages: list[dict[str, Any]], post_transform_messages: list[dict[str, Any]]
    ) -> tuple[str, bool]:
        """Say how many tokens were removed."""
        before = sum(transforms_util.message_tokens(m, self._model) for m in pre_transform_messages)
        after = sum(transforms_util.message_tokens(m, self._model) for m in post_transform_messages)
        if after < before:
            return f"Truncated {before - after} tokens. Number of tokens reduced from {before} to {after}", True
        return "No tokens were truncated.", False


def _truncate_text(text: str, max_tokens: int) -> str:
    """The beginning of ``text``, at most ``max_tokens`` tokens long."""
    if max_tokens <= 0:
        return ""
    from autogen.token_count_utils import get_encoding

    encoding = get_encoding()
    tokens = encoding.encode_ordinary(text)
    if len(tokens) <= max_tokens:
        return text
    # A cut inside a multi-byte character leaves a partial byte sequence: drop it, and shorten further
    # in the rare case that the cut text encodes to more tokens than its prefix held.
    kept = max_tokens
    while True:
        cut = encoding.decode_bytes(tokens[:kept]).decode("utf-8", errors="ignore")
        if kept == 0 or len(encoding.encode_ordinary(cut)) <= max_tokens:
            return cut
        kept -= 1


_DEFAULT_CACHE: Any = object()


class TextMessageCompressor:
    """Compresses the text of messages with a ``TextCompressor`` (LLMLingua by default).

    Args:
        text_compressor: The compressor; None: ``LLMLingua()`` (needs ``pip install "autogen[long-context]"``).
        min_tokens: Leave the history alone until it holds at least this many tokens.
        compression_params: Keyword arguments passed to ``compress_text``.
        cache: Where compressed texts are kept between calls; the default is a disk cache
            (``Cache.disk()``), created on first use; None: no cache.
        filter_dict: Which messages to compress, as in ``autogen.filter_config`` (None: all).
        exclude_filter: Compress the messages that do NOT match ``filter_dict``.
    """

    def __init__(
        self,
        text_compressor: Optional[TextCompressor] = None,
        min_tokens: Optional[int] = None,
        compression_params: Optional[dict[str, Any]] = None,
        cache: Any = _DEFAULT_CACHE,
        filter_dict: Optional[dict[str, Any]] = None,
        exclude_filter: bool = True,
    ) -> None:
        _check_count("min_tokens", min_tokens, 0)
        if text_compressor is None:
            text_compressor = LLMLingua()
        if not callable(getattr(text_compressor, "compress_text", None)):
            raise TypeError(
                f"text_compressor must have a compress_text(text, **params) method, got {text_compressor!r}"
            )
        self._text_compressor = text_compressor
        self._min_tokens = min_tokens
        self._compression_args = dict(compression_params or {})
        self._cache = cache
        self._filter_dict = filter_dict
        self._exclude_filter = exclude_filter
        self._recent_tokens_savings = 0

    def _get_cache(self) -> Any:
        if self._cache is _DEFAULT_CACHE:
            from autogen.cache import Cache

            self._cache = Cache.disk()
        return self._cache

    def apply_transform(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Return the messages with their text compressed."""
        self._recent_tokens_savings = 0
        if not transforms_util.min_tokens_reached(messages, self._min_tokens):
            return list(messages)
        cache = self._get_cache()
        result = []
        for message in messages:
            content = message.get("content")
            if (
                not transforms_util.should_transform_message(message, self._filter_dict, self._exclude_filter)
                or not transforms_util.is_content_right_type(content)
                or transforms_util.is_content_text_empty(content)
            ):
                result.append(message)
                continue
            key = transforms_util.cache_key(content, self._min_tokens, sorted(self._compression_args.items()))
            cached = transforms_util.cache_content_get(cache, key)
            if cached is not None:
                compressed, savings = cached[0], int(cached[1])
            else:
                compressed, savings = self._compress(content)
                transforms_util.cache_content_set(cache, key, compressed, savings)
            result.append({**message, "content": compressed})
            self._recent_tokens_savings += savings
        return result

    def _compress(self, content: Any) -> tuple[Any, int]:
        if isinstance(content, str):
            return self._compress_text(content)
        parts = copy.deepcopy(content)
        savings = 0
        for part in parts:
            if isinstance(part, dict) and part.get("type") == "text" and part.get("text"):
                part["text"], saved = self._compress_text(part["text"])
                savings += saved
        return parts, savings

    def _compress_text(self, text: str) -> tuple[str, int]:
        result = self._text_compressor.compress_text(text, **self._compression_args)
        savings = 0
        if "origin_tokens" in result and "compressed_tokens" in result:
            savings = int(result["origin_tokens"]) - int(result["compressed_tokens"])
        return result["compressed_prompt"], savings

    def get_logs(
        self, pre_transform_messages: list[dict[str, Any]], post_transform_messages: list[dict[str, Any]]
    ) -> tuple[str, bool]:
        """Say how many tokens the compression saved."""
        if self._recent_tokens_savings > 0:
            return f"{self._recent_tokens_savings} tokens saved with text compression.", True
        return "No tokens saved with text compression.", False
