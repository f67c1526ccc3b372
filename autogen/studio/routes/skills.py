"""``/api/skills``: Python functions registered as tools; validated before they are saved."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..schemas import CodeIn, SkillIn
from ..skills import skill_errors
from ..tables import AgentRow, SkillRow
from ..views import SkillOut
from .common import DB, conflict, delete_row, insert_row, row_or_404, update_row

router = APIRouter(prefix="/api/skills", tags=["skills"])


def _check(body: SkillIn) -> None:
    errors = skill_errors(body.content, body.name)
    if errors:
        text = "; ".join((f"line {e['line']}: " if e["line"] else "") + e["message"] for e in errors)
        raise HTTPException(422, f"content: {text}")


@router.get("")
def list_skills(db: Session = DB) -> list[SkillOut]:
    """Every skill."""
    return [SkillOut.of(row) for row in db.scalars(select(SkillRow).order_by(SkillRow.id))]


@router.post("/validate")
def validate_skill(body: CodeIn) -> dict[str, Any]:
    """Check a skill without saving it: ``{"ok", "errors": [{"line", "message"}]}``."""
    errors = skill_errors(body.content, body.name)
    return {"ok": not errors, "errors": errors}


@router.post("", status_code=201)
def create_skill(body: SkillIn, db: Session = DB) -> SkillOut:
    """Add a skill (422 with line numbers when it does not validate)."""
    _check(body)
    return SkillOut.of(insert_row(db, SkillRow(**body.model_dump())))


@router.get("/{skill_id}")
def get_skill(skill_id: int, db: Session = DB) -> SkillOut:
    """One skill."""
    return SkillOut.of(row_or_404(db, SkillRow, skill_id, "skill"))


@router.put("/{skill_id}")
def update_skill(skill_id: int, body: SkillIn, db: Session = DB) -> SkillOut:
    """Replace a skill (validated first)."""
    row = row_or_404(db, SkillRow, skill_id, "skill")
    _check(body)
    return SkillOut.of(update_row(db, row, body.model_dump()))


@router.delete("/{skill_id}", status_code=204)
def delete_skill(skill_id: int, db: Session = DB) -> Response:
    """Delete a skill no agent uses."""
    row = row_or_404(db, SkillRow, skill_id, "skill")
    users = [a.name for a in db.scalars(select(AgentRow)) if skill_id in (a.skill_ids or [])]
    if users:
        raise conflict(f"skill {row.name!r} is used by agent(s) {', '.join(users)}; remove it from them first")
    return delete_row(db, row)
