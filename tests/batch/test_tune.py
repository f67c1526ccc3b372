"""``autogen bench tune``: a real search over configurations whose answers the test server scripts.

The server answers right only at temperature 0, and ``gpt-4o-mini`` only when the prompt asks to think
step by step, so the cheapest fully successful configuration is gpt-4o-mini, temperature 0, that prompt.
Runs go through ``autogen bench``'s runner (``--native``: fresh folders, real subprocesses).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from autogen.batch.tuning.evaluate import BenchEvaluator
from autogen.batch.tuning.search import tune
from autogen.batch.tuning.space import SpaceError, load_space, parse_space
from autogen.cli import main
from autogen.testing import OpenAITestServer

SCENARIO = Path(__file__).parent / "tune_scenario"
TASKS = SCENARIO / "Tasks" / "questions.jsonl"
ANSWERS = {"What is 2+2?": "The answer is four.", "What is the capital of France?": "It is Paris."}


def scripted_answer(body: dict) -> str:
    question = body["messages"][-1]["content"]
    knows = body.get("temperature") == 0 and (body["model"] == "gpt-4o" or "step by step" in question)
    for asked, answer in ANSWERS.items():
        if question.startswith(asked) and knows:
            return answer
    return "I am not sure."


def one_line(text: str) -> str:
    return " ".join(text.split())  # rich wraps long lines


@pytest.fixture
def config_file(server: OpenAITestServer, tmp_path: Path) -> Path:
    server.default_reply = scripted_answer
    path = tmp_path / "OAI_CONFIG_LIST"
    path.write_text(json.dumps(server.config_list("gpt-4o") + server.config_list("gpt-4o-mini")))
    return path


def tune_cli(config_file: Path, tmp_path: Path, budget: str = "1", work_dir: str = "Tune", parallel: int = 2) -> int:
    return main(
        [
            *("bench", "tune", str(TASKS), "--space", str(SCENARIO / "space.yaml"), "--budget-usd", budget),
            *("--native", "--config", str(config_file), "--parallel", str(parallel)),
            *("--work-dir", str(tmp_path / work_dir), "--out", str(tmp_path / "best.json")),
        ]
    )


@pytest.mark.slow
def test_tune_finds_the_cheapest_successful_config_and_reuses_cached_answers(server, config_file, tmp_path, capsys):
    assert tune_cli(config_file, tmp_path) == 0
    printed = capsys.readouterr().out
    assert "Pareto front: success vs cost (8 configurations tried)" in printed
    assert "every one of the 8 configurations was tried" in printed

    best = json.loads((tmp_path / "best.json").read_text())
    assert best == [{"model": "gpt-4o-mini", "base_url": server.base_url, "temperature": 0.0}]
    trials = json.loads((tmp_path / "best.json.trials.json").read_text())
    assert trials["best"]["config"]["prompt"] == "{prompt} Think step by step."
    assert trials["best"]["success"] == 1.0
    by_model = {}
    for trial in trials["trials"]:
        by_model.setdefault(trial["config"]["model"], []).append(trial)
    # both models succeed with the right settings; gpt-4o costs more for the same questions
    gpt4o = [t for t in by_model["gpt-4o"] if t["success"] == 1.0]
    assert len(gpt4o) == 2 and all(t["cost_usd"] > trials["best"]["cost_usd"] for t in gpt4o)
    assert sorted(t["success"] for t in by_model["gpt-4o-mini"]) == [0.0, 0.0, 0.0, 1.0]
    assert trials["pareto_front"][-1] == trials["best"]["id"]
    assert len(server.chat_requests) == 16  # 8 configurations x 2 tasks, one model call each
    spent = trials["spent_usd"]
    assert spent == pytest.approx(sum(t["cost_usd"] for t in trials["trials"])) and spent > 0
    assert "api_key" not in (tmp_path / "best.json").read_text()

    # the same search again: finished run folders are read back; the best's folder is gone, so its runs
    # run again and get their answers from the shared disk cache: nothing asked, nothing spent
    shutil.rmtree(tmp_path / "Tune" / "trials" / trials["best"]["id"])
    assert tune_cli(config_file, tmp_path) == 0
    again = json.loads((tmp_path / "best.json.trials.json").read_text())
    assert len(server.chat_requests) == 16
    assert again["spent_usd"] == 0
    assert again["best"]["config"] == trials["best"]["config"]
    assert again["best"]["cost_usd"] == pytest.approx(trials["best"]["cost_usd"])


@pytest.mark.slow
def test_tune_stops_when_the_spend_reaches_the_budget(server, config_file, tmp_path, capsys):
    config_list = json.loads(config_file.read_text())
    evaluator = BenchEvaluator(str(TASKS), config_list, str(tmp_path / "Tune"), native=True)
    space = load_space(SCENARIO / "space.yaml")
    outcome = tune(space, evaluator, budget_usd=1e-9)

    assert len(server.chat_requests) == 1  # the first run spent more than the budget: nothing else started
    assert outcome.spent_usd > 1e-9 and outcome.stop_reason.startswith("the budget is spent")
    assert len(outcome.trials) == 1 and not outcome.trials[0].complete and outcome.best is None

    assert tune_cli(config_file, tmp_path, budget="0.000000001", work_dir="Tune2", parallel=1) == 2
    assert len(server.chat_requests) == 2
    error = one_line(capsys.readouterr().err)
    assert "no configuration finished all its runs within the budget; raise --budget-usd" in error


def test_bad_spaces_and_options_are_named(config_file, tmp_path, capsys):
    with pytest.raises(SpaceError, match=r"unknown knob\(s\) \['temp'\]; the knobs are: model, temperature"):
        parse_space({"temp": [0, 1]})
    with pytest.raises(SpaceError, match=r"prompt template 'Answer:' lacks \{prompt\}"):
        parse_space({"prompt": ["Answer:"]})
    with pytest.raises(SpaceError, match=r"temperature: 3 is outside \[0, 2\]"):
        parse_space({"temperature": {"low": 0, "high": 3}})
    with pytest.raises(SpaceError, match=r"max_tokens: 0.5 is not a whole number"):
        parse_space({"max_tokens": [0.5]})

    space = tmp_path / "space.yaml"
    space.write_text("model: [gpt-5]\n")
    code = main(
        [
            *("bench", "tune", str(TASKS), "--space", str(space), "--budget-usd", "1", "--native"),
            *("--config", str(config_file), "--work-dir", str(tmp_path / "Tune")),
        ]
    )
    assert code == 2
    assert "model 'gpt-5' of the search space has no entry in the config list" in one_line(capsys.readouterr().err)


@pytest.mark.slow
def test_tune_runs_on_ray_workers(server, config_file, tmp_path, ray_backend, capsys):
    space = tmp_path / "space.yaml"
    space.write_text("model: gpt-4o\ntemperature: 0\n")
    code = main(
        [
            *("bench", "tune", str(TASKS), "--space", str(space), "--budget-usd", "1", "--native"),
            *("--config", str(config_file), "--work-dir", str(tmp_path / "Tune"), "--out", str(tmp_path / "b.json")),
            *("--backend", "ray", "--parallel", "2"),
        ]
    )
    assert code == 0
    trials = json.loads((tmp_path / "b.json.trials.json").read_text())
    assert [(t["success"], t["runs"], t["complete"]) for t in trials["trials"]] == [(1.0, 2, True)]
    run_dirs = sorted(p.relative_to(tmp_path / "Tune" / "trials") for p in (tmp_path / "Tune").glob("trials/*/*/*/0"))
    assert [str(p).split("/", 1)[1] for p in run_dirs] == ["questions/capital/0", "questions/sum/0"]
    assert sorted(body["messages"][-1]["content"] for body in server.chat_requests) == sorted(ANSWERS)
