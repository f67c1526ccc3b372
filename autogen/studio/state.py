"""What every request handler of one Studio app shares."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

if TYPE_CHECKING:
    from .endpoints import ModelEndpoints
    from .runs import SessionRuns

__all__ = ["StudioState"]


@dataclass
class StudioState:
    """The app dir, the database, the access token, the running sessions and the model endpoints."""

    appdir: Path
    engine: Engine
    db: sessionmaker
    token: Optional[str]
    runs: SessionRuns
    endpoints: ModelEndpoints
