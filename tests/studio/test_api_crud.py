"""CRUD of models, skills, agents and workflows through the JSON API: validation, masking, 404/409/422."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from autogen.testing import OpenAITestServer

from .conftest import KEY, make


def test_version_docs_and_index(client: TestClient) -> None:
    from autogen.version import __version__

    assert client.get("/api/version").json() == {"version": __version__}
    assert "/api/models" in client.get("/api/openapi.json").json()["paths"]
    assert client.get("/api/docs").status_code == 200
    index = client.get("/")
    assert index.status_code == 200 and "text/html" in index.headers["content-type"]
    from autogen.studio.app import WEB_DIR

    if (WEB_DIR / "index.html").is_file():  # the UI's files, served from the package
        assert index.text == (WEB_DIR / "index.html").read_text(encoding="utf-8")
        script = client.get("/app.js")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert client.get("/no-such-file.js").status_code == 404


def test_without_ui_files_the_page_points_to_the_api_docs(tmp_path, monkeypatch) -> None:
    import autogen.studio.app as studio_app
    from autogen.studio import create_app

    monkeypatch.setattr(studio_app, "WEB_DIR", tmp_path / "no-web")
    with TestClient(create_app(tmp_path / "studio")) as bare:
        page = bare.get("/")
        assert page.status_code == 200 and "/api/docs" in page.text
        assert bare.get("/app.js").status_code == 404


def test_model_crud_masks_the_key_and_keeps_it_on_put(client: TestClient, server: OpenAITestServer) -> None:
    created = make(
        client, "models", name="gpt", model="gpt-4o-mini", api_key=KEY, base_url=server.config_list()[0]["base_url"]
    )
    assert created["api_key"] == "sk-…cdef" and created["has_api_key"] is True
    assert created["api_type"] == "openai" and created["created_at"].endswith("+00:00")
    model_id = created["id"]
    # PUT with the masked value (what the browser holds) keeps the key: the model still answers
    body = {**created, "description": "renamed", "api_key": created["api_key"]}
    updated = client.put(f"/api/models/{model_id}", json=body).json()
    assert updated["description"] == "renamed" and updated["has_api_key"] is True
    server.script("pong")
    assert client.post(f"/api/models/{model_id}/test").json() == {
        "ok": True,
        "message": "gpt-4o-mini answered",
        "reply": "pong",
    }
    # "" clears the key; the test call then fails with a message that names the model
    cleared = client.put(f"/api/models/{model_id}", json={**body, "api_key": ""}).json()
    assert cleared["api_key"] is None and cleared["has_api_key"] is False
    # a new key replaces it
    replaced = client.put(f"/api/models/{model_id}", json={**body, "api_key": "sk-other-key-000000009999"}).json()
    assert replaced["api_key"] == "sk-…9999"
    assert [m["id"] for m in client.get("/api/models").json()] == [model_id]
    assert client.delete(f"/api/models/{model_id}").status_code == 204
    missing = client.get(f"/api/models/{model_id}")
    assert missing.status_code == 404 and f"no model with id {model_id}" in missing.json()["detail"]


def test_model_test_reports_a_failing_endpoint_without_the_key(client: TestClient) -> None:
    secret = "sk-live-abcdefghijklmnopqrstuvwxyz123456"
    model = make(client, "models", name="down", model="gpt-4o", api_key=secret, base_url="http://127.0.0.1:9/v1")
    answer = client.post(f"/api/models/{model['id']}/test").json()
    assert answer["ok"] is False and answer["reply"] is None
    assert "gpt-4o did not answer" in answer["message"] and secret not in answer["message"]


def test_model_validation_names_the_field(client: TestClient) -> None:
    bad_type = client.post("/api/models", json={"name": "x", "model": "m", "api_type": "opneai"})
    assert bad_type.status_code == 422
    assert bad_type.json()["detail"].startswith("api_type: api_type 'opneai' is not supported; use one of: openai")
    bad_url = client.post("/api/models", json={"name": "x", "model": "m", "base_url": "localhost:8000"})
    assert bad_url.status_code == 422 and "base_url must start with http://" in bad_url.json()["detail"]
    no_name = client.post("/api/models", json={"model": "m"})
    assert no_name.status_code == 422 and no_name.json()["detail"].startswith("name:")


GOOD_SKILL = '''def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b
'''


def test_skills_validate_with_line_numbers_and_highlight(client: TestClient) -> None:
    ok = client.post("/api/skills/validate", json={"name": "add", "content": GOOD_SKILL}).json()
    assert ok == {"ok": True, "errors": []}
    syntax = client.post("/api/skills/validate", json={"name": "add", "content": "x = 1\ndef add(a, b:\n"}).json()
    assert syntax["ok"] is False and syntax["errors"][0]["line"] == 2
    assert syntax["errors"][0]["message"].startswith("syntax error")
    absent = client.post("/api/skills/validate", json={"name": "mul", "content": GOOD_SKILL}).json()
    assert "no top-level function called 'mul'" in absent["errors"][0]["message"]
    untyped = client.post("/api/skills/validate", json={"name": "f", "content": "\n\ndef f(x):\n    return x\n"}).json()
    assert untyped["errors"][0]["line"] == 3 and "annotated" in untyped["errors"][0]["message"]
    failing = client.post("/api/skills/validate", json={"name": "f", "content": "def f() -> int:\n    return 1\n1/0\n"})
    assert failing.json()["errors"][0] == {
        "line": 3,
        "message": "running the code failed: ZeroDivisionError: division by zero",
    }

    rejected = client.post("/api/skills", json={"name": "f", "content": "\n\ndef f(x):\n    return x\n"})
    assert rejected.status_code == 422 and rejected.json()["detail"].startswith("content: line 3:")
    skill = make(client, "skills", name="add", description="adds", content=GOOD_SKILL)
    assert client.get(f"/api/skills/{skill['id']}").json()["content"] == GOOD_SKILL
    bad_put = client.put(f"/api/skills/{skill['id']}", json={"name": "add", "content": "def add(:\n"})
    assert bad_put.status_code == 422 and "line 1" in bad_put.json()["detail"]
    assert client.get(f"/api/skills/{skill['id']}").json()["content"] == GOOD_SKILL  # unchanged

    colored = client.post("/api/highlight", json={"code": "def f():\n    return 1\n", "language": "python"}).json()
    assert '<span class="k">def</span>' in colored["html"] and ".highlight" in colored["css"]
    unknown = client.post("/api/highlight", json={"code": "x", "language": "klingon"})
    assert unknown.status_code == 422 and "klingon" in unknown.json()["detail"]


def test_agents_and_workflows_check_references_and_conflicts(client: TestClient, model: dict[str, Any]) -> None:
    skill = make(client, "skills", name="add", content=GOOD_SKILL)
    missing_model = client.post("/api/agents", json={"name": "a", "type": "assistant", "model_id": 999})
    assert missing_model.status_code == 422 and missing_model.json()["detail"].startswith("model_id: there is no model")
    bad_name = client.post("/api/agents", json={"name": "my agent", "type": "assistant"})
    assert bad_name.status_code == 422 and "no spaces" in bad_name.json()["detail"]
    bad_mode = client.post("/api/agents", json={"name": "a", "type": "assistant", "human_input_mode": "SOMETIMES"})
    assert bad_mode.status_code == 422 and bad_mode.json()["detail"].startswith("human_input_mode:")

    coder = make(client, "agents", name="coder", type="assistant", model_id=model["id"], skill_ids=[skill["id"]])
    assert coder["skill_ids"] == [skill["id"]] and coder["code_execution"] == "none" and coder["timeout"] == 60
    user = make(client, "agents", name="user", type="userproxy", human_input_mode="ALWAYS")
    critic = make(client, "agents", name="critic", type="assistant", model_id=model["id"])
    manager = make(client, "agents", name="manager", type="groupchat", model_id=model["id"])

    same = client.post(
        "/api/workflows", json={"name": "w", "kind": "twoagent", "initiator_id": user["id"], "receiver_id": user["id"]}
    )
    assert same.status_code == 422 and same.json()["detail"].startswith("receiver_id:")
    not_manager = client.post(
        "/api/workflows",
        json={
            "name": "g",
            "kind": "groupchat",
            "initiator_id": user["id"],
            "manager_id": coder["id"],
            "member_ids": [coder["id"]],
        },
    )
    assert not_manager.status_code == 422 and "pick a 'groupchat' agent" in not_manager.json()["detail"]

    pair = make(client, "workflows", name="pair", kind="twoagent", initiator_id=user["id"], receiver_id=coder["id"])
    assert pair["manager_id"] is None and pair["member_ids"] == [] and pair["speaker_selection"] == "auto"
    group = make(
        client,
        "workflows",
        name="group",
        kind="groupchat",
        initiator_id=user["id"],
        manager_id=manager["id"],
        member_ids=[coder["id"], critic["id"]],
        speaker_selection="round_robin",
        max_rounds=5,
    )
    assert group["receiver_id"] is None and group["member_ids"] == [coder["id"], critic["id"]]
    edited = client.put(f"/api/workflows/{group['id']}", json={**group, "max_rounds": 7}).json()
    assert edited["max_rounds"] == 7

    in_use = client.delete(f"/api/models/{model['id']}")
    assert in_use.status_code == 409 and "coder" in in_use.json()["detail"]
    skill_in_use = client.delete(f"/api/skills/{skill['id']}")
    assert skill_in_use.status_code == 409 and "coder" in skill_in_use.json()["detail"]
    agent_in_use = client.delete(f"/api/agents/{critic['id']}")
    assert agent_in_use.status_code == 409 and "group" in agent_in_use.json()["detail"]

    assert client.delete(f"/api/workflows/{group['id']}").status_code == 204
    assert client.delete(f"/api/agents/{critic['id']}").status_code == 204
    assert [w["name"] for w in client.get("/api/workflows").json()] == ["pair"]


def test_gallery_lists_three_and_imports_with_the_local_model(client: TestClient) -> None:
    items = client.get("/api/gallery").json()
    assert len(items) == 3 and all(item["name"] and item["description"] and item["task"] for item in items)
    workflow = client.post(f"/api/gallery/{items[2]['id']}/import")
    assert workflow.status_code == 201
    created = workflow.json()
    agents = {a["id"]: a for a in client.get("/api/agents").json()}
    models = client.get("/api/models").json()
    assert [m["api_type"] for m in models] == ["local"]
    assistant = agents[created["receiver_id"]]
    assert assistant["model_id"] == models[0]["id"] and len(assistant["skill_ids"]) == 1
    # importing twice reuses the local model and the skill
    client.post(f"/api/gallery/{items[2]['id']}/import")
    assert len(client.get("/api/models").json()) == 1 and len(client.get("/api/skills").json()) == 1
    unknown = client.post("/api/gallery/nope/import")
    assert unknown.status_code == 404 and "python-coder" in unknown.json()["detail"]
