"""Workflows exported as `autogen run` team files (and run by it), and team files imported as workflows."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from autogen.cli.team_file import load_team_file
from autogen.testing import OpenAITestServer

from ..cli._run import run_cli
from .conftest import KEY, make, new_session, wait_for_status


@pytest.mark.slow
def test_an_exported_workflow_loads_and_runs_with_autogen_run(
    client: TestClient, server: OpenAITestServer, model: dict[str, Any], tmp_path
) -> None:
    coder = make(client, "agents", name="coder", type="assistant", model_id=model["id"], system_message="You code.")
    user = make(client, "agents", name="user", type="userproxy", code_execution="local", timeout=30)
    workflow = make(
        client,
        "workflows",
        name="My pair!",
        kind="twoagent",
        initiator_id=user["id"],
        receiver_id=coder["id"],
        max_rounds=2,
    )
    session = new_session(client, workflow)
    server.script("Done. TERMINATE")
    client.post(f"/api/sessions/{session['id']}/run", json={"task": "Print hello."})
    wait_for_status(client, session["id"], "finished")

    response = client.get(f"/api/workflows/{workflow['id']}/export")
    assert response.headers["content-type"].startswith("application/x-yaml")
    assert response.headers["content-disposition"] == 'attachment; filename="my-pair.yaml"'
    assert KEY not in response.text and "api_key" not in response.text
    path = tmp_path / "my-pair.yaml"
    path.write_text(response.text)
    team = load_team_file(str(path))
    assert [(a.name, a.type) for a in team.agents] == [("user", "user_proxy"), ("coder", "assistant")]
    assert team.agents[1].options["system_message"] == "You code." and team.agents[0].use_llm is False
    assert team.agents[0].code_execution == {"timeout": 30, "use_docker": False}
    assert (team.task.message, team.task.initiator, team.task.max_turns) == ("Print hello.", "user", 2)
    assert team.llm["config_list"] == [{"model": model["model"], "base_url": model["base_url"]}]

    # autogen run takes it as it is; the key comes from the environment, never from the file
    server.script("```python\nprint('hello from the team file')\n```", "Printed. TERMINATE")
    result = run_cli("run", str(path), OPENAI_API_KEY=KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "hello from the team file" in result.stdout
    assert server.chat_requests[-2]["messages"][0]["content"] == "You code."


def test_a_group_chat_exports_and_imports_back(client: TestClient, model: dict[str, Any]) -> None:
    user = make(client, "agents", name="user", type="userproxy", human_input_mode="TERMINATE")
    writer = make(client, "agents", name="writer", type="assistant", model_id=model["id"])
    critic = make(client, "agents", name="critic", type="assistant", model_id=model["id"], max_consecutive_auto_reply=2)
    manager = make(client, "agents", name="manager", type="groupchat", model_id=model["id"])
    workflow = make(
        client,
        "workflows",
        name="group",
        description="Write a slogan.",
        kind="groupchat",
        initiator_id=user["id"],
        manager_id=manager["id"],
        member_ids=[writer["id"], critic["id"]],
        speaker_selection="round_robin",
        max_rounds=6,
    )
    text = client.get(f"/api/workflows/{workflow['id']}/export").text
    data = yaml.safe_load(text)
    assert data["group_chat"] == {"max_round": 6, "speaker_selection_method": "round_robin"}
    assert data["task"]["message"] == "Write a slogan."
    imported = client.post("/api/workflows/import", json={"content": text, "name": "again"})
    assert imported.status_code == 201
    again = imported.json()
    assert (again["name"], again["kind"], again["speaker_selection"], again["max_rounds"]) == (
        "again",
        "groupchat",
        "round_robin",
        6,
    )
    agents = {a["id"]: a for a in client.get("/api/agents").json()}
    members = [agents[i] for i in again["member_ids"]]
    assert [(m["name"], m["type"]) for m in members] == [
        ("user", "userproxy"),
        ("writer", "assistant"),
        ("critic", "assistant"),
    ]
    assert members[0]["human_input_mode"] == "TERMINATE" and members[2]["max_consecutive_auto_reply"] == 2
    assert agents[again["manager_id"]]["type"] == "groupchat" and again["initiator_id"] == members[0]["id"]
    # the same model (no key in the file): the imported agents reuse the existing model row
    assert members[1]["model_id"] == model["id"] and len(client.get("/api/models").json()) == 1


def test_importing_json_and_bad_files(client: TestClient) -> None:
    team = {
        "llm": {"config_list": [{"model": "gpt-4o", "api_key": "sk-imported-key-123456789"}]},
        "agents": [{"name": "u", "type": "user_proxy"}, {"name": "a"}],
        "task": {"message": "Hi", "max_turns": 3},
    }
    created = client.post("/api/workflows/import", json={"content": json.dumps(team)}).json()
    assert created["kind"] == "twoagent" and created["max_rounds"] == 3 and created["name"] == "Imported team"
    model = client.get("/api/models").json()[0]
    assert model["model"] == "gpt-4o" and model["api_key"] == "sk-…6789"  # stored, shown masked
    user = client.get(f"/api/agents/{created['initiator_id']}").json()
    assert user["human_input_mode"] == "ALWAYS" and user["model_id"] is None  # user_proxy's defaults, as in 0.2

    wrong_type = client.post(
        "/api/workflows/import", json={"content": "agents:\n  - name: a\n    type: robot\ntask: x\n"}
    )
    assert wrong_type.status_code == 422
    assert wrong_type.json()["detail"] == (
        "content: agents[0].type is 'robot'; valid types: assistant, user_proxy, conversable"
    )
    not_yaml = client.post("/api/workflows/import", json={"content": "agents: [\n"})
    assert not_yaml.status_code == 422 and "not valid YAML at line" in not_yaml.json()["detail"]
