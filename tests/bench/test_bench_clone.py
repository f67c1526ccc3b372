"""`autogen bench clone`: the shipped scenarios expand completely and their tasks are well formed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from autogen.bench.clone import SCENARIOS_DIR
from autogen.math_utils import is_equiv
from autogen.testing import OpenAITestServer

from ._helpers import bench, tabulate_json, write_tasks


def test_list_names_the_shipped_scenarios(tmp_path):
    result = bench("clone", "--list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [line.strip() for line in result.stdout.splitlines()[1:]] == ["Examples", "HumanEval", "MATH"]


@pytest.mark.parametrize("name", ["Examples", "HumanEval", "MATH"])
def test_clone_copies_every_file_the_scenario_ships(tmp_path, name):
    result = bench("clone", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = SCENARIOS_DIR / name
    shipped = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file() and p.name != "MANIFEST.json"}
    shipped = {p for p in shipped if "__pycache__" not in p}
    cloned = {p.relative_to(tmp_path / name).as_posix() for p in (tmp_path / name).rglob("*") if p.is_file()}
    assert cloned == shipped  # MANIFEST.json lists every file
    for rel in cloned:
        assert (tmp_path / name / rel).read_bytes() == (source / rel).read_bytes()
    for task_file in (tmp_path / name / "Tasks").glob("*.jsonl"):  # every task's template resolves
        for row in map(json.loads, task_file.read_text().splitlines()):
            assert (task_file.parent / row["template"]).is_dir()
    assert "autogen bench run" in result.stdout
    again = bench("clone", name, cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_the_samples_have_twenty_problems_each_with_tests_or_answers():
    humaneval = [json.loads(x) for x in (SCENARIOS_DIR / "HumanEval/Tasks/human_eval_TwoAgents.jsonl").open()]
    assert [row["id"] for row in humaneval] == [f"HumanEval_{i}" for i in range(20)]
    for row in humaneval:
        namespace: dict[str, Any] = {}
        exec(row["substitutions"]["coding/my_tests.py"]["__TEST__"], namespace)  # the unit tests define check()
        assert callable(namespace["check"])
        assert (
            f"def {row['substitutions']['scenario.py']['__ENTRY_POINT__']}("
            in row["substitutions"]["prompt.txt"]["__PROMPT__"]
        )
    math = [json.loads(x) for x in (SCENARIOS_DIR / "MATH/Tasks/math_TwoAgents.jsonl").open()]
    assert len(math) == 20 and len({row["id"] for row in math}) == 20
    assert all(row["substitutions"]["answer.txt"]["__ANSWER__"] for row in math)


def test_unknown_names_and_full_datasets_offline_fail_clearly(tmp_path):
    unknown = bench("clone", "GAIA", cwd=tmp_path)
    assert unknown.returncode == 2
    assert "no scenario named 'GAIA'" in unknown.stderr and "HumanEval" in unknown.stderr
    full = bench("clone", "HumanEval", "--full", cwd=tmp_path, timeout=120)
    assert full.returncode == 2
    # without the datasets package: how to get it; with it but offline: that --full needs the network
    assert 'pip install "autogen[bench]"' in full.stderr or "--full needs the network" in full.stderr
    assert "Traceback" not in full.stderr


def math_reply(body: dict[str, Any]) -> str:
    """Right for the remainder problem, wrong for the others."""
    text = body["messages"][-1].get("content") or ""
    if "Problem:" not in text:
        return "TERMINATE"
    if "$2^{10}$ is divided by 7" in text:
        return "1024 = 7 * 146 + 2, so the remainder is $\\boxed{2}$. TERMINATE"
    return "The answer is $\\boxed{41}$. TERMINATE"


@pytest.mark.slow
def test_the_math_sample_scores_boxed_answers(tmp_path):
    assert bench("clone", "MATH", cwd=tmp_path).returncode == 0
    scenario = tmp_path / "MATH"
    rows = [json.loads(x) for x in (scenario / "Tasks" / "math_TwoAgents.jsonl").read_text().splitlines()][:2]
    assert is_equiv(rows[0]["substitutions"]["answer.txt"]["__ANSWER__"], "2")
    tasks = write_tasks(scenario / "Tasks" / "two.jsonl", rows)
    with OpenAITestServer(default_reply=math_reply) as server:
        run = bench("run", str(tasks), "--native", "--parallel", "2", config_list=server.config_list(), cwd=scenario)
    assert run.returncode == 0, run.stdout + run.stderr
    data = tabulate_json(Path("Results"), scenario)
    assert {t["task_id"]: t["success_rate"] for t in data["configs"][0]["tasks"]} == {
        "math_sample_00": 1.0,
        "math_sample_01": 0.0,
    }
    assert (scenario / "Results" / "two" / "math_sample_01" / "0" / "model_answer.txt").read_text().strip() == "41"
