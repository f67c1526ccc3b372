"""``serve``: run the Studio with uvicorn, print its URL, optionally open a browser."""

from __future__ import annotations

import os
import socket
import threading
import time
import webbrowser
from typing import Any, Callable, Optional, Union

from .auth import LOOPBACK_HOSTS, needs_token, new_token

__all__ = ["serve", "studio_url"]


def studio_url(host: str, port: int, token: Optional[str]) -> str:
    """The URL to open (with ``?token=`` when a token is required)."""
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def _open_when_started(server: Any, url: str) -> None:
    for _ in range(300):
        if getattr(server, "started", False):
            webbrowser.open(url)
            return
        time.sleep(0.1)


def serve(
    host: str = "127.0.0.1",
    port: int = 8081,
    appdir: Union[str, os.PathLike, None] = None,
    database_uri: Optional[str] = None,
    *,
    open_browser: bool = False,
    token: Optional[str] = None,
    echo: Callable[[str], None] = print,
) -> int:
    """Run the Studio until Ctrl-C; returns the exit code.

    Bound to a loopback address no token is needed; bound to any other address a random token is
    required (or ``token``), and the printed URL carries it.
    """
    import uvicorn

    from .app import create_app

    if not (0 < port < 65536):
        raise ValueError(f"port must be between 1 and 65535, got {port}")
    if token is None and needs_token(host):
        token = new_token()
    app = create_app(appdir, database_uri, token)
    if token is None:  # loopback only: refuse other Host names, so a web page cannot reach it by DNS rebinding
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(LOOPBACK_HOSTS))
    url = studio_url(host, port, token)
    echo(f"AutoGen Studio: {url}")
    if token:
        echo("It listens beyond this machine: every API call needs the token in that URL.")
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    server.run()
    return 0
