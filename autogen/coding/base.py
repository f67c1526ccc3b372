"""Data models and protocols shared by every code executor."""

from __future__ import annotations

from typing import Any, List, Literal, Optional, Protocol, TypedDict, Union, runtime_checkable

from pydantic import BaseModel, Field

__all__ = [
    "CodeBlock",
    "CodeExecutionConfig",
    "CodeExecutor",
    "CodeExtractor",
    "CodeResult",
    "CommandLineCodeResult",
    "IPythonCodeResult",
]


class CodeBlock(BaseModel):
    """A block of code and the language it is written in."""

    code: str = Field(description="The code to execute.")
    language: str = Field(description="The language of the code.")


class CodeResult(BaseModel):
    """What running one or more code blocks produced."""

    exit_code: int = Field(description="The exit code of the code execution.")
    output: str = Field(description="The output of the code execution.")


class CommandLineCodeResult(CodeResult):
    """A command-line execution result, with the file the (last) code block was saved to."""

    code_file: Optional[str] = Field(default=None, description="The file that the executed code block was saved to.")


class IPythonCodeResult(CodeResult):
    """A Jupyter-kernel execution result, with the files rich outputs were saved to."""

    output_files: List[str] = Field(
        default_factory=list, description="The list of files that the executed code blocks generated."
    )


@runtime_checkable
class CodeExtractor(Protocol):
    """Finds code blocks in a message."""

    def extract_code_blocks(self, message: Union[str, List[Any], None]) -> List[CodeBlock]:
        """Return the code blocks found in ``message`` (text or multimodal content)."""
        ...  # pragma: no cover


@runtime_checkable
class CodeExecutor(Protocol):
    """Runs code blocks and reports what they produced.

    Executors are synchronous and thread-safe; async callers run them with ``asyncio.to_thread``.
    """

    @property
    def code_extractor(self) -> CodeExtractor:
        """The extractor that finds code blocks in messages for this executor."""
        ...  # pragma: no cover

    def execute_code_blocks(self, code_blocks: List[CodeBlock]) -> CodeResult:
        """Run the blocks in order, stopping at the first failure."""
        ...  # pragma: no cover

    def restart(self) -> None:
        """Restart the executor, dropping any state kept between blocks."""
        ...  # pragma: no cover


class CodeExecutionConfig(TypedDict, total=False):
    """The ``code_execution_config`` dict an agent accepts.

    Keyword arguments for a named executor go under its name, e.g. ``{"executor": "commandline-local",
    "commandline-local": {"timeout": 30}}`` (not expressible as TypedDict fields).
    """

    executor: Union[Literal["ipython-embedded", "commandline-local", "sandbox", "docker"], CodeExecutor]
    last_n_messages: Union[int, Literal["auto"]]
    # legacy keys (``code_utils.execute_code`` path)
    work_dir: str
    use_docker: Union[bool, str, List[str]]
    timeout: int
    filename: str
