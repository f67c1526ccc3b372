"""One pooled async HTTP client per event loop and HTTP library, lent to the provider SDKs.

A provider SDK client built per config would own a connection pool; when the config's client is
dropped, its pooled sockets would be left open (and reported unclosed). The SDKs are given this
shared client instead (``httpx`` for most, ``httpx2`` for anthropic, which is built on it; ollama, which
makes its own client, gets the pool as its transport), so connections are reused across configs and agents, and
closed with the loop: the engine's loops at exit (``on_kept_loop_close``), or by
:func:`aclose_provider_http_clients`. Redirects are not followed (a key must not travel to another host);
``httpx`` answers are capped at ``DEFAULT_MAX_RESPONSE_BYTES`` after decompression (:mod:`.http_guard`).
"""

from __future__ import annotations

import asyncio
import importlib
import threading
import weakref
from typing import Any

from .._sync import on_kept_loop_close
from .http_guard import DEFAULT_MAX_RESPONSE_BYTES, HttpGuard

__all__ = ["aclose_provider_http_clients", "provider_http_client", "provider_http_transport"]

# loop -> library name -> (client, transport)
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, tuple[Any, Any]]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _pooled(library: str) -> tuple[Any, Any]:
    module = importlib.import_module(library)
    loop = asyncio.get_running_loop()
    with _lock:
        per_loop = _clients.setdefault(loop, {})
        pooled = per_loop.get(library)
        if pooled is None or pooled[0].is_closed:
            transport = module.AsyncHTTPTransport()
            client = module.AsyncClient(transport=transport, follow_redirects=False, timeout=None)
            if library == "httpx":  # answers capped after decompression, as the openai endpoints' are
                HttpGuard(DEFAULT_MAX_RESPONSE_BYTES).install(client)
            pooled = per_loop[library] = (client, transport)
    return pooled


def provider_http_client(library: str = "httpx") -> Any:
    """The ``AsyncClient`` of ``library`` (``"httpx"`` or ``"httpx2"``) for the running loop (made on first use)."""
    return _pooled(library)[0]


def provider_http_transport(library: str = "httpx") -> Any:
    """The connection pool under :func:`provider_http_client`, for an SDK that makes its own client around one."""
    return _pooled(library)[1]


async def aclose_provider_http_clients() -> None:
    """Close the running loop's clients (done for the engine's loops at exit)."""
    with _lock:
        pooled = _clients.pop(asyncio.get_running_loop(), {})
    for client, _ in pooled.values():
        await client.aclose()


on_kept_loop_close(aclose_provider_http_clients)
