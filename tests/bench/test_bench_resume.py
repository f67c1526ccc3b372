"""Interrupted `autogen bench run`s resume with the same command; runs have a wall-clock limit."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from autogen.testing import OpenAITestServer
from tests.cli._run import cli_env

from ._helpers import bench, humaneval_reply, write_tasks

ENTRY = re.compile(r"calls it on the\s+function `(\w+)`")

SLEEPER = "import time\nprint('sleeping', flush=True)\ntime.sleep(60)\n"


def _task_rows(scenario, count):
    rows = [json.loads(line) for line in (scenario / "Tasks" / "human_eval_TwoAgents.jsonl").read_text().splitlines()]
    return rows[:count]


@pytest.mark.slow
def test_ctrl_c_mid_batch_then_the_same_command_finishes_without_redoing_runs(tmp_path):
    assert bench("clone", "HumanEval", cwd=tmp_path).returncode == 0
    scenario = tmp_path / "HumanEval"
    tasks = write_tasks(scenario / "Tasks" / "four.jsonl", _task_rows(scenario, 4))
    results = scenario / "Results" / "four"
    with OpenAITestServer(default_reply=humaneval_reply, latency=0.5) as server:
        command = [sys.executable, "-m", "autogen", "bench", "run", str(tasks), "--native"]
        proc = subprocess.Popen(
            command,
            cwd=scenario,
            env=cli_env(server.config_list()),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while not (results / "HumanEval_0" / "0").is_dir():  # the first run has finished
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)
        time.sleep(0.8)  # the second run is now under way
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in the terminal
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, out + err
        assert "interrupted" in err
        assert "Run the same command again to resume" in out

        finished = sorted(p.parent.name for p in results.glob("*/0"))
        assert "HumanEval_0" in finished and len(finished) < 4
        assert not list(results.glob("*/.*"))  # the run that was cut short left nothing behind
        stamps = {name: (results / name / "0" / "console_log.txt").stat().st_mtime_ns for name in finished}
        # a machine lost mid-run leaves a half-written temporary folder: it must be discarded on resume
        lost = results / "HumanEval_3" / ".0.partial-lostmachine"
        lost.mkdir(parents=True)
        (lost / "console_log.txt").write_text("half a run")

        before = len(server.chat_requests)
        again = bench("run", str(tasks), "--native", config_list=server.config_list(), cwd=scenario)
        assert again.returncode == 0, again.stdout + again.stderr
        assert f"{4 - len(finished)} runs to do, {len(finished)} already finished" in again.stdout
        redone = server.chat_requests[before:]
    for name, stamp in stamps.items():  # finished runs were not touched
        assert (results / name / "0" / "console_log.txt").stat().st_mtime_ns == stamp
    assert sorted(p.parent.name for p in results.glob("*/0")) == [f"HumanEval_{i}" for i in range(4)]
    assert not lost.exists()
    assert "half a run" not in (results / "HumanEval_3" / "0" / "console_log.txt").read_text()
    # only the unfinished tasks reached the model again
    entries = {row["id"]: row["substitutions"]["scenario.py"]["__ENTRY_POINT__"] for row in _task_rows(scenario, 4)}
    asked = {name for body in redone for m in body["messages"] for name in ENTRY.findall(str(m.get("content")))}
    assert asked == {entries[name] for name in entries if name not in finished}


@pytest.mark.slow
def test_a_run_past_its_time_limit_is_stopped_and_recorded_as_timed_out(tmp_path):
    template = tmp_path / "Templates" / "Sleeper"
    template.mkdir(parents=True)
    (template / "scenario.py").write_text(SLEEPER)
    tasks = write_tasks(tmp_path / "Tasks" / "sleepy.jsonl", [{"id": "nap", "template": "../Templates/Sleeper"}])
    started = time.monotonic()
    result = bench(
        "run", str(tasks), "--native", "--timeout", "2", config_list=[{"model": "m", "api_key": "k"}], cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert time.monotonic() - started < 30
    run_dir = tmp_path / "Results" / "sleepy" / "nap" / "0"
    log = (run_dir / "console_log.txt").read_text()
    assert "sleeping" in log and "EXCEEDED THE TIME LIMIT OF 2 SECONDS !#!#" in log
    record = json.loads((run_dir / "bench_result.json").read_text())
    assert record["exit_code"] == 0  # run.sh itself ended normally after its `timeout` fired
    assert record["duration_s"] < 15
