"""Many short `autogen bench run --native` runs against a slow model: measured wall time vs the ideal (issue 20).

Each run is a fresh process in a fresh folder doing a two-agent chat of ``--calls`` model calls; the model is
``bench/server.py`` (the project's test server in its own process) answering after ``--latency`` seconds.
The ideal is ``runs * calls * latency / parallel``: the time the model's latency alone would take with
``--parallel`` runs always in flight. Also reported: CPU time per run (all processes of the command), each
run's own wall time (``bench_result.json``) and, from one run of the same scenario with no latency, how the
per-run overhead divides between starting the run (expanding its folder), the sandboxed process and the logs.

    python bench/bench_runs.py                          # 1,000 runs, --parallel 50, 200 ms latency
    python bench/bench_runs.py --runs 100 --backend ray # the Ray backend, smaller
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SCENARIO = """import testbed_utils
import autogen

testbed_utils.init()
config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
assistant = autogen.AssistantAgent("assistant", llm_config=testbed_utils.default_llm_config(config_list))
user_proxy = autogen.UserProxyAgent(
    "user_proxy", human_input_mode="NEVER", code_execution_config=False, llm_config=False, default_auto_reply="more"
)
user_proxy.initiate_chat(assistant, message="Say something short.", max_turns=__CALLS__)
print("ALL TESTS PASSED !#!#")
testbed_utils.finalize(agents=[assistant, user_proxy])
"""


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def start_server(latency: float) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "bench" / "server.py"), "--port", "0", "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
        env=_env({}),
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"serving on (\S+)", line)
    if not match:
        proc.kill()
        raise SystemExit(f"bench/server.py did not start: {line!r}")
    return proc, match.group(1)


def server_calls(url: str) -> int:
    from openai import OpenAI

    client = OpenAI(base_url=url, api_key="sk-bench")
    reply = client.chat.completions.create(model="bench-stats", messages=[{"role": "user", "content": "stats"}])
    return int(json.loads(reply.choices[0].message.content or "{}")["calls"])


def write_scenario(root: Path, runs: int, calls: int) -> Path:
    template = root / "Templates" / "Short"
    template.mkdir(parents=True)
    (template / "scenario.py").write_text(SCENARIO.replace("__CALLS__", str(calls)))
    tasks = root / "Tasks" / "short.jsonl"
    tasks.parent.mkdir()
    tasks.write_text(
        "".join(json.dumps({"id": f"t{i:04d}", "template": "../Templates/Short"}) + "\n" for i in range(runs))
    )
    return tasks


def bench_run(
    tasks: Path, out: Path, url: str, *, parallel: int, backend: str, cpus: float, warm: bool
) -> tuple[float, float]:
    """Run the command; returns (wall seconds, CPU seconds of all its processes)."""
    config = json.dumps([{"model": "gpt-4o-mini", "base_url": url, "api_key": "sk-bench"}])
    command = [sys.executable, "-m", "autogen", "bench", "run", str(tasks), "--native", "--out", str(out)]
    command += ["--parallel", str(parallel), "--backend", backend, "--cpus-per-run", str(cpus)]
    command += ["--warm-start"] if warm else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        command, env=_env({"OAI_CONFIG_LIST": config, "COLUMNS": "120"}), capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"autogen bench run failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run_walls(out: Path) -> list[float]:
    return [json.loads(p.read_text())["duration_s"] for p in out.glob("*/*/*/bench_result.json")]


def overhead_breakdown(root: Path, url: str, calls: int) -> dict[str, float]:
    """One run's stages, in ms: expanding its folder, the process (run.sh + python + scenario), the logs' share."""
    sys.path.insert(0, str(REPO))
    from autogen.bench.expand import expand_task, write_run_script
    from autogen.bench.tasks import load_tasks

    [tasks] = load_tasks(root / "Tasks" / "short.jsonl")
    dest = root / "probe"
    started = time.perf_counter()
    expand_task(tasks[0], dest)
    write_run_script(dest, setting="Native", timeout=600, version="bench")
    expand_ms = (time.perf_counter() - started) * 1000
    config = json.dumps([{"model": "gpt-4o-mini", "base_url": url, "api_key": "sk-bench"}])
    env = _env({"OAI_CONFIG_LIST": config, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(["sh", "run.sh"], cwd=dest, env=env, capture_output=True, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    bare = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True)
        bare.append((time.perf_counter() - started) * 1000)
    return {
        "expand_ms": expand_ms,
        "run_sh_ms": statistics.median(samples),
        "bare_python_ms": statistics.median(bare),
        "telemetry_kb": (dest / "telemetry.db").stat().st_size / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--parallel", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--calls", type=int, default=2, help="model calls per run")
    parser.add_argument("--backend", default="local", choices=("local", "ray"))
    parser.add_argument("--cpus-per-run", type=float, default=0.02, help="CPUs each run declares (Ray schedules on it)")
    parser.add_argument("--warm-start", action="store_true", help="fork runs from a preloaded interpreter")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="autogen-bench-runs-") as tmp:
        root = Path(tmp)
        tasks = write_scenario(root, args.runs, args.calls)
        server, url = start_server(args.latency)
        zero, zero_url = start_server(0.0)
        try:
            load = os.getloadavg()[0]
            wall, cpu = bench_run(
                tasks,
                root / "Results",
                url,
                parallel=args.parallel,
                backend=args.backend,
                cpus=args.cpus_per_run,
                warm=args.warm_start,
            )
            calls = server_calls(url)
            walls = run_walls(root / "Results")
            stages = overhead_breakdown(root, zero_url, args.calls)
        finally:
            server.kill()
            zero.kill()
    ideal = args.runs * args.calls * args.latency / args.parallel
    cores = os.cpu_count() or 1
    print("| runs | parallel | latency | calls/run | backend | ideal | measured | ratio | CPU/run | CPU-bound floor |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    backend = args.backend + (" (warm start)" if args.warm_start else "")
    cells = [f"{args.runs}", f"{args.parallel}", f"{args.latency * 1000:.0f} ms", f"{args.calls}", backend]
    cells += [f"{ideal:.1f} s", f"{wall:.1f} s", f"{wall / ideal:.2f}x", f"{cpu / args.runs * 1000:.0f} ms"]
    cells += [f"{cpu / cores:.1f} s on {cores} cores"]
    print("| " + " | ".join(cells) + " |")
    print()
    print(f"model calls served: {calls} (expected {args.runs * args.calls}); results: {len(walls)} runs")
    p95 = sorted(walls)[int(len(walls) * 0.95) - 1]
    print(
        f"each run's own wall time (run.sh): median {statistics.median(walls):.2f} s, p95 {p95:.2f} s "
        f"(model latency alone: {args.calls * args.latency:.2f} s)"
    )
    print(
        f"one run alone, no latency: expand {stages['expand_ms']:.1f} ms; run.sh {stages['run_sh_ms']:.0f} ms "
        f"(a bare `python -c pass`: {stages['bare_python_ms']:.0f} ms); telemetry.db {stages['telemetry_kb']:.0f} KiB"
    )
    print(f"load average at start: {load:.2f}")
    if calls != args.runs * args.calls or len(walls) != args.runs:
        raise SystemExit("some runs did not complete")


if __name__ == "__main__":
    main()
