"""Run a Jupyter notebook against the OpenAI test server, with the model answers the notebook itself scripts.

A notebook keeps its scripted answers in its metadata, ``metadata["autogen"]["test_replies"]``: a list of
replies in :class:`~autogen.testing.OpenAITestServer`'s format (a string, or a dict with ``content`` or
``tool_calls``). :func:`run_notebook` starts a server with exactly those answers, points
``OAI_CONFIG_LIST`` at it, executes every cell in a fresh kernel and checks that no cell failed and that
every answer was used (so a notebook that makes fewer or more model calls than it claims fails too).

    python -m autogen.testing.notebooks notebook/*.ipynb          # check them
    python -m autogen.testing.notebooks --save notebook/*.ipynb   # and store the fresh outputs

Needs ``nbclient`` and a Jupyter kernel (``pip install -e ".[notebooks]"``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from .openai_server import OpenAITestServer

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["NotebookRun", "NotebookRunError", "run_notebook", "scripted_replies"]

_ENV_LOCK = threading.Lock()  # the kernel inherits os.environ when it starts


class NotebookRunError(RuntimeError):
    """A cell failed, or the notebook did not use exactly the answers it scripts."""


@dataclass
class NotebookRun:
    """What a run produced: the executed notebook and the requests the model server saw."""

    notebook: NotebookNode
    chat_requests: list[dict[str, Any]]


def scripted_replies(notebook: NotebookNode, path: str = "notebook") -> list[Any]:
    """The answers a notebook scripts for the test server (``metadata.autogen.test_replies``)."""
    replies = notebook.metadata.get("autogen", {}).get("test_replies")
    if not isinstance(replies, list):
        raise NotebookRunError(
            f"{path}: no scripted answers; add metadata.autogen.test_replies (a list of replies, see "
            "autogen.testing.OpenAITestServer) to run it against the test server"
        )
    return replies


def _plain(value: Any) -> Any:
    """nbformat's attribute dicts as plain JSON values, for the server."""
    return json.loads(json.dumps(value))


def run_notebook(path: str, *, save: bool = False, timeout: int = 180, kernel_name: str = "python3") -> NotebookRun:
    """Execute the notebook at ``path`` against a test server scripted by the notebook; see the module doc.

    Cells run with the notebook's folder as the working directory. ``save`` writes the outputs back.
    Raises :class:`NotebookRunError` naming the failing cell, or the unused/missing answers.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    replies = [_plain(reply) for reply in scripted_replies(notebook, path)]
    with OpenAITestServer(replies) as server, tempfile.TemporaryDirectory(prefix="autogen-nb-") as scratch:
        config_file = Path(scratch, "OAI_CONFIG_LIST")
        config_file.write_text(json.dumps(server.config_list()))
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name=kernel_name,
            resources={"metadata": {"path": str(Path(path).resolve().parent)}},
        )
        with _ENV_LOCK:
            saved = os.environ.get("OAI_CONFIG_LIST")
            os.environ["OAI_CONFIG_LIST"] = str(config_file)
            try:
                client.execute()
            except CellExecutionError as err:
                raise NotebookRunError(f"{path}: a cell failed:\n{err}") from None
            finally:
                if saved is None:
                    os.environ.pop("OAI_CONFIG_LIST", None)
                else:
                    os.environ["OAI_CONFIG_LIST"] = saved
        if server.pending:
            raise NotebookRunError(
                f"{path}: {server.pending} of the {len(replies)} scripted answers were not used; the notebook made "
                "fewer model calls than its metadata.autogen.test_replies script"
            )
        requests = server.chat_requests
    if save:
        nbformat.write(notebook, path)
    return NotebookRun(notebook, requests)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Run notebooks against the OpenAI test server.")
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK")
    parser.add_argument("--save", action="store_true", help="write the fresh outputs into the notebooks")
    parser.add_argument("--timeout", type=int, default=180, help="seconds per cell")
    args = parser.parse_args(argv)
    failed = 0
    for path in args.notebooks:
        try:
            run = run_notebook(path, save=args.save, timeout=args.timeout)
        except NotebookRunError as err:
            failed += 1
            print(f"FAIL {err}", file=sys.stderr)
            continue
        print(f"ok   {path} ({len(run.chat_requests)} model calls)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
