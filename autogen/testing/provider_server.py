"""The shared machinery of the scripted test servers that speak a model provider's own wire protocol.

A provider's server (:mod:`~autogen.testing.anthropic_server`, :mod:`~autogen.testing.gemini_server`,
:mod:`~autogen.testing.bedrock_server`, :mod:`~autogen.testing.ollama_server`) reuses
:class:`~autogen.testing.openai_server.OpenAITestServer`'s HTTP loop, lifecycle and script, and writes only
its routes, its auth check, its error body and how one answer looks on its wire (whole and streamed).

Replies are scripted as for the OpenAI server: a string (the text), a dict (``content``, ``tool_calls`` as
``[{"name", "arguments", "id"?}]``, ``usage`` as ``{"prompt_tokens", "completion_tokens"}``,
``finish_reason``, ``delay``), :class:`~autogen.testing.openai_server.Fail` (the provider's error body with
that status; ``headers`` such as ``retry-after`` are sent), :class:`~autogen.testing.openai_server.Hang`,
:class:`~autogen.testing.openai_server.BrokenStream` (the first ``after_chunks`` events of a stream, then the
connection drops), or a callable taking the request body. Every request is logged;
:meth:`ProviderTestServer.summary` reads a chat request back into a provider-neutral form, so one test can
check what each provider was sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Optional

from .openai_server import BrokenStream, Fail, Hang, OpenAITestServer, RecordedRequest, Reply, count_tokens

__all__ = ["Answer", "ProviderTestServer", "RequestSummary"]


@dataclass
class Answer:
    """One scripted answer, ready to be written in a provider's format."""

    content: str
    tool_calls: list[dict[str, Any]]
    prompt_tokens: int
    completion_tokens: int
    finish_reason: Optional[str] = None
    model: str = ""
    number: int = 0

    def text_chunks(self, pieces: int = 3) -> list[str]:
        """The text cut into up to ``pieces`` chunks, for streams."""
        step = max(1, len(self.content) // pieces)
        return [self.content[i : i + step] for i in range(0, len(self.content), step)]


@dataclass
class RequestSummary:
    """What a chat request asked, read back from a provider's wire format."""

    system: str = ""
    roles: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    tool_calls: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    tool_results: list[tuple[str, str]] = field(default_factory=list)  # (id or name, content)
    tools: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    images: int = 0


class ProviderTestServer(OpenAITestServer):
    """Base of the provider servers. Args as :class:`OpenAITestServer`; ``api_key`` is the key clients must send."""

    api_type: ClassVar[str] = ""
    default_model: ClassVar[str] = ""
    stream_content_type: ClassVar[str] = "text/event-stream"

    def __init__(
        self,
        replies: Optional[Iterable[Reply]] = None,
        *,
        api_key: Optional[str] = "test-key-0123456789abcdef",
        model: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(replies, api_key=api_key, model=model or self.default_model, **kwargs)
        self.answers: list[Answer] = []

    # ---- what a provider writes -------------------------------------------------------------------
    def route(self, method: str, path: str, body: Any) -> Optional[bool]:
        """None for an unknown route, else whether the request asks for a stream."""
        raise NotImplementedError

    def authorized(self, method: str, path: str, headers: dict[str, str]) -> bool:
        """Whether the request carries :attr:`api_key`."""
        raise NotImplementedError

    def error(self, status: int, message: str) -> tuple[bytes, dict[str, str]]:
        """The error body (and headers) the provider sends with ``status``."""
        raise NotImplementedError

    def auth_error(self) -> tuple[int, bytes, dict[str, str]]:
        """The provider's answer to a wrong key: status, body, headers."""
        return (401, *self.error(401, "invalid api key"))

    def render(self, answer: Answer, body: Any) -> dict[str, Any]:
        """The whole (not streamed) answer body."""
        raise NotImplementedError

    def frames(self, answer: Answer, body: Any) -> list[bytes]:
        """The streamed answer, one byte string per event."""
        raise NotImplementedError

    def summary(self, body: Any) -> RequestSummary:
        """Read a chat request body back (see :class:`RequestSummary`)."""
        raise NotImplementedError

    def stream_type(self, path: str) -> str:
        """The content type of a stream answered on ``path``."""
        return self.stream_content_type

    def model_of(self, path: str, body: Any) -> str:
        """The model a request names."""
        return str((body or {}).get("model") or self.model) if isinstance(body, dict) else self.model

    # ---- scripting -----------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def config_list(self, model: Optional[str] = None, **extra: Any) -> list[dict[str, Any]]:
        """A one-entry ``config_list`` for this provider, pointing at this server."""
        config = {
            "api_type": self.api_type,
            "model": model or self.model,
            "base_url": self.base_url,
            "api_key": self.api_key or "no-key",
        }
        config.update(extra)
        return [config]

    @property
    def chat_requests(self) -> list[Any]:
        """Bodies of the chat requests received, in order."""
        return [r.body for r in self.requests if self.route(r.method, r.path, r.body) is not None]

    def summaries(self) -> list[RequestSummary]:
        """:meth:`summary` of every chat request."""
        return [self.summary(body) for body in self.chat_requests]

    # ---- HTTP ------------------------------------------------------------------------------------
    async def _dispatch(self, method: str, path: str, headers: dict[str, Any], raw: bytes, writer: Any) -> bool:
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        self.requests.append(RecordedRequest(method, path, headers, body))
        stream = self.route(method, path, body)
        if stream is None:
            payload, extra = self.error(404, f"unknown route {method} {path}")
            self._send(writer, 404, payload, extra=extra)
            return True
        if self.api_key is not None and not self.authorized(method, path, headers):
            status, payload, extra = self.auth_error()
            self._send(writer, status, payload, extra=extra)
            return True
        if self.latency:
            await asyncio.sleep(self.latency)
        reply = self._next_reply(body if isinstance(body, dict) else {})
        if isinstance(reply, Fail):
            payload, extra = self.error(reply.status, reply.message)
            self._send(writer, reply.status, payload, extra={**extra, **reply.headers})
            return True
        if isinstance(reply, Hang):
            await asyncio.sleep(reply.seconds)
            return False
        if isinstance(reply, dict) and reply.get("delay"):
            await asyncio.sleep(float(reply["delay"]))
        broken = reply if isinstance(reply, BrokenStream) else None
        answer = self._answer_of({"content": broken.content} if broken else reply, path, body)
        if not stream and broken is None:
            self._send(writer, 200, json.dumps(self.render(answer, body)).encode())
            return True
        frames = self.frames(answer, body)
        frames = frames[: broken.after_chunks] if broken else frames
        chunks = [f"{len(frame):x}\r\n".encode() + frame + b"\r\n" for frame in frames]
        head = f"HTTP/1.1 200 OK\r\ncontent-type: {self.stream_type(path)}\r\ntransfer-encoding: chunked\r\n\r\n"
        end = b"" if broken else b"0\r\n\r\n"
        writer.write(head.encode() + b"".join(chunks) + end)  # one write: no Nagle stalls
        await writer.drain()
        if broken:
            writer.transport.abort()
            return False
        return True

    def _answer_of(self, reply: Reply, path: str, body: Any) -> Answer:
        if isinstance(reply, str):
            reply = {"content": reply}
        if not isinstance(reply, dict):
            raise TypeError(f"{type(self).__name__}: unsupported scripted reply {reply!r}")
        self._ids += 1
        calls = []
        for i, call in enumerate(reply.get("tool_calls") or []):
            args = call.get("arguments", {})
            args = json.loads(args) if isinstance(args, str) else dict(args)
            calls.append(
                {"id": call.get("id", f"call_{self._ids}_{i}_{call['name']}"), "name": call["name"], "arguments": args}
            )
        content = str(reply.get("content") or "")
        usage = reply.get("usage") or {}
        answer = Answer(
            content=content,
            tool_calls=calls,
            prompt_tokens=int(usage.get("prompt_tokens", count_tokens(json.dumps(body)))),
            completion_tokens=int(usage.get("completion_tokens", count_tokens(content + json.dumps(calls)))),
            finish_reason=reply.get("finish_reason"),
            model=self.model_of(path, body),
            number=self._ids,
        )
        self.answers.append(answer)
        return answer


def sse(data: Any, event: Optional[str] = None) -> bytes:
    """One server-sent event carrying ``data`` as JSON."""
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data)}\n\n".encode()
