"""Tests for autogen/agentchat/contrib/capabilities/transforms_util.py."""

from __future__ import annotations

from typing import Any

import pytest

from autogen.agentchat.contrib.capabilities import transforms_util as tu
from autogen.cache import Cache
from autogen.token_count_utils import count_token


def _call(call_id: str) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": "f", "arguments": "{}"}}


def test_cache_key_depends_on_content_and_settings() -> None:
    assert tu.cache_key("abc", 1) == tu.cache_key("abc", 1)
    assert tu.cache_key("abc", 1) != tu.cache_key("abc", 2)
    assert tu.cache_key("abc", 1) != tu.cache_key("abd", 1)


def test_cache_round_trip_and_none_cache() -> None:
    with Cache.in_memory() as cache:
        tu.cache_content_set(cache, "k", "short", 7)
        assert tu.cache_content_get(cache, "k") == ("short", 7)
    tu.cache_content_set(None, "k", "x")
    assert tu.cache_content_get(None, "k") is None


def test_count_text_tokens_of_string_parts_and_none() -> None:
    text = "hello there, how are you"
    assert tu.count_text_tokens(text) == count_token(text)
    parts = [{"type": "text", "text": text}, {"type": "image_url", "image_url": {"url": "x"}}]
    assert tu.count_text_tokens(parts) == count_token(text)
    assert tu.count_text_tokens(None) == 0


def test_min_tokens_reached() -> None:
    messages = [{"role": "user", "content": "one two three four five"}]
    assert tu.min_tokens_reached(messages, None)
    assert tu.min_tokens_reached(messages, 3)
    assert not tu.min_tokens_reached(messages, 100)


@pytest.mark.parametrize(
    ("content", "empty"),
    [("", True), ("x", False), ([{"type": "text", "text": ""}], True), ([{"type": "text", "text": "a"}], False)],
)
def test_is_content_text_empty(content: Any, empty: bool) -> None:
    assert tu.is_content_text_empty(content) is empty


def test_is_content_right_type() -> None:
    assert tu.is_content_right_type("x") and tu.is_content_right_type([])
    assert not tu.is_content_right_type(None)


def test_should_transform_message_with_filters() -> None:
    system = {"role": "system", "content": "s"}
    user = {"role": "user", "content": "u"}
    assert tu.should_transform_message(system, None, True)
    assert not tu.should_transform_message(system, {"role": ["system"]}, True)
    assert tu.should_transform_message(user, {"role": ["system"]}, True)
    assert tu.should_transform_message(system, {"role": ["system"]}, False)


def test_group_tool_units_keeps_calls_with_their_responses() -> None:
    messages = [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": None, "tool_calls": [_call("a"), _call("b")]},
        {"role": "tool", "tool_call_id": "a", "content": "1"},
        {"role": "tool", "tool_call_id": "b", "content": "2"},
        {"role": "assistant", "content": None, "function_call": {"name": "f", "arguments": "{}"}},
        {"role": "function", "name": "f", "content": "3"},
        {"role": "assistant", "content": "done"},
    ]
    sizes = [len(unit) for unit in tu.group_tool_units(messages)]
    assert sizes == [1, 3, 2, 1]


def test_remove_split_tool_pairs_drops_orphans_created_by_a_transform() -> None:
    call = {"role": "assistant", "content": None, "tool_calls": [_call("a")]}
    response = {"role": "tool", "tool_call_id": "a", "content": "1"}
    original = [{"role": "user", "content": "go"}, call, response]
    assert tu.remove_split_tool_pairs(original, [response]) == []
    assert tu.remove_split_tool_pairs(original, [original[0], call]) == [original[0]]
    assert tu.remove_split_tool_pairs(original, original) == original


def test_remove_split_tool_pairs_keeps_a_call_still_waiting_for_its_response() -> None:
    waiting = [{"role": "user", "content": "go"}, {"role": "assistant", "content": None, "tool_calls": [_call("a")]}]
    assert tu.remove_split_tool_pairs(waiting, waiting) == waiting


def test_remove_split_tool_pairs_understands_combined_tool_responses() -> None:
    call = {"role": "assistant", "content": None, "tool_calls": [_call("a"), _call("b")]}
    combined = {
        "role": "tool",
        "content": "1\n\n2",
        "tool_responses": [
            {"role": "tool", "tool_call_id": "a", "content": "1"},
            {"role": "tool", "tool_call_id": "b", "content": "2"},
        ],
    }
    assert tu.remove_split_tool_pairs([call, combined], [combined]) == []
    assert tu.remove_split_tool_pairs([call, combined], [call, combined]) == [call, combined]
