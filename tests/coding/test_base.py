"""The result models and protocols of autogen.coding."""

from __future__ import annotations

import sys
from pathlib import Path

import autogen.coding as coding
from autogen.coding import CodeBlock, CodeExecutor, CodeExtractor, CodeResult, MarkdownCodeExtractor
from autogen.coding.base import CommandLineCodeResult, IPythonCodeResult


def test_models_hold_their_fields() -> None:
    assert CodeBlock(code="x", language="py").model_dump() == {"code": "x", "language": "py"}
    assert CommandLineCodeResult(exit_code=0, output="o").code_file is None
    assert IPythonCodeResult(exit_code=0, output="o").output_files == []
    assert isinstance(CommandLineCodeResult(exit_code=1, output=""), CodeResult)


def test_protocols_are_runtime_checkable(tmp_path: Path) -> None:
    assert isinstance(MarkdownCodeExtractor(), CodeExtractor)
    assert isinstance(coding.LocalCommandLineCodeExecutor(work_dir=tmp_path), CodeExecutor)
    assert not isinstance(object(), CodeExecutor)


def test_importing_coding_loads_neither_docker_nor_jupyter() -> None:
    import subprocess

    code = "import sys, autogen.coding; print([m for m in ('docker', 'jupyter_client') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=_repo()).stdout
    assert out == "[]\n"


def _repo() -> str:
    return str(Path(__file__).resolve().parents[2])
