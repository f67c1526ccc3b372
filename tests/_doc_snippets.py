"""Collect the ```python blocks of a markdown page and run them, in order, against the OpenAI test server.

A page's blocks share one namespace, as if a reader pasted them into one Python session. An HTML
comment right before a block says what the block needs::

    <!-- snippet: {"replies": ["TERMINATE"], "inputs": ["exit"]} -->   scripted model replies, human input lines
    <!-- snippet: {"replies": [{"$fail": 429}, "Hi"]} -->               an HTTP error, then an answer
    <!-- snippet: skip why it cannot run here -->                       not run (keep these few)

Without a comment a block gets no scripted reply (the server then answers "TERMINATE") and no
human input (asking the human fails the block). Each block must use every reply scripted for it.

Run one page: ``python tests/_doc_snippets.py docs/tutorial/tool-use.md`` (in a scratch directory:
blocks write files). It starts an ``OpenAITestServer``, writes ``./OAI_CONFIG_LIST`` for it, points
``$OAI_CONFIG_LIST`` at that file, and exits 1 with the page and line of the first failing block.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from markdown_it import MarkdownIt

MARKER = re.compile(r"^<!--\s*snippet:\s*(?P<body>.*?)\s*-->\s*$", re.DOTALL)
# The models a page may ask for by name; every one is the test server.
MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4")
DEFAULT_REPLY = "TERMINATE"


class SnippetMarkerError(ValueError):
    """A ``<!-- snippet: ... -->`` comment is malformed or not followed by a python block."""


@dataclass
class Snippet:
    """One ```python block: where it is, its code, and what it needs to run."""

    path: str
    line: int  # 1-based line of the first line of code
    code: str
    skip: Optional[str] = None
    replies: list[Any] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)


def _parse_marker(body: str, where: str) -> dict[str, Any]:
    if body.startswith("skip"):
        reason = body[len("skip") :].strip(" :")
        if not reason:
            example = "<!-- snippet: skip needs Docker -->"
            raise SnippetMarkerError(f"{where}: 'snippet: skip' needs a reason, e.g. {example}")
        return {"skip": reason}
    try:
        spec = json.loads(body)
    except json.JSONDecodeError as err:
        raise SnippetMarkerError(f"{where}: snippet marker is neither 'skip REASON' nor JSON ({err.msg})") from None
    unknown = set(spec) - {"replies", "inputs"} if isinstance(spec, dict) else {"(not an object)"}
    if unknown:
        raise SnippetMarkerError(f"{where}: unknown snippet keys {sorted(unknown)}; use 'replies' and 'inputs'")
    return spec


def collect(path: Path, text: Optional[str] = None) -> list[Snippet]:
    """The python blocks of one markdown file, with their markers."""
    text = path.read_text(encoding="utf-8") if text is None else text
    snippets: list[Snippet] = []
    marker: Optional[tuple[dict[str, Any], str]] = None
    for token in MarkdownIt("commonmark").parse(text):
        if token.type in ("paragraph_close", "inline") or token.nesting == -1:
            continue
        line = token.map[0] + 1 if token.map else 0
        found = MARKER.match(token.content.strip()) if token.type == "html_block" else None
        if marker is not None and token.type != "fence":
            raise SnippetMarkerError(f"{marker[1]}: a snippet marker must come right before a ```python block")
        if found:
            where = f"{path}:{line}"
            marker = (_parse_marker(found.group("body"), where), where)
        elif token.type == "fence" and token.info.strip().split(" ")[0] in ("python", "py"):
            spec = marker[0] if marker else {}
            snippets.append(
                Snippet(
                    str(path),
                    line + 1,
                    token.content,
                    skip=spec.get("skip"),
                    replies=list(spec.get("replies", [])),
                    inputs=[str(i) for i in spec.get("inputs", [])],
                )
            )
            marker = None
        elif token.type == "fence" and marker is not None:
            raise SnippetMarkerError(f"{marker[1]}: a snippet marker must come right before a ```python block")
    if marker is not None:
        raise SnippetMarkerError(f"{marker[1]}: a snippet marker must come right before a ```python block")
    return snippets


def _reply(spec: Any) -> Any:
    """A scripted reply from its JSON form: ``{"$fail": STATUS, "message": ...}`` is an HTTP error."""
    from autogen.testing import Fail

    if isinstance(spec, dict) and "$fail" in spec:
        return Fail(int(spec["$fail"]), spec.get("message", "injected server error"))
    return spec


def write_config_list(base_url: str, api_key: str, path: Path) -> None:
    """An OAI_CONFIG_LIST with one entry per model name in MODELS, each served by the test server."""
    entries = [{"model": model, "base_url": base_url, "api_key": api_key} for model in MODELS]
    path.write_text(json.dumps(entries, indent=2), encoding="utf-8")


def run_snippets(snippets: list[Snippet]) -> int:
    """Run the blocks in one namespace against a fresh test server; 0 if all ran and used their script."""
    from autogen.testing import OpenAITestServer

    namespace: dict[str, Any] = {"__name__": "__main__"}
    with OpenAITestServer(default_reply=DEFAULT_REPLY) as server:
        config_file = Path("OAI_CONFIG_LIST").resolve()
        write_config_list(server.base_url, server.config_list()[0]["api_key"], config_file)
        os.environ["OAI_CONFIG_LIST"] = str(config_file)
        for snippet in snippets:
            where = f"{snippet.path}:{snippet.line}"
            if snippet.skip:
                print(f"skipped {where}: {snippet.skip}", flush=True)
                continue
            server.script(*(_reply(spec) for spec in snippet.replies))
            stdin, previous_stdin = io.StringIO("".join(f"{line}\n" for line in snippet.inputs)), sys.stdin
            sys.stdin = stdin
            code = compile("\n" * (snippet.line - 1) + snippet.code, snippet.path, "exec")
            try:
                exec(code, namespace)
            except BaseException:
                traceback.print_exc()
                print(f"FAILED {where}: the block raised", flush=True)
                return 1
            finally:
                sys.stdin = previous_stdin
            if server.pending:
                print(f"FAILED {where}: {server.pending} scripted model replies were never asked for", flush=True)
                return 1
            unread = stdin.read()
            if unread:
                print(f"FAILED {where}: human input never read: {unread!r}", flush=True)
                return 1
            print(f"ok {where}", flush=True)
    return 0


def main(argv: list[str]) -> int:
    snippets = [snippet for page in argv for snippet in collect(Path(page))]
    return run_snippets(snippets)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
