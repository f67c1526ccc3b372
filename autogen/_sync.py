"""The sync facade over the async core.

Every conversation step is implemented once, as a coroutine. Sync entry points (``initiate_chat``,
``OpenAIWrapper.create``, ...) call :func:`run_sync`:

* The coroutine runs on the *engine loop*: one event loop on a background thread, shared by every
  sync call of the process, so pooled HTTP connections are reused.
* The calling thread waits, and meanwhile runs the sync user code the engine hands back to it with
  :func:`on_calling_thread` (overrides, sync reply functions, tools, human input of a sync chat), so
  that code runs on the thread that started the chat, as in 0.2. When that code calls a sync entry
  point again (``super().send(...)``), the nested coroutine goes to the same engine loop and the
  same thread keeps serving it: no extra threads, no re-entered loop.
* This works the same when the calling thread runs an event loop of its own (Jupyter), and Ctrl-C
  on the calling thread cancels the coroutine.

Async chats run on the caller's loop; the sync user code they meet goes to a worker thread with
:func:`in_worker_thread`, so it never stalls other chats on that loop.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import contextvars
import queue
import threading
from collections.abc import Coroutine
from typing import Any, Callable, Optional, TypeVar

T = TypeVar("T")

__all__ = ["in_worker_thread", "on_calling_thread", "on_kept_loop_close", "run_sync"]

_close_hooks: list[Callable[[], Coroutine[Any, Any, None]]] = []
_engine_lock = threading.Lock()
_engine_loop: Optional[asyncio.AbstractEventLoop] = None
_engine_thread: Optional[threading.Thread] = None
_workers: Optional[concurrent.futures.ThreadPoolExecutor] = None
_local = threading.local()
_CANCEL_WAIT_S = 10.0


class _Call:
    """Sync user code the engine asked a calling thread to run."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.context = contextvars.copy_context()
        self.loop = asyncio.get_running_loop()
        self.future: asyncio.Future[Any] = self.loop.create_future()

    def run(self) -> None:
        try:
            result = self.context.run(self.fn, *self.args, **self.kwargs)
        except BaseException as e:  # Ctrl-C too: the engine decides (a group chat hands the turn to its admin)
            self.loop.call_soon_threadsafe(_settle, self.future, None, e)
        else:
            self.loop.call_soon_threadsafe(_settle, self.future, result, None)


def _settle(future: asyncio.Future[Any], result: Any, error: Optional[BaseException]) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class _Driver:
    """A thread waiting in :func:`run_sync`; it runs the calls the engine sends it."""

    def __init__(self) -> None:
        self.calls: queue.SimpleQueue[Any] = queue.SimpleQueue()


class _Pending:
    """One :func:`run_sync` call in flight."""

    def __init__(self) -> None:
        self.task: Optional[asyncio.Task[Any]] = None
        self.finished = threading.Event()


_driver: contextvars.ContextVar[Optional[_Driver]] = contextvars.ContextVar("autogen_sync_driver", default=None)


def _engine() -> asyncio.AbstractEventLoop:
    global _engine_loop, _engine_thread
    with _engine_lock:
        if _engine_loop is None or _engine_loop.is_closed():
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def serve() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(ready.set)
                while True:
                    try:
                        loop.run_forever()
                        return  # stopped at exit
                    except BaseException:
                        continue

            _engine_thread = threading.Thread(target=serve, name="autogen-engine", daemon=True)
            _engine_thread.start()
            ready.wait()
            _engine_loop = loop
        return _engine_loop


def _thread_driver() -> _Driver:
    driver: Optional[_Driver] = getattr(_local, "driver", None)
    if driver is None:
        driver = _local.driver = _Driver()
    return driver


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from sync code and return its result (its exceptions propagate)."""
    if threading.current_thread() is _engine_thread:  # sync code the engine called inline
        return _run_on_worker_loop(coro)
    loop = _engine()
    driver = _thread_driver()
    context = contextvars.copy_context()
    context.run(_driver.set, driver)
    pending = _Pending()

    def start() -> None:
        pending.task = context.run(loop.create_task, coro)  # the task runs in a copy of the caller's context
        pending.task.add_done_callback(lambda _: _wake(driver, pending))

    loop.call_soon_threadsafe(start)
    try:
        while not pending.finished.is_set():
            item = driver.calls.get()
            if isinstance(item, _Call):
                item.run()
    except BaseException:
        _cancel(loop, pending)
        raise
    assert pending.task is not None
    return pending.task.result()


def _wake(driver: _Driver, pending: _Pending) -> None:
    pending.finished.set()
    driver.calls.put(pending)


def _cancel(loop: asyncio.AbstractEventLoop, pending: _Pending) -> None:
    """Cancel an interrupted call's coroutine and wait (bounded) until it has cleaned up."""

    def cancel() -> None:
        if pending.task is not None:
            pending.task.cancel()

    loop.call_soon_threadsafe(cancel)
    pending.finished.wait(_CANCEL_WAIT_S)


async def on_calling_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run sync ``fn`` on the thread waiting in :func:`run_sync` for this coroutine (inline if there is none)."""
    driver = _driver.get()
    if driver is None or threading.current_thread() is not _engine_thread:
        return fn(*args, **kwargs)
    call = _Call(fn, args, kwargs)
    driver.calls.put(call)
    return await call.future


async def in_worker_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run sync ``fn`` on a worker thread (with the caller's context variables) so the loop keeps going."""
    context = contextvars.copy_context()
    return await asyncio.get_running_loop().run_in_executor(_worker_pool(), lambda: context.run(fn, *args, **kwargs))


def _worker_pool() -> concurrent.futures.ThreadPoolExecutor:
    global _workers
    with _engine_lock:
        if _workers is None:
            _workers = concurrent.futures.ThreadPoolExecutor(max_workers=64, thread_name_prefix="autogen-worker")
        return _workers


def _run_on_worker_loop(coro: Coroutine[Any, Any, T]) -> T:
    """Fallback for sync code that the engine loop itself runs: a worker thread with its own kept loop."""

    def run() -> T:
        loop: Optional[asyncio.AbstractEventLoop] = getattr(_local, "loop", None)
        if loop is None or loop.is_closed():
            loop = _local.loop = asyncio.new_event_loop()
            _worker_loops.append(loop)
        return loop.run_until_complete(coro)

    return _worker_pool().submit(contextvars.copy_context().run, run).result()


_worker_loops: list[asyncio.AbstractEventLoop] = []


def on_kept_loop_close(hook: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run ``hook()`` on the engine loop (and worker loops) before they close at exit (e.g. to close HTTP pools)."""
    if hook not in _close_hooks:
        _close_hooks.append(hook)


@atexit.register
def _close_loops() -> None:
    if _engine_loop is not None and not _engine_loop.is_closed():
        for hook in _close_hooks:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(hook(), _engine_loop).result(timeout=5)
        _engine_loop.call_soon_threadsafe(_engine_loop.stop)
    for loop in _worker_loops:
        if loop.is_closed() or loop.is_running():
            continue
        for hook in _close_hooks:
            with contextlib.suppress(Exception):
                loop.run_until_complete(hook())
        loop.close()
