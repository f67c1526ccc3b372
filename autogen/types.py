"""Types of message content, as the OpenAI chat API takes them."""

from __future__ import annotations

from typing import Dict, List, Literal, TypedDict, Union


class UserMessageTextContentPart(TypedDict):
    """A text part of a multimodal user message: ``{"type": "text", "text": ...}``."""

    type: Literal["text"]
    text: str


class UserMessageImageContentPart(TypedDict):
    """An image part of a multimodal user message: ``{"type": "image_url", "image_url": {"url": ...}}``.

    ``url`` is an ``http(s)`` address or a ``data:image/...;base64,...`` URI.
    """

    type: Literal["image_url"]
    image_url: Dict[Literal["url"], str]


MessageContentType = Union[str, List[Union[UserMessageTextContentPart, UserMessageImageContentPart]], None]
"""The ``content`` of a message: text, a list of text and image parts, or ``None`` (e.g. with tool calls)."""

__all__ = ["MessageContentType", "UserMessageImageContentPart", "UserMessageTextContentPart"]
