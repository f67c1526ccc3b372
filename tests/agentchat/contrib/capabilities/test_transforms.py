"""Tests for autogen/agentchat/contrib/capabilities/transforms.py."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from autogen.agentchat.contrib.capabilities.transforms import (
    MessageHistoryLimiter,
    MessageTokenLimiter,
    MessageTransform,
    TextMessageCompressor,
)
from autogen.agentchat.contrib.capabilities.transforms_util import message_tokens
from autogen.token_count_utils import count_token


def _chat(n: int, words: int = 5) -> list[dict[str, Any]]:
    return [
        {"role": "user" if i % 2 == 0 else "assistant", "content": f"message {i} " + "word " * words} for i in range(n)
    ]


def _tool_exchange(call_id: str, result: str = "42") -> list[dict[str, Any]]:
    call = {"id": call_id, "type": "function", "function": {"name": "calc", "arguments": '{"x": 1}'}}
    return [
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": call_id, "content": result},
    ]


def _assert_no_split_pairs(messages: list[dict[str, Any]]) -> None:
    calls = {c["id"] for m in messages for c in m.get("tool_calls") or []}
    answers = {m["tool_call_id"] for m in messages if m.get("role") == "tool"}
    assert calls == answers, f"split tool pair: calls {calls}, answers {answers}"


def test_builtin_transforms_follow_the_protocol() -> None:
    assert isinstance(MessageHistoryLimiter(), MessageTransform)
    assert isinstance(MessageTokenLimiter(), MessageTransform)


# -- MessageHistoryLimiter -------------------------------------------------------------------------
def test_history_limiter_keeps_the_newest_messages() -> None:
    messages = _chat(10)
    assert MessageHistoryLimiter(max_messages=3).apply_transform(messages) == messages[-3:]


def test_history_limiter_keeps_the_first_message_when_asked() -> None:
    messages = _chat(10)
    assert MessageHistoryLimiter(max_messages=3, keep_first_message=True).apply_transform(messages) == [
        messages[0],
        *messages[-2:],
    ]


def test_history_limiter_without_limit_or_under_it_changes_nothing() -> None:
    messages = _chat(4)
    assert MessageHistoryLimiter().apply_transform(messages) == messages
    assert MessageHistoryLimiter(max_messages=4).apply_transform(messages) == messages


def test_history_limiter_leaves_its_input_unchanged() -> None:
    messages = _chat(6)
    before = copy.deepcopy(messages)
    MessageHistoryLimiter(max_messages=2).apply_transform(messages)
    assert messages == before


@pytest.mark.parametrize("bad", [0, -1])
def test_history_limiter_rejects_non_positive_limits(bad: int) -> None:
    with pytest.raises(ValueError, match=f"max_messages must be None or at least 1, got {bad}"):
        MessageHistoryLimiter(max_messages=bad)


def test_history_limiter_rejects_non_integer_limits() -> None:
    with pytest.raises(TypeError, match="max_messages"):
        MessageHistoryLimiter(max_messages="5")  # type: ignore[arg-type]


def test_history_limiter_never_keeps_a_tool_response_without_its_call() -> None:
    messages = [*_chat(3), *_tool_exchange("a"), {"role": "assistant", "content": "the answer is 42"}]
    # max 2 would cut between the call and its response; the limiter drops the pair whole
    result = MessageHistoryLimiter(max_messages=2).apply_transform(messages)
    assert result == messages[-1:]
    _assert_no_split_pairs(result)


def test_history_limiter_keeps_a_whole_tool_exchange_when_it_fits() -> None:
    messages = [*_chat(3), *_tool_exchange("a"), {"role": "assistant", "content": "the answer is 42"}]
    result = MessageHistoryLimiter(max_messages=3).apply_transform(messages)
    assert result == messages[-3:]


def test_history_limiter_keeps_the_newest_tool_exchange_whole_even_over_the_limit() -> None:
    messages = [*_chat(3), *_tool_exchange("a")]
    result = MessageHistoryLimiter(max_messages=1).apply_transform(messages)
    assert result == messages[-2:]
    _assert_no_split_pairs(result)


@pytest.mark.parametrize("max_messages", range(1, 12))
def test_history_limiter_never_splits_pairs_at_any_limit(max_messages: int) -> None:
    messages = [*_chat(2), *_tool_exchange("a"), *_chat(1), *_tool_exchange("b"), *_tool_exchange("c"), *_chat(2)]
    for keep_first in (False, True):
        result = MessageHistoryLimiter(max_messages, keep_first).apply_transform(messages)
        _assert_no_split_pairs(result)


def test_history_limiter_logs() -> None:
    limiter = MessageHistoryLimiter(max_messages=2)
    messages = _chat(5)
    assert limiter.get_logs(messages, limiter.apply_transform(messages)) == (
        "Removed 3 messages. Number of messages reduced from 5 to 2.",
        True,
    )
    assert limiter.get_logs(messages, messages) == ("No messages were removed.", False)


# -- MessageTokenLimiter ---------------------------------------------------------------------------
def test_token_limiter_truncates_each_message() -> None:
    messages = _chat(3, words=50)
    result = MessageTokenLimiter(max_tokens_per_message=5).apply_transform(messages)
    assert [count_token(m["content"]) for m in result] == [5, 5, 5]
    assert result[0]["content"] == messages[0]["content"][: len(result[0]["content"])]


def test_token_limiter_drops_the_oldest_messages_over_the_budget() -> None:
    messages = _chat(10, words=10)
    budget = sum(message_tokens(m) for m in messages[-3:])
    result = MessageTokenLimiter(max_tokens=budget).apply_transform(messages)
    assert result == messages[-3:]


def test_token_limiter_truncates_text_parts_of_multimodal_content() -> None:
    message = {
        "role": "user",
        "content": [{"type": "text", "text": "word " * 100}, {"type": "image_url", "image_url": {"url": "u"}}],
    }
    result = MessageTokenLimiter(max_tokens_per_message=3).apply_transform([message])
    assert count_token(result[0]["content"][0]["text"]) == 3
    assert result[0]["content"][1] == message["content"][1]


def test_token_limiter_does_nothing_below_min_tokens() -> None:
    messages = _chat(3, words=50)
    assert MessageTokenLimiter(max_tokens_per_message=1, min_tokens=100000).apply_transform(messages) == messages


def test_token_limiter_leaves_filtered_out_messages_alone() -> None:
    messages = [{"role": "system", "content": "rule " * 40}, *_chat(2, words=40)]
    result = MessageTokenLimiter(max_tokens_per_message=4, filter_dict={"role": ["system"]}).apply_transform(messages)
    assert result[0] == messages[0]
    assert all(count_token(m["content"]) == 4 for m in result[1:])


def test_token_limiter_leaves_its_input_unchanged() -> None:
    messages = _chat(4, words=30)
    before = copy.deepcopy(messages)
    MessageTokenLimiter(max_tokens_per_message=2, max_tokens=10).apply_transform(messages)
    assert messages == before


def test_token_limiter_never_keeps_a_tool_response_without_its_call() -> None:
    messages = [*_chat(2), *_tool_exchange("a", "result " * 20), {"role": "assistant", "content": "done"}]
    last_two = message_tokens(messages[-1]) + message_tokens(messages[-2])
    result = MessageTokenLimiter(max_tokens=last_two).apply_transform(messages)
    # the exchange at the limit is kept whole, its response cut so that the call fits too
    assert result[0] == messages[-3] and result[-1] == messages[-1]
    assert messages[-2]["content"].startswith(result[1]["content"]) and result[1]["content"]
    _assert_no_split_pairs(result)
    assert sum(message_tokens(m) for m in result) <= last_two


@pytest.mark.parametrize("budget", [1, 5, 10, 20, 40, 80, 200])
def test_token_limiter_never_splits_pairs_at_any_budget(budget: int) -> None:
    messages = [*_chat(2), *_tool_exchange("a"), *_chat(1), *_tool_exchange("b", "x " * 30), *_chat(2)]
    result = MessageTokenLimiter(max_tokens=budget).apply_transform(messages)
    _assert_no_split_pairs(result)
    assert sum(message_tokens(m) for m in result) <= budget


def test_token_limiter_cuts_the_newest_message_to_fit_instead_of_sending_nothing() -> None:
    messages = _chat(2, words=100)
    result = MessageTokenLimiter(max_tokens=10).apply_transform(messages)
    assert len(result) == 1
    assert count_token(result[0]["content"]) == 10


@pytest.mark.parametrize("arg", ["max_tokens", "max_tokens_per_message", "min_tokens"])
def test_token_limiter_rejects_negative_numbers(arg: str) -> None:
    with pytest.raises(ValueError, match=f"{arg} must be None or at least 0, got -1"):
        MessageTokenLimiter(**{arg: -1})


def test_token_limiter_rejects_min_tokens_above_max_tokens() -> None:
    with pytest.raises(ValueError, match=r"min_tokens \(10\) must not be more than max_tokens \(5\)"):
        MessageTokenLimiter(max_tokens=5, min_tokens=10)


def test_token_limiter_caps_max_tokens_at_the_model_window() -> None:
    limiter = MessageTokenLimiter(max_tokens=10**9, model="gpt-4")
    assert limiter._max_tokens == 8192


def test_token_limiter_logs() -> None:
    limiter = MessageTokenLimiter(max_tokens_per_message=2)
    messages = _chat(2, words=10)
    logs, changed = limiter.get_logs(messages, limiter.apply_transform(messages))
    assert changed and logs.startswith("Truncated ")
    assert limiter.get_logs(messages, messages) == ("No tokens were truncated.", False)


# -- TextMessageCompressor -------------------------------------------------------------------------
class HalfCompressor:
    """Keeps the first half of the words; reports word counts as tokens."""

    def __init__(self) -> None:
        self.calls = 0

    def compress_text(self, text: str, **params: Any) -> dict[str, Any]:
        self.calls += 1
        words = text.split()
        kept = words[: len(words) // 2]
        return {"compressed_prompt": " ".join(kept), "origin_tokens": len(words), "compressed_tokens": len(kept)}


def test_compressor_compresses_text_and_reports_savings() -> None:
    compressor = TextMessageCompressor(text_compressor=HalfCompressor(), cache=None)
    messages = [{"role": "user", "content": "a b c d"}, {"role": "assistant", "content": ""}]
    result = compressor.apply_transform(messages)
    assert result == [{"role": "user", "content": "a b"}, {"role": "assistant", "content": ""}]
    assert compressor.get_logs(messages, result) == ("2 tokens saved with text compression.", True)


def test_compressor_uses_its_cache() -> None:
    from autogen.cache import Cache

    inner = HalfCompressor()
    with Cache.in_memory() as cache:
        compressor = TextMessageCompressor(text_compressor=inner, cache=cache)
        messages = [{"role": "user", "content": "a b c d"}]
        first = compressor.apply_transform(messages)
        second = compressor.apply_transform(messages)
    assert first == second
    assert inner.calls == 1


def test_compressor_respects_filter_and_min_tokens() -> None:
    compressor = TextMessageCompressor(
        text_compressor=HalfCompressor(), cache=None, filter_dict={"role": ["system"]}, exclude_filter=True
    )
    messages = [{"role": "system", "content": "keep all of this"}, {"role": "user", "content": "a b c d"}]
    assert compressor.apply_transform(messages)[0] == messages[0]
    lazy = TextMessageCompressor(text_compressor=HalfCompressor(), cache=None, min_tokens=1000)
    assert lazy.apply_transform(messages) == messages


def test_compressor_rejects_objects_without_compress_text() -> None:
    with pytest.raises(TypeError, match="compress_text"):
        TextMessageCompressor(text_compressor=object(), cache=None)  # type: ignore[arg-type]


def test_token_limiter_text_parts_share_the_per_message_budget() -> None:
    message = {
        "role": "user",
        "content": [{"type": "text", "text": "alpha " * 10}, {"type": "text", "text": "beta " * 10}],
    }
    first = count_token(message["content"][0]["text"])
    result = MessageTokenLimiter(max_tokens_per_message=first + 2).apply_transform([message])
    assert result[0]["content"][0] == message["content"][0]
    assert count_token(result[0]["content"][1]["text"]) == 2
