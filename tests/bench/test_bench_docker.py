"""`autogen bench run` in fresh Docker containers (the default), on the real daemon and the local image."""

from __future__ import annotations

import pytest

from autogen.testing import OpenAITestServer

from ._helpers import bench, clone_humaneval, humaneval_reply, tabulate_json, write_tasks

pytestmark = [pytest.mark.docker, pytest.mark.slow]

PROBE = """import os, autogen, testbed_utils
testbed_utils.init()
with open('/proc/1/cmdline', 'rb') as fh:
    pid1 = fh.read().replace(b'\\0', b' ').decode().strip()
print('PID1=' + pid1)
print('CWD=' + os.getcwd())
print('AUTOGEN=' + autogen.__file__)
print('CONFIG_MODELS=' + ','.join(e['model'] for e in autogen.config_list_from_json('OAI_CONFIG_LIST')))
open('/workspace/left_by_run.txt', 'w').write(os.environ['AUTOGEN_TESTBED_SETTING'])
status = open('/proc/self/status').read()
print('CAPS=' + [line.split()[1] for line in status.splitlines() if line.startswith('CapEff')][0])
print('NNP=' + [line.split()[1] for line in status.splitlines() if line.startswith('NoNewPrivs')][0])
"""


def test_runs_happen_in_fresh_containers_with_autogen_mounted(tmp_path):
    scenario, rows = clone_humaneval(tmp_path)
    tasks_dir = scenario / "Tasks" / "docker"
    picked = [
        dict(row, template="../../Templates/TwoAgents") for row in rows if row["id"] in ("HumanEval_2", "HumanEval_5")
    ]
    write_tasks(tasks_dir / "he.jsonl", picked)
    probe = scenario / "Templates" / "Probe"
    probe.mkdir()
    (probe / "scenario.py").write_text(PROBE)
    write_tasks(tasks_dir / "probe.jsonl", [{"id": "probe", "template": "../../Templates/Probe"}])

    with OpenAITestServer(default_reply=humaneval_reply) as server:
        run = bench(
            "run", str(tasks_dir), "--repeat", "2", "--parallel", "3", config_list=server.config_list(), cwd=scenario
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert "docker" in run.stdout and "6 runs to do" in run.stdout
        assert len(server.chat_requests) == 2 * 1 + 2 * 2  # containers reached the model on this machine

    for repeat in ("0", "1"):
        probe_dir = scenario / "Results" / "probe" / "probe" / repeat
        log = (probe_dir / "console_log.txt").read_text()
        assert "PID1=sh run.sh" in log  # the run is the container's first process: a fresh container
        assert "CWD=/workspace" in log
        assert "AUTOGEN=/opt/autogen-bench/src/autogen/__init__.py" in log  # this autogen, mounted read-only
        assert "CONFIG_MODELS=gpt-4o-mini" in log
        assert "CAPS=0000000000000000" in log and "NNP=1" in log  # no capabilities, no privilege gain
        assert (probe_dir / "left_by_run.txt").read_text() == "Docker"
        assert (probe_dir / "timestamp.txt").is_file()
    data = tabulate_json(scenario / "Results" / "he", scenario)
    rates = {t["task_id"]: t["success_rate"] for t in data["configs"][0]["tasks"]}
    assert rates == {"HumanEval_2": 1.0, "HumanEval_5": 0.0}
    assert all(r["status"] == "completed" for t in data["configs"][0]["tasks"] for r in t["runs"])


def test_an_image_that_is_not_there_is_a_clear_error(tmp_path):
    tasks = write_tasks(tmp_path / "t.jsonl", [{"id": "a", "template": "T"}])
    result = bench(
        "run", str(tasks), "--docker-image", "no-such-image:never", config_list=[{"model": "m"}], cwd=tmp_path
    )
    assert result.returncode == 2
    assert "'no-such-image:never' is not on this machine" in result.stderr
