"""``/api/sessions``: runs of a workflow, their messages, and the live websocket of each."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any, Optional

from fastapi import APIRouter, HTTPException, Response, WebSocket, WebSocketDisconnect
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..schemas import InputIn, RunIn, SessionIn
from ..state import StudioState
from ..tables import MessageRow, SessionRow, WorkflowRow
from ..views import MessageOut, SessionOut, session_view
from .common import DB, State, conflict, delete_row, get_state, insert_row, row_or_404

router = APIRouter(prefix="/api/sessions", tags=["sessions"])


def _message_list(db: Session, session_id: int) -> list[MessageOut]:
    query = select(MessageRow).where(MessageRow.session_id == session_id).order_by(MessageRow.seq)
    return [MessageOut.of(row) for row in db.scalars(query)]


def _workflow(db: Session, workflow_id: int) -> WorkflowRow:
    workflow = db.get(WorkflowRow, workflow_id)
    if workflow is None:
        raise HTTPException(
            422, f"workflow_id: there is no workflow with id {workflow_id}; pick one from GET /api/workflows"
        )
    return workflow


@router.get("")
def list_sessions(workflow_id: Optional[int] = None, db: Session = DB) -> list[SessionOut]:
    """Every session, newest first (``?workflow_id=`` keeps one workflow's)."""
    query = select(SessionRow).order_by(SessionRow.id.desc())
    if workflow_id is not None:
        query = query.where(SessionRow.workflow_id == workflow_id)
    return [SessionOut.of(row) for row in db.scalars(query)]


@router.post("", status_code=201)
def create_session(body: SessionIn, db: Session = DB) -> SessionOut:
    """A new, idle session of a workflow."""
    workflow = _workflow(db, body.workflow_id)
    row = SessionRow(workflow_id=workflow.id, name=body.name or f"{workflow.name} session")
    return SessionOut.of(insert_row(db, row))


@router.get("/{session_id}")
def get_session(session_id: int, db: Session = DB) -> SessionOut:
    """One session."""
    return SessionOut.of(row_or_404(db, SessionRow, session_id, "session"))


@router.put("/{session_id}")
def update_session(session_id: int, body: SessionIn, db: Session = DB, state: StudioState = State) -> SessionOut:
    """Rename a session or move it to another workflow (not while it runs)."""
    row = row_or_404(db, SessionRow, session_id, "session")
    if state.runs.is_active(session_id):
        raise conflict(f"session {session_id} is running; stop it before changing it")
    row.workflow_id = _workflow(db, body.workflow_id).id
    if body.name:
        row.name = body.name
    db.commit()
    return SessionOut.of(row)


@router.delete("/{session_id}", status_code=204)
def delete_session(session_id: int, db: Session = DB, state: StudioState = State) -> Response:
    """Delete a session and its messages (not while it runs)."""
    row = row_or_404(db, SessionRow, session_id, "session")
    if state.runs.is_active(session_id):
        raise conflict(f"session {session_id} is running; stop it before deleting it")
    return delete_row(db, row)


@router.get("/{session_id}/messages")
def list_messages(session_id: int, db: Session = DB) -> list[MessageOut]:
    """The session's messages, in the order they were sent."""
    row_or_404(db, SessionRow, session_id, "session")
    return _message_list(db, session_id)


@router.post("/{session_id}/run", status_code=202)
async def run_session(session_id: int, body: RunIn, state: StudioState = State) -> SessionOut:
    """Run the session's workflow on a task; watch it on the websocket (on the app's loop: hence async)."""
    with state.db() as db:
        row_or_404(db, SessionRow, session_id, "session")
    if state.runs.is_active(session_id):
        raise conflict(f"session {session_id} is already running; stop it first or create another session")
    state.runs.start(session_id, body.task)
    with state.db() as fresh:
        return SessionOut.of(row_or_404(fresh, SessionRow, session_id, "session"))


@router.post("/{session_id}/stop", status_code=202)
async def stop_session(session_id: int, state: StudioState = State) -> dict[str, Any]:
    """Stop a running session; what was said so far is kept."""
    with state.db() as db:
        row = row_or_404(db, SessionRow, session_id, "session")
    if not state.runs.stop(session_id):
        raise conflict(f"session {session_id} is not running (status {row.status!r})")
    return {"ok": True}


@router.post("/{session_id}/input", status_code=202)
async def give_input(session_id: int, body: InputIn, state: StudioState = State) -> dict[str, Any]:
    """Answer the question an agent of the session is asking the human."""
    with state.db() as db:
        row = row_or_404(db, SessionRow, session_id, "session")
    if not state.runs.answer(session_id, body.text):
        raise conflict(f"session {session_id} is not waiting for input (status {row.status!r})")
    return {"ok": True}


@router.websocket("/{session_id}/ws")
async def watch_session(websocket: WebSocket, session_id: int) -> None:
    """A snapshot of the session, then its live events; the client may send input and stop."""
    state = get_state(websocket)
    runs = state.runs
    with state.db() as db:
        row = db.get(SessionRow, session_id)
        if row is None:
            await websocket.close(code=4404, reason=f"there is no session with id {session_id}")
            return
        queue = runs.hub.subscribe(session_id)  # no await between subscribing and reading the snapshot
        messages = [message.model_dump(mode="json") for message in _message_list(db, session_id)]
        snapshot = {"type": "snapshot", "session": session_view(row), "messages": messages}
    question = runs.pending_question(session_id)
    try:
        await websocket.accept()
        await websocket.send_json(snapshot)
        if question is not None:
            await websocket.send_json(question)
        sender = asyncio.create_task(_forward(websocket, queue))
        try:
            while True:
                try:
                    event = json.loads(await websocket.receive_text())
                except ValueError:  # not JSON: ignored, like any message of an unknown type
                    continue
                if not isinstance(event, dict):
                    continue
                if event.get("type") == "input":
                    runs.answer(session_id, str(event.get("text", "")))
                elif event.get("type") == "stop":
                    runs.stop(session_id)
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender
    except WebSocketDisconnect:
        pass
    finally:
        runs.hub.unsubscribe(session_id, queue)


async def _forward(websocket: WebSocket, queue: asyncio.Queue[dict[str, Any]]) -> None:
    while True:
        await websocket.send_json(await queue.get())
