"""Scenario 9: what the bubblewrap sandbox adds to running a code block (``print(1)``), next to local execution.

Both executors run the same block ``runs`` times after a warm-up; the medians of their wall times and the
difference are reported. pyautogen 0.2.35 has no sandbox executor: there only the local one is measured,
and so is ours where bubblewrap is missing (``sandbox`` says why).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from typing import Any

import _common

from autogen.coding import CodeBlock, LocalCommandLineCodeExecutor

BLOCK = [CodeBlock(language="python", code="print(1)")]


def median_ms(executor: Any, runs: int) -> float:
    for _ in range(2):  # warm-up: the first run pays for imports and bubblewrap's one-time check
        executor.execute_code_blocks(BLOCK)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = executor.execute_code_blocks(BLOCK)
        times.append(time.perf_counter() - start)
        if result.exit_code != 0 or result.output.strip() != "1":
            raise RuntimeError(f"print(1) gave exit code {result.exit_code}: {result.output[:200]!r}")
    return statistics.median(times) * 1000


def scenario(ctx: _common.Context) -> dict:
    runs = int(ctx.params.get("runs", 20))
    result: dict[str, Any] = {"runs": runs}
    with tempfile.TemporaryDirectory() as work:
        result["local_ms"] = median_ms(LocalCommandLineCodeExecutor(work_dir=work, timeout=30), runs)
        try:
            from autogen.coding import SandboxedCommandLineCodeExecutor
        except ImportError:
            result["sandbox"] = "not in this autogen"
            return result
        try:
            sandboxed = SandboxedCommandLineCodeExecutor(work_dir=work, timeout=30)
        except RuntimeError as exc:  # SandboxUnavailableError: no usable bubblewrap here
            result["sandbox"] = f"unavailable: {str(exc)[:120]}"
            return result
        result["sandbox"] = "bubblewrap"
        result["sandbox_ms"] = median_ms(sandboxed, runs)
    result["overhead_ms"] = result["sandbox_ms"] - result["local_ms"]
    return result


if __name__ == "__main__":
    _common.run(scenario)
