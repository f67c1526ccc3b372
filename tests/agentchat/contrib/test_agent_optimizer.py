"""AgentOptimizer against the test server: scripted optimizer actions, applied to real agents whose new function
then runs for real (through execute_code, on this machine in these tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from autogen import AssistantAgent, UserProxyAgent
from autogen.agentchat.contrib.agent_optimizer import AgentOptimizer
from autogen.io import IOStream
from autogen.testing.iostream import RecordingIOStream

SUM_OF_SQUARES = {
    "name": "sum_of_squares",
    "description": "The sum of the squares of the integers from 1 to n.",
    "arguments": json.dumps({"n": {"type": "integer", "description": "the last integer"}}),
    "packages": "",
    "code": "def sum_of_squares(n):\n    return sum(i * i for i in range(1, n + 1))\n",
}
QUESTION = "What is the sum of the squares of 1..10?"


def action(tool: str, **arguments: Any) -> dict[str, Any]:
    return {"tool_calls": [{"name": tool, "arguments": json.dumps(arguments)}]}


def team(server) -> tuple[AssistantAgent, UserProxyAgent]:
    llm_config = {"config_list": server.config_list(), "cache_seed": None}
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    user_proxy = UserProxyAgent(
        "user_proxy",
        human_input_mode="NEVER",
        code_execution_config=False,
        max_consecutive_auto_reply=2,
        is_termination_msg=lambda message: "TERMINATE" in (message.get("content") or ""),
    )
    return assistant, user_proxy


def optimizer_for(server, **kwargs: Any) -> AgentOptimizer:
    return AgentOptimizer(
        max_actions_per_step=kwargs.pop("max_actions_per_step", 2),
        llm_config={"config_list": server.config_list(), "cache_seed": None},
        optimizer_model="gpt-4o-mini",
        code_execution_config={"use_docker": False, "timeout": 30},
        **kwargs,
    )


def apply(
    actions: tuple[list[dict[str, Any]], dict[str, Any]], assistant: AssistantAgent, user_proxy: UserProxyAgent
) -> None:
    register_for_llm, register_for_executor = actions
    for item in register_for_llm:
        assistant.update_function_signature(**item)
    user_proxy.register_function(function_map=register_for_executor)


def test_an_added_function_is_registered_and_then_runs_in_a_chat(server):
    assistant, user_proxy = team(server)
    server.script("The answer is 385. TERMINATE")
    user_proxy.initiate_chat(assistant, message=QUESTION)
    optimizer = optimizer_for(server)
    optimizer.record_one_conversation(assistant.chat_messages_for_summary(user_proxy), is_satisfied=False)
    server.reset()
    server.script(action("add_function", **SUM_OF_SQUARES), "TERMINATE")

    actions = optimizer.step()

    prompt = server.chat_requests[0]["messages"][0]["content"]
    assert QUESTION in prompt and "Conversation 0" in prompt and "List A: []" in prompt
    assert "{'Conversation 0': 0}" in prompt  # the user was not satisfied
    assert [t["function"]["name"] for t in server.chat_requests[0]["tools"]] == [
        "add_function",
        "revise_function",
        "remove_function",
    ]
    assert "List B: [{'name': 'sum_of_squares'" in server.chat_requests[1]["messages"][0]["content"]
    register_for_llm, register_for_executor = actions
    assert list(register_for_executor) == ["sum_of_squares"]
    assert register_for_llm == [
        {
            "func_sig": {
                "name": "sum_of_squares",
                "description": SUM_OF_SQUARES["description"],
                "parameters": {"type": "object", "properties": json.loads(SUM_OF_SQUARES["arguments"])},
            },
            "is_remove": False,
        }
    ]
    apply(actions, assistant, user_proxy)
    assert [f["name"] for f in assistant.llm_config["functions"]] == ["sum_of_squares"]

    server.reset()
    server.script({"function_call": {"name": "sum_of_squares", "arguments": {"n": 10}}}, "385. TERMINATE")
    user_proxy.initiate_chat(assistant, message=QUESTION)
    assert server.chat_requests[0]["functions"][0]["name"] == "sum_of_squares"
    result = server.chat_requests[1]["messages"][-1]
    assert result["role"] == "function" and result["name"] == "sum_of_squares"
    assert result["content"].strip() == "385"  # computed by the function's code, run for real


def test_a_wrong_action_is_sent_back_and_a_removal_unregisters_the_function(server):
    assistant, user_proxy = team(server)
    optimizer = optimizer_for(server, max_actions_per_step=1)
    optimizer.record_one_conversation([{"role": "user", "content": QUESTION}], is_satisfied=False)
    server.script(action("add_function", **SUM_OF_SQUARES))
    apply(optimizer.step(), assistant, user_proxy)
    assert "sum_of_squares" in user_proxy.function_map

    optimizer.record_one_conversation([{"role": "user", "content": QUESTION}], is_satisfied=True)
    server.reset()
    broken = {**SUM_OF_SQUARES, "code": "def squares(n):\n    return n\n"}
    server.script(action("revise_function", **broken), action("remove_function", name="sum_of_squares"))
    actions = optimizer.step()

    retry = server.chat_requests[1]["messages"]
    assert retry[1]["role"] == "assistant" and retry[1]["tool_calls"][0]["function"]["name"] == "revise_function"
    assert retry[2]["role"] == "tool" and "does not define a function named 'sum_of_squares'" in retry[2]["content"]
    assert actions == ([{"func_sig": "sum_of_squares", "is_remove": True}], {"sum_of_squares": None})
    apply(actions, assistant, user_proxy)
    assert "functions" not in assistant.llm_config and "sum_of_squares" not in user_proxy.function_map


def test_actions_that_stay_wrong_leave_the_function_list_as_it_was(server):
    optimizer = optimizer_for(server, max_actions_per_step=1, max_trials=2)
    optimizer.record_one_conversation([{"role": "user", "content": QUESTION}], is_satisfied=True)
    server.script(
        action("add_function", **{**SUM_OF_SQUARES, "code": "def sum_of_squares(n) return n"}),
        action("remove_function", name="not_there"),
    )
    with pytest.warns(UserWarning, match="no valid action after 2 answers"):
        register_for_llm, register_for_executor = optimizer.step()
    assert register_for_llm == [] and register_for_executor == {}
    assert "is not valid Python" in server.chat_requests[1]["messages"][-1]["content"]
    assert len(server.chat_requests) == 2


def test_a_failing_function_reports_its_error_to_the_model(server):
    assistant, user_proxy = team(server)
    optimizer = optimizer_for(server, max_actions_per_step=1)
    optimizer.record_one_conversation([{"role": "user", "content": QUESTION}], is_satisfied=False)
    failing = {**SUM_OF_SQUARES, "code": "def sum_of_squares(n):\n    raise ValueError('n is too big: ' + str(n))\n"}
    server.script(action("add_function", **failing))
    actions = optimizer.step()
    run = actions[1]["sum_of_squares"]
    assert run is not None
    with pytest.raises(RuntimeError, match=r"(?s)'sum_of_squares' failed with exit code 1.*n is too big: 7"):
        run(n=7)
    apply(actions, assistant, user_proxy)
    server.reset()
    server.script({"function_call": {"name": "sum_of_squares", "arguments": {"n": 7}}}, "It failed. TERMINATE")
    user_proxy.initiate_chat(assistant, message=QUESTION)
    result = server.chat_requests[1]["messages"][-1]
    assert result["role"] == "function" and "ValueError: n is too big: 7" in result["content"]


PROBE = {
    "name": "probe",
    "description": "Tries to reach a host.",
    "arguments": json.dumps({"host": {"type": "string"}, "port": {"type": "integer"}}),
    "packages": "",
    "code": (
        "def probe(host, port):\n    import socket\n    try:\n"
        "        socket.create_connection((host, port), timeout=2).close()\n        return 'reached'\n"
        "    except OSError:\n        return 'blocked'\n"
    ),
}


@pytest.mark.slow
def test_by_default_the_functions_run_isolated_without_network(server, monkeypatch):
    monkeypatch.delenv("AUTOGEN_USE_DOCKER", raising=False)
    llm_config = {"config_list": server.config_list(), "cache_seed": None}
    isolated = AgentOptimizer(1, llm_config, optimizer_model="gpt-4o-mini")  # Docker, or the sandbox
    on_host = optimizer_for(server, max_actions_per_step=1)  # use_docker=False
    runs = []
    for optimizer in (isolated, on_host):
        optimizer.record_one_conversation([{"role": "user", "content": "hi"}], is_satisfied=True)
        server.script(action("add_function", **PROBE))
        run = optimizer.step()[1]["probe"]
        assert run is not None
        runs.append(run(host=server.host, port=server.port).strip())
    assert runs == ["blocked", "reached"]


def test_reset_forgets_everything_and_a_step_needs_a_recorded_conversation(server):
    optimizer = optimizer_for(server, max_actions_per_step=1)
    optimizer.record_one_conversation([{"role": "user", "content": QUESTION}], is_satisfied=True)
    server.script(action("add_function", **SUM_OF_SQUARES))
    optimizer.step()
    with pytest.raises(ValueError, match=r"call record_one_conversation\(\) before step\(\)"):
        optimizer.step()
    optimizer.reset_optimizer()
    optimizer.record_one_conversation([{"role": "user", "content": "hi"}], is_satisfied=True)
    server.script("TERMINATE")
    assert optimizer.step() == ([], {})
    assert "List A: []" in server.chat_requests[-1]["messages"][0]["content"]


def test_the_user_is_asked_whether_they_were_satisfied(server):
    optimizer = optimizer_for(server)
    stream = RecordingIOStream(inputs=["1", "maybe"])
    with IOStream.set_default(stream):
        optimizer.record_one_conversation([{"role": "user", "content": QUESTION}])
        with pytest.raises(ValueError, match=r"answer 1 .* or 0 .*not 'maybe'"):
            optimizer.record_one_conversation([{"role": "user", "content": QUESTION}])
    assert "satisfied" in stream.prompts[0]
    server.script("TERMINATE")
    optimizer.step()
    assert "{'Conversation 0': 1}" in server.chat_requests[0]["messages"][0]["content"]


def test_bad_arguments_are_named(server):
    with pytest.raises(ValueError, match=r"optimizer_model 'gpt-4-1106-preview' is not in llm_config's config_list"):
        AgentOptimizer(1, {"config_list": server.config_list()})
    with pytest.raises(ValueError, match="max_actions_per_step must be a positive int"):
        AgentOptimizer(0, {"config_list": server.config_list()}, optimizer_model="gpt-4o-mini")
    with pytest.raises(ValueError, match="non-empty config_list"):
        AgentOptimizer(1, {"config_list": []})
    optimizer = optimizer_for(server)
    with pytest.raises(ValueError, match="list of message dicts"):
        optimizer.record_one_conversation("hello", is_satisfied=True)  # type: ignore[arg-type]
    assert server.chat_requests == []


# ---- the example ------------------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def math_team_and_optimizer(body: dict[str, Any]) -> Any:
    """The optimizer adds sum_of_squares once; the assistant guesses wrong without it and calls it when it has it."""
    messages = body["messages"]
    if any(t["function"]["name"] == "add_function" for t in body.get("tools", [])):
        if "List B: []" in messages[0]["content"]:
            return action("add_function", **SUM_OF_SQUARES)
        return "TERMINATE"
    if messages[-1]["role"] == "function":
        return f"The answer is {messages[-1]['content'].strip()}. TERMINATE"
    if body.get("functions"):
        n = 10 if "1 to 10?" in messages[-1]["content"] else 20
        return {"function_call": {"name": "sum_of_squares", "arguments": {"n": n}}}
    return "The answer is 400. TERMINATE"


@pytest.mark.slow
def test_the_example_learns_a_function_that_solves_the_problems(server):
    server.default_reply = math_team_and_optimizer
    env = {**os.environ, "OAI_CONFIG_LIST": json.dumps(server.config_list()), "AUTOGEN_USE_DOCKER": "0"}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "agent_optimizer.py")], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Round 1: What is the sum of the squares of the integers from 1 to 10? -> not solved" in done.stdout
    assert "Functions after step 1: ['sum_of_squares']" in done.stdout
    assert "After optimizing: What is the sum of the squares of the integers from 1 to 20? -> solved" in done.stdout
    assert any((m.get("content") or "").strip() == "2870" for r in server.chat_requests for m in r["messages"])
