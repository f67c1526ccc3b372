"""The sync facade over the async core.

Every conversation step is implemented once, as a coroutine. Sync entry points
(``initiate_chat``, ``OpenAIWrapper.create``, ...) call :func:`run_sync`, which drives
the coroutine to completion:

* in a thread with no running event loop (a plain script), on a loop that belongs to
  that thread and is kept between calls, so pooled HTTP connections are reused;
* in a thread whose loop is already running (Jupyter, or a sync function called from
  inside an async chat), on a worker thread with its own kept loop, so the caller's
  loop is never re-entered.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import contextvars
import threading
import weakref
from collections.abc import Coroutine
from typing import Any, Callable, TypeVar

T = TypeVar("T")

_local = threading.local()
_workers: concurrent.futures.ThreadPoolExecutor | None = None
_workers_lock = threading.Lock()
_kept_loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
_close_hooks: list[Callable[[], Coroutine[Any, Any, None]]] = []


def on_kept_loop_close(hook: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run ``hook()`` on every kept loop before it is closed at interpreter exit (e.g. to close HTTP pools)."""
    if hook not in _close_hooks:
        _close_hooks.append(hook)


@atexit.register
def _close_kept_loops() -> None:
    for loop in list(_kept_loops):
        if loop.is_closed() or loop.is_running():
            continue
        for hook in _close_hooks:
            with contextlib.suppress(Exception):
                loop.run_until_complete(hook())
        with contextlib.suppress(Exception):
            loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def _thread_loop() -> asyncio.AbstractEventLoop:
    """Return this thread's kept event loop, creating it on first use."""
    loop: asyncio.AbstractEventLoop | None = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _local.loop = loop
        _kept_loops.add(loop)
    return loop


def _run_on_thread_loop(coro: Coroutine[Any, Any, T]) -> T:
    loop = _thread_loop()
    task = loop.create_task(coro)
    try:
        return loop.run_until_complete(task)
    except BaseException:
        # Ctrl-C or another interruption: cancel the work so nothing runs on in the background.
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):  # the original error is the one to report
                loop.run_until_complete(task)
        raise


def _worker_pool() -> concurrent.futures.ThreadPoolExecutor:
    global _workers
    with _workers_lock:
        if _workers is None:
            _workers = concurrent.futures.ThreadPoolExecutor(max_workers=64, thread_name_prefix="autogen-sync")
        return _workers


def in_running_loop() -> bool:
    """True when called from a thread whose event loop is running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from sync code and return its result.

    Args:
        coro: the coroutine to run.

    Returns:
        What the coroutine returns; its exceptions propagate unchanged.
    """
    if not in_running_loop():
        return _run_on_thread_loop(coro)
    # copy_context: the worker sees the caller's context variables (e.g. the IOStream set with set_default)
    return _worker_pool().submit(contextvars.copy_context().run, _run_on_thread_loop, coro).result()
