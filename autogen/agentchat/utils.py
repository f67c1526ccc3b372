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


_TAG_PIECE = re.compile(r"""\w+=(?:"[^"]*"|'[^']*')|\S+""")
_ATTRIBUTE = re.compile(r"""^(\w+)=("[^"]*"|'[^']*'|[\w.-]*)$""")


def _parse_attributes(text: str) -> dict[str, str]:
    """``key=value`` pieces are attributes; everything else is the tag's ``src``.

    An unquoted value is only an attribute when it is a plain word or number, so a URL with a
    query (``a.png?x=1``) or a padded data URI (``...AA==``) stays whole in ``src``.
    """
    attrs: dict[str, str] = {}
    src: list[str] = []
    for piece in _TAG_PIECE.findall(text or ""):
        match = _ATTRIBUTE.match(piece)
        if match:
            attrs[match.group(1)] = match.group(2).strip("'\"")
        else:
            src.append(piece)
    if src:
        attrs["src"] = " ".join(src).strip("'\"")
    return attrs


def parse_tags_from_content(tag: str, content: Union[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Find ``<tag ...>`` tags (e.g. ``<img path/to/file.png>``) in a message's text.

    Returns:
        One dict per tag: ``{"tag": tag, "attr": {...}, "match": re.Match}``; a tag with a bare value
        gets it as ``attr["src"]``.
    """
    pattern = re.compile(rf"<{re.escape(tag)}\s*([^>]*)>")
    texts: list[str]
    if isinstance(content, str):
        texts = [content]
    elif isinstance(content, list):
        texts = [part["text"] for part in content if isinstance(part, dict) and part.get("type") == "text"]
    else:
        raise ValueError(f"content must be a str or a list of content parts, not {type(content).__name__}")
    return [
        {"tag": tag, "attr": _parse_attributes(match.group(1)), "match": match}
        for text in texts
        for match in pattern.finditer(text)
    ]
