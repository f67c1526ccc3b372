"""A scripted server speaking Ollama's native chat API (``POST /api/chat``, NDJSON streams).

Example:
    >>> with OllamaTestServer(["Hello!"]) as server:
    ...     config_list = server.config_list()  # api_type "ollama", base_url of this server
"""

from __future__ import annotations

import json
from typing import Any, Optional

from .provider_server import Answer, ProviderTestServer, RequestSummary

__all__ = ["OllamaTestServer"]

_CREATED = "2024-01-01T00:00:00Z"


class OllamaTestServer(ProviderTestServer):
    """Ollama on 127.0.0.1. With ``api_key`` set, clients must send it as a bearer token (hosted Ollama)."""

    api_type = "ollama"
    default_model = "llama3.1"
    stream_content_type = "application/x-ndjson"

    def route(self, method: str, path: str, body: Any) -> Optional[bool]:
        if method != "POST" or path.split("?")[0] != "/api/chat":
            return None
        return bool(body.get("stream", True)) if isinstance(body, dict) else False

    def authorized(self, method: str, path: str, headers: dict[str, str]) -> bool:
        return headers.get("authorization", "").removeprefix("Bearer ").strip() == self.api_key

    def error(self, status: int, message: str) -> tuple[bytes, dict[str, str]]:
        return json.dumps({"error": message}).encode(), {}

    def _chunk(self, answer: Answer, content: str, calls: list[dict[str, Any]], done: bool) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if calls:
            message["tool_calls"] = [{"function": {"name": c["name"], "arguments": c["arguments"]}} for c in calls]
        chunk: dict[str, Any] = {"model": answer.model, "created_at": _CREATED, "message": message, "done": done}
        if done:
            chunk.update(
                done_reason=answer.finish_reason or "stop",
                prompt_eval_count=answer.prompt_tokens,
                eval_count=answer.completion_tokens,
            )
        return chunk

    def render(self, answer: Answer, body: Any) -> dict[str, Any]:
        return self._chunk(answer, answer.content, answer.tool_calls, done=True)

    def frames(self, answer: Answer, body: Any) -> list[bytes]:
        chunks = [self._chunk(answer, piece, [], done=False) for piece in answer.text_chunks()]
        if answer.tool_calls:
            chunks.append(self._chunk(answer, "", answer.tool_calls, done=False))
        chunks.append(self._chunk(answer, "", [], done=True))
        return [json.dumps(chunk).encode() + b"\n" for chunk in chunks]

    def summary(self, body: Any) -> RequestSummary:
        summary = RequestSummary()
        for message in body.get("messages", []):
            role = message["role"]
            if role == "system":
                summary.system += message.get("content") or ""
                continue
            if role == "tool":
                summary.tool_results.append((message.get("tool_name", ""), message.get("content") or ""))
                role = "user"
            elif message.get("content"):
                summary.texts.append(message["content"])
            if not summary.roles or summary.roles[-1] != role:
                summary.roles.append(role)
            summary.images += len(message.get("images") or [])
            summary.tool_calls += [("", c["function"]["name"]) for c in message.get("tool_calls") or []]
        summary.tools = [tool["function"]["name"] for tool in body.get("tools") or []]
        summary.options = dict(body.get("options") or {})
        if body.get("format"):
            summary.options["format"] = body["format"]
        return summary
