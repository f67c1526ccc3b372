"""A scripted server speaking Amazon Bedrock's Converse API (``converse`` and ``converse-stream``).

boto3 reaches it through ``endpoint_url`` (the config's ``base_url``) with any credentials whose access key
id is the server's ``api_key``; streams use AWS event-stream framing (see :func:`event_message`).

Example:
    >>> with BedrockTestServer(["Hello!"]) as server:
    ...     config_list = server.config_list()  # api_type "bedrock", base_url and fake credentials
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from typing import Any, Optional
from urllib.parse import unquote

from .provider_server import Answer, ProviderTestServer, RequestSummary

__all__ = ["BedrockTestServer", "event_message"]

_ROUTE = re.compile(r"^/model/([^/]+)/(converse|converse-stream)$")
_ERRORS = {
    400: "ValidationException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}


def event_message(headers: dict[str, str], payload: bytes) -> bytes:
    """One AWS event-stream message: prelude (total and header lengths, CRC), string headers, payload, CRC."""
    encoded = b""
    for name, value in headers.items():
        raw_name, raw_value = name.encode(), value.encode()
        encoded += struct.pack("!B", len(raw_name)) + raw_name + struct.pack("!BH", 7, len(raw_value)) + raw_value
    total = 12 + len(encoded) + len(payload) + 4
    prelude = struct.pack("!II", total, len(encoded))
    prelude += struct.pack("!I", zlib.crc32(prelude) & 0xFFFFFFFF)
    message = prelude + encoded + payload
    return message + struct.pack("!I", zlib.crc32(message) & 0xFFFFFFFF)


def _event(kind: str, payload: dict[str, Any]) -> bytes:
    headers = {":event-type": kind, ":content-type": "application/json", ":message-type": "event"}
    return event_message(headers, json.dumps(payload).encode())


class BedrockTestServer(ProviderTestServer):
    """Bedrock Runtime on 127.0.0.1; requests must be signed with access key id ``api_key``."""

    api_type = "bedrock"
    default_model = "anthropic.claude-3-5-sonnet-20240620-v1:0"
    stream_content_type = "application/vnd.amazon.eventstream"

    def config_list(self, model: Optional[str] = None, **extra: Any) -> list[dict[str, Any]]:
        config = {
            "api_type": self.api_type,
            "model": model or self.model,
            "base_url": self.base_url,
            "aws_region": "us-east-1",
            "aws_access_key": self.api_key or "AKIATEST",
            "aws_secret_key": "test-secret-key-0123456789",
        }
        config.update(extra)
        return [config]

    def route(self, method: str, path: str, body: Any) -> Optional[bool]:
        match = _ROUTE.match(path.split("?")[0])
        if method != "POST" or match is None:
            return None
        return match.group(2) == "converse-stream"

    def model_of(self, path: str, body: Any) -> str:
        match = _ROUTE.match(path.split("?")[0])
        return unquote(match.group(1)) if match else self.model

    def authorized(self, method: str, path: str, headers: dict[str, str]) -> bool:
        return f"Credential={self.api_key}/" in headers.get("authorization", "")

    def error(self, status: int, message: str) -> tuple[bytes, dict[str, str]]:
        return json.dumps({"message": message}).encode(), {
            "x-amzn-errortype": _ERRORS.get(status, "InternalServerException")
        }

    def auth_error(self) -> tuple[int, bytes, dict[str, str]]:
        payload = json.dumps({"message": "The security token included in the request is invalid."}).encode()
        return 403, payload, {"x-amzn-errortype": "UnrecognizedClientException"}

    @staticmethod
    def _stop_reason(answer: Answer) -> str:
        return answer.finish_reason or ("tool_use" if answer.tool_calls else "end_turn")

    @staticmethod
    def _usage(answer: Answer) -> dict[str, int]:
        return {
            "inputTokens": answer.prompt_tokens,
            "outputTokens": answer.completion_tokens,
            "totalTokens": answer.prompt_tokens + answer.completion_tokens,
        }

    def render(self, answer: Answer, body: Any) -> dict[str, Any]:
        content: list[dict[str, Any]] = [{"text": answer.content}] if answer.content else []
        content += [
            {"toolUse": {"toolUseId": c["id"], "name": c["name"], "input": c["arguments"]}} for c in answer.tool_calls
        ]
        return {
            "output": {"message": {"role": "assistant", "content": content}},
            "stopReason": self._stop_reason(answer),
            "usage": self._usage(answer),
            "metrics": {"latencyMs": 1},
        }

    def frames(self, answer: Answer, body: Any) -> list[bytes]:
        events = [_event("messageStart", {"role": "assistant"})]
        index = 0
        if answer.content:
            for piece in answer.text_chunks():
                events.append(_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": piece}}))
            events.append(_event("contentBlockStop", {"contentBlockIndex": 0}))
            index = 1
        for i, call in enumerate(answer.tool_calls, start=index):
            start = {"toolUse": {"toolUseId": call["id"], "name": call["name"]}}
            events.append(_event("contentBlockStart", {"contentBlockIndex": i, "start": start}))
            args = json.dumps(call["arguments"])
            half = len(args) // 2
            for part in (args[:half], args[half:]):
                events.append(
                    _event("contentBlockDelta", {"contentBlockIndex": i, "delta": {"toolUse": {"input": part}}})
                )
            events.append(_event("contentBlockStop", {"contentBlockIndex": i}))
        events.append(_event("messageStop", {"stopReason": self._stop_reason(answer)}))
        events.append(_event("metadata", {"usage": self._usage(answer), "metrics": {"latencyMs": 1}}))
        return events

    def summary(self, body: Any) -> RequestSummary:
        summary = RequestSummary(system=" ".join(s.get("text", "") for s in body.get("system") or []))
        for message in body.get("messages", []):
            summary.roles.append(message["role"])
            for block in message["content"]:
                if "text" in block:
                    summary.texts.append(block["text"])
                if "image" in block:
                    summary.images += 1
                if "toolUse" in block:
                    summary.tool_calls.append((block["toolUse"]["toolUseId"], block["toolUse"]["name"]))
                if "toolResult" in block:
                    result = block["toolResult"]
                    text = " ".join(c.get("text", "") for c in result.get("content", []))
                    summary.tool_results.append((result["toolUseId"], text))
        tool_config = body.get("toolConfig") or {}
        summary.tools = [t["toolSpec"]["name"] for t in tool_config.get("tools", [])]
        summary.options = dict(body.get("inferenceConfig") or {})
        if "toolChoice" in tool_config:
            summary.options["toolChoice"] = tool_config["toolChoice"]
        return summary
