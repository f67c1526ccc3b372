"""The LLM reply and the seed example: assistant + user proxy against the test server, sync and async."""

from __future__ import annotations

import pytest

from autogen import AssistantAgent, ConversableAgent, UserProxyAgent
from autogen.cache import Cache
from autogen.testing import Fail

CODE_REPLY = "Let me compute it.\n```python\nprint(6 * 7)\n```"


def seed_pair(llm_config, tmp_path):
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    user_proxy = UserProxyAgent(
        "user_proxy",
        human_input_mode="NEVER",
        max_consecutive_auto_reply=10,
        is_termination_msg=lambda m: (m.get("content") or "").rstrip().endswith("TERMINATE"),
        code_execution_config={"work_dir": str(tmp_path / "coding"), "use_docker": False},
    )
    return assistant, user_proxy


def test_seed_example_runs_code_and_terminates(server, llm_config, tmp_path):
    assistant, user_proxy = seed_pair(llm_config, tmp_path)
    server.script(CODE_REPLY, "The answer is 42. TERMINATE")
    result = user_proxy.initiate_chat(assistant, message="What is 6 * 7?")
    assert result.chat_history[2]["content"].startswith("exitcode: 0 (execution succeeded)\nCode output:")
    assert "42" in result.chat_history[2]["content"]
    assert result.summary.strip() == "The answer is 42."
    assert result.cost["usage_including_cached_inference"]["total_cost"] > 0


async def test_seed_example_async(server, llm_config, tmp_path):
    assistant, user_proxy = seed_pair(llm_config, tmp_path)
    server.script(CODE_REPLY, "The answer is 42. TERMINATE")
    result = await user_proxy.a_initiate_chat(assistant, message="What is 6 * 7?", silent=True)
    assert "42" in result.chat_history[2]["content"]
    assert len(result.chat_history) == 4


def test_request_has_system_message_and_named_history(server, llm_config):
    assistant = AssistantAgent("assistant", llm_config=llm_config, system_message="Be brief.")
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER", default_auto_reply="more")
    server.script("first", "second")
    user.initiate_chat(assistant, message="hello", max_turns=2, silent=True)
    messages = server.chat_requests[1]["messages"]
    assert messages == [
        {"content": "Be brief.", "role": "system"},
        {"content": "hello", "role": "user", "name": "user"},
        {"content": "first", "role": "assistant", "name": "assistant"},
        {"content": "more", "role": "user", "name": "user"},
    ]


def test_llm_error_mid_chat_raises_and_history_is_intact_on_both_agents(server, llm_config):
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER", default_auto_reply="continue")
    server.script("first answer", Fail(400, "context length exceeded"))
    with pytest.raises(Exception, match="context length exceeded"):
        user.initiate_chat(assistant, message="start", silent=True)
    expected = ["start", "first answer", "continue"]
    assert [m["content"] for m in user.chat_messages[assistant]] == expected
    assert [m["content"] for m in assistant.chat_messages[user]] == expected


async def test_llm_error_mid_async_chat_raises_and_history_is_intact(server, llm_config):
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER", default_auto_reply="continue")
    server.script("first answer", Fail(400, "bad request"))
    with pytest.raises(Exception, match="bad request"):
        await user.a_initiate_chat(assistant, message="start", silent=True)
    assert len(user.chat_messages[assistant]) == len(assistant.chat_messages[user]) == 3


def test_reflection_with_llm_summary_asks_the_recipient_model(server, llm_config):
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER")
    server.script("the answer", "a short summary")
    result = user.initiate_chat(
        assistant,
        message="question",
        max_turns=1,
        summary_method="reflection_with_llm",
        summary_args={"summary_prompt": "Summarize please."},
        silent=True,
    )
    assert result.summary == "a short summary"
    summary_request = server.chat_requests[-1]["messages"]
    assert summary_request[-1] == {"role": "system", "content": "Summarize please."}
    assert [m["content"] for m in summary_request[:-1]] == ["question", "the answer"]


def test_reflection_summary_role_is_configurable(server, llm_config):
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER")
    server.script("answer", "summary")
    user.initiate_chat(
        assistant,
        message="q",
        max_turns=1,
        summary_method="reflection_with_llm",
        summary_args={"summary_role": "user"},
        silent=True,
    )
    last = server.chat_requests[-1]["messages"][-1]
    assert last["role"] == "user" and last["content"] == ConversableAgent.DEFAULT_SUMMARY_PROMPT


def test_cache_argument_serves_repeated_chats_from_the_cache(server, llm_config):
    server.script("cached answer")
    with Cache.disk(cache_seed=7, cache_path_root=".cache") as cache:
        for _ in range(2):
            assistant = AssistantAgent("assistant", llm_config=llm_config)
            user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER")
            result = user.initiate_chat(assistant, message="same question", max_turns=1, cache=cache, silent=True)
            assert result.chat_history[-1]["content"] == "cached answer"
    assert len(server.chat_requests) == 1
    assert assistant.client_cache is None  # restored after the chat


def test_gather_usage_summary_adds_agents_up(server, llm_config):
    from autogen import gather_usage_summary

    a = AssistantAgent("a", llm_config=llm_config)
    b = AssistantAgent("b", llm_config=llm_config, max_consecutive_auto_reply=0)
    server.script({"content": "hi", "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}})
    a.initiate_chat(b, message="hello", max_turns=2, silent=True)
    summary = gather_usage_summary([a, b])
    model = llm_config["config_list"][0]["model"]
    assert summary["usage_including_cached_inference"][model]["total_tokens"] == 15
    assert summary["usage_excluding_cached_inference"][model]["prompt_tokens"] == 10


def test_gather_usage_summary_without_clients():
    from autogen import gather_usage_summary

    agents = [ConversableAgent("a", llm_config=False)]
    assert gather_usage_summary(agents) == {
        "usage_including_cached_inference": {"total_cost": 0},
        "usage_excluding_cached_inference": {"total_cost": 0},
    }


def test_print_usage_summary_without_client(human):
    ConversableAgent("a", llm_config=False).print_usage_summary()
    assert "No cost incurred from agent 'a'." in human.text


class EchoModelClient:
    """A custom ModelClient that answers without any server."""

    def __init__(self, config, **kwargs):
        self.model = config["model"]

    def create(self, params):
        from types import SimpleNamespace

        text = "custom client heard: " + params["messages"][-1]["content"]
        message = SimpleNamespace(content=text, function_call=None, tool_calls=None)
        return SimpleNamespace(choices=[SimpleNamespace(message=message)], model=self.model, usage=None)

    def message_retrieval(self, response):
        return [choice.message.content for choice in response.choices]

    def cost(self, response):
        return 0.0

    @staticmethod
    def get_usage(response):
        return {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0, "cost": 0.0, "model": response.model}


def test_register_model_client_activates_a_custom_client():
    assistant = AssistantAgent(
        "a", llm_config={"config_list": [{"model": "echo", "model_client_cls": "EchoModelClient"}]}
    )
    assistant.register_model_client(EchoModelClient)
    user = ConversableAgent("u", llm_config=False, human_input_mode="NEVER")
    result = user.initiate_chat(assistant, message="ping", max_turns=1, silent=True)
    assert result.chat_history[-1]["content"] == "custom client heard: ping"


def test_register_model_client_without_llm_config_is_a_runtime_error():
    with pytest.raises(RuntimeError, match="llm_config"):
        ConversableAgent("a", llm_config=False).register_model_client(EchoModelClient)


def test_agent_names_the_api_would_reject_are_sent_normalised(server, llm_config):
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    user = ConversableAgent("User Proxy (me)", llm_config=False, human_input_mode="NEVER")
    server.script("hi")
    user.initiate_chat(assistant, message="hello", max_turns=1, silent=True)
    assert server.chat_requests[0]["messages"][-1]["name"] == "User_Proxy__me_"
    assert assistant.chat_messages[user][0]["name"] == "User Proxy (me)"  # history keeps the real name
