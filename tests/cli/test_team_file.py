"""Team files for `autogen run`: what is accepted, and how each mistake is reported."""

from __future__ import annotations

import json

import pytest

from autogen.cli.team_file import TeamFileError, load_team_file

VALID = """
llm: {temperature: 0}
agents:
  - name: user
    type: user_proxy
    human_input_mode: NEVER
    code_execution: {timeout: 30}
  - name: coder
    system_message: You write Python.
group_chat: {max_round: 4, speaker_selection_method: round_robin}
task: {message: Print 1., initiator: user, max_turns: 2}
"""


def _write(tmp_path, text: str, name: str = "team.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_a_valid_yaml_team_is_read_into_agents_group_chat_and_task(tmp_path):
    team = load_team_file(_write(tmp_path, VALID))
    assert [(a.name, a.type) for a in team.agents] == [("user", "user_proxy"), ("coder", "assistant")]
    assert team.agents[0].use_llm is False and team.agents[1].use_llm is True
    assert team.agents[0].code_execution == {"timeout": 30}
    assert team.group_chat == {"max_round": 4, "speaker_selection_method": "round_robin"}
    assert (team.task.message, team.task.initiator, team.task.max_turns) == ("Print 1.", "user", 2)
    assert team.llm == {"temperature": 0}


def test_json_team_files_are_read_too(tmp_path):
    data = {"agents": [{"name": "a"}, {"name": "b"}], "task": "Hello"}
    team = load_team_file(_write(tmp_path, json.dumps(data), "team.json"))
    assert team.task.message == "Hello"
    assert team.task.initiator == "a"  # the first agent starts by default


def test_task_override_replaces_the_file_task(tmp_path):
    team = load_team_file(_write(tmp_path, VALID), task_override="Something else")
    assert team.task.message == "Something else"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("agents: [{name: a}, {name: b}]\n", "'task' is missing"),
        ("agents: []\ntask: hi\n", "'agents' must be a non-empty list"),
        ("agents: [{name: a}, {name: a}]\ntask: hi\n", "used twice"),
        ("agents: [{name: a}, {name: b, type: robot}]\ntask: hi\n", r"agents\[1\]\.type is 'robot'; valid types"),
        ("agents: [{name: a}, {name: b, colour: red}]\ntask: hi\n", r"agents\[1\]: unknown key 'colour'"),
        ("agents: [{name: a}, {name: b}, {name: c}]\ntask: hi\n", "exactly 2 agents"),
        ("agents: [{name: a}, {name: b}]\ntask: {message: hi, initiator: z}\n", "initiator 'z' is not an agent"),
        ("agents: [{name: a}, {name: b}]\ntask: {message: hi, max_turns: 0}\n", "max_turns"),
        ("agents: [{name: a, human_input_mode: SOMETIMES}, {name: b}]\ntask: hi\n", "human_input_mode"),
        ("agents: [{name: a, code_execution: {shell: zsh}}, {name: b}]\ntask: hi\n", "unknown key 'shell'"),
        ("agent: []\n", "unknown key 'agent'"),
        ("agents: [{name: a}\n", "not valid YAML at line"),
        ("- just\n- a list\n", "top level must be a mapping"),
    ],
)
def test_mistakes_are_reported_with_their_place_in_the_file(tmp_path, text, message):
    with pytest.raises(TeamFileError, match=message):
        load_team_file(_write(tmp_path, text))


def test_missing_file_is_reported_by_name(tmp_path):
    with pytest.raises(TeamFileError, match=r"absent\.yaml' does not exist"):
        load_team_file(str(tmp_path / "absent.yaml"))


def test_unsupported_extension_is_reported(tmp_path):
    with pytest.raises(TeamFileError, match=r"\.yaml, \.yml or \.json"):
        load_team_file(_write(tmp_path, "{}", "team.toml"))


def test_invalid_json_is_reported_with_its_line(tmp_path):
    with pytest.raises(TeamFileError, match=r"not valid JSON.*line 2"):
        load_team_file(_write(tmp_path, '{\n  "agents": [,]\n}', "team.json"))


def test_task_override_keeps_the_initiator_and_turn_limit(tmp_path):
    team = load_team_file(_write(tmp_path, VALID), task_override="Other")
    assert (team.task.message, team.task.initiator, team.task.max_turns) == ("Other", "user", 2)
