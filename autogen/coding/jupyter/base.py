"""How to reach a Jupyter server, and the protocol of objects that know it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Protocol, runtime_checkable

__all__ = ["JupyterConnectable", "JupyterConnectionInfo"]


@dataclass
class JupyterConnectionInfo:
    """Where a Jupyter server listens and the token that authorises clients."""

    host: str
    """Host name or IP address of the server."""
    use_https: bool
    """Whether to use HTTPS."""
    port: Optional[int] = None
    """Port of the server (None: the scheme's default)."""
    token: Optional[str] = None
    """Token for authentication (None: none needed)."""


@runtime_checkable
class JupyterConnectable(Protocol):
    """Something that can tell a :class:`JupyterCodeExecutor` how to reach its server."""

    @property
    def connection_info(self) -> JupyterConnectionInfo:
        """The server's connection details."""
        ...  # pragma: no cover
