"""Smoke test of ``bench/run.py``: it runs every scenario end to end at tiny sizes and prints the table.

Only the table's shape and the LLM-call counts are asserted, never timings.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUN = REPO / "bench" / "run.py"


def load_run_module():
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory) -> tuple[str, dict]:
    raw = tmp_path_factory.mktemp("bench") / "raw.json"
    proc = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--json", str(raw)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, json.loads(raw.read_text())["runs"]["ours"]


def table_rows(stdout: str, header_start: str) -> list[list[str]]:
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


@pytest.mark.slow
def test_quick_run_prints_a_row_for_every_scenario(quick_run):
    stdout, _ = quick_run
    rows = table_rows(stdout, "| scenario | metric |")
    titles = {row[0] for row in rows[2:] if row[0]}
    assert titles == {s.title for s in load_run_module().SCENARIOS}
    assert all(len(row) == len(rows[0]) for row in rows)


@pytest.mark.slow
def test_quick_run_prints_a_verdict_for_every_target(quick_run):
    stdout, _ = quick_run
    rows = table_rows(stdout, "| target (issue 8) |")
    assert len(rows) - 2 == 10
    assert all(row[2] == "met" or row[2].startswith("MISSED") or row[2] == "?" for row in rows[2:])


@pytest.mark.slow
def test_quick_run_prints_a_verdict_for_every_issue_18_target(quick_run):
    stdout, _ = quick_run
    rows = table_rows(stdout, "| target (issue 18) |")
    assert len(rows) - 2 == 11
    assert all(row[2] == "met" or row[2].startswith(("MISSED", "?")) for row in rows[2:])


@pytest.mark.slow
def test_quick_run_completes_every_scenario_without_error(quick_run):
    _, runs = quick_run
    failed = {key: run[0].get("error") for key, run in runs.items() if "error" in run[0]}
    assert failed == {}


@pytest.mark.slow
def test_quick_run_makes_the_expected_number_of_llm_calls(quick_run):
    _, runs = quick_run
    first = {key: run[0] for key, run in runs.items()}
    assert first["s2"]["calls_per_chat"] == 5  # 3 turns between two LLM agents: 3 + 2 replies
    assert first["s3"]["rr_calls"] == 1
    assert first["s3"]["auto_calls"] == 2  # the speaker's reply plus one selection
    assert first["s3"]["garbage_calls"] >= 2
    assert first["s4"]["calls_per_trip"] == 2
    assert first["s4"]["tool_runs_per_trip"] == 1
    assert first["s5"]["calls"] == 5 * 2
    assert first["s6"]["replay_calls"] == 0
    assert first["s6"]["hit_calls"] == 0
    assert first["s7"]["calls"] == 20
    assert first["s8"]["streamed_calls"] == first["s8"]["calls"] == 3
    assert first["s10"]["calls"] == 20 * 2 and first["s10"]["failed_chats"] == 0


@pytest.mark.slow
def test_quick_run_measures_the_transport_floor_and_the_collector(quick_run):
    _, runs = quick_run
    floor = runs["s11"][0]
    assert floor["first_reply_ms"] > 0
    for shape in ("s5", "s10"):
        assert floor[f"{shape}_x_ideal"] >= 1.0  # the requests cannot beat the servers' latency
        assert floor[f"{shape}_cpu_ms_per_call"] > 0
        assert 0.0 <= floor[f"{shape}_gc_share"] < 1.0
    for scenario in ("s5", "s10"):
        assert 0.0 <= runs[scenario][0]["gc_share"] < 1.0


def test_a_gc_threshold_param_tunes_the_scenario_process_collector(monkeypatch, tmp_path):
    import gc

    sys.path.insert(0, str(REPO / "bench" / "scenarios"))
    try:
        import _common
    finally:
        sys.path.remove(str(REPO / "bench" / "scenarios"))
    argv = ["s", "--url", "u", "--slow-url", "v", "--out", str(tmp_path / "o.json")]
    previous = gc.get_threshold()
    try:
        monkeypatch.setattr(sys, "argv", [*argv, "--params", json.dumps({"gc_threshold": [12345, 11, 12]})])
        _common.Context()
        assert gc.get_threshold() == (12345, 11, 12)
        gc.set_threshold(*previous)
        monkeypatch.setattr(sys, "argv", argv)
        _common.Context()
        assert gc.get_threshold() == previous
    finally:
        gc.set_threshold(*previous)


def test_paired_ratio_pairs_runs_of_the_same_repeat_and_skips_failures():
    run = load_run_module()
    ours = [{"x": 1.0}, {"error": "boom"}, {"x": 3.0}]
    theirs = [{"x": 2.0}, {"x": 1.0}, {"x": 3.0}]
    assert run.paired_ratio(ours, theirs, "x") == pytest.approx(0.75)
