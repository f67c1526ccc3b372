"""HTTP for the text browser: one GET per page the user (or model) asks for, redirects followed, size and time
capped, private addresses optionally refused."""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import urlsplit

__all__ = ["CLIENT_OPTIONS", "REQUEST_OPTIONS", "Fetched", "Fetcher"]

# request_kwargs keys, as 0.2 passed them to requests.get, mapped onto httpx
REQUEST_OPTIONS = frozenset({"headers", "cookies", "params", "timeout", "auth"})
CLIENT_OPTIONS = frozenset({"verify", "cert", "proxy", "trust_env"})
_DEFAULT_TIMEOUT_S = 30.0
_MAX_REDIRECTS = 10


@dataclass
class Fetched:
    """What a GET brought back: the final URL (after redirects), status, media type, charset and body."""

    url: str
    status: int
    content_type: str
    charset: Optional[str]
    body: bytes
    too_large: bool = False


class Fetcher:
    """A small HTTP client for the browser (httpx underneath).

    Args:
        request_kwargs: ``headers``, ``cookies``, ``params``, ``timeout``, ``auth`` for every request, and
            client options ``verify``, ``cert``, ``proxy``, ``trust_env``.
        max_bytes: the most bytes of a page that are read; a longer page is cut off and marked ``too_large``.
        allow_private_addresses: False refuses every request (redirects included) to a host that resolves to a
            loopback, private, link-local or otherwise non-public address.

    A numeric ``timeout`` bounds each wait (connect, each read) and also the whole page: a server that
    trickles bytes forever is cut off after it.

    Raises:
        ValueError: ``request_kwargs`` has a key that is neither (the message lists the accepted keys).
    """

    def __init__(
        self, request_kwargs: Optional[dict[str, Any]], max_bytes: int, allow_private_addresses: bool = True
    ) -> None:
        import httpx

        options = dict(request_kwargs or {})
        unknown = sorted(set(options) - REQUEST_OPTIONS - CLIENT_OPTIONS)
        if unknown:
            raise ValueError(
                f"request_kwargs has unsupported keys {unknown}; use {sorted(REQUEST_OPTIONS | CLIENT_OPTIONS)}"
            )
        self._request = {k: v for k, v in options.items() if k in REQUEST_OPTIONS}
        client = {k: v for k, v in options.items() if k in CLIENT_OPTIONS}
        timeout = self._request.pop("timeout", _DEFAULT_TIMEOUT_S)
        hooks = {} if allow_private_addresses else {"request": [_refuse_private]}
        self._client = httpx.Client(
            follow_redirects=True, max_redirects=_MAX_REDIRECTS, timeout=timeout, event_hooks=hooks, **client
        )
        self._max_bytes = max_bytes
        self._total_s: Optional[float] = float(timeout) if isinstance(timeout, (int, float)) else None

    def get(self, url: str) -> Fetched:
        """GET ``url``; raises ``httpx.HTTPError`` when no answer comes (refused, timed out, too many redirects)."""
        import httpx

        started = time.monotonic()
        with self._client.stream("GET", url, **self._request) as response:
            chunks: list[bytes] = []
            size = 0
            too_large = False
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size > self._max_bytes:
                    too_large = True
                    break
                if self._total_s is not None and time.monotonic() - started > self._total_s:
                    raise httpx.ReadTimeout(
                        f"the page took longer than {self._total_s:g} s to load (the timeout)", request=response.request
                    )
            media = response.headers.get("content-type", "")
            content_type = media.split(";", 1)[0].strip().lower()
            return Fetched(
                str(response.url),
                response.status_code,
                content_type,
                response.charset_encoding,
                b"".join(chunks)[: self._max_bytes],
                too_large,
            )

    def close(self) -> None:
        self._client.close()


def _refuse_private(request: Any) -> None:
    """httpx request hook: raise ``httpx.ConnectError`` when the request's host is not a public address."""
    import httpx

    host = urlsplit(str(request.url)).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return  # httpx reports the failed lookup itself
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global:
            where = host if host == str(address) else f"{host} ({address})"
            raise httpx.ConnectError(
                f"{where} is a private address; this browser has allow_private_addresses=False", request=request
            )
