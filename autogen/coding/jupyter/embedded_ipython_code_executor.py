"""Run code blocks in a local IPython kernel that keeps its state between blocks."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from .._env import scrubbed_environ
from .._lifecycle import StopOnExit
from .._process import default_max_output_bytes
from ..base import CodeBlock, CodeExtractor, IPythonCodeResult
from ..markdown_code_extractor import MarkdownCodeExtractor
from ._cells import run_blocks
from ._kernel import KernelSession

__all__ = ["EmbeddedIPythonCodeExecutor"]


class EmbeddedIPythonCodeExecutor(BaseModel, StopOnExit):
    """Runs code blocks in a Jupyter kernel started on this machine (``jupyter_client`` + ``ipykernel``).

    Variables and imports persist between blocks until :meth:`restart`. Python blocks run as
    cells (``!command`` lines run in a shell, as in IPython), ``sh``/``bash`` blocks through the
    ``%%sh``/``%%bash`` cell magics. Images and HTML
    are saved to ``output_dir`` and listed in ``output_files``. On timeout the cell is
    interrupted, the processes it started are killed, and the exit code is 124.
    **The code runs on this machine with your permissions** (see ``docs/security.md``); the
    kernel gets the host environment without secret-looking variables.

    Attributes:
        timeout: seconds one block may run (at least 1).
        kernel_name: the kernelspec to start (``python -m ipykernel install --user`` installs ``python3``).
        output_dir: existing directory for saved images and HTML.
        max_output_bytes: bytes of text output kept per block (ours; default ``AUTOGEN_MAX_OUTPUT_BYTES`` or 1 MB).
        env: variables set for the kernel on top of the scrubbed environment (ours).
        passthrough_env: names of host variables passed although they look secret (ours).
        secret_values: values removed from the kernel's environment under any name (ours).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    timeout: int = Field(default=60, ge=1, description="The timeout for code execution.")
    kernel_name: str = Field(default="python3", description="The kernel name to use.")
    output_dir: Union[Path, str] = Field(default=Path("."), description="The directory to save output files to.")
    max_output_bytes: int = Field(default_factory=default_max_output_bytes, ge=1, description="Output kept per block.")
    env: Dict[str, str] = Field(default_factory=dict, description="Variables set for the kernel.")
    passthrough_env: List[str] = Field(default_factory=list, description="Secret-looking host variables to pass.")
    secret_values: List[str] = Field(default_factory=list, description="Values removed from the kernel's env.")

    _session: KernelSession = PrivateAttr()

    @field_validator("output_dir")
    @classmethod
    def _output_dir_must_exist(cls, value: Union[str, Path]) -> Path:
        path = Path(value)
        if not path.is_dir():
            raise ValueError(f"Output directory {value} does not exist.")
        return path

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        env = scrubbed_environ(passthrough=self.passthrough_env, extra=self.env, secret_values=self.secret_values)
        self._session = KernelSession(self.kernel_name, env=env)

    @property
    def code_extractor(self) -> CodeExtractor:
        """Finds fenced Markdown code blocks."""
        return MarkdownCodeExtractor()

    def execute_code_blocks(self, code_blocks: List[CodeBlock]) -> IPythonCodeResult:
        """Run the blocks in the kernel, in order, stopping at the first failure."""
        return run_blocks(
            self._session,
            code_blocks,
            timeout=self.timeout,
            output_dir=Path(self.output_dir),
            max_output_bytes=self.max_output_bytes,
        )

    def restart(self) -> None:
        """Restart the kernel, dropping every variable and import."""
        self._session.restart()

    def stop(self) -> None:
        """Shut the kernel down (also done at interpreter exit). Safe to call twice."""
        self._session.shutdown()
