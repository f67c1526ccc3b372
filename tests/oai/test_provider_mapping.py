"""Provider clients: request mapping details, the dispatch table, and the test servers' own framing."""

from __future__ import annotations

import base64
import json
import sys
import warnings
from collections.abc import Iterator

import pytest

from autogen.oai.client import OpenAIWrapper
from autogen.oai.errors import AllConfigsFailedError
from autogen.oai.providers import PROVIDERS, ProviderSDKMissingError
from autogen.testing.anthropic_server import AnthropicTestServer
from autogen.testing.bedrock_server import BedrockTestServer, event_message
from autogen.testing.gemini_server import GeminiTestServer
from autogen.testing.ollama_server import OllamaTestServer
from autogen.testing.openai_server import Fail
from autogen.testing.provider_server import ProviderTestServer

pytestmark = pytest.mark.timeout(60)

SERVERS = [AnthropicTestServer, GeminiTestServer, BedrockTestServer, OllamaTestServer]
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()


@pytest.fixture(params=SERVERS, ids=lambda cls: cls.api_type)
def server(request: pytest.FixtureRequest) -> Iterator[ProviderTestServer]:
    with request.param() as srv:
        yield srv


def test_every_built_provider_has_a_row_with_0_2_names():
    rows = {k: (p.module, p.class_name, p.extra) for k, p in PROVIDERS.items()}
    assert (
        rows.items()
        >= {
            "anthropic": ("anthropic", "AnthropicClient", "anthropic"),
            "google": ("gemini", "GeminiClient", "gemini"),
            "bedrock": ("bedrock", "BedrockClient", "bedrock"),
            "ollama": ("ollama", "OllamaClient", "ollama"),
        }.items()
    )


def test_a_missing_sdk_names_the_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "ollama", None)  # what Python does for a package that is not installed
    with pytest.raises(ProviderSDKMissingError, match=r'pip install "autogen\[ollama\]"'):
        OpenAIWrapper(config_list=[{"api_type": "ollama", "model": "llama3.1"}])


def test_conversation_starting_with_assistant_and_repeating_roles_is_made_to_alternate(server):
    server.script("ok")
    messages = [
        {"role": "assistant", "content": "I start.", "name": "bot"},
        {"role": "user", "content": "One.", "name": "a"},
        {"role": "user", "content": "Two.", "name": "b"},
        {"role": "system", "content": "Pick one."},
    ]
    OpenAIWrapper(config_list=server.config_list()).create(messages=messages)
    sent = server.summaries()[0]
    if server.api_type == "ollama":  # Ollama takes any order
        assert sent.roles == ["assistant", "user"]
    else:
        assert sent.roles == ["user", "assistant", "user"]
        assert sent.texts == ["Continue.", "I start.", "One.", "Two.", "Pick one."]


def test_data_url_images_are_sent_as_image_parts(server):
    server.script("a picture")
    content = [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
    ]
    OpenAIWrapper(config_list=server.config_list()).create(messages=[{"role": "user", "content": content}])
    assert server.summaries()[0].images == 1


@pytest.mark.parametrize("server_cls", [BedrockTestServer, OllamaTestServer], ids=["bedrock", "ollama"])
def test_image_web_addresses_are_a_clear_error_where_the_provider_takes_only_data(server_cls):
    with server_cls(["unused"]) as srv:
        content = [{"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]
        with pytest.raises(ValueError, match=r"https://example.com/cat.png.*data: URL"):
            OpenAIWrapper(config_list=srv.config_list()).create(messages=[{"role": "user", "content": content}])
        assert srv.chat_requests == []


def test_bad_messages_name_the_message_and_the_fix(server):
    wrapper = OpenAIWrapper(config_list=server.config_list())
    with pytest.raises(ValueError, match=r"messages\[1\] has role 'robot'"):
        wrapper.create(messages=[{"role": "user", "content": "hi"}, {"role": "robot", "content": "beep"}])
    with pytest.raises(ValueError, match=r"arguments of tool call 'f' must be a JSON object"):
        call = {"id": "1", "type": "function", "function": {"name": "f", "arguments": "not json"}}
        wrapper.create(messages=[{"role": "user", "content": "hi"}, {"role": "assistant", "tool_calls": [call]}])


TOOLS = [{"type": "function", "function": {"name": "f", "description": "F", "parameters": {"type": "object"}}}]
REQUIRED = {
    "anthropic": {"type": "any"},
    "google": {"functionCallingConfig": {"mode": "ANY"}},
    "bedrock": {"any": {}},
}


def test_tool_choice_required_maps_to_the_providers_word(server):
    server.script("ok")
    wrapper = OpenAIWrapper(config_list=server.config_list())
    if server.api_type == "ollama":  # Ollama has no tool_choice: dropped with a warning
        with pytest.warns(UserWarning, match="tool_choice"):
            wrapper.create(messages=[{"role": "user", "content": "hi"}], tools=TOOLS, tool_choice="required")
        assert "tool_choice" not in json.dumps(server.chat_requests[0])
        return
    wrapper.create(messages=[{"role": "user", "content": "hi"}], tools=TOOLS, tool_choice="required")
    options = server.summaries()[0].options
    assert REQUIRED[server.api_type] in options.values()


def test_json_response_format_reaches_gemini_and_ollama():
    schema = {"type": "object", "properties": {"x": {"type": "integer"}}}
    response_format = {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}
    with GeminiTestServer(['{"x": 1}']) as gemini, OllamaTestServer(['{"x": 1}']) as ollama:
        for srv in (gemini, ollama):
            reply = OpenAIWrapper(config_list=srv.config_list()).create(
                messages=[{"role": "user", "content": "x?"}], response_format=response_format
            )
            assert json.loads(reply.choices[0].message.content) == {"x": 1}
        config = gemini.summaries()[0].options
        assert config["responseMimeType"] == "application/json" and config["responseJsonSchema"] == schema
        assert ollama.summaries()[0].options["format"] == schema


def test_ollama_accepts_client_host_and_counts_no_cost_without_warning(caplog):
    with OllamaTestServer(["local"]) as srv:
        config = {"api_type": "ollama", "model": "llama3.1", "client_host": srv.base_url, "api_key": srv.api_key}
        with caplog.at_level("WARNING"), warnings.catch_warnings():
            warnings.simplefilter("error")  # client_host is a client option: no "not taken" warning
            response = OpenAIWrapper(config_list=[config]).create(messages=[{"role": "user", "content": "hi"}])
        assert response.cost == 0.0 and "price table" not in caplog.text


def test_gemini_retry_delay_from_the_error_body_is_kept_on_the_error():
    with GeminiTestServer([Fail(429, "quota")]) as srv:
        wrapper = OpenAIWrapper(config_list=srv.config_list(max_retries=0))
        with pytest.raises(AllConfigsFailedError) as caught:
            wrapper.create(messages=[{"role": "user", "content": "hi"}])
    error = caught.value.attempts[0].error
    assert error.retry_after == 0.0 and error.status_code == 429


def test_bedrock_config_secrets_never_appear_in_errors():
    with BedrockTestServer() as srv:
        bad = srv.config_list(aws_access_key="AKIAWRONG", aws_secret_key="very-secret-value-123456")
        with pytest.raises(AllConfigsFailedError) as caught:
            OpenAIWrapper(config_list=bad).create(messages=[{"role": "user", "content": "hi"}])
    assert "UnrecognizedClientException" in str(caught.value)
    assert "very-secret-value-123456" not in str(caught.value)


def test_event_stream_messages_decode_with_botocore():
    from botocore.eventstream import EventStreamBuffer

    buffer = EventStreamBuffer()
    buffer.add_data(event_message({":event-type": "messageStop", ":message-type": "event"}, b'{"stopReason":"x"}'))
    buffer.add_data(event_message({":event-type": "metadata"}, b"{}"))
    messages = list(buffer)
    assert [m.headers[":event-type"] for m in messages] == ["messageStop", "metadata"]
    assert messages[0].payload == b'{"stopReason":"x"}'


@pytest.mark.parametrize(("api_type", "env"), [("anthropic", "ANTHROPIC_API_KEY"), ("google", "GOOGLE_API_KEY")])
def test_a_missing_key_is_a_clear_error_at_construction(monkeypatch, api_type, env):
    for name in ("ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "GEMINI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match=rf"no 'api_key'.* {env} is not set"):
        OpenAIWrapper(config_list=[{"api_type": api_type, "model": "m"}])
    monkeypatch.setenv(env, "from-the-environment")
    assert (
        OpenAIWrapper(config_list=[{"api_type": api_type, "model": "m"}])._clients[0].api_key == "from-the-environment"
    )


@pytest.mark.parametrize("server_cls", [AnthropicTestServer, BedrockTestServer], ids=["anthropic", "bedrock"])
def test_tool_history_without_tools_offered_is_sent_as_text(server_cls):
    call = {"id": "c1", "type": "function", "function": {"name": "add", "arguments": '{"a": 1}'}}
    messages = [
        {"role": "user", "content": "Add."},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "c1", "content": "3"},
        {"role": "system", "content": "Who speaks next?"},
    ]
    with server_cls(["planner"]) as srv:
        OpenAIWrapper(config_list=srv.config_list()).create(messages=messages)
        sent = srv.summaries()[0]
    assert sent.tool_calls == [] and sent.tool_results == []
    assert '[called add({"a": 1})]' in sent.texts and "[add returned: 3]" in sent.texts
    assert sent.roles == ["user", "assistant", "user"]


def test_aws_secrets_are_hidden_in_logged_configs():
    from autogen.oai.params import public_view

    view = public_view({"api_type": "bedrock", "aws_access_key": "AKIA1", "aws_secret_key": "s3cr3t-value-xyz"})
    assert view["aws_secret_key"] == "***" and "s3cr3t-value-xyz" not in repr(view)


def test_provider_client_options_never_reach_the_request_parameters():
    from autogen.oai.params import split_create_config

    config = {"model": "m", "aws_secret_key": "s", "aws_region": "r", "client_host": "h", "project_id": "p"}
    create, _ = split_create_config(config)
    assert create == {"model": "m"}  # so never in a request's cache key or its log either


def test_anthropic_without_a_key_but_with_aws_keys_reaches_claude_on_bedrock(monkeypatch, captured_io):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with AnthropicTestServer(
        ["via Bedrock", {"content": "streamed via Bedrock", "usage": {"prompt_tokens": 9, "completion_tokens": 4}}],
        model="anthropic.claude-3-5-sonnet-20240620-v1:0",
    ) as srv:
        wrapper = OpenAIWrapper(config_list=srv.bedrock_config_list())
        assert wrapper.create(messages=[{"role": "user", "content": "hi"}]).choices[0].message.content == "via Bedrock"
        response = wrapper.create(messages=[{"role": "user", "content": "hi"}], stream=True)
        paths = [r.path for r in srv.requests]
    assert response.choices[0].message.content == "streamed via Bedrock"
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (9, 4)
    assert response.cost == pytest.approx((9 * 0.003 + 4 * 0.015) / 1000)
    assert paths == [
        "/model/anthropic.claude-3-5-sonnet-20240620-v1:0/invoke",
        "/model/anthropic.claude-3-5-sonnet-20240620-v1:0/invoke-with-response-stream",
    ]
    assert "streamed via Bedrock" in captured_io.text


def test_clients_can_be_built_as_0_2_built_them():
    from autogen.oai.anthropic import AnthropicClient
    from autogen.oai.bedrock import BedrockClient
    from autogen.oai.gemini import GeminiClient
    from autogen.oai.ollama import OllamaClient

    with AnthropicTestServer(["built by keywords"]) as srv:
        client = AnthropicClient(model=srv.model, api_key=srv.api_key, base_url=srv.base_url)
        response = client.create({"model": srv.model, "messages": [{"role": "user", "content": "hi"}]})
    assert client.message_retrieval(response) == ["built by keywords"]
    assert client.get_usage(response)["total_tokens"] == response.usage.total_tokens > 0
    assert client.cost(response) > 0
    assert GeminiClient(api_key="k", model="gemini-1.5-flash").model == "gemini-1.5-flash"
    assert BedrockClient(aws_region="eu-west-1", model="m").region == "eu-west-1"
    assert OllamaClient(client_host="http://127.0.0.1:1", model="m").base_url == "http://127.0.0.1:1"


def test_a_bad_sampling_value_is_left_out_with_0_2s_warning(server):
    server.script("ok")
    with pytest.warns(UserWarning, match=r"Config error - temperature must be of type \(int, float\)"):
        OpenAIWrapper(config_list=server.config_list()).create(
            messages=[{"role": "user", "content": "hi"}], temperature="hot"
        )
    assert "hot" not in json.dumps(server.chat_requests[0])


def test_claude_on_bedrock_without_botocore_names_the_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "botocore.auth", None)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ProviderSDKMissingError, match=r'pip install "autogen\[anthropic,bedrock\]"'):
        OpenAIWrapper(config_list=[{"api_type": "anthropic", "model": "m", "aws_region": "us-east-1"}])


def test_gemini_function_call_signatures_go_back_with_the_calls():
    with GeminiTestServer([{"tool_calls": [{"name": "f", "arguments": {"a": 1}, "id": "c7"}]}, "done"]) as srv:
        wrapper = OpenAIWrapper(config_list=srv.config_list())
        messages = [{"role": "user", "content": "call f"}]
        call = wrapper.create(messages=messages, tools=TOOLS).choices[0].message
        messages += [call.model_dump(exclude_none=True), {"role": "tool", "tool_call_id": "c7", "content": "1"}]
        wrapper.create(messages=messages, tools=TOOLS)
        sent = srv.chat_requests[1]["contents"][1]["parts"][0]
    assert sent["functionCall"]["name"] == "f"
    assert base64.b64decode(sent["thoughtSignature"]) == b"sig-c7"
