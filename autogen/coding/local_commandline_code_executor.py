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
from typing import Any, ClassVar, Dict, List, Mapping, Optional, Sequence, Union

from ._commandline import BlockRun, CommandLineExecutorBase
from ._env import scrubbed_environ
from ._languages import command_for, program_for
from ._limits import ResourceLimits
from ._process import ProcessResult, run_process
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

    **The code runs with your permissions.** Prefer :class:`DockerCommandLineCodeExecutor`; see
    ``docs/security.md``. Every process a block starts (even one that calls ``setsid`` or double
    forks) is killed when the block ends; on timeout they get SIGTERM, then SIGKILL, and the exit
    code is 124; output past ``max_output_bytes`` stops the block. Blocks run under
    ``resource_limits`` and with an environment scrubbed of secret-looking variables. Python
    runs with this interpreter, or the one of ``virtual_env_context``; ``functions`` are written to
    ``<work_dir>/<functions_module>.py`` so the code can ``from functions import ...``.

    Shell blocks with obviously destructive commands (``rm -rf``, ``dd``, ``mkfs``, a classic fork
    bomb) are refused: the block's result says why (exit code 1) and the chat goes on. This
    filter is a courtesy, not a security boundary; the limits above are what contain the code.

    Args:
        timeout: seconds one block may run (at least 1).
        virtual_env_context: a context from :func:`autogen.code_utils.create_virtual_env`.
        work_dir: where code files are saved and run (created if missing).
        functions: user functions made importable to the code.
        functions_module: name of the module holding ``functions`` (a Python identifier).
        execution_policies: language → run (True) or only save (False), merged over the defaults.
        max_output_bytes: bytes of output kept per block (ours; default ``AUTOGEN_MAX_OUTPUT_BYTES`` or 1 MB).
        resource_limits: memory, process, file-size and CPU limits for every process of a block
            (ours; default ``ResourceLimits()``: 4 GiB address space, 256 processes, 1 GiB files,
            CPU seconds = ``timeout``).
        env: variables to set for the code, on top of the scrubbed environment (ours; explicit
            values are passed even when their names look secret).
        passthrough_env: names of host variables to pass although they look secret (ours).
        secret_values: values (e.g. the API keys of your llm_config) removed from the code's
            environment under any name (ours).
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
        resource_limits: Optional[ResourceLimits] = None,
        env: Optional[Mapping[str, str]] = None,
        passthrough_env: Sequence[str] = (),
        secret_values: Sequence[str] = (),
    ) -> None:
        super().__init__(timeout, execution_policies, max_output_bytes)
        if not functions_module.isidentifier():
            raise ValueError(f"functions_module must be a valid Python identifier, got {functions_module!r}")
        if resource_limits is not None and not isinstance(resource_limits, ResourceLimits):
            raise TypeError(
                f"resource_limits must be an autogen.coding.ResourceLimits, got {type(resource_limits).__name__}"
            )
        self._work_dir_as_given = Path(work_dir)
        self._work_dir = Path(work_dir).resolve()
        self._work_dir.mkdir(parents=True, exist_ok=True)
        self._virtual_env_context = _absolute_venv(virtual_env_context)
        self._resource_limits = resource_limits or ResourceLimits()
        self._extra_env = dict(env or {})
        self._passthrough_env = tuple(passthrough_env)
        self._secret_values = tuple(secret_values)
        self._functions = list(functions)
        self._functions_module = functions_module
        self._setup_lock = threading.Lock()
        self._functions_ready = not self._functions

    @property
    def work_dir(self) -> Path:
        """The directory code files are saved to and run in, as given (``"."`` stays ``"."``)."""
        return self._work_dir_as_given

    @property
    def _workspace(self) -> Path:
        return self._work_dir

    @property
    def resource_limits(self) -> ResourceLimits:
        """The limits every process of a block runs under."""
        return self._resource_limits

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

    def _refuse_block(self, lang: str, code: str) -> Optional[str]:
        try:
            self.sanitize_command(lang, code)
        except ValueError as exc:
            return f"{exc} The block was not run."
        return None

    def execute_code_blocks(self, code_blocks: List[CodeBlock]) -> CommandLineCodeResult:
        """Run the blocks in order, stopping at the first failure.

        A refused shell block ends the run with exit code 1 and the reason as output.

        Raises:
            ValueError: when the ``functions`` fail to load.
        """
        self._ensure_functions()
        return self._execute_blocks(code_blocks)

    def restart(self) -> None:
        """Nothing to restart: every block runs in a fresh process (warns, as 0.2)."""
        warnings.warn("Restarting local command line code executor is not supported. No action is taken.", stacklevel=2)

    # ------------------------------------------------------------------ internals
    def _python(self) -> str:
        if self._virtual_env_context is not None:
            return str(self._virtual_env_context.env_exe)
        return sys.executable

    def _env(self) -> Dict[str, str]:
        env = scrubbed_environ(passthrough=self._passthrough_env, secret_values=self._secret_values)
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONIOENCODING"] = "utf-8"
        paths = [str(self._work_dir), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        if self._virtual_env_context is not None:
            bin_path = os.path.abspath(self._virtual_env_context.bin_path)
            env["PATH"] = f"{bin_path}{os.pathsep}{env.get('PATH', '')}"
            env["VIRTUAL_ENV"] = os.path.abspath(self._virtual_env_context.env_dir)
        env.update(self._extra_env)
        return env

    def _run(self, cmd: List[str], env: Dict[str, str]) -> ProcessResult:
        return run_process(
            cmd,
            cwd=self._work_dir,
            timeout=self._timeout,
            env=env,
            max_output_bytes=self._max_output_bytes,
            limits=self._resource_limits,
        )

    def _run_file(self, lang: str, path: Path) -> BlockRun:
        program = program_for(lang, python=self._python())
        if program is None:
            return BlockRun(exit_code=1, output=f"{lang!r} code cannot be run, only saved\n")
        env = self._env()
        if shutil.which(program[0], path=env["PATH"]) is None and not os.path.isabs(program[0]):
            return BlockRun(exit_code=1, output=f"Cannot run {lang} code: {program[0]!r} was not found on PATH.\n")
        result = self._run(command_for(program, path), env)
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
            check = self._run([self._python(), "-c", f"import {self._functions_module}"], self._env())
            if check.exit_code != 0:
                raise ValueError(f"Functions failed to load: {check.stdout}")
            self._functions_ready = True

    def _pip_install(self, packages: List[str]) -> None:
        logger.info("Installing packages for the executor's functions: %s", packages)
        result = self._run([self._python(), "-m", "pip", "install", "-q", *packages], self._env())
        if result.timed_out:
            raise ValueError(f"pip install {' '.join(packages)} timed out after {self._timeout} s")
        if result.exit_code != 0:
            raise ValueError(f"pip install {' '.join(packages)} failed: {result.stdout}")


def _absolute_venv(context: Optional[SimpleNamespace]) -> Optional[SimpleNamespace]:
    """A copy of a venv context whose paths are absolute (a relative one must not depend on the cwd)."""
    if context is None:
        return None
    resolved = dict(vars(context))
    for name in ("env_dir", "env_exe", "bin_path", "executable", "inc_path"):
        value = resolved.get(name)
        if isinstance(value, (str, Path)) and value:
            resolved[name] = os.path.abspath(value)
    return SimpleNamespace(**resolved)


class LocalCommandlineCodeExecutor(LocalCommandLineCodeExecutor):
    """Deprecated spelling of :class:`LocalCommandLineCodeExecutor` (as in 0.2); warns when created."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            "LocalCommandlineCodeExecutor is deprecated; use LocalCommandLineCodeExecutor.",
            DeprecationWarning,
            stacklevel=2,
        )
        super().__init__(*args, **kwargs)
