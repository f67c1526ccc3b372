"""DockerJupyterServer: kept for the 0.2 API; not available in this version."""

from __future__ import annotations

from typing import Dict, Optional, Union

from .base import JupyterConnectable, JupyterConnectionInfo

__all__ = ["DockerJupyterServer"]

UNAVAILABLE = (
    "DockerJupyterServer is not available in this version of autogen: it needs a jupyter-kernel-gateway image "
    "built from a registry (quay.io/jupyter/docker-stacks-foundation) and a remote-gateway client. "
    "For sandboxed execution use DockerCommandLineCodeExecutor; for a stateful kernel use "
    "EmbeddedIPythonCodeExecutor or JupyterCodeExecutor(LocalJupyterServer())."
)


class DockerJupyterServer(JupyterConnectable):
    """Placeholder with 0.2's signature; constructing it raises RuntimeError explaining the alternatives."""

    class GenerateToken:
        """Marker: generate a random token."""

    def __init__(
        self,
        *,
        custom_image_name: Optional[str] = None,
        container_name: Optional[str] = None,
        auto_remove: bool = True,
        stop_container: bool = True,
        docker_env: Optional[Dict[str, str]] = None,
        token: Union[str, GenerateToken] = GenerateToken(),
    ) -> None:
        raise RuntimeError(UNAVAILABLE)

    @property
    def connection_info(self) -> JupyterConnectionInfo:  # pragma: no cover - never constructed
        raise RuntimeError(UNAVAILABLE)
