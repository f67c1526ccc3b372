"""Sessions run real chats through the engine: streamed messages, costs, tools, stop, human input, concurrency."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import pytest
from fastapi.testclient import TestClient

from autogen.testing import Hang, OpenAITestServer

from .conftest import events_until_done, make, new_session, next_event, wait_for_status

pytestmark = pytest.mark.timeout(120)


def test_a_run_streams_every_message_with_code_output_and_costs(
    client: TestClient, server: OpenAITestServer, two_agent_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = two_agent_workflow()
    session = new_session(client, workflow)
    server.script("Here it is:\n```python\nprint(6 * 7)\n```", "The answer is 42. TERMINATE")
    with client.websocket_connect(f"/api/sessions/{session['id']}/ws") as ws:
        snapshot = ws.receive_json()
        assert snapshot["type"] == "snapshot" and snapshot["messages"] == [] and snapshot["session"]["status"] == "idle"
        started = client.post(f"/api/sessions/{session['id']}/run", json={"task": "What is 6 times 7?"})
        assert started.status_code == 202 and started.json()["status"] == "running"
        events = events_until_done(ws)
    streamed = [e["message"] for e in events if e["type"] == "message"]
    assert [(m["sender"], m["recipient"]) for m in streamed] == [("user", "coder"), ("coder", "user")] * 2
    assert streamed[0]["content"] == "What is 6 times 7?" and streamed[0]["cost"] == 0
    assert streamed[1]["code_blocks"] == [{"language": "python", "code": "print(6 * 7)"}]
    assert (
        streamed[2]["code_output"].startswith("exitcode: 0 (execution succeeded)")
        and "42" in streamed[2]["code_output"]
    )
    model_messages = [streamed[1], streamed[3]]
    assert all(m["prompt_tokens"] > 0 and m["completion_tokens"] > 0 and m["cost"] > 0 for m in model_messages)
    done = events[-1]["session"]
    assert done["status"] == "finished" and done["stop_reason"] == "termination_message"
    assert done["prompt_tokens"] == sum(m["prompt_tokens"] for m in streamed)
    assert done["cost"] == pytest.approx(sum(m["cost"] for m in streamed))
    assert done["finished_at"] is not None
    statuses = [e["session"]["status"] for e in events if e["type"] == "status"]
    assert statuses[0] == "running" and statuses[-1] == "finished"
    # the history is stored: the same messages, in order, after the run
    assert client.get(f"/api/sessions/{session['id']}/messages").json() == streamed
    assert client.get("/api/sessions").json()[0] == done
    # the model saw the conversation: its second request carries the code's output
    assert "42" in str(server.chat_requests[1]["messages"][-1]["content"])


def test_skills_run_as_tools(client: TestClient, server: OpenAITestServer, model: dict[str, Any]) -> None:
    source = 'def add(a: int, b: int) -> int:\n    """Add two numbers."""\n    return a + b\n'
    skill = make(client, "skills", name="add", description="Add two whole numbers.", content=source)
    adder = make(client, "agents", name="adder", type="assistant", model_id=model["id"], skill_ids=[skill["id"]])
    user = make(client, "agents", name="user", type="userproxy")
    workflow = make(client, "workflows", name="t", kind="twoagent", initiator_id=user["id"], receiver_id=adder["id"])
    session = new_session(client, workflow)
    server.script({"tool_calls": [{"name": "add", "arguments": '{"a": 2, "b": 40}'}]}, "It is 42. TERMINATE")
    client.post(f"/api/sessions/{session['id']}/run", json={"task": "add 2 and 40"})
    assert wait_for_status(client, session["id"], "finished", "error")["status"] == "finished"
    messages = client.get(f"/api/sessions/{session['id']}/messages").json()
    call = messages[1]
    assert call["tool_calls"][0]["function"] == {"name": "add", "arguments": '{"a": 2, "b": 40}'}
    result = messages[2]
    assert result["role"] == "tool" and result["tool_responses"][0]["content"] == "42"
    tools = server.chat_requests[0]["tools"]
    assert tools[0]["function"]["name"] == "add" and tools[0]["function"]["description"] == "Add two whole numbers."


def test_stop_ends_the_run_cleanly_and_keeps_the_history(
    client: TestClient, server: OpenAITestServer, two_agent_workflow: Callable[..., dict[str, Any]]
) -> None:
    session = new_session(client, two_agent_workflow())
    server.script("```python\nprint('first')\n```", Hang(seconds=60))
    with client.websocket_connect(f"/api/sessions/{session['id']}/ws") as ws:
        ws.receive_json()
        client.post(f"/api/sessions/{session['id']}/run", json={"task": "go"})
        seen: list[dict[str, Any]] = []
        while len(seen) < 3:  # task, code, its output; the model then hangs
            event = ws.receive_json()
            if event["type"] == "message":
                seen.append(event["message"])
        again = client.post(f"/api/sessions/{session['id']}/run", json={"task": "again"})
        assert again.status_code == 409 and "already running" in again.json()["detail"]
        assert client.delete(f"/api/sessions/{session['id']}").status_code == 409
        renamed = client.put(
            f"/api/sessions/{session['id']}", json={"workflow_id": session["workflow_id"], "name": "x"}
        )
        assert renamed.status_code == 409 and "stop it before changing it" in renamed.json()["detail"]
        ws.send_text("not json")  # ignored: the socket stays open
        ws.send_json({"type": "stop"})
        events = events_until_done(ws)
    done = events[-1]["session"]
    assert done["status"] == "stopped" and done["stop_reason"] == "stopped_by_user" and done["finished_at"]
    assert [e["session"]["status"] for e in events if e["type"] == "status"][-1] == "stopped"
    assert len(client.get(f"/api/sessions/{session['id']}/messages").json()) == 3
    not_running = client.post(f"/api/sessions/{session['id']}/stop")
    assert not_running.status_code == 409 and "is not running" in not_running.json()["detail"]
    # a stopped session can run again; its history grows
    server.script("Done. TERMINATE")
    client.post(f"/api/sessions/{session['id']}/run", json={"task": "finish"})
    assert wait_for_status(client, session["id"], "finished")["stop_reason"] == "termination_message"
    messages = client.get(f"/api/sessions/{session['id']}/messages").json()
    assert [m["seq"] for m in messages] == [1, 2, 3, 4, 5] and messages[3]["content"] == "finish"
    assert client.delete(f"/api/sessions/{session['id']}").status_code == 204
    assert client.get(f"/api/sessions/{session['id']}/messages").status_code == 404


def test_stopping_a_session_that_waits_for_input(
    client: TestClient, server: OpenAITestServer, two_agent_workflow: Callable[..., dict[str, Any]]
) -> None:
    session = new_session(client, two_agent_workflow(human_input_mode="ALWAYS", code_execution="none"))
    server.script("What now?")
    with client.websocket_connect(f"/api/sessions/{session['id']}/ws") as ws:
        ws.receive_json()
        client.post(f"/api/sessions/{session['id']}/run", json={"task": "hi"})
        next_event(ws, "input_request")
        assert client.post(f"/api/sessions/{session['id']}/stop").status_code == 202
        events = events_until_done(ws)
    assert [e["session"]["status"] for e in events if e["type"] == "status"] == ["stopped"]
    assert len(client.get(f"/api/sessions/{session['id']}/messages").json()) == 2


def test_human_input_comes_from_the_browser(
    client: TestClient, server: OpenAITestServer, two_agent_workflow: Callable[..., dict[str, Any]]
) -> None:
    session = new_session(client, two_agent_workflow(human_input_mode="ALWAYS", code_execution="none"))
    server.script("Hello! What next?", "Glad to help.")
    with client.websocket_connect(f"/api/sessions/{session['id']}/ws") as ws:
        ws.receive_json()
        not_waiting = client.post(f"/api/sessions/{session['id']}/input", json={"text": "too early"})
        assert not_waiting.status_code == 409 and "not waiting for input" in not_waiting.json()["detail"]
        client.post(f"/api/sessions/{session['id']}/run", json={"task": "hi"})
        event = next_event(ws, "input_request")
        assert "user" in event["prompt"] and event["timeout"] == 5
        assert client.get(f"/api/sessions/{session['id']}").json()["status"] == "waiting_input"
        # a second watcher (a reloaded page) is told about the waiting question after its snapshot
        with client.websocket_connect(f"/api/sessions/{session['id']}/ws") as late:
            assert late.receive_json()["session"]["status"] == "waiting_input"
            pending = late.receive_json()
            assert pending["type"] == "input_request" and 0 < pending["timeout"] <= 5
        ws.send_json({"type": "input", "text": "Thanks, say goodbye."})
        next_event(ws, "input_request")
        assert client.post(f"/api/sessions/{session['id']}/input", json={"text": "exit"}).status_code == 202
        events = events_until_done(ws)
    assert events[-1]["session"]["status"] == "finished" and events[-1]["session"]["stop_reason"] == "human_exit"
    contents = [m["content"] for m in client.get(f"/api/sessions/{session['id']}/messages").json()]
    assert contents == ["hi", "Hello! What next?", "Thanks, say goodbye.", "Glad to help."]


def test_human_input_times_out(tmp_path, server: OpenAITestServer, model: dict[str, Any]) -> None:
    from autogen.studio import create_app

    app = create_app(tmp_path / "quick", input_timeout=0.3)
    with TestClient(app) as quick:
        entry = server.config_list()[0]
        model = make(
            quick, "models", name="m", model=entry["model"], base_url=entry["base_url"], api_key=entry["api_key"]
        )
        coder = make(quick, "agents", name="coder", type="assistant", model_id=model["id"])
        always = make(quick, "agents", name="always", type="userproxy", human_input_mode="ALWAYS")
        on_end = make(quick, "agents", name="on_end", type="userproxy", human_input_mode="TERMINATE")
        # ALWAYS: no answer in time counts as "exit"
        first = make(quick, "workflows", name="a", kind="twoagent", initiator_id=always["id"], receiver_id=coder["id"])
        session = new_session(quick, first)
        server.script("Anything else?")
        quick.post(f"/api/sessions/{session['id']}/run", json={"task": "hi"})
        assert wait_for_status(quick, session["id"], "finished")["stop_reason"] == "human_exit"
        assert len(quick.get(f"/api/sessions/{session['id']}/messages").json()) == 2
        # TERMINATE: no answer at a termination message ends the chat; before it, the agent answers by itself
        second = make(quick, "workflows", name="t", kind="twoagent", initiator_id=on_end["id"], receiver_id=coder["id"])
        session = new_session(quick, second)
        server.script("All done. TERMINATE")
        quick.post(f"/api/sessions/{session['id']}/run", json={"task": "hi"})
        assert wait_for_status(quick, session["id"], "finished")["stop_reason"] == "termination_message"


def test_two_sessions_run_at_once_without_mixing_messages(
    client: TestClient, server: OpenAITestServer, two_agent_workflow: Callable[..., dict[str, Any]]
) -> None:
    def reply(body: dict[str, Any]) -> dict[str, Any]:
        text = " ".join(str(m.get("content")) for m in body["messages"])
        tag = "alpha" if "alpha" in text else "beta"
        turn = sum(1 for m in body["messages"] if m.get("role") == "assistant") + 1
        return {"content": f"{tag} answer {turn}", "delay": 0.25}

    server.default_reply = reply
    workflow = two_agent_workflow(code_execution="none")
    first, second = new_session(client, workflow), new_session(client, workflow)
    ws_a_context = client.websocket_connect(f"/api/sessions/{first['id']}/ws")
    ws_b_context = client.websocket_connect(f"/api/sessions/{second['id']}/ws")
    with ws_a_context as ws_a, ws_b_context as ws_b:
        ws_a.receive_json(), ws_b.receive_json()
        client.post(f"/api/sessions/{first['id']}/run", json={"task": "task alpha"})
        client.post(f"/api/sessions/{second['id']}/run", json={"task": "task beta"})
        events_a, events_b = events_until_done(ws_a), events_until_done(ws_b)
    for session, events, tag, other in ((first, events_a, "alpha", "beta"), (second, events_b, "beta", "alpha")):
        streamed = [e["message"] for e in events if e["type"] == "message"]
        stored = client.get(f"/api/sessions/{session['id']}/messages").json()
        assert streamed == stored and len(stored) == 8  # 4 round trips
        replies = [m["content"] for m in stored if m["sender"] == "coder"]
        assert replies == [f"{tag} answer {n}" for n in (1, 2, 3, 4)]
        assert not any(other in str(m["content"]) for m in stored)
        assert all(e["session"]["id"] == session["id"] for e in events if "session" in e)
    # they overlapped: each session's first reply came before the other's last one
    a = client.get(f"/api/sessions/{first['id']}/messages").json()
    b = client.get(f"/api/sessions/{second['id']}/messages").json()
    when = dt.datetime.fromisoformat
    assert when(a[1]["created_at"]) < when(b[-1]["created_at"]) and when(b[1]["created_at"]) < when(a[-1]["created_at"])


def test_a_workflow_that_cannot_run_ends_in_error(client: TestClient) -> None:
    user = make(client, "agents", name="user", type="userproxy")
    lonely = make(client, "agents", name="lonely", type="assistant")  # no model
    workflow = make(client, "workflows", name="w", kind="twoagent", initiator_id=user["id"], receiver_id=lonely["id"])
    session = new_session(client, workflow)
    client.post(f"/api/sessions/{session['id']}/run", json={"task": "hi"})
    failed = wait_for_status(client, session["id"], "error")
    assert "agent 'lonely' has no model" in failed["error"]
    gone = client.post("/api/sessions", json={"workflow_id": 999})
    assert gone.status_code == 422 and gone.json()["detail"].startswith("workflow_id:")


def test_sessions_left_running_are_marked_on_restart(tmp_path, client: TestClient, two_agent_workflow) -> None:
    from autogen.studio import create_app
    from autogen.studio.tables import SessionRow

    session = new_session(client, two_agent_workflow())
    state = client.app.state.studio  # type: ignore[attr-defined]
    with state.db() as db:
        db.get(SessionRow, session["id"]).status = "running"
        db.commit()
    with TestClient(create_app(tmp_path / "studio")) as restarted:
        after = restarted.get(f"/api/sessions/{session['id']}").json()
    assert after["status"] == "error" and "stopped while this session was running" in after["error"]


def test_group_chats_record_each_message_once_and_ask_the_browser_for_manual_choices(
    client: TestClient, server: OpenAITestServer, model: dict[str, Any]
) -> None:
    user = make(client, "agents", name="user", type="userproxy")
    writer = make(client, "agents", name="writer", type="assistant", model_id=model["id"])
    critic = make(client, "agents", name="critic", type="assistant", model_id=model["id"])
    manager = make(client, "agents", name="manager", type="groupchat")
    fields = {"kind": "groupchat", "initiator_id": user["id"], "manager_id": manager["id"]}
    members = [user["id"], writer["id"], critic["id"]]
    turns = make(
        client, "workflows", name="turns", member_ids=members, speaker_selection="round_robin", max_rounds=3, **fields
    )
    session = new_session(client, turns)
    server.script("Draft: tea is good.", "Say why.")
    client.post(f"/api/sessions/{session['id']}/run", json={"task": "Write a slogan."})
    assert wait_for_status(client, session["id"], "finished")["stop_reason"] == "max_round"
    messages = client.get(f"/api/sessions/{session['id']}/messages").json()
    assert [(m["sender"], m["recipient"], m["content"]) for m in messages] == [
        ("user", "manager", "Write a slogan."),
        ("writer", "manager", "Draft: tea is good."),
        ("critic", "manager", "Say why."),
    ]

    chosen = make(
        client, "workflows", name="manual", member_ids=members, speaker_selection="manual", max_rounds=2, **fields
    )
    session = new_session(client, chosen)
    server.script("Critic here: fine.")
    with client.websocket_connect(f"/api/sessions/{session['id']}/ws") as ws:
        ws.receive_json()
        client.post(f"/api/sessions/{session['id']}/run", json={"task": "Judge this."})
        event = next_event(ws, "input_request")
        assert event["prompt"].startswith("Who speaks next?") and "critic" in event["prompt"]
        ws.send_json({"type": "input", "text": "critic"})
        events_until_done(ws)
    messages = client.get(f"/api/sessions/{session['id']}/messages").json()
    assert [m["sender"] for m in messages] == ["user", "critic"]


def test_sandbox_code_execution_runs_without_network(
    client: TestClient, server: OpenAITestServer, two_agent_workflow: Callable[..., dict[str, Any]]
) -> None:
    port = int(server.config_list()[0]["base_url"].rsplit(":", 1)[1].split("/")[0])
    probe = (
        "import socket\ntry:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n    print('network: reachable')\n"
        "except OSError:\n    print('network: blocked')\n"
    )
    session = new_session(client, two_agent_workflow(code_execution="sandbox"))
    server.script(f"```python\n{probe}```", "TERMINATE")
    client.post(f"/api/sessions/{session['id']}/run", json={"task": "probe"})
    assert wait_for_status(client, session["id"], "finished", "error")["status"] == "finished"
    output = client.get(f"/api/sessions/{session['id']}/messages").json()[2]["code_output"]
    assert output.startswith("exitcode: 0") and "network: blocked" in output
