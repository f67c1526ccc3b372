"""AgentBuilder end to end against the test server: the builder model's answers are scripted, everything else
(the config list, the agents, the group chat, the code execution) is real."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from autogen import GroupChat, GroupChatManager
from autogen.agentchat.contrib.agent_builder import AgentBuilder, BuilderAnswerError
from autogen.coding import LocalCommandLineCodeExecutor

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
TASK = "Compute the sum of the squares of the integers from 1 to 10 with Python, and verify the result."
PYTHON = "Writes and debugs Python programs and scripts."
MATH = "Checks arithmetic and mathematical results for correctness."
LIBRARY = [
    {
        "name": "Python_Programmer",
        "description": PYTHON,
        "system_message": "You write Python.",
    },
    {
        "name": "Math_Checker",
        "description": MATH,
        "system_message": "You verify math.",
    },
    {
        "name": "Pastry_Chef",
        "description": "Bakes cakes, bread and pastries in a kitchen.",
        "system_message": "You bake.",
    },
    {
        "name": "Gardener",
        "description": "Grows flowers and vegetables and looks after plants.",
        "system_message": "You garden.",
    },
]


def first(body: dict[str, Any]) -> str:
    """The builder's prompt (a retry adds the answer and the parse error after it)."""
    return body["messages"][0].get("content") or ""


def system(body: dict[str, Any]) -> str:
    first = body["messages"][0]
    return (first.get("content") or "") if first["role"] == "system" else ""


def builder_answer(body: dict[str, Any], names: str = "Python_Expert, Verification_Expert") -> str:
    """What a good builder model answers to each of AgentBuilder's prompts."""
    prompt = first(body)
    if "Suggest at most" in prompt:
        return names
    expert = re.search(r"# Expert name\n(\S+)", prompt)
    if "by filling in the template" in prompt and expert:
        return (
            f"## Your role\n{expert.group(1)} is an expert for this task.\n\n## Task and skill instructions\n- {TASK}"
        )
    if "Summarize the description" in prompt and expert:
        return f"{expert.group(1)} helps with the task."
    if "Answer with only YES or NO" in prompt:
        return "YES"
    raise AssertionError(f"unexpected builder prompt: {prompt[:300]}")


def team_answer(body: dict[str, Any]) -> str:
    """The team at work: the selector, the Python expert who writes code, the verifier who checks its output."""
    if system(body).startswith("You are directing"):
        before = body["messages"][-2].get("content") or ""
        if "```python" in before:
            return "Computer_terminal"
        if "exitcode:" in before:
            return "Verification_Expert"
        return "Python_Expert"
    if "**Your role is**: Python_Expert" in system(body):
        return "```python\nprint(sum(i * i for i in range(1, 11)))\n```"
    if "**Your role is**: Verification_Expert" in system(body):
        outputs = [m.get("content") or "" for m in body["messages"] if "exitcode: 0" in (m.get("content") or "")]
        return "TERMINATE" if outputs and "385" in outputs[-1] else "The code has not been run yet."
    return builder_answer(body)


@pytest.fixture
def builder(server, monkeypatch) -> AgentBuilder:
    monkeypatch.setenv("OAI_CONFIG_LIST", json.dumps(server.config_list()))
    return AgentBuilder(builder_model="gpt-4o-mini", agent_model=["gpt-4o-mini"], max_agents=3)


def execution(tmp_path) -> dict[str, Any]:
    return {"work_dir": str(tmp_path / "groupchat"), "use_docker": False, "timeout": 30, "last_n_messages": 1}


def test_a_built_three_agent_team_solves_the_task_in_a_group_chat(builder, server, tmp_path):
    server.default_reply = team_answer
    agents, configs = builder.build(
        TASK, {"temperature": 0, "cache_seed": None}, code_execution_config=execution(tmp_path)
    )
    assert [a.name for a in agents] == ["Python_Expert", "Verification_Expert", "Computer_terminal"]
    assert configs["coding"] is True and configs["building_task"] == TASK
    expert = agents[0]
    assert "**Your role is**: Python_Expert" in expert.system_message
    assert "['Python_Expert', 'Verification_Expert', 'Computer_terminal']" in expert.system_message
    assert "Computer_terminal that runs your python and shell code" in expert.system_message
    assert "## How to verify?" in expert.system_message and "is an expert for this task" in expert.system_message
    assert expert.description == "Python_Expert helps with the task."
    name_prompt = server.chat_requests[0]["messages"][-1]["content"]
    assert "at most 3 experts" in name_prompt and TASK in name_prompt and "[skill]_Expert" in name_prompt

    groupchat = GroupChat(agents=agents, messages=[], max_round=8)
    manager = GroupChatManager(groupchat, llm_config={"config_list": server.config_list(), "cache_seed": None})
    agents[0].initiate_chat(manager, message=TASK)

    speakers = [m["name"] for m in groupchat.messages]
    assert speakers == ["Python_Expert", "Python_Expert", "Computer_terminal", "Verification_Expert"]
    assert "exitcode: 0" in groupchat.messages[2]["content"] and "385" in groupchat.messages[2]["content"]
    assert groupchat.messages[-1]["content"] == "TERMINATE"  # the verifier saw the real output
    assert (tmp_path / "groupchat").is_dir()


def test_a_saved_team_loads_without_the_builder_model_and_without_keys(builder, server, tmp_path):
    server.default_reply = builder_answer
    agents, configs = builder.build(TASK, {"temperature": 0, "config_list": server.config_list()}, coding=False)
    assert [a.name for a in agents] == ["Python_Expert", "Verification_Expert"]
    asked = len(server.chat_requests)
    assert asked == 5  # names, then a system message and a description per expert; coding was given
    path = builder.save(str(tmp_path / "team.json"))
    saved = (tmp_path / "team.json").read_text()
    assert server.api_key not in saved and "config_list" not in saved
    assert json.loads(saved)["default_llm_config"] == {"temperature": 0}

    fresh = AgentBuilder(builder_model="gpt-4o-mini")
    loaded, loaded_configs = fresh.load(path)
    assert len(server.chat_requests) == asked
    assert [a.name for a in loaded] == ["Python_Expert", "Verification_Expert"]
    assert [a.system_message for a in loaded] == [a.system_message for a in agents]
    assert loaded[0].llm_config["config_list"][0]["base_url"] == server.config_list()[0]["base_url"]
    assert loaded_configs == configs
    again, _ = fresh.load(config_json=saved)
    assert [a.description for a in again] == [a.description for a in agents]


def test_save_names_a_file_after_the_task_by_default(builder, server):
    server.default_reply = builder_answer
    builder.build(TASK, {}, coding=False)
    path = builder.save()
    assert re.fullmatch(r"\./save_config_[0-9a-f]{32}\.json", path)
    with open(path) as f:
        assert json.load(f)["building_task"] == TASK


def test_a_team_with_an_executor_object_runs_but_cannot_be_saved(builder, server, tmp_path):
    server.default_reply = builder_answer
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path)
    agents, configs = builder.build(TASK, {}, code_execution_config={"executor": executor})
    assert agents[-1].name == "Computer_terminal" and agents[-1].code_executor is executor
    assert configs["code_execution_config"]["executor"] is executor
    with pytest.raises(ValueError, match=r"cannot be saved as JSON.*rather than an executor object"):
        builder.save(str(tmp_path / "team.json"))
    assert not (tmp_path / "team.json").exists()


def test_max_agents_keeps_the_first_names(builder, server):
    server.default_reply = lambda body: builder_answer(body, "A_Expert, B_Expert, C_Expert, D_Expert")
    with pytest.warns(UserWarning, match="max_agents=2 keeps"):
        agents, _ = builder.build(TASK, {}, coding=False, max_agents=2)
    assert [a.name for a in agents] == ["A_Expert", "B_Expert"]
    assert "at most 2 experts" in server.chat_requests[0]["messages"][-1]["content"]


def test_clear_agent_and_clear_all_agents(builder, server):
    server.default_reply = builder_answer
    builder.build(TASK, {}, coding=False)
    assert sorted(builder.agent_procs_assign) == ["Python_Expert", "Verification_Expert"]
    builder.clear_agent("Python_Expert")
    assert list(builder.agent_procs_assign) == ["Verification_Expert"]
    with pytest.raises(ValueError, match=r"'Python_Expert'.*\['Verification_Expert'\]"):
        builder.clear_agent("Python_Expert")
    builder.clear_all_agents()
    assert builder.agent_procs_assign == {}


# ---- bad answers and bad input ----------------------------------------------------------------------------


def test_an_answer_in_the_wrong_format_is_retried_with_the_parse_error(builder, server):
    server.script("Sure! Here are the experts you need: a Python expert and a verifier.")
    server.default_reply = builder_answer
    agents, _ = builder.build(TASK, {}, coding=False)
    assert [a.name for a in agents] == ["Python_Expert", "Verification_Expert"]
    retry = server.chat_requests[1]["messages"]
    assert [m["role"] for m in retry] == ["user", "assistant", "user"]
    assert retry[1]["content"].startswith("Sure! Here are")
    assert "could not be used" in retry[2]["content"] and "is not an expert name" in retry[2]["content"]


def test_a_numbered_or_bulleted_list_of_names_is_read(builder, server):
    server.default_reply = lambda body: builder_answer(body, "1. Python_Expert\n2) **Verification Expert**\n- ...")
    agents, _ = builder.build(TASK, {}, coding=False)
    assert [a.name for a in agents] == ["Python_Expert", "Verification_Expert"]
    assert len(server.chat_requests) == 5  # no retry was needed


def test_a_builder_that_never_answers_in_format_fails_clearly_and_keeps_the_last_team(builder, server):
    server.default_reply = builder_answer
    agents, configs = builder.build(TASK, {}, coding=False)
    asked = len(server.chat_requests)
    server.default_reply = lambda body: "I think you need: a Python expert!"
    with pytest.raises(BuilderAnswerError, match=r"no usable expert names in 3 answers.*I think you need"):
        builder.build("Another task", {}, coding=False)
    assert len(server.chat_requests) == asked + 3
    assert builder.cached_configs == configs and builder.building_task == TASK
    assert sorted(builder.agent_procs_assign) == sorted(a.name for a in agents)


def test_a_coding_answer_that_is_not_yes_or_no_is_retried(builder, server):
    answers = iter(["Maybe, it depends.", "NO"])
    server.default_reply = lambda body: next(answers) if "YES or NO" in first(body) else builder_answer(body)
    agents, configs = builder.build(TASK, {})
    assert configs["coding"] is False and "Computer_terminal" not in [a.name for a in agents]
    assert "only YES or NO" in server.chat_requests[-1]["messages"][-1]["content"]


def test_use_oai_assistant_says_the_assistants_api_is_deprecated(builder, server):
    with pytest.raises(NotImplementedError, match=r"Assistants API.*deprecated"):
        builder.build(TASK, {}, use_oai_assistant=True)
    with pytest.raises(NotImplementedError, match="Assistants API"):
        builder.build_from_library(TASK, json.dumps(LIBRARY), {}, use_oai_assistant=True)
    assert server.chat_requests == []


def test_bad_arguments_are_named(builder, server, monkeypatch):
    with pytest.raises(ValueError, match="building_task"):
        builder.build("  ", {})
    with pytest.raises(ValueError, match="default_llm_config"):
        builder.build(TASK, None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_agents must be a positive int, not 0"):
        builder.build(TASK, {}, max_agents=0)
    with pytest.raises(ValueError, match=r"No config in OAI_CONFIG_LIST matches the builder models.*gpt-5"):
        AgentBuilder(builder_model="gpt-5")
    with pytest.raises(ValueError, match="nothing to save"):
        builder.save()
    assert server.chat_requests == []


def test_an_invalid_library_file_names_the_file_and_the_problem(builder, server, tmp_path):
    bad = tmp_path / "library.json"
    bad.write_text(json.dumps([{"name": "Python Programmer", "system_message": "x"}]))
    with pytest.raises(ValueError, match=r"library\.json' is not a valid agent library.*0/name.*0/description"):
        builder.build_from_library(TASK, str(bad), {}, embedding_model=None)
    bad.write_text("[{not json")
    with pytest.raises(ValueError, match=r"library\.json' is not valid JSON"):
        builder.build_from_library(TASK, str(bad), {}, embedding_model=None)
    bad.write_text(json.dumps([LIBRARY[0], LIBRARY[0]]))
    with pytest.raises(ValueError, match=r"more than one agent \['Python_Programmer'\]"):
        builder.build_from_library(TASK, str(bad), {}, embedding_model=None)
    with pytest.raises(FileNotFoundError, match=r"missing\.json"):
        builder.build_from_library(TASK, str(tmp_path / "missing.json"), {}, embedding_model=None)
    assert server.chat_requests == []


def test_an_invalid_team_config_names_the_problem(builder, tmp_path):
    path = tmp_path / "team.json"
    path.write_text(json.dumps({"agent_configs": [], "coding": "sometimes"}))
    with pytest.raises(ValueError, match=r"team\.json' is not a valid AgentBuilder team config.*agent_configs.*coding"):
        builder.load(str(path))
    with pytest.raises(ValueError, match="exactly one of filepath"):
        builder.load()


# ---- the agent library --------------------------------------------------------------------------------------


def test_the_builder_model_chooses_from_the_library_without_embeddings(builder, server, tmp_path):
    path = tmp_path / "library.json"
    path.write_text(json.dumps(LIBRARY))
    server.script("Python_Programmer, Baker", "Python_Programmer, Math_Checker")
    agents, configs = builder.build_from_library(TASK, str(path), {}, coding=False, embedding_model=None)
    assert [a.name for a in agents] == ["Python_Programmer", "Math_Checker"]
    first = server.chat_requests[0]["messages"][-1]["content"]
    assert "Pastry_Chef: Bakes cakes" in first and TASK in first
    assert "['Baker'] are not in the expert list" in server.chat_requests[1]["messages"][-1]["content"]
    assert "You write Python." in agents[0].system_message
    assert configs["agent_configs"][0]["model"] == ["gpt-4o-mini"]


@pytest.mark.slow
def test_embeddings_recall_the_nearest_experts_and_an_unmatched_skill_gets_a_new_one(builder, server, tmp_path):
    task = "Write a Python program that sums the squares\nCheck the arithmetic of the result\nWrite a poem about it"
    selection = {
        "Write a Python program that sums the squares": f"Python_Programmer: {PYTHON}",
        "Check the arithmetic of the result": f"Math_Checker: {MATH}",
        "Write a poem about it": "None",
    }

    def answer(body: dict[str, Any]) -> str:
        if "Match each skill" in first(body):
            return "```json\n" + json.dumps(selection, indent=2) + "\n```"
        return builder_answer(body, "Poetry_Expert")

    server.script("the Python programmer and the checker")  # not the JSON asked for: retried
    server.default_reply = answer
    agents, _ = builder.build_from_library(task, json.dumps(LIBRARY), {}, top_k=1, coding=False)
    assert [a.name for a in agents] == ["Python_Programmer", "Math_Checker", "Poetry_Expert"]
    pool_prompt = server.chat_requests[0]["messages"][-1]["content"]
    assert "Python_Programmer: Writes" in pool_prompt and "Math_Checker: Checks" in pool_prompt
    assert "Pastry_Chef" not in pool_prompt  # not near any skill
    assert "holds no JSON object" in server.chat_requests[1]["messages"][-1]["content"]


def test_embedding_retrieval_without_sentence_transformers_names_the_extra(builder, server, monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(ImportError, match=re.escape('pip install "autogen[autobuild]"')):
        builder.build_from_library(TASK, json.dumps(LIBRARY), {})
    assert server.chat_requests == []


# ---- the example ------------------------------------------------------------------------------------------


def run_example(name: str, server, *args: str, cwd=None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "OAI_CONFIG_LIST": json.dumps(server.config_list()),
        "NO_COLOR": "1",
        "AUTOGEN_USE_DOCKER": "0",  # the scripted code runs on this machine
    }
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_the_example_builds_a_team_that_solves_the_task(server, tmp_path):
    server.default_reply = team_answer
    done = run_example("agent_builder.py", server, "--save", str(tmp_path / "team.json"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Team: Python_Expert, Verification_Expert, Computer_terminal" in done.stdout
    assert "exitcode: 0 (execution succeeded)\nCode output: \n385" in done.stdout
    assert "Last message: TERMINATE" in done.stdout
    assert json.loads((tmp_path / "team.json").read_text())["coding"] is True


def test_the_example_reports_a_builder_that_never_answers_in_format_without_a_traceback(server, tmp_path):
    server.default_reply = lambda body: "I would rather write a poem."
    done = run_example("agent_builder.py", server, "--work-dir", str(tmp_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: The builder model gave no usable ")
    assert "Its last answer was 'I would rather write a poem.'" in done.stderr
    assert "Use a stronger builder_model" in done.stderr
