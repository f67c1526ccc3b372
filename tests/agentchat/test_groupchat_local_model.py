"""Constrained speaker selection on the embedded tiny local model: always a valid member, first time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from autogen import AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent
from autogen.io import IOStream
from autogen.testing import RecordingIOStream

pytestmark = [pytest.mark.local_model, pytest.mark.slow]


@pytest.fixture(scope="module")
def local_config() -> Iterator[dict]:
    pytest.importorskip("llama_cpp")
    from autogen.oai.local import LocalModelServer

    with LocalModelServer() as server:
        yield {"config_list": server.config_list(), "cache_seed": None, "temperature": 0, "max_tokens": 64}


@pytest.mark.parametrize("mode", [True, "json_schema"])
def test_constrained_selection_on_the_tiny_model_always_names_an_eligible_member(local_config, mode):
    agents = [
        AssistantAgent(name, llm_config=local_config, description=description)
        for name, description in (
            ("planner", "Breaks the task into steps."),
            ("coder", "Writes Python code."),
            ("reviewer", "Checks the code for mistakes."),
        )
    ]
    chat = GroupChat(
        agents,
        messages=[{"role": "user", "content": "Write a function that reverses a string.", "name": "user"}],
        allow_repeat_speaker=False,
        select_speaker_structured_output=mode,
        select_speaker_auto_verbose=True,
    )
    manager = GroupChatManager(chat, llm_config=local_config)
    io = RecordingIOStream()
    with IOStream.set_default(io):
        for last in agents:
            chosen = chat.select_speaker(last, manager)
            assert chosen in agents and chosen is not last
    assert sum("attempt 1 of 3 chose" in line for line in io.printed) == 3
    assert not any("failed" in line for line in io.printed)


def test_a_tiny_model_group_chat_runs_to_max_round(local_config):
    agents = [AssistantAgent(n, llm_config=local_config, description=f"The {n}.") for n in ("writer", "editor")]
    chat = GroupChat(agents, messages=[], max_round=3, select_speaker_structured_output=True)
    manager = GroupChatManager(chat, llm_config=local_config, silent=True)
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    user.initiate_chat(manager, message="Write one sentence about the sea.", silent=True)
    assert len(chat.messages) == 3
    assert {m["name"] for m in chat.messages[1:]} <= {"writer", "editor"}
