"""``autogen local serve``: run the local model server in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import json
import signal
from pathlib import Path
from types import FrameType
from typing import Optional

from ._console import make_console

__all__ = ["run_serve"]


def _exit_on_sigterm(signum: int, frame: Optional[FrameType]) -> None:
    raise SystemExit(128 + signum)  # unwinds through the server's context manager, which stops it


def run_serve(args: argparse.Namespace) -> int:
    """Start the server, print its config list, and wait until Ctrl-C or SIGTERM."""
    from autogen.oai.local import LocalModelServer

    console = make_console()
    server = LocalModelServer(args.model_path, host=args.host, port=args.port, n_ctx=args.n_ctx)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    with console.status(f"starting {server.model_path.name}..."):
        server.start()
    with server:
        config_json = json.dumps(server.config_list())
        console.print(f"[bold green]serving[/bold green] {server.model} at {server.base_url}")
        console.print("config list (use it as OAI_CONFIG_LIST):")
        console.print(config_json, markup=False)
        if args.write_config:
            Path(args.write_config).write_text(config_json + "\n", encoding="utf-8")
            console.print(f"wrote {args.write_config}", markup=False)
        console.print("press Ctrl-C to stop", style="dim")
        console.file.flush()
        try:
            code = server.serve_forever()
        except KeyboardInterrupt:  # the normal way to stop
            console.print("stopped")
            return 0
    console.print(f"the server exited on its own with code {code}")
    return 1
