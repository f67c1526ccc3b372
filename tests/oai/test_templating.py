"""Templates filled from context."""

from __future__ import annotations

from autogen.oai.templating import apply_context, instantiate


def test_no_context_returns_template_unchanged():
    assert instantiate("{x}", None, True) == "{x}"


def test_multimodal_content_is_left_alone():
    content = [{"type": "text", "text": "{x}"}]
    params = apply_context({"messages": [{"role": "user", "content": content}]}, {"x": 1}, True)
    assert params["messages"][0]["content"] is content


def test_messages_without_content_are_kept():
    message = {"role": "assistant", "content": None, "tool_calls": []}
    assert apply_context({"messages": [message]}, {"x": 1}, True)["messages"] == [message]
