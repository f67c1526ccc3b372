"""Other web pages cannot drive a loopback Studio (no token there): cross-site requests and websockets are refused."""

from __future__ import annotations

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
