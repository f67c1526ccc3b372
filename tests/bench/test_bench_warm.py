"""`--warm-start`: native runs forked from a preloaded interpreter behave like fresh `python scenario.py` runs."""

from __future__ import annotations

import json
import os
import time

import pytest

from autogen.testing import OpenAITestServer

from ._helpers import bench, clone_humaneval, humaneval_reply, tabulate_json, write_tasks

pytestmark = pytest.mark.slow

PROBE = """import os, sys
import testbed_utils
testbed_utils.init()
open("pid.txt", "w").write(str(os.getpid()))
print("ARGV=" + " ".join(sys.argv), "CWD_OK=" + str(os.getcwd() == os.path.dirname(os.path.abspath(__file__))))
print("NAME=" + __name__, "ENV=" + os.environ.get("BENCH_PROBE", "missing"))
sys.stdout.flush()
if "__SLEEP__" == "yes":
    import time
    time.sleep(120)
sys.exit(3)
"""


def test_warm_runs_score_like_fresh_processes_and_die_at_their_time_limit(tmp_path):
    scenario, rows = clone_humaneval(tmp_path)
    tasks = write_tasks(
        scenario / "Tasks" / "warm.jsonl", [r for r in rows if r["id"] in ("HumanEval_2", "HumanEval_5")]
    )
    probe = scenario / "Templates" / "Probe"
    probe.mkdir()
    (probe / "scenario.py").write_text(PROBE)
    (scenario / "ENV.json").write_text(json.dumps({"BENCH_PROBE": "from-env-json"}))
    write_tasks(
        scenario / "Tasks" / "probe.jsonl",
        [
            {"id": "exits", "template": "../Templates/Probe", "substitutions": {"scenario.py": {"__SLEEP__": "no"}}},
            {"id": "sleeps", "template": "../Templates/Probe", "substitutions": {"scenario.py": {"__SLEEP__": "yes"}}},
        ],
    )
    with OpenAITestServer(default_reply=humaneval_reply) as server:
        config = server.config_list()
        run = bench("run", str(tasks), "--native", "--warm-start", "--parallel", "2", config_list=config, cwd=scenario)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "warm start" in run.stdout
        probe_run = bench(
            "run", "Tasks/probe.jsonl", "--native", "--warm-start", "--timeout", "3", config_list=config, cwd=scenario
        )
        assert probe_run.returncode == 0, probe_run.stdout + probe_run.stderr
    data = tabulate_json(scenario / "Results" / "warm", scenario)
    assert {t["task_id"]: t["success_rate"] for t in data["configs"][0]["tasks"]} == {
        "HumanEval_2": 1.0,
        "HumanEval_5": 0.0,
    }
    exits = scenario / "Results" / "probe" / "exits" / "0"
    log = (exits / "console_log.txt").read_text()
    assert "ARGV=scenario.py" in log and "CWD_OK=True" in log
    assert "NAME=__main__" in log and "ENV=from-env-json" in log
    assert "SCENARIO.PY EXITED WITH CODE: 3 !#!#" in log  # sys.exit(3) reached run.sh
    sleeps = scenario / "Results" / "probe" / "sleeps" / "0"
    assert "EXCEEDED THE TIME LIMIT OF 3 SECONDS" in (sleeps / "console_log.txt").read_text()
    pid = int((sleeps / "pid.txt").read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the forked run was killed along with its client
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the timed-out warm run (pid {pid}) is still alive")


def test_warm_start_needs_native_runs(tmp_path):
    tasks = write_tasks(tmp_path / "t.jsonl", [{"id": "a", "template": "T"}])
    result = bench("run", str(tasks), "--warm-start", config_list=[{"model": "m"}], cwd=tmp_path)
    assert result.returncode == 2 and "--warm-start works with --native" in result.stderr
