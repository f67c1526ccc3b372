"""Runtime log as a JSON-lines file: one JSON object per line, one line per record."""

from __future__ import annotations

import json
import os
from typing import IO, Any, Optional

from .queued_logger import QueuedLogger
from .records import Record

__all__ = ["FileLogger"]


class FileLogger(QueuedLogger):
    """Appends the runtime log to a file of JSON lines.

    Args:
        config: ``{"filename": "runtime.log"}`` (the default). A relative name is placed in
            ``./autogen_logs/``, as in AutoGen 0.2; an absolute path is used as is.

    Each line holds ``"record"`` (``chat_completion``, ``new_agent``, ``new_wrapper``,
    ``new_client``, ``event`` or ``function_use``), ``"session_id"`` and the record's fields.

    As in 0.2, the file exists once ``start()`` returns and each record is in it (flushed) when the
    logging call returns, so the log can be followed with ``tail -f`` while a chat runs.
    """

    synchronous = True

    def __init__(self, config: Optional[dict[str, Any]] = None) -> None:
        super().__init__()
        config = dict(config or {})
        unknown = sorted(set(config) - {"filename"})
        if unknown:
            raise ValueError(f"FileLogger config has unknown keys {unknown}; the only key is 'filename'")
        filename = config.get("filename", "runtime.log")
        if not isinstance(filename, (str, os.PathLike)):
            raise TypeError(f"FileLogger config 'filename' must be a path, got {filename!r}")
        self.log_file = os.path.join(os.getcwd(), "autogen_logs", os.fspath(filename))
        self._file: Optional[IO[str]] = None

    def _open(self) -> None:
        os.makedirs(os.path.dirname(self.log_file) or ".", exist_ok=True)
        self._file = open(self.log_file, "a", encoding="utf-8")  # noqa: SIM115 - closed by stop()

    def _write(self, batch: list[tuple[Record, dict[str, str]]]) -> None:
        if self._file is None:
            return
        lines = [self._line(record, payloads) for record, payloads in batch]
        self._file.write("\n".join(lines) + "\n")
        self._file.flush()

    def _line(self, record: Record, payloads: dict[str, str]) -> str:
        # The payloads are JSON text already: splice them in rather than parse and re-encode them.
        head = json.dumps({"record": record.kind, "session_id": self.session_id, **record.fields})
        tail = "".join(f", {json.dumps(name)}: {text}" for name, text in payloads.items())
        return head[:-1] + tail + "}"

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def get_connection(self) -> None:
        """A file log has no database connection."""
        return None
