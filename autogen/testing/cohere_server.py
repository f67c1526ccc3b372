"""A scripted server speaking Cohere's v2 chat (``POST /v2/chat``, SSE stream events).

Example:
    >>> with CohereTestServer(["Hello!"]) as server:
    ...     config_list = server.config_list()  # api_type "cohere", base_url of this server
"""

from __future__ import annotations

import json
from typing import Any, Optional

from .provider_server import Answer, ProviderTestServer, RequestSummary, sse

__all__ = ["CohereTestServer"]

_FINISH = {"stop": "COMPLETE", "length": "MAX_TOKENS", "tool_calls": "TOOL_CALL"}


class CohereTestServer(ProviderTestServer):
    """Cohere v2 chat on 127.0.0.1; clients send the key as a bearer token."""

    api_type = "cohere"
    default_model = "command-r-plus-08-2024"

    def route(self, method: str, path: str, body: Any) -> Optional[bool]:
        if method != "POST" or path.split("?")[0] != "/v2/chat":
            return None
        return bool(isinstance(body, dict) and body.get("stream"))

    def authorized(self, method: str, path: str, headers: dict[str, str]) -> bool:
        return headers.get("authorization", "").removeprefix("Bearer ").strip() == self.api_key

    def error(self, status: int, message: str) -> tuple[bytes, dict[str, str]]:
        return json.dumps({"id": f"error-{status}", "message": message}).encode(), {}

    def _finish(self, answer: Answer) -> str:
        reason = answer.finish_reason or ("tool_calls" if answer.tool_calls else "stop")
        return _FINISH.get(reason, reason)

    def _usage(self, answer: Answer) -> dict[str, Any]:
        counts = {"input_tokens": answer.prompt_tokens, "output_tokens": answer.completion_tokens}
        return {"billed_units": counts, "tokens": counts}

    def _calls(self, answer: Answer) -> list[dict[str, Any]]:
        return [
            {
                "id": c["id"],
                "type": "function",
                "function": {"name": c["name"], "arguments": json.dumps(c["arguments"])},
            }
            for c in answer.tool_calls
        ]

    def render(self, answer: Answer, body: Any) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant"}
        if answer.content:
            message["tool_plan" if answer.tool_calls else "content"] = (
                answer.content if answer.tool_calls else [{"type": "text", "text": answer.content}]
            )
        if answer.tool_calls:
            message["tool_calls"] = self._calls(answer)
        return {
            "id": f"cohere-test-{answer.number}",
            "finish_reason": self._finish(answer),
            "message": message,
            "usage": self._usage(answer),
        }

    def frames(self, answer: Answer, body: Any) -> list[bytes]:
        def event(kind: str, **fields: Any) -> bytes:
            return sse({"type": kind, **fields}, kind)

        start = {"message": {"role": "assistant", "content": [], "tool_plan": "", "tool_calls": [], "citations": []}}
        frames = [event("message-start", id=f"cohere-test-{answer.number}", delta=start)]
        if answer.content and not answer.tool_calls:
            frames.append(event("content-start", index=0, delta={"message": {"content": {"type": "text", "text": ""}}}))
            for piece in answer.text_chunks():
                frames.append(event("content-delta", index=0, delta={"message": {"content": {"text": piece}}}))
            frames.append(event("content-end", index=0))
        elif answer.content:
            frames.append(event("tool-plan-delta", delta={"message": {"tool_plan": answer.content}}))
        for index, call in enumerate(self._calls(answer)):
            args = call["function"]["arguments"]
            half = len(args) // 2
            first = {**call, "function": {"name": call["function"]["name"], "arguments": args[:half]}}
            frames.append(event("tool-call-start", index=index, delta={"message": {"tool_calls": first}}))
            rest = {"function": {"arguments": args[half:]}}
            frames.append(event("tool-call-delta", index=index, delta={"message": {"tool_calls": rest}}))
            frames.append(event("tool-call-end", index=index))
        end = {"finish_reason": self._finish(answer), "usage": self._usage(answer)}
        frames.append(event("message-end", id=f"cohere-test-{answer.number}", delta=end))
        return frames

    def summary(self, body: Any) -> RequestSummary:
        summary = RequestSummary()
        for message in body.get("messages", []):
            role, content = message["role"], message.get("content")
            if role == "system":
                summary.system = content
                continue
            summary.roles.append(role)
            parts = [{"type": "text", "text": content}] if isinstance(content, str) else content or []
            for part in parts:
                if part.get("type") == "text":
                    summary.texts.append(part["text"])
                elif part.get("type") == "image_url":
                    summary.images += 1
            if message.get("tool_plan"):
                summary.texts.append(message["tool_plan"])
            for call in message.get("tool_calls") or []:
                summary.tool_calls.append((call["id"], call["function"]["name"]))
            if role == "tool":
                summary.tool_results.append((message["tool_call_id"], str(content)))
        summary.tools = [tool["function"]["name"] for tool in body.get("tools", [])]
        names = ("temperature", "p", "max_tokens", "stop_sequences", "seed", "tool_choice", "response_format")
        summary.options = {k: body[k] for k in names if k in body}
        return summary
