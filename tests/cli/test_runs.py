"""`autogen run --checkpoint/--run-id` and `autogen runs list|show|resume`."""

from __future__ import annotations

from autogen.testing.openai_server import Fail

TEAM = """
agents:
  - name: user
    type: user_proxy
    human_input_mode: NEVER
    default_auto_reply: go on
    max_consecutive_auto_reply: 2
  - name: poet
    system_message: You write short poems.
task:
  message: A poem about tea.
"""


def _team(tmp_path) -> str:
    path = tmp_path / "team.yaml"
    path.write_text(TEAM)
    return str(path)


def test_a_recorded_run_is_listed_shown_and_resumed_without_repeating_calls(cli, server, tmp_path):
    store = str(tmp_path / "runs.db")
    config = server.config_list(max_retries=0)
    server.script("Leaves unfold.", Fail(500, "the model went away"))
    failed = cli("run", _team(tmp_path), "--checkpoint", store, "--run-id", "tea", config_list=config)
    assert failed.returncode != 0
    assert len(server.chat_requests) == 2

    listed = cli("runs", "list", "--store", store)
    assert listed.returncode == 0, listed.stderr
    assert "tea" in listed.stdout and "failed" in listed.stdout

    shown = cli("runs", "show", "tea", "--store", store)
    assert "Leaves unfold." in shown.stdout and "the model went away" in shown.stdout

    server.script("Steam rises.", "Cup is empty.")
    resumed = cli("runs", "resume", "tea", "--store", store, config_list=config)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    asked = [r["messages"][-1]["content"] for r in server.chat_requests]
    assert asked == ["A poem about tea.", "go on", "go on", "go on"]  # the first answer was replayed, not asked
    assert "finished" in cli("runs", "list", "--store", store).stdout


def test_resume_of_an_unknown_run_says_how_to_find_runs(cli, tmp_path):
    result = cli("runs", "resume", "nope", "--store", str(tmp_path / "runs.db"))
    assert result.returncode != 0
    assert "no run 'nope'" in result.stderr + result.stdout and "autogen runs list" in result.stderr + result.stdout
