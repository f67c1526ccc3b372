"""GPTAssistantAgent, LLaVAAgent and LLamaIndexConversableAgent import, and fail clearly where they cannot work."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from typing import Any

import pytest

from autogen import ConversableAgent, UserProxyAgent
from autogen.agentchat.contrib import gpt_assistant_agent, llamaindex_conversable_agent, llava_agent


def test_gpt_assistant_agent_says_the_assistants_api_is_deprecated_and_names_replacements() -> None:
    assert issubclass(gpt_assistant_agent.GPTAssistantAgent, ConversableAgent)
    with pytest.raises(NotImplementedError) as info:
        gpt_assistant_agent.GPTAssistantAgent(name="helper", instructions="Help.", llm_config=False)
    text = str(info.value)
    assert "deprecated" in text and "AssistantAgent with tools" in text and "Responses API" in text


def test_llava_agent_and_calls_point_to_the_multimodal_agent() -> None:
    for make in (
        lambda: llava_agent.LLaVAAgent("llava", llm_config=False),
        lambda: llava_agent.llava_call("describe <img a.png>", {}),
        lambda: llava_agent.llava_call_binary("prompt", []),
    ):
        with pytest.raises(NotImplementedError, match=r"MultimodalConversableAgent.*OpenAI-compatible vision"):
            make()


@pytest.fixture
def no_llama_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure llama-index cannot be imported, whatever is installed."""
    monkeypatch.setitem(sys.modules, "llama_index", None)


@pytest.mark.usefixtures("no_llama_index")
def test_llamaindex_agent_without_llama_index_names_the_pip_install() -> None:
    with pytest.raises(ImportError, match="pip install llama-index"):
        llamaindex_conversable_agent.LLamaIndexConversableAgent("rag", llama_index_agent=object())


@dataclass
class _ChatMessage:
    content: str
    role: str
    additional_kwargs: dict[str, Any]


@dataclass
class _FakeLlamaAgent:
    """Stands in for a llama-index AgentRunner: records each call and answers with a count."""

    calls: list[tuple[str, list[_ChatMessage]]] = field(default_factory=list)

    def chat(self, message: str, chat_history: list[_ChatMessage]) -> Any:
        self.calls.append((message, chat_history))
        return types.SimpleNamespace(response=f"answer {len(self.calls)} to {message}")


@pytest.fixture
def fake_llama_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in ``llama_index.core.llms`` with ``ChatMessage`` (the real package is not installed here)."""
    llms = types.ModuleType("llama_index.core.llms")
    llms.ChatMessage = _ChatMessage  # type: ignore[attr-defined]
    for name, module in (
        ("llama_index", types.ModuleType("llama_index")),
        ("llama_index.core", types.ModuleType("llama_index.core")),
        ("llama_index.core.llms", llms),
    ):
        monkeypatch.setitem(sys.modules, name, module)


@pytest.mark.usefixtures("fake_llama_index")
def test_llamaindex_agent_replies_with_the_llama_index_answer_and_passes_the_history() -> None:
    llama = _FakeLlamaAgent()
    agent = llamaindex_conversable_agent.LLamaIndexConversableAgent("rag", llama_index_agent=llama)
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, default_auto_reply="more")
    result = user.initiate_chat(agent, message="first", max_turns=2, silent=True)
    assert [m["content"] for m in result.chat_history] == ["first", "answer 1 to first", "more", "answer 2 to more"]
    assert llama.calls[0] == ("first", [])
    assert llama.calls[1][1] == [
        _ChatMessage("first", "user", {}),
        _ChatMessage("answer 1 to first", "assistant", {}),
    ]


@pytest.mark.usefixtures("fake_llama_index")
def test_llamaindex_agent_needs_an_agent() -> None:
    with pytest.raises(ValueError, match="llama_index_agent"):
        llamaindex_conversable_agent.LLamaIndexConversableAgent("rag", llama_index_agent=None)
