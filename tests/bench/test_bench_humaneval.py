"""`autogen bench` on the shipped HumanEval sample, natively, against the scripted test server.

The scripted model solves `truncate_number` and `below_zero` and writes a wrong function for every
other task, so the expected scores are known; tabulate must report exactly those figures.
"""

from __future__ import annotations

import sqlite3

import pytest

from autogen.testing import OpenAITestServer

from ._helpers import bench, clone_humaneval, humaneval_reply, tabulate_json, write_tasks

# HumanEval_2 is truncate_number, HumanEval_3 below_zero (solved); HumanEval_5 intersperse (not solved)
PICKED = ("HumanEval_2", "HumanEval_3", "HumanEval_5")


@pytest.fixture
def humaneval(tmp_path):
    scenario, rows = clone_humaneval(tmp_path)
    assert len(rows) == 20
    picked = [row for row in rows if row["id"] in PICKED]
    return write_tasks(scenario / "Tasks" / "picked.jsonl", picked), scenario


@pytest.mark.slow
def test_native_runs_are_laid_out_like_autogenbench_and_tabulated_with_their_true_figures(humaneval):
    tasks, scenario = humaneval
    with OpenAITestServer(default_reply=humaneval_reply) as server:
        config = server.config_list(price=[0.001, 0.002])  # $ per 1k prompt / completion tokens
        run = bench("run", str(tasks), "--native", "--repeat", "2", "--parallel", "3", config_list=config, cwd=scenario)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "6 runs to do, 0 already finished" in run.stdout
        assert "cost $" in run.stdout
        requests = len(server.chat_requests)
        # solved tasks: code, then the tests' output carries TERMINATE (1 call); unsolved: code, then TERMINATE (2)
        assert requests == 2 * 1 + 2 * 1 + 2 * 2
        # every request carried the config the scenario received through OAI_CONFIG_LIST
        assert {body["model"] for body in server.chat_requests} == {"gpt-4o-mini"}

    results = scenario / "Results" / "picked"
    for task_id in PICKED:
        for repeat in ("0", "1"):
            run_dir = results / task_id / repeat
            names = {p.name for p in run_dir.iterdir()}
            assert {"console_log.txt", "timestamp.txt", "scenario.py", "prompt.txt", "telemetry.db"} <= names
            assert {"assistant_messages.json", "user_proxy_messages.json", "bench_result.json", "run.sh"} <= names
            assert (run_dir / "coding" / "my_tests.py").is_file()
            assert "Timestamp: " in (run_dir / "timestamp.txt").read_text()
            log = (run_dir / "console_log.txt").read_text()
            assert "SCENARIO.PY COMPLETE !#!#" in log and "RUN.SH COMPLETE !#!#" in log
            assert ("ALL TESTS PASSED !#!#" in log) == (task_id != "HumanEval_5")
            assert "sk-test" not in log  # the key reached the scenario, not its log
        assert not [p for p in (results / task_id).iterdir() if p.name.startswith(".")]  # no partial folders

    data = tabulate_json(scenario / "Results", scenario)
    [config] = data["configs"]
    assert config["config"] == "picked" and config["models"] == ["gpt-4o-mini"]
    summary = config["summary"]
    assert summary["runs"] == 6 and summary["successes"] == 4 and summary["failures"] == 2
    assert summary["success_rate"] == pytest.approx(4 / 6)
    assert summary["success_rate_per_repeat"] == [pytest.approx(2 / 3), pytest.approx(2 / 3)]
    rates = {task["task_id"]: task["success_rate"] for task in config["tasks"]}
    assert rates == {"HumanEval_2": 1.0, "HumanEval_3": 1.0, "HumanEval_5": 0.0}
    # cost: what the runtime log of each run recorded, summed
    logged = 0.0
    for task_id in PICKED:
        for repeat in ("0", "1"):
            with sqlite3.connect(results / task_id / repeat / "telemetry.db") as conn:
                logged += conn.execute("SELECT SUM(cost) FROM chat_completions").fetchone()[0]
    assert logged > 0
    assert summary["total_cost"] == pytest.approx(logged)
    turns = {task["task_id"]: [run["turns"] for run in task["runs"]] for task in config["tasks"]}
    assert turns == {"HumanEval_2": [3, 3], "HumanEval_3": [3, 3], "HumanEval_5": [4, 4]}
    assert all(run["duration_s"] > 0 for task in config["tasks"] for run in task["runs"])

    csv = bench("tabulate", "Results", "--csv", cwd=scenario)
    assert csv.returncode == 0, csv.stderr
    lines = csv.stdout.strip().splitlines()
    assert lines[0].startswith("config,task_id,trial_0_success,trial_1_success,success_rate")
    assert "picked,HumanEval_5,False,False,0," in csv.stdout
    assert lines[-1].startswith("picked,overall,0.666667,0.666667,0.666667,")
    # the scenario's own custom_tabulate.py (AutoGenBench's import) was used, found from the current folder
    assert "custom_tabulate.py" in csv.stderr

    table = bench("tabulate", "Results", "--plot", "chart.png", cwd=scenario)
    assert table.returncode == 0, table.stderr
    assert "HumanEval_5" in table.stdout and "67%" in table.stdout and "overall" in table.stdout
    assert (scenario / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # the same command again: nothing is redone
    with OpenAITestServer(default_reply=humaneval_reply) as server:
        again = bench("run", str(tasks), "--native", "--repeat", "2", config_list=server.config_list(), cwd=scenario)
        assert again.returncode == 0, again.stderr
        assert "0 runs to do, 6 already finished" in again.stdout
        assert server.chat_requests == []
