"""Run code blocks on this machine inside a bubblewrap sandbox: Docker-like confinement without Docker."""

from __future__ import annotations

import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Dict, List, Mapping, Optional, Sequence, Union

from ._bwrap import DEFAULT_TMP_SIZE_BYTES, SandboxPolicy, check_work_dir, require_bwrap, sandbox_argv, sandbox_env
from ._limits import ResourceLimits
from ._process import ProcessResult
from .func_with_reqs import UserFunction
from .local_commandline_code_executor import LocalCommandLineCodeExecutor

__all__ = ["SandboxedCommandLineCodeExecutor"]


class SandboxedCommandLineCodeExecutor(LocalCommandLineCodeExecutor):
    """Saves each code block to ``work_dir`` and runs it in a bubblewrap sandbox on this machine.

    For machines without Docker (``apt-get install bubblewrap``); see ``docs/security.md``. The
    code runs in its own user, pid, network, ipc and uts namespaces: as an unprivileged user with
    no capabilities, with no network (loopback only), seeing only its own processes. It sees the
    system read-only (``/usr``, ``/etc`` without the files others may not read, the interpreter's
    installation, ``read_only_paths``) and nothing of ``/home``, ``/root``, ``/run`` or ``/var``;
    it can write only ``work_dir`` and a private ``/tmp``. As with
    :class:`LocalCommandLineCodeExecutor`, every process is limited by ``resource_limits``, gets an
    environment scrubbed of secrets, and is killed when the block ends (daemons included).

    ``timeout``, ``virtual_env_context``, ``work_dir``, ``functions``, ``functions_module``,
    ``execution_policies``, ``max_output_bytes``, ``resource_limits``, ``env``, ``passthrough_env`` and
    ``secret_values`` are as for :class:`LocalCommandLineCodeExecutor`; ``work_dir`` may not be (or
    contain) a home directory or a system directory.

    Args:
        read_only_paths: more host paths the code may read (e.g. a data directory).
        tmp_size_bytes: size of the private ``/tmp`` (and ``/dev/shm``), default 256 MiB.

    Raises:
        SandboxUnavailableError: bubblewrap is missing or cannot create a sandbox here (the message
            names the fix, e.g. ``apt-get install bubblewrap``).
        ValueError: for a ``work_dir`` or ``read_only_paths`` entry the sandbox cannot use.
    """

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
        read_only_paths: Sequence[Union[Path, str]] = (),
        tmp_size_bytes: int = DEFAULT_TMP_SIZE_BYTES,
    ) -> None:
        check_work_dir(Path(work_dir).resolve())
        if isinstance(tmp_size_bytes, bool) or not isinstance(tmp_size_bytes, int) or tmp_size_bytes < 1:
            raise ValueError(f"tmp_size_bytes must be a positive int (bytes), got {tmp_size_bytes!r}")
        readable = _readable_paths(read_only_paths)
        self._bwrap = require_bwrap()
        super().__init__(
            timeout=timeout,
            virtual_env_context=virtual_env_context,
            work_dir=work_dir,
            functions=functions,
            functions_module=functions_module,
            execution_policies=execution_policies,
            max_output_bytes=max_output_bytes,
            resource_limits=resource_limits,
            env=env,
            passthrough_env=passthrough_env,
            secret_values=secret_values,
        )
        self._policy = SandboxPolicy(self._work_dir, readable, tmp_size_bytes)

    @property
    def read_only_paths(self) -> List[Path]:
        """The host paths shown read-only to the code besides the system."""
        return list(self._policy.read_only_paths)

    def restart(self) -> None:
        """Nothing to restart: every block runs in a fresh sandbox (warns)."""
        warnings.warn(
            "Restarting the sandboxed code executor is not needed: every block runs in a fresh sandbox.", stacklevel=2
        )

    def _env(self) -> Dict[str, str]:
        # HOME, TMPDIR and PATH suit the sandbox unless ``env=`` sets them explicitly
        return {**sandbox_env(super()._env(), self._work_dir, self._python()), **self._extra_env}

    def _run(self, cmd: List[str], env: Dict[str, str]) -> ProcessResult:
        # the executor's Python is shown even to shell blocks (they may call it); a venv's base Python too
        return super()._run(sandbox_argv(self._bwrap, self._policy, cmd, [self._python()]), env)

    def _pip_install(self, packages: List[str]) -> None:
        raise ValueError(
            f"The executor's functions need {packages}, and sandboxed code has no network to install them: "
            f"install them beforehand (pip install {' '.join(packages)}) in the Python the code runs with "
            "(virtual_env_context, or this one)."
        )


def _readable_paths(paths: Sequence[Union[Path, str]]) -> tuple[Path, ...]:
    resolved = []
    for raw in paths:
        path = Path(raw).expanduser().resolve()
        if not path.exists():
            raise ValueError(f"read_only_paths entry {str(raw)!r} does not exist: create it or leave it out.")
        if path == Path("/"):
            raise ValueError("read_only_paths may not contain '/': name the directories the code needs.")
        resolved.append(path)
    return tuple(resolved)
