"""A client for the kernels of a Jupyter server: start, restart, delete, and run code in them.

This release drives kernels of a :class:`LocalJupyterServer` in this process (over
``jupyter_client``'s ZeroMQ channels). Connecting to a remote Jupyter Kernel Gateway by host and
port, as 0.2 did over REST and websockets, is not supported; the error says so.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional

from .._process import default_max_output_bytes
from ._kernel import KernelSession
from .base import JupyterConnectionInfo

if TYPE_CHECKING:
    from .local_jupyter_server import LocalJupyterServer

__all__ = ["JupyterClient", "JupyterKernelClient"]

_servers: Dict[str, LocalJupyterServer] = {}
_servers_lock = threading.Lock()


def register_server(server: LocalJupyterServer) -> None:
    """Make ``server`` reachable by its connection info."""
    with _servers_lock:
        _servers[_key(server.connection_info)] = server


def unregister_server(server: LocalJupyterServer) -> None:
    """Forget ``server``."""
    with _servers_lock:
        _servers.pop(_key(server.connection_info), None)


def _key(info: JupyterConnectionInfo) -> str:
    return f"{info.host}|{info.port}|{info.token}"


class JupyterKernelClient:
    """Runs code in one kernel."""

    @dataclass
    class ExecutionResult:
        """What one cell produced."""

        @dataclass
        class DataItem:
            """One rich output (e.g. ``image/png`` as base64 text)."""

            mime_type: str
            data: Any

        is_ok: bool
        output: str
        data_items: List[DataItem] = field(default_factory=list)

    def __init__(self, session: KernelSession) -> None:
        self._session = session

    @property
    def session(self) -> KernelSession:
        """The kernel this client drives."""
        return self._session

    def wait_for_ready(self, timeout_seconds: Optional[float] = None) -> bool:
        """Whether the kernel is running (it is ready as soon as it has started)."""
        return self._session.is_alive()

    def execute(self, code: str, timeout_seconds: Optional[float] = None) -> JupyterKernelClient.ExecutionResult:
        """Run ``code`` as one cell (default timeout 60 s)."""
        outcome = self._session.execute(code, timeout_seconds or 60, default_max_output_bytes())
        items = [self.ExecutionResult.DataItem(mime, data) for mime, data in outcome.data_items]
        return self.ExecutionResult(is_ok=outcome.is_ok, output=outcome.output, data_items=items)

    def stop(self) -> None:
        """Release the client (the kernel keeps running until deleted)."""

    def __enter__(self) -> JupyterKernelClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class JupyterClient:
    """Manages the kernels of the Jupyter server described by ``connection_info``.

    Raises:
        ConnectionError: when no :class:`LocalJupyterServer` of this process matches ``connection_info``.
    """

    def __init__(self, connection_info: JupyterConnectionInfo) -> None:
        with _servers_lock:
            server = _servers.get(_key(connection_info))
        if server is None:
            raise ConnectionError(
                f"No Jupyter server at {connection_info.host}:{connection_info.port} started by this process. "
                "This version of autogen runs kernels through LocalJupyterServer (or EmbeddedIPythonCodeExecutor); "
                "connecting to a remote Jupyter Kernel Gateway is not supported."
            )
        self._server = server
        self.connection_info = connection_info

    def list_kernel_specs(self) -> Dict[str, Dict[str, Any]]:
        """The installed kernelspecs, by name."""
        return self._server.list_kernel_specs()

    def list_kernels(self) -> List[Dict[str, str]]:
        """The running kernels (``id`` and ``name``)."""
        return self._server.list_kernels()

    def start_kernel(self, kernel_spec_name: str, env: Optional[Mapping[str, str]] = None) -> str:
        """Start a kernel and return its id (``env``: its environment; default the scrubbed host one)."""
        return self._server.start_kernel(kernel_spec_name, env=env)

    def delete_kernel(self, kernel_id: str) -> None:
        """Shut a kernel down."""
        self._server.delete_kernel(kernel_id)

    def restart_kernel(self, kernel_id: str) -> None:
        """Restart a kernel, dropping its state."""
        self._server.restart_kernel(kernel_id)

    def get_kernel_client(self, kernel_id: str) -> JupyterKernelClient:
        """A client that runs code in the kernel ``kernel_id``."""
        return JupyterKernelClient(self._server.kernel_session(kernel_id))
