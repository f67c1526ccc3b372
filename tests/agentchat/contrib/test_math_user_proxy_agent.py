"""MathUserProxyAgent end to end: scripted model answers, python queries that really run, boxed answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from autogen import AssistantAgent
from autogen.agentchat.contrib.math_user_proxy_agent import PROMPTS, MathUserProxyAgent
from autogen.math_utils import get_answer


def _agents(llm_config: dict[str, Any], **kwargs: Any) -> tuple[MathUserProxyAgent, AssistantAgent]:
    proxy = MathUserProxyAgent(code_execution_config={"use_docker": False}, **kwargs)
    assistant = AssistantAgent("assistant", system_message="You solve math.", llm_config=llm_config)
    return proxy, assistant


def _py(code: str) -> str:
    return f"```python\n{code}\n```"


def _user_turns(server: Any) -> list[str]:
    """The proxy's messages as the model received them (the last user message of each request)."""
    return [body["messages"][-1]["content"] for body in server.chat_requests]


def test_a_problem_is_solved_with_code_that_runs_and_the_boxed_answer_ends_the_chat(
    server: Any, llm_config: dict[str, Any]
) -> None:
    server.script(
        "Key idea: compute it.\n" + _py("x = 6 * 7\nprint(x)"),
        "Now square it.\n" + _py("x ** 2"),  # a bare last expression is printed; x is kept from the last query
        "No query needed: the answer is \\boxed{1764}.",
    )
    proxy, assistant = _agents(llm_config)
    result = proxy.initiate_chat(
        assistant, message=proxy.message_generator, problem="What is (6*7)^2?", prompt_type="python", silent=True
    )
    turns = _user_turns(server)
    assert turns[0] == PROMPTS["python"] + "What is (6*7)^2?"
    assert turns[1].strip() == "42"
    assert turns[2].strip() == "1764"
    assert len(server.chat_requests) == 3
    assert get_answer(result.chat_history[-1]["content"]) == "1764"


def test_generate_init_message_wraps_a_string_problem_and_takes_a_customized_prompt(
    server: Any, llm_config: dict[str, Any]
) -> None:
    proxy, assistant = _agents(llm_config)
    assert proxy.generate_init_message("1+1?") == PROMPTS["default"] + "1+1?"
    assert proxy.generate_init_message("1+1?", customized_prompt="Solve: ") == "Solve: 1+1?"
    with pytest.raises(ValueError, match="two_tools"):
        proxy.generate_init_message("1+1?", prompt_type="two_tools")
    server.script("\\boxed{2}")
    proxy.initiate_chat(assistant, message="1+1?", prompt_type="python", silent=True)
    assert _user_turns(server) == [PROMPTS["python"] + "1+1?"]


def test_default_prompts_keep_every_instruction() -> None:
    for prompt in PROMPTS.values():
        for needle in ("print", "fractions", "sympy", "```python", "step by step", "Wait", "\\boxed{}"):
            assert needle in prompt
    assert "Case 3" in PROMPTS["default"] and "Case" not in PROMPTS["python"]


def test_errors_go_back_to_the_model_and_the_invalid_query_limit_asks_to_revisit(
    server: Any, llm_config: dict[str, Any]
) -> None:
    server.script(
        _py("print(1/0)"),
        _py("print(undefined_name)"),
        _py("raise ValueError('third')"),
        "\\boxed{0}",
    )
    proxy, assistant = _agents(llm_config, max_invalid_q_per_step=2)
    proxy.initiate_chat(assistant, message="Divide by zero.", silent=True)
    turns = _user_turns(server)
    assert turns[1].startswith("Error:") and "ZeroDivisionError" in turns[1]
    assert 'File "' not in turns[1]  # the file lines of the traceback are removed
    assert "NameError" in turns[2]
    assert turns[3].startswith("Please go back to the problem statement")  # the 3rd failure trips the limit of 2


def test_no_code_asks_to_continue_and_missing_print_is_reported(server: Any, llm_config: dict[str, Any]) -> None:
    server.script("Let me think about it.", _py("y = 3"), _py("y = 3"), "\\boxed{3}")
    proxy, assistant = _agents(llm_config)
    proxy.initiate_chat(assistant, message="Think.", silent=True)
    turns = _user_turns(server)
    assert turns[1] == MathUserProxyAgent.DEFAULT_REPLY
    assert turns[2] == "No output found: print the results you need."
    assert turns[3].endswith("please try a different approach.")  # the same result twice


def test_an_overlong_output_is_refused(server: Any, llm_config: dict[str, Any]) -> None:
    server.script(_py("print('a' * 3000)"), "\\boxed{1}")
    proxy, assistant = _agents(llm_config)
    proxy.initiate_chat(assistant, message="Print a lot.", silent=True)
    assert _user_turns(server)[1].startswith("The result of your query is too long")


def test_a_query_that_runs_too_long_is_stopped_by_the_timeout(server: Any, llm_config: dict[str, Any]) -> None:
    server.script(_py("import time\ntime.sleep(30)\nprint('late')"), "\\boxed{1}")
    proxy, assistant = _agents(llm_config, timeout=1)
    proxy.initiate_chat(assistant, message="Wait.", silent=True)
    reply = _user_turns(server)[1]
    assert reply.startswith("Error:") and "late" not in reply


def test_wolfram_and_other_languages_are_invalid_queries(server: Any, llm_config: dict[str, Any]) -> None:
    server.script("```wolfram\nintegrate x\n```\n```sh\necho hi\n```", "\\boxed{1}")
    proxy, assistant = _agents(llm_config)
    proxy.initiate_chat(assistant, message="Integrate.", silent=True)
    reply = _user_turns(server)[1]
    assert "Wolfram Alpha queries are not available" in reply and "Unknown language" in reply
    assert "hi" not in reply.split("\n")


def test_termination_needs_a_boxed_answer_without_a_query() -> None:
    proxy = MathUserProxyAgent(code_execution_config={"use_docker": False})
    assert proxy._is_termination_msg({"content": "so \\boxed{5}"})
    assert not proxy._is_termination_msg({"content": "\\boxed{5}\n" + _py("print(5)")})
    assert not proxy._is_termination_msg({"content": "no answer yet"})


def test_code_execution_must_stay_on() -> None:
    with pytest.raises(ValueError, match="code_execution_config"):
        MathUserProxyAgent(code_execution_config=False)


def test_sympy_queries_build_on_earlier_ones_and_a_failed_query_keeps_its_imports(
    server: Any, llm_config: dict[str, Any]
) -> None:
    server.script(
        _py("from sympy import Rational\nimport math\nbroken("),  # a syntax error: only the imports are kept
        _py("print(Rational(1, 3) + Rational(1, 6), math.factorial(4))"),
        "\\boxed{\\frac{1}{2}}",
    )
    proxy, assistant = _agents(llm_config)
    result = proxy.initiate_chat(assistant, message="1/3 + 1/6?", silent=True)
    turns = _user_turns(server)
    assert turns[1].startswith("Error:") and "SyntaxError" in turns[1]
    assert turns[2].strip() == "1/2 24"
    assert get_answer(result.chat_history[-1]["content"]) == "\\frac{1}{2}"


async def test_an_async_chat_wraps_the_problem_and_runs_the_queries(server: Any, llm_config: dict[str, Any]) -> None:
    server.script(_py("print(2 ** 10)"), "\\boxed{1024}")
    proxy, assistant = _agents(llm_config)
    result = await proxy.a_initiate_chat(assistant, message="2^10?", prompt_type="python", silent=True)
    assert _user_turns(server) == [PROMPTS["python"] + "2^10?", "1024"]
    assert result.chat_history[-1]["content"] == "\\boxed{1024}"


def test_the_example_runs_the_query_and_prints_the_boxed_answer(server: Any, tmp_path: Any) -> None:
    server.script(_py("print(sum(i * i for i in range(1, 11)))"), "So the sum is \\boxed{385}.")
    example = Path(__file__).resolve().parents[3] / "examples" / "math_chat.py"
    env = {**os.environ, "OAI_CONFIG_LIST": json.dumps(server.config_list()), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, str(example)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert _user_turns(server)[0] == PROMPTS["python"] + "What is the sum of the squares of the integers from 1 to 10?"
    assert _user_turns(server)[1].strip() == "385"  # the query really ran
    assert "\nAnswer: 385\n" in done.stdout
    assert "Stopped: termination_message" in done.stdout
