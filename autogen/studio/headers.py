"""Security headers on every response: no framing by other sites (clickjacking), no MIME sniffing, and a
content security policy on the UI's pages (scripts only from the Studio itself)."""

from __future__ import annotations

from typing import Any, Callable

__all__ = ["UI_POLICY", "SecurityHeadersMiddleware"]

# the UI: its own module scripts; Pygments' <style> element; the API and websocket of this origin
UI_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_ALWAYS = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]


class SecurityHeadersMiddleware:
    """ASGI middleware adding the headers above (the policy only outside ``/api/``, whose docs page needs a CDN)."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(_ALWAYS)
        if not scope.get("path", "").startswith("/api/"):
            extra.append((b"content-security-policy", UI_POLICY.encode()))

        async def with_headers(message: dict[str, Any]) -> None:
            if message.get("type") == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
