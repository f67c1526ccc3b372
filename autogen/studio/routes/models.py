"""``/api/models``: config-list entries; keys go in, only masked keys come out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..schemas import ModelIn
from ..state import StudioState
from ..tables import AgentRow, ModelRow
from ..views import ModelOut, mask_key
from .common import DB, State, conflict, delete_row, insert_row, row_or_404, update_row

router = APIRouter(prefix="/api/models", tags=["models"])


@router.get("")
def list_models(db: Session = DB) -> list[ModelOut]:
    """Every model, keys masked."""
    return [ModelOut.of(row) for row in db.scalars(select(ModelRow).order_by(ModelRow.id))]


@router.post("", status_code=201)
def create_model(body: ModelIn, db: Session = DB) -> ModelOut:
    """Add a model (its key is stored on the server only)."""
    row = ModelRow(**body.model_dump())
    row.api_key = body.api_key or None
    return ModelOut.of(insert_row(db, row))


@router.get("/{model_id}")
def get_model(model_id: int, db: Session = DB) -> ModelOut:
    """One model, key masked."""
    return ModelOut.of(row_or_404(db, ModelRow, model_id, "model"))


@router.put("/{model_id}")
def update_model(model_id: int, body: ModelIn, db: Session = DB) -> ModelOut:
    """Replace a model; an ``api_key`` that is null or the masked value keeps the stored key, ``""`` clears it."""
    row = row_or_404(db, ModelRow, model_id, "model")
    values = body.model_dump()
    key = values.pop("api_key")
    if key is not None and key != mask_key(row.api_key):
        row.api_key = key or None
    return ModelOut.of(update_row(db, row, values))


@router.delete("/{model_id}", status_code=204)
def delete_model(model_id: int, db: Session = DB) -> Response:
    """Delete a model that no agent uses."""
    row = row_or_404(db, ModelRow, model_id, "model")
    users = list(db.scalars(select(AgentRow.name).where(AgentRow.model_id == model_id)))
    if users:
        raise conflict(f"model {row.name!r} is used by agent(s) {', '.join(users)}; give them another model first")
    return delete_row(db, row)


@router.post("/{model_id}/test")
async def test_model(model_id: int, state: StudioState = State) -> dict[str, Any]:
    """Make one real call to the model: ``{"ok", "message", "reply"}``."""
    with state.db() as db:
        row = row_or_404(db, ModelRow, model_id, "model")
    return await state.endpoints.test(row)
