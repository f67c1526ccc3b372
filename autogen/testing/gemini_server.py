"""A scripted server speaking the Gemini API (``generateContent``, ``streamGenerateContent`` with SSE).

Example:
    >>> with GeminiTestServer(["Hello!"]) as server:
    ...     config_list = server.config_list()  # api_type "google", base_url of this server
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any, Optional

from .provider_server import Answer, ProviderTestServer, RequestSummary

__all__ = ["GeminiTestServer"]

_ROUTE = re.compile(r"^/v1(?:beta|alpha)?/models/([^/:]+):(generateContent|streamGenerateContent)$")
_STATUS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED"}


class GeminiTestServer(ProviderTestServer):
    """Gemini on 127.0.0.1; clients send the key in ``x-goog-api-key`` (or ``?key=``)."""

    api_type = "google"
    default_model = "gemini-1.5-flash"
    # What a 429 answer asks the client to wait (RetryInfo.retryDelay in the error body, as Gemini sends it).
    retry_delay = "0s"

    def route(self, method: str, path: str, body: Any) -> Optional[bool]:
        match = _ROUTE.match(path.split("?")[0])
        if method != "POST" or match is None:
            return None
        return match.group(2) == "streamGenerateContent"

    def model_of(self, path: str, body: Any) -> str:
        match = _ROUTE.match(path.split("?")[0])
        return match.group(1) if match else self.model

    def authorized(self, method: str, path: str, headers: dict[str, str]) -> bool:
        query = path.partition("?")[2]
        return headers.get("x-goog-api-key") == self.api_key or f"key={self.api_key}" in query.split("&")

    def error(self, status: int, message: str) -> tuple[bytes, dict[str, str]]:
        error: dict[str, Any] = {"code": status, "message": message, "status": _STATUS.get(status, "INTERNAL")}
        if status == 429:
            error["details"] = [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": self.retry_delay}]
        return json.dumps({"error": error}).encode(), {}

    def auth_error(self) -> tuple[int, bytes, dict[str, str]]:
        payload, headers = self.error(400, "API key not valid. Please pass a valid API key.")
        return 400, payload, headers

    def _chunk(self, answer: Answer, parts: list[dict[str, Any]], last: bool) -> dict[str, Any]:
        candidate: dict[str, Any] = {"content": {"role": "model", "parts": parts}, "index": 0}
        chunk: dict[str, Any] = {
            "candidates": [candidate],
            "modelVersion": answer.model,
            "responseId": f"r{answer.number}",
        }
        if last:
            candidate["finishReason"] = answer.finish_reason or "STOP"
            chunk["usageMetadata"] = {
                "promptTokenCount": answer.prompt_tokens,
                "candidatesTokenCount": answer.completion_tokens,
                "totalTokenCount": answer.prompt_tokens + answer.completion_tokens,
            }
        return chunk

    @staticmethod
    def _calls(answer: Answer) -> list[dict[str, Any]]:
        # Gemini signs function calls (thoughtSignature); a client must send the signature back with the call.
        return [
            {
                "functionCall": {"id": c["id"], "name": c["name"], "args": c["arguments"]},
                "thoughtSignature": base64.b64encode(f"sig-{c['id']}".encode()).decode(),
            }
            for c in answer.tool_calls
        ]

    def render(self, answer: Answer, body: Any) -> dict[str, Any]:
        parts = ([{"text": answer.content}] if answer.content else []) + self._calls(answer)
        return self._chunk(answer, parts, last=True)

    def frames(self, answer: Answer, body: Any) -> list[bytes]:
        chunks = [[{"text": piece}] for piece in answer.text_chunks()] + [self._calls(answer)]
        events = [self._chunk(answer, parts, last=i == len(chunks) - 1) for i, parts in enumerate(chunks)]
        return [f"data: {json.dumps(event)}\r\n\r\n".encode() for event in events]

    def summary(self, body: Any) -> RequestSummary:
        system = body.get("systemInstruction") or {}
        summary = RequestSummary(system=" ".join(p.get("text", "") for p in system.get("parts", [])))
        for content in body.get("contents", []):
            summary.roles.append("assistant" if content.get("role") == "model" else "user")
            for part in content.get("parts", []):
                if "text" in part:
                    summary.texts.append(part["text"])
                if "inlineData" in part or "fileData" in part:
                    summary.images += 1
                if "functionCall" in part:
                    summary.tool_calls.append((part["functionCall"].get("id", ""), part["functionCall"]["name"]))
                if "functionResponse" in part:
                    response = part["functionResponse"]
                    summary.tool_results.append(
                        (response.get("id") or response["name"], str(response["response"]["result"]))
                    )
        for tool in body.get("tools", []):
            summary.tools += [d["name"] for d in tool.get("functionDeclarations", [])]
        summary.options = dict(body.get("generationConfig") or {})
        if body.get("toolConfig"):
            summary.options["tool_config"] = body["toolConfig"]
        return summary
