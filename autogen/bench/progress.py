"""The progress display of ``autogen bench run``: runs done, running, failed, cost so far, time left."""

from __future__ import annotations

import time
from typing import Any, Optional

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["RunProgress"]


class RunProgress:
    """A rich progress bar whose text shows running/failed runs, cost and an estimate of the time left."""

    def __init__(self, total: int, console: Optional[Console] = None) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.running = 0
        self.cost = 0.0
        self._started = time.monotonic()
        self._progress = Progress(
            TextColumn("[bold]runs"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._task = self._progress.add_task("runs", total=total, status=self.status())

    def __enter__(self) -> RunProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._refresh()
        self._progress.stop()

    def time_left(self) -> Optional[float]:
        """Seconds left at the pace so far (None before the first run ends)."""
        if self.done == 0:
            return None
        elapsed = time.monotonic() - self._started
        return elapsed / self.done * (self.total - self.done)

    def status(self) -> str:
        left = self.time_left()
        eta = "?" if left is None else f"{left:.0f}s"
        # "incomplete", not "failed": a run that completes but fails its task's check is reported per run as failed
        return f"running {self.running}  incomplete {self.failed}  cost ${self.cost:.4f}  left ~{eta}"

    def started(self) -> None:
        self.running += 1
        self._refresh()

    def finished(self, *, failed: bool, cost: Optional[float]) -> None:
        self.running = max(0, self.running - 1)
        self.done += 1
        self.failed += int(failed)
        self.cost += cost or 0.0
        self._progress.advance(self._task)
        self._refresh()

    def print(self, text: str) -> None:
        self._progress.console.print(text, highlight=False)

    def _refresh(self) -> None:
        self._progress.update(self._task, status=self.status())
