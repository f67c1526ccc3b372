"""``/api/version`` and ``/api/highlight``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from autogen.version import __version__

from ..schemas import HighlightIn

router = APIRouter(prefix="/api", tags=["meta"])


@router.get("/version")
def version() -> dict[str, str]:
    """The autogen version serving the Studio."""
    return {"version": __version__}


@router.post("/highlight")
def highlight(body: HighlightIn) -> dict[str, Any]:
    """Code as HTML coloured by Pygments, with the CSS of its classes (scoped to ``.highlight``)."""
    from pygments import highlight as render
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(body.language)
    except ClassNotFound:
        raise HTTPException(422, f"language {body.language!r} is unknown to Pygments; use e.g. 'python'") from None
    formatter = HtmlFormatter(cssclass="highlight")
    return {"html": render(body.code, lexer, formatter), "css": formatter.get_style_defs(".highlight")}
