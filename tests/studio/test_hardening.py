"""Studio hardening: other web pages cannot drive or frame it, oversized bodies, work folders, private database."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from autogen.testing import OpenAITestServer

from .conftest import make

EVIL = {"Origin": "http://evil.example"}


def test_a_cross_site_page_cannot_post_or_watch(
    client: TestClient, server: OpenAITestServer, model: dict[str, Any]
) -> None:
    # a plain HTML form needs no CORS preflight: body-less POSTs must still be refused
    calls = len(server.chat_requests)
    forged = client.post(f"/api/models/{model['id']}/test", headers=EVIL)
    assert forged.status_code == 403 and "http://evil.example" in forged.json()["detail"]
    assert len(server.chat_requests) == calls  # no model call was made for the other site
    assert client.post("/api/gallery/anything/import", headers={"Origin": "null"}).status_code == 403
    assert client.get("/api/models", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    # a websocket is not bound by the same-origin policy: the Origin header is the only tell
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect("/api/sessions/1/ws", headers=EVIL) as ws,
    ):
        ws.receive_json()
    assert closed.value.code == 4403
    # the Studio's own page (same origin) and non-browser clients (no Origin) still work
    server.script("pong")
    same = client.post(f"/api/models/{model['id']}/test", headers={"Origin": "http://testserver"})
    assert same.status_code == 200 and same.json()["ok"] is True
    assert client.get("/api/models", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
    assert make(client, "skills", name="f", content="def f() -> int:\n    return 1\n")["name"] == "f"


def test_an_oversized_body_is_refused_before_it_is_read(client: TestClient) -> None:
    from autogen.studio.limits import MAX_BODY_BYTES

    huge = "x" * (MAX_BODY_BYTES + 1)
    declared = client.post("/api/skills", json={"name": "f", "content": f"def f() -> int:\n    return 1\n#{huge}"})
    assert declared.status_code == 413 and f"{MAX_BODY_BYTES} bytes" in declared.json()["detail"]
    assert client.get("/api/skills").json() == []

    def chunks() -> Any:  # no Content-Length: the limit holds while the body streams in
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536

    streamed = client.post("/api/skills/validate", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert client.post("/api/skills/validate", json={"name": "f", "content": "def f():\n    pass\n"}).status_code == 200


@pytest.mark.parametrize("name", ["..", "."])
def test_an_agent_name_cannot_move_its_work_folder(client: TestClient, tmp_path, name: str) -> None:
    """The agent's name is its code-execution folder under the app dir: '..' would make sandboxed code's writable
    folder the app dir itself, where the database with every API key lies."""
    created = client.post("/api/agents", json={"name": name, "type": "assistant", "code_execution": "sandbox"})
    assert created.status_code == 422 and repr(name) in created.json()["detail"]
    team = {"agents": [{"name": "u", "type": "user_proxy"}, {"name": name}], "task": {"message": "Hi"}}
    imported = client.post("/api/workflows/import", json={"content": json.dumps(team)})
    assert imported.status_code == 422 and repr(name) in imported.json()["detail"]
    assert client.get("/api/agents").json() == []

    from autogen.studio.tables import AgentRow
    from autogen.studio.team import TeamBuildError, code_config

    row = AgentRow(name=name, type="assistant", code_execution="sandbox", timeout=5)
    with pytest.raises(TeamBuildError, match="cannot be a folder name"):
        code_config(row, tmp_path / "work")


def test_the_database_with_the_keys_is_private_to_its_user(tmp_path) -> None:
    import os
    import stat

    from autogen.studio import create_app

    appdir = tmp_path / "studio"
    with TestClient(create_app(appdir)) as own:
        make(own, "models", name="m", model="gpt-4o", api_key="sk-private-0123456789")
    files = [appdir / name for name in os.listdir(appdir) if name.startswith("studio.db")]
    assert appdir / "studio.db" in files
    for path in [appdir, *files]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is open to other users"


def test_the_page_cannot_be_framed_by_another_site(client: TestClient) -> None:
    """Clickjacking: a loopback Studio in an invisible frame would take the user's clicks (same-origin inside)."""
    for path in ("/", "/index.html", "/api/version"):
        response = client.get(path)
        assert response.headers.get("x-frame-options") == "DENY", path
        assert response.headers.get("x-content-type-options") == "nosniff", path
    policy = client.get("/").headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
