"""The issue's first-run story: clone HumanEval, run it on the embedded local model, get a table."""

from __future__ import annotations

import json

import pytest

from ._helpers import bench

pytestmark = [pytest.mark.local_model, pytest.mark.slow]


def test_humaneval_sample_runs_on_the_embedded_model_without_any_configuration(tmp_path):
    pytest.importorskip("llama_cpp")
    assert bench("clone", "HumanEval", cwd=tmp_path).returncode == 0
    run = bench(
        "run", "HumanEval/Tasks/human_eval_TwoAgents.jsonl", "--native", "--subsample", "1", "--timeout", "100",
        cwd=tmp_path, timeout=280,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "local model SmolLM2-135M" in run.stdout and "1 runs to do" in run.stdout
    [run_dir] = list((tmp_path / "Results" / "human_eval_TwoAgents").glob("*/0"))
    record = json.loads((run_dir / "bench_result.json").read_text())
    assert record["status"] in ("completed", "timeout")  # a 135M model may talk until the limit
    assert record["models"] == ["SmolLM2-135M-Instruct.Q4_1"]
    assert record["llm_calls"] >= 1  # the runtime log saw the model's answers
    table = bench("tabulate", "Results", "--no-custom", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert run_dir.parent.name in table.stdout and "overall" in table.stdout
    assert "SmolLM2-135M-Instruct.Q4_1" in table.stdout
