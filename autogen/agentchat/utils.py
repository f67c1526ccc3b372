"""Helpers for chats: usage summaries over agents, chat-queue checks, tag parsing."""

from __future__ import annotations

import re
from typing import Any, Optional, Union

__all__ = ["consolidate_chat_info", "gather_usage_summary", "parse_tags_from_content"]


def consolidate_chat_info(chat_info: Union[dict[str, Any], list[dict[str, Any]]], uniform_sender: Any = None) -> None:
    """Check each chat of a queue: it has a sender and recipient, and a valid summary method.

    Raises:
        ValueError: a chat lacks ``sender``/``recipient``, has an unknown ``summary_method``, or
            asks for ``reflection_with_llm`` with no model on either side.
    """
    from ._summary import check_summary_method

    chats = [chat_info] if isinstance(chat_info, dict) else chat_info
    for i, chat in enumerate(chats):
        sender = uniform_sender if uniform_sender is not None else chat.get("sender")
        if sender is None:
            raise ValueError(f"chat {i} of the queue has no 'sender'")
        if chat.get("recipient") is None:
            raise ValueError(f"chat {i} of the queue has no 'recipient'")
        summary_method = chat.get("summary_method")
        check_summary_method(summary_method)
        if summary_method == "reflection_with_llm" and (
            getattr(sender, "client", None) is None and getattr(chat["recipient"], "client", None) is None
        ):
            raise ValueError("summary_method='reflection_with_llm' needs an llm_config on the sender or the recipient")


def _add_usage(total: dict[str, Any], summary: Optional[dict[str, Any]]) -> None:
    if not summary:
        return
    total["total_cost"] += summary.get("total_cost", 0)
    for model, data in summary.items():
        if model == "total_cost":
            continue
        if model not in total:
            total[model] = dict(data)
            continue
        for key in ("cost", "prompt_tokens", "completion_tokens", "total_tokens"):
            total[model][key] = total[model].get(key, 0) + data.get(key, 0)


def gather_usage_summary(agents: list[Any]) -> dict[str, dict[str, Any]]:
    """Sum the model usage of ``agents``, with and without cached responses.

    Returns:
        ``{"usage_including_cached_inference": {...}, "usage_excluding_cached_inference": {...}}``, each
        ``{"total_cost": float, <model>: {"cost", "prompt_tokens", "completion_tokens", "total_tokens"}}``.
    """
    including: dict[str, Any] = {"total_cost": 0}
    excluding: dict[str, Any] = {"total_cost": 0}
    for agent in agents:
        client = getattr(agent, "client", None)
        if client:
            _add_usage(including, client.total_usage_summary)
            _add_usage(excluding, client.actual_usage_summary)
    return {"usage_including_cached_inference": including, "usage_excluding_cached_inference": excluding}


# One piece of a tag's body: ``key="value"`` or ``key='value'``, a quoted value, or a run of non-space.
# A quoted value ends at the quote that is followed by white space or the end of the body, so it may
# hold the other quote or an apostrophe (``text='I'm here'``), as in 0.2.
_TAG_PIECE = re.compile(
    r"""(?P<key>\w+)=(?P<quote>["'])(?P<value>.*?)(?P=quote)(?=\s|$)"""
    r"""|(?P<bare_quote>["'])(?P<bare>.*?)(?P=bare_quote)(?=\s|$)"""
    r"""|(?P<word>\S+)""",
    re.DOTALL,
)
# An unquoted ``key=value`` is an attribute when the value is a plain word or number (``width=100``);
# anything else (``a.png?x=1``, ``...AA==``, ``http://x/au=dio.mp3``) belongs to the source.
_UNQUOTED_ATTRIBUTE = re.compile(r"(\w+)=([\w.-]+)")
_UNQUOTED_SRC = re.compile(r"src=(\S+)")


def _parse_attributes(body: str) -> dict[str, str]:
    """The attributes of a tag body; the pieces that are not attributes, joined by spaces, are ``src``.

    An explicit ``src=`` attribute wins over bare pieces.
    """
    attrs: dict[str, str] = {}
    bare: list[str] = []
    for piece in _TAG_PIECE.finditer(body):
        if piece["key"] is not None:
            attrs[piece["key"]] = piece["value"]
            continue
        if piece["bare_quote"] is not None:
            bare.append(piece["bare"])
            continue
        word = piece["word"]
        if (src := _UNQUOTED_SRC.fullmatch(word)) is not None:
            attrs["src"] = src.group(1)
        elif (pair := _UNQUOTED_ATTRIBUTE.fullmatch(word)) is not None:
            attrs[pair.group(1)] = pair.group(2)
        else:
            bare.append(word)
    if bare and "src" not in attrs:
        attrs["src"] = " ".join(bare)
    return attrs


def parse_tags_from_content(tag: str, content: Union[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Find HTML-like ``<tag ...>`` tags (``<img path/to/a.png>``, ``<audio text='hi' voice='x'>``) in a message.

    The tag name must be followed by white space, so ``<img>`` and ``<imgs a.png>`` are not ``img``
    tags. In the body, ``key="value"`` / ``key='value'`` pairs (and unquoted ``key=word``) are
    attributes; the rest, joined by single spaces and without surrounding quotes, is ``attr["src"]``:
    ``<img "my pic.png">``, ``<img src="my pic.png">`` and ``<img my pic.png>`` all give
    ``{"src": "my pic.png"}``. URLs with queries and data URIs stay whole.

    Args:
        tag: the tag name, e.g. "img" or "audio" (matched literally, case-sensitively).
        content: a message content: a string, or a list of parts whose ``text`` parts are searched.

    Returns:
        One dict per tag, in order: ``{"tag": tag, "attr": {...}, "match": re.Match}``; ``match``
        is the tag's match in its text (the string, or the text of its part).

    Raises:
        ValueError: ``content`` is neither a string nor a list.
    """
    pattern = re.compile(rf"<{re.escape(tag)}\s+([^>]*)>")
    texts: list[str]
    if isinstance(content, str):
        texts = [content]
    elif isinstance(content, list):
        texts = [
            part["text"]
            for part in content
            if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str)
        ]
    else:
        raise ValueError(f"content must be a str or a list of content parts, not {type(content).__name__}")
    return [
        {"tag": tag, "attr": _parse_attributes(match.group(1)), "match": match}
        for text in texts
        for match in pattern.finditer(text)
    ]
