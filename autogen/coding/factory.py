"""Build the code executor a ``code_execution_config`` asks for."""

from __future__ import annotations

from typing import Any, Mapping

from .base import CodeExecutor

__all__ = ["CodeExecutorFactory"]

_NAMES = ("commandline-local", "ipython-embedded", "sandbox", "docker")

# the options of DockerCommandLineCodeExecutor the sandbox takes when it stands in for Docker
_SHARED_WITH_DOCKER = ("timeout", "work_dir", "execution_policies", "max_output_bytes")


class CodeExecutorFactory:
    """Creates executors from ``{"executor": <name or instance>, <name>: {kwargs}}``."""

    @staticmethod
    def create(code_execution_config: Mapping[str, Any]) -> CodeExecutor:
        """Return the executor named by ``code_execution_config["executor"]``.

        ``"commandline-local"`` → :class:`LocalCommandLineCodeExecutor` with
        ``code_execution_config["commandline-local"]`` as keyword arguments; ``"ipython-embedded"``
        → :class:`EmbeddedIPythonCodeExecutor` likewise; an executor instance is returned as is.
        Ours: ``"sandbox"`` → :class:`SandboxedCommandLineCodeExecutor` (bubblewrap, no Docker);
        ``"docker"`` → :class:`DockerCommandLineCodeExecutor`, or, when Docker is not running, the
        sandbox with the options both take (``timeout``, ``work_dir``, ``execution_policies``,
        ``max_output_bytes``) and a warning once per process.

        Raises:
            ValueError: for a missing or unknown executor.
            RuntimeError: for ``"docker"`` when neither Docker nor the sandbox can run here.
        """
        executor = code_execution_config.get("executor")
        if isinstance(executor, CodeExecutor):
            return executor
        options = dict(code_execution_config.get(executor) or {}) if executor in _NAMES else {}
        if executor == "commandline-local":
            from .local_commandline_code_executor import LocalCommandLineCodeExecutor

            return LocalCommandLineCodeExecutor(**options)
        if executor == "ipython-embedded":
            from .jupyter.embedded_ipython_code_executor import EmbeddedIPythonCodeExecutor

            return EmbeddedIPythonCodeExecutor(**options)
        if executor == "docker":
            from ._docker_fallback import docker_replaced_by_sandbox

            if not docker_replaced_by_sandbox(True):
                from .docker_commandline_code_executor import DockerCommandLineCodeExecutor

                return DockerCommandLineCodeExecutor(**options)
            options = {name: value for name, value in options.items() if name in _SHARED_WITH_DOCKER}
            executor = "sandbox"
        if executor == "sandbox":
            from .sandbox_commandline_code_executor import SandboxedCommandLineCodeExecutor

            return SandboxedCommandLineCodeExecutor(**options)
        raise ValueError(
            f"Unknown code executor {executor!r}: use one of {', '.join(map(repr, _NAMES))} or a CodeExecutor instance."
        )
