"""Build the code executor a ``code_execution_config`` asks for."""

from __future__ import annotations

from typing import Any, Mapping

from .base import CodeExecutor

__all__ = ["CodeExecutorFactory"]

_NAMES = ("commandline-local", "ipython-embedded")


class CodeExecutorFactory:
    """Creates executors from ``{"executor": <name or instance>, <name>: {kwargs}}``."""

    @staticmethod
    def create(code_execution_config: Mapping[str, Any]) -> CodeExecutor:
        """Return the executor named by ``code_execution_config["executor"]``.

        ``"commandline-local"`` → :class:`LocalCommandLineCodeExecutor` with
        ``code_execution_config["commandline-local"]`` as keyword arguments; ``"ipython-embedded"``
        → :class:`EmbeddedIPythonCodeExecutor` likewise; an executor instance is returned as is.

        Raises:
            ValueError: for a missing or unknown executor.
        """
        executor = code_execution_config.get("executor")
        if isinstance(executor, CodeExecutor):
            return executor
        if executor == "commandline-local":
            from .local_commandline_code_executor import LocalCommandLineCodeExecutor

            return LocalCommandLineCodeExecutor(**code_execution_config.get("commandline-local", {}))
        if executor == "ipython-embedded":
            from .jupyter.embedded_ipython_code_executor import EmbeddedIPythonCodeExecutor

            return EmbeddedIPythonCodeExecutor(**code_execution_config.get("ipython-embedded", {}))
        raise ValueError(
            f"Unknown code executor {executor!r}: use one of {', '.join(map(repr, _NAMES))} or a CodeExecutor instance."
        )
