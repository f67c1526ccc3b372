"""Fixtures of the Studio API tests: an app on a fresh app dir, a model pointing at the test server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, Callable

import pytest
from fastapi.testclient import TestClient

from autogen.studio import create_app
from autogen.testing import OpenAITestServer

KEY = "sk-test-0123456789abcdef0123456789abcdef"


@pytest.fixture
def client(tmp_path) -> Iterator[TestClient]:
    """A client of a Studio app on its own app dir (lifespan running: sessions can run)."""
    app = create_app(tmp_path / "studio", input_timeout=5)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def model(client: TestClient, server: OpenAITestServer) -> dict[str, Any]:
    """A model pointing at the scripted test server (with the test server's key)."""
    entry = server.config_list()[0]
    body = {"name": "test model", "model": entry["model"], "base_url": entry["base_url"], "api_key": entry["api_key"]}
    response = client.post("/api/models", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def make(client: TestClient, what: str, **body: Any) -> dict[str, Any]:
    """POST a new ``what`` (models, skills, agents, ...) and return it."""
    response = client.post(f"/api/{what}", json=body)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def two_agent_workflow(client: TestClient, model: dict[str, Any]) -> Callable[..., dict[str, Any]]:
    """``two_agent_workflow(**user_proxy_fields)``: a user proxy (code runs locally) and an assistant on the model."""

    def build(**user_fields: Any) -> dict[str, Any]:
        assistant = make(client, "agents", name="coder", type="assistant", model_id=model["id"])
        fields = {"name": "user", "type": "userproxy", "code_execution": "local", "timeout": 20, **user_fields}
        user = make(client, "agents", **fields)
        return make(
            client,
            "workflows",
            name="pair",
            kind="twoagent",
            initiator_id=user["id"],
            receiver_id=assistant["id"],
            max_rounds=4,
        )

    return build


def new_session(client: TestClient, workflow: dict[str, Any]) -> dict[str, Any]:
    """A new session of ``workflow``."""
    return make(client, "sessions", workflow_id=workflow["id"])


def events_until_done(ws: Any, on_event: Callable[[dict[str, Any]], None] = lambda e: None) -> list[dict[str, Any]]:
    """Read websocket events until the "done" event (included)."""
    events = []
    while True:
        event = ws.receive_json()
        events.append(event)
        on_event(event)
        if event["type"] == "done":
            return events


def next_event(ws: Any, kind: str) -> dict[str, Any]:
    """Read websocket events until one of type ``kind``; returns it."""
    while True:
        event = ws.receive_json()
        if event["type"] == kind:
            return event


def wait_for_status(client: TestClient, session_id: int, *statuses: str, timeout: float = 30) -> dict[str, Any]:
    """Poll the session until its status is one of ``statuses``."""
    deadline = time.monotonic() + timeout
    while True:
        session = client.get(f"/api/sessions/{session_id}").json()
        if session["status"] in statuses:
            return session
        assert time.monotonic() < deadline, f"session stayed {session['status']!r}"
        time.sleep(0.05)
