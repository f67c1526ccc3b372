"""Chat-completion answers read without the openai SDK: the same fields, attributes and dumps as its types.

The direct transport (:mod:`autogen.oai.direct`) turns a server's JSON into these objects, so a plain chat
never imports ``openai`` (about half a second). They read like the SDK's ``ChatCompletion``:
``response.choices[0].message.content``, ``message.tool_calls[0].function.arguments``,
``response.usage.prompt_tokens``, ``model_dump()`` (the same dict, the same key order, fields the server left
out as ``None``), ``model_dump_json()``, ``to_dict()`` and ``to_json()``; attributes can be set (the wrapper
sets ``cost``), and they pickle (into caches) without the client. Nested objects of fields the SDK types
(``usage.prompt_tokens_details``, ``logprobs``, ...) are objects too; unknown fields stay plain values.

``to_sdk()`` gives the openai object itself (importing openai), for code that checks
``isinstance(response, openai.types.chat.ChatCompletion)`` or needs pydantic's other methods.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Optional

__all__ = [
    "ChatCompletion",
    "ChatCompletionMessage",
    "ChatCompletionMessageToolCall",
    "Choice",
    "CompletionTokensDetails",
    "CompletionUsage",
    "Function",
    "FunctionCall",
    "PromptTokensDetails",
    "ResponseObject",
    "chat_completion_from_json",
]


class ResponseObject:
    """One object of an answer: declared ``fields`` (``None`` when absent) first, then any others."""

    fields: ClassVar[tuple[str, ...]] = ()
    # declared fields whose dict (or list of dicts) value becomes objects of these classes
    nested: ClassVar[dict[str, type[ResponseObject]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._defaults = dict.fromkeys(cls.fields)

    _defaults: ClassVar[dict[str, None]] = {}

    def __init__(self, /, **data: Any) -> None:
        state = self.__dict__
        state.update(self._defaults)
        defaults, nested = self._defaults, self.nested
        for name, value in data.items():
            # unknown fields are kept as the server sent them, as the SDK does; declared ones become objects
            if name in defaults and isinstance(value, (dict, list)):
                kind = nested.get(name, ResponseObject)
                if isinstance(value, dict):
                    value = kind(**value)
                else:
                    value = [kind(**v) if isinstance(v, dict) else v for v in value]
            state[name] = value

    # ---- the SDK's (pydantic's) reading methods -------------------------------------------------------
    def model_dump(self, *, exclude_none: bool = False, **_ignored: Any) -> dict[str, Any]:
        """The object as a dict (nested objects too), like the SDK's ``model_dump()``."""
        return {
            name: _dump(value, exclude_none)
            for name, value in self.__dict__.items()
            if not (exclude_none and value is None)
        }

    def model_dump_json(self, *, indent: Optional[int] = None, exclude_none: bool = False, **_ignored: Any) -> str:
        """The object as JSON; values JSON cannot hold (a function the wrapper attached) are left out."""
        data = {k: v for k, v in self.model_dump(exclude_none=exclude_none).items() if not callable(v)}
        return json.dumps(data, indent=indent, default=str)

    def to_dict(self) -> dict[str, Any]:
        """The dict without ``None`` values (the SDK's ``to_dict()`` leaves out what the server did not send)."""
        return self.model_dump(exclude_none=True)

    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """:meth:`to_dict` as JSON."""
        return self.model_dump_json(indent=indent, exclude_none=True)

    # ---- plain object behaviour ---------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, like the SDK's models

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"{type(self).__name__}({inner})"


def _dump(value: Any, exclude_none: bool) -> Any:
    if isinstance(value, ResponseObject):
        return value.model_dump(exclude_none=exclude_none)
    if isinstance(value, list):
        return [_dump(v, exclude_none) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v, exclude_none) for k, v in value.items()}
    return value


class Function(ResponseObject):
    """The function a tool call names, and its JSON arguments."""

    fields = ("arguments", "name")


class FunctionCall(Function):
    """A legacy ``function_call``."""


class ChatCompletionMessageToolCall(ResponseObject):
    """One tool call of a message."""

    fields = ("id", "function", "type")
    nested = {"function": Function}


class ChatCompletionMessage(ResponseObject):
    """The message of a choice."""

    fields = ("content", "refusal", "role", "annotations", "audio", "function_call", "tool_calls")
    nested = {"function_call": FunctionCall, "tool_calls": ChatCompletionMessageToolCall}


class Choice(ResponseObject):
    """One choice of an answer."""

    fields = ("finish_reason", "index", "logprobs", "message")
    nested = {"message": ChatCompletionMessage}


class PromptTokensDetails(ResponseObject):
    """What the prompt's tokens were (cached, audio)."""

    fields = ("audio_tokens", "cache_write_tokens", "cached_tokens")


class CompletionTokensDetails(ResponseObject):
    """What the completion's tokens were (reasoning, audio, predictions)."""

    fields = ("accepted_prediction_tokens", "audio_tokens", "reasoning_tokens", "rejected_prediction_tokens")


class CompletionUsage(ResponseObject):
    """Token counts."""

    fields = (
        "completion_tokens",
        "prompt_tokens",
        "total_tokens",
        "completion_tokens_details",
        "prompt_tokens_details",
    )
    nested = {"completion_tokens_details": CompletionTokensDetails, "prompt_tokens_details": PromptTokensDetails}


class ChatCompletion(ResponseObject):
    """A chat completion: the fields of ``openai.types.chat.ChatCompletion``."""

    fields = (
        "id",
        "choices",
        "created",
        "model",
        "object",
        "moderation",
        "service_tier",
        "system_fingerprint",
        "usage",
    )
    nested = {"choices": Choice, "usage": CompletionUsage}

    def to_sdk(self) -> Any:
        """The same answer as an ``openai.types.chat.ChatCompletion`` (imports openai)."""
        from openai.types.chat import ChatCompletion as SDKChatCompletion

        data = self.model_dump()
        functions = {k: data.pop(k) for k in [k for k, v in data.items() if callable(v)]}
        sdk = SDKChatCompletion.construct(**data)
        for name, function in functions.items():  # message_retrieval_function, set by the wrapper
            setattr(sdk, name, function)
        return sdk


def chat_completion_from_json(data: Any) -> ChatCompletion:
    """A :class:`ChatCompletion` from a decoded JSON answer.

    Raises:
        ValueError: the answer is not a JSON object.
    """
    if not isinstance(data, dict):
        raise ValueError(f"a chat completion must be a JSON object, got {type(data).__name__}")
    return ChatCompletion(**data)
