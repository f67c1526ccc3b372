"""Guards on every HTTP exchange with an endpoint: no credentials across origins, no unbounded answers.

Installed as httpx event hooks on the clients the SDK sends through:

* **Redirects.** A redirect to another origin (scheme, host or port) carries no credentials: the
  ``Authorization``, ``api-key`` and other credential headers are removed from the redirected request
  (httpx itself only drops ``Authorization``, so Azure's ``api-key`` would be forwarded).
* **Size.** An answer may be at most ``max_response_bytes`` long, counted after decompression, so a
  small gzip bomb is refused as soon as its output passes the cap, without inflating it in memory.
  Only ``gzip`` and ``deflate`` are asked for and accepted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Optional

import httpx

from .body_limits import ACCEPTED_ENCODINGS, DEFAULT_MAX_RESPONSE_BYTES, BodyLimit, check_encoding
from .errors import InvalidResponseError, ResponseTooLargeError
from .scrub import is_credential_header

__all__ = ["DEFAULT_MAX_RESPONSE_BYTES", "HttpGuard"]

_ORIGIN = "autogen_origin"  # request extension: the origin of the first request of a redirect chain
_GUARDED = "_autogen_http_guard"  # attribute set on a guarded httpx client


def _origin(url: httpx.URL) -> tuple[str, str, Optional[int]]:
    return (url.scheme, url.host, url.port)


class _CappedStream(httpx.AsyncByteStream):
    """The response body, decoded here (when compressed) and cut off past ``cap`` bytes."""

    def __init__(self, inner: Any, cap: int, encoding: Optional[str], url: httpx.URL) -> None:
        self._inner = inner
        self._limit = BodyLimit(cap, encoding, f"{url.scheme}://{url.host}:{url.port or ''}", ResponseTooLargeError)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            for data in self._limit.feed(chunk):
                yield data
        tail = self._limit.finish()
        if tail:
            yield tail

    async def aclose(self) -> None:
        await self._inner.aclose()


class HttpGuard:
    """The event hooks of one httpx client (see the module docstring)."""

    def __init__(self, max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES) -> None:
        self.max_response_bytes = max_response_bytes

    def install(self, http_client: httpx.AsyncClient) -> None:
        """Add the hooks to ``http_client`` (once; a client that has hooks of a guard keeps them)."""
        if getattr(http_client, _GUARDED, None) is not None:
            return
        setattr(http_client, _GUARDED, self)
        hooks = http_client.event_hooks
        http_client.event_hooks = {
            "request": [*hooks.get("request", []), self.on_request],
            "response": [*hooks.get("response", []), self.on_response],
        }

    async def on_request(self, request: httpx.Request) -> None:
        """Stamp the first request's origin; strip credentials from a redirect that leaves it."""
        origin = request.extensions.get(_ORIGIN)
        if origin is None:
            request.extensions[_ORIGIN] = _origin(request.url)
            request.headers["Accept-Encoding"] = ACCEPTED_ENCODINGS
        elif origin != _origin(request.url):
            for name in [name for name in request.headers if is_credential_header(name)]:
                del request.headers[name]

    async def on_response(self, response: httpx.Response) -> None:
        """Cap the body (decoding gzip/deflate here, so the cap counts decompressed bytes)."""
        encoding = check_encoding(response.headers.get("content-encoding", ""), InvalidResponseError)
        response.stream = _CappedStream(response.stream, self.max_response_bytes, encoding, response.request.url)
        if encoding is not None:
            del response.headers["content-encoding"]  # decoded here: httpx must not decode again
