"""``create_app``: the Studio's FastAPI app (JSON API under ``/api/``, the browser UI at ``/``)."""

from __future__ import annotations

import mimetypes
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Optional, Union

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles

from autogen.version import __version__

from .auth import COOKIE, SameOriginMiddleware, TokenMiddleware
from .database import open_database, resolve_uri
from .endpoints import ModelEndpoints
from .headers import SecurityHeadersMiddleware
from .limits import BodyLimitMiddleware
from .runs import SessionRuns
from .state import StudioState

__all__ = ["DEFAULT_APPDIR", "WEB_DIR", "create_app"]

DEFAULT_APPDIR = Path("~/.autogen/studio")
WEB_DIR = Path(__file__).with_name("web")
_NO_UI = (
    "<!doctype html><title>AutoGen Studio</title><h1>AutoGen Studio</h1>"
    "<p>The browser UI files are not installed; the JSON API is at <a href='/api/docs'>/api/docs</a>.</p>"
)


def _validation_detail(err: RequestValidationError) -> str:
    parts = []
    for error in err.errors():
        if error.get("type") == "json_invalid":
            position = error.get("loc", ("body", "?"))[-1]
            reason = (error.get("ctx") or {}).get("error", "invalid JSON")
            parts.append(f"the body is not valid JSON (at character {position}: {reason}); send a JSON object")
            continue
        loc = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
        parts.append(f"{loc}: {message}")
    return "; ".join(parts)


async def _on_validation_error(_request: Request, err: Exception) -> Response:
    assert isinstance(err, RequestValidationError)
    return JSONResponse({"detail": _validation_detail(err)}, status_code=422)


def input_timeout_default() -> float:
    """Seconds a session waits for the browser's human input (``AUTOGEN_STUDIO_INPUT_TIMEOUT``, default 300)."""
    raw = os.environ.get("AUTOGEN_STUDIO_INPUT_TIMEOUT", "300")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"AUTOGEN_STUDIO_INPUT_TIMEOUT must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise ValueError(f"AUTOGEN_STUDIO_INPUT_TIMEOUT must be positive, got {raw!r}")
    return value


def create_app(
    appdir: Union[str, os.PathLike, None] = None,
    database_uri: Optional[str] = None,
    token: Optional[str] = None,
    *,
    input_timeout: Optional[float] = None,
) -> FastAPI:
    """The Studio app.

    Args:
        appdir: where the Studio keeps its SQLite database and the work dirs of code execution
            (default ``~/.autogen/studio``; created if missing).
        database_uri: a SQLAlchemy URI instead of SQLite under ``appdir`` (``postgresql://...`` uses psycopg 3).
        token: when given, every ``/api/`` request must carry it (``Authorization: Bearer``, the
            ``studio_token`` cookie set by ``GET /?token=...``, or ``?token=`` on the websocket).
        input_timeout: seconds to wait for human input from the browser
            (default ``AUTOGEN_STUDIO_INPUT_TIMEOUT`` or 300).
    """
    folder = Path(appdir if appdir is not None else DEFAULT_APPDIR).expanduser()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # it holds the database with the API keys
    engine, sessions = open_database(resolve_uri(folder, database_uri))
    endpoints = ModelEndpoints()
    runs = SessionRuns(
        sessions, endpoints, folder / "work", input_timeout if input_timeout is not None else input_timeout_default()
    )
    state = StudioState(folder, engine, sessions, token, runs, endpoints)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        runs.recover()
        try:
            yield
        finally:
            await runs.shutdown()
            endpoints.close()
            engine.dispose()

    app = FastAPI(
        title="AutoGen Studio",
        version=__version__,
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.studio = state
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    from .routes import agents, gallery, meta, models, skills, workflows
    from .routes import sessions as session_routes

    for module in (meta, models, skills, agents, workflows, session_routes, gallery):
        app.include_router(module.router)

    @app.get("/", include_in_schema=False)
    def index(token: Optional[str] = None) -> Response:
        page = WEB_DIR / "index.html"
        response: Response = HTMLResponse(page.read_text(encoding="utf-8")) if page.is_file() else HTMLResponse(_NO_UI)
        if state.token is not None and token == state.token:
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return response

    mimetypes.add_type("text/javascript", ".js")  # ES modules need a JavaScript type
    if WEB_DIR.is_dir():  # the UI's files; without them, "/" says where the API docs are
        app.mount("/", StaticFiles(directory=WEB_DIR), name="web")
    if token is not None:
        app.add_middleware(TokenMiddleware, token=token)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(SameOriginMiddleware)  # outermost: other web pages are refused before anything else
    return app
