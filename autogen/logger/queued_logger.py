"""Common base of the built-in loggers: snapshot on the caller's thread, write on a background thread.

A logger with ``synchronous = True`` (the file logger, as in 0.2, whose log a user tails) writes each
record before the logging call returns instead.
"""

from __future__ import annotations

import logging
import threading
import uuid
from abc import abstractmethod
from typing import Any, Callable, Optional

from . import records
from ._writer import BackgroundWriter
from .base_logger import BaseLogger
from .records import Record, Snapshot
from .redact import redact_json, redact_text

__all__ = ["QueuedLogger"]

logger = logging.getLogger(__name__)


def _payload_text(payload: Any) -> str:
    text = payload.to_json() if isinstance(payload, Snapshot) else payload
    return redact_json(text)


def _clean_fields(record: Record) -> Record:
    """The record with secrets removed from its scalar fields too (names, event names)."""
    fields = {k: redact_text(v) if isinstance(v, str) else v for k, v in record.fields.items()}
    return record._replace(fields=fields)


class QueuedLogger(BaseLogger):
    """A logger whose ``log_*`` calls only enqueue; subclasses say how a batch of records is written."""

    # Write each record on the caller's thread before the logging call returns.
    synchronous = False

    def __init__(self) -> None:
        self.session_id = str(uuid.uuid4())
        self._writer: Optional[BackgroundWriter] = None
        # Held while writing (and closing) the output, for synchronous loggers.
        self._output_lock = threading.Lock()

    # -- subclass hooks (run on the writer thread, except _open) --------------------------------
    @abstractmethod
    def _open(self) -> None:
        """Prepare the output (called once by ``start``, on the caller's thread)."""

    @abstractmethod
    def _write(self, batch: list[tuple[Record, dict[str, str]]]) -> None:
        """Write records; each comes with its payloads as JSON text, free of secrets."""

    @abstractmethod
    def _close(self) -> None:
        """Release the output."""

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> str:
        """Open the output, start the writer thread and return the session id."""
        if self._writer is None or self._writer.closed:
            self._open()
            self._writer = BackgroundWriter(
                self._write_records, self._close_output, name=f"autogen-log-{self.session_id[:8]}"
            )
        return self.session_id

    def flush(self) -> None:
        """Wait until everything logged so far is written."""
        if self._writer is not None:
            self._writer.flush()

    def stop(self) -> None:
        """Write everything pending and close the output."""
        if self._writer is not None:
            self._writer.close()

    @property
    def running(self) -> bool:
        """Whether the logger has been started and not stopped."""
        return self._writer is not None and not self._writer.closed

    def _submit(self, record: Record) -> None:
        if self._writer is None:
            return
        if not self.synchronous:
            self._writer.submit(record)
            return
        if self._writer.closed:
            return
        try:
            with self._output_lock:
                self._write_records([record])
        except Exception:  # a failing log must never break the program being logged
            logger.exception("writing a runtime log record failed")

    def _close_output(self) -> None:
        with self._output_lock:
            self._close()

    def _write_records(self, batch: list[Record]) -> None:
        self._write(
            [(_clean_fields(record), {k: _payload_text(v) for k, v in record.payloads.items()}) for record in batch]
        )

    # -- BaseLogger ------------------------------------------------------------------------------
    def log_chat_completion(
        self,
        invocation_id: uuid.UUID,
        client_id: int,
        wrapper_id: int,
        source: Any,
        request: dict[str, Any],
        response: Any,
        is_cached: int,
        cost: float,
        start_time: str,
    ) -> None:
        """Queue one LLM request/response record."""
        self._submit(
            records.chat_completion(
                invocation_id, client_id, wrapper_id, source, request, response, is_cached, cost, start_time
            )
        )

    def log_new_agent(self, agent: Any, init_args: dict[str, Any] = {}) -> None:  # noqa: B006 - 0.2's signature
        """Queue a new-agent record."""
        self._submit(records.new_agent(agent, init_args))

    def log_event(self, source: Any, name: str, **kwargs: Any) -> None:
        """Queue an event record."""
        self._submit(records.event(source, name, kwargs))

    def log_new_wrapper(self, wrapper: Any, init_args: dict[str, Any]) -> None:
        """Queue a new-wrapper record."""
        self._submit(records.new_wrapper(wrapper, init_args))

    def log_new_client(self, client: Any, wrapper: Any, init_args: dict[str, Any]) -> None:
        """Queue a new-client record."""
        self._submit(records.new_client(client, wrapper, init_args))

    def log_function_use(self, source: Any, function: Callable[..., Any], args: dict[str, Any], returns: Any) -> None:
        """Queue a function-use record."""
        self._submit(records.function_use(source, function, args, returns))
