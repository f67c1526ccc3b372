"""Run code blocks in a kernel of a Jupyter server."""

from __future__ import annotations

from pathlib import Path
from typing import List, Mapping, Optional, Sequence, Union

from .._env import scrubbed_environ
from .._lifecycle import StopOnExit
from .._process import default_max_output_bytes
from ..base import CodeBlock, CodeExtractor, IPythonCodeResult
from ..markdown_code_extractor import MarkdownCodeExtractor
from ._cells import run_blocks
from .base import JupyterConnectable, JupyterConnectionInfo
from .jupyter_client import JupyterClient

__all__ = ["JupyterCodeExecutor"]


class JupyterCodeExecutor(StopOnExit):
    """Runs code blocks in a kernel of ``jupyter_server``, keeping state between blocks.

    Python blocks run as cells (``!command`` lines run in a shell, as in IPython), ``sh``/``bash``
    blocks through ``%%sh``/``%%bash``. The kernel gets the host environment without
    secret-looking variables (see ``docs/security.md``). Images and HTML
    go to ``output_dir`` (listed in ``output_files``). On timeout the cell is interrupted, the
    processes it started are killed, and the exit code is 124.

    Args:
        jupyter_server: a :class:`LocalJupyterServer` (or its ``connection_info``).
        kernel_name: the kernelspec to start.
        timeout: seconds one block may run (at least 1).
        output_dir: existing directory for saved images and HTML.
        max_output_bytes: bytes of text output kept per block (ours; default ``AUTOGEN_MAX_OUTPUT_BYTES`` or 1 MB).
        env: variables set for the kernel on top of the scrubbed environment (ours).
        passthrough_env: names of host variables passed although they look secret (ours).
        secret_values: values removed from the kernel's environment under any name (ours).
    """

    def __init__(
        self,
        jupyter_server: Union[JupyterConnectable, JupyterConnectionInfo],
        kernel_name: str = "python3",
        timeout: int = 60,
        output_dir: Union[Path, str] = Path("."),
        max_output_bytes: Optional[int] = None,
        env: Optional[Mapping[str, str]] = None,
        passthrough_env: Sequence[str] = (),
        secret_values: Sequence[str] = (),
    ) -> None:
        if timeout < 1:
            raise ValueError(f"timeout must be at least 1 second, got {timeout!r}")
        if not Path(output_dir).is_dir():
            raise ValueError(f"Output directory {output_dir} does not exist.")
        if isinstance(jupyter_server, JupyterConnectionInfo):
            info = jupyter_server
        elif isinstance(jupyter_server, JupyterConnectable):
            info = jupyter_server.connection_info
        else:
            raise ValueError(
                f"jupyter_server must be a JupyterConnectable (e.g. LocalJupyterServer) or JupyterConnectionInfo, "
                f"got {type(jupyter_server).__name__}"
            )
        self._client = JupyterClient(info)
        self._kernel_name = kernel_name
        kernel_env = scrubbed_environ(passthrough=passthrough_env, extra=env, secret_values=secret_values)
        self._kernel_id = self._client.start_kernel(kernel_name, env=kernel_env)
        self._kernel_client = self._client.get_kernel_client(self._kernel_id)
        self._timeout = timeout
        self._output_dir = Path(output_dir)
        self._max_output_bytes = default_max_output_bytes() if max_output_bytes is None else max_output_bytes
        if self._max_output_bytes < 1:
            raise ValueError(f"max_output_bytes must be positive, got {max_output_bytes!r}")
        self._stopped = False

    @property
    def code_extractor(self) -> CodeExtractor:
        """Finds fenced Markdown code blocks."""
        return MarkdownCodeExtractor()

    @property
    def timeout(self) -> int:
        """Seconds one block may run."""
        return self._timeout

    @property
    def output_dir(self) -> Path:
        """Where images and HTML are saved."""
        return self._output_dir

    def execute_code_blocks(self, code_blocks: List[CodeBlock]) -> IPythonCodeResult:
        """Run the blocks in the kernel, in order, stopping at the first failure."""
        return run_blocks(
            self._kernel_client.session,
            code_blocks,
            timeout=self._timeout,
            output_dir=self._output_dir,
            max_output_bytes=self._max_output_bytes,
        )

    def restart(self) -> None:
        """Restart the kernel, dropping every variable and import."""
        self._client.restart_kernel(self._kernel_id)

    def stop(self) -> None:
        """Shut the kernel down. Safe to call twice."""
        if not self._stopped:
            self._stopped = True
            self._kernel_client.stop()
            self._client.delete_kernel(self._kernel_id)
