"""The public agent API matches spec §2 (and §8 for tool schemas): names, signatures and defaults."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

import autogen
from autogen import AssistantAgent, ChatResult, ConversableAgent, UserProxyAgent
from autogen.agentchat import utils as chat_utils

EMPTY = inspect.Parameter.empty


def params(func) -> list[tuple[str, object]]:
    """(name, default) of each parameter after ``self``; ``*args``/``**kwargs`` as ``*name``/``**name``."""
    out = []
    for p in inspect.signature(func).parameters.values():
        if p.name == "self":
            continue
        if p.kind is p.VAR_POSITIONAL:
            out.append((f"*{p.name}", EMPTY))
        elif p.kind is p.VAR_KEYWORD:
            out.append((f"**{p.name}", EMPTY))
        else:
            out.append((p.name, p.default))
    return out


def test_conversable_agent_constructor():
    assert params(ConversableAgent.__init__) == [
        ("name", EMPTY),
        ("system_message", "You are a helpful AI Assistant."),
        ("is_termination_msg", None),
        ("max_consecutive_auto_reply", None),
        ("human_input_mode", "TERMINATE"),
        ("function_map", None),
        ("code_execution_config", False),
        ("llm_config", None),
        ("default_auto_reply", ""),
        ("description", None),
        ("chat_messages", None),
        ("silent", None),
    ]


def test_assistant_agent_constructor():
    assert params(AssistantAgent.__init__) == [
        ("name", EMPTY),
        ("system_message", AssistantAgent.DEFAULT_SYSTEM_MESSAGE),
        ("llm_config", None),
        ("is_termination_msg", None),
        ("max_consecutive_auto_reply", None),
        ("human_input_mode", "NEVER"),
        ("description", None),
        ("**kwargs", EMPTY),
    ]
    # the texts are our own (tests/agentchat/test_default_prompts.py checks what they ask)
    assert isinstance(AssistantAgent.DEFAULT_DESCRIPTION, str) and AssistantAgent.DEFAULT_DESCRIPTION
    assert AssistantAgent.DEFAULT_SYSTEM_MESSAGE.endswith("TERMINATE.")


def test_user_proxy_agent_constructor():
    assert params(UserProxyAgent.__init__) == [
        ("name", EMPTY),
        ("is_termination_msg", None),
        ("max_consecutive_auto_reply", None),
        ("human_input_mode", "ALWAYS"),
        ("function_map", None),
        ("code_execution_config", {}),
        ("default_auto_reply", ""),
        ("llm_config", False),
        ("system_message", ""),
        ("description", None),
        ("**kwargs", EMPTY),
    ]
    assert set(UserProxyAgent.DEFAULT_USER_PROXY_AGENT_DESCRIPTIONS) == {"ALWAYS", "TERMINATE", "NEVER"}


def test_class_attributes():
    assert ConversableAgent.DEFAULT_CONFIG is False
    assert ConversableAgent.MAX_CONSECUTIVE_AUTO_REPLY == 100
    assert ConversableAgent.DEFAULT_SUMMARY_METHOD == "last_msg"
    assert isinstance(ConversableAgent.DEFAULT_SUMMARY_PROMPT, str) and ConversableAgent.DEFAULT_SUMMARY_PROMPT


REPLY_ARGS = [("messages", None), ("sender", None), ("config", None)]
METHODS = {
    "send": [("message", EMPTY), ("recipient", EMPTY), ("request_reply", None), ("silent", False)],
    "receive": [("message", EMPTY), ("sender", EMPTY), ("request_reply", None), ("silent", False)],
    "initiate_chat": [
        ("recipient", EMPTY),
        ("clear_history", True),
        ("silent", False),
        ("cache", None),
        ("max_turns", None),
        ("summary_method", "last_msg"),
        ("summary_args", {}),
        ("message", None),
        ("**kwargs", EMPTY),
    ],
    "initiate_chats": [("chat_queue", EMPTY)],
    "generate_reply": [("messages", None), ("sender", None), ("**kwargs", EMPTY)],
    "register_reply": [
        ("trigger", EMPTY),
        ("reply_func", EMPTY),
        ("position", 0),
        ("config", None),
        ("reset_config", None),
        ("ignore_async_in_sync_chat", False),
        ("remove_other_reply_funcs", False),
    ],
    "replace_reply_func": [("old_reply_func", EMPTY), ("new_reply_func", EMPTY)],
    "register_nested_chats": [
        ("chat_queue", EMPTY),
        ("trigger", EMPTY),
        ("reply_func_from_nested_chats", "summary_from_nested_chats"),
        ("position", 2),
        ("use_async", None),
        ("**kwargs", EMPTY),
    ],
    "register_function": [("function_map", EMPTY)],
    "register_for_llm": [("name", None), ("description", None), ("api_style", "tool")],
    "register_for_execution": [("name", None)],
    "update_function_signature": [("func_sig", EMPTY), ("is_remove", EMPTY)],
    "update_tool_signature": [("tool_sig", EMPTY), ("is_remove", EMPTY)],
    "can_execute_function": [("name", EMPTY)],
    "execute_function": [("func_call", EMPTY), ("verbose", False)],
    "register_hook": [("hookable_method", EMPTY), ("hook", EMPTY)],
    "register_model_client": [("model_client_cls", EMPTY), ("**kwargs", EMPTY)],
    "chat_messages_for_summary": [("agent", EMPTY)],
    "last_message": [("agent", None)],
    "clear_history": [("recipient", None), ("nr_messages_to_preserve", None)],
    "reset": [],
    "stop_reply_at_receive": [("sender", None)],
    "reset_consecutive_auto_reply_counter": [("sender", None)],
    "max_consecutive_auto_reply": [("sender", None)],
    "update_max_consecutive_auto_reply": [("value", EMPTY), ("sender", None)],
    "update_system_message": [("system_message", EMPTY)],
    "get_human_input": [("prompt", EMPTY)],
    "generate_init_message": [("message", EMPTY), ("**kwargs", EMPTY)],
    "execute_code_blocks": [("code_blocks", EMPTY)],
    "run_code": [("code", EMPTY), ("**kwargs", EMPTY)],
    "get_chat_results": [("chat_index", None)],
    "print_usage_summary": [("mode", ["actual", "total"])],
    "get_actual_usage": [],
    "get_total_usage": [],
    "process_last_received_message": [("messages", EMPTY)],
    "process_all_messages_before_reply": [("messages", EMPTY)],
    "check_termination_and_human_reply": REPLY_ARGS,
    "generate_oai_reply": REPLY_ARGS,
    "generate_tool_calls_reply": REPLY_ARGS,
    "generate_function_call_reply": REPLY_ARGS,
    "generate_code_execution_reply": REPLY_ARGS,
}


@pytest.mark.parametrize("method", sorted(METHODS))
def test_method_signature(method):
    assert params(getattr(ConversableAgent, method)) == METHODS[method]


ASYNC_TWINS = [
    "send",
    "receive",
    "generate_reply",
    "initiate_chat",
    "initiate_chats",
    "get_human_input",
    "execute_function",
    "generate_oai_reply",
    "generate_tool_calls_reply",
    "generate_function_call_reply",
    "check_termination_and_human_reply",
    "generate_init_message",
]


@pytest.mark.parametrize("method", ASYNC_TWINS)
def test_async_twin_exists_and_is_a_coroutine_function(method):
    twin = getattr(ConversableAgent, "a_" + method)
    assert inspect.iscoroutinefunction(twin)
    sync_names = [name for name, _ in params(getattr(ConversableAgent, method))]
    assert [name for name, _ in params(twin)][: len(sync_names)] == sync_names or method == "initiate_chats"


def test_register_for_llm_arguments_are_keyword_only():
    kinds = {p.name: p.kind for p in inspect.signature(ConversableAgent.register_for_llm).parameters.values()}
    assert kinds["name"] == kinds["description"] == kinds["api_style"] == inspect.Parameter.KEYWORD_ONLY


@pytest.mark.parametrize(
    "prop", ["name", "description", "system_message", "chat_messages", "function_map", "code_executor", "use_docker"]
)
def test_properties(prop):
    assert isinstance(getattr(ConversableAgent, prop), property)


def test_register_function_free_function():
    assert params(autogen.register_function) == [
        ("f", EMPTY),
        ("caller", EMPTY),
        ("executor", EMPTY),
        ("name", None),
        ("description", EMPTY),
    ]


def test_chat_functions():
    assert params(autogen.initiate_chats) == [("chat_queue", EMPTY)]
    assert params(autogen.agentchat.a_initiate_chats) == [("chat_queue", EMPTY)]
    assert inspect.iscoroutinefunction(autogen.agentchat.a_initiate_chats)
    assert params(autogen.gather_usage_summary) == [("agents", EMPTY)]
    assert params(chat_utils.consolidate_chat_info) == [("chat_info", EMPTY), ("uniform_sender", None)]
    assert params(chat_utils.parse_tags_from_content) == [("tag", EMPTY), ("content", EMPTY)]


def test_chat_result_fields():
    fields = [(f.name, f.default) for f in dataclasses.fields(ChatResult)]
    assert fields == [
        ("chat_id", None),
        ("chat_history", None),
        ("summary", None),
        ("cost", None),
        ("human_input", None),
        ("stop_reason", None),  # new, after 0.2's fields so positional construction still works
    ]


def test_agent_protocols():
    from autogen.agentchat.agent import Agent, LLMAgent

    for name in ("name", "description", "send", "a_send", "receive", "a_receive", "generate_reply", "a_generate_reply"):
        assert hasattr(Agent, name)
    assert hasattr(LLMAgent, "system_message") and hasattr(LLMAgent, "update_system_message")
    assert LLMAgent in ConversableAgent.__mro__


def test_function_utils_names():
    from autogen import function_utils

    for name in (
        "get_function_schema",
        "load_basemodels_if_needed",
        "serialize_to_str",
        "get_typed_signature",
        "get_typed_annotation",
        "get_typed_return_annotation",
        "get_param_annotations",
        "get_required_params",
        "get_default_values",
        "get_parameters",
        "get_missing_annotations",
        "get_parameter_json_schema",
        "Parameters",
        "Function",
        "ToolFunction",
    ):
        assert hasattr(function_utils, name), name
    assert params(function_utils.get_function_schema) == [("f", EMPTY), ("name", None), ("description", EMPTY)]


def test_pydantic_shim_names():
    from autogen import _pydantic

    assert _pydantic.PYDANTIC_V1 is False
    for name in ("type2schema", "model_dump", "model_dump_json", "JsonSchemaValue"):
        assert hasattr(_pydantic, name)
