"""Retry policy: which errors are retried, which move on, how long to wait."""

from __future__ import annotations

import httpx
import openai

from autogen.oai.errors import InvalidResponseError, StreamInterruptedError
from autogen.oai.retry import RetryPolicy, is_retryable, moves_to_next_config

REQUEST = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")


def status_error(status: int, code: str = "x", headers: dict | None = None) -> openai.APIStatusError:
    response = httpx.Response(status, request=REQUEST, headers=headers or {})
    cls = {429: openai.RateLimitError, 400: openai.BadRequestError}.get(status, openai.APIStatusError)
    return cls("boom", response=response, body={"code": code, "message": "boom"})


def test_rate_limit_and_server_errors_are_retryable():
    assert is_retryable(status_error(429, "rate_limit_exceeded"))
    assert is_retryable(status_error(500))
    assert is_retryable(status_error(503))
    assert is_retryable(status_error(408))


def test_quota_exhausted_is_not_retried():
    assert not is_retryable(status_error(429, "insufficient_quota"))
    assert moves_to_next_config(status_error(429, "insufficient_quota"))


def test_client_errors_are_not_retryable_but_move_on():
    for status in (400, 401, 403, 404):
        assert not is_retryable(status_error(status))
        assert moves_to_next_config(status_error(status))


def test_transport_faults_are_retryable():
    assert is_retryable(openai.APITimeoutError(request=REQUEST))
    assert is_retryable(openai.APIConnectionError(request=REQUEST))
    assert is_retryable(StreamInterruptedError("broke"))
    assert is_retryable(InvalidResponseError("garbage"))


def test_content_filter_does_not_move_on():
    assert not moves_to_next_config(status_error(400, "content_filter"))


def test_non_api_errors_do_not_move_on():
    assert not moves_to_next_config(KeyError("bug"))


def test_backoff_grows_and_is_capped():
    policy = RetryPolicy(base_delay=1.0, max_delay=4.0)
    err = status_error(500)
    assert 0.5 <= policy.delay(0, err) <= 1.0
    assert 1.0 <= policy.delay(1, err) <= 2.0
    assert 2.0 <= policy.delay(5, err) <= 4.0


def test_retry_after_header_is_honoured():
    policy = RetryPolicy()
    assert policy.delay(0, status_error(429, headers={"retry-after-ms": "250"})) == 0.25
    assert policy.delay(0, status_error(429, headers={"retry-after": "2"})) == 2.0
    assert policy.delay(0, status_error(429, headers={"retry-after": "3600"})) <= policy.max_delay
