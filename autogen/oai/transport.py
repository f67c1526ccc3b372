"""Shared openai SDK clients: one per (event loop, endpoint, credentials, client options).

Building an SDK client creates an HTTP connection pool and loads the CA bundle (tens of ms and most of
a megabyte). Clients are created on first use and shared by every wrapper and agent that talks to the
same endpoint with the same key, so a thousand agents with one ``llm_config`` share one pool per loop.
A client is bound to the event loop it was created on, hence one per loop; the entries go away with
their loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import weakref
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from typing import Any

from .._sync import on_kept_loop_close

__all__ = ["EndpointKey", "aclose_shared_clients", "endpoint_key", "leased_client", "shared_client"]

EndpointKey = tuple[Hashable, ...]

_Loop = asyncio.AbstractEventLoop
_pools: weakref.WeakKeyDictionary[_Loop, dict[EndpointKey, _EndpointClients]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _hashable(value: Any) -> Hashable:
    if isinstance(value, dict):
        return tuple(sorted((str(k), _hashable(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    return ("id", id(value))  # objects (http clients, token providers) are shared only if they are the same


def endpoint_key(azure: bool, client_kwargs: dict[str, Any]) -> EndpointKey:
    """A key that is equal for equal client options; secrets enter it only as a hash."""
    items: list[tuple[str, Hashable]] = []
    for name, value in sorted(client_kwargs.items()):
        if name in ("api_key", "azure_ad_token") and isinstance(value, str):
            value = hashlib.sha256(value.encode()).hexdigest()
        items.append((name, _hashable(value)))
    return (azure, *items)


# httpcore's connection pool scans every pooled connection on each request, so one client serving
# 100 concurrent requests spends ~10 ms CPU per call in that scan (bench scenario 5). An endpoint
# therefore gets more SDK clients, added only while all of its clients are busy.
REQUESTS_PER_CLIENT = 8
MAX_CLIENTS_PER_ENDPOINT = 16


class _EndpointClients:
    """The SDK clients of one endpoint on one loop, and how many requests each has in flight."""

    __slots__ = ("clients", "in_flight")

    def __init__(self) -> None:
        self.clients: list[Any] = []
        self.in_flight: list[int] = []

    def add(self, azure: bool, client_kwargs: dict[str, Any]) -> int:
        """Build one more client for this endpoint and return its index."""
        self.clients.append(_build(azure, client_kwargs))
        self.in_flight.append(0)
        return len(self.clients) - 1

    def acquire(self, azure: bool, client_kwargs: dict[str, Any]) -> int:
        for index, busy in enumerate(self.in_flight):
            if busy < REQUESTS_PER_CLIENT:
                self.in_flight[index] += 1
                return index
        if len(self.clients) < MAX_CLIENTS_PER_ENDPOINT:
            index = self.add(azure, client_kwargs)
            self.in_flight[index] += 1
            return index
        index = min(range(len(self.in_flight)), key=self.in_flight.__getitem__)
        self.in_flight[index] += 1
        return index


def _endpoint_clients(key: EndpointKey) -> _EndpointClients:
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    entry = pool.get(key) if pool is not None else None
    if entry is None:
        with _lock:
            entry = _pools.setdefault(loop, {}).setdefault(key, _EndpointClients())
    return entry


def shared_client(key: EndpointKey, azure: bool, client_kwargs: dict[str, Any]) -> Any:
    """The first SDK client (``AsyncOpenAI``/``AsyncAzureOpenAI``) for ``key`` on the running loop.

    Retries are ours (see :mod:`autogen.oai.retry`), so the SDK's are off.
    """
    entry = _endpoint_clients(key)
    if not entry.clients:
        entry.add(azure, client_kwargs)
    return entry.clients[0]


@asynccontextmanager
async def leased_client(key: EndpointKey, azure: bool, client_kwargs: dict[str, Any]) -> AsyncIterator[Any]:
    """Lend an SDK client of ``key``'s endpoint for one request, preferring one that is not busy."""
    entry = _endpoint_clients(key)
    index = entry.acquire(azure, client_kwargs)
    try:
        yield entry.clients[index]
    finally:
        entry.in_flight[index] -= 1


_ssl_context: Any = None


def _shared_ssl_context() -> Any:
    """One TLS context (CA bundle loaded once, ~30 ms) for every client this process builds."""
    global _ssl_context
    if _ssl_context is None:
        import httpx

        with _lock:
            if _ssl_context is None:
                _ssl_context = httpx.create_ssl_context()  # certifi, or SSL_CERT_FILE/SSL_CERT_DIR
    return _ssl_context


def _build(azure: bool, client_kwargs: dict[str, Any]) -> Any:
    import openai

    kwargs = {**client_kwargs, "max_retries": 0}
    if kwargs.get("http_client") is None:  # the SDK's own defaults (timeouts, limits), with the shared TLS context
        kwargs["http_client"] = openai.DefaultAsyncHttpxClient(verify=_shared_ssl_context())
    if azure:
        return openai.AsyncAzureOpenAI(**kwargs)
    return openai.AsyncOpenAI(**kwargs)


async def aclose_shared_clients() -> None:
    """Close the shared clients of the running loop (call before closing a loop you created)."""
    loop = asyncio.get_running_loop()
    with _lock:
        pool = _pools.pop(loop, {})
    for entry in pool.values():
        for client in entry.clients:
            await client.close()


on_kept_loop_close(aclose_shared_clients)  # the sync facade's loops close their pools at exit


def shared_client_count() -> int:
    """How many SDK clients exist on the running loop, over all endpoints (for tests and diagnostics)."""
    return sum(len(entry.clients) for entry in _pools.get(asyncio.get_running_loop(), {}).values())
