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

import zlib
from collections.abc import AsyncIterator
from typing import Any, Optional

import httpx

from .errors import InvalidResponseError, ResponseTooLargeError
from .scrub import is_credential_header

__all__ = ["DEFAULT_MAX_RESPONSE_BYTES", "HttpGuard"]

DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
ACCEPTED_ENCODINGS = "gzip, deflate"
_ORIGIN = "autogen_origin"  # request extension: the origin of the first request of a redirect chain
_CHUNK = 64 * 1024
_GUARDED = "_autogen_http_guard"  # attribute set on a guarded httpx client


def _origin(url: httpx.URL) -> tuple[str, str, Optional[int]]:
    return (url.scheme, url.host, url.port)


class _Inflater:
    """Incremental gzip/deflate decoding that never produces more than it is asked for."""

    def __init__(self, encoding: str) -> None:
        self._raw_deflate = False
        wbits = zlib.MAX_WBITS | 16 if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._d = zlib.decompressobj(wbits)
        self._first = encoding == "deflate"

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._d.decompress(data, limit)
        except zlib.error:
            if not self._first:
                raise
            self._d = zlib.decompressobj(-zlib.MAX_WBITS)  # "deflate" that is raw deflate, as httpx allows
            out = self._d.decompress(data, limit)
        self._first = False
        return out

    @property
    def pending(self) -> bytes:
        return self._d.unconsumed_tail

    def flush(self) -> bytes:
        return self._d.flush()


class _CappedStream(httpx.AsyncByteStream):
    """The response body, decoded here (when compressed) and cut off past ``cap`` bytes."""

    def __init__(self, inner: Any, cap: int, encoding: Optional[str], url: httpx.URL) -> None:
        self._inner = inner
        self._cap = cap
        self._inflater = _Inflater(encoding) if encoding else None
        self._url = url
        self._count = 0

    def _counted(self, data: bytes) -> bytes:
        self._count += len(data)
        if self._count > self._cap:
            raise ResponseTooLargeError(
                f"The answer from {self._url.scheme}://{self._url.host}:{self._url.port or ''} is larger than "
                f"max_response_bytes={self._cap} (decompressed); it was refused. Raise 'max_response_bytes' in "
                "the config if such answers are expected."
            )
        return data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            if self._inflater is None:
                yield self._counted(chunk)
                continue
            data = chunk
            while data:
                # One byte more than is allowed is enough to know the cap is passed.
                out = self._inflater.feed(data, min(_CHUNK, self._cap - self._count + 1))
                if out:
                    yield self._counted(out)
                data = self._inflater.pending
        if self._inflater is not None:
            tail = self._inflater.flush()
            if tail:
                yield self._counted(tail)

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
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if encoding in ("", "identity"):
            response.stream = _CappedStream(response.stream, self.max_response_bytes, None, response.request.url)
            return
        if encoding not in ("gzip", "x-gzip", "deflate"):
            raise InvalidResponseError(
                f"The endpoint answered with content-encoding {encoding!r}; only {ACCEPTED_ENCODINGS} are accepted."
            )
        response.stream = _CappedStream(response.stream, self.max_response_bytes, encoding, response.request.url)
        del response.headers["content-encoding"]  # decoded here: httpx must not decode again
