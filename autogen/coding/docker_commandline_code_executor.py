"""Run code blocks as files inside a long-lived Docker container."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Union

from ._commandline import BlockRun, CommandLineExecutorBase
from ._docker import DockerSandbox, default_image, prepare_work_dir
from ._languages import command_for, program_for
from ._lifecycle import StopOnExit
from ._limits import ContainerLimits
from .base import CodeBlock, CommandLineCodeResult

__all__ = ["DockerCommandLineCodeExecutor"]


class DockerCommandLineCodeExecutor(CommandLineExecutorBase, StopOnExit):
    """Saves each code block to ``work_dir`` and runs it in a container that mounts it at ``/workspace``.

    The container starts with the executor and is stopped (and removed, with ``auto_remove``) by
    :meth:`stop`, on leaving a ``with`` block, at interpreter exit, and when the Python process
    dies, so it never outlives the executor. Code has no network unless ``network_mode`` says so.
    On timeout every process the block started is killed (exit code 124). The container is
    confined by ``container_limits`` (see ``docs/security.md``): by default at most 256
    processes, 2 GB of memory and 1 CPU, a non-root user (your uid; as root the work dir's owner or 1000), no
    capabilities, ``no-new-privileges``, and a read-only root filesystem where only the work dir
    and a tmpfs ``/tmp`` are writable. It gets none of the host's environment variables.

    Args:
        image: the image to run (default: ``AUTOGEN_DOCKER_IMAGE`` or ``autogen-python:bookworm``;
            build it with ``bash scripts/build-docker-image.sh``). Pulled if missing and a registry is reachable.
        container_name: name of the container (default ``autogen-code-exec-<uuid>``).
        timeout: seconds one block may run (at least 1).
        work_dir: host directory where code files are saved (created if missing).
        bind_dir: host path to mount at ``/workspace`` when it differs from ``work_dir`` (Docker-in-Docker).
        auto_remove: remove the container when it stops.
        stop_container: stop the container at interpreter exit. Even when False the container ends with
            the Python process (its main process waits on a pipe only we hold), so it never outlives it.
        execution_policies: language → run (True) or only save (False), merged over the defaults.
        network_mode: Docker network mode for the container (ours; default ``AUTOGEN_DOCKER_NETWORK`` or
            ``"none"``: no network; e.g. ``"bridge"`` to let the code reach the network).
        max_output_bytes: bytes of output kept per block (ours; default ``AUTOGEN_MAX_OUTPUT_BYTES`` or 1 MB).
        container_limits: how the container is confined (ours; default ``ContainerLimits()``; e.g.
            ``ContainerLimits(mem_limit="8g", pids_limit=1024, cpus=2)``).

    Raises:
        RuntimeError: when Docker is not running (saying how to start it or opt in to local
            execution) or the image is missing (saying how to build it).
    """

    def __init__(
        self,
        image: Optional[str] = None,
        container_name: Optional[str] = None,
        timeout: int = 60,
        work_dir: Union[Path, str] = Path("."),
        bind_dir: Optional[Union[Path, str]] = None,
        auto_remove: bool = True,
        stop_container: bool = True,
        execution_policies: Optional[Dict[str, bool]] = None,
        network_mode: Optional[str] = None,
        max_output_bytes: Optional[int] = None,
        container_limits: Optional[ContainerLimits] = None,
    ) -> None:
        super().__init__(timeout, execution_policies, max_output_bytes)
        if container_limits is not None and not isinstance(container_limits, ContainerLimits):
            raise TypeError(
                f"container_limits must be an autogen.coding.ContainerLimits, got {type(container_limits).__name__}"
            )
        limits = container_limits or ContainerLimits()
        self._work_dir = Path(work_dir).resolve()
        self._work_dir.mkdir(parents=True, exist_ok=True)
        limits = prepare_work_dir(self._work_dir, limits)
        self._bind_dir = Path(bind_dir) if bind_dir is not None else self._work_dir
        self._sandbox = DockerSandbox(
            image or default_image(),
            self._bind_dir,
            container_name=container_name,
            network_mode=network_mode,
            auto_remove=auto_remove,
            stop_at_exit=stop_container,
            limits=limits,
        )

    @property
    def work_dir(self) -> Path:
        """The host directory code files are saved to."""
        return self._work_dir

    @property
    def bind_dir(self) -> Path:
        """The host directory mounted at ``/workspace``."""
        return self._bind_dir

    @property
    def image(self) -> str:
        """The image the container runs."""
        return self._sandbox.image

    @property
    def container_name(self) -> str:
        """The name of the container."""
        return self._sandbox.name

    @property
    def container_limits(self) -> ContainerLimits:
        """How the container is confined."""
        return self._sandbox.limits

    @property
    def container(self) -> object:
        """The docker SDK ``Container`` (for inspection)."""
        return self._sandbox.container

    def execute_code_blocks(self, code_blocks: List[CodeBlock]) -> CommandLineCodeResult:
        """Run the blocks in order in the container, stopping at the first failure."""
        return self._execute_blocks(code_blocks)

    def _run_file(self, lang: str, path: Path) -> BlockRun:
        program = program_for(lang, python="python3")
        if program is None:
            return BlockRun(exit_code=1, output=f"{lang!r} code cannot be run, only saved\n")
        relative = path.relative_to(self._work_dir).as_posix()
        outcome = self._sandbox.run(
            command_for(program, relative),
            timeout=self._timeout,
            max_output_bytes=self._max_output_bytes,
            environment={"PYTHONUNBUFFERED": "1", "PYTHONPATH": DockerSandbox.WORKSPACE},
        )
        return BlockRun(outcome.exit_code, outcome.output, outcome.timed_out, outcome.truncated)

    def restart(self) -> None:
        """Kill every process the code left running in the container (files are kept)."""
        self._sandbox.restart()

    def stop(self) -> None:
        """Stop the container (removed too with ``auto_remove``). Safe to call more than once."""
        self._sandbox.stop()
