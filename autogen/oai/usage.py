"""Token and cost accounting of one wrapper: total usage (with cache hits) and actual usage (without)."""

from __future__ import annotations

import threading
from typing import Any, Optional, Union

__all__ = ["UsageTracker", "format_usage_summary"]

_COUNTS = ("prompt_tokens", "completion_tokens", "total_tokens")


def _add(summary: Optional[dict[str, Any]], usage: dict[str, Any]) -> dict[str, Any]:
    summary = dict(summary) if summary else {"total_cost": 0.0}
    model = usage.get("model") or "unknown"
    entry = dict(summary.get(model) or {"cost": 0.0, "prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0})
    entry["cost"] += usage.get("cost") or 0.0
    for key in _COUNTS:
        entry[key] += usage.get(key) or 0
    summary[model] = entry
    summary["total_cost"] += usage.get("cost") or 0.0
    return summary


class UsageTracker:
    """Running usage summaries, safe to update from several threads.

    A summary is None before the first call, else
    ``{"total_cost": float, "<model>": {"cost", "prompt_tokens", "completion_tokens", "total_tokens"}}``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.total: Optional[dict[str, Any]] = None
        self.actual: Optional[dict[str, Any]] = None

    def record(self, usage: Optional[dict[str, Any]], *, cached: bool) -> None:
        """Count one response: always in total usage, in actual usage only when it was not a cache hit."""
        if not usage:
            return
        with self._lock:
            self.total = _add(self.total, usage)
            if not cached:
                self.actual = _add(self.actual, usage)

    def clear(self) -> None:
        """Forget all usage."""
        with self._lock:
            self.total = None
            self.actual = None


def format_usage_summary(
    total: Optional[dict[str, Any]], actual: Optional[dict[str, Any]], mode: Union[str, list[str]]
) -> str:
    """The text ``print_usage_summary`` shows for ``mode`` (``"actual"``, ``"total"`` or both)."""
    modes = [mode] if isinstance(mode, str) else list(mode)
    for m in modes:
        if m not in ("actual", "total"):
            raise ValueError(f"print_usage_summary mode must be 'actual', 'total' or a list of them, got {m!r}")
    rule = "-" * 100
    lines = [rule]
    if total is None:
        lines.append("No usage summary: no LLM call has been made yet.")
    elif "actual" in modes and "total" in modes and actual == total:
        lines.append("Usage summary (no cache hits, so actual and total usage are the same):")
        lines += _describe(total)
    else:
        if "actual" in modes:
            lines.append("Usage summary without cache hits (what the API charged):")
            lines += _describe(actual) if actual else ["No cost: every completion came from the cache."]
        if "total" in modes:
            if "actual" in modes:
                lines.append("")
            lines.append("Usage summary including cache hits:")
            lines += _describe(total)
    lines.append(rule)
    return "\n".join(lines)


def _describe(summary: dict[str, Any]) -> list[str]:
    lines = [f"Total cost: {round(summary['total_cost'], 5)}"]
    for model, entry in summary.items():
        if model == "total_cost":
            continue
        lines.append(
            f"* Model '{model}': cost: {round(entry['cost'], 5)}, prompt_tokens: {entry['prompt_tokens']}, "
            f"completion_tokens: {entry['completion_tokens']}, total_tokens: {entry['total_tokens']}"
        )
    return lines
