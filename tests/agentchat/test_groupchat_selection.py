"""GroupChat settings and the speaker-selection modes that need no LLM (stand-in agents)."""

from __future__ import annotations

import logging
from typing import Any, Optional

import pytest

from autogen.agentchat.groupchat import GroupChat
from autogen.exception_utils import AgentNameConflict, NoEligibleSpeaker
from autogen.io import IOStream
from autogen.testing import RecordingIOStream


class Member:
    """A minimal group member: a name, a description and the functions it can run."""

    def __init__(self, name: str, functions: Optional[list[str]] = None) -> None:
        self.name = name
        self.description = f"{name} does {name} things"
        self.function_map = {f: print for f in functions or []}

    def can_execute_function(self, names: Any) -> bool:
        names = names if isinstance(names, list) else [names]
        return all(n in self.function_map for n in names)


@pytest.fixture
def team():
    return [Member("alice"), Member("bob"), Member("carol")]


def _chat(team, **kw) -> GroupChat:
    return GroupChat(agents=team, messages=[], **kw)


# ---- settings ----------------------------------------------------------------------------------


def test_messages_default_to_an_empty_list(team):
    assert GroupChat(agents=team).messages == []


def test_an_unknown_selection_method_is_rejected_with_the_valid_ones(team):
    with pytest.raises(ValueError, match=r"'telepathy'.*round_robin|round_robin.*'telepathy'"):
        _chat(team, speaker_selection_method="telepathy")


def test_selection_method_names_are_case_insensitive(team):
    chat = _chat(team, speaker_selection_method="Round_Robin")
    assert chat.select_speaker(team[0], None) is team[1]


def test_transitions_without_a_type_are_rejected(team):
    a, b, _c = team
    with pytest.raises(ValueError, match="speaker_transitions_type"):
        _chat(team, allowed_or_disallowed_speaker_transitions={a: [b]})


def test_transitions_and_allow_repeat_speaker_are_mutually_exclusive(team):
    a, b, _c = team
    with pytest.raises(ValueError, match="mutually exclusive"):
        _chat(
            team,
            allow_repeat_speaker=False,
            allowed_or_disallowed_speaker_transitions={a: [b]},
            speaker_transitions_type="allowed",
        )


@pytest.mark.parametrize("retries", [-1, 1.5, None, True])
def test_max_retries_must_be_a_non_negative_integer(team, retries):
    with pytest.raises(ValueError, match="max_retries_for_selecting_speaker"):
        _chat(team, max_retries_for_selecting_speaker=retries)


@pytest.mark.parametrize("role", ["", None, "   "])
def test_role_for_selection_messages_must_be_a_non_empty_string(team, role):
    with pytest.raises(ValueError, match="role_for_select_speaker_messages"):
        _chat(team, role_for_select_speaker_messages=role)


def test_a_template_with_an_unknown_placeholder_is_rejected(team):
    with pytest.raises(ValueError, match="select_speaker_prompt_template"):
        _chat(team, select_speaker_prompt_template="Pick from {agents}")


def test_the_selection_prompt_template_may_be_none(team):
    chat = _chat(team, select_speaker_prompt_template=None)
    assert chat.select_speaker_prompt() is None


def test_allow_repeat_speaker_list_must_name_members(team):
    with pytest.raises(ValueError, match="stranger"):
        _chat(team, allow_repeat_speaker=[Member("stranger")])


@pytest.mark.parametrize("max_round", [0, -3, "10"])
def test_max_round_must_be_a_positive_integer(team, max_round):
    with pytest.raises(ValueError, match="max_round"):
        _chat(team, max_round=max_round)


def test_structured_output_accepts_only_known_modes(team):
    with pytest.raises(ValueError, match="select_speaker_structured_output"):
        _chat(team, select_speaker_structured_output="xml")


def test_graph_without_repeats_has_no_self_loops(team):
    chat = _chat(team, allow_repeat_speaker=False)
    assert all(agent not in successors for agent, successors in chat.allowed_speaker_transitions_dict.items())


def test_graph_with_a_repeat_list_loops_only_those_agents(team):
    a, b, c = team
    chat = _chat(team, allow_repeat_speaker=[b])
    graph = chat.allowed_speaker_transitions_dict
    assert b in graph[b] and a not in graph[a] and c not in graph[c]


def test_disallowed_transitions_are_inverted_into_allowed_ones(team):
    a, b, c = team
    chat = _chat(team, allowed_or_disallowed_speaker_transitions={a: [b]}, speaker_transitions_type="disallowed")
    assert chat.allowed_speaker_transitions_dict[a] == [a, c]
    assert chat.allowed_speaker_transitions_dict[b] == [a, b, c]


# ---- helpers -------------------------------------------------------------------------------------


def test_append_sets_the_speaker_name_and_text_content(team):
    chat = _chat(team)
    chat.append({"role": "user", "content": None}, team[1])
    assert chat.messages == [{"role": "user", "content": "", "name": "bob"}]


def test_agent_by_name_finds_members_and_reports_conflicts(team):
    chat = _chat(list(team))
    assert chat.agent_by_name("bob") is team[1]
    assert chat.agent_by_name("nobody") is None
    chat.agents.append(Member("alice"))  # a twin added after construction, bypassing the check
    with pytest.raises(AgentNameConflict):
        chat.agent_by_name("alice", raise_on_name_conflict=True)


def test_two_members_with_one_name_are_refused_naming_it(team):
    with pytest.raises(ValueError, match="several are named 'alice'"):
        _chat([*team, Member("alice")])


def test_mentions_count_whole_names_only(team):
    chat = _chat([Member("coder"), Member("coder_2"), Member("Senior_Coder")])
    assert chat._mentioned_agents("coder_2 should go, not the coder. coder!") == {"coder": 2, "coder_2": 1}
    assert chat._mentioned_agents("the encoder") == {}


def test_mentions_accept_underscores_written_as_spaces_or_escaped(team):
    chat = _chat([Member("coder"), Member("Senior_Coder")])
    assert chat._mentioned_agents("Senior Coder") == {"Senior_Coder": 1}
    assert chat._mentioned_agents(r"Senior\_Coder") == {"Senior_Coder": 1}


def test_select_speaker_msg_lists_roles_and_names(team):
    msg = _chat(team).select_speaker_msg(team[:2])
    assert "alice: alice does alice things" in msg
    assert "['alice', 'bob']" in msg
    assert "carol" not in msg


def test_introductions_list_every_member(team):
    intro = _chat(team).introductions_msg()
    assert intro.startswith(GroupChat.DEFAULT_INTRO_MSG)
    assert all(f"{m.name}: {m.description}" in intro for m in team)


# ---- round robin and random ---------------------------------------------------------------------------


def test_round_robin_goes_around_in_member_order(team):
    chat = _chat(team, speaker_selection_method="round_robin")
    order = []
    speaker = Member("user")  # starts the chat from outside the group
    for _ in range(5):
        speaker = chat.select_speaker(speaker, None)
        order.append(speaker.name)
    assert order == ["alice", "bob", "carol", "alice", "bob"]


def test_round_robin_skips_agents_the_graph_forbids(team):
    a, b, c = team
    chat = _chat(
        team,
        speaker_selection_method="round_robin",
        allowed_or_disallowed_speaker_transitions={a: [c], b: [a], c: [a, b]},
        speaker_transitions_type="allowed",
    )
    assert chat.select_speaker(a, None) is c


def test_random_never_repeats_the_last_speaker_when_repeats_are_off(team):
    chat = _chat(team, speaker_selection_method="random", allow_repeat_speaker=False)
    speaker = team[0]
    for _ in range(60):
        following = chat.select_speaker(speaker, None)
        assert following is not speaker
        speaker = following


def test_random_eventually_picks_every_eligible_member(team):
    chat = _chat(team, speaker_selection_method="random", allow_repeat_speaker=False)
    seen = {chat.select_speaker(team[0], None).name for _ in range(60)}
    assert seen == {"bob", "carol"}


def test_a_sink_in_the_graph_ends_the_chat_with_no_eligible_speaker(team):
    a, b, _c = team
    chat = _chat(
        team,
        speaker_selection_method="round_robin",
        allowed_or_disallowed_speaker_transitions={a: [b], b: []},
        speaker_transitions_type="allowed",
    )
    with pytest.raises(NoEligibleSpeaker):
        chat.select_speaker(b, None)


def test_selection_needs_two_members():
    chat = GroupChat(agents=[Member("solo")], speaker_selection_method="round_robin")
    with pytest.raises(ValueError, match="at least 2 agents"):
        chat.select_speaker(Member("user"), None)


# ---- manual ----------------------------------------------------------------------------------------


def test_manual_selection_reads_a_number_from_the_input_stream(team):
    io = RecordingIOStream(["3"])
    with IOStream.set_default(io):
        chosen = _chat(team, speaker_selection_method="manual").select_speaker(team[0], None)
    assert chosen is team[2]
    assert "1: alice" in io.printed


def test_manual_selection_re_prompts_after_bad_input(team):
    io = RecordingIOStream(["zebra", "9", "bob"])
    with IOStream.set_default(io):
        chosen = _chat(team, speaker_selection_method="manual").select_speaker(team[0], None)
    assert chosen is team[1]
    assert len(io.prompts) == 3
    assert sum("Invalid input" in line for line in io.printed) == 2
    assert any("between 1 and 3" in line for line in io.printed)


async def test_manual_selection_works_in_async_code(team):
    io = RecordingIOStream(["2"])
    with IOStream.set_default(io):
        chosen = await _chat(team, speaker_selection_method="manual").a_select_speaker(team[0], None)
    assert chosen is team[1]


def test_manual_selection_offers_only_eligible_members(team):
    io = RecordingIOStream(["1"])
    with IOStream.set_default(io):
        chosen = _chat(team, speaker_selection_method="manual", allow_repeat_speaker=False).select_speaker(
            team[0], None
        )
    assert chosen is team[1]  # alice just spoke, so the list is bob, carol
    assert "1: bob" in io.printed


# ---- callable ------------------------------------------------------------------------------------------


def test_callable_selection_may_return_an_agent(team):
    chat = _chat(team, speaker_selection_method=lambda last, gc: gc.agents[2])
    assert chat.select_speaker(team[0], None) is team[2]


def test_callable_selection_may_return_an_agent_name(team):
    chat = _chat(team, speaker_selection_method=lambda last, gc: "bob")
    assert chat.select_speaker(team[0], None) is team[1]


def test_callable_selection_may_return_a_method_name(team):
    chat = _chat(team, speaker_selection_method=lambda last, gc: "round_robin")
    assert chat.select_speaker(team[1], None) is team[2]


def test_callable_selection_returning_none_means_no_eligible_speaker(team):
    chat = _chat(team, speaker_selection_method=lambda last, gc: None)
    with pytest.raises(NoEligibleSpeaker):
        chat.select_speaker(team[0], None)


def test_callable_selection_returning_an_outsider_is_an_error(team):
    chat = _chat(team, speaker_selection_method=lambda last, gc: Member("outsider"))
    with pytest.raises(ValueError, match="'outsider'"):
        chat.select_speaker(team[0], None)


def test_callable_selection_returning_an_unknown_string_is_an_error(team):
    chat = _chat(team, speaker_selection_method=lambda last, gc: "nobody")
    with pytest.raises(ValueError, match="'nobody'"):
        chat.select_speaker(team[0], None)


async def test_async_callable_selection_is_awaited(team):
    async def choose(last, gc):
        return gc.agents[1]

    assert await _chat(team, speaker_selection_method=choose).a_select_speaker(team[0], None) is team[1]


# ---- tool routing ----------------------------------------------------------------------------------------


def test_a_tool_call_goes_to_the_agent_that_can_execute_it():
    team = [Member("planner"), Member("runner", ["add"]), Member("writer", ["mul"])]
    chat = _chat(team, speaker_selection_method="round_robin")
    chat.messages.append(
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "1", "type": "function", "function": {"name": "add", "arguments": "{}"}}],
        }
    )
    assert chat.select_speaker(team[1], None) is team[1]


def test_a_legacy_function_call_goes_to_the_agent_that_can_execute_it():
    team = [Member("planner"), Member("runner", ["add"]), Member("writer", ["mul"])]
    chat = _chat(team, speaker_selection_method="round_robin")
    chat.messages.append({"role": "assistant", "content": None, "function_call": {"name": "mul", "arguments": "{}"}})
    assert chat.select_speaker(team[0], None) is team[2]


def test_a_call_nobody_can_execute_is_an_error_naming_it(team):
    chat = _chat(team, speaker_selection_method="round_robin")
    chat.messages.append({"role": "assistant", "content": None, "function_call": {"name": "fly", "arguments": "{}"}})
    with pytest.raises(ValueError, match="fly"):
        chat.select_speaker(team[0], None)


def test_without_the_filter_tool_calls_follow_the_normal_order():
    team = [Member("planner"), Member("runner", ["add"]), Member("writer")]
    chat = _chat(team, speaker_selection_method="round_robin", func_call_filter=False)
    chat.messages.append({"role": "assistant", "content": None, "function_call": {"name": "add", "arguments": "{}"}})
    assert chat.select_speaker(team[1], None) is team[2]


def test_manual_selection_with_empty_input_lets_the_next_eligible_member_speak(team):
    io = RecordingIOStream([""])
    with IOStream.set_default(io):
        chosen = _chat(team, speaker_selection_method="manual", allow_repeat_speaker=False).select_speaker(
            team[2], None
        )
    assert chosen is team[0]


def test_manual_selection_gives_up_after_three_bad_answers(team):
    io = RecordingIOStream(["x", "y", "z", "never read"])
    with IOStream.set_default(io):
        chosen = _chat(team, speaker_selection_method="manual").select_speaker(team[0], None)
    assert chosen is team[1]
    assert list(io.inputs) == ["never read"]


def test_transitions_leave_allow_repeat_speaker_unset(team):
    a, b, c = team
    chat = _chat(
        team, allowed_or_disallowed_speaker_transitions={a: [b], b: [c], c: [a]}, speaker_transitions_type="Allowed"
    )
    assert chat.allow_repeat_speaker is None
    assert chat.speaker_transitions_type == "allowed"
    assert chat.allowed_speaker_transitions_dict == {a: [b], b: [c], c: [a]}


def test_allow_repeat_speaker_defaults_to_true_without_transitions(team):
    assert _chat(team).allow_repeat_speaker is True


def test_disallowed_transitions_naming_an_outsider_are_ignored_with_a_warning(team, caplog):
    a, b, c = team
    with caplog.at_level(logging.WARNING, logger="autogen.graph_utils"):
        chat = _chat(
            team,
            allowed_or_disallowed_speaker_transitions={a: [Member("stranger")]},
            speaker_transitions_type="disallowed",
        )
    assert "stranger" in caplog.text
    assert chat.allowed_speaker_transitions_dict[a] == [a, b, c]


def test_the_0_2_error_phrases_are_kept_for_empty_settings(team):
    with pytest.raises(ValueError, match="select_speaker_message_template cannot be empty or None"):
        _chat(team, select_speaker_message_template="")
    with pytest.raises(ValueError, match="select_speaker_auto_none_template cannot be empty or None"):
        _chat(team, select_speaker_auto_none_template=None)
    with pytest.raises(ValueError, match="select_speaker_auto_verbose cannot be None or non-bool"):
        _chat(team, select_speaker_auto_verbose=None)


def test_an_empty_prompt_template_means_no_prompt(team):
    assert _chat(team, select_speaker_prompt_template="").select_speaker_prompt_template is None


def test_a_graph_edge_to_an_agent_outside_the_group_is_ignored_with_a_warning(team, caplog):
    alice, bob = team[0], team[1]
    ghost = Member("ghost")
    with caplog.at_level(logging.WARNING, logger="autogen.graph_utils"):
        chat = GroupChat(
            list(team),
            messages=[],
            allowed_or_disallowed_speaker_transitions={alice: [bob, ghost], bob: [alice]},
            speaker_transitions_type="allowed",
        )
    assert "ghost" in caplog.text
    assert chat.allowed_speaker_transitions_dict[alice] == [bob]


@pytest.mark.parametrize("method", ["Round_Robin", "ROUND_ROBIN", "round_robin"])
def test_speaker_selection_method_is_case_insensitive(team, method):
    chat = GroupChat(list(team), messages=[], speaker_selection_method=method)
    assert chat.select_speaker(team[0], None) is team[1]
