"""Config-list helpers: reading, filtering, building, keys."""

from __future__ import annotations

import json
import logging

import pytest

from autogen.oai.openai_utils import (
    DEFAULT_AZURE_API_VERSION,
    OAI_PRICE1K,
    ConfigListError,
    config_list_from_dotenv,
    config_list_from_json,
    config_list_from_models,
    config_list_gpt4_gpt35,
    config_list_openai_aoai,
    filter_config,
    get_config,
    get_config_list,
    get_key,
    is_valid_api_key,
)

CONFIGS = [
    {"model": "gpt-4", "api_key": "k1", "tags": ["big", "slow"]},
    {"model": "gpt-3.5-turbo", "api_key": "k2", "tags": ["fast"]},
    {"model": "local", "api_key": "k3"},
]


@pytest.fixture(autouse=True)
def _no_key_env(monkeypatch):
    for var in (
        "OAI_CONFIG_LIST",
        "OPENAI_API_KEY",
        "OPENAI_API_BASE",
        "AZURE_OPENAI_API_KEY",
        "AZURE_OPENAI_API_BASE",
    ):
        monkeypatch.delenv(var, raising=False)


def test_config_list_from_json_reads_json_from_env_var(monkeypatch):
    monkeypatch.setenv("OAI_CONFIG_LIST", json.dumps(CONFIGS))
    assert config_list_from_json("OAI_CONFIG_LIST") == CONFIGS


def test_config_list_from_json_reads_file_named_by_env_var(tmp_path, monkeypatch):
    path = tmp_path / "conf.json"
    path.write_text(json.dumps(CONFIGS))
    monkeypatch.setenv("OAI_CONFIG_LIST", str(path))
    assert config_list_from_json("OAI_CONFIG_LIST") == CONFIGS


def test_config_list_from_json_reads_file_in_location(tmp_path):
    (tmp_path / "OAI_CONFIG_LIST").write_text(json.dumps(CONFIGS))
    assert config_list_from_json("OAI_CONFIG_LIST", file_location=str(tmp_path)) == CONFIGS


def test_config_list_from_json_missing_names_variable_and_file(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        config_list_from_json("OAI_CONFIG_LIST", file_location=str(tmp_path))
    assert "environment variable 'OAI_CONFIG_LIST'" in str(info.value)
    assert str(tmp_path / "OAI_CONFIG_LIST") in str(info.value)


def test_config_list_from_json_not_json_names_env_var(monkeypatch):
    monkeypatch.setenv("OAI_CONFIG_LIST", "[{'model': 'x'}")
    with pytest.raises(ConfigListError, match="environment variable OAI_CONFIG_LIST is not valid JSON"):
        config_list_from_json("OAI_CONFIG_LIST")


def test_config_list_from_json_not_json_names_file(tmp_path):
    (tmp_path / "OAI_CONFIG_LIST").write_text("model: gpt-4")
    with pytest.raises(ConfigListError) as info:
        config_list_from_json("OAI_CONFIG_LIST")
    assert "OAI_CONFIG_LIST" in str(info.value)
    assert "not valid JSON" in str(info.value)


def test_config_list_from_json_not_a_list(monkeypatch):
    monkeypatch.setenv("OAI_CONFIG_LIST", json.dumps({"model": "gpt-4"}))
    with pytest.raises(ConfigListError, match="must be a JSON list of objects, got a JSON dict"):
        config_list_from_json("OAI_CONFIG_LIST")


def test_config_list_from_json_entry_without_model_names_entry_not_key(monkeypatch):
    monkeypatch.setenv("OAI_CONFIG_LIST", json.dumps([{"model": "a"}, {"api_key": "sk-secret-value"}]))
    with pytest.raises(ConfigListError) as info:
        config_list_from_json("OAI_CONFIG_LIST")
    assert 'Entry 1 of the config list in environment variable OAI_CONFIG_LIST has no "model"' in str(info.value)
    assert "sk-secret-value" not in str(info.value)


def test_config_list_from_json_empty_after_filter_warns_with_filter(monkeypatch, caplog):
    monkeypatch.setenv("OAI_CONFIG_LIST", json.dumps(CONFIGS))
    with caplog.at_level(logging.WARNING):
        assert config_list_from_json("OAI_CONFIG_LIST", filter_dict={"model": ["gpt-5"]}) == []
    assert "{'model': ['gpt-5']}" in caplog.text
    assert "matched none of the 3 configs" in caplog.text


def test_filter_config_keeps_allowed_values():
    assert filter_config(CONFIGS, {"model": ["gpt-4", "local"]}) == [CONFIGS[0], CONFIGS[2]]


def test_filter_config_accepts_single_value_and_set():
    assert filter_config(CONFIGS, {"model": "local"}) == [CONFIGS[2]]
    assert filter_config(CONFIGS, {"model": {"gpt-4"}}) == [CONFIGS[0]]


def test_filter_config_list_field_matches_on_intersection():
    assert filter_config(CONFIGS, {"tags": ["fast", "other"]}) == [CONFIGS[1]]


def test_filter_config_none_matches_missing_field():
    assert filter_config(CONFIGS, {"tags": [None]}) == [CONFIGS[2]]


def test_filter_config_exclude_drops_matches():
    assert filter_config(CONFIGS, {"model": ["gpt-4"]}, exclude=True) == CONFIGS[1:]


def test_filter_config_empty_filter_keeps_all():
    assert filter_config(CONFIGS, {}) is CONFIGS
    assert filter_config(CONFIGS, None) is CONFIGS


def test_get_config_list_pairs_keys_and_bases_and_skips_empty_keys():
    configs = get_config_list(["a", " ", "b"], ["u1", "u2", "u3"], api_type="azure", api_version="v")
    assert configs == [
        {"api_key": "a", "base_url": "u1", "api_type": "azure", "api_version": "v"},
        {"api_key": "b", "base_url": "u3", "api_type": "azure", "api_version": "v"},
    ]


def test_get_config_list_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="2 api_keys but 1 base_urls"):
        get_config_list(["a", "b"], ["u1"])


def test_get_config_list_length_mismatch_is_still_the_assertion_error_of_0_2():
    with pytest.raises(AssertionError):
        get_config_list(["a"], [])


def test_get_config_list_keeps_keys_and_urls_as_given_like_0_2(monkeypatch):
    monkeypatch.setenv("MY_BASE", "https://from-env.test")
    configs = get_config_list([" k1 ", "k2"], ["MY_BASE", "https://b.test"])
    assert configs == [{"api_key": " k1 ", "base_url": "MY_BASE"}, {"api_key": "k2", "base_url": "https://b.test"}]
    assert get_config_list(["k"], None, api_type="azure") == [{"api_key": "k", "api_type": "azure"}]


def test_get_config_reads_fields_named_by_environment_variables_like_0_2(monkeypatch):
    monkeypatch.setenv("MY_BASE", "https://from-env.test")
    monkeypatch.setenv("MY_VERSION", "2024-06-01")
    config = get_config("k", base_url="MY_BASE", api_type="azure", api_version="MY_VERSION")
    assert config == {
        "api_key": "k",
        "base_url": "https://from-env.test",
        "api_type": "azure",
        "api_version": "2024-06-01",
    }


def test_get_config_leaves_out_unset_fields():
    assert get_config("k") == {"api_key": "k"}


def test_an_environment_variable_naming_a_missing_file_is_reported_as_not_found(monkeypatch, tmp_path):
    missing = tmp_path / "configs" / "OAI_CONFIG_LIST.json"
    monkeypatch.setenv("OAI_CONFIG_LIST", str(missing))
    with pytest.raises(FileNotFoundError, match="does not exist") as info:
        config_list_from_json("OAI_CONFIG_LIST")
    assert str(missing) in str(info.value)
    assert "not valid JSON" not in str(info.value)


def test_config_list_openai_aoai_reads_env(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "ko")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "ka1\nka2")
    monkeypatch.setenv("AZURE_OPENAI_API_BASE", "https://a1\nhttps://a2")
    configs = config_list_openai_aoai()
    assert configs[0] == {"api_key": "ko"}
    assert configs[1:] == [
        {"api_key": k, "base_url": b, "api_type": "azure", "api_version": DEFAULT_AZURE_API_VERSION}
        for k, b in [("ka1", "https://a1"), ("ka2", "https://a2")]
    ]


def test_config_list_openai_aoai_reads_key_files(tmp_path):
    (tmp_path / "key_openai.txt").write_text("from-file\n")
    assert config_list_openai_aoai(key_file_path=str(tmp_path), exclude="aoai") == [{"api_key": "from-file"}]


def test_config_list_from_models_repeats_configs_per_model(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "ko")
    configs = config_list_from_models(exclude="aoai", model_list=["m1", "m2"])
    assert configs == [{"api_key": "ko", "model": "m1"}, {"api_key": "ko", "model": "m2"}]


def test_config_list_gpt4_gpt35_lists_both_models(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "ko")
    assert [c["model"] for c in config_list_gpt4_gpt35(exclude="aoai")] == ["gpt-4", "gpt-3.5-turbo"]


def test_config_list_from_dotenv_maps_models_to_variables(tmp_path, monkeypatch):
    monkeypatch.delenv("MY_KEY", raising=False)
    env = tmp_path / ".env"
    env.write_text("OPENAI_API_KEY=ko\nMY_KEY=km\n")
    configs = config_list_from_dotenv(
        str(env), {"custom": {"api_key_env_var": "MY_KEY", "base_url": "http://x"}}, filter_dict={"model": ["custom"]}
    )
    assert configs == [{"api_key": "km", "base_url": "http://x", "model": "custom"}]
    monkeypatch.delenv("MY_KEY", raising=False)


def test_config_list_from_dotenv_adds_default_models(tmp_path, monkeypatch):
    env = tmp_path / ".env"
    env.write_text("OPENAI_API_KEY=ko\n")
    assert [c["model"] for c in config_list_from_dotenv(str(env))] == ["gpt-4", "gpt-3.5-turbo"]


def test_get_key_is_stable_and_leaves_out_secrets():
    a = get_key({"model": "m", "messages": [{"role": "user", "content": "hi"}], "api_key": "sk-secret"})
    b = get_key({"messages": [{"content": "hi", "role": "user"}], "model": "m", "base_url": "http://other"})
    assert a == b
    assert "sk-secret" not in a


def test_get_key_changes_with_answer_changing_params():
    assert get_key({"model": "m", "temperature": 0}) != get_key({"model": "m", "temperature": 1})


def test_is_valid_api_key():
    assert is_valid_api_key("sk-" + "a" * 40)
    assert is_valid_api_key("sk-proj-" + "A1" * 20)
    assert not is_valid_api_key("sk-short")
    assert not is_valid_api_key("not-a-key")


def test_price_table_comes_from_the_data_file():
    assert OAI_PRICE1K["gpt-4"] == (0.03, 0.06)
