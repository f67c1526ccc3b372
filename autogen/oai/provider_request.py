"""The OpenAI-style request the agents build, read into one provider-neutral form.

Provider clients (:mod:`autogen.oai.anthropic`, :mod:`~autogen.oai.gemini`, :mod:`~autogen.oai.bedrock`,
:mod:`~autogen.oai.ollama`) turn a :class:`ChatRequest` into their wire format, so the reading of
messages, tools and options is written once:

* leading ``system`` messages become the system prompt; a later one becomes user text (it is an
  instruction in the middle of the conversation, e.g. group chat's speaker-selection prompt);
* tool results (``role: "tool"``, 0.2's ``tool_responses`` and legacy ``role: "function"``) become
  :class:`ToolResult` parts of a user turn, with the name of the function they answer;
* consecutive turns of the same role are merged, and, for providers that need it, the conversation is
  made to start (and end) with a user turn.
* message ``name`` fields are not sent: none of these providers has a per-message name.
"""

from __future__ import annotations

import base64
import binascii
import json
import warnings
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from .client_utils import validate_parameter

__all__ = [
    "ChatRequest",
    "Image",
    "Text",
    "ToolCall",
    "ToolResult",
    "ToolSpec",
    "Turn",
    "read_request",
]

# The text of a user turn inserted where a provider needs one and the conversation has none.
CONTINUE_TEXT = "Continue."
# Request parameters every provider client reads itself (never warned about).
_BASE_KEYS = frozenset({"model", "messages", "tools", "stream", "stream_options", "tool_choice", "response_format"})
# Sampling options, by their OpenAI names, with the types and bounds they must have.
SAMPLING_KEYS = ("temperature", "max_tokens", "top_p", "stop", "seed")
_SAMPLING_CHECKS: dict[str, tuple[Any, Any]] = {
    "temperature": ((int, float), (0, None)),
    "max_tokens": (int, (1, None)),
    "top_p": ((int, float), (0, 1)),
    "stop": ((str, list), None),
    "seed": (int, None),
}


@dataclass
class Text:
    text: str


@dataclass
class Image:
    """An image: ``data`` (bytes with ``mime``) from a data: URL, or only ``url`` for a web address."""

    mime: str
    data: Optional[bytes] = None
    url: Optional[str] = None

    @property
    def format(self) -> str:
        """The short format name (``png``, ``jpeg``, ...)."""
        return self.mime.split("/", 1)[-1]

    def base64(self) -> str:
        return base64.b64encode(self.data or b"").decode("ascii")


@dataclass
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]


@dataclass
class ToolResult:
    id: str
    name: str
    content: str


Part = Union[Text, Image, ToolCall, ToolResult]


@dataclass
class Turn:
    role: str  # "user" or "assistant"
    parts: list[Part] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(p.text for p in self.parts if isinstance(p, Text))


@dataclass
class ToolSpec:
    name: str
    description: str
    parameters: dict[str, Any]


@dataclass
class ChatRequest:
    """One chat request, provider-neutral.

    ``tool_choice`` is ``"auto"``, ``"none"``, ``"required"``, the name of one function, or None (not given).
    ``options`` holds the sampling options given and taken by the provider (OpenAI names, ``stop`` as a list).
    ``json_schema`` is ``{}`` for plain JSON mode, a schema for structured output, None for text.
    """

    model: str
    system: str
    turns: list[Turn]
    tools: list[ToolSpec]
    tool_choice: Optional[str]
    options: dict[str, Any]
    json_schema: Optional[dict[str, Any]]
    stream: bool


class ParameterFilter:
    """Drops request parameters a provider does not take, warning once per parameter (0.2's behaviour)."""

    def __init__(self, provider: str, supported: frozenset[str], config_keys: frozenset[str]) -> None:
        self.provider = provider
        self.supported = supported
        self.config_keys = config_keys
        self._warned: set[str] = set()

    def takes(self, name: str, value: Any) -> bool:
        """Whether to send parameter ``name``; warns (once) when it is given but not taken."""
        if name in self.supported:
            return True
        if value is not None and name not in self._warned and name not in self.config_keys:
            self._warned.add(name)
            warnings.warn(
                f"{self.provider} does not take the parameter {name!r}: it is left out of the request.",
                UserWarning,
                stacklevel=4,
            )
        return False

    def drop_unknown(self, params: dict[str, Any]) -> None:
        """Warn about every parameter nobody reads (``n``, ``logprobs``, ...)."""
        for name, value in params.items():
            if name not in _BASE_KEYS and name not in SAMPLING_KEYS and name != "max_completion_tokens":
                self.takes(name, value)


def read_request(params: dict[str, Any], taken: ParameterFilter) -> ChatRequest:
    """Read ``params`` (OpenAI chat-completion parameters) into a :class:`ChatRequest`.

    Raises:
        ValueError: a message, tool or option cannot be read; the message names it and the fix.
    """
    taken.drop_unknown(params)
    messages = params.get("messages")
    if not isinstance(messages, list):
        raise ValueError(f"{taken.provider}: 'messages' must be a list of message dicts, got {type(messages).__name__}")
    system, turns = _read_messages(messages)
    options: dict[str, Any] = {}
    if params.get("max_tokens") is None and params.get("max_completion_tokens") is not None:
        params = {**params, "max_tokens": params["max_completion_tokens"]}
    for name in SAMPLING_KEYS:
        value = params.get(name)
        if value is not None:
            types, bounds = _SAMPLING_CHECKS[name]  # a bad value: 0.2's warning, and the option is left out
            value = validate_parameter(params, name, types, True, None, bounds, None)
        if value is not None and taken.takes(name, value):
            options[name] = [value] if name == "stop" and isinstance(value, str) else value
    tool_choice = _tool_choice(params.get("tool_choice"))
    if tool_choice not in (None, "auto") and not taken.takes("tool_choice", tool_choice):
        tool_choice = None
    json_schema = _json_schema(params.get("response_format"))
    if json_schema is not None and not taken.takes("response_format", params["response_format"]):
        json_schema = None
    return ChatRequest(
        model=str(params.get("model") or ""),
        system=system,
        turns=turns,
        tools=[_tool_spec(tool) for tool in params.get("tools") or []],
        tool_choice=tool_choice,
        options=options,
        json_schema=json_schema,
        stream=bool(params.get("stream")),
    )


def tool_results_first(parts: list[Part]) -> list[Part]:
    """``parts`` with the tool results first (Claude, on Anthropic or Bedrock, requires it in a user turn)."""
    return [p for p in parts if isinstance(p, ToolResult)] + [p for p in parts if not isinstance(p, ToolResult)]


def image_data(image: Image, provider: str) -> bytes:
    """The bytes of ``image``; a provider that takes no image addresses gets a clear error for one."""
    if image.data is None:
        raise ValueError(
            f"{provider} takes images as data, not web addresses ({image.url!r}): give the image as a "
            "data: URL ('data:image/png;base64,...')."
        )
    return image.data


def tools_as_text(turns: list[Turn]) -> list[Turn]:
    """``turns`` with tool calls and results written as text.

    For a request that offers no tools while its history holds calls (a group chat's speaker selection, an
    agent whose tools are hidden): Anthropic and Bedrock refuse tool blocks without tool definitions.
    """

    def text_of(part: Part) -> Part:
        if isinstance(part, ToolCall):
            return Text(f"[called {part.name}({json.dumps(part.arguments)})]")
        if isinstance(part, ToolResult):
            return Text(f"[{part.name or 'tool'} returned: {part.content}]")
        return part

    return [Turn(turn.role, [text_of(p) for p in turn.parts]) for turn in turns]


def alternate(turns: list[Turn], end_with_user: bool = True) -> list[Turn]:
    """``turns`` starting with a user turn (and, with ``end_with_user``, ending with one): a
    ``"Continue."`` user turn is added where needed (turns are already merged by role)."""
    turns = list(turns)
    if not turns or turns[0].role != "user":
        turns.insert(0, Turn("user", [Text(CONTINUE_TEXT)]))
    if end_with_user and turns[-1].role != "user":
        turns.append(Turn("user", [Text(CONTINUE_TEXT)]))
    return turns


# ---- messages ----------------------------------------------------------------------------------------
def _read_messages(messages: list[Any]) -> tuple[str, list[Turn]]:
    system: list[str] = []
    turns: list[Turn] = []
    call_names: dict[str, str] = {}
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            raise ValueError(f"messages[{i}] must be a dict with 'role' and 'content', got {type(message).__name__}")
        role = message.get("role")
        if role == "system" and not turns:
            system.append(_plain_text(message.get("content"), i))
            continue
        if role in ("system", "user"):
            _add(turns, "user", _content_parts(message.get("content"), i))
        elif role == "assistant":
            parts = _content_parts(message.get("content"), i)
            for call in _calls_of(message, i):
                call_names[call.id] = call.name
                parts.append(call)
            _add(turns, "assistant", parts)
        elif role in ("tool", "function"):
            _add(turns, "user", _tool_results(message, call_names, i))
        else:
            raise ValueError(
                f"messages[{i}] has role {role!r}; use 'system', 'user', 'assistant' or 'tool' (for tool results)."
            )
    return "\n\n".join(s for s in system if s), turns


def _add(turns: list[Turn], role: str, parts: list[Part]) -> None:
    if not parts:
        return
    if turns and turns[-1].role == role:
        turns[-1].parts.extend(parts)
    else:
        turns.append(Turn(role, parts))


def _plain_text(content: Any, i: int) -> str:
    return "\n".join(p.text for p in _content_parts(content, i) if isinstance(p, Text))


def _content_parts(content: Any, i: int) -> list[Part]:
    if content is None or content == "":
        return []
    if isinstance(content, str):
        return [Text(content)]
    if not isinstance(content, list):
        raise ValueError(f"messages[{i}]['content'] must be a string or a list of parts, got {type(content).__name__}")
    parts: list[Part] = []
    for part in content:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text":
            parts.append(Text(str(part.get("text") or "")))
        elif kind == "image_url":
            image = part.get("image_url")
            parts.append(_image(image.get("url") if isinstance(image, dict) else image, i))
        else:
            raise ValueError(f"messages[{i}] has a content part of type {kind!r}; use 'text' or 'image_url' parts.")
    return parts


def _image(url: Any, i: int) -> Image:
    if not isinstance(url, str):
        raise ValueError(f"messages[{i}]: an image_url part needs a 'url' string, got {url!r}")
    if not url.startswith("data:"):
        return Image(mime="image/jpeg", url=url)
    head, _, data = url.partition(",")
    if ";base64" not in head:
        raise ValueError(f"messages[{i}]: a data: image URL must be base64 ('data:image/png;base64,...')")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as err:
        raise ValueError(f"messages[{i}]: the data: image URL is not valid base64 ({err})") from None
    return Image(mime=head[5:].split(";", 1)[0] or "image/png", data=raw)


def _calls_of(message: dict[str, Any], i: int) -> list[ToolCall]:
    calls = list(message.get("tool_calls") or [])
    if message.get("function_call"):
        function_call = message["function_call"]
        calls.append({"id": function_call.get("name"), "function": function_call})
    parsed = []
    for call in calls:
        function = call.get("function") or {}
        name = function.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError(f"messages[{i}] has a tool call without a function name: {call!r}")
        parsed.append(ToolCall(str(call.get("id") or name), name, _arguments(function.get("arguments"), name, i)))
    return parsed


def _arguments(raw: Any, name: str, i: int) -> dict[str, Any]:
    if raw is None or raw == "":
        return {}
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise ValueError(f"messages[{i}]: the arguments of tool call {name!r} must be a JSON object, got {raw!r}")
    return value


def _tool_results(message: dict[str, Any], call_names: dict[str, str], i: int) -> list[Part]:
    if message.get("role") == "function":
        name = str(message.get("name") or "")
        return [ToolResult(name, name, _plain_text(message.get("content"), i))]
    responses = message.get("tool_responses") or [message]
    results: list[Part] = []
    for response in responses:
        call_id = str(response.get("tool_call_id") or "")
        name = call_names.get(call_id) or str(response.get("name") or "")
        results.append(ToolResult(call_id, name, _plain_text(response.get("content"), i)))
    return results


# ---- tools and options ------------------------------------------------------------------------------
def _tool_spec(tool: Any) -> ToolSpec:
    function = tool.get("function") if isinstance(tool, dict) else None
    if not isinstance(function, dict) or not isinstance(function.get("name"), str):
        raise ValueError(
            f'each tool must be {{"type": "function", "function": {{"name": ..., "parameters": ...}}}}, got {tool!r}'
        )
    parameters = function.get("parameters") or {"type": "object", "properties": {}}
    return ToolSpec(function["name"], str(function.get("description") or ""), parameters)


def _tool_choice(choice: Any) -> Optional[str]:
    if choice is None or choice in ("auto", "none", "required"):
        return choice
    if isinstance(choice, dict) and isinstance((choice.get("function") or {}).get("name"), str):
        return str(choice["function"]["name"])
    raise ValueError(
        f'tool_choice must be "auto", "none", "required" or {{"type": "function", "function": {{"name": ...}}}}, '
        f"got {choice!r}"
    )


def _json_schema(response_format: Any) -> Optional[dict[str, Any]]:
    if response_format is None:
        return None
    if isinstance(response_format, type):  # a pydantic model class
        schema = getattr(response_format, "model_json_schema", None)
        if schema is not None:
            return dict(schema())
    if isinstance(response_format, dict):
        kind = response_format.get("type")
        if kind == "text":
            return None
        if kind == "json_object":
            return {}
        if kind == "json_schema":
            return dict((response_format.get("json_schema") or {}).get("schema") or {})
    raise ValueError(
        'response_format must be {"type": "json_object"}, {"type": "json_schema", "json_schema": {"schema": ...}} '
        f"or a pydantic model class, got {response_format!r}"
    )
