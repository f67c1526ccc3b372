"""A scripted server speaking Anthropic's Messages API (``POST /v1/messages``, SSE streams).

It also answers as Claude on Amazon Bedrock (``/model/{id}/invoke`` and ``invoke-with-response-stream``,
AWS event-stream framing), for the SDK's Bedrock client (see :meth:`AnthropicTestServer.bedrock_config_list`).

Example:
    >>> with AnthropicTestServer(["Hello!"]) as server:
    ...     config_list = server.config_list()  # api_type "anthropic", base_url of this server
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any, Optional
from urllib.parse import unquote

from .bedrock_server import event_message
from .provider_server import Answer, ProviderTestServer, RequestSummary, sse

__all__ = ["AnthropicTestServer"]

_INVOKE = re.compile(r"^/model/([^/]+)/(invoke|invoke-with-response-stream)$")

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    529: "overloaded_error",
}


class AnthropicTestServer(ProviderTestServer):
    """Anthropic Messages on 127.0.0.1; clients send the key in ``x-api-key`` (or as a bearer token)."""

    api_type = "anthropic"
    default_model = "claude-3-5-sonnet-20241022"

    def route(self, method: str, path: str, body: Any) -> Optional[bool]:
        route = path.split("?")[0]
        if method != "POST":
            return None
        if route == "/v1/messages":
            return bool(isinstance(body, dict) and body.get("stream"))
        invoke = _INVOKE.match(route)  # Claude on Amazon Bedrock (the SDK's Bedrock client)
        return None if invoke is None else invoke.group(2) == "invoke-with-response-stream"

    def model_of(self, path: str, body: Any) -> str:
        invoke = _INVOKE.match(path.split("?")[0])
        return unquote(invoke.group(1)) if invoke else super().model_of(path, body)

    def stream_type(self, path: str) -> str:
        return "application/vnd.amazon.eventstream" if _INVOKE.match(path.split("?")[0]) else "text/event-stream"

    def authorized(self, method: str, path: str, headers: dict[str, str]) -> bool:
        if _INVOKE.match(path.split("?")[0]):  # signed with AWS SigV4 by the access key id ``api_key``
            return f"Credential={self.api_key}/" in headers.get("authorization", "")
        bearer = headers.get("authorization", "").removeprefix("Bearer ").strip()
        return self.api_key in (headers.get("x-api-key"), bearer)

    def bedrock_config_list(self, **extra: Any) -> list[dict[str, Any]]:
        """A config for Claude on Bedrock (0.2's AWS keys, no Anthropic key) pointing at this server."""
        config = {
            "api_type": "anthropic",
            "model": self.model,
            "base_url": self.base_url,
            "aws_region": "us-east-1",
            "aws_access_key": self.api_key or "AKIATEST",
            "aws_secret_key": "test-secret-key-0123456789",
            **extra,
        }
        return [config]

    def error(self, status: int, message: str) -> tuple[bytes, dict[str, str]]:
        kind = _ERROR_TYPES.get(status, "api_error")
        return json.dumps({"type": "error", "error": {"type": kind, "message": message}}).encode(), {}

    def _blocks(self, answer: Answer) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = [{"type": "text", "text": answer.content}] if answer.content else []
        blocks += [
            {"type": "tool_use", "id": c["id"], "name": c["name"], "input": c["arguments"]} for c in answer.tool_calls
        ]
        return blocks

    def _stop_reason(self, answer: Answer) -> str:
        return answer.finish_reason or ("tool_use" if answer.tool_calls else "end_turn")

    def render(self, answer: Answer, body: Any) -> dict[str, Any]:
        return {
            "id": f"msg_test_{answer.number}",
            "type": "message",
            "role": "assistant",
            "model": answer.model,
            "content": self._blocks(answer),
            "stop_reason": self._stop_reason(answer),
            "stop_sequence": None,
            "usage": {"input_tokens": answer.prompt_tokens, "output_tokens": answer.completion_tokens},
        }

    def frames(self, answer: Answer, body: Any) -> list[bytes]:
        events = self._events(answer, body)
        if isinstance(body, dict) and "anthropic_version" in body:  # Bedrock: each event is a base64 "chunk"
            headers = {":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"}
            return [
                event_message(
                    headers, json.dumps({"bytes": base64.b64encode(json.dumps(e).encode()).decode()}).encode()
                )
                for e in events
            ]
        return [sse(event, event["type"]) for event in events]

    def _events(self, answer: Answer, body: Any) -> list[dict[str, Any]]:
        message = {**self.render(answer, body), "content": [], "stop_reason": None}
        message["usage"] = {"input_tokens": answer.prompt_tokens, "output_tokens": 1}
        events: list[dict[str, Any]] = [{"type": "message_start", "message": message}]
        for index, block in enumerate(self._blocks(answer)):
            start = {**block, "text": ""} if block["type"] == "text" else {**block, "input": {}}
            events.append({"type": "content_block_start", "index": index, "content_block": start})
            if block["type"] == "text":
                deltas = [{"type": "text_delta", "text": piece} for piece in answer.text_chunks()]
            else:
                args = json.dumps(block["input"])
                half = len(args) // 2
                deltas = [{"type": "input_json_delta", "partial_json": p} for p in (args[:half], args[half:])]
            events += [{"type": "content_block_delta", "index": index, "delta": d} for d in deltas]
            events.append({"type": "content_block_stop", "index": index})
        delta = {"stop_reason": self._stop_reason(answer), "stop_sequence": None}
        events.append({"type": "message_delta", "delta": delta, "usage": {"output_tokens": answer.completion_tokens}})
        events.append({"type": "message_stop"})
        return events

    def summary(self, body: Any) -> RequestSummary:
        system = body.get("system") or ""
        summary = RequestSummary(system=system if isinstance(system, str) else " ".join(b["text"] for b in system))
        for message in body.get("messages", []):
            summary.roles.append(message["role"])
            content = message["content"]
            for block in [{"type": "text", "text": content}] if isinstance(content, str) else content:
                if block["type"] == "text":
                    summary.texts.append(block["text"])
                elif block["type"] == "image":
                    summary.images += 1
                elif block["type"] == "tool_use":
                    summary.tool_calls.append((block["id"], block["name"]))
                elif block["type"] == "tool_result":
                    summary.tool_results.append((block["tool_use_id"], str(block["content"])))
        summary.tools = [tool["name"] for tool in body.get("tools", [])]
        summary.options = {
            k: body[k] for k in ("temperature", "top_p", "max_tokens", "stop_sequences", "tool_choice") if k in body
        }
        return summary
