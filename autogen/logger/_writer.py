"""A single background thread per logger that writes queued records in batches.

Logging calls only take a snapshot of their arguments and put it on a queue, so a chat never
waits for the disk. ``flush()`` waits until everything queued so far is written; ``close()``
also stops the thread. Open writers are flushed and closed at interpreter exit.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import weakref
from typing import Any, Callable

__all__ = ["BackgroundWriter"]

logger = logging.getLogger(__name__)

_MAX_BATCH = 512
_STOP = object()
_open_writers: weakref.WeakSet[BackgroundWriter] = weakref.WeakSet()


class BackgroundWriter:
    """Runs ``write_batch(records)`` on one daemon thread for everything given to ``submit``."""

    def __init__(self, write_batch: Callable[[list[Any]], None], close: Callable[[], None], name: str) -> None:
        self._write_batch = write_batch
        self._close = close
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        _open_writers.add(self)

    @property
    def closed(self) -> bool:
        """Whether ``close()`` has been called."""
        return self._closed

    def submit(self, record: Any) -> None:
        """Queue one record for writing (never blocks; ignored once closed)."""
        if not self._closed:
            self._queue.put(record)

    def flush(self, timeout: float = 30.0) -> None:
        """Wait until every record submitted before this call has been written."""
        if self._closed or not self._thread.is_alive():
            return
        done = threading.Event()
        self._queue.put(done)
        done.wait(timeout)

    def close(self, timeout: float = 30.0) -> None:
        """Write what is pending, stop the thread and release the output."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._queue.put(_STOP)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        _open_writers.discard(self)

    def _run(self) -> None:
        stopping = False
        try:
            while not stopping:
                item = self._queue.get()
                batch: list[Any] = []
                events: list[threading.Event] = []
                while True:
                    if item is _STOP:
                        stopping = True
                    elif isinstance(item, threading.Event):
                        events.append(item)
                    else:
                        batch.append(item)
                    if stopping or len(batch) >= _MAX_BATCH:
                        break
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                if batch:
                    self._write_safely(batch)
                for event in events:
                    event.set()
        finally:
            try:
                self._close()
            except Exception:  # closing a broken file must not raise in a daemon thread
                logger.exception("closing the runtime log failed")

    def _write_safely(self, batch: list[Any]) -> None:
        try:
            self._write_batch(batch)
        except Exception:  # a failing log must never break the program being logged
            logger.exception("writing %d runtime log records failed", len(batch))


@atexit.register
def _close_open_writers() -> None:
    for writer in list(_open_writers):
        writer.close(timeout=10.0)
