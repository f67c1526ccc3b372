"""Code executors: run the code blocks agents write, locally, in a sandbox, in Docker or in a Jupyter kernel.

Names are imported lazily so that ``import autogen.coding`` does not import docker or jupyter_client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_LAZY = {
    "CodeBlock": ".base",
    "CodeExecutor": ".base",
    "CodeExtractor": ".base",
    "CodeResult": ".base",
    "CommandLineCodeResult": ".base",
    "IPythonCodeResult": ".base",
    "CodeExecutionConfig": ".base",
    "MarkdownCodeExtractor": ".markdown_code_extractor",
    "CodeExecutorFactory": ".factory",
    "LocalCommandLineCodeExecutor": ".local_commandline_code_executor",
    "DockerCommandLineCodeExecutor": ".docker_commandline_code_executor",
    "SandboxedCommandLineCodeExecutor": ".sandbox_commandline_code_executor",
    "SandboxUnavailableError": "._bwrap",
    "EmbeddedIPythonCodeExecutor": ".jupyter.embedded_ipython_code_executor",
    "JupyterCodeExecutor": ".jupyter.jupyter_code_executor",
    "LocalJupyterServer": ".jupyter.local_jupyter_server",
    "DockerJupyterServer": ".jupyter.docker_jupyter_server",
    "JupyterConnectionInfo": ".jupyter.base",
    "JupyterConnectable": ".jupyter.base",
    "with_requirements": ".func_with_reqs",
    "FunctionWithRequirements": ".func_with_reqs",
    "FunctionWithRequirementsStr": ".func_with_reqs",
    "Alias": ".func_with_reqs",
    "ImportFromModule": ".func_with_reqs",
    "format_code_reply": ".reply_format",
    "ResourceLimits": "._limits",
    "ContainerLimits": "._limits",
}

__all__ = [
    "Alias",
    "CodeBlock",
    "CodeExecutionConfig",
    "CodeExecutor",
    "CodeExecutorFactory",
    "CodeExtractor",
    "CodeResult",
    "CommandLineCodeResult",
    "ContainerLimits",
    "DockerCommandLineCodeExecutor",
    "DockerJupyterServer",
    "EmbeddedIPythonCodeExecutor",
    "FunctionWithRequirements",
    "FunctionWithRequirementsStr",
    "IPythonCodeResult",
    "ImportFromModule",
    "JupyterCodeExecutor",
    "JupyterConnectable",
    "JupyterConnectionInfo",
    "LocalCommandLineCodeExecutor",
    "LocalJupyterServer",
    "MarkdownCodeExtractor",
    "ResourceLimits",
    "SandboxUnavailableError",
    "SandboxedCommandLineCodeExecutor",
    "format_code_reply",
    "with_requirements",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'autogen.coding' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


if TYPE_CHECKING:
    from ._bwrap import SandboxUnavailableError
    from ._limits import ContainerLimits, ResourceLimits
    from .base import (
        CodeBlock,
        CodeExecutionConfig,
        CodeExecutor,
        CodeExtractor,
        CodeResult,
        CommandLineCodeResult,
        IPythonCodeResult,
    )
    from .docker_commandline_code_executor import DockerCommandLineCodeExecutor
    from .factory import CodeExecutorFactory
    from .func_with_reqs import (
        Alias,
        FunctionWithRequirements,
        FunctionWithRequirementsStr,
        ImportFromModule,
        with_requirements,
    )
    from .jupyter.embedded_ipython_code_executor import EmbeddedIPythonCodeExecutor
    from .jupyter.jupyter_code_executor import JupyterCodeExecutor
    from .jupyter.local_jupyter_server import LocalJupyterServer
    from .local_commandline_code_executor import LocalCommandLineCodeExecutor
    from .markdown_code_extractor import MarkdownCodeExtractor
    from .reply_format import format_code_reply
    from .sandbox_commandline_code_executor import SandboxedCommandLineCodeExecutor
