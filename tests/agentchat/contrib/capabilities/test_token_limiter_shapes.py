"""MessageTokenLimiter on every role and content shape, against 0.2.35's documented behaviour.

0.2.35 documents: each message's text is cut to ``max_tokens_per_message``; from the newest message
back, the history is cut to ``max_tokens`` (the message at the limit is cut to what is left, older
ones are dropped); in multimodal content only the text is cut, other parts are kept.
"""

from __future__ import annotations

import copy
from typing import Any, Optional

import pytest

from autogen.agentchat.contrib.capabilities.transforms import MessageTokenLimiter
from autogen.agentchat.contrib.capabilities.transforms_util import count_text_tokens, message_tokens, part_text

LONG = "alpha beta gamma delta " * 30  # about 120 tokens
IMAGE = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
TOOL_CALL = {"id": "call_1", "type": "function", "function": {"name": "calc", "arguments": '{"x": 1}'}}

ROLES = ["system", "user", "assistant", "tool", "function"]
SHAPES: dict[str, dict[str, Any]] = {
    "content-none": {"content": None},
    "empty-string": {"content": ""},
    "short-string": {"content": "ok"},
    "long-string": {"content": LONG},
    "one-text-part": {"content": [{"type": "text", "text": LONG}]},
    "text-image-text": {"content": [{"type": "text", "text": LONG}, IMAGE, {"type": "text", "text": LONG}]},
    "image-only": {"content": [IMAGE]},
    "empty-list": {"content": []},
    "string-items": {"content": [LONG, LONG]},
    "malformed-parts": {
        "content": [{"type": "text"}, {"type": "text", "text": None}, 7, {"type": "text", "text": LONG}]
    },
    "tool-calls-only": {"content": None, "tool_calls": [TOOL_CALL]},
    "function-call-only": {"content": None, "function_call": {"name": "calc", "arguments": None}},
}
ROLE_KEYS: dict[str, dict[str, Any]] = {"tool": {"tool_call_id": "call_0"}, "function": {"name": "calc"}}

CASES = [pytest.param(role, shape, id=f"{role}-{shape}") for role in ROLES for shape in SHAPES]


def _message(role: str, shape: str) -> dict[str, Any]:
    return {"role": role, **ROLE_KEYS.get(role, {}), **copy.deepcopy(SHAPES[shape])}


def _texts(content: Any) -> list[Optional[str]]:
    return [part_text(p) for p in content] if isinstance(content, list) else [content]


def _non_text_parts(content: Any) -> list[Any]:
    return [p for p in content if part_text(p) is None] if isinstance(content, list) else []


def _assert_cut_from(result: dict[str, Any], original: dict[str, Any]) -> None:
    """``result`` is ``original`` with only its texts shortened (each to a prefix) and nothing else changed."""
    assert {k: v for k, v in result.items() if k != "content"} == {k: v for k, v in original.items() if k != "content"}
    assert type(result.get("content")) is type(original.get("content"))
    assert _non_text_parts(result.get("content")) == _non_text_parts(original.get("content"))
    for cut, full in zip(_texts(result.get("content")), _texts(original.get("content"))):
        assert cut == full if full is None else (cut is not None and full.startswith(cut))
    if isinstance(original.get("content"), list):
        assert len(result["content"]) == len(original["content"])


@pytest.mark.parametrize(("role", "shape"), CASES)
def test_each_message_is_cut_to_the_per_message_limit(role: str, shape: str) -> None:
    message = _message(role, shape)
    before = copy.deepcopy(message)
    limiter = MessageTokenLimiter(max_tokens_per_message=10)
    result = limiter.apply_transform([message])
    assert len(result) == 1
    assert count_text_tokens(result[0].get("content")) <= 10
    _assert_cut_from(result[0], before)
    assert message == before  # the input is not changed
    logs, changed = limiter.get_logs([message], result)
    assert changed == (result[0] != message) and isinstance(logs, str)


@pytest.mark.parametrize(("role", "shape"), CASES)
def test_the_history_is_cut_to_the_overall_limit(role: str, shape: str) -> None:
    history = [_message(role, shape) for _ in range(3)]
    before = copy.deepcopy(history)
    result = MessageTokenLimiter(max_tokens_per_message=40, max_tokens=60).apply_transform(history)
    assert sum(message_tokens(m) for m in result) <= 60
    assert 1 <= len(result) <= 3
    for kept, original in zip(result, before[-len(result) :]):  # the newest messages, in order
        _assert_cut_from(kept, original)
        assert count_text_tokens(kept.get("content")) <= 40
    assert history == before


def test_text_parts_are_cut_and_the_image_between_them_kept() -> None:
    message = _message("user", "text-image-text")
    result = MessageTokenLimiter(max_tokens_per_message=10).apply_transform([message])[0]["content"]
    assert count_text_tokens([result[0]]) == 10
    assert result[1] == IMAGE
    assert result[2] == {"type": "text", "text": ""}  # the first text part used the whole limit


def test_string_items_of_a_list_are_cut_like_text_parts() -> None:
    result = MessageTokenLimiter(max_tokens_per_message=10).apply_transform([_message("user", "string-items")])
    assert result[0]["content"][0] == LONG[: len(result[0]["content"][0])]
    assert count_text_tokens(result[0]["content"]) == 10


def test_the_message_at_the_overall_limit_is_cut_to_the_tokens_left() -> None:
    history = [{"role": "user", "content": f"{i} {LONG}"} for i in range(3)]
    newest = count_text_tokens(history[-1]["content"])
    result = MessageTokenLimiter(max_tokens=newest + 15).apply_transform(history)
    assert result[-1] == history[-1]
    assert len(result) == 2
    assert count_text_tokens(result[0]["content"]) == 15
    assert history[1]["content"].startswith(result[0]["content"])


def test_a_message_with_no_text_left_at_the_limit_is_dropped() -> None:
    history = [{"role": "user", "content": f"{i} {LONG}"} for i in range(3)]
    exact = sum(count_text_tokens(m["content"]) for m in history[1:])
    assert MessageTokenLimiter(max_tokens=exact).apply_transform(history) == history[1:]


def test_filtered_out_messages_are_kept_whole_but_count_towards_the_limit() -> None:
    system = {"role": "system", "content": LONG}
    user = {"role": "user", "content": LONG}
    budget = count_text_tokens(LONG) + 20
    limiter = MessageTokenLimiter(max_tokens=budget, filter_dict={"role": ["system"]}, exclude_filter=True)
    result = limiter.apply_transform([user, system])
    assert result[-1] == system
    assert count_text_tokens(result[0]["content"]) == 20


def test_tool_calls_without_a_function_do_not_break_counting() -> None:
    message = {"role": "assistant", "content": "hi", "tool_calls": [{"id": "c", "function": None}, "junk"]}
    assert message_tokens(message) == count_text_tokens("hi")
    assert MessageTokenLimiter(max_tokens=100).apply_transform([message]) == [message]


@pytest.mark.parametrize("limit", range(1, 12))
def test_multi_byte_text_is_cut_between_characters(limit: int) -> None:
    text = "日本語のテキスト、絵文字 🙂🙃 も含む。" * 20
    result = MessageTokenLimiter(max_tokens_per_message=limit).apply_transform([{"role": "user", "content": text}])
    cut = result[0]["content"]
    assert "\ufffd" not in cut and text.startswith(cut)
    assert count_text_tokens(cut) <= limit
