"""A small OpenAI-compatible HTTP server whose replies are scripted.

Tests (ours, and users' tests of their own agents) talk to it over real HTTP through the
official ``openai`` client, so every request goes through the real client stack. Only the
model's words are scripted.

Examples:
    >>> with OpenAITestServer(["Hello!", "TERMINATE"]) as server:
    ...     config_list = server.config_list()
    ...     # run agents with llm_config={"config_list": config_list}
    ...     server.chat_requests[0]["messages"]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import threading
import time
import zlib
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Optional, Union

from ._images import ImageRequestError, images_response

__all__ = [
    "DIALECTS",
    "BrokenStream",
    "Dialect",
    "EndlessStream",
    "Fail",
    "Garbage",
    "GzipBomb",
    "Hang",
    "OpenAITestServer",
    "RecordedRequest",
    "Redirect",
    "Reply",
    "StreamUsage",
    "Trickle",
    "count_tokens",
]


@dataclass
class Fail:
    """Answer with an HTTP error, shaped like OpenAI's error body."""

    status: int = 500
    message: str = "injected server error"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Garbage:
    """Answer 200 with a body that is not JSON."""

    body: str = "<html>this is not json"


@dataclass
class Hang:
    """Never answer (for ``seconds``), so the client's timeout fires."""

    seconds: float = 3600.0


@dataclass
class BrokenStream:
    """Start a streamed answer, then drop the connection after ``after_chunks`` chunks."""

    content: str = "This stream will break in the middle"
    after_chunks: int = 2


@dataclass
class Redirect:
    """Answer with a redirect (``status``, default 307: same method and body) to ``location``."""

    location: str
    status: int = 307


@dataclass
class Trickle:
    """Answer 200 with ``body`` (default: a valid completion), sent one byte every ``interval`` seconds."""

    body: Optional[str] = None
    interval: float = 1.0


@dataclass
class EndlessStream:
    """Start a streamed answer and never finish it: a content chunk every ``interval`` seconds."""

    interval: float = 0.01
    chunk: str = "more "


@dataclass
class GzipBomb:
    """Answer 200 with ``content-encoding: gzip``: ``size`` bytes of spaces, compressed (about 1000:1)."""

    size: int = 64 * 1024 * 1024


Reply = Union[
    str,
    dict[str, Any],
    Fail,
    Garbage,
    Hang,
    BrokenStream,
    Redirect,
    Trickle,
    EndlessStream,
    GzipBomb,
    Callable[[dict[str, Any]], Any],
]
_FAULTS = (Fail, Garbage, Hang, BrokenStream, Redirect, Trickle, EndlessStream, GzipBomb)

StreamUsage = Literal["asked", "last_chunk", "x_groq"]


@dataclass(frozen=True)
class Dialect:
    """How an OpenAI-like provider's chat differs on the wire.

    ``usage_at``: where a stream carries usage: ``"asked"``, a usage-only chunk when
    ``stream_options.include_usage`` is set (OpenAI); ``"last_chunk"``, on the chunk with the finish
    reason (Mistral, Together); ``"x_groq"``, in that chunk's ``x_groq.usage`` (Groq). ``path``: what its
    SDK appends to the server's root URL. ``whole_tool_calls``: a stream sends each tool call whole, in one
    chunk, every one with ``index`` 0 (Mistral), instead of in pieces.
    """

    usage_at: StreamUsage = "asked"
    path: str = "/v1"
    whole_tool_calls: bool = False


DIALECTS: dict[str, Dialect] = {
    "openai": Dialect(),
    "mistral": Dialect("last_chunk", whole_tool_calls=True),
    "together": Dialect("last_chunk"),
    "groq": Dialect("x_groq", "/openai/v1"),
}


@dataclass
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


def count_tokens(text: str) -> int:
    """The server's deterministic token count: one token per 4 characters, at least 1."""
    return max(1, (len(text) + 3) // 4)


def _prompt_tokens(body: dict[str, Any]) -> int:
    if "prompt" in body:
        prompt = body["prompt"]
        return count_tokens(prompt if isinstance(prompt, str) else json.dumps(prompt))
    total = 0
    for message in body.get("messages", []):
        content = message.get("content")
        text = content if isinstance(content, str) else json.dumps(content) if content else ""
        total += count_tokens(text) + 3
    if body.get("tools"):
        total += count_tokens(json.dumps(body["tools"]))
    return total


class OpenAITestServer:
    """An OpenAI-compatible server on 127.0.0.1 with scripted replies.

    ``POST /v1/images/generations`` answers with real PNGs drawn from the prompt (honouring ``size``,
    ``n`` and ``response_format``; ``url`` answers point at ``/images/files/...`` on this server), or
    with the faults of :meth:`script_images`; :attr:`image_requests` lists the bodies received.

    Args:
        replies: replies to give, in order, one per completion request. Each is a string (the
            assistant's text), a dict (``content``, ``tool_calls`` as ``[{"name", "arguments"}]``,
            ``function_call``, ``finish_reason``, ``usage``, ``delay``), one of :class:`Fail`,
            :class:`Garbage`, :class:`Hang`, :class:`BrokenStream`, :class:`Redirect`, :class:`Trickle`,
            :class:`EndlessStream`, :class:`GzipBomb`, or a callable that takes the request body and
            returns any of these.
        default_reply: used when the script is empty; by default an HTTP 500 saying so.
        latency: seconds to wait before every completion answer.
        api_key: the key clients must send (``Authorization: Bearer`` or ``api-key``); None accepts any.
        port: 0 picks a free port.
        dialect: ``"openai"``, or the OpenAI-like provider to imitate (``"mistral"``, ``"groq"``,
            ``"together"``; see :data:`DIALECTS`): where streams carry usage, the URL path, and the
            ``api_type`` of :meth:`config_list`.
    """

    def __init__(
        self,
        replies: Optional[Iterable[Reply]] = None,
        *,
        default_reply: Optional[Reply] = None,
        latency: float = 0.0,
        api_key: Optional[str] = "sk-test-0123456789abcdef0123456789abcdef",
        host: str = "127.0.0.1",
        port: int = 0,
        model: str = "gpt-4o-mini",
        dialect: str = "openai",
    ) -> None:
        if dialect not in DIALECTS:
            raise ValueError(f"dialect must be one of {sorted(DIALECTS)}, got {dialect!r}")
        self.dialect = dialect
        self._script: deque[Reply] = deque(replies or [])
        self.default_reply = default_reply
        self.latency = latency
        self.api_key = api_key
        self.host = host
        self.port = port
        self.model = model
        self.requests: list[RecordedRequest] = []
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._server: Optional[asyncio.AbstractServer] = None
        self._thread: Optional[threading.Thread] = None
        self._lock = threading.Lock()
        self._ids = 0
        self._image_script: deque[Optional[Reply]] = deque()
        self._image_files: dict[str, bytes] = {}

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self) -> OpenAITestServer:
        """Start serving on a background thread; returns self."""
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True, name="openai-test-server")
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("OpenAITestServer did not start within 10 s")
        return self

    def stop(self) -> None:
        """Stop serving and join the thread."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        self._thread = None

    def __enter__(self) -> OpenAITestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        self._server = loop.run_until_complete(
            asyncio.start_server(self._handle, self.host, self.port, backlog=1024, reuse_address=True)
        )
        self._writers: set[asyncio.StreamWriter] = set()
        self.port = self._server.sockets[0].getsockname()[1]
        ready.set()
        try:
            loop.run_forever()
        finally:
            self._server.close()
            for writer in list(self._writers):  # handlers then end on their own, nothing is cancelled
                writer.transport.abort()
            pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for task in pending:  # a Hang still sleeping; _handle ends quietly when cancelled
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.wait(pending, timeout=1))
            loop.close()

    # ---- scripting ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}{DIALECTS[self.dialect].path}"

    def config_list(self, model: Optional[str] = None, **extra: Any) -> list[dict[str, Any]]:
        """A one-entry ``config_list`` that points at this server (with the dialect's ``api_type``)."""
        config = {"model": model or self.model, "base_url": self.base_url, "api_key": self.api_key or "sk-none"}
        if self.dialect != "openai":
            config["api_type"] = self.dialect
        config.update(extra)
        return [config]

    def script(self, *replies: Reply) -> None:
        """Append replies to the script."""
        with self._lock:
            self._script.extend(replies)

    @property
    def pending(self) -> int:
        """How many scripted replies are left."""
        return len(self._script)

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """Bodies of the completion requests received, in order."""
        return [r.body for r in self.requests if r.path.split("?")[0].endswith("completions")]

    @property
    def image_requests(self) -> list[dict[str, Any]]:
        """Bodies of the ``/images/generations`` requests received, in order."""
        return [r.body for r in self.requests if r.path.split("?")[0].endswith("/images/generations")]

    def script_images(self, *replies: Optional[Reply]) -> None:
        """Append answers for the next image requests: None draws the image, a fault (:class:`Fail`, ...) is sent."""
        with self._lock:
            self._image_script.extend(replies)

    def reset(self) -> None:
        """Forget the script and the request log."""
        with self._lock:
            self._script.clear()
            self._image_script.clear()
            self.requests.clear()

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            reply: Optional[Reply] = self._script.popleft() if self._script else self.default_reply
        if reply is None:
            return Fail(500, "OpenAITestServer: no scripted reply left")
        while callable(reply) and not isinstance(reply, _FAULTS):
            reply = reply(body)
        return reply

    # ---- HTTP ------------------------------------------------------------------------------------
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._writers.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                length = int(headers.get("content-length", "0"))
                raw = await reader.readexactly(length) if length else b""
                keep_open = await self._dispatch(method, path, headers, raw, writer)
                if not keep_open or headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, asyncio.CancelledError):
            pass  # client went away, or the server is stopping
        finally:
            self._writers.discard(writer)
            writer.close()

    @staticmethod
    def _send(
        writer: asyncio.StreamWriter,
        status: int,
        payload: bytes,
        ctype: str = "application/json",
        extra: Optional[dict[str, str]] = None,
    ) -> None:
        head = [f"HTTP/1.1 {status} X", f"content-type: {ctype}", f"content-length: {len(payload)}"]
        head += [f"{k}: {v}" for k, v in (extra or {}).items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)  # one write: no Nagle stalls

    async def _dispatch(
        self, method: str, path: str, headers: dict[str, Any], raw: bytes, writer: asyncio.StreamWriter
    ) -> bool:
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        self.requests.append(RecordedRequest(method, path, headers, body))
        if method == "GET" and path.startswith("/images/files/"):  # like a signed blob URL: no key needed
            return self._send_image_file(path, writer)
        if self.api_key is not None:
            sent = headers.get("authorization", "").removeprefix("Bearer ").strip() or headers.get("api-key", "")
            if sent != self.api_key:
                self._send(writer, 401, self._error_json(401, "Incorrect API key provided."))
                return True
        if method == "GET" and path.rstrip("/").endswith("/models"):
            data = {"object": "list", "data": [{"id": self.model, "object": "model", "owned_by": "test"}]}
            self._send(writer, 200, json.dumps(data).encode())
            return True
        if method == "POST" and path.split("?")[0].endswith("/images/generations"):
            return await self._answer_images(body, writer)
        if method != "POST" or not self._is_chat_route(path) or not isinstance(body, dict):
            self._send(writer, 404, self._error_json(404, f"unknown route {method} {path}"))
            return True
        if self.latency:
            await asyncio.sleep(self.latency)
        reply = self._next_reply(body)
        return await self._answer(reply, body, writer)

    async def _answer(self, reply: Reply, body: dict[str, Any], writer: asyncio.StreamWriter) -> bool:
        if isinstance(reply, Fail):
            self._send(writer, reply.status, self._error_json(reply.status, reply.message), extra=reply.headers)
            return True
        if isinstance(reply, Garbage):
            self._send(writer, 200, reply.body.encode())
            return True
        if isinstance(reply, Hang):
            await asyncio.sleep(reply.seconds)
            return False
        if isinstance(reply, Redirect):
            self._send(writer, reply.status, b"", extra={"location": reply.location})
            return True
        if isinstance(reply, GzipBomb):
            self._send(writer, 200, _gzip_of_spaces(reply.size), extra={"content-encoding": "gzip"})
            return True
        if isinstance(reply, Trickle):
            await self._trickle(reply, body, writer)
            return False
        if isinstance(reply, EndlessStream):
            await self._endless_stream(reply, body, writer)
            return False
        if isinstance(reply, str):
            reply = {"content": reply}
        if not isinstance(reply, dict) and not isinstance(reply, BrokenStream):
            raise TypeError(f"OpenAITestServer: unsupported scripted reply {reply!r}")
        if isinstance(reply, dict) and reply.get("delay"):
            await asyncio.sleep(float(reply["delay"]))
        self._ids += 1
        completion_id = f"chatcmpl-test-{self._ids}"
        model = body.get("model", self.model)
        if isinstance(reply, BrokenStream) or body.get("stream"):
            await self._stream(reply, body, completion_id, model, writer)
            return not isinstance(reply, BrokenStream)
        self._send(writer, 200, json.dumps(self._completion_json(reply, body, completion_id, model)).encode())
        return True

    # ---- images ----------------------------------------------------------------------------------------
    async def _answer_images(self, body: Any, writer: asyncio.StreamWriter) -> bool:
        with self._lock:
            scripted = self._image_script.popleft() if self._image_script else None
        if scripted is not None:
            return await self._answer(scripted, body if isinstance(body, dict) else {}, writer)
        try:
            answer = images_response(body, self._keep_image_file)
        except ImageRequestError as exc:
            self._send(writer, 400, self._error_json(400, str(exc)))
            return True
        self._send(writer, 200, json.dumps(answer).encode())
        return True

    def _keep_image_file(self, png: bytes) -> str:
        with self._lock:
            name = f"img-{len(self._image_files) + 1}.png"
            self._image_files[name] = png
        return f"http://{self.host}:{self.port}/images/files/{name}"

    def _send_image_file(self, path: str, writer: asyncio.StreamWriter) -> bool:
        png = self._image_files.get(path.split("?")[0].rsplit("/", 1)[-1])
        if png is None:
            self._send(writer, 404, self._error_json(404, f"no image at {path}"))
        else:
            self._send(writer, 200, png, ctype="image/png")
        return True

    # ---- the wire format (a server for another protocol overrides these) -------------------------------
    def _is_chat_route(self, path: str) -> bool:
        """Whether ``path`` is the chat (or legacy completion) endpoint."""
        return path.split("?")[0].endswith("completions")

    def _error_json(self, status: int, message: str) -> bytes:
        """The body of an HTTP error answer."""
        code = {401: "invalid_api_key", 404: "not_found", 429: "rate_limit_exceeded", 400: "invalid_request_error"}
        return _error_body(status, message, code.get(status, "server_error"))

    def _completion_json(self, reply: dict[str, Any], body: dict[str, Any], reply_id: str, model: str) -> Any:
        """The JSON of a complete (not streamed) answer."""
        return _completion(reply, body, reply_id, model)

    def _stream_frames(self, reply: dict[str, Any], body: dict[str, Any], reply_id: str, model: str) -> list[bytes]:
        """The server-sent events of a streamed answer, one frame each, without the closing one."""
        events = _stream_events(reply, body, reply_id, model, DIALECTS[self.dialect])
        return [f"data: {json.dumps(event)}\n\n".encode() for event in events]

    def _stream_end(self) -> bytes:
        """The frame that closes a stream."""
        return b"data: [DONE]\n\n"

    async def _stream(
        self,
        reply: Union[dict[str, Any], BrokenStream],
        body: dict[str, Any],
        completion_id: str,
        model: str,
        writer: asyncio.StreamWriter,
    ) -> None:
        if isinstance(reply, BrokenStream):
            frames = self._stream_frames({"content": reply.content}, body, completion_id, model)[: reply.after_chunks]
        else:
            frames = self._stream_frames(reply, body, completion_id, model)
        head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
        writer.write(head.encode())
        for data in frames:
            writer.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            await writer.drain()
        if isinstance(reply, BrokenStream):
            await writer.drain()
            writer.transport.abort()
            return
        done = self._stream_end()
        writer.write((f"{len(done):x}\r\n".encode() + done + b"\r\n" if done else b"") + b"0\r\n\r\n")
        await writer.drain()

    async def _trickle(self, reply: Trickle, body: dict[str, Any], writer: asyncio.StreamWriter) -> None:
        text = reply.body
        if text is None:
            text = json.dumps(
                self._completion_json({"content": "slow"}, body, "chatcmpl-trickle", body.get("model", self.model))
            )
        payload = text.encode()
        head = f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(payload)}\r\n\r\n"
        writer.write(head.encode())
        for i in range(len(payload)):
            await writer.drain()
            await asyncio.sleep(reply.interval)
            writer.write(payload[i : i + 1])

    async def _endless_stream(self, reply: EndlessStream, body: dict[str, Any], writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
        data = self._stream_frames({"content": reply.chunk}, body, "chatcmpl-endless", body.get("model", self.model))[1]
        chunk = f"{len(data):x}\r\n".encode() + data + b"\r\n"
        while True:
            writer.write(chunk)
            await writer.drain()
            await asyncio.sleep(reply.interval)


def _gzip_of_spaces(size: int) -> bytes:
    """``size`` spaces in one gzip stream, compressed block by block (never all in memory)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b" " * (1024 * 1024)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    parts.append(packer.compress(b" " * (size % len(block))))
    parts.append(packer.flush())
    return b"".join(parts)


def _error_body(status: int, message: str, code: str) -> bytes:
    kind = "invalid_request_error" if status < 500 else "server_error"
    return json.dumps({"error": {"message": message, "type": kind, "param": None, "code": code}}).encode()


def _tool_calls(reply: dict[str, Any]) -> list[dict[str, Any]]:
    calls = []
    for i, call in enumerate(reply.get("tool_calls") or []):
        args = call.get("arguments", {})
        calls.append(
            {
                "id": call.get("id", f"call_{i}_{call['name']}"),
                "type": "function",
                "function": {"name": call["name"], "arguments": args if isinstance(args, str) else json.dumps(args)},
            }
        )
    return calls


def _usage(reply: dict[str, Any], body: dict[str, Any], text: str) -> dict[str, Any]:
    if "usage" in reply:
        return dict(reply["usage"])
    prompt = _prompt_tokens(body)
    completion = count_tokens(text) if text else 1
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _completion(reply: dict[str, Any], body: dict[str, Any], completion_id: str, model: str) -> dict[str, Any]:
    content = reply.get("content")
    tool_calls = _tool_calls(reply)
    function_call = reply.get("function_call")
    if function_call is not None and not isinstance(function_call.get("arguments", ""), str):
        function_call = {"name": function_call["name"], "arguments": json.dumps(function_call["arguments"])}
    finish = reply.get("finish_reason") or (
        "tool_calls" if tool_calls else "function_call" if function_call else "stop"
    )
    calls = tool_calls or function_call
    text_for_usage = (content or "") + (json.dumps(calls) if calls else "")
    if "prompt" in body:  # legacy completions endpoint
        return {
            "id": completion_id,
            "object": "text_completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "text": content or "", "finish_reason": finish, "logprobs": None}],
            "usage": _usage(reply, body, content or ""),
        }
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    if function_call:
        message["function_call"] = function_call
    n = int(body.get("n") or 1)
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": i, "message": message, "finish_reason": finish, "logprobs": None} for i in range(n)],
        "usage": _usage(reply, body, text_for_usage),
    }


def _stream_events(
    reply: dict[str, Any], body: dict[str, Any], completion_id: str, model: str, dialect: Dialect = DIALECTS["openai"]
) -> list[dict[str, Any]]:
    created = int(time.time())

    def chunk(delta: dict[str, Any], finish: Optional[str] = None) -> dict[str, Any]:
        return {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
        }

    events = [chunk({"role": "assistant", "content": ""})]
    content = reply.get("content") or ""
    step = max(1, len(content) // 3)
    for start in range(0, len(content), step):
        events.append(chunk({"content": content[start : start + step]}))
    tool_calls = _tool_calls(reply)
    for i, call in enumerate(tool_calls):
        if dialect.whole_tool_calls:
            events.append(chunk({"tool_calls": [{**call, "index": 0}]}))
            continue
        args = call["function"]["arguments"]
        half = len(args) // 2
        first = {
            "index": i,
            "id": call["id"],
            "type": "function",
            "function": {"name": call["function"]["name"], "arguments": args[:half]},
        }
        events.append(chunk({"tool_calls": [first]}))
        events.append(chunk({"tool_calls": [{"index": i, "function": {"arguments": args[half:]}}]}))
    events.append(chunk({}, reply.get("finish_reason") or ("tool_calls" if tool_calls else "stop")))
    usage = _usage(reply, body, content + (json.dumps(tool_calls) if tool_calls else ""))
    if dialect.usage_at == "last_chunk":
        events[-1]["usage"] = usage
    elif dialect.usage_at == "x_groq":
        events[-1]["x_groq"] = {"id": completion_id, "usage": usage}
    elif (body.get("stream_options") or {}).get("include_usage"):
        usage_chunk = chunk({})
        usage_chunk["choices"] = []
        usage_chunk["usage"] = usage
        events.append(usage_chunk)
    return events


def main(argv: Optional[list[str]] = None) -> None:
    """Run the server in the foreground: ``python -m autogen.testing.openai_server``."""
    parser = argparse.ArgumentParser(description="OpenAI-compatible test server with fixed replies.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before every answer")
    parser.add_argument("--reply-chars", type=int, default=200, help="length of the default reply")
    parser.add_argument("--api-key", default=None, help="require this key (default: accept any)")
    args = parser.parse_args(argv)
    text = ("The quick brown fox jumps over the lazy dog. " * (args.reply_chars // 45 + 1))[: args.reply_chars]
    server = OpenAITestServer(default_reply=text, latency=args.latency, api_key=args.api_key, port=args.port)
    server.start()
    print(f"serving on {server.base_url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
