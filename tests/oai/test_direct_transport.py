"""The direct transport (aiohttp, no openai SDK) for plain chats: same answers, same errors, no openai import."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import openai
import pytest
from openai.types.chat import ChatCompletion as SDKChatCompletion

from autogen import AssistantAgent, UserProxyAgent
from autogen.oai.client import OpenAIWrapper
from autogen.oai.direct import direct_target, env_proxy
from autogen.oai.errors import AllConfigsFailedError, ContextWindowExceededError
from autogen.oai.responses import ChatCompletion, chat_completion_from_json
from autogen.testing import Fail

REPO = Path(__file__).resolve().parents[2]
MESSAGES = [{"role": "user", "content": "hi"}]


def run_python(code: str) -> dict:
    """Run ``code`` in a fresh interpreter (this checkout first on the path); it prints one JSON object."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # a fresh interpreter that imports openai on the error (~1 s quiet, much more on busy cores)
def test_a_full_chat_does_not_import_openai_and_an_error_still_raises_its_sdk_class():
    result = run_python(
        """
        import json, sys
        from autogen import AssistantAgent, UserProxyAgent, OpenAIWrapper
        from autogen.testing import Fail, OpenAITestServer

        with OpenAITestServer(default_reply="Sure.") as server:
            config = {"config_list": server.config_list(), "cache_seed": None}
            assistant = AssistantAgent("assistant", llm_config=config)
            user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False,
                                  max_consecutive_auto_reply=2)
            result = user.initiate_chat(assistant, message="Hello.", silent=True)
            after_chat = sorted(m for m in ("openai", "httpx", "pydantic") if m in sys.modules)
            server.script(Fail(429, "slow down"))
            wrapper = OpenAIWrapper(config_list=server.config_list(), max_retries=0, cache_seed=None)
            try:
                wrapper.create(messages=[{"role": "user", "content": "hi"}])
                caught = None
            except Exception as err:
                import openai
                caught = [isinstance(err, openai.RateLimitError), err.status_code]
        print(json.dumps({"after_chat": after_chat, "replies": len(result.chat_history), "caught": caught}))
        """
    )
    assert result["after_chat"] == []
    assert result["replies"] == 6  # hello + 2 x (reply, auto reply) + last reply
    assert result["caught"] == [True, 429]


def test_the_answer_dumps_like_the_sdks_chat_completion_and_converts_to_it(server):
    server.script({"content": None, "tool_calls": [{"name": "add", "arguments": {"a": 1}}]})
    response = OpenAIWrapper(config_list=server.config_list(), cache_seed=None).create(messages=MESSAGES)
    assert isinstance(response, ChatCompletion)
    raw = server.requests[-1]  # the request; the answer is rebuilt from the response object's own fields
    assert raw.body["messages"] == MESSAGES
    sdk = response.to_sdk()
    assert isinstance(sdk, SDKChatCompletion)
    assert sdk.model_dump() == response.model_dump()
    call = response.choices[0].message.tool_calls[0]
    assert (call.function.name, json.loads(call.function.arguments)) == ("add", {"a": 1})
    assert response.cost == pytest.approx(sdk.cost) and response.cost > 0
    message = response.choices[0].message.model_dump()
    assert message == sdk.choices[0].message.model_dump()
    assert message["tool_calls"][0]["type"] == "function"


def test_answers_pickle_without_the_client_and_keep_unknown_fields():
    data = {
        "id": "x",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4, "prompt_tokens_details": {"a": 2}},
        "vendor_extra": {"k": [1, 2]},
    }
    response = chat_completion_from_json(data)
    response.cost = 0.5
    loaded = pickle.loads(pickle.dumps(response))
    assert loaded == response
    assert loaded.usage.prompt_tokens_details.a == 2
    assert loaded.vendor_extra == {"k": [1, 2]}
    assert loaded.model_dump()["cost"] == 0.5
    assert loaded.choices[0].message.tool_calls is None
    assert SDKChatCompletion.construct(**data).model_dump() == chat_completion_from_json(data).model_dump()
    assert json.loads(loaded.to_json()) == {**data, "cost": 0.5}


def test_status_errors_are_the_sdks_classes_with_body_code_and_no_key(server):
    server.script(Fail(401, "Incorrect API key provided: sk-test-0123456789abcdef0123456789abcdef"))
    wrapper = OpenAIWrapper(config_list=server.config_list(), max_retries=0, cache_seed=None)
    with pytest.raises(openai.AuthenticationError) as info:
        wrapper.create(messages=MESSAGES)
    err = info.value
    assert isinstance(err, AllConfigsFailedError)
    cause = err.attempts[0].error
    assert cause.status_code == 401
    assert cause.request.headers["authorization"] == "[REDACTED]"
    assert server.api_key not in str(err) and server.api_key not in repr(cause.body)


def test_a_context_window_error_and_retries_behave_as_with_the_sdk(server):
    server.script(Fail(500, "boom"), "recovered")
    wrapper = OpenAIWrapper(config_list=server.config_list(), max_retries=1, cache_seed=None)
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "recovered"
    assert len(server.chat_requests) == 2
    server.script(Fail(400, "This model's maximum context length is 8192 tokens"))
    with pytest.raises(ContextWindowExceededError, match="context window"):
        wrapper.create(messages=MESSAGES)


def test_extra_headers_and_queries_and_organization_reach_the_server(server):
    server.script("ok")
    config = server.config_list(organization="org-1", default_headers={"X-Team": "a"}, default_query={"v": "1"})
    wrapper = OpenAIWrapper(config_list=config, cache_seed=None)
    wrapper.create(messages=MESSAGES, extra_headers={"X-Call": "b"}, extra_query={"w": "2"})
    request = server.requests[-1]
    assert request.headers["openai-organization"] == "org-1"
    assert (request.headers["x-team"], request.headers["x-call"]) == ("a", "b")
    assert request.path.endswith("/chat/completions?v=1&w=2")
    assert "extra_headers" not in request.body and "extra_query" not in request.body


def test_configs_the_direct_transport_cannot_serve_go_through_the_sdk(monkeypatch):
    assert direct_target({"api_key": "k", "azure_ad_token_provider": lambda: "t"}, 5.0, 10) is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost")
    assert env_proxy(direct_target({"api_key": "k"}, 5.0, 10).url) == "http://proxy.example:3128"
    assert env_proxy(direct_target({"api_key": "k", "base_url": "http://localhost:1/v1"}, 5.0, 10).url) is None


def test_an_agent_stores_the_same_tool_call_message_as_with_sdk_objects(server):
    server.script({"content": None, "tool_calls": [{"name": "add", "arguments": {"a": 1}}]})
    server.default_reply = "done"
    assistant = AssistantAgent("assistant", llm_config={"config_list": server.config_list(), "cache_seed": None})
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, llm_config=False)
    user.initiate_chat(assistant, message="add", max_turns=1, silent=True)
    stored = assistant.chat_messages[user][-1]
    assert stored["tool_calls"][0]["function"] == {"arguments": '{"a": 1}', "name": "add"}
    assert stored["role"] == "assistant" and "refusal" not in stored


def test_autogen_help_imports_no_llm_client():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "autogen", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode == 0 and "usage: autogen" in proc.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import")}
    assert "autogen.cli" in imported
    assert not {"openai", "aiohttp", "httpx", "autogen.agentchat", "autogen.oai.client"} & imported
