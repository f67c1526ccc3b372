"""Streaming: print tokens as they arrive and assemble the chunks into one ``ChatCompletion``."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any, Optional

import httpx
import openai

from ..io.base import IOStream
from .errors import InvalidResponseError, StreamInterruptedError

__all__ = ["collect_stream"]


class _ChoiceParts:
    """The pieces of one choice gathered from the deltas."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.refusal: list[str] = []
        self.tool_calls: dict[int, dict[str, Any]] = {}
        self.function_call: Optional[dict[str, str]] = None
        self.finish_reason: Optional[str] = None

    def add(self, delta: Any) -> None:
        if delta.content:
            self.text.append(delta.content)
        if getattr(delta, "refusal", None):
            self.refusal.append(delta.refusal)
        for call in delta.tool_calls or []:
            slot = self.tool_calls.setdefault(
                call.index, {"id": "", "type": "function", "function": {"name": "", "arguments": ""}}
            )
            if call.id:
                slot["id"] = call.id
            if call.type:
                slot["type"] = call.type
            if call.function is not None:
                slot["function"]["name"] += call.function.name or ""
                slot["function"]["arguments"] += call.function.arguments or ""
        if delta.function_call is not None:
            if self.function_call is None:
                self.function_call = {"name": "", "arguments": ""}
            self.function_call["name"] += delta.function_call.name or ""
            self.function_call["arguments"] += delta.function_call.arguments or ""

    def message(self) -> dict[str, Any]:
        text = "".join(self.text)
        calls = [self.tool_calls[i] for i in sorted(self.tool_calls)]
        message: dict[str, Any] = {"role": "assistant", "content": text if text or not calls else None}
        if calls:
            message["tool_calls"] = calls
        if self.function_call is not None:
            message["function_call"] = self.function_call
        if self.refusal:
            message["refusal"] = "".join(self.refusal)
        return message


async def collect_stream(stream: AsyncIterator[Any], iostream: Optional[IOStream] = None) -> tuple[Any, bool]:
    """Read a chat-completion stream to its end.

    Text of the first choice is printed to ``iostream`` (default: the current IOStream) as it arrives.

    Returns:
        ``(completion, has_usage)``: the assembled ``ChatCompletion`` and whether the server sent usage.

    Raises:
        StreamInterruptedError: the connection broke or the stream ended before every choice finished.
        InvalidResponseError: an event is not valid JSON.
        openai.APIError: the server sent an error event.

    Any other exception (a bug in handling the chunks, the IOStream failing) is raised as itself.
    """
    from openai.types.chat import ChatCompletion

    out = iostream or IOStream.get_default()
    parts: dict[int, _ChoiceParts] = {}
    head: dict[str, Any] = {}
    usage: Optional[dict[str, Any]] = None
    printed = False
    try:
        async for chunk in stream:
            if not head:
                head = {"id": chunk.id, "created": chunk.created, "model": chunk.model}
            if getattr(chunk, "system_fingerprint", None):
                head["system_fingerprint"] = chunk.system_fingerprint
            if getattr(chunk, "usage", None) is not None:
                usage = chunk.usage.model_dump(exclude_none=True)
            for choice in chunk.choices:
                part = parts.setdefault(choice.index, _ChoiceParts())
                if choice.delta is not None:
                    part.add(choice.delta)
                    if choice.index == 0 and choice.delta.content:
                        out.print(choice.delta.content, end="", flush=True)
                        printed = True
                if choice.finish_reason:
                    part.finish_reason = choice.finish_reason
    except openai.APIError:
        raise
    except httpx.TransportError as err:  # the connection broke (a bug in handling the chunks is raised as itself)
        raise StreamInterruptedError(f"The streamed answer broke off: {type(err).__name__}: {err}") from err
    except ValueError as err:
        if not isinstance(err, json.JSONDecodeError):
            raise
        raise InvalidResponseError(f"The stream carried an event that is not valid JSON ({err}).") from err
    finally:
        if printed:
            out.print("", flush=True)
    unfinished = [i for i, part in parts.items() if part.finish_reason is None]
    if not parts or unfinished:
        raise StreamInterruptedError("The streamed answer ended before it was complete (no finish_reason).")
    completion = {
        "id": head.get("id") or "stream",
        "object": "chat.completion",
        "created": head.get("created") or int(time.time()),
        "model": head.get("model") or "",
        "choices": [
            {"index": i, "message": parts[i].message(), "finish_reason": parts[i].finish_reason, "logprobs": None}
            for i in sorted(parts)
        ],
    }
    if head.get("system_fingerprint"):
        completion["system_fingerprint"] = head["system_fingerprint"]
    if usage is not None:
        completion["usage"] = usage
    return ChatCompletion.model_validate(completion), usage is not None
