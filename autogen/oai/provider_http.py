"""One pooled ``httpx.AsyncClient`` per event loop, lent to the provider SDKs.

A provider SDK client built per config would own a connection pool; when the config's client is
dropped, its pooled sockets would be left open (and reported unclosed). The SDKs are given this
shared client instead (every SDK used here takes one), so connections are reused across configs and
agents, and closed with the loop: the engine's loops at exit (``on_kept_loop_close``), or by
:func:`aclose_provider_http_clients`. Redirects are not followed (a key must not travel to another host).
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from typing import Any

from .._sync import on_kept_loop_close

__all__ = ["aclose_provider_http_clients", "provider_http_client"]

_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def provider_http_client() -> Any:
    """The ``httpx.AsyncClient`` of the running event loop (made on first use)."""
    import httpx

    loop = asyncio.get_running_loop()
    with _lock:
        client = _clients.get(loop)
        if client is None or client.is_closed:
            client = _clients[loop] = httpx.AsyncClient(follow_redirects=False, timeout=None)
    return client


async def aclose_provider_http_clients() -> None:
    """Close the running loop's client (done for the engine's loops at exit)."""
    with _lock:
        client = _clients.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()


on_kept_loop_close(aclose_provider_http_clients)
