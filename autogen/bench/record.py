"""What a finished run folder says: success, cost, turns, time.

Works on folders written by ``autogen bench run`` (``bench_result.json``) and on AutoGenBench's own
(only ``console_log.txt``, maybe ``telemetry.db``), so old results can be tabulated too.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Optional, Union

__all__ = [
    "RESULT_FILE",
    "SUCCESS_STRINGS",
    "RunRecord",
    "Scorer",
    "default_scorer",
    "read_record",
    "usage_of_run",
]

RESULT_FILE = "bench_result.json"
USAGE_FILE = "bench_usage.json"
SUCCESS_STRINGS = ("ALL TESTS PASSED !#!#",)

# A scorer takes a run folder and says True (solved), False (not solved) or None (no verdict);
# AutoGenBench's custom scorers may also return a tuple whose first item is that verdict.
Scorer = Callable[[str], Any]


def default_scorer(instance_dir: Union[str, Path], success_strings: tuple[str, ...] = SUCCESS_STRINGS) -> Any:
    """AutoGenBench's rule: solved iff the console log holds a success marker; None without a log."""
    log = Path(instance_dir, "console_log.txt")
    if not log.is_file():
        return None
    text = log.read_text(encoding="utf-8", errors="replace")
    return any(marker in text for marker in success_strings)


@dataclass
class RunRecord:
    """One (task, repeat) run."""

    task_id: str
    repeat: int
    success: Optional[bool]
    cost: Optional[float] = None
    turns: Optional[int] = None
    llm_calls: Optional[int] = None
    duration_s: Optional[float] = None
    status: str = "completed"  # completed | timeout | error
    models: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["models"] = list(self.models)
        return data


def usage_of_run(run_dir: Path) -> tuple[Optional[float], Optional[int], Optional[int]]:
    """(cost, turns, LLM calls) of a run, from ``bench_usage.json`` (written by ``finalize``) and ``telemetry.db``."""
    cost: Optional[float] = None
    turns: Optional[int] = None
    calls: Optional[int] = None
    usage_file = run_dir / USAGE_FILE
    if usage_file.is_file():
        try:
            data = json.loads(usage_file.read_text(encoding="utf-8"))
            turns = int(data.get("turns")) if data.get("turns") is not None else None
            total = (data.get("usage") or {}).get("usage_including_cached_inference", {}).get("total_cost")
            cost = float(total) if total is not None else None
        except (ValueError, TypeError, AttributeError):
            pass
    db = run_dir / "telemetry.db"
    if db.is_file():
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                count, total_cost = conn.execute("SELECT COUNT(*), SUM(cost) FROM chat_completions").fetchone()
            calls = int(count)
            if cost is None:
                cost = float(total_cost or 0.0)
        except sqlite3.Error:
            pass
    return cost, turns, calls


def read_record(run_dir: Path, scorer: Scorer = default_scorer) -> RunRecord:
    """The record of a finished run folder ``.../<task id>/<repeat>``."""
    verdict = scorer(str(run_dir))
    if isinstance(verdict, tuple):
        verdict = verdict[0] if verdict else None
    success = None if verdict is None else bool(verdict)
    saved: dict[str, Any] = {}
    result_file = run_dir / RESULT_FILE
    if result_file.is_file():
        try:
            saved = json.loads(result_file.read_text(encoding="utf-8"))
        except ValueError:
            saved = {}
    cost, turns, calls = usage_of_run(run_dir)
    repeat = int(run_dir.name) if run_dir.name.isdigit() else 0
    return RunRecord(
        task_id=run_dir.parent.name,
        repeat=repeat,
        success=success,
        cost=saved.get("cost", cost),
        turns=saved.get("turns", turns),
        llm_calls=saved.get("llm_calls", calls),
        duration_s=saved.get("duration_s"),
        status=saved.get("status", "completed"),
        models=tuple(saved.get("models", ())),
    )
