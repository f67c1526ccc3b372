"""``/api/agents``: assistants, user proxies and group chat managers."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..schemas import AgentIn
from ..tables import AgentRow, ModelRow, SkillRow, WorkflowRow
from ..views import AgentOut
from .common import DB, conflict, delete_row, insert_row, row_or_404, update_row

router = APIRouter(prefix="/api/agents", tags=["agents"])


def check_agent(db: Session, body: AgentIn) -> None:
    """422 when the agent refers to a model or skill that does not exist."""
    if body.model_id is not None and db.get(ModelRow, body.model_id) is None:
        raise HTTPException(422, f"model_id: there is no model with id {body.model_id}; pick one from GET /api/models")
    for skill_id in body.skill_ids:
        if db.get(SkillRow, skill_id) is None:
            raise HTTPException(422, f"skill_ids: there is no skill with id {skill_id}; pick from GET /api/skills")
    if len(set(body.skill_ids)) != len(body.skill_ids):
        raise HTTPException(422, "skill_ids: a skill is listed twice; list each once")


@router.get("")
def list_agents(db: Session = DB) -> list[AgentOut]:
    """Every agent."""
    return [AgentOut.of(row) for row in db.scalars(select(AgentRow).order_by(AgentRow.id))]


@router.post("", status_code=201)
def create_agent(body: AgentIn, db: Session = DB) -> AgentOut:
    """Add an agent."""
    check_agent(db, body)
    return AgentOut.of(insert_row(db, AgentRow(**body.model_dump())))


@router.get("/{agent_id}")
def get_agent(agent_id: int, db: Session = DB) -> AgentOut:
    """One agent."""
    return AgentOut.of(row_or_404(db, AgentRow, agent_id, "agent"))


@router.put("/{agent_id}")
def update_agent(agent_id: int, body: AgentIn, db: Session = DB) -> AgentOut:
    """Replace an agent."""
    row = row_or_404(db, AgentRow, agent_id, "agent")
    check_agent(db, body)
    return AgentOut.of(update_row(db, row, body.model_dump()))


def workflows_using(db: Session, agent_id: int) -> list[str]:
    """Names of the workflows that include the agent."""
    direct = or_(
        WorkflowRow.initiator_id == agent_id, WorkflowRow.receiver_id == agent_id, WorkflowRow.manager_id == agent_id
    )
    names = set(db.scalars(select(WorkflowRow.name).where(direct)))
    names.update(w.name for w in db.scalars(select(WorkflowRow)) if agent_id in (w.member_ids or []))
    return sorted(names)


@router.delete("/{agent_id}", status_code=204)
def delete_agent(agent_id: int, db: Session = DB) -> Response:
    """Delete an agent no workflow uses."""
    row = row_or_404(db, AgentRow, agent_id, "agent")
    users = workflows_using(db, agent_id)
    if users:
        raise conflict(f"agent {row.name!r} is in workflow(s) {', '.join(users)}; remove it from them first")
    return delete_row(db, row)
