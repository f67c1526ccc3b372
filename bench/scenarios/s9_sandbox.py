"""Scenario 9: what the bubblewrap sandbox adds to running a code block (``print(1)``), next to local execution.

The two executors run the same block in turns (``runs`` pairs after a warm-up, alternating which goes first),
so that load on the machine hits both alike; reported are the median wall time of each and the median of the
per-pair differences. pyautogen 0.2.35 has no sandbox executor: there only the local one is measured, and so
is ours where bubblewrap is missing (``sandbox`` says why).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from typing import Any, Optional

import _common

from autogen.coding import CodeBlock, LocalCommandLineCodeExecutor

BLOCK = [CodeBlock(language="python", code="print(1)")]


def timed(executor: Any) -> float:
    start = time.perf_counter()
    result = executor.execute_code_blocks(BLOCK)
    elapsed = time.perf_counter() - start
    if result.exit_code != 0 or result.output.strip() != "1":
        raise RuntimeError(f"print(1) gave exit code {result.exit_code}: {result.output[:200]!r}")
    return elapsed * 1000


def sandbox_executor(work: str) -> tuple[Optional[Any], str]:
    try:
        from autogen.coding import SandboxedCommandLineCodeExecutor
    except ImportError:
        return None, "not in this autogen"
    try:
        return SandboxedCommandLineCodeExecutor(work_dir=work, timeout=30), "bubblewrap"
    except RuntimeError as exc:  # SandboxUnavailableError: no usable bubblewrap here
        return None, f"unavailable: {str(exc)[:120]}"


def scenario(ctx: _common.Context) -> dict:
    runs = int(ctx.params.get("runs", 20))
    with tempfile.TemporaryDirectory() as work:
        local = LocalCommandLineCodeExecutor(work_dir=work, timeout=30)
        sandboxed, note = sandbox_executor(work)
        executors = [local] if sandboxed is None else [local, sandboxed]
        for executor in executors:  # warm-up: imports, bubblewrap's one-time check
            timed(executor)
        pairs = []
        for i in range(runs):
            order = executors if i % 2 == 0 else executors[::-1]
            times = {id(executor): timed(executor) for executor in order}
            pairs.append([times[id(executor)] for executor in executors])
    result: dict[str, Any] = {"runs": runs, "sandbox": note, "local_ms": statistics.median(p[0] for p in pairs)}
    if sandboxed is not None:
        result["sandbox_ms"] = statistics.median(p[1] for p in pairs)
        result["overhead_ms"] = statistics.median(p[1] - p[0] for p in pairs)
    return result


if __name__ == "__main__":
    _common.run(scenario)
