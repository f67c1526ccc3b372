"""Benchmark: this project's ``autogen`` against pyautogen 0.2.35, side by side, in one run.

    python bench/run.py --compare /tmp/pyautogen-venv/bin/python

runs the scenarios of issue 8 (and 9, the sandbox overhead of issue 17; 10, thousands of concurrent chats, issue
18) against local servers (``bench/server.py``, in their own processes so their CPU is not counted), alternating
the implementations, and prints a markdown table of medians with paired ratios (ours / 0.2, median over
repeats), then the issues' targets with met / missed. Without ``--compare`` only this project is measured;
``--baseline DIR`` adds this project at another checkout (e.g. a ``git worktree`` of an earlier commit) as a
"before" column. ``--quick`` runs
tiny sizes once (the smoke test uses it). Each scenario is a script in ``bench/scenarios/`` run by
the chosen interpreter, using only the 0.2 public API, so the same code measures both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SCENARIOS_DIR = BENCH / "scenarios"
LATENCY = 0.05  # seconds, the slow server's (scenario 5)
MANY_LATENCY = 1.0  # seconds, scenario 10's server
QUICK_MANY_LATENCY = 0.2
ISSUE_0_2_CPU_MS_PER_CALL = 7.1  # issue 8's measurement of pyautogen 0.2.35, used when not comparing


@dataclass
class Scenario:
    """One scenario script and its sizes."""

    key: str
    script: str
    title: str
    full: dict[str, Any]
    quick: dict[str, Any]
    max_repeats: Optional[int] = None  # scenario 7 is slow on 0.2: run it once by default
    v02_full: Optional[dict[str, Any]] = None  # sizes 0.2 runs instead (full mode), where ours would take it hours
    ours_only: bool = False  # measures no autogen (the transport floor): run by this project's interpreter only


SCENARIOS = [
    Scenario("s1", "s1_startup.py", "1 startup", {}, {}),
    Scenario("s2", "s2_two_agent_chat.py", "2 two-agent chat", {"turns": 20, "chats": 3}, {"turns": 3, "chats": 1}),
    Scenario("s3", "s3_group_chat.py", "3 group chat (4 agents)", {"max_round": 13}, {"max_round": 4}),
    Scenario("s4", "s4_tool_round_trip.py", "4 tool round trip", {"trips": 20}, {"trips": 2}),
    Scenario(
        "s5",
        "s5_concurrent_chats.py",
        "5 concurrent chats",
        {"chats": 100, "turns": 3, "latency": LATENCY},
        {"chats": 5, "turns": 2, "latency": LATENCY},
    ),
    Scenario("s6", "s6_cache.py", "6 disk cache", {"turns": 10, "hits": 200}, {"turns": 2, "hits": 10}),
    Scenario("s7", "s7_memory.py", "7 many agents", {"agents": 1000}, {"agents": 20}, max_repeats=1),
    Scenario("s8", "s8_streaming.py", "8 streaming", {"turns": 10}, {"turns": 2}),
    Scenario("s9", "s9_sandbox.py", "9 code block: local vs sandbox", {"runs": 20}, {"runs": 3}),
    Scenario(
        "s10",
        "s10_thousands_of_chats.py",
        "10 thousands of concurrent chats",
        {"chats": 2000, "turns": 3, "latency": MANY_LATENCY},
        {"chats": 20, "turns": 2, "latency": QUICK_MANY_LATENCY},
        max_repeats=1,
        # 0.2 runs each async LLM call in the default thread pool (6 threads on 2 cores): 2,000 chats would
        # take ~1,000 s and ~3.4 GB, so it gets 60 chats (still 30 s).
        v02_full={"chats": 60},
    ),
    Scenario(
        "s11",
        "s11_transport_floor.py",
        "11 transport floor of 1, 5 and 10 (aiohttp alone)",
        {"chats5": 100, "latency5": LATENCY, "chats10": 2000, "latency10": MANY_LATENCY, "turns": 3},
        {"chats5": 5, "latency5": LATENCY, "chats10": 20, "latency10": QUICK_MANY_LATENCY, "turns": 2},
        ours_only=True,
    ),
]


@dataclass
class Metric:
    """One row of the table: a value a scenario reports."""

    scenario: str
    key: str
    label: str
    unit: str = ""
    digits: int = 2


METRICS = [
    Metric("s1", "import_ms", "import autogen", "ms", 0),
    Metric("s1", "first_reply_ms", "new process -> first reply", "ms", 0),
    Metric("s1", "heavy_modules_at_import", "heavy modules after import"),
    Metric("s1", "heavy_modules_at_reply", "heavy modules after the first reply"),
    Metric("s1", "cli_help_ms", "`python -m autogen --help` (median of 5)", "ms", 0),
    Metric("s1", "python_startup_ms", "`python -c pass` (median of 5, the floor)", "ms", 0),
    Metric("s2", "wall_ms_per_call", "wall per LLM call", "ms"),
    Metric("s2", "cpu_ms_per_call", "CPU per LLM call", "ms"),
    Metric("s2", "calls_per_chat", "LLM calls per chat", "", 0),
    Metric("s2", "client_cpu_ms_per_call", "OpenAIWrapper.create alone, final history: CPU", "ms"),
    Metric("s3", "rr_ms", "round_robin: wall per round", "ms"),
    Metric("s3", "rr_cpu_ms", "round_robin: CPU per round", "ms"),
    Metric("s3", "rr_calls", "round_robin: LLM calls per round"),
    Metric("s3", "auto_ms", "auto: wall per round", "ms"),
    Metric("s3", "auto_cpu_ms", "auto: CPU per round", "ms"),
    Metric("s3", "auto_calls", "auto: LLM calls per round"),
    Metric("s3", "garbage_calls", "auto, garbage selector: LLM calls per round"),
    Metric("s3", "garbage_ms", "auto, garbage selector: wall per round", "ms"),
    Metric("s4", "wall_ms_per_trip", "wall per round trip", "ms"),
    Metric("s4", "cpu_ms_per_trip", "CPU per round trip", "ms"),
    Metric("s4", "calls_per_trip", "LLM calls per round trip"),
    Metric("s4", "tool_runs_per_trip", "tool runs per round trip"),
    Metric("s5", "wall_s", "wall, all chats", "s"),
    Metric("s5", "x_ideal", "wall / ideal (turns x latency)", "x", 1),
    Metric("s5", "cpu_s", "CPU, all chats", "s"),
    Metric("s5", "cpu_ms_per_call", "CPU per LLM call", "ms"),
    Metric("s5", "calls", "LLM calls", "", 0),
    Metric("s5", "gc_share", "share of CPU in the cyclic GC", "", 2),
    Metric("s6", "first_ms_per_call", "first run: wall per LLM call", "ms"),
    Metric("s6", "replay_ms_per_message", "replay: wall per message", "ms"),
    Metric("s6", "replay_cpu_ms_per_message", "replay: CPU per message", "ms"),
    Metric("s6", "replay_calls", "replay: LLM calls", "", 0),
    Metric("s6", "hit_cpu_ms", "cache hit via cache_seed (OpenAIWrapper.create): CPU", "ms", 3),
    Metric("s6", "fsyncs_per_hit", "cache hit via cache_seed: fsync/fdatasync (strace)", "", 1),
    Metric("s6", "explicit_hit_cpu_ms", "cache hit via cache=Cache.disk(): CPU", "ms", 3),
    Metric("s6", "explicit_fsyncs_per_hit", "cache hit via cache=Cache.disk(): fsync/fdatasync", "", 1),
    Metric("s7", "create_ms_per_agent", "creation per agent", "ms", 3),
    Metric("s7", "create_total_s", "creation, all agents", "s"),
    Metric("s7", "first_agent_ms", "creation of the first agent", "ms", 1),
    Metric("s7", "create_rest_ms_per_agent", "creation per agent after the first", "ms", 3),
    Metric("s7", "chat_ms_per_agent", "one-turn chat per agent", "ms"),
    Metric("s7", "peak_rss_mb", "peak RSS", "MB", 0),
    Metric("s7", "rss_before_mb", "RSS before creating agents", "MB", 0),
    Metric("s7", "calls", "LLM calls", "", 0),
    Metric("s8", "wall_ms_per_call", "wall per LLM call", "ms"),
    Metric("s8", "cpu_ms_per_call", "CPU per LLM call", "ms"),
    Metric("s8", "streamed_calls", "streamed LLM calls", "", 0),
    Metric("s8", "usage_exact", "usage equals the server's count"),
    Metric("s9", "local_ms", "print(1) block, local executor: wall", "ms", 1),
    Metric("s9", "sandbox_ms", "print(1) block, bubblewrap sandbox: wall", "ms", 1),
    Metric("s9", "overhead_ms", "sandbox overhead per block", "ms", 1),
    Metric("s9", "sandbox", "sandbox used"),
    Metric("s10", "chats", "concurrent chats", "", 0),
    Metric("s10", "wall_s", "wall, all chats", "s"),
    Metric("s10", "x_ideal", "wall / ideal (turns x latency)", "x", 2),
    Metric("s10", "cpu_s", "CPU, all chats", "s"),
    Metric("s10", "cpu_ms_per_call", "CPU per LLM call", "ms"),
    Metric("s10", "calls", "LLM calls", "", 0),
    Metric("s10", "failed_chats", "failed chats", "", 0),
    Metric("s10", "peak_rss_mb", "peak RSS", "MB", 0),
    Metric("s10", "gc_share", "share of CPU in the cyclic GC", "", 2),
    Metric("s11", "first_reply_ms", "scenario 1's floor: new process -> first response", "ms", 0),
    Metric("s11", "s5_x_ideal", "scenario 5's requests: wall / ideal", "x", 2),
    Metric("s11", "s5_cpu_ms_per_call", "scenario 5's requests: CPU per request", "ms", 3),
    Metric("s11", "s10_x_ideal", "scenario 10's requests: wall / ideal", "x", 2),
    Metric("s11", "s10_cpu_ms_per_call", "scenario 10's requests: CPU per request", "ms", 3),
    Metric("s11", "s10_gc_share", "scenario 10's requests: share of CPU in the cyclic GC", "", 2),
]


@dataclass
class Impl:
    """An interpreter whose ``import autogen`` is measured."""

    tag: str
    label: str
    python: str
    env: dict[str, str]
    runs: dict[str, list[dict]] = field(default_factory=dict)


# ---- processes ---------------------------------------------------------------------------------
def our_env(checkout: Path = REPO) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(checkout), env.get("PYTHONPATH", "")) if p)
    return env


def their_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["AUTOGEN_USE_DOCKER"] = "False"
    return env


def start_server(latency: float) -> tuple[subprocess.Popen, str]:
    """Start ``bench/server.py`` in its own process; returns it and its base URL."""
    proc = subprocess.Popen(
        [sys.executable, str(BENCH / "server.py"), "--port", "0", "--latency", str(latency), "--reply-chars", "200"],
        env=our_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("serving on "):
        proc.kill()
        raise RuntimeError(f"benchmark server did not start (said {line!r})")
    return proc, line.split("serving on ", 1)[1].strip()


def run_scenario(
    impl: Impl, scenario: Scenario, params: dict, urls: tuple[str, ...], workdir: Path, timeout: float, wrap: list[str]
) -> dict:
    """Run one scenario process; returns its metrics, or ``{"error": ...}``."""
    out = Path(tempfile.mkstemp(prefix=f"{impl.tag}-{scenario.key}-", suffix=".json", dir=workdir)[1])
    out.unlink()
    if scenario.key in ("s10", "s11"):
        params = {**params, "url": urls[2]}
    command = [impl.python, str(SCENARIOS_DIR / scenario.script), "--url", urls[0], "--slow-url", urls[1]]
    command += ["--params", json.dumps(params), "--out", str(out)]
    spawned = time.time()
    try:
        proc = subprocess.run(
            wrap + command,
            cwd=workdir,
            env=impl.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if not out.exists():
        tail = (proc.stderr or "").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        return {"error": f"crashed: {tail[0][:200]}"}
    result = json.loads(out.read_text())
    if "first_reply_epoch" in result:
        result["first_reply_ms"] = (result.pop("first_reply_epoch") - spawned) * 1000
    return result


def compile_package(impl: Impl) -> None:
    """Byte-compile the ``autogen`` package ``impl`` imports, as ``pip install`` does, so that no scenario
    measures compiling source (this checkout is imported from source, where a PYTHONDONTWRITEBYTECODE
    environment would otherwise make every process compile it again)."""
    found = subprocess.run(
        [impl.python, "-c", "import autogen, os; print(os.path.dirname(autogen.__file__))"],
        env=impl.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    package = found.stdout.strip()
    subprocess.run([impl.python, "-m", "compileall", "-q", package], env=impl.env, capture_output=True, timeout=600)


def command_ms(impl: Impl, args: list[str], workdir: Path, times: int = 5) -> float:
    """Median wall time (ms) of running ``impl.python ARGS`` to its end."""
    walls = []
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run([impl.python, *args], cwd=workdir, env=impl.env, capture_output=True, timeout=60, check=True)
        walls.append((time.perf_counter() - started) * 1000)
    return statistics.median(walls)


def cli_timing(impl: Impl, workdir: Path) -> dict[str, float]:
    """``autogen --help`` and a bare interpreter's start, for this project (0.2 has no command)."""
    return {
        "cli_help_ms": command_ms(impl, ["-m", "autogen", "--help"], workdir),
        "python_startup_ms": command_ms(impl, ["-c", "pass"], workdir),
    }


def fsync_probe(impl: Impl, urls: tuple[str, ...], workdir: Path) -> dict[str, float]:
    """fsync/fdatasync calls per cache hit, counted by strace between scenario 6's markers."""
    if not shutil.which("strace"):
        return {}
    trace = workdir / f"{impl.tag}-fsync.trace"
    wrap = ["strace", "-f", "-qq", "-e", "trace=fsync,fdatasync,stat,newfstatat,statx", "-o", str(trace)]
    hits = 20
    scenario = next(s for s in SCENARIOS if s.key == "s6")
    result = run_scenario(impl, scenario, {"turns": 2, "hits": hits}, urls, workdir, 300, wrap)
    if "error" in result or not trace.exists():
        return {}
    counts = {"HITS": 0, "XHITS": 0}
    phase = None
    for line in trace.read_text().splitlines():
        if "/BENCH-MARK-" in line:
            label = line.split("/BENCH-MARK-", 1)[1].split('"', 1)[0]
            phase = label[: -len("-BEGIN")] if label.endswith("-BEGIN") else None
        elif phase in counts and ("fsync(" in line or "fdatasync(" in line):
            counts[phase] += 1
    return {"fsyncs_per_hit": counts["HITS"] / hits, "explicit_fsyncs_per_hit": counts["XHITS"] / hits}


# ---- statistics and the table ------------------------------------------------------------------
def values(runs: list[dict], key: str) -> list[Any]:
    return [run[key] for run in runs if "error" not in run and key in run]


def median(runs: list[dict], key: str) -> Any:
    found = values(runs, key)
    if not found:
        return None
    if all(isinstance(v, bool) for v in found):
        return all(found)
    if all(isinstance(v, (int, float)) for v in found):
        return statistics.median(found)
    return found[0]


def paired_ratio(ours: list[dict], theirs: list[dict], key: str) -> Optional[float]:
    """Median over repeats of ours/theirs, pairing the runs of the same repeat."""
    ratios = []
    for a, b in zip(ours, theirs):
        x, y = a.get(key), b.get(key)
        if "error" in a or "error" in b or isinstance(x, bool) or isinstance(y, bool):
            continue
        if isinstance(x, (int, float)) and isinstance(y, (int, float)) and y:
            ratios.append(x / y)
    return statistics.median(ratios) if ratios else None


def show(value: Any, metric: Metric, runs: list[dict]) -> str:
    if value is None:
        errors = [run["error"] for run in runs if "error" in run]
        if errors:
            return "fails: " + errors[0].split(":", 1)[0]
        return "—" if not runs else "n/a"
    failed = sum("error" in run for run in runs)
    note = f" ({failed}/{len(runs)} failed)" if failed else ""
    if isinstance(value, bool):
        return ("yes" if value else "no") + note
    if isinstance(value, list):
        return (", ".join(value) or "none") + note
    if isinstance(value, float):
        return f"{value:.{metric.digits}f}{(' ' + metric.unit) if metric.unit else ''}{note}"
    return f"{value}{(' ' + metric.unit) if metric.unit else ''}{note}"


def failures(impls: list[Impl]) -> str:
    """One line per scenario that failed, with the error's text."""
    lines = []
    for impl in impls:
        for key, runs in impl.runs.items():
            errors = [run["error"] for run in runs if "error" in run]
            if errors:
                text = errors[0].replace("|", "/")[:240]
                lines.append(f"- {impl.label}, {key}: failed {len(errors)}/{len(runs)}: {text}")
    return "\n".join(["Failures:", *lines]) if lines else ""


def table(impls: list[Impl]) -> str:
    ours = impls[0]
    others = {impl.tag: impl for impl in impls[1:]}
    labels = (("v02", "ratio ours/0.2"), ("before", "ratio ours/before"))
    ratios = [(tag, label) for tag, label in labels if tag in others]
    head = ["scenario", "metric"] + [impl.label for impl in impls] + [label for _, label in ratios]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    titles = {s.key: s.title for s in SCENARIOS}
    previous = ""
    for metric in METRICS:
        if not any(metric.scenario in impl.runs for impl in impls):
            continue
        cells = [titles[metric.scenario] if metric.scenario != previous else "", metric.label]
        previous = metric.scenario
        for impl in impls:
            runs = impl.runs.get(metric.scenario, [])
            cells.append(show(median(runs, metric.key), metric, runs))
        for tag, _ in ratios:
            ratio = paired_ratio(
                ours.runs.get(metric.scenario, []), others[tag].runs.get(metric.scenario, []), metric.key
            )
            cells.append(f"{ratio:.2f}" if ratio is not None else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(ours: Impl, theirs: Optional[Impl]) -> str:
    """Issue 8's targets, each with the measured value and met / missed."""

    def m(impl: Optional[Impl], scenario: str, key: str) -> Any:
        return median(impl.runs.get(scenario, []), key) if impl else None

    rows: list[tuple[str, str, str]] = []

    def check(name: str, value: Any, good: Callable[[Any], bool], shown: str, missed: Callable[[Any], str]) -> None:
        if value is None:
            rows.append((name, "not measured (scenario failed or skipped)", "?"))
        else:
            rows.append((name, shown, "met" if good(value) else "MISSED: " + missed(value)))

    cpu, their_cpu = m(ours, "s2", "cpu_ms_per_call"), m(theirs, "s2", "cpu_ms_per_call")
    reference = their_cpu if their_cpu else ISSUE_0_2_CPU_MS_PER_CALL
    source = "measured" if their_cpu else "issue 8's figure"
    check(
        "CPU per LLM call <= 1/3 of 0.2's (s2)",
        cpu,
        lambda v: v <= reference / 3,
        f"{cpu or 0:.2f} ms vs 0.2 {reference:.2f} ms ({source}): {(cpu or 0) / reference:.2f}x",
        lambda v: f"{v / (reference / 3):.1f}x over the {reference / 3:.2f} ms budget",
    )
    per_agent, agents = m(ours, "s7", "create_ms_per_agent"), m(ours, "s7", "agents")
    total_1000 = per_agent * 1000 / 1000 if per_agent is not None else None  # seconds for 1000 agents
    check(
        "1000 agents created in < 1 s (s7)",
        total_1000,
        lambda v: v < 1.0,
        f"{total_1000 or 0:.2f} s per 1000 agents (measured with {agents} agents)",
        lambda v: f"{v:.1f}x over",
    )
    rss = m(ours, "s7", "peak_rss_mb")
    check(
        "peak RSS < 150 MB (s7)",
        rss if agents == 1000 else None,
        lambda v: v < 150,
        f"{rss or 0:.0f} MB",
        lambda v: f"{v - 150:.0f} MB over",
    )
    x_ideal = m(ours, "s5", "x_ideal")
    check(
        "concurrent chats within 1.5x of ideal (s5)",
        x_ideal,
        lambda v: v <= 1.5,
        f"{x_ideal or 0:.2f}x ideal",
        lambda v: f"{v / 1.5:.1f}x over the 1.5x budget",
    )
    first = m(ours, "s1", "first_reply_ms")
    check(
        "new process -> first reply < 0.5 s (s1)",
        first,
        lambda v: v < 500,
        f"{first or 0:.0f} ms",
        lambda v: f"{v - 500:.0f} ms over",
    )
    auto_calls, rr_calls = m(ours, "s3", "auto_calls"), m(ours, "s3", "rr_calls")
    extra_calls = auto_calls - rr_calls if auto_calls is not None and rr_calls is not None else None
    check(
        "auto selection: exactly 1 extra LLM call per round (s3)",
        extra_calls,
        lambda v: abs(v - 1) < 1e-9,
        f"{extra_calls or 0:.2f} extra calls per round",
        lambda v: f"{v - 1:+.2f} calls per round",
    )
    auto_cpu, rr_cpu = m(ours, "s3", "auto_cpu_ms"), m(ours, "s3", "rr_cpu_ms")
    overhead = auto_cpu - rr_cpu - cpu if None not in (auto_cpu, rr_cpu, cpu) else None
    check(
        "auto selection: < 2 ms CPU per round beyond its call (s3)",
        overhead,
        lambda v: v < 2,
        f"auto - round_robin = {(auto_cpu or 0) - (rr_cpu or 0):.2f} ms per round, less one call "
        f"({cpu or 0:.2f} ms, s2) = {overhead or 0:.2f} ms",
        lambda v: f"{v - 2:.2f} ms over",
    )
    hit = m(ours, "s6", "hit_cpu_ms")
    check(
        "cache hit < 1 ms CPU (s6, via cache_seed)",
        hit,
        lambda v: v < 1,
        f"{hit or 0:.3f} ms",
        lambda v: f"{v - 1:.2f} ms over",
    )
    fsyncs = m(ours, "s6", "fsyncs_per_hit")
    check(
        "no fsync on a cache hit (s6, via cache_seed, strace)",
        fsyncs,
        lambda v: v == 0,
        f"{fsyncs or 0:.1f} per hit",
        lambda v: "fsyncs",
    )
    runs8 = ours.runs.get("s8", [])
    exact = median(runs8, "usage_exact")
    streamed = median(runs8, "streamed_calls")
    check(
        "streaming works offline with exact usage (s8)",
        exact if streamed else None,
        bool,
        "works, usage exact" if exact else "works, usage not exact",
        lambda v: "usage differs from the server's count",
    )
    lines = ["| target (issue 8) | measured (ours) | verdict |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def targets_18(ours: Impl, before: Optional[Impl], theirs: Optional[Impl]) -> str:
    """Issue 18's targets, each with the measured value and met / missed."""

    def m(impl: Optional[Impl], scenario: str, key: str) -> Any:
        return median(impl.runs.get(scenario, []), key) if impl else None

    rows: list[tuple[str, str, str]] = []

    def check(name: str, value: Any, good: bool, shown: str, missed: str) -> None:
        if value is None:
            rows.append((name, "not measured (scenario failed or skipped)", "?"))
        else:
            rows.append((name, shown, "met" if good else "MISSED: " + missed))

    def floor_note(scenario: str, budget: float) -> str:
        """What the same requests cost with no framework at all (s11), and whether that alone meets the budget."""
        floor = m(ours, "s11", f"{scenario}_x_ideal")
        if floor is None:
            return ""
        verdict = "so no framework on this client can meet it here" if floor > budget else "within the budget"
        return f"; aiohttp alone, same requests (s11): {floor:.2f}x, {verdict}"

    x5 = m(ours, "s5", "x_ideal")
    check(
        "100 concurrent chats, 50 ms latency: within 1.5x of ideal (s5)",
        x5,
        x5 is not None and x5 <= 1.5,
        f"{x5 or 0:.2f}x ideal",
        f"{(x5 or 0) / 1.5:.2f}x the 1.5x budget" + floor_note("s5", 1.5),
    )
    x10, rss10, failed10, chats10 = (m(ours, "s10", k) for k in ("x_ideal", "peak_rss_mb", "failed_chats", "chats"))
    check(
        f"{chats10 or 2000} concurrent chats, 1 s latency: within 1.2x of ideal (s10)",
        x10,
        x10 is not None and x10 <= 1.2,
        f"{x10 or 0:.2f}x ideal",
        f"{(x10 or 0) / 1.2:.2f}x the 1.2x budget" + floor_note("s10", 1.2),
    )
    check(
        "... peak RSS < 400 MB, no failed chat (s10)",
        rss10,
        rss10 is not None and rss10 < 400 and not failed10,
        f"{rss10 or 0:.0f} MB, {failed10 or 0} failed",
        f"{rss10 or 0:.0f} MB, {failed10} failed",
    )
    cpu, their_cpu = m(ours, "s2", "cpu_ms_per_call"), m(theirs, "s2", "cpu_ms_per_call")
    reference = their_cpu or ISSUE_0_2_CPU_MS_PER_CALL
    check(
        "CPU per LLM call <= 1/5 of 0.2's (s2)",
        cpu,
        cpu is not None and cpu <= reference / 5,
        f"{cpu or 0:.2f} ms vs 0.2 {reference:.2f} ms: {(cpu or 0) / reference:.2f}x",
        f"{(cpu or 0) / (reference / 5):.2f}x the {reference / 5:.2f} ms budget",
    )
    first, first_floor = m(ours, "s1", "first_reply_ms"), m(ours, "s11", "first_reply_ms")
    floor_text = "" if first_floor is None else f"; importing aiohttp and one request alone (s11): {first_floor:.0f} ms"
    check(
        "new process -> first reply < 0.4 s (s1)",
        first,
        first is not None and first < 400,
        f"{first or 0:.0f} ms",
        f"{(first or 0) - 400:.0f} ms over" + floor_text,
    )
    help_ms, floor = m(ours, "s1", "cli_help_ms"), m(ours, "s1", "python_startup_ms")
    check(
        "`autogen --help` < 0.15 s (s1)",
        help_ms,
        help_ms is not None and help_ms < 150,
        f"{help_ms or 0:.0f} ms (a bare `python -c pass`: {floor or 0:.0f} ms)",
        f"{(help_ms or 0) - 150:.0f} ms over",
    )
    for scenario, key, name in (
        ("s3", "auto_cpu_ms", "group chat auto selection, CPU per round (s3)"),
        ("s4", "cpu_ms_per_trip", "tool round trip, CPU (s4)"),
        ("s6", "hit_cpu_ms", "cache hit via cache_seed, CPU (s6)"),
        ("s7", "create_total_s", "1000 agents, creation (s7)"),
        ("s7", "peak_rss_mb", "1000 agents, peak RSS (s7)"),
    ):
        now, then = m(ours, scenario, key), m(before, scenario, key)
        if then is None:
            rows.append((name + ": no worse than before", f"{now}", "? (not measured for both: --baseline)"))
            continue
        ratio = paired_ratio(ours.runs.get(scenario, []), before.runs.get(scenario, []), key) if before else None
        check(
            name + ": no worse than before (within 10 %)",
            ratio,
            ratio is not None and ratio <= 1.10,
            f"{now:.3g} vs {then:.3g} before (paired ratio {ratio or 0:.2f})",
            f"{((ratio or 0) - 1) * 100:.0f} % worse",
        )
    lines = ["| target (issue 18) | measured (ours) | verdict |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


# ---- main --------------------------------------------------------------------------------------
def parse_args(argv: Optional[list[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark autogen (and pyautogen 0.2.35 with --compare).")
    parser.add_argument("--compare", metavar="VENV_PYTHON", help="interpreter with pyautogen==0.2.35 installed")
    parser.add_argument("--baseline", metavar="DIR", help="a checkout of this project to measure as 'before'")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repeat (smoke test)")
    parser.add_argument("--repeats", type=int, default=None, help="repeats per scenario (default 3, quick 1)")
    parser.add_argument("--only", default="", help="comma-separated scenarios to run, e.g. s2,s7")
    parser.add_argument("--json", metavar="FILE", help="also write every run's raw metrics here")
    parser.add_argument("--profile", metavar="DIR", help="write a cProfile dump per scenario process here")
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed per scenario process")
    parser.add_argument(
        "--gc-threshold",
        metavar="G0,G1,G2",
        help="run every scenario process with gc.set_threshold(G0, G1, G2), as an application may tune it",
    )
    return parser.parse_args(argv)


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}"
    )


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    chosen = [s for s in SCENARIOS if not only or s.key in only]
    repeats = args.repeats or (1 if args.quick else 3)
    impls = [Impl("ours", "autogen (this project)", sys.executable, our_env())]
    if args.baseline:
        impls.append(Impl("before", "autogen before", sys.executable, our_env(Path(args.baseline).resolve())))
    if args.compare:
        impls.append(Impl("v02", "pyautogen 0.2.35", args.compare, their_env()))
    workdir = Path(tempfile.mkdtemp(prefix="autogen-bench-"))
    started = time.perf_counter()
    start_machine = machine()
    servers = []
    try:
        fast, fast_url = start_server(0.0)
        servers.append(fast)
        slow, slow_url = start_server(LATENCY)
        servers.append(slow)
        urls: tuple[str, ...] = (fast_url, slow_url)
        if any(s.key in ("s10", "s11") for s in chosen):
            many, many_url = start_server(QUICK_MANY_LATENCY if args.quick else MANY_LATENCY)
            servers.append(many)
            urls += (many_url,)
        for impl in impls:  # as installed: byte-compiled (pip compiles; PYTHONDONTWRITEBYTECODE may be set here)
            if impl.tag != "v02":
                compile_package(impl)
        warmup = next(s for s in SCENARIOS if s.key == "s1")
        for impl in impls:  # warm the disk cache before anything is timed
            run_scenario(impl, warmup, {}, urls, workdir, args.timeout, [])
        for repeat in range(repeats):
            order = impls if repeat % 2 == 0 else impls[::-1]
            for scenario in chosen:
                if scenario.max_repeats is not None and repeat >= scenario.max_repeats:
                    continue
                for impl in order:
                    if scenario.ours_only and impl.tag != "ours":
                        continue
                    params = scenario.quick if args.quick else scenario.full
                    if args.gc_threshold:
                        params = {**params, "gc_threshold": [int(v) for v in args.gc_threshold.split(",")]}
                    if impl.tag == "v02" and scenario.v02_full and not args.quick:
                        params = {**params, **scenario.v02_full}
                    wrap: list[str] = []
                    env_before = impl.env
                    if args.profile:
                        Path(args.profile).mkdir(parents=True, exist_ok=True)
                        profile = Path(args.profile).resolve() / f"{impl.tag}-{scenario.key}-{repeat}.prof"
                        impl.env = {**impl.env, "BENCH_PROFILE": str(profile)}
                    t0 = time.perf_counter()
                    result = run_scenario(impl, scenario, params, urls, workdir, args.timeout, wrap)
                    impl.env = env_before
                    impl.runs.setdefault(scenario.key, []).append(result)
                    status = result.get("error", "ok")
                    took = time.perf_counter() - t0
                    print(
                        f"[{repeat + 1}/{repeats}] {scenario.key} {impl.tag}: {took:.1f} s, {status}",
                        file=sys.stderr,
                        flush=True,
                    )
        if any(s.key == "s1" for s in chosen):
            for impl in impls:
                if impl.tag != "v02":
                    timing = cli_timing(impl, workdir)
                    for run in impl.runs.get("s1", []):
                        run.update(timing)
        if any(s.key == "s6" for s in chosen) and not args.quick:
            for impl in impls:
                counted = fsync_probe(impl, urls, workdir)
                for run in impl.runs.get("s6", []):
                    run.update(counted)
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)
    versions = []
    for impl in impls:
        found = [run["impl"] for runs in impl.runs.values() for run in runs if "impl" in run]
        where = f"{found[0]['version']} from {found[0]['path']}" if found else "not imported"
        versions.append(f"- {impl.label}: autogen {where} ({impl.python})")
    mode = "quick" if args.quick else "full"
    print(f"## autogen benchmark ({mode}, {repeats} repeat(s), medians; {time.perf_counter() - started:.0f} s)")
    print(f"\nMachine at start: {start_machine}\nMachine at end:   {machine()}")
    if args.gc_threshold:
        print(f"Every scenario process ran with gc.set_threshold({args.gc_threshold}).")
    print("\n".join(["", *versions, ""]))
    print(table(impls))
    if failures(impls):
        print("\n" + failures(impls))
    tagged = {impl.tag: impl for impl in impls}
    print("\n" + targets(impls[0], tagged.get("v02")))
    print("\n" + targets_18(impls[0], tagged.get("before"), tagged.get("v02")))
    if args.json:
        raw = {"machine": start_machine, "mode": mode, "repeats": repeats}
        raw["runs"] = {impl.tag: impl.runs for impl in impls}
        Path(args.json).write_text(json.dumps(raw, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
