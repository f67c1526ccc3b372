"""The gallery's first workflow runs end to end on the embedded local model, with no configuration."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .conftest import events_until_done, make

pytestmark = [pytest.mark.slow, pytest.mark.local_model, pytest.mark.timeout(600)]


def test_the_first_gallery_workflow_runs_on_the_local_model(client: TestClient) -> None:
    first = client.get("/api/gallery").json()[0]
    workflow = client.post(f"/api/gallery/{first['id']}/import").json()
    model = client.get("/api/models").json()[0]
    assert model["api_type"] == "local" and model["has_api_key"] is False
    tested = client.post(f"/api/models/{model['id']}/test").json()
    assert tested["ok"] is True and tested["reply"], tested
    session = make(client, "sessions", workflow_id=workflow["id"])
    with client.websocket_connect(f"/api/sessions/{session['id']}/ws") as ws:
        ws.receive_json()
        client.post(f"/api/sessions/{session['id']}/run", json={"task": first["task"]})
        events = events_until_done(ws)
    done = events[-1]["session"]
    assert done["status"] == "finished", done
    messages = client.get(f"/api/sessions/{session['id']}/messages").json()
    senders = [m["sender"] for m in messages]
    assert senders[:2] == ["user_proxy", "coder"] and messages[0]["content"] == first["task"]
    coder_replies = [m for m in messages if m["sender"] == "coder"]
    assert all(m["content"] and m["completion_tokens"] > 0 for m in coder_replies)
    assert done["completion_tokens"] == sum(m["completion_tokens"] for m in messages) > 0
    assert done["cost"] == 0  # the local model is free
