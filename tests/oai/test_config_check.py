"""Config values are checked where they enter OpenAIWrapper, and errors name the setting and the fix."""

from __future__ import annotations

import pytest

from autogen.oai.client import OpenAIWrapper
from autogen.oai.config_check import ConfigValueError

BASE = {"model": "gpt-4o-mini", "api_key": "sk-none", "base_url": "http://127.0.0.1:9/v1"}


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("timeout", "soon", "'timeout' must be a number of seconds > 0"),
        ("timeout", -1, "'timeout' must be a number of seconds > 0"),
        ("max_retries", "abc", "'max_retries' must be a whole number >= 0"),
        ("max_retries", -2, "'max_retries' must be a whole number >= 0"),
        ("base_url", 5, "'base_url' must be an http:// or https:// URL"),
        ("base_url", "localhost:8000", "'base_url' must be an http:// or https:// URL"),
        ("model", 123, 'every config needs "model"'),
        ("model", "", 'every config needs "model"'),
        ("max_response_bytes", 0, "'max_response_bytes' must be a whole number of bytes > 0"),
        ("default_headers", ["x"], "'default_headers' must be a dict"),
    ],
)
def test_a_bad_value_is_refused_at_construction_naming_the_setting(setting, value, says):
    with pytest.raises(ConfigValueError, match="config_list\\[1\\]") as info:
        OpenAIWrapper(config_list=[BASE, {**BASE, setting: value}])
    assert says in str(info.value)
    assert repr(value) in str(info.value) or setting == "model"
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)


def test_an_entry_without_model_is_refused_before_any_request():
    with pytest.raises(ConfigValueError, match="no 'model'") as info:
        OpenAIWrapper(config_list=[{"api_key": "sk-none", "base_url": "http://127.0.0.1:9/v1"}])
    assert '"model": "gpt-4o-mini"' in str(info.value)


def test_base_config_without_config_list_is_checked_too():
    with pytest.raises(ConfigValueError, match="OpenAIWrapper config: 'timeout'"):
        OpenAIWrapper(**{**BASE, "timeout": "soon"})


@pytest.mark.parametrize(
    "extra",
    [{"timeout": 2.5}, {"timeout": None}, {"max_retries": 0}, {"base_url": "https://x.test/v1"}, {"api_type": "azure"}],
)
def test_good_values_pass(extra):
    config = {**BASE, **extra}
    if extra.get("api_type") == "azure":
        config["api_version"] = "2024-06-01"
    OpenAIWrapper(config_list=[config])


def test_httpx_timeout_objects_are_accepted():
    import httpx

    OpenAIWrapper(config_list=[{**BASE, "timeout": httpx.Timeout(5.0, connect=1.0)}])


def test_a_custom_client_entry_needs_no_model():
    OpenAIWrapper(config_list=[{"model_client_cls": "MyClient"}])
