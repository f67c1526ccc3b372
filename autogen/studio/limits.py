"""A cap on the size of request bodies: a 100 MB task or skill is a clear 413, not a memory blow-up."""

from __future__ import annotations

import json
from typing import Any, Callable

__all__ = ["MAX_BODY_BYTES", "BodyLimitMiddleware"]

MAX_BODY_BYTES = 4 * 1024 * 1024
"""The largest request body the Studio reads (tasks, skills, team files are far smaller)."""


class BodyLimitMiddleware:
    """ASGI middleware: an HTTP body over ``max_bytes`` (declared or streamed) gets 413 before it is all read."""

    def __init__(self, app: Callable[..., Any], max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = refused = False

        async def counting_receive() -> Any:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not started:
                    refused = True  # answer 413 now; the app sees the client gone and its answer is dropped
                    await self._refuse(send)
                    return {"type": "http.disconnect"}
            return message

        async def watching_send(message: dict[str, Any]) -> None:
            nonlocal started
            if refused:
                return
            started = started or message.get("type") == "http.response.start"
            await send(message)

        await self.app(scope, counting_receive, watching_send)

    async def _refuse(self, send: Callable[..., Any]) -> None:
        detail = f"the request body is larger than {self.max_bytes} bytes; send a smaller task, skill or file"
        await send({"type": "http.response.start", "status": 413, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": json.dumps({"detail": detail}).encode()})
