"""Helpers every router uses: the app's state, a database session, 404 and 409 errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

from fastapi import Depends, HTTPException, Response
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from ..state import StudioState

__all__ = ["DB", "State", "conflict", "delete_row", "get_db", "get_state", "insert_row", "row_or_404", "update_row"]

T = TypeVar("T")


def get_state(conn: HTTPConnection) -> StudioState:
    """The state of the app serving ``conn``."""
    state: StudioState = conn.app.state.studio
    return state


def get_db(conn: HTTPConnection) -> Iterator[Session]:
    """A database session for one request."""
    with get_state(conn).db() as session:
        yield session


DB = Depends(get_db)
State = Depends(get_state)


def row_or_404(db: Session, table: type[T], row_id: int, what: str) -> T:
    """The row ``row_id`` of ``table``, or a 404 naming what was not found."""
    row = db.get(table, row_id)
    if row is None:
        raise HTTPException(404, f"there is no {what} with id {row_id}; list them with GET /api/{what}s")
    return row


def conflict(message: str) -> HTTPException:
    """A 409 error."""
    return HTTPException(409, message)


def insert_row(db: Session, row: T) -> T:
    """Add ``row`` and commit; returns it."""
    db.add(row)
    db.commit()
    return row


def update_row(db: Session, row: T, values: dict[str, Any]) -> T:
    """Copy ``values`` onto ``row`` and commit; returns it."""
    for key, value in values.items():
        setattr(row, key, value)
    db.commit()
    return row


def delete_row(db: Session, row: Any) -> Response:
    """Delete ``row``, commit, and answer 204."""
    db.delete(row)
    db.commit()
    return Response(status_code=204)
