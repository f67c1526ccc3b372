"""``AnthropicClient`` (``api_type: "anthropic"``): Claude through the ``anthropic`` SDK's Messages API.

Config keys: ``model``, ``api_key`` (else ``ANTHROPIC_API_KEY``), ``base_url`` (default
``https://api.anthropic.com``), ``timeout``, ``price``. As in 0.2, without a key but with ``aws_region``
(and ``aws_access_key``, ``aws_secret_key``, ``aws_session_token``, ``aws_profile_name``, else boto3's usual
sources) Claude is reached on Amazon Bedrock through the SDK's Bedrock client. The conversation is made
to start and end with a user turn and to alternate (Messages requires it); ``response_format`` becomes
structured output (``output_config``); ``seed`` is not taken.
"""

from __future__ import annotations

import os
from typing import Any, Optional

from .provider_base import ProviderClient, StreamCollector, completion
from .provider_http import provider_http_client
from .provider_request import ChatRequest, Image, Part, Text, ToolCall, alternate, tool_results_first, tools_as_text
from .providers import ProviderSDKMissingError

__all__ = ["AnthropicClient"]

DEFAULT_MAX_TOKENS = 4096
_FINISH = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}


class AnthropicClient(ProviderClient):
    """One config's Claude model (0.2's ``autogen.oai.anthropic.AnthropicClient``)."""

    provider = "Anthropic"
    supported = frozenset({"temperature", "max_tokens", "top_p", "stop", "tool_choice", "response_format"})

    config_keys = frozenset({"aws_access_key", "aws_secret_key", "aws_session_token", "aws_region", "aws_profile_name"})
    secret_keys = frozenset({"aws_secret_key", "aws_session_token"})

    def __init__(self, config: Optional[dict[str, Any]] = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        config = self.config
        self.api_key = self.api_key or os.environ.get("ANTHROPIC_API_KEY")
        # As 0.2: without an Anthropic key, AWS credentials (or a region, for boto3's usual sources) mean
        # Claude on Amazon Bedrock through the SDK's Bedrock client.
        self.aws = {k: config.get(k) for k in sorted(self.config_keys)}
        if not self.api_key and self.aws["aws_region"]:
            _require_botocore(self.model)
        if not self.api_key and not self.aws["aws_region"]:
            raise ValueError(
                f"The config for model {self.model!r} (api_type 'anthropic') has no 'api_key', ANTHROPIC_API_KEY "
                "is not set, and there is no 'aws_region' for Claude on Amazon Bedrock. Add \"api_key\" to the "
                'config (or set the environment variable), or "aws_region" with the AWS keys.'
            )

    def _make_sdk_client(self) -> Any:
        import anthropic

        # Retries are the wrapper's (with the same rules for every provider), so the SDK makes none.
        options: dict[str, Any] = {
            "base_url": self.base_url,
            "max_retries": 0,
            "timeout": self.timeout,
            "http_client": provider_http_client("httpx2"),  # the loop's shared pool (anthropic is built on httpx2)
        }
        if self.api_key:
            return anthropic.AsyncAnthropic(api_key=self.api_key, **options)
        aws = self.aws
        return anthropic.AsyncAnthropicBedrock(
            aws_access_key=aws["aws_access_key"],
            aws_secret_key=aws["aws_secret_key"],
            aws_session_token=aws["aws_session_token"],
            aws_region=aws["aws_region"],
            aws_profile=aws["aws_profile_name"],
            **options,
        )

    async def _send(self, request: ChatRequest) -> Any:
        body = self._body(request)
        client = self.sdk_client()
        if not request.stream:
            message = await client.messages.create(**body)
            calls = [ToolCall(b.id, b.name, dict(b.input)) for b in message.content if b.type == "tool_use"]
            usage = message.usage
            return completion(
                model=message.model,
                text="".join(b.text for b in message.content if b.type == "text"),
                tool_calls=calls,
                finish_reason=_FINISH.get(message.stop_reason or "", "stop"),
                prompt_tokens=_input_tokens(usage),
                completion_tokens=usage.output_tokens,
                response_id=message.id,
            )
        collector = StreamCollector(request.model)
        stream = await client.messages.create(**body, stream=True)
        async with stream:
            async for event in stream:
                _collect(collector, event)
        return collector.result()

    def _body(self, request: ChatRequest) -> dict[str, Any]:
        options = request.options
        turns = request.turns if request.tools else tools_as_text(request.turns)
        body: dict[str, Any] = {
            "model": request.model,
            "max_tokens": options.get("max_tokens") or DEFAULT_MAX_TOKENS,
            "messages": [
                {"role": turn.role, "content": _blocks(turn.parts)} for turn in alternate(turns, end_with_user=True)
            ],
        }
        if request.system:
            body["system"] = request.system
        if "stop" in options:
            body["stop_sequences"] = options["stop"]
        # Newer SDKs no longer list temperature/top_p (newer models refuse them); older models take them.
        sampling = {k: options[k] for k in ("temperature", "top_p") if k in options}
        if sampling:
            body["extra_body"] = sampling
        if request.json_schema is not None:
            body["output_config"] = {
                "format": {"type": "json_schema", "schema": request.json_schema or {"type": "object"}}
            }
        if request.tools:
            body["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": t.parameters} for t in request.tools
            ]
            if request.tool_choice is not None:
                body["tool_choice"] = _tool_choice(request.tool_choice)
        return body


def _require_botocore(model: Any) -> None:
    """Claude on Bedrock signs its requests with botocore: say how to install it when it is missing."""
    try:
        import botocore.auth  # noqa: F401
    except ImportError as err:
        raise ProviderSDKMissingError(
            f"api_type='anthropic' without an api_key (model {model!r}) reaches Claude on Amazon Bedrock, which "
            f'needs boto3 ({err}). Install it with: pip install "autogen[anthropic,bedrock]"'
        ) from err


def _tool_choice(choice: str) -> dict[str, Any]:
    if choice in ("auto", "none"):
        return {"type": choice}
    if choice == "required":
        return {"type": "any"}
    return {"type": "tool", "name": choice}


def _blocks(parts: list[Part]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for part in tool_results_first(parts):
        if isinstance(part, Text):
            blocks.append({"type": "text", "text": part.text})
        elif isinstance(part, Image):
            source = (
                {"type": "url", "url": part.url}
                if part.data is None
                else {"type": "base64", "media_type": part.mime, "data": part.base64()}
            )
            blocks.append({"type": "image", "source": source})
        elif isinstance(part, ToolCall):
            blocks.append({"type": "tool_use", "id": part.id, "name": part.name, "input": part.arguments})
        else:
            blocks.append({"type": "tool_result", "tool_use_id": part.id, "content": part.content})
    return blocks


def _input_tokens(usage: Any) -> int:
    """Prompt tokens: uncached input plus what was written to or read from the prompt cache."""
    cached = (getattr(usage, "cache_creation_input_tokens", 0) or 0) + (
        getattr(usage, "cache_read_input_tokens", 0) or 0
    )
    return int(usage.input_tokens or 0) + cached


def _collect(collector: StreamCollector, event: Any) -> None:
    """Feed one Messages stream event to ``collector``."""
    kind = event.type
    if kind == "message_start":
        collector.response_id = event.message.id
        collector.model = event.message.model or collector.model
        collector.prompt_tokens = _input_tokens(event.message.usage)
        collector.completion_tokens = event.message.usage.output_tokens or 0
    elif kind == "content_block_start" and event.content_block.type == "tool_use":
        collector.start_call(event.index, event.content_block.id, event.content_block.name)
    elif kind == "content_block_delta":
        if event.delta.type == "text_delta":
            collector.add_text(event.delta.text)
        elif event.delta.type == "input_json_delta":
            collector.add_arguments(event.index, event.delta.partial_json)
    elif kind == "message_delta":
        collector.finish_reason = _FINISH.get(event.delta.stop_reason or "", "stop")
        if event.usage is not None:
            collector.completion_tokens = event.usage.output_tokens or collector.completion_tokens
            if getattr(event.usage, "input_tokens", None):
                collector.prompt_tokens = _input_tokens(event.usage)
