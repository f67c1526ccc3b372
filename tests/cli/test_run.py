"""`autogen run TEAM_FILE`: a team described in YAML or JSON runs its task."""

from __future__ import annotations

import json

TWO_AGENTS = """
agents:
  - name: user
    type: user_proxy
    human_input_mode: NEVER
  - name: poet
    system_message: You write short poems.
task:
  message: A poem about tea.
  max_turns: 1
"""

GROUP = """
agents:
  - name: user
    type: user_proxy
    human_input_mode: NEVER
    default_auto_reply: go on
  - name: writer
  - name: critic
group_chat:
  max_round: 3
  speaker_selection_method: round_robin
task: Write a slogan.
"""


def _write(tmp_path, text: str, name: str = "team.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_a_two_agent_team_runs_its_task_and_prints_the_summary(cli, server, tmp_path):
    server.script("Steam rises, leaves unfold.")
    result = cli("run", _write(tmp_path, TWO_AGENTS), config_list=server.config_list())
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.chat_requests[0]["messages"][0]["content"] == "You write short poems."
    assert server.chat_requests[0]["messages"][-1]["content"] == "A poem about tea."
    summary = result.stdout.split("summary", 1)[1]
    assert "Steam rises, leaves unfold." in summary


def test_a_group_chat_team_takes_turns_in_order(cli, server, tmp_path):
    server.script("Slogan: drink tea.", "Too plain.")
    result = cli("run", _write(tmp_path, GROUP), config_list=server.config_list())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.index("writer (to chat_manager)") < result.stdout.index("critic (to chat_manager)")
    assert server.pending == 0


def test_the_llm_section_can_carry_its_own_config_list(cli, server, tmp_path):
    server.script("A poem.")
    team = {
        "llm": {"config_list": server.config_list(), "temperature": 0.5},
        "agents": [{"name": "user", "type": "user_proxy", "human_input_mode": "NEVER"}, {"name": "poet"}],
        "task": {"message": "Go.", "max_turns": 1},
    }
    result = cli("run", _write(tmp_path, json.dumps(team), "team.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.chat_requests[0]["temperature"] == 0.5


def test_task_option_replaces_the_file_task(cli, server, tmp_path):
    server.script("Ok.")
    result = cli("run", _write(tmp_path, TWO_AGENTS), "--task", "Something else.", config_list=server.config_list())
    assert result.returncode == 0, result.stderr
    assert server.chat_requests[0]["messages"][-1]["content"] == "Something else."


def test_an_invalid_team_file_is_explained_without_a_traceback(cli, server, tmp_path):
    bad = TWO_AGENTS.replace("type: user_proxy", "type: human")
    result = cli("run", _write(tmp_path, bad), config_list=server.config_list())
    assert result.returncode == 2
    assert "agents[0].type is 'human'" in result.stderr
    assert "Traceback" not in result.stderr
    assert server.chat_requests == []


def test_an_unknown_group_chat_setting_names_the_valid_ones(cli, server, tmp_path):
    bad = GROUP.replace("max_round: 3", "max_rounds: 3")
    result = cli("run", _write(tmp_path, bad), config_list=server.config_list())
    assert result.returncode == 2
    assert "unknown setting 'max_rounds'" in result.stderr
    assert "max_round" in result.stderr
