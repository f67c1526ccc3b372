"""The OpenAI-like mapping shared by Mistral, Groq and Together: what goes out, and what comes back as openai types."""

from __future__ import annotations

import pytest

from autogen.oai.openai_like import provider_messages, sdk_root, to_chunk, to_completion
from autogen.oai.provider_params import Param, sdk_kwargs
from autogen.oai.provider_request import ParameterFilter


def test_provider_finish_reasons_content_parts_and_object_arguments_become_openais():
    data = {
        "id": "r1",
        "model": "m",
        "choices": [
            {
                "index": 0,
                "finish_reason": "eos",
                "message": {
                    "role": "assistant",
                    "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
                },
            },
            {
                "index": 1,
                "finish_reason": "tool_calls",
                "message": {
                    "content": None,
                    "tool_calls": [{"id": "c1", "function": {"name": "f", "arguments": {"x": 1}}}],
                },
            },
        ],
        "x_groq": {"usage": {"prompt_tokens": 3, "completion_tokens": 4}},
    }
    completion = to_completion(data, None)
    assert completion.choices[0].message.content == "ab"
    assert completion.choices[0].finish_reason == "stop"
    call = completion.choices[1].message.tool_calls[0]
    assert (call.id, call.function.name, call.function.arguments) == ("c1", "f", '{"x": 1}')
    assert (completion.usage.prompt_tokens, completion.usage.total_tokens) == (3, 7)


def test_streamed_tool_calls_that_all_say_index_0_get_one_index_per_call_id():
    ids: dict[str, int] = {}
    calls = [{"id": f"c{i}", "index": 0, "function": {"name": "f", "arguments": "{}"}} for i in range(2)]
    chunks = [
        to_chunk({"id": "s", "model": "m", "choices": [{"index": 0, "delta": {"tool_calls": [c]}}]}, ids) for c in calls
    ]
    assert [chunk.choices[0].delta.tool_calls[0].index for chunk in chunks] == [0, 1]
    last = to_chunk({"id": "s", "choices": [{"index": 0, "delta": {}, "finish_reason": "model_length"}]}, ids)
    assert last.choices[0].finish_reason == "length"


def test_messages_keep_names_only_when_asked_and_legacy_function_results_become_user_text():
    messages = [
        {"role": "user", "content": "hi", "name": "alice"},
        {"role": "assistant", "content": None, "function_call": {"name": "f", "arguments": "{}"}},
        {"role": "function", "name": "f", "content": "42"},
    ]
    assert provider_messages(messages, keep_names=True)[0]["name"] == "alice"
    sent = provider_messages(messages, keep_names=False)
    assert "name" not in sent[0]
    assert sent[1] == {"role": "assistant", "content": ""}
    assert sent[2] == {"role": "user", "content": "Result of f: 42"}


def test_a_bad_value_is_left_out_with_0_2s_warning():
    table = {"temperature": Param("temperature", (int, float), (0, 2)), "seed": Param("random_seed", int)}
    with pytest.warns(UserWarning, match="temperature has numerical bounds"):
        kwargs = sdk_kwargs({"temperature": 5, "seed": 3}, table, ParameterFilter("P", frozenset(table), frozenset()))
    assert kwargs == {"random_seed": 3}


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("https://api.groq.com/openai/v1", "https://api.groq.com"),
        ("https://gw.example/openai/v1/", "https://gw.example"),
        ("https://gw.example/custom", "https://gw.example/custom"),
    ],
)
def test_a_base_url_ending_with_the_sdks_own_path_is_cut_to_the_root(url, root):
    assert sdk_root(url, ("/openai/v1",)) == root


@pytest.mark.timeout(60)
@pytest.mark.parametrize("dialect", ["mistral", "groq", "together"])
def test_a_garbled_answer_and_a_broken_stream_are_retried_like_openais(dialect):
    from autogen import OpenAIWrapper
    from autogen.testing import BrokenStream, Garbage, OpenAITestServer

    with OpenAITestServer([Garbage(), "fine", BrokenStream(), "streamed fine"], dialect=dialect) as server:
        wrapper = OpenAIWrapper(config_list=server.config_list(), cache_seed=None)
        plain = wrapper.create(messages=[{"role": "user", "content": "Hi"}])
        streamed = wrapper.create(messages=[{"role": "user", "content": "Hi"}], stream=True)
    assert plain.choices[0].message.content == "fine"
    assert streamed.choices[0].message.content == "streamed fine"
    assert len(server.chat_requests) == 4


@pytest.mark.timeout(60)
@pytest.mark.parametrize("dialect", ["mistral", "groq", "together"])
def test_an_answer_that_inflates_past_the_size_cap_is_refused_once(dialect):
    from autogen import OpenAIWrapper
    from autogen.oai.errors import ResponseTooLargeError
    from autogen.testing import GzipBomb, OpenAITestServer

    with OpenAITestServer([GzipBomb(), "never sent"], dialect=dialect) as server:
        wrapper = OpenAIWrapper(config_list=server.config_list(), cache_seed=None)
        with pytest.raises(ResponseTooLargeError, match="max_response_bytes"):
            wrapper.create(messages=[{"role": "user", "content": "Hi"}])
    assert len(server.chat_requests) == 1  # not retried
