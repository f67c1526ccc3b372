"""Teachability: what a user teaches is stored as a memo on disk and recalled into later prompts, also by
another process. The analyzer's and the agent's model is the test server."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from autogen import ConversableAgent
from autogen.agentchat.contrib.capabilities import teachability as teach
from autogen.agentchat.contrib.capabilities.teachability import MemoStore, Teachability

TEACHING = "My favourite colour is teal."
QUESTION = "What is my favourite colour?"


def analyzer_and_agent(body: dict) -> str:
    """The model: answers the analyzer's instructions about TEACHING; the agent itself says 'OK'."""
    prompt = body["messages"][-1]["content"]
    if "# INSTRUCTIONS" not in prompt:
        return "OK"
    if teach.ASKS_FOR_TASK in prompt:
        return "no"
    if teach.HAS_INFORMATION in prompt:
        return "yes" if "is teal" in prompt else "no"
    if teach.QUESTION_FOR_INFORMATION in prompt:
        return QUESTION
    if teach.COPY_INFORMATION in prompt:
        return "The user's favourite colour is teal."
    return "none"


def teachable_agent(llm_config, **kwargs) -> tuple[ConversableAgent, Teachability]:
    agent = ConversableAgent("teachable", llm_config=llm_config, human_input_mode="NEVER")
    capability = Teachability(path_to_db_dir="memos-db", **kwargs)
    capability.add_to_agent(agent)
    return agent, capability


def ask(agent: ConversableAgent, text: str) -> None:
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER", default_auto_reply=None)
    user.initiate_chat(agent, message=text, max_turns=1, silent=True)


@pytest.mark.slow
def test_a_teaching_is_stored_and_recalled_in_a_later_chat_and_process(server, llm_config):
    server.default_reply = analyzer_and_agent
    agent, capability = teachable_agent(llm_config, reset_db=True)
    assert "remember what users teach you" in agent.system_message
    ask(agent, TEACHING)
    assert capability.memo_store.last_memo_id == 1

    agent2, _ = teachable_agent(llm_config)
    server.reset()
    server.default_reply = analyzer_and_agent
    ask(agent2, QUESTION)
    agent_prompt = next(r for r in server.chat_requests if "# INSTRUCTIONS" not in r["messages"][-1]["content"])
    sent = agent_prompt["messages"][-1]["content"]
    assert sent.startswith(QUESTION) and "# Memories that might help\n- The user's favourite colour is teal." in sent

    script = textwrap.dedent(f"""
        from autogen.agentchat.contrib.capabilities.teachability import MemoStore
        store = MemoStore(0, False, "memos-db")
        print([m[1] for m in store.get_related_memos({QUESTION!r}, 10, 1.5)])
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert '["The user\'s favourite colour is teal."]' in done.stdout, done.stderr[-2000:]


@pytest.mark.slow
def test_unrelated_messages_recall_nothing_and_reset_forgets(server, llm_config):
    server.default_reply = analyzer_and_agent
    agent, capability = teachable_agent(llm_config, reset_db=True)
    ask(agent, TEACHING)
    capability.prepopulate_db()
    assert capability.memo_store.last_memo_id == 7
    assert capability._consider_memo_retrieval("How do I bake sourdough bread?") == "How do I bake sourdough bread?"
    assert capability.memo_store.get_related_memos(QUESTION, 10, 1.5)[0][1] == "The user's favourite colour is teal."
    assert len(capability.memo_store.get_related_memos(QUESTION, 2, 4.1)) == 2  # max_num_retrievals caps
    Teachability(path_to_db_dir="memos-db", reset_db=True)
    assert MemoStore(0, False, "memos-db").get_related_memos(QUESTION, 10, 4.1) == []


def test_verbosity_prints_what_is_remembered_and_recalled(server, llm_config):
    from autogen.io import IOStream
    from autogen.testing import RecordingIOStream

    server.default_reply = analyzer_and_agent
    agent, _ = teachable_agent(llm_config, reset_db=True, verbosity=1)
    stream = RecordingIOStream()
    with IOStream.set_default(stream):
        ask(agent, TEACHING)
        ask(agent, QUESTION)
    assert "REMEMBER THIS QUESTION-ANSWER PAIR" in stream.text
    assert "MEMOS APPENDED TO LAST MESSAGE" in stream.text and "favourite colour is teal" in stream.text


def test_an_agent_without_a_model_is_refused():
    agent = ConversableAgent("plain", llm_config=False)
    with pytest.raises(ValueError, match=r"needs a model for its text analyzer.*'plain' has none"):
        Teachability(path_to_db_dir="memos-db").add_to_agent(agent)
