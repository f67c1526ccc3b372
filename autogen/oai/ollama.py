"""``OllamaClient`` (``api_type: "ollama"``): a local Ollama server's native ``/api/chat`` via the ``ollama`` package.

Config keys: ``model``, ``base_url`` (or 0.2-era ``client_host``; default ``OLLAMA_HOST`` or
``http://127.0.0.1:11434``), ``api_key`` (sent as a bearer token, for hosted Ollama), ``timeout``, ``price``;
``num_ctx``, ``keep_alive``, ``think`` are passed on as Ollama options. Sampling options map to Ollama's
(``max_tokens`` is ``num_predict``); ``response_format`` becomes ``format``; ``tool_choice`` is not taken.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any, Optional

from .provider_base import ProviderClient, StreamCollector
from .provider_http import provider_http_transport
from .provider_request import ChatRequest, Image, ToolCall, ToolResult, Turn, image_data

__all__ = ["OllamaClient"]

_OPTIONS = {"temperature": "temperature", "top_p": "top_p", "stop": "stop", "seed": "seed", "max_tokens": "num_predict"}
_FINISH = {"stop": "stop", "length": "length"}


class OllamaClient(ProviderClient):
    """One config's model on an Ollama server."""

    provider = "Ollama"
    supported = frozenset({"temperature", "max_tokens", "top_p", "stop", "seed", "response_format"})
    config_keys = frozenset({"client_host", "num_ctx", "keep_alive", "think"})

    def __init__(self, config: Optional[dict[str, Any]] = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        config = self.config
        self.base_url = self.base_url or config.get("client_host")  # 0.2-era name of the endpoint
        self.num_ctx: Optional[int] = config.get("num_ctx")
        self.keep_alive = config.get("keep_alive")
        self.think = config.get("think")

    def cost(self, response: Any) -> float:
        """0 for a local model (no unknown-price warning), unless the config gives a ``price``."""
        return super().cost(response) if self.price is not None else 0.0

    def _make_sdk_client(self) -> Any:
        import ollama

        headers = {"authorization": f"Bearer {self.api_key}"} if self.api_key else None
        # ollama makes its own httpx client: it gets the loop's shared connection pool as its transport.
        transport = provider_http_transport("httpx")
        return ollama.AsyncClient(host=self.base_url, timeout=self.timeout, headers=headers, transport=transport)

    async def _send(self, request: ChatRequest) -> Any:
        options = {theirs: request.options[ours] for ours, theirs in _OPTIONS.items() if ours in request.options}
        if self.num_ctx:
            options["num_ctx"] = self.num_ctx
        kwargs: dict[str, Any] = {
            "model": request.model,
            "messages": self._messages(request),
            "options": options or None,
            "keep_alive": self.keep_alive,
            "think": self.think,
        }
        if request.tools:
            kwargs["tools"] = [
                {
                    "type": "function",
                    "function": {"name": t.name, "description": t.description, "parameters": t.parameters},
                }
                for t in request.tools
            ]
        if request.json_schema is not None:
            kwargs["format"] = request.json_schema or "json"
        client = self.sdk_client()
        collector = StreamCollector(request.model, streamed=request.stream)
        if request.stream:
            async for chunk in await client.chat(**kwargs, stream=True):
                _collect(collector, chunk)
        else:
            _collect(collector, await client.chat(**kwargs))
        return collector.result()

    def _messages(self, request: ChatRequest) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = [{"role": "system", "content": request.system}] if request.system else []
        for turn in request.turns:
            messages += _messages_of(turn)
        return messages


def _messages_of(turn: Turn) -> list[dict[str, Any]]:
    """One turn as Ollama messages: each tool result is a ``tool`` message of its own."""
    messages: list[dict[str, Any]] = [
        {"role": "tool", "content": p.content, "tool_name": p.name} for p in turn.parts if isinstance(p, ToolResult)
    ]
    text = turn.text()
    images = [p for p in turn.parts if isinstance(p, Image)]
    calls = [p for p in turn.parts if isinstance(p, ToolCall)]
    if not (text or images or calls):
        return messages
    message: dict[str, Any] = {"role": turn.role, "content": text}
    if images:
        message["images"] = [base64.b64encode(image_data(i, "Ollama")).decode("ascii") for i in images]
    if calls:
        message["tool_calls"] = [{"function": {"name": c.name, "arguments": c.arguments}} for c in calls]
    messages.append(message)
    return messages


def _collect(collector: StreamCollector, chunk: Any) -> None:
    """Feed one chat response (or stream chunk) to ``collector``."""
    message = chunk.message
    if message is not None:
        collector.add_text(message.content or "")
        for call in message.tool_calls or []:
            call_id = getattr(call, "id", None) or f"call_{uuid.uuid4().hex[:20]}"
            collector.add_call(ToolCall(call_id, call.function.name, dict(call.function.arguments or {})))
    if chunk.done:
        collector.model = chunk.model or collector.model
        collector.finish_reason = _FINISH.get(chunk.done_reason or "stop", "stop")
        collector.prompt_tokens = chunk.prompt_eval_count or 0
        collector.completion_tokens = chunk.eval_count or 0
