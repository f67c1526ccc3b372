"""Finding or creating the rows an import needs: the embedded local model, a model of a config entry, a skill."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from .tables import ModelRow, SkillRow

__all__ = ["LOCAL_MODEL_NAME", "local_model", "model_for_entry", "skill_named"]

LOCAL_MODEL_NAME = "Local model (embedded)"


def local_model(db: Session) -> ModelRow:
    """The model row of the embedded llama.cpp model (created the first time)."""
    row = db.scalars(select(ModelRow).where(ModelRow.api_type == "local").order_by(ModelRow.id)).first()
    if row is None:
        row = ModelRow(
            name=LOCAL_MODEL_NAME,
            model="SmolLM2-135M-Instruct",
            api_type="local",
            description="The tiny model bundled with autogen[local]; runs offline on this machine, no key needed.",
        )
        db.add(row)
        db.flush()
    return row


def model_for_entry(db: Session, entry: dict[str, Any]) -> ModelRow:
    """The model row of a config-list entry: an existing one with the same model, endpoint and key, or a new one."""
    api_type = str(entry.get("api_type") or "openai")
    base_url: Optional[str] = entry.get("base_url") or None
    api_key: Optional[str] = entry.get("api_key") or None
    for row in db.scalars(select(ModelRow).where(ModelRow.model == entry["model"])):
        if row.api_type == api_type and row.base_url == base_url and (api_key is None or row.api_key == api_key):
            return row
    row = ModelRow(
        name=str(entry["model"]),
        model=str(entry["model"]),
        api_type=api_type,
        base_url=base_url,
        api_key=api_key,
        api_version=entry.get("api_version") or None,
        description="imported from a team file",
    )
    db.add(row)
    db.flush()
    return row


def skill_named(db: Session, name: str, content: str, description: str) -> SkillRow:
    """The skill ``name`` with exactly this source, created if there is none."""
    for row in db.scalars(select(SkillRow).where(SkillRow.name == name)):
        if row.content == content:
            return row
    row = SkillRow(name=name, content=content, description=description)
    db.add(row)
    db.flush()
    return row
