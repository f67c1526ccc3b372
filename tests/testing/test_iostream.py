"""RecordingIOStream records what agents print and plays a scripted human."""

from __future__ import annotations

import pytest

from autogen import ConversableAgent
from autogen.io import IOStream
from autogen.testing import RecordingIOStream


def test_is_an_iostream():
    assert isinstance(RecordingIOStream(), IOStream)


def test_print_records_one_entry_per_call_joined_by_sep():
    stream = RecordingIOStream()
    stream.print("a", 1, sep="-")
    stream.print("b", end="")
    assert stream.printed == ["a-1", "b"]


def test_text_is_the_output_as_a_console_shows_it():
    stream = RecordingIOStream()
    stream.print("one")
    stream.print("tw", end="")
    stream.print("o", end="!")
    assert stream.text == "one\ntwo!"


def test_input_answers_in_script_order_and_records_prompts():
    stream = RecordingIOStream(inputs=["first", "second"])
    assert stream.input("q1? ") == "first"
    assert stream.input("q2? ", password=True) == "second"
    assert stream.prompts == ["q1? ", "q2? "]


def test_answers_can_be_added_after_creation():
    stream = RecordingIOStream()
    stream.inputs.extend(["late"])
    assert stream.input() == "late"


def test_input_beyond_the_script_fails_naming_the_prompt():
    stream = RecordingIOStream(inputs=["only"])
    stream.input()
    with pytest.raises(AssertionError, match="'again\\?'"):
        stream.input("again?")


def test_captures_an_agent_chat_and_answers_for_the_human():
    human = ConversableAgent("human", llm_config=False, human_input_mode="ALWAYS")
    bot = ConversableAgent("bot", llm_config=False, default_auto_reply="pong")
    stream = RecordingIOStream(inputs=["exit"])
    with IOStream.set_default(stream):
        human.initiate_chat(bot, message="ping")
    assert "human (to bot):" in stream.text
    assert "pong" in stream.text
    assert len(stream.prompts) == 1
    assert not stream.inputs
