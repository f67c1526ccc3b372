"""autogen.types: the shapes of multimodal message content."""

from __future__ import annotations

import typing

from autogen.types import MessageContentType, UserMessageImageContentPart, UserMessageTextContentPart


def test_text_part_has_type_and_text():
    assert typing.get_type_hints(UserMessageTextContentPart) == {"type": typing.Literal["text"], "text": str}


def test_image_part_has_type_and_image_url_with_url():
    hints = typing.get_type_hints(UserMessageImageContentPart)
    assert hints["type"] == typing.Literal["image_url"]
    assert hints["image_url"] == typing.Dict[typing.Literal["url"], str]


def test_message_content_is_text_parts_list_or_none():
    parts = typing.List[typing.Union[UserMessageTextContentPart, UserMessageImageContentPart]]
    assert set(typing.get_args(MessageContentType)) == {str, parts, type(None)}


def test_parts_are_plain_dicts_at_runtime():
    part = UserMessageTextContentPart(type="text", text="hello")
    assert part == {"type": "text", "text": "hello"}
