"""Where the command's model comes from: OAI_CONFIG_LIST (JSON or file), a --config file, validation."""

from __future__ import annotations

import json

import pytest

from autogen.cli._endpoints import ConfigError, load_config_list, open_endpoint, validate_config_list

ENTRY = {"model": "gpt-4o-mini", "api_key": "sk-x"}


def test_nothing_configured_gives_an_empty_list(monkeypatch):
    monkeypatch.delenv("OAI_CONFIG_LIST", raising=False)
    assert load_config_list() == ([], "")


def test_the_variable_may_hold_json(monkeypatch):
    monkeypatch.setenv("OAI_CONFIG_LIST", json.dumps([ENTRY]))
    assert load_config_list() == ([ENTRY], "$OAI_CONFIG_LIST")


def test_the_variable_may_name_a_file(monkeypatch, tmp_path):
    file = tmp_path / "models.json"
    file.write_text(json.dumps([ENTRY]))
    monkeypatch.setenv("OAI_CONFIG_LIST", str(file))
    config_list, source = load_config_list()
    assert config_list == [ENTRY]
    assert str(file) in source


def test_a_file_named_oai_config_list_in_the_working_directory_is_used(monkeypatch, tmp_path):
    monkeypatch.delenv("OAI_CONFIG_LIST", raising=False)
    (tmp_path / "OAI_CONFIG_LIST").write_text(json.dumps([ENTRY]))
    assert load_config_list()[0] == [ENTRY]


def test_an_explicit_file_wins_over_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("OAI_CONFIG_LIST", json.dumps([{"model": "other"}]))
    file = tmp_path / "c.json"
    file.write_text(json.dumps([ENTRY]))
    assert load_config_list(str(file))[0] == [ENTRY]


def test_a_variable_that_is_neither_json_nor_a_file_is_reported(monkeypatch):
    monkeypatch.setenv("OAI_CONFIG_LIST", "no-such-file.json")
    with pytest.raises(ConfigError, match="neither JSON nor an existing file"):
        load_config_list()


def test_invalid_json_is_reported_with_its_position(monkeypatch):
    monkeypatch.setenv("OAI_CONFIG_LIST", '[{"model": }]')
    with pytest.raises(ConfigError, match=r"not valid JSON.*line 1 column"):
        load_config_list()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "non-empty JSON list"),
        ("gpt-4", "non-empty JSON list"),
        ([["gpt-4"]], "entry 0 must be an object"),
        ([ENTRY, {"api_key": "k"}], "entry 1 needs a non-empty 'model'"),
        ([{"model": "m", "base_url": "localhost:8000"}], "'base_url' must start with http"),
        ([{"model": "m", "api_key": 123}], "'api_key' must be a string"),
        ([{"model": "m", "tags": "fast"}], "'tags' must be a list of strings"),
    ],
)
def test_invalid_entries_are_reported_by_position(data, message):
    with pytest.raises(ConfigError, match=message):
        validate_config_list(data, "test")


def test_a_single_object_is_accepted_as_a_one_entry_list():
    assert validate_config_list(ENTRY, "test") == [ENTRY]


def test_key_values_never_appear_in_errors():
    with pytest.raises(ConfigError) as raised:
        validate_config_list([{"api_key": "sk-secret-value"}], "test")
    assert "sk-secret-value" not in str(raised.value)


def test_model_filter_keeps_matching_entries(monkeypatch):
    monkeypatch.setenv("OAI_CONFIG_LIST", json.dumps([ENTRY, {"model": "gpt-4o"}]))
    with open_endpoint(model="gpt-4o") as endpoint:
        assert endpoint.config_list == [{"model": "gpt-4o"}]
        assert endpoint.local is False


def test_model_filter_without_a_match_is_reported(monkeypatch):
    monkeypatch.setenv("OAI_CONFIG_LIST", json.dumps([ENTRY]))
    with pytest.raises(ConfigError, match="no entry with model 'claude'"), open_endpoint(model="claude"):
        pass


@pytest.mark.local_model
@pytest.mark.slow
def test_without_configuration_the_local_model_is_started_and_stopped(monkeypatch):
    monkeypatch.delenv("OAI_CONFIG_LIST", raising=False)
    with open_endpoint() as endpoint:
        assert endpoint.local is True
        assert endpoint.config_list[0]["api_type"] == "llama.cpp"
        assert "SmolLM2" in endpoint.source
