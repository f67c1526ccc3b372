"""Speaker selection "auto" against the scripted test server: outcomes and LLM-call counts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from autogen.agentchat.groupchat import GroupChat
from autogen.io import IOStream
from autogen.oai.client import OpenAIWrapper
from autogen.testing import RecordingIOStream


class Member:
    def __init__(self, name: str) -> None:
        self.name = name
        self.description = f"the {name.replace('_', ' ')}"
        self.function_map: dict = {}


class Selector:
    """What a group chat needs from its manager for "auto": a name and an LLM client."""

    def __init__(self, client: Any) -> None:
        self.name = "chat_manager"
        self.client = client
        self.client_cache = None


@pytest.fixture
def team():
    return [Member("planner"), Member("coder"), Member("critic")]


@pytest.fixture
def selector(llm_config):
    return Selector(OpenAIWrapper(**llm_config))


USER = Member("user")


def _chat(team, **kw) -> GroupChat:
    return GroupChat(
        agents=team, messages=[{"role": "user", "content": "Write a sorting function.", "name": "user"}], **kw
    )


def test_a_valid_name_selects_that_agent_with_one_call(server, selector, team):
    server.script("coder")
    assert _chat(team).select_speaker(USER, selector) is team[1]
    assert len(server.chat_requests) == 1


def test_the_request_has_roles_history_and_prompt_from_checking_agent(server, selector, team):
    server.script("critic")
    _chat(team).select_speaker(USER, selector)
    messages = server.chat_requests[0]["messages"]
    assert messages[0]["role"] == "system"
    assert "coder: the coder" in messages[0]["content"] and "['planner', 'coder', 'critic']" in messages[0]["content"]
    assert messages[1] == {"role": "user", "content": "Write a sorting function.", "name": "user"}
    assert messages[2]["role"] == "system" and messages[2]["name"] == "checking_agent"
    assert len(messages) == 3


def test_an_answer_with_two_names_is_asked_again_with_the_multiple_template(server, selector, team):
    server.script("planner, then coder", "coder")
    assert _chat(team).select_speaker(USER, selector) is team[1]
    assert len(server.chat_requests) == 2
    follow_up = server.chat_requests[1]["messages"][-2:]
    assert follow_up[0] == {"content": "planner, then coder", "role": "assistant", "name": "speaker_selection_agent"}
    assert follow_up[1]["name"] == "checking_agent"
    assert follow_up[1]["content"].startswith("Your answer named more than one participant")


def test_an_answer_without_names_is_asked_again_with_the_none_template(server, selector, team):
    server.script("I think the next step is testing.", "critic")
    assert _chat(team).select_speaker(USER, selector) is team[2]
    assert len(server.chat_requests) == 2
    assert server.chat_requests[1]["messages"][-1]["content"].startswith("Your answer did not name any participant")
    assert "['planner', 'coder', 'critic']" in server.chat_requests[1]["messages"][-1]["content"]


def test_terminate_names_nobody_so_it_retries_then_falls_back_to_the_next_agent(server, selector, team):
    server.script("TERMINATE", "TERMINATE", "TERMINATE")
    assert _chat(team).select_speaker(team[0], selector) is team[1]
    assert len(server.chat_requests) == 3
    assert server.pending == 0


def test_garbage_answers_use_one_call_plus_the_retries_then_fall_back(server, selector, team):
    server.script("#$%^", "??", "lorem ipsum", "never asked")
    chat = _chat(team, max_retries_for_selecting_speaker=2)
    assert chat.select_speaker(team[2], selector) is team[0]  # after critic comes planner, wrapping around
    assert len(server.chat_requests) == 3
    assert server.pending == 1


def test_no_retries_means_exactly_one_call_before_the_fallback(server, selector, team):
    server.script("nobody")
    assert _chat(team, max_retries_for_selecting_speaker=0).select_speaker(USER, selector) is team[0]
    assert len(server.chat_requests) == 1


def test_the_fallback_never_picks_an_agent_the_graph_forbids(server, selector, team):
    planner, coder, critic = team
    chat = _chat(
        team,
        allowed_or_disallowed_speaker_transitions={planner: [planner, critic], coder: [critic], critic: [planner]},
        speaker_transitions_type="allowed",
    )
    server.script("coder", "coder", "coder")  # coder may not follow planner
    assert chat.select_speaker(planner, selector) is critic
    assert len(server.chat_requests) == 3
    assert "coder" not in server.chat_requests[0]["messages"][0]["content"].split("from")[-1]


def test_only_one_eligible_agent_needs_no_llm_call(server, selector, team):
    planner, coder, critic = team
    chat = _chat(
        team,
        allowed_or_disallowed_speaker_transitions={planner: [coder], coder: [critic], critic: [planner]},
        speaker_transitions_type="allowed",
    )
    assert chat.select_speaker(planner, selector) is coder
    assert server.chat_requests == []


def test_underscored_names_written_with_spaces_are_understood(server, selector):
    team = [Member("data_analyst"), Member("report_writer"), Member("reviewer")]
    server.script("Report Writer")
    assert _chat(team).select_speaker(USER, selector) is team[1]


def test_selection_calls_count_in_the_selectors_usage(server, selector, team):
    server.script("more than one: coder and critic", "critic")
    _chat(team).select_speaker(USER, selector)
    usage = selector.client.total_usage_summary
    model = server.model
    assert usage[model]["completion_tokens"] > 0
    assert usage[model]["prompt_tokens"] > 0
    assert usage[model]["total_tokens"] == usage[model]["prompt_tokens"] + usage[model]["completion_tokens"]


def test_without_a_prompt_template_the_request_ends_on_the_groups_last_message(server, selector, team):
    server.script("coder")
    _chat(team, select_speaker_prompt_template=None).select_speaker(USER, selector)
    assert server.chat_requests[0]["messages"][-1]["content"] == "Write a sorting function."


def test_the_role_of_selection_messages_is_configurable(server, selector, team):
    server.script("one of them", "critic")
    _chat(team, role_for_select_speaker_messages="user").select_speaker(USER, selector)
    messages = server.chat_requests[1]["messages"]
    assert messages[2]["role"] == "user" and messages[-1]["role"] == "user"


def test_a_pending_tool_call_is_hidden_from_the_selection_request(server, selector, team):
    chat = _chat(team, func_call_filter=False)
    chat.messages.append(
        {
            "role": "assistant",
            "content": None,
            "name": "coder",
            "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "run", "arguments": "{}"}}],
        }
    )
    server.script("critic")
    chat.select_speaker(team[1], selector)
    last_history = server.chat_requests[0]["messages"][-2]
    assert "tool_calls" not in last_history and last_history["content"] == ""


def test_verbose_selection_prints_every_attempt(server, selector, team):
    server.script("nobody at all", "coder")
    io = RecordingIOStream()
    with IOStream.set_default(io):
        _chat(team, select_speaker_auto_verbose=True).select_speaker(USER, selector)
    assert any("attempt 1 of 3 failed" in line for line in io.printed)
    assert any("attempt 2 of 3 chose coder" in line for line in io.printed)


def test_without_an_llm_auto_falls_back_to_the_next_agent_without_calls(server, team, caplog):
    assert _chat(team).select_speaker(team[0], Selector(None)) is team[1]
    assert server.chat_requests == []
    assert "needs an LLM" in caplog.text


def test_structured_output_asks_for_a_named_tool_with_the_eligible_names(server, selector, team):
    server.script({"content": None, "tool_calls": [{"name": "select_next_speaker", "arguments": {"name": "critic"}}]})
    chat = _chat(team, select_speaker_structured_output=True, allow_repeat_speaker=False)
    assert chat.select_speaker(team[1], selector) is team[2]
    request = server.chat_requests[0]
    assert request["tool_choice"] == {"type": "function", "function": {"name": "select_next_speaker"}}
    schema = request["tools"][0]["function"]["parameters"]
    assert schema["properties"]["name"]["enum"] == ["planner", "critic"]


def test_structured_output_with_a_json_schema(server, selector, team):
    server.script(json.dumps({"name": "planner"}))
    chat = _chat(team, select_speaker_structured_output="json_schema")
    assert chat.select_speaker(USER, selector) is team[0]
    response_format = server.chat_requests[0]["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["schema"]["properties"]["name"]["enum"] == ["planner", "coder", "critic"]


async def test_auto_selection_works_in_async_code(server, selector, team):
    server.script("two names: planner coder", "planner")
    assert await _chat(team).a_select_speaker(USER, selector) is team[0]
    assert len(server.chat_requests) == 2
