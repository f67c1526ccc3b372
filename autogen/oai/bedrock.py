"""``BedrockClient`` (``api_type: "bedrock"``): models on Amazon Bedrock through ``boto3``'s Converse API.

Config keys: ``model`` (the Bedrock model id, e.g. ``anthropic.claude-3-5-sonnet-20240620-v1:0``),
``aws_region``, ``aws_access_key``, ``aws_secret_key``, ``aws_session_token``, ``aws_profile_name`` (each
falls back to boto3's usual sources: environment, profile, instance role), ``base_url`` (the endpoint URL),
``timeout``, ``price``. Converse takes ``temperature``, ``max_tokens``, ``top_p``, ``stop`` and
``tool_choice`` (not "none"); ``seed`` and ``response_format`` are not taken. boto3 has no asyncio client:
calls run on a worker thread.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Callable, Optional

from .provider_base import ProviderAPIError, ProviderClient, ProviderConnectionError, StreamCollector, completion
from .provider_request import (
    ChatRequest,
    Image,
    Part,
    Text,
    ToolCall,
    ToolResult,
    alternate,
    image_data,
    tool_results_first,
    tools_as_text,
)

__all__ = ["BedrockClient"]

DEFAULT_REGION = "us-east-1"
_FINISH = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "content_filtered": "content_filter",
    "guardrail_intervened": "content_filter",
}


class BedrockClient(ProviderClient):
    """One config's model on Amazon Bedrock (Converse / ConverseStream)."""

    provider = "Bedrock"
    supported = frozenset({"temperature", "max_tokens", "top_p", "stop", "tool_choice"})
    config_keys = frozenset({"aws_region", "aws_access_key", "aws_secret_key", "aws_session_token", "aws_profile_name"})
    secret_keys = frozenset({"aws_secret_key", "aws_session_token"})

    def __init__(self, config: Optional[dict[str, Any]] = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        config = self.config
        self.region = config.get("aws_region")
        self._credentials = {
            "aws_access_key_id": config.get("aws_access_key"),
            "aws_secret_access_key": config.get("aws_secret_key"),
            "aws_session_token": config.get("aws_session_token"),
        }
        self.profile = config.get("aws_profile_name")
        self._client: Any = None
        self._lock = threading.Lock()

    def sdk_client(self) -> Any:
        """One boto3 client for every event loop (boto3 is synchronous and its clients are thread-safe)."""
        with self._lock:
            if self._client is None:
                self._client = self._make_sdk_client()
            return self._client

    def _make_sdk_client(self) -> Any:
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(profile_name=self.profile) if self.profile else boto3.session.Session()
        return session.client(
            "bedrock-runtime",
            region_name=self.region or session.region_name or DEFAULT_REGION,
            endpoint_url=self.base_url,
            # Retries are the wrapper's (with the same rules for every provider), so botocore makes none.
            config=Config(retries={"total_max_attempts": 1}, connect_timeout=self.timeout, read_timeout=self.timeout),
            **{k: v for k, v in self._credentials.items() if v},
        )

    async def _send(self, request: ChatRequest) -> Any:
        client = self.sdk_client()
        body = self._body(request)
        if not request.stream:
            response = await self._in_thread(lambda: client.converse(**body))
            message = response["output"]["message"]
            usage = response.get("usage") or {}
            return completion(
                model=request.model,
                text="".join(block["text"] for block in message["content"] if "text" in block),
                tool_calls=[
                    ToolCall(b["toolUse"]["toolUseId"], b["toolUse"]["name"], dict(b["toolUse"].get("input") or {}))
                    for b in message["content"]
                    if "toolUse" in b
                ],
                finish_reason=_FINISH.get(response.get("stopReason", ""), "stop"),
                prompt_tokens=_input_tokens(usage),
                completion_tokens=int(usage.get("outputTokens", 0)),
                response_id=(response.get("ResponseMetadata") or {}).get("RequestId"),
            )
        collector = StreamCollector(request.model)

        def read_stream() -> Any:
            response = client.converse_stream(**body)
            collector.response_id = (response.get("ResponseMetadata") or {}).get("RequestId")
            for event in response["stream"]:
                _collect(collector, event)
            return collector.result()

        return await self._in_thread(read_stream)

    async def _in_thread(self, call: Callable[[], Any]) -> Any:
        """Run a blocking boto3 call on a worker thread, its errors mapped onto the retry rules."""
        import urllib3
        from botocore import exceptions

        try:
            return await asyncio.to_thread(call)
        except exceptions.ClientError as err:
            error = err.response.get("Error") or {}
            meta = err.response.get("ResponseMetadata") or {}
            status = int(meta.get("HTTPStatusCode") or 0)
            if status < 400:  # an error event in a stream (its HTTP answer was 200)
                status = _status_of(error.get("Code", ""))
            message = f"Bedrock {error.get('Code', 'error')}: {error.get('Message', err)}"
            raise ProviderAPIError(message, status, meta.get("HTTPHeaders") or {}) from err
        except exceptions.NoCredentialsError as err:
            raise ProviderAPIError(
                "Bedrock: no AWS credentials. Add aws_access_key and aws_secret_key (or aws_profile_name) to the "
                "config, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
                401,
            ) from err
        except (exceptions.ConnectionError, exceptions.HTTPClientError, urllib3.exceptions.HTTPError) as err:
            raise ProviderConnectionError(f"Bedrock at {self.base_url or 'its regional endpoint'}: {err}") from err

    def _body(self, request: ChatRequest) -> dict[str, Any]:
        options = request.options
        turns = request.turns if request.tools else tools_as_text(request.turns)
        body: dict[str, Any] = {
            "modelId": request.model,
            "messages": [
                {"role": turn.role, "content": [_block(p) for p in tool_results_first(turn.parts)]}
                for turn in alternate(turns, end_with_user=True)
            ],
        }
        if request.system:
            body["system"] = [{"text": request.system}]
        inference = {
            theirs: options[ours]
            for ours, theirs in (
                ("max_tokens", "maxTokens"),
                ("temperature", "temperature"),
                ("top_p", "topP"),
                ("stop", "stopSequences"),
            )
            if ours in options
        }
        if inference:
            body["inferenceConfig"] = inference
        if request.tools:
            tools = [
                {
                    "toolSpec": {
                        "name": t.name,
                        "description": t.description or t.name,
                        "inputSchema": {"json": t.parameters},
                    }
                }
                for t in request.tools
            ]
            body["toolConfig"] = {"tools": tools}
            choice = _tool_choice(request.tool_choice)
            if choice is not None:
                body["toolConfig"]["toolChoice"] = choice
        return body


def _tool_choice(choice: Any) -> Any:
    if choice in (None, "none"):  # Converse has no "none": the tools stay offered
        return None
    if choice == "auto":
        return {"auto": {}}
    if choice == "required":
        return {"any": {}}
    return {"tool": {"name": choice}}


def _block(part: Part) -> dict[str, Any]:
    if isinstance(part, Text):
        return {"text": part.text}
    if isinstance(part, Image):
        return {"image": {"format": part.format, "source": {"bytes": image_data(part, "Bedrock")}}}
    if isinstance(part, ToolCall):
        return {"toolUse": {"toolUseId": part.id, "name": part.name, "input": part.arguments}}
    assert isinstance(part, ToolResult)
    return {"toolResult": {"toolUseId": part.id, "content": [{"text": part.content}]}}


def _input_tokens(usage: dict[str, Any]) -> int:
    """Prompt tokens: uncached input plus prompt-cache reads and writes."""
    return (
        int(usage.get("inputTokens", 0))
        + int(usage.get("cacheReadInputTokens", 0))
        + int(usage.get("cacheWriteInputTokens", 0))
    )


def _status_of(code: str) -> int:
    """An HTTP status for an error that came without one (mid-stream errors)."""
    if "Throttling" in code or "TooManyRequests" in code:
        return 429
    if "Unavailable" in code or "InternalServer" in code or "ModelStreamError" in code:
        return 503
    return 400


def _collect(collector: StreamCollector, event: dict[str, Any]) -> None:
    """Feed one ConverseStream event to ``collector``."""
    if "contentBlockStart" in event:
        start = event["contentBlockStart"]
        tool = (start.get("start") or {}).get("toolUse")
        if tool:
            collector.start_call(start["contentBlockIndex"], tool["toolUseId"], tool["name"])
    elif "contentBlockDelta" in event:
        delta = event["contentBlockDelta"]
        if "text" in delta["delta"]:
            collector.add_text(delta["delta"]["text"])
        elif "toolUse" in delta["delta"]:
            collector.add_arguments(delta["contentBlockIndex"], delta["delta"]["toolUse"].get("input", ""))
    elif "messageStop" in event:
        collector.finish_reason = _FINISH.get(event["messageStop"].get("stopReason", ""), "stop")
    elif "metadata" in event:
        usage = event["metadata"].get("usage") or {}
        collector.prompt_tokens = _input_tokens(usage)
        collector.completion_tokens = int(usage.get("outputTokens", 0))
