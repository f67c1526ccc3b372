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
from collections.abc import Hashable
from typing import Any

from .._sync import on_kept_loop_close

__all__ = ["EndpointKey", "aclose_shared_clients", "endpoint_key", "shared_client"]

EndpointKey = tuple[Hashable, ...]

_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[EndpointKey, Any]] = weakref.WeakKeyDictionary()
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


def shared_client(key: EndpointKey, azure: bool, client_kwargs: dict[str, Any]) -> Any:
    """The SDK client (``AsyncOpenAI``/``AsyncAzureOpenAI``) for ``key`` on the running loop.

    Retries are ours (see :mod:`autogen.oai.retry`), so the SDK's are off.
    """
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    if pool is not None:
        client = pool.get(key)
        if client is not None:
            return client
    with _lock:
        pool = _pools.setdefault(loop, {})
        client = pool.get(key)
        if client is None:
            client = _build(azure, client_kwargs)
            pool[key] = client
    return client


def _build(azure: bool, client_kwargs: dict[str, Any]) -> Any:
    import openai

    kwargs = {**client_kwargs, "max_retries": 0}
    if azure:
        return openai.AsyncAzureOpenAI(**kwargs)
    return openai.AsyncOpenAI(**kwargs)


async def aclose_shared_clients() -> None:
    """Close the shared clients of the running loop (call before closing a loop you created)."""
    loop = asyncio.get_running_loop()
    with _lock:
        pool = _pools.pop(loop, {})
    for client in pool.values():
        await client.close()


on_kept_loop_close(aclose_shared_clients)  # the sync facade's loops close their pools at exit


def shared_client_count() -> int:
    """How many shared SDK clients exist on the running loop (for tests and diagnostics)."""
    return len(_pools.get(asyncio.get_running_loop(), {}))
