"""Run code blocks as files on this machine (opt-in: the code is untrusted)."""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import threading
import warnings
from pathlib import Path
from string import Template
from types import SimpleNamespace
from typing import Any, ClassVar, Dict, List, Optional, Sequence, Union

from ._commandline import BlockRun, CommandLineExecutorBase
from ._process import run_process
from .base import CodeBlock, CommandLineCodeResult
from .func_with_reqs import (
    UserFunction,
    build_python_functions_file,
    required_packages,
    to_stub,
)
from .utils import write_file

__all__ = ["CommandlineCodeResult", "LocalCommandLineCodeExecutor", "LocalCommandlineCodeExecutor"]

logger = logging.getLogger(__name__)

CommandlineCodeResult = CommandLineCodeResult
"""Deprecated spelling of :class:`CommandLineCodeResult` (as in 0.2)."""

_DANGEROUS_SHELL = [
    (r"\brm\s+(-\w*[rR]\w*f\w*|-\w*f\w*[rR]\w*|-[rR]\s+-f|-f\s+-[rR])\b", "use of 'rm -rf' is not allowed."),
    (r"\bmv\b.*?\s+/dev/null", "moving files to /dev/null is not allowed."),
    (r"\bdd\b", "use of 'dd' is not allowed."),
    (r">\s*/dev/sd[a-z][1-9]?", "overwriting disk blocks directly is not allowed."),
    (r"\bmkfs(\.\w+)?\b", "formatting file systems is not allowed."),
    (r":\s*\(\s*\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:", "fork bombs are not allowed."),
]


class LocalCommandLineCodeExecutor(CommandLineExecutorBase):
    """Saves each code block to a file in ``work_dir`` and runs it in a new process on this machine.

    **The code runs with your permissions.** Prefer :class:`DockerCommandLineCodeExecutor`.
    Each block runs in its own process group: on timeout the whole tree is stopped (SIGTERM, then
    SIGKILL) and the exit code is 124; output past ``max_output_bytes`` stops the block. Python
    runs with this interpreter, or the one of ``virtual_env_context``; ``functions`` are written to
    ``<work_dir>/<functions_module>.py`` so the code can ``from functions import ...``.

    Args:
        timeout: seconds one block may run (at least 1).
        virtual_env_context: a context from :func:`autogen.code_utils.create_virtual_env`.
        work_dir: where code files are saved and run (created if missing).
        functions: user functions made importable to the code.
        functions_module: name of the module holding ``functions`` (a Python identifier).
        execution_policies: language → run (True) or only save (False), merged over the defaults.
        max_output_bytes: bytes of output kept per block (ours; default ``AUTOGEN_MAX_OUTPUT_BYTES`` or 1 MB).
    """

    SUPPORTED_LANGUAGES: ClassVar[List[str]] = [
        "bash",
        "shell",
        "sh",
        "pwsh",
        "powershell",
        "ps1",
        "python",
        "javascript",
        "html",
        "css",
    ]
    FUNCTION_PROMPT_TEMPLATE: ClassVar[str] = (
        "You can use the following functions, defined in the module `$module_name`. "
        "Import them by name, e.g. `from $module_name import some_function`.\n\n$functions"
    )

    def __init__(
        self,
        timeout: int = 60,
        virtual_env_context: Optional[SimpleNamespace] = None,
        work_dir: Union[Path, str] = Path("."),
        functions: Sequence[UserFunction] = (),
        functions_module: str = "functions",
        execution_policies: Optional[Dict[str, bool]] = None,
        max_output_bytes: Optional[int] = None,
    ) -> None:
        super().__init__(timeout, execution_policies, max_output_bytes)
        if not functions_module.isidentifier():
            raise ValueError(f"functions_module must be a valid Python identifier, got {functions_module!r}")
        self._work_dir = Path(work_dir).resolve()
        self._work_dir.mkdir(parents=True, exist_ok=True)
        self._virtual_env_context = virtual_env_context
        self._functions = list(functions)
        self._functions_module = functions_module
        self._setup_lock = threading.Lock()
        self._functions_ready = not self._functions

    @property
    def work_dir(self) -> Path:
        """The directory code files are saved to and run in."""
        return self._work_dir

    @property
    def functions(self) -> List[Any]:
        """The user functions made importable to the code."""
        return self._functions

    @property
    def functions_module(self) -> str:
        """The module name the functions are importable from."""
        return self._functions_module

    def format_functions_for_prompt(self, prompt_template: str = FUNCTION_PROMPT_TEMPLATE) -> str:
        """Describe the functions for the LLM (``$module_name`` and ``$functions`` are filled in)."""
        stubs = "\n\n".join(to_stub(func) for func in self._functions)
        return Template(prompt_template).substitute(module_name=self._functions_module, functions=stubs)

    @staticmethod
    def sanitize_command(lang: str, code: str) -> None:
        """Refuse shell code with obviously destructive commands (a baseline, not a sandbox).

        Raises:
            ValueError: naming the refused command.
        """
        if lang not in ("bash", "shell", "sh"):
            return
        for pattern, why in _DANGEROUS_SHELL:
            if re.search(pattern, code):
                raise ValueError(f"Potentially dangerous command detected: {why}")

    def _check_block(self, lang: str, code: str) -> None:
        self.sanitize_command(lang, code)

    def execute_code_blocks(self, code_blocks: List[CodeBlock]) -> CommandLineCodeResult:
        """Run the blocks in order, stopping at the first failure.

        Raises:
            ValueError: for a shell block with a destructive command, or functions that fail to load.
        """
        self._ensure_functions()
        return self._execute_blocks(code_blocks)

    def restart(self) -> None:
        """Nothing to restart: every block runs in a fresh process."""
        warnings.warn("Restarting the local command line code executor does nothing.", stacklevel=2)

    # ------------------------------------------------------------------ internals
    def _python(self) -> str:
        if self._virtual_env_context is not None:
            return str(self._virtual_env_context.env_exe)
        return sys.executable

    def _env(self) -> Dict[str, str]:
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONIOENCODING"] = "utf-8"
        paths = [str(self._work_dir), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        if self._virtual_env_context is not None:
            bin_path = os.path.abspath(self._virtual_env_context.bin_path)
            env["PATH"] = f"{bin_path}{os.pathsep}{env.get('PATH', '')}"
            env["VIRTUAL_ENV"] = os.path.abspath(self._virtual_env_context.env_dir)
        return env

    def _program(self, lang: str) -> List[str]:
        if lang == "python":
            return [self._python()]
        if lang in ("shell", "sh"):
            return ["powershell"] if sys.platform == "win32" else ["sh"]
        if lang == "bash":
            return ["bash"]
        if lang in ("pwsh", "powershell", "ps1"):
            return ["powershell" if sys.platform == "win32" else "pwsh", "-File"]
        if lang == "javascript":
            return ["node"]
        raise ValueError(f"{lang!r} code cannot be run, only saved")

    def _run_file(self, lang: str, path: Path) -> BlockRun:
        try:
            program = self._program(lang)
        except ValueError as exc:
            return BlockRun(exit_code=1, output=f"{exc}\n")
        if shutil.which(program[0], path=self._env()["PATH"]) is None and not os.path.isabs(program[0]):
            return BlockRun(exit_code=1, output=f"Cannot run {lang} code: {program[0]!r} was not found on PATH.\n")
        result = run_process(
            [*program, str(path)],
            cwd=self._work_dir,
            timeout=self._timeout,
            env=self._env(),
            max_output_bytes=self._max_output_bytes,
        )
        return BlockRun(result.exit_code, result.stdout, result.timed_out, result.truncated)

    def _ensure_functions(self) -> None:
        if self._functions_ready:
            return
        with self._setup_lock:
            if self._functions_ready:
                return
            source = build_python_functions_file(self._functions)
            write_file(self._work_dir / f"{self._functions_module}.py", source)
            packages = required_packages(self._functions)
            if packages:
                self._pip_install(packages)
            check = run_process(
                [self._python(), "-c", f"import {self._functions_module}"],
                cwd=self._work_dir,
                timeout=self._timeout,
                env=self._env(),
                max_output_bytes=self._max_output_bytes,
            )
            if check.exit_code != 0:
                raise ValueError(f"Functions failed to load: {check.stdout}")
            self._functions_ready = True

    def _pip_install(self, packages: List[str]) -> None:
        logger.info("Installing packages for the executor's functions: %s", packages)
        result = run_process(
            [self._python(), "-m", "pip", "install", "-q", *packages],
            cwd=self._work_dir,
            timeout=self._timeout,
            env=self._env(),
            max_output_bytes=self._max_output_bytes,
        )
        if result.timed_out:
            raise ValueError(f"pip install {' '.join(packages)} timed out after {self._timeout} s")
        if result.exit_code != 0:
            raise ValueError(f"pip install {' '.join(packages)} failed: {result.stdout}")


class LocalCommandlineCodeExecutor(LocalCommandLineCodeExecutor):
    """Deprecated spelling of :class:`LocalCommandLineCodeExecutor` (as in 0.2); warns when created."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            "LocalCommandlineCodeExecutor is deprecated; use LocalCommandLineCodeExecutor.",
            DeprecationWarning,
            stacklevel=2,
        )
        super().__init__(*args, **kwargs)
