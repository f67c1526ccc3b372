"""Shared HTTP clients: one set per (event loop, endpoint, credentials, client options).

An endpoint's plain chat requests go through one aiohttp session (:mod:`autogen.oai.direct`); what needs
the SDK (streams, Azure, a user's ``http_client``) goes through its SDK clients.

Building an SDK client creates an HTTP connection pool and loads the CA bundle (tens of ms and most of
a megabyte). Clients are created on first use and shared by every wrapper and agent that talks to the
same endpoint with the same key, so a thousand agents with one ``llm_config`` share one pool per loop.
A client is bound to the event loop it was created on, hence one per loop. When a loop is closed
(``asyncio.run`` returning, the sync facade's loops at exit) its clients are closed first, so a
program that runs ``asyncio.run(...)`` once per request keeps no sockets of finished loops. An
``http_client`` the user passes in is theirs: it is never closed here, and using it from a second
event loop is refused with an error that says why (it would fail with a misleading connection error).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import threading
import weakref
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Optional

from .._sync import on_kept_loop_close
from .body_limits import DEFAULT_MAX_RESPONSE_BYTES

__all__ = [
    "Endpoint",
    "EndpointKey",
    "aclose_shared_clients",
    "endpoint_key",
    "leased_client",
    "shared_client",
    "shared_session",
]

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


@dataclass(frozen=True)
class Endpoint:
    """What the SDK clients of one config are built from: Azure or not, the SDK options, the size cap."""

    azure: bool
    client_kwargs: dict[str, Any]
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    key: EndpointKey = field(init=False)

    def __post_init__(self) -> None:
        key = (*endpoint_key(self.azure, self.client_kwargs), ("max_response_bytes", self.max_response_bytes))
        object.__setattr__(self, "key", key)

    @property
    def user_http_client(self) -> Any:
        """The ``http_client`` given in the config, if any (the user's, never closed here)."""
        return self.client_kwargs.get("http_client")


# httpcore's connection pool scans every pooled connection on each request, so one client serving
# 100 concurrent requests spends ~10 ms CPU per call in that scan (bench scenario 5). An endpoint
# therefore gets more SDK clients, added only while all of its clients are busy.
REQUESTS_PER_CLIENT = 8
MAX_CLIENTS_PER_ENDPOINT = 16


class _EndpointClients:
    """The HTTP clients of one endpoint on one loop: its aiohttp session (direct requests), its SDK clients
    and how many requests each has in flight."""

    __slots__ = ("clients", "in_flight", "owns_http_client", "session")

    def __init__(self, endpoint: Endpoint) -> None:
        self.clients: list[Any] = []
        self.in_flight: list[int] = []
        self.owns_http_client = endpoint.user_http_client is None
        self.session: Any = None

    def add(self, endpoint: Endpoint) -> int:
        """Build one more client for this endpoint and return its index."""
        self.clients.append(_build(endpoint))
        self.in_flight.append(0)
        return len(self.clients) - 1

    def acquire(self, endpoint: Endpoint) -> int:
        for index, busy in enumerate(self.in_flight):
            if busy < REQUESTS_PER_CLIENT:
                self.in_flight[index] += 1
                return index
        # A user's http_client gets one SDK client: more would share its one connection pool anyway.
        if not self.clients or (self.owns_http_client and len(self.clients) < MAX_CLIENTS_PER_ENDPOINT):
            index = self.add(endpoint)
            self.in_flight[index] += 1
            return index
        index = min(range(len(self.in_flight)), key=self.in_flight.__getitem__)
        self.in_flight[index] += 1
        return index


def _endpoint_clients(endpoint: Endpoint) -> _EndpointClients:
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    entry = pool.get(endpoint.key) if pool is not None else None
    if entry is None:
        if endpoint.user_http_client is not None:
            _check_loop_of(endpoint.user_http_client, loop)
        with _lock:
            pool = _pools.get(loop)
            if pool is None:
                pool = _new_pool(loop)
            entry = pool.setdefault(endpoint.key, _EndpointClients(endpoint))
    return entry


def _new_pool(loop: _Loop) -> dict[EndpointKey, _EndpointClients]:
    """The (empty) pool of a loop seen for the first time; its clients will be closed with it (lock held)."""
    for old in [old for old in _pools if old.is_closed()]:
        _pools.pop(old, None)  # a loop closed without our hook: drop its clients, the collector frees them
    pool: dict[EndpointKey, _EndpointClients] = {}
    _pools[loop] = pool
    _close_pool_with(loop)
    return pool


def _close_pool_with(loop: _Loop) -> None:
    """Make ``loop.close()`` close the loop's shared clients first (sockets released at once)."""
    original_close = loop.close

    def close() -> None:
        if not loop.is_closed() and not loop.is_running():
            with _lock:
                pool = _pools.pop(loop, None)
            if pool:
                with contextlib.suppress(Exception):  # closing must never keep the loop from closing
                    loop.run_until_complete(_aclose_pool(pool))
        original_close()

    with contextlib.suppress(AttributeError):  # a loop type without instance attributes: the sweep above
        loop.close = close  # type: ignore[method-assign]


# The loop an ``http_client`` given by the user was first used on (an httpx.AsyncClient works on one).
_user_client_loops: weakref.WeakKeyDictionary[Any, weakref.ref[_Loop]] = weakref.WeakKeyDictionary()


def _check_loop_of(http_client: Any, loop: _Loop) -> None:
    with _lock:
        first = _user_client_loops.get(http_client)
        first_loop: Optional[_Loop] = first() if first is not None else None
        if first_loop is None:
            with contextlib.suppress(TypeError):  # not weak-referenceable: nothing to check against
                _user_client_loops[http_client] = weakref.ref(loop)
            return
    if first_loop is not loop:
        raise RuntimeError(
            f"The http_client in the config ({type(http_client).__name__} at {id(http_client):#x}) was first "
            "used on another event loop, and an httpx.AsyncClient works on the loop it was first used on only "
            "(this happens with one asyncio.run() per request, or sync calls from several threads). Create "
            "the http_client inside the event loop that uses it, or leave http_client out of the config: "
            "autogen then keeps one connection pool per event loop."
        )


def shared_client(endpoint: Endpoint) -> Any:
    """The first SDK client (``AsyncOpenAI``/``AsyncAzureOpenAI``) of ``endpoint`` on the running loop.

    Retries are ours (see :mod:`autogen.oai.retry`), so the SDK's are off.
    """
    entry = _endpoint_clients(endpoint)
    if not entry.clients:
        entry.add(endpoint)
    return entry.clients[0]


def shared_session(endpoint: Endpoint, url: str) -> Any:
    """The aiohttp session of ``endpoint`` on the running loop, for direct requests to ``url`` (created on
    first use)."""
    entry = _endpoint_clients(endpoint)
    if entry.session is None:
        from .direct import new_session

        entry.session = new_session(url)
    return entry.session


@asynccontextmanager
async def leased_client(endpoint: Endpoint) -> AsyncIterator[Any]:
    """Lend an SDK client of ``endpoint`` for one request, preferring one that is not busy."""
    entry = _endpoint_clients(endpoint)
    index = entry.acquire(endpoint)
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


def _build(endpoint: Endpoint) -> Any:
    import openai

    from .http_guard import HttpGuard

    kwargs = {**endpoint.client_kwargs, "max_retries": 0}
    if kwargs.get("http_client") is None:  # the SDK's own defaults (timeouts, limits), with the shared TLS context
        kwargs["http_client"] = openai.DefaultAsyncHttpxClient(verify=_shared_ssl_context())
    HttpGuard(endpoint.max_response_bytes).install(kwargs["http_client"])
    if endpoint.azure:
        return openai.AsyncAzureOpenAI(**kwargs)
    return openai.AsyncOpenAI(**kwargs)


async def _aclose_pool(pool: dict[EndpointKey, _EndpointClients]) -> None:
    for entry in pool.values():
        if entry.session is not None:
            await entry.session.close()
        if entry.owns_http_client:  # a user's http_client is theirs to close
            for client in entry.clients:
                await client.close()


async def aclose_shared_clients() -> None:
    """Close the shared clients of the running loop (done for you when the loop is closed)."""
    loop = asyncio.get_running_loop()
    with _lock:
        pool = _pools.pop(loop, {})
    await _aclose_pool(pool)


on_kept_loop_close(aclose_shared_clients)  # the sync facade's loops close their pools at exit


def shared_client_count() -> int:
    """How many HTTP clients (SDK clients and aiohttp sessions) exist on the running loop, over all endpoints
    (for tests and diagnostics)."""
    entries = _pools.get(asyncio.get_running_loop(), {}).values()
    return sum(len(entry.clients) + (entry.session is not None) for entry in entries)
