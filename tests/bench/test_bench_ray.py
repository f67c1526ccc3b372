"""The issue's check: the same `autogen bench run` with `--backend ray` gives the same table as the local one."""

from __future__ import annotations

import pytest

from autogen.testing import OpenAITestServer

from ._helpers import bench, clone_humaneval, humaneval_reply, write_tasks

pytestmark = pytest.mark.slow


def _success_columns(csv_text: str) -> list[str]:
    """Task id, per-trial verdicts and success rate of each row (times differ between runs, verdicts must not)."""
    return [",".join(line.split(",")[1:4]) for line in csv_text.strip().splitlines()]


def test_local_and_ray_backends_give_the_same_table(tmp_path):
    scenario, rows = clone_humaneval(tmp_path)
    tasks = write_tasks(
        scenario / "Tasks" / "three.jsonl", [r for r in rows if r["id"] in ("HumanEval_2", "HumanEval_5")]
    )
    tables = {}
    with OpenAITestServer(default_reply=humaneval_reply) as server:
        for backend in ("local", "ray"):
            run = bench(
                "run", str(tasks), "--native", "--parallel", "2", "--backend", backend, "--cpus-per-run", "0.5",
                "--out", f"Results-{backend}", config_list=server.config_list(), cwd=scenario, timeout=280,
            )  # fmt: skip
            assert run.returncode == 0, run.stdout + run.stderr
            assert f"backend {backend}" in run.stdout
            csv = bench("tabulate", f"Results-{backend}", "--csv", "--no-custom", cwd=scenario)
            assert csv.returncode == 0, csv.stderr
            tables[backend] = _success_columns(csv.stdout)
    assert tables["ray"] == tables["local"]
    assert tables["ray"][1:] == ["HumanEval_2,True,1", "HumanEval_5,False,0", "overall,0.5,0.5"]
    for backend in ("local", "ray"):  # the same result files, written once each
        assert sorted(p.parent.name for p in (scenario / f"Results-{backend}" / "three").glob("*/0")) == [
            "HumanEval_2",
            "HumanEval_5",
        ]
