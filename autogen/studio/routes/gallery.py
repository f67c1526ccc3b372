"""``/api/gallery``: example workflows to import."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from sqlalchemy.orm import Session

from ..gallery import GALLERY, import_gallery_item
from ..views import WorkflowOut
from .common import DB

router = APIRouter(prefix="/api/gallery", tags=["gallery"])


@router.get("")
def list_gallery() -> list[dict[str, Any]]:
    """The example workflows (each runs on the embedded local model)."""
    return [item.summary() for item in GALLERY]


@router.post("/{item_id}/import", status_code=201)
def import_item(item_id: str, db: Session = DB) -> WorkflowOut:
    """Create the example's workflow (with its agents, the local model and skills when missing)."""
    item = next((i for i in GALLERY if i.id == item_id), None)
    if item is None:
        known = ", ".join(i.id for i in GALLERY)
        raise HTTPException(404, f"there is no gallery item {item_id!r}; known: {known}")
    return WorkflowOut.of(import_gallery_item(db, item))
