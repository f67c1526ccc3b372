"""TextAnalyzerAgent: analyses a text as instructed, with its model."""

from __future__ import annotations

import pytest

from autogen import ConversableAgent
from autogen.agentchat.contrib.text_analyzer_agent import TextAnalyzerAgent, system_message


def teacher() -> ConversableAgent:
    return ConversableAgent("teacher", llm_config=False, human_input_mode="NEVER")


def test_defaults_name_mode_and_system_message(llm_config):
    analyzer = TextAnalyzerAgent(llm_config=llm_config)
    assert analyzer.name == "analyzer"
    assert analyzer.human_input_mode == "NEVER"
    assert analyzer.system_message == system_message


def test_analyze_text_puts_the_instructions_before_and_after_the_text(server, llm_config):
    analyzer = TextAnalyzerAgent(llm_config=llm_config)
    server.script("yes")
    assert analyzer.analyze_text("The sky is green.", "Does the text contain a colour? Answer yes or no.") == "yes"
    system, user = server.chat_requests[0]["messages"]
    assert system == {"role": "system", "content": system_message}
    prompt = user["content"]
    assert prompt.count("# INSTRUCTIONS\nDoes the text contain a colour? Answer yes or no.") == 2
    assert prompt.index("# INSTRUCTIONS") < prompt.index("# TEXT\nThe sky is green.") < prompt.rindex("# INSTRUCTIONS")


async def test_a_analyze_text_is_the_async_twin(server, llm_config):
    analyzer = TextAnalyzerAgent(llm_config=llm_config)
    server.script("two sentences")
    assert await analyzer.a_analyze_text("A. B.", "Count the sentences.") == "two sentences"


def test_text_then_instructions_messages_get_the_analysis_as_reply(server, llm_config):
    analyzer, sender = TextAnalyzerAgent(llm_config=llm_config), teacher()
    server.script("It is about cats.")
    sender.send("Cats sleep a lot.", analyzer, request_reply=False, silent=True)
    sender.send("What is the text about?", analyzer, request_reply=True, silent=True)
    assert sender.last_message(analyzer)["content"] == "It is about cats."
    prompt = server.chat_requests[0]["messages"][-1]["content"]
    assert "# TEXT\nCats sleep a lot." in prompt and "# INSTRUCTIONS\nWhat is the text about?" in prompt


async def test_async_chat_gets_the_analysis_too(server, llm_config):
    analyzer, sender = TextAnalyzerAgent(llm_config=llm_config), teacher()
    server.script("short")
    await sender.a_send("Hi.", analyzer, request_reply=False, silent=True)
    await sender.a_send("Is the text long or short?", analyzer, request_reply=True, silent=True)
    assert sender.last_message(analyzer)["content"] == "short"


def test_replying_without_llm_config_is_an_error():
    analyzer, sender = TextAnalyzerAgent(llm_config=False), teacher()
    sender.send("text", analyzer, request_reply=False, silent=True)
    with pytest.raises(ValueError, match="needs an llm_config"):
        sender.send("instructions", analyzer, request_reply=True, silent=True)


def test_replying_to_other_than_two_messages_is_an_error(llm_config):
    analyzer, sender = TextAnalyzerAgent(llm_config=llm_config), teacher()
    with pytest.raises(ValueError, match="exactly two messages"):
        sender.send("only one message", analyzer, request_reply=True, silent=True)


def test_reset_between_analyses_allows_the_next_one(server, llm_config):
    analyzer, sender = TextAnalyzerAgent(llm_config=llm_config), teacher()
    server.script("first", "second")
    for expected in ("first", "second"):
        analyzer.reset()
        sender.send("some text", analyzer, request_reply=False, silent=True)
        sender.send("instructions", analyzer, request_reply=True, silent=True)
        assert sender.last_message(analyzer)["content"] == expected
