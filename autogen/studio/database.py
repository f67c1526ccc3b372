"""The Studio's database: SQLite under the app dir by default, or any SQLAlchemy URI (PostgreSQL).

The schema is created and upgraded by the Alembic migrations shipped in ``migrations/`` each time
the Studio starts (no autogenerate at run time).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import sessionmaker

__all__ = ["MIGRATIONS", "alembic_config", "migrate", "open_database", "resolve_uri"]

MIGRATIONS = Path(__file__).with_name("migrations")


def resolve_uri(appdir: Path, database_uri: Optional[str]) -> str:
    """The SQLAlchemy URI to use: ``database_uri``, else ``sqlite:///APPDIR/studio.db``.

    A ``postgresql://`` URI is read as psycopg 3 (``postgresql+psycopg://``), the driver the Studio ships with.
    """
    if database_uri is None:
        return f"sqlite:///{(appdir / 'studio.db').resolve()}"
    if not isinstance(database_uri, str) or "://" not in database_uri:
        raise ValueError(
            f"database_uri {database_uri!r} is not a database URI; use e.g. sqlite:///path/studio.db "
            "or postgresql://user:password@host/dbname"
        )
    for plain in ("postgresql://", "postgres://"):
        if database_uri.startswith(plain):
            return "postgresql+psycopg://" + database_uri[len(plain) :]
    return database_uri


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _make_private(path: Path) -> None:
    """Create the SQLite file readable by its owner only (it holds API keys); SQLite's -wal/-shm files follow it."""
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)


def open_database(uri: str) -> tuple[Engine, sessionmaker]:
    """Connect to ``uri``, bring its schema to the newest migration, and return the engine and a session factory."""
    if uri.startswith("sqlite"):
        engine = create_engine(uri, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        if engine.url.database and engine.url.database != ":memory:":
            _make_private(Path(engine.url.database))
    else:
        engine = create_engine(uri, pool_pre_ping=True)
    migrate(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Any = None) -> Any:
    """An Alembic config for the shipped migrations (``connection``: the one to run them on)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (default: the newest)."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
