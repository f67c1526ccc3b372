"""Whole teams in group chats: auto selection through the manager, tools, code, usage, nesting, caching."""

from __future__ import annotations

from typing import Any

from autogen import (
    AssistantAgent,
    Cache,
    GroupChat,
    GroupChatManager,
    UserProxyAgent,
    gather_usage_summary,
    register_function,
)
from autogen.coding import LocalCommandLineCodeExecutor


def usage(prompt: int, completion: int) -> dict:
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def reply(content: Any = None, prompt: int = 10, completion: int = 1, **extra: Any) -> dict:
    """A scripted reply with a known usage, so usage totals can be checked exactly."""
    return {"content": content, "usage": usage(prompt, completion), **extra}


def tokens(agent: Any) -> tuple[int, int]:
    summary = agent.get_total_usage() or {}
    model = next((k for k in summary if k != "total_cost"), None)
    if model is None:
        return 0, 0
    return summary[model]["prompt_tokens"], summary[model]["completion_tokens"]


def team(llm_config: dict, *names: str) -> list[AssistantAgent]:
    return [AssistantAgent(n, llm_config=dict(llm_config), description=f"the {n}") for n in names]


def person() -> UserProxyAgent:
    return UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)


# ---- auto selection through the manager ----------------------------------------------------------------


def test_auto_makes_exactly_one_selection_call_per_round_with_valid_answers(server, llm_config, start):
    a, b, c = team(llm_config, "a", "b", "c")
    chat = GroupChat([a, b, c], messages=[], max_round=4)
    manager = GroupChatManager(chat, llm_config=llm_config)
    server.script(
        reply("b", 100, 1), reply("b says hi", 7, 3), reply("c", 100, 1), reply("c says hi", 7, 3), reply("a", 100, 1)
    )
    server.script(reply("a says bye", 7, 3))
    start(person(), manager, message="hello")
    assert [m["name"] for m in chat.messages] == ["user", "b", "c", "a"]
    requests = server.chat_requests
    assert len(requests) == 6
    assert [r["messages"][-1].get("name") for r in requests[::2]] == ["checking_agent"] * 3
    assert tokens(manager) == (300, 3)
    assert tokens(a) == (7, 3) and tokens(b) == (7, 3) and tokens(c) == (7, 3)


def test_selection_calls_show_up_in_gather_usage_summary(server, llm_config):
    a, b = team(llm_config, "a", "b")
    chat = GroupChat([a, b], messages=[], max_round=2, allow_repeat_speaker=True)
    manager = GroupChatManager(chat, llm_config=llm_config)
    server.script(reply("b", 50, 2), reply("done", 5, 5))
    person().initiate_chat(manager, message="go")
    total = gather_usage_summary([a, b, manager])["usage_including_cached_inference"]
    model = server.model
    assert total[model]["prompt_tokens"] == 55
    assert total[model]["completion_tokens"] == 7


def test_an_unusable_selector_answer_costs_the_retries_then_the_next_agent_speaks(server, llm_config, start):
    a, b, c = team(llm_config, "a", "b", "c")
    chat = GroupChat([a, b, c], messages=[], max_round=2, max_retries_for_selecting_speaker=1)
    manager = GroupChatManager(chat, llm_config=llm_config)
    server.script("TERMINATE", "I cannot decide", "a speaks by default")
    start(person(), manager, message="hello")
    assert [m["name"] for m in chat.messages] == ["user", "a"]
    assert len(server.chat_requests) == 3


def test_structured_selection_through_the_manager_always_names_a_member(server, llm_config, start):
    a, b, c = team(llm_config, "a", "b", "c")
    chat = GroupChat([a, b, c], messages=[], max_round=2, select_speaker_structured_output=True)
    manager = GroupChatManager(chat, llm_config=llm_config)
    server.script({"content": None, "tool_calls": [{"name": "select_next_speaker", "arguments": {"name": "c"}}]})
    server.script("c answers")
    start(person(), manager, message="hello")
    assert chat.messages[-1]["name"] == "c"
    assert server.chat_requests[0]["tool_choice"]["function"]["name"] == "select_next_speaker"
    assert "tools" not in server.chat_requests[1]


# ---- tools and code ------------------------------------------------------------------------------------------


def test_four_agents_with_tools_and_code_end_with_the_right_histories_and_usage(server, llm_config, tmp_path, start):
    planner, coder = team(llm_config, "planner", "coder")
    tool_runner = UserProxyAgent("tool_runner", human_input_mode="NEVER", code_execution_config=False)
    code_runner = UserProxyAgent(
        "code_runner",
        human_input_mode="NEVER",
        code_execution_config={"executor": LocalCommandLineCodeExecutor(work_dir=tmp_path, timeout=30)},
    )

    def add(a: int, b: int) -> int:
        return a + b

    register_function(add, caller=planner, executor=tool_runner, description="Add two integers.")
    chat = GroupChat([planner, tool_runner, coder, code_runner], messages=[], max_round=12)
    manager = GroupChatManager(chat, llm_config=llm_config)
    server.script(
        reply("planner", 100, 1),  # selection
        reply(None, 20, 4, tool_calls=[{"id": "call_1", "name": "add", "arguments": {"a": 2, "b": 3}}]),
        # the tool call goes to tool_runner without asking the LLM
        reply("planner", 100, 1),  # selection
        reply("2 + 3 is 5. coder, print it with Python.", 20, 4),
        reply("coder", 100, 1),  # selection
        reply("```python\nprint(2 + 3)\n```", 20, 4),
        reply("code_runner", 100, 1),  # selection
        reply("planner", 100, 1),  # selection
        reply("TERMINATE", 20, 4),
    )
    start(person(), manager, message="What is 2 + 3? Use the tool, then print it with code.")

    assert [m["name"] for m in chat.messages] == [
        "user",
        "planner",
        "tool_runner",
        "planner",
        "coder",
        "code_runner",
        "planner",
    ]
    assert chat.messages[2]["content"] == "5"
    assert chat.messages[2]["tool_responses"][0]["tool_call_id"] == "call_1"
    assert "exitcode: 0" in chat.messages[5]["content"] and "5" in chat.messages[5]["content"]
    assert server.pending == 0 and len(server.chat_requests) == 9

    # the coder's request carried the tool call and its answer, correctly paired
    coder_request = server.chat_requests[5]["messages"]
    call_index = next(i for i, m in enumerate(coder_request) if m.get("tool_calls"))
    assert coder_request[call_index + 1] == {"role": "tool", "tool_call_id": "call_1", "content": "5"}

    # every member saw every message (its own as assistant, the others as user/tool)
    said = [m.get("content") or "" for m in chat.messages]
    for member in chat.agents:
        assert [m.get("content") or "" for m in member.chat_messages[manager]] == said
    assert [m["role"] for m in planner.chat_messages[manager]] == [
        "user",
        "assistant",
        "tool",
        "assistant",
        "user",
        "user",
        "assistant",
    ]
    assert tokens(manager) == (500, 5)
    assert tokens(planner) == (60, 12)
    assert tokens(coder) == (20, 4)
    assert tokens(tool_runner) == (0, 0) and tokens(code_runner) == (0, 0)


def test_the_example_team_solves_its_task_against_the_test_server(server, llm_config, tmp_path):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "coder_critic_executor.py"
    spec = importlib.util.spec_from_file_location("coder_critic_executor", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    server.script(
        reply("coder", 100, 1),  # selection after the task
        reply(
            "```python\nprimes = [n for n in range(2, 30) if all(n % d for d in range(2, n))]\nprint(primes[:10])\n```",
            30,
            20,
        ),
        # coder -> executor is the only transition, no selection call; executor runs the code
        reply("critic", 100, 1),  # selection after the executor
        reply("The output lists the first 10 primes. TERMINATE", 40, 10),
    )
    result, team_usage = example.solve(example.DEFAULT_TASK, llm_config, work_dir=str(tmp_path))
    history = [m["content"] for m in result.chat_history]
    assert any("[2, 3, 5, 7, 11, 13, 17, 19, 23, 29]" in text for text in history)
    assert "TERMINATE" in history[-1]
    assert len(server.chat_requests) == 4
    model = server.model
    assert team_usage["usage_including_cached_inference"][model]["prompt_tokens"] == 270


# ---- nesting -----------------------------------------------------------------------------------------------


def test_a_group_chat_manager_can_be_a_member_of_another_group(server, llm_config, start):
    x, y = team(llm_config, "x", "y")
    inner = GroupChatManager(
        GroupChat([x, y], messages=[], max_round=3, speaker_selection_method="round_robin"),
        name="inner_team",
        description="a team that researches",
        llm_config=llm_config,
    )
    lead, writer = team(llm_config, "lead", "writer")
    outer_chat = GroupChat([lead, inner, writer], messages=[], max_round=4, speaker_selection_method="round_robin")
    outer = GroupChatManager(outer_chat, llm_config=llm_config)
    server.script("lead: research this", "x found facts", "y checked them: 42", "writer: the answer is 42")
    start(person(), outer, message="What is the answer?")
    assert [(m["name"], m["content"]) for m in outer_chat.messages] == [
        ("user", "What is the answer?"),
        ("lead", "lead: research this"),
        ("inner_team", "y checked them: 42"),
        ("writer", "writer: the answer is 42"),
    ]
    assert [m["name"] for m in inner.groupchat.messages] == ["chat_manager", "x", "y"]
    writer_request = server.chat_requests[3]["messages"]
    assert {"role": "user", "content": "y checked them: 42", "name": "inner_team"} in writer_request


def test_a_group_chat_can_run_as_a_nested_chat(server, llm_config, start):
    x, y = team(llm_config, "x", "y")
    inner = GroupChatManager(
        GroupChat([x, y], messages=[], max_round=3, speaker_selection_method="round_robin"), llm_config=llm_config
    )
    host = AssistantAgent("host", llm_config=dict(llm_config))
    host.register_nested_chats(
        [{"recipient": inner, "summary_method": "reflection_with_llm", "max_turns": 1}],
        trigger=lambda sender: sender is not inner,
    )
    asker = person()
    server.script("x drafts", "y polishes", "summary: polished draft")
    result = start(asker, host, message="Write a haiku.", max_turns=1)
    assert result.chat_history[-1]["content"] == "summary: polished draft"
    assert [m["name"] for m in inner.groupchat.messages] == ["host", "x", "y"]
    reflection_request = server.chat_requests[2]["messages"]
    assert [m["content"] for m in reflection_request[:3]] == ["Write a haiku.", "x drafts", "y polishes"]


# ---- caching -----------------------------------------------------------------------------------------------


def test_a_cached_group_chat_replays_without_llm_calls(server, llm_config, tmp_path):
    def run() -> list:
        a, b = team(llm_config, "a", "b")
        chat = GroupChat([a, b], messages=[], max_round=3)
        manager = GroupChatManager(chat, llm_config=llm_config)
        with Cache.disk(cache_seed=7, cache_path_root=str(tmp_path / "cache")) as cache:
            person().initiate_chat(manager, message="hello", cache=cache)
        return [(m["name"], m["content"]) for m in chat.messages]

    server.script("a", "a here", "b", "b here")
    first = run()
    calls = len(server.chat_requests)
    second = run()
    assert second == first == [("user", "hello"), ("a", "a here"), ("b", "b here")]
    assert calls == 4 and len(server.chat_requests) == 4


def test_the_example_script_runs_with_an_oai_config_list(server, tmp_path):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "examples" / "coder_critic_executor.py"
    server.script(
        "coder",
        "```python\nprint('hello from the team')\n```",
        "critic",
        "The script printed the greeting. TERMINATE",
    )
    env = {**os.environ, "OAI_CONFIG_LIST": json.dumps(server.config_list()), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, str(script), "--task", "Print a greeting.", "--work-dir", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "hello from the team" in done.stdout
    assert "Summary: The script printed the greeting." in done.stdout
    assert len(server.chat_requests) == 4
