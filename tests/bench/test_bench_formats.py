"""AutoGenBench's own scenario formats (fixtures in tests/bench/fixtures/autogenbench) run unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from autogen.testing import OpenAITestServer

from ._helpers import bench, humaneval_reply, tabulate_json, write_tasks

FIXTURES = Path(__file__).parent / "fixtures" / "autogenbench"


def examples_reply(body: dict[str, Any]) -> str:
    """Write the word the task asks for into out.txt; TERMINATE once code has run."""
    text = "\n".join(str(m.get("content") or "") for m in body["messages"])
    if "exitcode" in text:
        return "TERMINATE"
    word = next(w for w in ("three", "legacy", "hello") if f"the word {w}" in text)
    return f"```python\nopen('out.txt', 'w').write('{word}')\nprint('wrote {word}')\n```"


@pytest.mark.slow
def test_examples_two_and_three_agent_scenarios_run_unchanged(tmp_path):
    scenario = tmp_path / "Examples"
    shutil.copytree(FIXTURES / "Examples", scenario)
    with OpenAITestServer(default_reply=examples_reply) as server:
        run = bench("run", "Tasks", "--native", "--parallel", "3", config_list=server.config_list(), cwd=scenario)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 runs to do" in run.stdout

    two = scenario / "Results" / "default_two_agents"
    for task_id, word in (("write_file", "hello"), ("legacy_values", "legacy")):
        run_dir = two / task_id / "0"
        assert (run_dir / "coding" / "out.txt").read_text() == word  # substitution reached the model
        assert (run_dir / "init_saw.txt").read_text().strip() == "from-env-json"  # scenario_init.sh + ENV.json
        assert (run_dir / "setting.txt").read_text().strip() == "Native"
        assert "out.txt" in (run_dir / "finalize_saw.txt").read_text()  # scenario_finalize.sh ran after
        assert "pip" not in (run_dir / "console_log.txt").read_text()  # `pyautogen` is provided, not installed
        messages = json.loads((run_dir / "user_proxy_messages.json").read_text())
        assert word in messages["assistant"][0]["content"]

    three = scenario / "Results" / "default_three_agents" / "reviewed" / "0"
    assert (three / "coding" / "out.txt").read_text() == "three"
    assert (three / "reviewer_messages.json").is_file()  # the third agent's substituted name
    assert "SCENARIO.PY COMPLETE !#!#" in (three / "console_log.txt").read_text()
    data = tabulate_json(scenario / "Results", scenario)
    assert sorted(c["config"] for c in data["configs"]) == ["default_three_agents", "default_two_agents"]
    assert all(c["summary"]["failures"] == c["summary"]["runs"] for c in data["configs"])  # no checks: not passed


@pytest.mark.slow
def test_humaneval_format_with_absolute_template_and_custom_scorer(tmp_path):
    scenario = tmp_path / "HumanEval"
    shutil.copytree(FIXTURES / "HumanEval", scenario)
    template = str(scenario / "Templates" / "TwoAgents")  # init_tasks.py wrote absolute template paths
    rows = [
        {
            "id": "HumanEval_2",
            "template": template,
            "substitutions": {
                "scenario.py": {"__ENTRY_POINT__": "truncate_number"},
                "prompt.txt": {"__PROMPT__": "def truncate_number(number: float) -> float:\n    pass\n"},
                "coding/my_tests.py": {"__TEST__": "def check(candidate):\n    assert candidate(3.5) == 0.5\n"},
            },
        },
        {
            "id": "HumanEval_99",
            "template": template,
            "substitutions": {
                "scenario.py": {"__ENTRY_POINT__": "closest"},
                "prompt.txt": {"__PROMPT__": "def closest(value):\n    pass\n"},
                "coding/my_tests.py": {"__TEST__": "def check(candidate):\n    assert candidate('10') == 10\n"},
            },
        },
    ]
    tasks = write_tasks(scenario / "Tasks" / "human_eval_TwoAgents.jsonl", rows)
    with OpenAITestServer(default_reply=humaneval_reply) as server:
        run = bench("run", str(tasks), "--native", "--parallel", "2", config_list=server.config_list(), cwd=scenario)
    assert run.returncode == 0, run.stdout + run.stderr
    results = scenario / "Results" / "human_eval_TwoAgents"
    assert "ALL TESTS PASSED !#!#" in (results / "HumanEval_2" / "0" / "console_log.txt").read_text()
    assert "SOME TESTS FAILED" in (results / "HumanEval_99" / "0" / "console_log.txt").read_text()

    # the scenario's custom_tabulate.py (found above the results folder) scores with its own scorer
    custom = tabulate_json(results, tmp_path)
    rates = {t["task_id"]: t["success_rate"] for t in custom["configs"][0]["tasks"]}
    assert rates == {"HumanEval_2": 0.0, "HumanEval_99": 1.0}
    plain = bench("tabulate", str(results), "--json", "--no-custom", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    rates = {t["task_id"]: t["success_rate"] for t in json.loads(plain.stdout)["configs"][0]["tasks"]}
    assert rates == {"HumanEval_2": 1.0, "HumanEval_99": 0.0}


def test_results_written_by_autogenbench_itself_tabulate(tmp_path):
    """Old AutoGenBench results (console logs only, no bench_result.json) still tabulate."""
    for task_id, repeat, log in (
        ("t1", 0, "ALL TESTS PASSED !#!#"),
        ("t1", 1, "SOME TESTS FAILED"),
        ("t2", 0, "SCENARIO.PY COMPLETE !#!#"),
    ):
        run_dir = tmp_path / "Results" / "old" / task_id / str(repeat)
        run_dir.mkdir(parents=True)
        (run_dir / "console_log.txt").write_text(log)
    data = tabulate_json(tmp_path / "Results" / "old", tmp_path)
    [config] = data["configs"]
    assert {t["task_id"]: t["success_rate"] for t in config["tasks"]} == {"t1": 0.5, "t2": 0.0}
    assert config["summary"]["success_rate_per_repeat"] == [0.5, 0.0]
    assert config["summary"]["missing"] == 1  # t2 has no repeat 1
    assert config["summary"]["total_cost"] is None  # nothing recorded a cost


def test_bad_task_rows_are_reported_with_file_and_line(tmp_path):
    tasks = tmp_path / "bad.jsonl"
    tasks.write_text('{"id": "ok", "template": "T", "substitutions": {}}\n{"id": "", "template": "T"}\n')
    result = bench("run", str(tasks), "--native", config_list=[{"model": "m", "api_key": "k"}], cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.jsonl, line 2" in result.stderr and "'id'" in result.stderr
    assert "Traceback" not in result.stderr
    missing = bench("run", "nope.jsonl", "--native", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.jsonl" in missing.stderr


def test_model_filter_naming_no_entry_is_an_error(tmp_path):
    tasks = write_tasks(tmp_path / "t.jsonl", [{"id": "a", "template": "T", "substitutions": {}}])
    config = [{"model": "gpt-4o-mini", "api_key": "sk-x", "tags": ["cheap"]}]
    result = bench("run", str(tasks), "--native", "--model", "gpt-5", config_list=config, cwd=tmp_path)
    assert result.returncode == 2
    assert "'gpt-5' matches no config entry" in result.stderr and "cheap" in result.stderr
    assert "sk-x" not in result.stderr + result.stdout


def test_a_missing_template_stops_the_batch_before_any_run(tmp_path):
    tasks = write_tasks(tmp_path / "Tasks" / "t.jsonl", [{"id": "a", "template": "../Templates/Nope"}])
    result = bench("run", str(tasks), "--native", config_list=[{"model": "m", "api_key": "k"}], cwd=tmp_path)
    assert result.returncode == 2
    assert "template '../Templates/Nope' does not exist" in result.stderr
    assert not (tmp_path / "Results").exists()


def test_subsample_takes_a_fraction_or_a_count_and_picks_the_same_tasks_every_time():
    from autogen.bench.clone import SCENARIOS_DIR
    from autogen.bench.errors import BenchError
    from autogen.bench.tasks import load_tasks, parse_subsample, subsample_tasks

    [tasks] = load_tasks(SCENARIOS_DIR / "HumanEval" / "Tasks" / "human_eval_TwoAgents.jsonl")
    half = subsample_tasks(tasks, parse_subsample("0.5"))
    assert len(half) == 10 and len({t.id for t in half}) == 10
    assert [t.id for t in subsample_tasks(tasks, parse_subsample("0.5"))] == [t.id for t in half]  # stable
    assert len(subsample_tasks(tasks, parse_subsample("3"))) == 3
    assert len(subsample_tasks(tasks, parse_subsample("1"))) == 1  # "1" is a count, "1.0" is everything
    assert subsample_tasks(tasks, parse_subsample("1.0")) == tasks
    for bad in ("1.5", "-2", "half"):
        with pytest.raises(BenchError, match="--subsample"):
            parse_subsample(bad)
