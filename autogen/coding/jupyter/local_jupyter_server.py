"""A Jupyter "server" in this process: it starts and owns local kernels for JupyterCodeExecutor."""

from __future__ import annotations

import secrets
import threading
import uuid
from typing import Any, Dict, List, Mapping, Optional, Union

from .._lifecycle import StopOnExit
from ._kernel import KernelSession, check_kernel_installed
from .base import JupyterConnectable, JupyterConnectionInfo
from .jupyter_client import JupyterClient, register_server, unregister_server

__all__ = ["LocalJupyterServer"]


class LocalJupyterServer(JupyterConnectable, StopOnExit):
    """Starts kernels on this machine for :class:`JupyterCodeExecutor`.

    0.2 spawned ``jupyter-kernel-gateway`` and talked to it over HTTP and websockets. This version
    keeps the class and its arguments but runs kernels directly with ``jupyter_client`` (no
    gateway process, no open port, no extra dependency). ``port`` and the ``log_*`` arguments are
    accepted for compatibility; the token only identifies the server inside this process.

    Args:
        ip: reported in ``connection_info``.
        port: reported in ``connection_info``.
        token: a token, or ``GenerateToken()`` for a random one.
        log_file: accepted, unused (no gateway log); so are ``log_level``, ``log_max_bytes`` and
            ``log_backup_count``.

    Raises:
        ValueError: when the ``python3`` kernelspec is not installed (says how to install it).
    """

    class GenerateToken:
        """Marker: generate a random token."""

    def __init__(
        self,
        ip: str = "127.0.0.1",
        port: Optional[int] = None,
        token: Union[str, GenerateToken] = GenerateToken(),
        log_file: str = "jupyter_gateway.log",
        log_level: str = "INFO",
        log_max_bytes: int = 1048576,
        log_backup_count: int = 3,
    ) -> None:
        check_kernel_installed("python3")
        self.ip = ip
        self.port = port
        self.token = secrets.token_hex(32) if isinstance(token, LocalJupyterServer.GenerateToken) else token
        self.log_file = log_file
        self._kernels: Dict[str, KernelSession] = {}
        self._lock = threading.Lock()
        self._stopped = False
        register_server(self)

    @property
    def connection_info(self) -> JupyterConnectionInfo:
        """How a :class:`JupyterClient` finds this server."""
        return JupyterConnectionInfo(host=self.ip, use_https=False, port=self.port, token=self.token)

    def get_client(self) -> JupyterClient:
        """A client for this server's kernels."""
        return JupyterClient(self.connection_info)

    # ------------------------------------------------------------------ kernel management
    def list_kernel_specs(self) -> Dict[str, Dict[str, Any]]:
        """The installed kernelspecs, by name."""
        from jupyter_client.kernelspec import KernelSpecManager

        return {"kernelspecs": KernelSpecManager().get_all_specs()}

    def list_kernels(self) -> List[Dict[str, str]]:
        """The running kernels."""
        with self._lock:
            return [{"id": kid, "name": s.kernel_name} for kid, s in self._kernels.items()]

    def start_kernel(self, kernel_spec_name: str, env: Optional[Mapping[str, str]] = None) -> str:
        """Start a kernel and return its id (``env``: its environment; default the scrubbed host one)."""
        if self._stopped:
            raise RuntimeError("This LocalJupyterServer has been stopped.")
        session = KernelSession(kernel_spec_name, env=env)
        kernel_id = str(uuid.uuid4())
        with self._lock:
            self._kernels[kernel_id] = session
        return kernel_id

    def kernel_session(self, kernel_id: str) -> KernelSession:
        """The running kernel ``kernel_id``."""
        with self._lock:
            session = self._kernels.get(kernel_id)
        if session is None:
            raise KeyError(f"No kernel {kernel_id!r} on this server")
        return session

    def restart_kernel(self, kernel_id: str) -> None:
        """Restart a kernel, dropping its state."""
        self.kernel_session(kernel_id).restart()

    def delete_kernel(self, kernel_id: str) -> None:
        """Shut a kernel down."""
        with self._lock:
            session = self._kernels.pop(kernel_id, None)
        if session is not None:
            session.shutdown()

    def stop(self) -> None:
        """Shut every kernel down. Safe to call twice."""
        self._stopped = True
        with self._lock:
            kernel_ids = list(self._kernels)
        for kernel_id in kernel_ids:
            self.delete_kernel(kernel_id)
        unregister_server(self)
