"""Batch backends at scale: N short jobs on the local (threads) and Ray backends, against the ideal time.

Two workloads, each N jobs at ``--parallel`` jobs in flight:

- ``sleep``: every job sleeps ``--latency`` seconds (pure scheduling overhead of the backend);
- ``chat``: every job is a one-turn two-agent chat through ``autogen.run_batch`` and the real client stack,
  against the benchmark's scripted server (``bench/server.py``, its own process) answering after
  ``--latency`` seconds.

Ideal wall time is ``ceil(N / parallel) * latency``. Ray runs on one machine with ``ray.init(num_cpus=parallel)``
(Ray's CPUs are logical; the jobs wait on I/O), so ``parallel`` workers serve the jobs. Ray is timed cold (the
first batch starts the workers) and warm (a second batch on the same workers). The overhead per run is the
worker time a job takes beyond its latency: ``(wall * parallel - N * latency) / N``.

Run: ``python bench/batch_speed.py [--runs 1000] [--parallel 50] [--latency 0.2] [--json OUT]``
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import subprocess
import sys
import time
from typing import Any

from autogen import AssistantAgent, UserProxyAgent
from autogen.batch import get_backend, run_batch


def sleep_job(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def one_turn_team(config_list: list[dict[str, Any]]) -> tuple[UserProxyAgent, AssistantAgent]:
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, max_consecutive_auto_reply=0)
    assistant = AssistantAgent("assistant", llm_config={"config_list": config_list, "cache_seed": None})
    return user, assistant


def start_server(latency: float) -> tuple[subprocess.Popen[str], str]:
    here = os.path.dirname(os.path.abspath(__file__))
    proc = subprocess.Popen(
        [sys.executable, os.path.join(here, "server.py"), "--port", "0", "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("serving on "):
        proc.kill()
        raise RuntimeError(f"the benchmark server did not start: {line!r}")
    return proc, line.split("serving on ", 1)[1].strip()


def measure(label: str, fn: Any, runs: int, parallel: int, latency: float) -> dict[str, Any]:
    started = time.perf_counter()
    done = fn()
    wall = time.perf_counter() - started
    ideal = math.ceil(runs / parallel) * latency
    row = {
        "case": label,
        "runs": done,
        "wall_s": round(wall, 2),
        "ideal_s": round(ideal, 2),
        "ratio": round(wall / ideal, 2),
        "overhead_ms_per_run": round((wall * parallel - runs * latency) / runs * 1000, 1),
    }
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--parallel", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--backends", default="local,ray")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    n, c, lat = args.runs, args.parallel, args.latency
    print(f"load average before: {os.getloadavg()}, {os.cpu_count()} CPUs", flush=True)
    server, url = start_server(lat)
    config_list = [{"model": "gpt-4o-mini", "base_url": url, "api_key": "sk-bench-0123456789abcdef0123"}]
    team = functools.partial(one_turn_team, config_list)
    tasks = [f"task {i}" for i in range(n)]
    rows = []
    try:

        def sleeps(backend: Any) -> int:
            return len(list(backend.map_unordered(sleep_job, ((i, lat) for i in range(n)), max_concurrency=c)))

        def chats(backend: Any) -> int:
            results = run_batch(team, tasks, backend=backend, max_concurrency=c)
            assert all(r.summary for r in results)
            return len(results)

        if "local" in args.backends:
            local = get_backend("local")
            rows.append(measure("local sleep", lambda: sleeps(local), n, c, lat))
            rows.append(measure("local chat", lambda: chats(local), n, c, lat))
        if "ray" in args.backends:
            import ray

            started = time.perf_counter()
            ray.init(num_cpus=c, include_dashboard=False, log_to_driver=False)
            print(json.dumps({"case": "ray.init", "wall_s": round(time.perf_counter() - started, 2)}), flush=True)
            remote = get_backend("ray")
            rows.append(measure("ray sleep (cold: starts the workers)", lambda: sleeps(remote), n, c, lat))
            rows.append(measure("ray sleep (warm)", lambda: sleeps(remote), n, c, lat))
            rows.append(measure("ray chat (first: imports autogen in the workers)", lambda: chats(remote), n, c, lat))
            rows.append(measure("ray chat (warm)", lambda: chats(remote), n, c, lat))
            ray.shutdown()
    finally:
        server.kill()
    print(f"load average after: {os.getloadavg()}", flush=True)
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"runs": n, "parallel": c, "latency": lat, "rows": rows}, out, indent=2)


if __name__ == "__main__":
    main()
