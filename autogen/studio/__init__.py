"""AutoGen Studio: define models, skills, agents and workflows in the browser, run them and watch them.

``create_app(appdir, database_uri=None, token=None)`` builds the FastAPI app; ``serve(...)`` runs it with
uvicorn (what ``autogen studio`` does). Needs the ``studio`` extra: ``pip install "autogen[studio]"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "serve"]


def create_app(*args: Any, **kwargs: Any) -> FastAPI:
    """The Studio's FastAPI app (see :func:`autogen.studio.app.create_app`)."""
    from .app import create_app as make

    return make(*args, **kwargs)


def serve(*args: Any, **kwargs: Any) -> int:
    """Run the Studio with uvicorn until Ctrl-C (see :func:`autogen.studio.server.serve`)."""
    from .server import serve as run

    return run(*args, **kwargs)
