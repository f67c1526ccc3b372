"""autogen.teams: a team file (autogen run's format, Studio's export) built and run from Python."""

from __future__ import annotations

import textwrap

import pytest

from autogen.teams import Team, TeamFileError

TWO_AGENTS = """
agents:
  - name: user
    type: user_proxy
    human_input_mode: NEVER
    code_execution: true
  - name: coder
    system_message: You write Python.
task: {message: Print 6*7., initiator: user, max_turns: 2}
"""

GROUP = """
llm: {temperature: 0}
agents:
  - {name: user, type: user_proxy, human_input_mode: NEVER, use_llm: false}
  - {name: planner, system_message: You plan.}
  - {name: critic, system_message: You criticise.}
group_chat: {max_round: 3, speaker_selection_method: round_robin}
task: {message: Plan a picnic., initiator: user}
"""


def _write(tmp_path, text: str):
    path = tmp_path / "team.yaml"
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_a_two_agent_team_runs_its_task_and_its_code(server, tmp_path):
    server.script("```python\nprint(6 * 7)\n```", "It printed 42. TERMINATE")
    result = Team.from_file(_write(tmp_path, TWO_AGENTS)).run(config_list=server.config_list(), silent=True)
    contents = [m["content"] for m in result.chat_history]
    assert contents[0] == "Print 6*7."
    assert "42" in contents[2]  # the user proxy really ran the block
    assert result.summary.strip() == "It printed 42."  # 0.2 drops the TERMINATE marker from the summary
    assert result.cost["usage_including_cached_inference"]["total_cost"] >= 0
    assert server.chat_requests[0]["messages"][0]["content"] == "You write Python."


def test_a_group_team_runs_through_a_manager_with_the_file_settings(server, tmp_path):
    server.default_reply = "noted"
    team = Team.from_file(_write(tmp_path, GROUP), task="Plan a party.")
    result = team.run(config_list=server.config_list(), silent=True)
    assert [m.get("name") for m in result.chat_history] == ["user", "planner", "critic"]
    assert result.chat_history[0]["content"] == "Plan a party."
    assert all(body["temperature"] == 0 for body in server.chat_requests)


def test_a_team_without_a_model_says_how_to_give_one(tmp_path):
    with pytest.raises(TeamFileError, match=r"config_list=.*autogen run"):
        Team.from_file(_write(tmp_path, TWO_AGENTS)).run()
