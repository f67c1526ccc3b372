"""Which errors are retried and fall back, and which are raised as themselves (bugs)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from autogen.oai.client import OpenAIWrapper
from autogen.oai.errors import AllConfigsFailedError, StreamInterruptedError
from autogen.oai.model_client import ModelClientNotRegisteredError
from autogen.testing import RecordingIOStream

MESSAGES = [{"role": "user", "content": "hi"}]


class ScriptedClient:
    """A custom model client that raises the scripted errors, then answers."""

    script: list[Any] = []
    calls = 0

    def __init__(self, config: dict[str, Any], **kwargs: Any) -> None:
        self.config = config

    def create(self, params: dict[str, Any]) -> Any:
        type(self).calls += 1
        item = type(self).script.pop(0)
        if isinstance(item, BaseException):
            raise item
        if item is None:  # an answer without choices
            return SimpleNamespace(choices=[], model="custom", usage=None)
        message = SimpleNamespace(content=item, tool_calls=None, function_call=None, role="assistant")
        return SimpleNamespace(choices=[SimpleNamespace(message=message)], model="custom", usage=None)

    def message_retrieval(self, response: Any) -> list[str]:
        return [c.message.content for c in response.choices]

    def cost(self, response: Any) -> float:
        return 0.0

    @staticmethod
    def get_usage(response: Any) -> dict[str, Any]:
        return {}


class ProviderError(Exception):
    """Shaped like another SDK's HTTP error: it has a status_code."""

    def __init__(self, status_code: int) -> None:
        super().__init__(f"provider said {status_code}")
        self.status_code = status_code


def _wrapper(script: list[Any], extra_configs: list[dict[str, Any]] = (), **config: Any) -> OpenAIWrapper:
    ScriptedClient.script = list(script)
    ScriptedClient.calls = 0
    entry = {"model": "custom", "model_client_cls": "ScriptedClient", **config}
    wrapper = OpenAIWrapper(config_list=[entry, *extra_configs])
    wrapper.register_model_client(ScriptedClient)
    return wrapper


@pytest.mark.parametrize(
    "error", [ConnectionResetError("reset"), TimeoutError("slow"), ProviderError(503)], ids=["conn", "timeout", "503"]
)
def test_a_custom_clients_transient_errors_are_retried(error):
    wrapper = _wrapper([error, error, "recovered"], max_retries=2)
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "recovered"
    assert ScriptedClient.calls == 3


def test_a_custom_clients_errors_fall_back_to_the_next_config(server):
    server.script("from the next config")
    wrapper = _wrapper([ProviderError(401)], server.config_list())
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "from the next config"
    assert ScriptedClient.calls == 1  # a 401 is not retried


def test_a_custom_clients_errors_on_the_last_config_end_in_the_combined_error():
    wrapper = _wrapper([ProviderError(500)] * 2, max_retries=1)
    with pytest.raises(ProviderError) as info:
        wrapper.create(messages=MESSAGES)
    assert isinstance(info.value, AllConfigsFailedError)
    assert "after 2 tries" in str(info.value)


def test_a_bug_in_a_custom_client_is_raised_as_itself(server):
    server.script("unused")
    wrapper = _wrapper([KeyError("bug in the client")], server.config_list())
    with pytest.raises(KeyError, match="bug in the client"):
        wrapper.create(messages=MESSAGES)
    assert ScriptedClient.calls == 1
    assert server.chat_requests == []


def test_an_empty_answer_of_a_custom_client_is_retried():
    wrapper = _wrapper([None, "second"], max_retries=1)
    assert wrapper.create(messages=MESSAGES).choices[0].message.content == "second"
    assert ScriptedClient.calls == 2


class ExplodingIOStream(RecordingIOStream):
    """Fails on streamed tokens only (a bug in the user's IOStream), prints anything else."""

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        if end == "":
            raise ValueError("the IOStream broke")
        super().print(*objects, sep=sep, end=end, flush=flush)


def test_a_bug_while_handling_a_stream_is_raised_as_itself(server):
    from autogen.io.base import IOStream

    server.script("streamed words", "unused")
    wrapper = OpenAIWrapper(config_list=server.config_list(max_retries=2))
    with IOStream.set_default(ExplodingIOStream()), pytest.raises(ValueError, match="the IOStream broke") as info:
        wrapper.create(messages=MESSAGES, stream=True)
    assert not isinstance(info.value, StreamInterruptedError)
    assert len(server.chat_requests) == 1  # not retried as "stream interrupted"


def test_an_unregistered_model_client_names_register_model_client():
    wrapper = OpenAIWrapper(config_list=[{"model": "m", "model_client_cls": "NeverRegistered"}])
    with pytest.raises(ModelClientNotRegisteredError, match="register_model_client"):
        wrapper.create(messages=MESSAGES)
    placeholder = wrapper._clients[0]
    for method in (placeholder.cost, placeholder.message_retrieval, placeholder.get_usage):
        with pytest.raises(RuntimeError, match=r"register_model_client\(NeverRegistered\)"):
            method(None)
