"""Tests for autogen/logger/redact.py."""

from __future__ import annotations

import json

import pytest

from autogen.logger.redact import REDACTED, is_secret_key, redact, redact_json


@pytest.mark.parametrize("key", ["api_key", "API-KEY", "azure_ad_token", "Authorization", "client_secret", "password"])
def test_secret_key_names_are_recognised(key: str) -> None:
    assert is_secret_key(key)


@pytest.mark.parametrize("key", ["max_tokens", "prompt_tokens", "model", "content", "base_url"])
def test_ordinary_key_names_are_not_secret(key: str) -> None:
    assert not is_secret_key(key)


def test_values_under_secret_keys_are_replaced() -> None:
    data = {"config_list": [{"model": "m", "api_key": "anything"}], "headers": {"Authorization": "Bearer t"}}
    assert redact(data) == {
        "config_list": [{"model": "m", "api_key": REDACTED}],
        "headers": {"Authorization": REDACTED},
    }


def test_key_like_strings_inside_text_are_replaced() -> None:
    text = "use sk-proj-abcdefghijklmnopqrstuvwxyz0123 and Bearer abcdefghijklmnop please"
    cleaned = redact({"content": text})["content"]
    assert "abcdefghijklmnopqrstuvwxyz0123" not in cleaned
    assert "abcdefghijklmnop please" not in cleaned
    assert cleaned.startswith("use [REDACTED] and Bearer [REDACTED]")


def test_ordinary_text_is_unchanged() -> None:
    data = {"role": "user", "content": "ask the ghost about tokens", "usage": {"total_tokens": 5}}
    assert redact(data) == data


def test_redact_json_returns_clean_text_untouched() -> None:
    text = json.dumps({"messages": [{"role": "user", "content": "hello"}], "usage": {"total_tokens": 3}})
    assert redact_json(text) is text


def test_redact_json_cleans_keys_and_values() -> None:
    text = json.dumps({"api_key": "abc", "content": "token: bearer abcdefghijklmnop"})
    assert json.loads(redact_json(text)) == {"api_key": REDACTED, "content": "token: bearer [REDACTED]"}


def test_registered_secrets_of_any_shape_are_replaced_in_json_text() -> None:
    from autogen.logger.redact import register_secret

    secret = 'pa"ss\\wörd-42'  # quotes, a backslash and non-ASCII: escaped differently inside JSON
    register_secret(secret)
    for text in (json.dumps({"content": f"x {secret} y"}), json.dumps({"c": secret}, ensure_ascii=False)):
        cleaned = redact_json(text)
        assert secret not in json.loads(cleaned).get("content", json.loads(cleaned).get("c"))
        assert REDACTED in cleaned


def test_values_too_short_to_be_secrets_are_not_registered() -> None:
    from autogen.logger.redact import known_secrets, register_secret

    register_secret("abc")
    register_secret(None)
    assert "abc" not in known_secrets()
