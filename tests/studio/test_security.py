"""Access token when listening beyond loopback; API keys never reach the browser."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from autogen.studio import create_app
from autogen.studio.auth import needs_token
from autogen.studio.server import studio_url
from autogen.testing import OpenAITestServer

from .conftest import KEY, events_until_done, make, new_session


def test_a_token_guards_the_api_and_the_websocket(tmp_path) -> None:
    token = "s3cret-token-for-tests"
    with TestClient(create_app(tmp_path / "studio", token=token)) as client:
        refused = client.get("/api/models")
        assert refused.status_code == 401 and "access token" in refused.json()["detail"]
        assert client.get("/api/models", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/api/docs").status_code == 401
        assert client.get("/api/models", headers={"Authorization": f"Bearer {token}"}).json() == []
        # the page is public (no data in it); opening it with ?token= sets the cookie the UI then relies on
        assert client.get("/").status_code == 200 and "studio_token" not in client.cookies
        client.get(f"/?token={token}")
        assert client.cookies.get("studio_token") == token
        model = make(client, "models", name="m", model="gpt-4o-mini")
        client.cookies.clear()
        assert client.get(f"/api/models/{model['id']}").status_code == 401
        workflow_free = client.get("/api/version", headers={"Authorization": f"Bearer {token}"})
        assert workflow_free.status_code == 200
        with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect("/api/sessions/1/ws") as ws:
            ws.receive_json()
        assert closed.value.code == 4401
        with (
            pytest.raises(WebSocketDisconnect) as unknown,
            client.websocket_connect(f"/api/sessions/1/ws?token={token}") as ws,
        ):
            ws.receive_json()
        assert unknown.value.code == 4404  # past the token check: the session does not exist


def test_loopback_needs_no_token_any_other_address_does() -> None:
    assert not needs_token("127.0.0.1") and not needs_token("localhost") and not needs_token("::1")
    assert needs_token("0.0.0.0") and needs_token("192.168.1.20") and needs_token("::")
    assert studio_url("127.0.0.1", 8081, None) == "http://127.0.0.1:8081/"
    assert studio_url("10.0.0.5", 9000, "abc") == "http://10.0.0.5:9000/?token=abc"


def test_the_full_key_never_leaves_the_server(
    client: TestClient, server: OpenAITestServer, model: dict[str, Any], tmp_path
) -> None:
    texts: list[str] = []

    def seen(response: Any) -> Any:
        texts.append(response.text)
        return response

    seen(client.get("/api/models"))
    seen(client.get(f"/api/models/{model['id']}"))
    seen(client.put(f"/api/models/{model['id']}", json={**model, "description": "same key"}))
    server.script("pong")
    seen(client.post(f"/api/models/{model['id']}/test"))
    coder = make(client, "agents", name="coder", type="assistant", model_id=model["id"])
    user = make(client, "agents", name="user", type="userproxy")
    workflow = make(client, "workflows", name="w", kind="twoagent", initiator_id=user["id"], receiver_id=coder["id"])
    session = new_session(client, workflow)
    # the model even repeats the key: what is stored and streamed is masked
    server.script(f"The key you gave me is {KEY}. TERMINATE")
    with client.websocket_connect(f"/api/sessions/{session['id']}/ws") as ws:
        ws.receive_json()
        client.post(f"/api/sessions/{session['id']}/run", json={"task": "hi"})
        events = events_until_done(ws)
    texts.extend(str(event) for event in events)
    seen(client.get(f"/api/sessions/{session['id']}/messages"))
    exported = seen(client.get(f"/api/workflows/{workflow['id']}/export"))
    assert "gpt-4o-mini" in exported.text
    # a failing call's error does not carry the key either
    broken = make(client, "models", name="b", model="gpt-4o", api_key=KEY, base_url="http://127.0.0.1:9/v1")
    seen(client.post(f"/api/models/{broken['id']}/test"))
    assert '"ok":true' in texts[3]  # the test server checks the key: the stored key was used
    assert texts and not any(KEY in text for text in texts)
    assert any("sk-…cdef" in text for text in texts)


def test_other_web_pages_cannot_post_forms_to_it(client: TestClient) -> None:
    """A cross-site form can send text/plain without a CORS preflight: the API refuses anything but JSON."""
    body = '{"name": "f", "content": "def f() -> int:\\n    return 1\\n"}'
    as_form = client.post("/api/skills", content=body, headers={"content-type": "text/plain"})
    assert as_form.status_code == 422 and client.get("/api/skills").json() == []
    assert "access-control-allow-origin" not in as_form.headers
    as_json = client.post("/api/skills", content=body, headers={"content-type": "application/json"})
    assert as_json.status_code == 201
    broken = client.post("/api/skills", content="{nope", headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["detail"].startswith(
        "the body is not valid JSON (at character 1"
    )
