"""Access token: required on every ``/api/`` request when the Studio listens beyond this machine."""

from __future__ import annotations

import json
import secrets
from http.cookies import SimpleCookie
from typing import Any, Callable, Optional
from urllib.parse import parse_qs, urlsplit

__all__ = ["COOKIE", "LOOPBACK_HOSTS", "SameOriginMiddleware", "TokenMiddleware", "needs_token", "new_token"]

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
    headers = _headers(scope)
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


def _headers(scope: dict[str, Any]) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def cross_origin(scope: dict[str, Any]) -> Optional[str]:
    """Why a request comes from another web page (its ``Origin`` is not this host), or None.

    Browsers send ``Origin`` on websockets and on every cross-origin POST (forms included), and
    ``Sec-Fetch-Site`` on every request; clients that are not browsers send neither.
    """
    headers = _headers(scope)
    site = headers.get("sec-fetch-site", "")
    if site in ("cross-site", "same-site"):
        return f"Sec-Fetch-Site: {site}"
    origin = headers.get("origin")
    if origin is None:
        return None
    if origin == "null" or urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
        return f"Origin {origin}"
    return None


class SameOriginMiddleware:
    """ASGI middleware: ``/api/`` requests and websockets sent by another web page get 403 (websockets: close 4403).

    Without it a page on any site could open a loopback Studio's websocket (read sessions, answer for
    the human) or post a form to its body-less actions (stop, test a model, import).
    """

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        reason = None
        if scope["type"] in ("http", "websocket") and scope.get("path", "").startswith("/api/"):
            reason = cross_origin(scope)
        if reason is None:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4403, "reason": "cross-origin websocket refused"})
            return
        detail = f"refused a request from another web page ({reason}); open the Studio's own URL instead"
        await send({"type": "http.response.start", "status": 403, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": json.dumps({"detail": detail}).encode()})
