"""AgentEval against the test server: the critics' and the quantifier's answers are scripted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from autogen.agentchat.contrib.agent_eval import (
    Criterion,
    CriticAgent,
    QuantifierAgent,
    SubCriticAgent,
    Task,
    generate_criteria,
    quantify_criteria,
)

TASK = Task(
    name="Math problem solving",
    description="Given a math problem, the system should give its exact answer.",
    successful_response="The sum of the squares of 1..10 is 385.",
    failed_response="The sum of the squares of 1..10 is 400.",
)
CRITERIA = [
    {"name": "accuracy", "description": "Is the answer right?", "accepted_values": ["wrong", "partly", "right"]},
    {"name": "clarity", "description": "Is the answer clear?", "accepted_values": ["poor", "fair", "good"]},
]


def test_criterion_and_task_round_trip_as_json():
    criteria = [
        Criterion(
            name="efficiency",
            description="How much work was needed?",
            accepted_values=["low", "high"],
            sub_criteria=[Criterion(name="steps", description="How many steps?", accepted_values=["1", "2+"])],
        )
    ]
    text = Criterion.write_json(criteria)
    assert json.loads(text)[0]["sub_criteria"][0]["name"] == "steps"
    assert Criterion.parse_json_str(text) == criteria
    assert Task.parse_json_str(TASK.model_dump_json()) == TASK
    assert "Task failed example: The sum of the squares of 1..10 is 400." in TASK.get_sys_message()


def test_bad_criteria_and_tasks_name_the_problem():
    with pytest.raises(ValueError, match=r"criterion 1 is not valid.*accepted_values"):
        Criterion.parse_json_str(json.dumps([CRITERIA[0], {"name": "x", "description": "y"}]))
    with pytest.raises(ValueError, match="JSON list of criterion objects, not"):
        Criterion.parse_json_str("accuracy: good")
    with pytest.raises(ValueError, match="not a JSON dict"):
        Criterion.parse_json_str(json.dumps(CRITERIA[0]))
    with pytest.raises(ValueError, match=r"a task must be a JSON object.*failed_response"):
        Task.parse_json_str(json.dumps({"name": "t", "description": "d", "successful_response": "s"}))


def test_generate_criteria_asks_the_critic_and_reads_its_list(server, llm_config):
    server.script("Here are the criteria:\n```json\n" + json.dumps(CRITERIA) + "\n```")
    criteria = generate_criteria(llm_config, TASK, additional_instructions="Use at most two criteria.")
    assert [c.name for c in criteria] == ["accuracy", "clarity"]
    assert criteria[0].accepted_values == ["wrong", "partly", "right"]
    (request,) = server.chat_requests
    system = request["messages"][0]["content"]
    assert system.startswith(CriticAgent.DEFAULT_SYSTEM_MESSAGE) and system.endswith("Use at most two criteria.")
    assert "Task: Math problem solving." in request["messages"][-1]["content"]


def test_the_subcritic_adds_sub_criteria_after_the_critic(server, llm_config):
    with_subs = [{**CRITERIA[0], "sub_criteria": [{"name": "units", "description": "d", "accepted_values": ["ok"]}]}]
    server.script(json.dumps(CRITERIA), json.dumps(with_subs))
    criteria = generate_criteria(llm_config, TASK, max_round=3, use_subcritic=True)
    assert criteria[0].sub_criteria[0].name == "units"
    assert server.chat_requests[1]["messages"][0]["content"] == SubCriticAgent.DEFAULT_SYSTEM_MESSAGE
    seen = server.chat_requests[1]["messages"][-1]
    assert seen["name"] == "critic" and seen["content"] == json.dumps(CRITERIA)  # it saw the critic's list


def test_a_critic_answer_without_criteria_is_a_clear_error(server, llm_config):
    server.script("I would judge accuracy and clarity.")
    with pytest.raises(ValueError, match="no JSON list of criteria: 'I would judge accuracy"):
        generate_criteria(llm_config, TASK)


def test_quantify_criteria_grades_a_test_case(server, llm_config):
    criteria = Criterion.parse_json_str(json.dumps(CRITERIA))
    server.script('{"accuracy": "right", "clarity": "good"}')
    result = quantify_criteria(llm_config, criteria, TASK, test_case="385, by summing i*i", ground_truth="true")
    assert result == {"actual_success": "true", "estimated_performance": '{"accuracy": "right", "clarity": "good"}'}
    (request,) = server.chat_requests
    assert request["messages"][0]["content"] == QuantifierAgent.DEFAULT_SYSTEM_MESSAGE
    message = request["messages"][-1]["content"]
    assert "Evaluation dictionary: " + Criterion.write_json(criteria) in message
    assert message.endswith("actual test case to evaluate: 385, by summing i*i")


def test_bad_arguments_are_named(server, llm_config):
    with pytest.raises(ValueError, match="llm_config must be an llm_config dict"):
        generate_criteria(None, TASK)
    with pytest.raises(TypeError, match=r"task must be an agent_eval\.Task"):
        generate_criteria(llm_config, {"name": "t"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty list of Criterion"):
        quantify_criteria(llm_config, [], TASK, "case")
    assert server.chat_requests == []


# ---- the example ------------------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def critic_and_quantifier(body: dict[str, Any]) -> str:
    system = body["messages"][0]["content"]
    if system.startswith(CriticAgent.DEFAULT_SYSTEM_MESSAGE):
        return json.dumps(CRITERIA)
    if system == QuantifierAgent.DEFAULT_SYSTEM_MESSAGE:
        return '{"accuracy": "right", "clarity": "good"}'
    raise AssertionError(f"unexpected request: {system[:200]}")


@pytest.mark.slow
def test_the_example_generates_saves_and_applies_criteria(server, tmp_path):
    server.default_reply = critic_and_quantifier
    env = {**os.environ, "OAI_CONFIG_LIST": json.dumps(server.config_list()), "NO_COLOR": "1"}
    example = [sys.executable, str(EXAMPLES / "agent_eval.py")]
    done = subprocess.run(
        [*example, "--save", str(tmp_path / "criteria.json")], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "- accuracy: Is the answer right? ['wrong', 'partly', 'right']" in done.stdout
    assert 'Estimated performance: {"accuracy": "right", "clarity": "good"}' in done.stdout
    assert Criterion.parse_json_str((tmp_path / "criteria.json").read_text())[1].name == "clarity"

    asked = len(server.chat_requests)
    again = subprocess.run(
        [*example, "--criteria", str(tmp_path / "criteria.json"), "--test-case", "It is 400."],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(server.chat_requests) == asked + 1  # only the quantifier was asked
    assert server.chat_requests[-1]["messages"][-1]["content"].endswith("actual test case to evaluate: It is 400.")


def test_the_example_reports_a_critic_without_criteria_without_a_traceback(server):
    server.default_reply = lambda body: "The answer is 385, well explained."
    env = {**os.environ, "OAI_CONFIG_LIST": json.dumps(server.config_list()), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "agent_eval.py")], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: the critic's answer holds no JSON list of criteria: 'The answer is 385")
    assert "Use a stronger model, or give the criteria with --criteria FILE." in done.stderr
