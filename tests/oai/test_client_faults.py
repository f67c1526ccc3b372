"""OpenAIWrapper under faults: retries, fallback, the final error, usage and cache after failures, no key leaks."""

from __future__ import annotations

import logging

import openai
import pytest

from autogen.cache.cache import Cache
from autogen.oai.client import OpenAIWrapper
from autogen.oai.errors import AllConfigsFailedError, ContextWindowExceededError
from autogen.testing import BrokenStream, Fail, Garbage, Hang

MESSAGES = [{"role": "user", "content": "hi"}]
SECRET = "sk-test-0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    "fault",
    [Fail(429, "slow down"), Fail(500), Fail(503), Garbage()],
    ids=["429", "500", "503", "garbage-json"],
)
def test_retryable_fault_is_retried_then_answer_returned(server, fault):
    server.script(fault, fault, "recovered")
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=2))
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "recovered"
    assert len(server.chat_requests) == 3


def test_half_stream_is_retried(server, captured_io):
    server.script(BrokenStream("This will break", after_chunks=2), "whole answer")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    response = wrapper.create(messages=MESSAGES, stream=True)
    assert response.choices[0].message.content == "whole answer"
    assert "retrying" in captured_io.text


def test_hang_past_timeout_is_retried(server):
    server.script(Hang(30), "after hang")
    wrapper = OpenAIWrapper(config_list=server.config_list(timeout=0.5, max_retries=1))
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "after hang"


def test_retries_exhausted_then_fallback_to_next_config(server, server2):
    server.default_reply = Fail(500, "down")
    server2.script("backup")
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=2) + server2.config_list())
    response = wrapper.create(messages=MESSAGES)
    assert response.choices[0].message.content == "backup"
    assert len(server.chat_requests) == 3
    assert response.config_id == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_non_retryable_status_goes_straight_to_next_config(server, server2, status):
    server.script(Fail(status, "no"))
    server2.script("backup")
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=5) + server2.config_list())
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "backup"
    assert len(server.chat_requests) == 1


def test_all_configs_failing_raises_error_naming_each_config(server, server2):
    server.default_reply = Fail(500, "first is down")
    server2.default_reply = Fail(429, "second is busy")
    wrapper = OpenAIWrapper(
        config_list=server.config_list(model="m1", max_retries=1) + server2.config_list(model="m2", max_retries=0)
    )
    with pytest.raises(AllConfigsFailedError) as info:
        wrapper.create(messages=MESSAGES)
    message = str(info.value)
    assert "all 2 config(s) failed" in message
    assert f"model='m1' base_url='{server.base_url}'" in message
    assert "after 2 tries" in message
    assert "first is down" in message
    assert f"model='m2' base_url='{server2.base_url}'" in message
    assert "second is busy" in message
    assert len(info.value.attempts) == 2


def test_final_error_is_catchable_as_the_last_openai_error(server):
    server.default_reply = Fail(429, "busy")
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=0))
    with pytest.raises(openai.RateLimitError) as info:
        wrapper.create(messages=MESSAGES)
    assert info.value.status_code == 429
    assert isinstance(info.value.__cause__, openai.RateLimitError)


def test_timeout_on_last_config_is_catchable_as_builtin_timeout_error(server):
    server.script(Hang(30))
    wrapper = OpenAIWrapper(config_list=server.config_list(timeout=0.3, max_retries=0))
    with pytest.raises(TimeoutError, match="Raise 'timeout'"):
        wrapper.create(messages=MESSAGES)


def test_api_key_never_appears_in_final_error(server, server2):
    server2.api_key = "sk-server-expects-another-key-0123456789abcdef"
    server.default_reply = Fail(500, f"echoing the key {SECRET}")
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=0) + server2.config_list())
    with pytest.raises(AllConfigsFailedError) as info:
        wrapper.create(messages=MESSAGES)
    text = str(info.value) + repr(info.value) + str(info.value.args)
    assert SECRET not in text
    assert "***" in text
    assert server2.api_key not in text


def test_api_key_never_appears_in_log_lines(server, caplog):
    server.default_reply = Fail(500, "down")
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=1))
    with caplog.at_level(logging.DEBUG), pytest.raises(AllConfigsFailedError):
        wrapper.create(messages=MESSAGES)
    assert SECRET not in caplog.text


def test_failed_calls_are_not_counted_in_usage(server, server2):
    server.default_reply = Fail(500)
    server2.script({"content": "ok", "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}})
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=1) + server2.config_list(model="gpt-4"))
    wrapper.create(messages=MESSAGES)
    assert wrapper.total_usage_summary == wrapper.actual_usage_summary
    assert list(wrapper.total_usage_summary) == ["total_cost", "gpt-4"]
    assert wrapper.total_usage_summary["gpt-4"]["total_tokens"] == 10


def test_usage_stays_none_when_everything_fails(server):
    server.default_reply = Fail(500)
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=0))
    with pytest.raises(AllConfigsFailedError):
        wrapper.create(messages=MESSAGES)
    assert wrapper.total_usage_summary is None
    assert wrapper.actual_usage_summary is None


def test_nothing_is_cached_from_a_failed_call(server):
    server.script(Fail(500), "real answer")
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=0))
    with Cache.disk(cache_seed=11, cache_path_root=".cache") as cache:
        with pytest.raises(AllConfigsFailedError):
            wrapper.create(messages=MESSAGES, cache=cache)
        assert wrapper.create(messages=MESSAGES, cache=cache).choices[0].message.content == "real answer"
    assert len(server.chat_requests) == 2


def test_nothing_is_cached_from_a_broken_stream(server):
    server.script(BrokenStream(after_chunks=2))
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=0))
    cache = Cache.in_memory()
    with pytest.raises(openai.APIConnectionError, match="broke off"):
        wrapper.create(messages=MESSAGES, stream=True, cache=cache)
    server.script("fresh")
    assert wrapper.create(messages=MESSAGES, stream=True, cache=cache).choices[0].message.content == "fresh"


def test_context_length_error_names_the_fix(server):
    server.script(Fail(400, "This model's maximum context length is 8192 tokens. However, you requested 9000."))
    wrapper = OpenAIWrapper(config_list=server.config_list(model="gpt-4"))
    with pytest.raises(ContextWindowExceededError) as info:
        wrapper.create(messages=MESSAGES)
    message = str(info.value)
    assert "exceeded the context window of model 'gpt-4'" in message
    assert "TransformMessages" in message
    assert "MessageHistoryLimiter" in message and "MessageTokenLimiter" in message
    assert isinstance(info.value, openai.BadRequestError)
    assert len(server.chat_requests) == 1


def test_context_length_error_falls_back_to_next_config(server, server2):
    server.script(Fail(400, "Requested tokens (9000) exceed context window of 4096"))
    server2.script("bigger model answered")
    wrapper = OpenAIWrapper(config_list=server.config_list() + server2.config_list())
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "bigger model answered"


def test_programming_errors_are_not_swallowed_as_fallback(server, server2):
    server2.script("unused")
    wrapper = OpenAIWrapper(config_list=server.config_list() + server2.config_list())

    def broken_filter(context, response):
        raise KeyError("bug in filter")

    server.script("answer")
    with pytest.raises(KeyError, match="bug in filter"):
        wrapper.create(messages=MESSAGES, filter_func=broken_filter)
    assert server2.chat_requests == []


def test_garbage_on_every_try_ends_in_error_saying_so(server):
    server.default_reply = Garbage("<html>oops")
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=1))
    with pytest.raises(openai.APIError, match="not valid JSON") as info:
        wrapper.create(messages=MESSAGES)
    assert isinstance(info.value, AllConfigsFailedError)
    assert len(server.chat_requests) == 2


def test_hang_on_every_try_falls_back_to_next_config(server, server2):
    server.default_reply = Hang(30)
    server2.script("backup answered")
    wrapper = OpenAIWrapper(config_list=server.config_list(timeout=0.3, max_retries=1) + server2.config_list())
    response = wrapper.create(messages=MESSAGES)
    assert response.choices[0].message.content == "backup answered"
    assert len(server.chat_requests) == 2
    assert wrapper.total_usage_summary == wrapper.actual_usage_summary
    assert response.config_id == 1
