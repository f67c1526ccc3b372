"""``autogen studio``: the browser UI to build, run and watch agent teams."""

from __future__ import annotations

import argparse

__all__ = ["run_studio"]


def run_studio(args: argparse.Namespace) -> int:
    """Start the Studio and serve it until Ctrl-C."""
    try:
        import alembic  # noqa: F401
        import fastapi  # noqa: F401
        import sqlalchemy  # noqa: F401
        import uvicorn  # noqa: F401

        from autogen.studio import serve
    except ImportError as err:
        from ._errors import CommandError

        raise CommandError(
            f'the Studio needs the studio extra ({err}); install it with: pip install "autogen[studio]"'
        ) from None
    return serve(args.host, args.port, args.appdir, args.database_uri, open_browser=args.open)
