"""OpenAIWrapper: requests, fallback, filter, templating, cache, usage, custom clients, sync/async entry points."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import pytest

from autogen.cache.cache import Cache
from autogen.oai.client import OpenAIWrapper
from autogen.testing import Fail, OpenAITestServer

MESSAGES = [{"role": "user", "content": "hi"}]


def test_create_returns_completion_with_cost_config_id_and_pass_filter(server):
    server.script("hello")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    response = wrapper.create(messages=MESSAGES)
    assert response.choices[0].message.content == "hello"
    assert response.config_id == 0
    assert response.pass_filter is True
    assert response.cost > 0
    assert wrapper.extract_text_or_completion_object(response) == ["hello"]


def test_request_body_holds_params_and_no_wrapper_options(server):
    server.script("ok")
    wrapper = OpenAIWrapper(config_list=server.config_list(), temperature=0.3, cache_seed=None)
    wrapper.create(messages=MESSAGES, max_tokens=5, filter_func=None, context={"x": 1})
    body = server.chat_requests[0]
    assert body == {"model": server.model, "messages": MESSAGES, "temperature": 0.3, "max_tokens": 5}


def test_tool_call_response_is_extracted_as_message_object(server):
    server.script({"tool_calls": [{"name": "add", "arguments": {"a": 1}}]})
    wrapper = OpenAIWrapper(config_list=server.config_list())
    response = wrapper.create(messages=MESSAGES, tools=[{"type": "function", "function": {"name": "add"}}])
    [message] = wrapper.extract_text_or_completion_object(response)
    assert message.tool_calls[0].function.name == "add"
    assert message.tool_calls[0].function.arguments == '{"a": 1}'


def test_prompt_uses_legacy_completions_endpoint(server):
    server.script("completed")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    response = wrapper.create(prompt="Say hi")
    assert wrapper.extract_text_or_completion_object(response) == ["completed"]
    assert server.requests[-1].path == "/v1/completions"


def test_messages_and_prompt_together_is_an_error(server):
    wrapper = OpenAIWrapper(config_list=server.config_list())
    with pytest.raises(ValueError, match="exactly one of 'messages' or 'prompt'; got both"):
        wrapper.create(messages=MESSAGES, prompt="x")
    assert server.requests == []


def test_falls_back_to_second_server_when_first_fails(server, server2):
    server.script(Fail(401, "bad key"))
    server2.script("from second")
    wrapper = OpenAIWrapper(config_list=server.config_list() + server2.config_list(model="other"))
    response = wrapper.create(messages=MESSAGES)
    assert response.choices[0].message.content == "from second"
    assert response.config_id == 1
    assert len(server.chat_requests) == 1  # 401 is not retried
    assert server2.chat_requests[0]["model"] == "other"


def test_filter_rejection_moves_to_next_config(server, server2):
    server.script("bad answer")
    server2.script("good answer")
    wrapper = OpenAIWrapper(config_list=server.config_list() + server2.config_list())
    seen = []

    def only_good(context, response):
        seen.append(context)
        return "good" in response.choices[0].message.content

    response = wrapper.create(messages=MESSAGES, filter_func=only_good, context={"k": 1})
    assert response.choices[0].message.content == "good answer"
    assert response.pass_filter is True
    assert seen == [{"k": 1}, {"k": 1}]


def test_last_config_response_is_returned_when_filter_rejects_all(server, server2):
    server.script("no")
    server2.script("still no")
    wrapper = OpenAIWrapper(config_list=server.config_list() + server2.config_list())
    response = wrapper.create(messages=MESSAGES, filter_func=lambda context, response: False)
    assert response.choices[0].message.content == "still no"
    assert response.pass_filter is False
    assert response.config_id == 1


def test_config_entry_overrides_create_params(server):
    server.script("ok")
    wrapper = OpenAIWrapper(config_list=server.config_list(model="from-config", temperature=0))
    wrapper.create(messages=MESSAGES, model="from-call", temperature=1)
    assert server.chat_requests[0]["model"] == "from-config"
    assert server.chat_requests[0]["temperature"] == 0


# ---- templating -------------------------------------------------------------------------------------
def test_format_string_template_filled_only_when_allowed(server):
    server.script("a", "b")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    messages = [{"role": "user", "content": "Tell me about {topic}"}]
    wrapper.create(messages=messages, context={"topic": "owls"}, allow_format_str_template=True)
    wrapper.create(messages=messages, context={"topic": "owls"})
    assert server.chat_requests[0]["messages"][0]["content"] == "Tell me about owls"
    assert server.chat_requests[1]["messages"][0]["content"] == "Tell me about {topic}"


def test_callable_template_is_called_with_context(server):
    server.script("a")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    messages = [{"role": "user", "content": lambda ctx: f"n={ctx['n'] * 2}"}]
    wrapper.create(messages=messages, context={"n": 21})
    assert server.chat_requests[0]["messages"][0]["content"] == "n=42"


def test_prompt_template_is_filled(server):
    server.script("a")
    wrapper = OpenAIWrapper(config_list=server.config_list(), allow_format_str_template=True)
    wrapper.create(prompt="Q: {q}", context={"q": "why"})
    assert server.chat_requests[0]["prompt"] == "Q: why"


def test_instantiate_missing_placeholder_names_it():
    with pytest.raises(KeyError, match="'topic' is not in the context"):
        OpenAIWrapper.instantiate("{topic}", {"other": 1}, allow_format_str_template=True)


# ---- pricing and usage --------------------------------------------------------------------------------
def test_price_override_sets_cost(server):
    server.script({"content": "x", "usage": {"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500}})
    wrapper = OpenAIWrapper(config_list=server.config_list(price=[0.01, 0.02]))
    response = wrapper.create(messages=MESSAGES)
    assert response.cost == pytest.approx(0.01 + 0.01)


def test_price_table_cost_for_known_model(server):
    server.script({"content": "x", "usage": {"prompt_tokens": 1000, "completion_tokens": 1000, "total_tokens": 2000}})
    wrapper = OpenAIWrapper(config_list=server.config_list(model="gpt-4"))
    assert wrapper.create(messages=MESSAGES).cost == pytest.approx(0.03 + 0.06)


def test_invalid_price_is_rejected_at_construction(server):
    with pytest.raises(ValueError, match="price must be"):
        OpenAIWrapper(config_list=server.config_list(price=["a", "b", "c"]))


def test_unknown_model_costs_zero_with_one_warning(server, caplog):
    server.script("a", "b")
    wrapper = OpenAIWrapper(config_list=server.config_list(model="my-local-model-xyz"))
    with caplog.at_level(logging.WARNING, logger="autogen.oai.pricing"):
        costs = [wrapper.create(messages=MESSAGES).cost for _ in range(2)]
    assert costs == [0.0, 0.0]
    assert caplog.text.count("my-local-model-xyz") == 1


def test_usage_summaries_add_up_per_model(server):
    usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    server.script({"content": "a", "usage": usage}, {"content": "b", "usage": usage})
    wrapper = OpenAIWrapper(config_list=server.config_list(model="gpt-4"))
    wrapper.create(messages=MESSAGES)
    wrapper.create(messages=MESSAGES)
    summary = wrapper.total_usage_summary
    assert summary["gpt-4"]["prompt_tokens"] == 20
    assert summary["gpt-4"]["total_tokens"] == 30
    assert summary["total_cost"] == pytest.approx(2 * (10 * 0.03 + 5 * 0.06) / 1000)
    assert wrapper.actual_usage_summary == summary


def test_print_and_clear_usage_summary(server, captured_io):
    server.script("a")
    wrapper = OpenAIWrapper(config_list=server.config_list(model="gpt-4"))
    wrapper.create(messages=MESSAGES)
    wrapper.print_usage_summary()
    assert "* Model 'gpt-4'" in captured_io.text
    wrapper.clear_usage_summary()
    assert wrapper.total_usage_summary is None
    assert wrapper.actual_usage_summary is None


# ---- cache -------------------------------------------------------------------------------------------
def test_disk_cache_hit_costs_no_request_and_counts_only_in_total(server):
    server.script("cached answer")
    wrapper = OpenAIWrapper(config_list=server.config_list(model="gpt-4"))
    with Cache.disk(cache_seed=7, cache_path_root=".cache") as cache:
        first = wrapper.create(messages=MESSAGES, cache=cache)
        second = wrapper.create(messages=MESSAGES, cache=cache)
    assert len(server.chat_requests) == 1
    assert second.choices[0].message.content == "cached answer"
    assert second.cost == first.cost
    assert (
        wrapper.total_usage_summary["gpt-4"]["total_tokens"]
        == 2 * wrapper.actual_usage_summary["gpt-4"]["total_tokens"]
    )


def test_cache_seed_in_config_uses_disk_cache_in_dot_cache(server, tmp_path):
    server.script("one")
    wrapper = OpenAIWrapper(config_list=server.config_list(), cache_seed=3)
    wrapper.create(messages=MESSAGES)
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "one"
    assert len(server.chat_requests) == 1
    assert (tmp_path / ".cache" / "3").is_dir()


def test_no_cache_by_default(server):
    server.script("one", "two")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    texts = [wrapper.create(messages=MESSAGES).choices[0].message.content for _ in range(2)]
    assert texts == ["one", "two"]


def test_cache_key_changes_with_params(server):
    server.script("t0", "t1")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    cache = Cache.in_memory()
    a = wrapper.create(messages=MESSAGES, temperature=0, cache=cache)
    b = wrapper.create(messages=MESSAGES, temperature=1, cache=cache)
    assert (a.choices[0].message.content, b.choices[0].message.content) == ("t0", "t1")


def test_cache_hit_is_shared_between_wrappers_with_different_keys(server):
    server.script("shared")
    cache = Cache.in_memory()
    OpenAIWrapper(config_list=server.config_list(api_key=server.api_key)).create(messages=MESSAGES, cache=cache)
    other = OpenAIWrapper(config_list=server.config_list(api_key="sk-another-key"))
    assert other.create(messages=MESSAGES, cache=cache).choices[0].message.content == "shared"


# ---- construction ------------------------------------------------------------------------------------
def test_empty_config_list_is_a_clear_error():
    with pytest.raises(ValueError, match="config_list is empty: there is no model to call"):
        OpenAIWrapper(config_list=[])


def test_config_list_emptied_by_filter_names_the_filter_and_source(monkeypatch):
    import copy
    import json

    from autogen.oai.openai_utils import config_list_from_json

    monkeypatch.setenv("OAI_CONFIG_LIST", json.dumps([{"model": "gpt-4", "api_key": "k"}]))
    config_list = config_list_from_json("OAI_CONFIG_LIST", filter_dict={"model": ["gpt-5"]})
    assert config_list == []
    llm_config = copy.deepcopy({"config_list": config_list})  # agents copy their llm_config
    with pytest.raises(ValueError) as info:
        OpenAIWrapper(**llm_config)
    assert str(info.value) == (
        "config_list is empty: filter_dict={'model': ['gpt-5']} matched none of the 1 configs in environment "
        "variable OAI_CONFIG_LIST. Change the filter or add matching configs."
    )


def test_config_list_entry_must_be_dict():
    with pytest.raises(ValueError, match=r"config_list\[0\] must be a dict"):
        OpenAIWrapper(config_list=["gpt-4"])


def test_missing_api_key_for_openai_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ValueError, match="has no 'api_key' and OPENAI_API_KEY is not set"):
        OpenAIWrapper(config_list=[{"model": "gpt-4"}])


def test_local_endpoint_without_key_works(server, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server.api_key = None
    server.script("ok")
    wrapper = OpenAIWrapper(config_list=[{"model": "m", "base_url": server.base_url}])
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "ok"


@pytest.mark.parametrize(
    "api_type", ["google", "anthropic", "mistral", "together", "groq", "cohere", "bedrock", "ollama"]
)
def test_every_provider_api_type_of_0_2_has_a_client(api_type):
    from autogen.oai.providers import provider_for

    assert provider_for(api_type) is not None
    assert provider_for(api_type.upper()) is not None


def test_repr_does_not_show_api_key(server):
    wrapper = OpenAIWrapper(config_list=server.config_list())
    assert server.api_key not in repr(wrapper)
    assert server.api_key not in str(wrapper._clients[0])
    assert "gpt-4o-mini" in repr(wrapper)


# ---- custom model clients ------------------------------------------------------------------------------
class EchoClient:
    def __init__(self, config, **kwargs):
        self.config = config
        self.suffix = kwargs.get("suffix", "")

    def create(self, params):
        text = params["messages"][-1]["content"] + self.suffix
        message = SimpleNamespace(content=text, tool_calls=None, function_call=None)
        return SimpleNamespace(choices=[SimpleNamespace(message=message)], model="echo")

    def message_retrieval(self, response):
        return [c.message.content for c in response.choices]

    def cost(self, response):
        return 0.5

    @staticmethod
    def get_usage(response):
        return {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2, "cost": 0.5, "model": "echo"}


def test_custom_model_client_must_be_registered_before_create():
    wrapper = OpenAIWrapper(config_list=[{"model": "echo", "model_client_cls": "EchoClient"}])
    with pytest.raises(RuntimeError, match=r"\['EchoClient'\] are not registered"):
        wrapper.create(messages=MESSAGES)


def test_registered_custom_model_client_answers():
    wrapper = OpenAIWrapper(config_list=[{"model": "echo", "model_client_cls": "EchoClient"}])
    wrapper.register_model_client(EchoClient, suffix="!")
    response = wrapper.create(messages=MESSAGES)
    assert wrapper.extract_text_or_completion_object(response) == ["hi!"]
    assert wrapper.total_usage_summary["echo"]["cost"] == 0.5


def test_registering_unknown_model_client_is_an_error(server):
    wrapper = OpenAIWrapper(config_list=server.config_list())
    with pytest.raises(ValueError, match='no config has "model_client_cls": "EchoClient"'):
        wrapper.register_model_client(EchoClient)


# ---- sync and async entry points ---------------------------------------------------------------------
async def test_sync_create_works_inside_running_event_loop(server):
    server.script("from sync")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "from sync"


async def test_fifty_concurrent_a_create_calls_on_one_loop(server):
    server.default_reply = "same"
    server.latency = 0.05
    wrapper = OpenAIWrapper(config_list=server.config_list())
    responses = await asyncio.gather(
        *[wrapper.a_create(messages=[{"role": "user", "content": f"q{i}"}]) for i in range(50)]
    )
    assert [r.choices[0].message.content for r in responses] == ["same"] * 50
    assert len(server.chat_requests) == 50
    assert wrapper.total_usage_summary[server.model]["prompt_tokens"] == sum(r.usage.prompt_tokens for r in responses)


def test_wrappers_built_without_a_loop_use_no_network(server):
    wrappers = [OpenAIWrapper(config_list=server.config_list()) for _ in range(100)]
    assert len(wrappers) == 100
    assert server.requests == []


def test_second_server_fixture_is_independent(server, server2):
    assert isinstance(server2, OpenAITestServer)
    assert server.port != server2.port


def test_response_pickles_without_the_client_or_its_key(server):
    import pickle

    server.script("ok")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    response = wrapper.create(messages=MESSAGES)
    data = pickle.dumps(response)
    assert server.api_key.encode() not in data
    assert wrapper.extract_text_or_completion_object(pickle.loads(data)) == ["ok"]


def test_sync_http_client_is_rejected_with_a_clear_error(server):
    import httpx

    with httpx.Client() as sync_client, pytest.raises(TypeError, match=r"http_client must be an httpx\.AsyncClient"):
        OpenAIWrapper(config_list=server.config_list(http_client=sync_client))
