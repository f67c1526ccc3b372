"""Tools and functions: registration, schemas sent to the model, execution, errors, parallel calls."""

from __future__ import annotations

import asyncio
import json
from typing import Optional

import pytest
from pydantic import BaseModel
from typing_extensions import Annotated

from autogen import AssistantAgent, ConversableAgent, UserProxyAgent, register_function


def make_pair(llm_config):
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    executor = UserProxyAgent(
        "executor",
        human_input_mode="NEVER",
        code_execution_config=False,
        is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
    )
    return assistant, executor


def tool_messages(request: dict) -> list[dict]:
    return [m for m in request["messages"] if m["role"] == "tool"]


def test_tool_call_round_trip(server, llm_config):
    assistant, executor = make_pair(llm_config)

    def add(a: Annotated[int, "first number"], b: Annotated[int, "second number"] = 1) -> int:
        return a + b

    register_function(add, caller=assistant, executor=executor, description="Add two numbers.")
    server.script({"tool_calls": [{"id": "call_1", "name": "add", "arguments": {"a": 2, "b": 3}}]}, "5. TERMINATE")
    result = executor.initiate_chat(assistant, message="add 2 and 3", silent=True)

    first, second = server.chat_requests
    assert first["tools"][0]["function"]["name"] == "add"
    assert first["tools"][0]["function"]["parameters"]["required"] == ["a"]
    assert tool_messages(second) == [{"tool_call_id": "call_1", "role": "tool", "content": "5"}]
    call_message = second["messages"][-2]
    assert call_message["role"] == "assistant" and call_message["content"] is None
    assert call_message["tool_calls"][0]["id"] == "call_1"
    assert result.chat_history[-1]["content"] == "5. TERMINATE"


def test_parallel_tool_calls_get_responses_paired_with_their_ids(server, llm_config):
    assistant, executor = make_pair(llm_config)

    def double(x: int) -> int:
        return 2 * x

    register_function(double, caller=assistant, executor=executor, description="Double x.")
    server.script(
        {
            "tool_calls": [
                {"id": "call_a", "name": "double", "arguments": {"x": 1}},
                {"id": "call_b", "name": "double", "arguments": {"x": 10}},
            ]
        },
        "TERMINATE",
    )
    executor.initiate_chat(assistant, message="double 1 and 10", silent=True)
    assert tool_messages(server.chat_requests[1]) == [
        {"tool_call_id": "call_a", "role": "tool", "content": "2"},
        {"tool_call_id": "call_b", "role": "tool", "content": "20"},
    ]


async def test_async_tools_of_one_message_run_concurrently(server, llm_config):
    assistant, executor = make_pair(llm_config)
    both_started = asyncio.Event()
    started = []

    async def wait_for_peer(tag: str) -> str:
        started.append(tag)
        if len(started) == 2:
            both_started.set()
        await asyncio.wait_for(both_started.wait(), 5)
        return f"{tag} done"

    register_function(wait_for_peer, caller=assistant, executor=executor, description="Waits.")
    server.script(
        {
            "tool_calls": [
                {"id": "c1", "name": "wait_for_peer", "arguments": {"tag": "one"}},
                {"id": "c2", "name": "wait_for_peer", "arguments": {"tag": "two"}},
            ]
        },
        "TERMINATE",
    )
    await executor.a_initiate_chat(assistant, message="go", silent=True)
    assert [m["content"] for m in tool_messages(server.chat_requests[1])] == ["one done", "two done"]


def test_async_tool_works_in_a_sync_chat(server, llm_config):
    assistant, executor = make_pair(llm_config)

    async def fetch(key: str) -> str:
        await asyncio.sleep(0)
        return f"value of {key}"

    register_function(fetch, caller=assistant, executor=executor, description="Fetch a value.")
    server.script({"tool_calls": [{"id": "c1", "name": "fetch", "arguments": {"key": "k"}}]}, "TERMINATE")
    executor.initiate_chat(assistant, message="fetch k", silent=True)
    assert tool_messages(server.chat_requests[1])[0]["content"] == "value of k"


def test_a_tool_that_raises_returns_its_error_and_the_chat_goes_on(server, llm_config):
    assistant, executor = make_pair(llm_config)

    def divide(a: int, b: int) -> float:
        return a / b

    register_function(divide, caller=assistant, executor=executor, description="Divide.")
    server.script({"tool_calls": [{"id": "c1", "name": "divide", "arguments": {"a": 1, "b": 0}}]}, "TERMINATE")
    result = executor.initiate_chat(assistant, message="1/0", silent=True)
    assert tool_messages(server.chat_requests[1])[0]["content"] == "Error: division by zero"
    assert result.chat_history[-1]["content"] == "TERMINATE"


def test_malformed_json_arguments_get_a_clear_tool_response(server, llm_config):
    assistant, executor = make_pair(llm_config)

    def echo(text: str) -> str:
        return text

    register_function(echo, caller=assistant, executor=executor, description="Echo.")
    server.script({"tool_calls": [{"id": "c1", "name": "echo", "arguments": '{"text": "unterminated'}]}, "TERMINATE")
    executor.initiate_chat(assistant, message="echo", silent=True)
    content = tool_messages(server.chat_requests[1])[0]["content"]
    assert content.startswith("Error:") and "JSON" in content


def test_unknown_tool_name_gets_a_clear_tool_response(server, llm_config):
    assistant, executor = make_pair(llm_config)
    server.script({"tool_calls": [{"id": "c1", "name": "launch_rocket", "arguments": {}}]}, "TERMINATE")
    executor.initiate_chat(assistant, message="go", silent=True)
    content = tool_messages(server.chat_requests[1])[0]["content"]
    assert "launch_rocket" in content and "not found" in content


def test_non_object_arguments_get_a_clear_tool_response():
    agent = ConversableAgent("a", llm_config=False, function_map={"f": lambda **kw: "ok"})
    ok, result = agent.execute_function({"name": "f", "arguments": "[1, 2]"})
    assert not ok
    assert "JSON object" in result["content"]


class Point(BaseModel):
    x: int
    y: int


def test_pydantic_models_as_arguments_and_return_values(server, llm_config):
    assistant, executor = make_pair(llm_config)

    def shift(p: Annotated[Point, "the point"], dx: int = 1) -> Point:
        assert isinstance(p, Point)
        return Point(x=p.x + dx, y=p.y)

    register_function(shift, caller=assistant, executor=executor, description="Shift a point.")
    server.script(
        {"tool_calls": [{"id": "c1", "name": "shift", "arguments": {"p": {"x": 1, "y": 2}, "dx": 3}}]}, "TERMINATE"
    )
    executor.initiate_chat(assistant, message="shift", silent=True)
    schema = server.chat_requests[0]["tools"][0]["function"]["parameters"]["properties"]["p"]
    assert schema["description"] == "the point"
    assert json.loads(tool_messages(server.chat_requests[1])[0]["content"]) == {"x": 4, "y": 2}


def test_legacy_function_call_round_trip(server, llm_config):
    assistant, executor = make_pair(llm_config)

    @executor.register_for_execution()
    @assistant.register_for_llm(description="Say hello.", api_style="function")
    def hello(name: str) -> str:
        return f"hello {name}"

    server.script({"function_call": {"name": "hello", "arguments": {"name": "ann"}}}, "TERMINATE")
    executor.initiate_chat(assistant, message="greet ann", silent=True)
    first, second = server.chat_requests
    assert first["functions"][0]["name"] == "hello"
    assert second["messages"][-1] == {"content": "hello ann", "name": "hello", "role": "function"}


def test_register_for_llm_without_llm_config_is_a_runtime_error():
    agent = ConversableAgent("a", llm_config=False)
    with pytest.raises(RuntimeError, match="llm_config"):
        agent.register_for_llm(description="x")


def test_register_for_llm_uses_the_docstring_as_description(llm_config):
    agent = ConversableAgent("a", llm_config=llm_config)

    @agent.register_for_llm()
    def ping() -> str:
        """Answer pong."""
        return "pong"

    assert agent.llm_config["tools"][0]["function"]["description"] == "Answer pong."


def test_register_for_llm_without_any_description_is_a_value_error(llm_config):
    agent = ConversableAgent("a", llm_config=llm_config)
    with pytest.raises(ValueError, match="description"):

        @agent.register_for_llm()
        def ping() -> str:
            return "pong"


def test_register_for_llm_name_overrides_the_function_name(llm_config):
    agent = ConversableAgent("a", llm_config=llm_config)

    @agent.register_for_llm(name="renamed", description="d")
    def original(x: int) -> int:
        return x

    assert agent.llm_config["tools"][0]["function"]["name"] == "renamed"


def test_invalid_tool_name_is_a_value_error(llm_config):
    agent = ConversableAgent("a", llm_config=llm_config)
    with pytest.raises(ValueError, match="Invalid name"):
        agent.register_for_llm(name="no spaces allowed", description="d")(lambda: None)


def test_unsupported_api_style_is_a_value_error(llm_config):
    with pytest.raises(ValueError, match="API style"):
        ConversableAgent("a", llm_config=llm_config).register_for_llm(description="d", api_style="rpc")


def test_update_tool_signature_removes_by_name(llm_config):
    agent = ConversableAgent("a", llm_config=llm_config)
    agent.register_for_llm(description="d")(lambda_free_function)
    agent.update_tool_signature("lambda_free_function", is_remove=True)
    assert "tools" not in agent.llm_config


def lambda_free_function(x: int) -> int:
    return x


def test_register_function_none_removes_it():
    agent = ConversableAgent("a", llm_config=False, function_map={"f": print})
    assert agent.can_execute_function("f")
    agent.register_function({"f": None})
    assert not agent.can_execute_function("f")
    assert agent.function_map == {}


def test_execute_function_returns_success_and_a_function_message():
    agent = ConversableAgent("a", llm_config=False)
    agent.register_for_execution()(lambda_free_function)
    ok, message = agent.execute_function({"name": "lambda_free_function", "arguments": '{"x": 7}'})
    assert ok is True
    assert message == {"name": "lambda_free_function", "role": "function", "content": "7"}


def test_tool_with_optional_argument_omitted():
    agent = ConversableAgent("a", llm_config=False)

    def greet(name: Optional[str] = None) -> str:
        return f"hi {name or 'stranger'}"

    agent.register_for_execution()(greet)
    assert agent.execute_function({"name": "greet", "arguments": ""})[1]["content"] == "hi stranger"


def test_tool_calls_and_results_are_printed(server, llm_config, human):
    assistant, executor = make_pair(llm_config)
    register_function(lambda_free_function, caller=assistant, executor=executor, description="Identity.")
    server.script({"tool_calls": [{"id": "c9", "name": "lambda_free_function", "arguments": {"x": 5}}]}, "TERMINATE")
    executor.initiate_chat(assistant, message="go")
    assert "***** Suggested tool call (c9): lambda_free_function *****" in human.text
    assert "***** Response from calling tool (c9) *****" in human.text
    # each tool response is a block with its own header, as 0.2 printed it
    assert "executor (to assistant):\n\n***** Response from calling tool (c9) *****" in human.text
    assert ">>>>>>>> EXECUTING FUNCTION lambda_free_function..." in human.text


def test_raw_newlines_inside_argument_strings_are_accepted():
    agent = ConversableAgent("a", llm_config=False, function_map={"echo": lambda text: text})
    ok, result = agent.execute_function({"name": "echo", "arguments": '{"text": "line one\nline two"}'})
    assert ok and result["content"] == "line one\nline two"


def test_overriding_or_removing_a_missing_function_warns():
    agent = ConversableAgent("a", llm_config=False, function_map={"f": print})
    with pytest.warns(UserWarning, match="overridden"):
        agent.register_function({"f": repr})
    with pytest.warns(UserWarning, match="doesn't exist"):
        agent.register_function({"g": None})


@pytest.mark.parametrize("builtin", [len, print, str.upper])
def test_a_built_in_cannot_be_a_tool_and_the_error_says_how_to_wrap_it(llm_config, builtin):
    assistant, executor = make_pair(llm_config)
    with pytest.raises(TypeError, match=r"is a built-in.*Wrap it in a typed function"):
        register_function(builtin, caller=assistant, executor=executor, description="a built-in")
    assert "tools" not in assistant.llm_config and executor.function_map == {}
