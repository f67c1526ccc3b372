"""The one output pump of the executors: collect bytes from any source up to a shared cap."""

from __future__ import annotations

import os
import select
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Dict, List, Optional

__all__ = ["CappedOutput", "output_cap_notice", "read_fd_chunks"]


def output_cap_notice(max_output_bytes: int) -> str:
    """The line appended to output that was cut at ``max_output_bytes``."""
    return (
        f"\n[output truncated: the code printed more than {max_output_bytes} bytes, "
        "the limit for one execution; the process was stopped]"
    )


class CappedOutput:
    """Bytes from one or more streams (``"out"``, ``"err"``, ...), at most ``max_bytes`` in all.

    Past the cap the rest is dropped and :attr:`overflow` is set. :meth:`pump` drains a source in
    a thread; an error reading it is kept and raised by :meth:`raise_errors`, never swallowed.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.overflow = threading.Event()
        self._streams: Dict[str, bytearray] = {}
        self._total = 0
        self._lock = threading.Lock()
        self._errors: List[BaseException] = []

    def add(self, chunk: bytes, stream: str = "out") -> bool:
        """Keep what fits of ``chunk``; False once the cap has been reached."""
        with self._lock:
            buffer = self._streams.setdefault(stream, bytearray())
            if self.overflow.is_set():
                return False
            room = self.max_bytes - self._total
            if len(chunk) > room:
                chunk = chunk[: max(room, 0)]
                self.overflow.set()
            buffer.extend(chunk)
            self._total += len(chunk)
            return not self.overflow.is_set()

    def text(self, stream: str = "out") -> str:
        """What was kept of ``stream``, decoded (invalid UTF-8 replaced; a cut character dropped)."""
        with self._lock:
            data = bytes(self._streams.get(stream, b""))
        errors = "ignore" if self.overflow.is_set() else "replace"
        return data.decode("utf-8", errors=errors)

    def pump(self, chunks: Iterable[bytes], stream: str = "out", on_overflow: Optional[threading.Event] = None) -> None:
        """Read ``chunks`` to the end; past the cap keep reading (so the writer never blocks) and drop them."""
        try:
            for chunk in chunks:
                if not self.add(chunk, stream) and on_overflow is not None:
                    on_overflow.set()
        except BaseException as exc:  # kept for raise_errors: a broken pump must not pass for "no output"
            with self._lock:
                self._errors.append(exc)

    def start_pump(
        self, chunks: Iterable[bytes], stream: str = "out", on_overflow: Optional[threading.Event] = None
    ) -> threading.Thread:
        """:meth:`pump` in a daemon thread (returned, started)."""
        thread = threading.Thread(
            target=self.pump, args=(chunks, stream, on_overflow), name=f"autogen-output-{stream}", daemon=True
        )
        thread.start()
        return thread

    def raise_errors(self) -> None:
        """Raise the first error a pump met (as RuntimeError naming it), if any."""
        with self._lock:
            errors = list(self._errors)
        if errors:
            raise RuntimeError(f"Reading the code's output failed: {errors[0]!r}") from errors[0]


def read_fd_chunks(fd: int, stop: threading.Event, linger: float = 1.0) -> Iterator[bytes]:
    """Chunks read from ``fd`` until end of file, or until ``stop`` is set and ``linger`` seconds pass.

    ``stop`` lets the reader end even if a process we could not kill still holds the pipe open.
    """
    stop_seen: Optional[float] = None
    while True:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                return
            yield chunk
        if stop.is_set():
            if stop_seen is None:
                stop_seen = time.monotonic()
            elif time.monotonic() - stop_seen > linger:
                return
