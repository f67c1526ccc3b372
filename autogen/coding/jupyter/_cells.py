"""Turn code blocks into kernel cells, run them, and save rich outputs (images, HTML) to files."""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path
from typing import Any, List, Optional

from .._languages import normalize_language
from .._output import output_cap_notice
from .._process import TIMEOUT_MSG
from ..base import CodeBlock, IPythonCodeResult
from ..utils import silence_pip
from ._kernel import CellOutcome, KernelSession

__all__ = ["cell_source", "run_blocks", "save_data_item"]

PYTHON_LANGUAGES = {"python", "ipython", ""}
SHELL_LANGUAGES = {"sh": "%%sh", "shell": "%%sh", "bash": "%%bash"}
_BINARY_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif"}
_TEXT_EXTENSIONS = {"text/html": "html", "image/svg+xml": "svg", "text/markdown": "md", "text/latex": "tex"}
_LABELS = {"text/html": "HTML", "image/svg+xml": "SVG", "text/markdown": "Markdown", "text/latex": "LaTeX"}


def cell_source(block: CodeBlock) -> Optional[str]:
    """The cell to run for ``block``: Python as is, shell through ``%%sh``/``%%bash``; None if unsupported."""
    lang = normalize_language(block.language)
    if lang in PYTHON_LANGUAGES:
        return silence_pip(block.code, "python")
    if lang in SHELL_LANGUAGES:
        return f"{SHELL_LANGUAGES[lang]}\n{silence_pip(block.code, 'sh')}"
    return None


def save_data_item(mime: str, value: Any, output_dir: Path) -> tuple[str, Optional[Path]]:
    """Save one rich output; return the line that replaces it in the output and the file written (if any)."""
    if mime in _BINARY_EXTENSIONS:
        path = output_dir / f"{uuid.uuid4().hex}.{_BINARY_EXTENSIONS[mime]}"
        path.write_bytes(base64.b64decode(value))
        return f"Image data saved to {path}\n", path
    if mime in _TEXT_EXTENSIONS:
        path = output_dir / f"{uuid.uuid4().hex}.{_TEXT_EXTENSIONS[mime]}"
        path.write_text(value if isinstance(value, str) else "".join(value), encoding="utf-8")
        return f"{_LABELS[mime]} data saved to {path}\n", path
    if isinstance(value, (dict, list)):
        return json.dumps(value) + "\n", None
    return f"{value}\n", None


def run_blocks(
    session: KernelSession,
    code_blocks: List[CodeBlock],
    *,
    timeout: float,
    output_dir: Path,
    max_output_bytes: int,
) -> IPythonCodeResult:
    """Run the blocks in one kernel, in order, stopping at the first failure."""
    outputs: List[str] = []
    files: List[str] = []
    exit_code = 0
    for block in code_blocks:
        source = cell_source(block)
        if source is None:
            outputs.append(f"Unsupported language {block.language!r}: use python, sh or bash.\n")
            exit_code = 1
            break
        outcome: CellOutcome = session.execute(source, timeout, max_output_bytes)
        outputs.append(outcome.output)
        for mime, value in outcome.data_items:
            line, path = save_data_item(mime, value, output_dir)
            outputs.append(line)
            if path is not None:
                files.append(str(path))
        exit_code = outcome.exit_code
        if outcome.timed_out:
            outputs.append(f"\n{TIMEOUT_MSG}: the code ran longer than {timeout} seconds and was interrupted.")
            break
        if outcome.truncated:
            outputs.append(output_cap_notice(max_output_bytes))
            break
        if not outcome.is_ok:
            break
    return IPythonCodeResult(exit_code=exit_code, output="".join(outputs), output_files=files)
