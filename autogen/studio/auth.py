"""Access token: required on every ``/api/`` request when the Studio listens beyond this machine."""

from __future__ import annotations

import json
import secrets
from http.cookies import SimpleCookie
from typing import Any, Callable, Optional
from urllib.parse import parse_qs

__all__ = ["COOKIE", "LOOPBACK_HOSTS", "TokenMiddleware", "needs_token", "new_token"]

COOKIE = "studio_token"
# Host names a loopback-only Studio answers to (Starlette compares the Host header without its port)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def needs_token(host: str) -> bool:
    """True unless ``host`` is a loopback address."""
    return host not in LOOPBACK_HOSTS and not host.startswith("127.")


def new_token() -> str:
    """A random access token."""
    return secrets.token_urlsafe(24)


def _given_token(scope: dict[str, Any]) -> Optional[str]:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header: no token from it
        cookie = SimpleCookie()
    if COOKIE in cookie:
        return cookie[COOKIE].value
    if scope["type"] == "websocket":
        values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
        return values[0] if values else None
    return None


class TokenMiddleware:
    """ASGI middleware: ``/api/`` requests and websockets without the right token get 401 (websockets: close 4401)."""

    def __init__(self, app: Callable[..., Any], token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] not in ("http", "websocket") or not scope.get("path", "").startswith("/api/"):
            await self.app(scope, receive, send)
            return
        given = _given_token(scope)
        if given is not None and secrets.compare_digest(given.encode(), self.token.encode()):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4401, "reason": "missing or wrong access token"})
            return
        body = json.dumps(
            {"detail": "missing or wrong access token: open the URL `autogen studio` printed (it has ?token=...)"}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")],
            }
        )
        await send({"type": "http.response.body", "body": body})
