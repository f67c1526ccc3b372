"""``CohereClient`` (``api_type: "cohere"``): Cohere's v2 chat through the official ``cohere`` SDK (0.2's name).

Config keys: ``model``, ``api_key`` (else ``CO_API_KEY``), ``base_url`` (default ``https://api.cohere.com``;
a trailing ``/v2`` is understood), ``timeout``, ``price``. Tool results go out as ``tool`` messages; text
that accompanies tool calls goes out as Cohere's ``tool_plan``. ``top_p`` is sent as ``p``, ``stop`` as
``stop_sequences``; JSON mode and schemas as Cohere's ``json_object`` response format. Usage is what
Cohere bills (``billed_units``), else its token counts.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

from .errors import InvalidResponseError
from .openai_like import api_key_or_env, sdk_root
from .provider_base import ProviderAPIError, ProviderClient, StreamCollector, completion
from .provider_http import provider_http_client
from .provider_params import without_hidden_tools
from .provider_request import ChatRequest, Image, Part, Text, ToolCall, ToolResult, tool_results_first

__all__ = ["CohereClient"]

DEFAULT_BASE_URL = "https://api.cohere.com"
_FINISH = {"COMPLETE": "stop", "STOP_SEQUENCE": "stop", "MAX_TOKENS": "length", "TOOL_CALL": "tool_calls"}
_OPTIONS = (("temperature", "temperature"), ("max_tokens", "max_tokens"), ("top_p", "p"), ("stop", "stop_sequences"))


class CohereClient(ProviderClient):
    """One config's Cohere model (0.2's ``autogen.oai.cohere.CohereClient``), on the v2 chat API."""

    provider = "Cohere"
    supported = frozenset({"temperature", "max_tokens", "top_p", "stop", "seed", "tool_choice", "response_format"})

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.api_key = api_key_or_env(self.api_key, "CO_API_KEY", self.model, "cohere")
        self.base_url = sdk_root(str(self.base_url or DEFAULT_BASE_URL), ("/v2", "/v1"))

    async def _answer(self, params: dict[str, Any]) -> Any:
        return await super()._answer(without_hidden_tools(params))

    def _make_sdk_client(self) -> Any:
        import cohere

        return cohere.AsyncClientV2(
            api_key=self.api_key, base_url=self.base_url, timeout=self.timeout, httpx_client=provider_http_client()
        )

    async def _send(self, request: ChatRequest) -> Any:
        body = self._body(request)
        client = self.sdk_client()
        options = {"max_retries": 0}  # retries are the wrapper's, with the same rules for every provider
        with _cohere_errors():
            if not request.stream:
                response = await client.chat(**body, request_options=options)
                message = response.message
                prompt, completion_tokens = _tokens(response.usage)
                return completion(
                    model=request.model,
                    text="".join(part.text or "" for part in message.content or [] if part.type == "text"),
                    tool_calls=[_tool_call(call) for call in message.tool_calls or []],
                    finish_reason=_finish(response.finish_reason),
                    prompt_tokens=prompt,
                    completion_tokens=completion_tokens,
                    response_id=response.id,
                )
            collector = StreamCollector(request.model)
            async for event in client.chat_stream(**body, request_options=options):
                _collect(collector, event)
            return collector.result()

    def _body(self, request: ChatRequest) -> dict[str, Any]:
        messages: list[dict[str, Any]] = [{"role": "system", "content": request.system}] if request.system else []
        for turn in request.turns:
            messages += _messages(turn.role, turn.parts)
        body: dict[str, Any] = {"model": request.model, "messages": messages}
        for ours, theirs in _OPTIONS:
            if ours in request.options:
                body[theirs] = request.options[ours]
        if "seed" in request.options:
            body["seed"] = request.options["seed"]
        tools = request.tools
        if tools and request.tool_choice not in (None, "auto"):
            if request.tool_choice in ("none", "required"):
                body["tool_choice"] = request.tool_choice.upper()
            else:  # one named function: offer only it, and require a call
                tools = [tool for tool in tools if tool.name == request.tool_choice]
                body["tool_choice"] = "REQUIRED"
        if tools:
            body["tools"] = [
                {
                    "type": "function",
                    "function": {"name": t.name, "description": t.description, "parameters": t.parameters},
                }
                for t in tools
            ]
        if request.json_schema is not None:
            body["response_format"] = {"type": "json_object"}
            if request.json_schema:
                body["response_format"]["json_schema"] = request.json_schema
        return body


def _messages(role: str, parts: list[Part]) -> list[dict[str, Any]]:
    """Cohere messages for one turn: tool results as ``tool`` messages first, then the turn's own message."""
    messages: list[dict[str, Any]] = [
        {"role": "tool", "tool_call_id": part.id, "content": part.content}
        for part in parts
        if isinstance(part, ToolResult)
    ]
    calls = [part for part in parts if isinstance(part, ToolCall)]
    content = [_content(part) for part in tool_results_first(parts) if isinstance(part, (Text, Image))]
    if role == "assistant":
        text = "\n\n".join(item["text"] for item in content if item["type"] == "text")
        message: dict[str, Any] = {"role": "assistant"}
        if calls:
            message["tool_calls"] = [
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": json.dumps(c.arguments)}}
                for c in calls
            ]
            if text:
                message["tool_plan"] = text
        else:
            message["content"] = text
        messages.append(message)
    elif content:
        only_text = all(item["type"] == "text" for item in content)
        messages.append({"role": "user", "content": "\n\n".join(i["text"] for i in content) if only_text else content})
    return messages


def _content(part: Any) -> dict[str, Any]:
    if isinstance(part, Text):
        return {"type": "text", "text": part.text}
    url = part.url if part.data is None else f"data:{part.mime};base64,{part.base64()}"
    return {"type": "image_url", "image_url": {"url": url}}


def _tool_call(call: Any) -> ToolCall:
    function = call.function
    raw = function.arguments or "{}" if function is not None else "{}"
    return ToolCall(call.id, function.name if function is not None else "", json.loads(raw))


def _finish(reason: Any) -> str:
    return _FINISH.get(str(reason), "stop")


def _tokens(usage: Any) -> tuple[int, int]:
    """(prompt, completion) tokens: what Cohere bills, else what it counted."""
    for counts in (getattr(usage, "billed_units", None), getattr(usage, "tokens", None)):
        if counts is not None and counts.input_tokens is not None:
            return int(counts.input_tokens or 0), int(counts.output_tokens or 0)
    return 0, 0


def _collect(collector: StreamCollector, event: Any) -> None:
    """Feed one v2 chat stream event to ``collector``."""
    kind = event.type
    message = getattr(getattr(event, "delta", None), "message", None)
    if kind == "message-start":
        collector.response_id = event.id
    elif kind == "content-delta" and message is not None:
        collector.add_text(message.content.text or "")
    elif kind == "tool-call-start" and message is not None:
        call = message.tool_calls
        collector.start_call(event.index, call.id, call.function.name or "")
        if call.function.arguments:
            collector.add_arguments(event.index, call.function.arguments)
    elif kind == "tool-call-delta" and message is not None:
        collector.add_arguments(event.index, message.tool_calls.function.arguments or "")
    elif kind == "message-end":
        delta = event.delta
        if delta.error:
            raise ProviderAPIError(f"Cohere: the stream ended with an error: {delta.error}", 500)
        collector.finish_reason = _finish(delta.finish_reason)
        collector.prompt_tokens, collector.completion_tokens = _tokens(delta.usage)


@contextlib.contextmanager
def _cohere_errors() -> Iterator[None]:
    """Cohere's HTTP errors as :class:`ProviderAPIError` (status and headers kept for the retry rules)."""
    from cohere.core.api_error import ApiError

    try:
        yield
    except json.JSONDecodeError as err:  # a 200 whose body is not JSON: retried, like OpenAI's
        raise InvalidResponseError(f"Cohere's answer is not valid JSON ({err}).") from err
    except ApiError as err:
        if err.status_code is None:
            raise
        raise ProviderAPIError(
            f"Cohere answered {err.status_code}: {_said(err.body)}", err.status_code, dict(err.headers or {})
        ) from err


def _said(body: Any) -> str:
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return str(body)[:500]
