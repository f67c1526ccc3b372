"""What every scenario process shares: its arguments, the server's counters, timers, the result.

Scenario scripts run under either interpreter (this project's, or one with pyautogen 0.2.35),
so they use only the standard library and the 0.2 public API of ``autogen``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import time
import traceback
import urllib.request
from typing import Any, Callable

MODEL = "gpt-4o-mini"
API_KEY = "sk-bench-0123456789abcdef0123456789abcdef"


class Context:
    """The scenario's arguments: server URLs, sizes, and where to write the result."""

    def __init__(self) -> None:
        parser = argparse.ArgumentParser()
        parser.add_argument("--url", required=True, help="base URL of the server without latency")
        parser.add_argument("--slow-url", required=True, help="base URL of the server with latency")
        parser.add_argument("--params", default="{}", help="JSON object of sizes")
        parser.add_argument("--out", required=True, help="file to write the JSON result to")
        args = parser.parse_args()
        self.url: str = args.url
        self.slow_url: str = args.slow_url
        self.params: dict[str, Any] = json.loads(args.params)
        self.out: str = args.out
        if self.params.get("gc_threshold"):  # bench/run.py --gc-threshold: the collector tuned as an app may
            gc.set_threshold(*self.params["gc_threshold"])

    def llm_config(self, url: str | None = None, **extra: Any) -> dict[str, Any]:
        """An llm_config for the server, with 0.2's default cache turned off."""
        config = {"model": MODEL, "base_url": url or self.url, "api_key": API_KEY}
        return {"config_list": [config], "cache_seed": None, **extra}

    def stats(self, url: str | None = None) -> dict[str, int]:
        """The server's counters (completion calls served so far, tokens)."""
        body = json.dumps({"model": "bench-stats", "messages": [{"role": "user", "content": "stats"}]}).encode()
        request = urllib.request.Request(
            (url or self.url) + "/chat/completions",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {API_KEY}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
        return json.loads(answer["choices"][0]["message"]["content"])

    def calls_since(self, before: dict[str, int], url: str | None = None) -> int:
        """LLM calls the server answered since ``before`` was taken."""
        return self.stats(url)["calls"] - before["calls"]


PROFILER: Any = None  # a cProfile.Profile (CPU time) when BENCH_PROFILE names a file; it runs only inside Measure
_depth = 0  # how many Measure blocks are open (they nest)


class Measure:
    """Wall and CPU time of a block: ``with Measure() as m: ...; m.wall, m.cpu`` (seconds), and ``m.gc``: the
    seconds of it Python's cyclic garbage collector ran (``gc.callbacks``)."""

    def __enter__(self) -> Measure:
        global _depth
        _depth += 1
        if PROFILER is not None and _depth == 1:
            PROFILER.enable()
        self.gc = 0.0
        self._gc_started = 0.0
        gc.callbacks.append(self._collecting)
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        return self

    def _collecting(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc += time.perf_counter() - self._gc_started

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu
        gc.callbacks.remove(self._collecting)
        global _depth
        _depth -= 1
        if PROFILER is not None and _depth == 0:
            PROFILER.disable()


def allow_many_sockets() -> None:
    """Raise the open-file limit: the concurrent scenarios keep one socket per chat in flight."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 16384)), hard))


def concurrency_figures(m: Measure, calls: int, turns: int, latency: float) -> dict[str, float]:
    """What a concurrent run measured in ``m`` comes to: its wall time against the ideal (``turns`` x
    ``latency``), CPU per LLM call and the cyclic collector's share of the CPU."""
    ideal = turns * latency
    return {
        "wall_s": m.wall,
        "cpu_s": m.cpu,
        "gc_s": m.gc,
        "calls": calls,
        "ideal_s": ideal,
        "x_ideal": m.wall / ideal,
        "cpu_ms_per_call": m.cpu * 1000 / max(calls, 1),
        "gc_share": m.gc / m.cpu if m.cpu else 0.0,
    }


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def implementation() -> dict[str, str]:
    """Which ``autogen`` this process imported."""
    import autogen

    return {"version": getattr(autogen, "__version__", "?"), "path": os.path.dirname(autogen.__file__)}


def run(scenario: Callable[[Context], dict[str, Any]]) -> None:
    """Run a scenario and write its metrics (or the error it failed with) as JSON."""
    global PROFILER
    ctx = Context()
    profile_to = os.environ.get("BENCH_PROFILE")
    if profile_to:  # python bench/run.py --profile DIR: a CPU-time profile of the measured blocks
        import cProfile

        PROFILER = cProfile.Profile(time.process_time)
    try:
        result = scenario(ctx)
        if PROFILER is not None:
            PROFILER.dump_stats(profile_to)
        result["impl"] = implementation()
    except BaseException as exc:  # the table shows the failure instead of stopping the run
        result = {"error": f"{type(exc).__name__}: {exc}"[:300], "traceback": traceback.format_exc()[-3000:]}
    with open(ctx.out, "w") as f:
        json.dump(result, f)
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: 1000 agents' clients need not be closed one by one


def chat_pairs(n: int, llm_config: Any) -> list[tuple[Any, Any]]:
    """``n`` (user proxy, assistant) pairs for the concurrent-chat scenarios; the user proxy says "Go on."."""
    import autogen

    return [
        (
            autogen.UserProxyAgent(
                f"bench_user{i}",
                human_input_mode="NEVER",
                code_execution_config=False,
                llm_config=False,
                default_auto_reply="Go on.",
            ),
            autogen.AssistantAgent(f"bench_assistant{i}", system_message="You answer briefly.", llm_config=llm_config),
        )
        for i in range(n)
    ]
