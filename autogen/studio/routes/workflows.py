"""``/api/workflows``: two-agent chats and group chats; export/import as `autogen run` team files."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..schemas import ImportIn, WorkflowIn
from ..state import StudioState
from ..tables import AgentRow, SessionRow, WorkflowRow
from ..teamfile import TeamFileImportError, export_team_file, import_team_file
from ..views import WorkflowOut
from .common import DB, State, conflict, delete_row, insert_row, row_or_404, update_row

router = APIRouter(prefix="/api/workflows", tags=["workflows"])


def _agent(db: Session, agent_id: int, field: str) -> AgentRow:
    row = db.get(AgentRow, agent_id)
    if row is None:
        raise HTTPException(422, f"{field}: there is no agent with id {agent_id}; pick one from GET /api/agents")
    return row


def check_workflow(db: Session, body: WorkflowIn) -> None:
    """422 naming the field when the workflow's agents do not make a valid chat."""
    initiator = _agent(db, body.initiator_id, "initiator_id")
    if initiator.type == "groupchat":
        raise HTTPException(
            422, "initiator_id: a group chat manager cannot start a chat; pick an assistant or user proxy"
        )
    if body.kind == "twoagent":
        if body.receiver_id is None:
            raise HTTPException(422, "receiver_id: a two-agent workflow needs the agent the initiator talks to")
        receiver = _agent(db, body.receiver_id, "receiver_id")
        if receiver.id == initiator.id:
            raise HTTPException(422, "receiver_id: the receiver must be another agent than the initiator")
        if receiver.type == "groupchat":
            raise HTTPException(422, "receiver_id: for a group chat manager, use kind 'groupchat' with manager_id")
        if receiver.name == initiator.name:
            raise HTTPException(422, f"receiver_id: both agents are named {receiver.name!r}; rename one")
        return
    if body.manager_id is None:
        raise HTTPException(422, "manager_id: a group chat workflow needs a manager (an agent of type 'groupchat')")
    manager = _agent(db, body.manager_id, "manager_id")
    if manager.type != "groupchat":
        raise HTTPException(422, f"manager_id: agent {manager.name!r} is a {manager.type}; pick a 'groupchat' agent")
    members = [_agent(db, agent_id, "member_ids") for agent_id in body.member_ids]
    if any(m.type == "groupchat" for m in members):
        raise HTTPException(
            422, "member_ids: a group chat manager cannot be a member; list assistants and user proxies"
        )
    names = [m.name for m in members] + ([] if initiator.id in body.member_ids else [initiator.name])
    if len(names) < 2:
        raise HTTPException(422, "member_ids: a group chat needs at least 2 members (the initiator counts)")
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate is not None:
        raise HTTPException(422, f"member_ids: two members are named {duplicate!r}; names must be unique")


def _values(body: WorkflowIn) -> dict[str, Any]:
    values = body.model_dump()
    if body.kind == "twoagent":
        values.update(manager_id=None, member_ids=[])
    else:
        values["receiver_id"] = None
    return values


@router.get("")
def list_workflows(db: Session = DB) -> list[WorkflowOut]:
    """Every workflow."""
    return [WorkflowOut.of(row) for row in db.scalars(select(WorkflowRow).order_by(WorkflowRow.id))]


@router.post("", status_code=201)
def create_workflow(body: WorkflowIn, db: Session = DB) -> WorkflowOut:
    """Add a workflow."""
    check_workflow(db, body)
    return WorkflowOut.of(insert_row(db, WorkflowRow(**_values(body))))


@router.post("/import", status_code=201)
def import_workflow(body: ImportIn, db: Session = DB) -> WorkflowOut:
    """Create a workflow (and its agents) from the text of a YAML or JSON team file."""
    try:
        row = import_team_file(db, body.content, body.name)
    except TeamFileImportError as err:
        raise HTTPException(422, f"content: {err}") from None
    return WorkflowOut.of(row)


@router.get("/{workflow_id}")
def get_workflow(workflow_id: int, db: Session = DB) -> WorkflowOut:
    """One workflow."""
    return WorkflowOut.of(row_or_404(db, WorkflowRow, workflow_id, "workflow"))


@router.get("/{workflow_id}/export")
def export_workflow(workflow_id: int, db: Session = DB) -> Response:
    """The workflow as a YAML team file for ``autogen run`` (no API keys in it)."""
    row = row_or_404(db, WorkflowRow, workflow_id, "workflow")
    text, filename = export_team_file(db, row)
    return Response(
        text,
        media_type="application/x-yaml",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


@router.put("/{workflow_id}")
def update_workflow(workflow_id: int, body: WorkflowIn, db: Session = DB) -> WorkflowOut:
    """Replace a workflow."""
    row = row_or_404(db, WorkflowRow, workflow_id, "workflow")
    check_workflow(db, body)
    return WorkflowOut.of(update_row(db, row, _values(body)))


@router.delete("/{workflow_id}", status_code=204)
def delete_workflow(workflow_id: int, db: Session = DB, state: StudioState = State) -> Response:
    """Delete a workflow and its sessions' history (409 while one of its sessions runs)."""
    row = row_or_404(db, WorkflowRow, workflow_id, "workflow")
    for session_id in db.scalars(select(SessionRow.id).where(SessionRow.workflow_id == workflow_id)):
        if state.runs.is_active(session_id):
            raise conflict(f"session {session_id} of workflow {row.name!r} is running; stop it first")
    return delete_row(db, row)
