"""Docker plumbing shared by the Docker executors: client, image, sandbox container, cleanup.

The ``docker`` SDK is imported lazily (extra ``autogen[docker]``). Every container we start is
labelled ``autogen.code-executor``, runs with no network unless asked, is removed when it stops,
and is stopped at interpreter exit. Its main process waits on a stdin that only our process holds
open, so if the Python process dies (even by SIGKILL) the container exits and is removed.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import logging
import os
import threading
import time
import uuid
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from ._limits import ContainerLimits
from ._output import CappedOutput
from ._process import TIMEOUT_EXIT_CODE

if TYPE_CHECKING:
    import docker

__all__ = [
    "CONTAINER_LABEL",
    "DEFAULT_IMAGE",
    "DockerSandbox",
    "ExecOutcome",
    "default_image",
    "default_network_mode",
    "docker_client",
    "ensure_image",
    "prepare_work_dir",
]

logger = logging.getLogger(__name__)

DEFAULT_IMAGE = "autogen-python:bookworm"
"""The image used when none is named; override with the ``AUTOGEN_DOCKER_IMAGE`` environment variable."""

CONTAINER_LABEL = "autogen.code-executor"

NOBODY_UID = 65534

BUILD_HINT = (
    "Build the default image with `bash scripts/build-docker-image.sh` (it needs no registry), "
    "or set AUTOGEN_DOCKER_IMAGE to an image you have (`docker images`)."
)

DOCKER_NOT_RUNNING_HINT = (
    "Start Docker (e.g. `sudo systemctl start docker`, or `dockerd &` as root; `bash scripts/services.sh` "
    "does it here), or run code on this machine instead by opting in with use_docker=False "
    '(code_execution_config={"use_docker": False}) or AUTOGEN_USE_DOCKER=False.'
)


def default_image() -> str:
    """The image Docker execution uses by default (``AUTOGEN_DOCKER_IMAGE`` or ``autogen-python:bookworm``)."""
    return os.environ.get("AUTOGEN_DOCKER_IMAGE") or DEFAULT_IMAGE


def default_network_mode() -> str:
    """The network the code gets by default: ``AUTOGEN_DOCKER_NETWORK`` or ``"none"`` (no network)."""
    return os.environ.get("AUTOGEN_DOCKER_NETWORK") or "none"


def docker_client() -> docker.DockerClient:
    """A connected Docker client.

    Raises:
        RuntimeError: when the ``docker`` package is missing or the daemon does not answer,
            saying how to start it or how to opt in to local execution.
    """
    try:
        import docker
    except ImportError as exc:
        raise RuntimeError(
            "Docker code execution needs the `docker` Python package: pip install 'autogen[docker]'. "
            + DOCKER_NOT_RUNNING_HINT
        ) from exc
    try:
        client = docker.from_env(timeout=30)
        client.ping()
    except docker.errors.DockerException as exc:
        raise RuntimeError(f"Docker is not running or not reachable ({exc}). {DOCKER_NOT_RUNNING_HINT}") from exc
    return client


def ensure_image(client: docker.DockerClient, image: str) -> None:
    """Make sure ``image`` is present locally, pulling it if a registry has it.

    Raises:
        RuntimeError: when the image is neither present nor pullable, saying how to build one.
    """
    import docker

    try:
        client.images.get(image)
        return
    except docker.errors.ImageNotFound:
        pass
    if image == DEFAULT_IMAGE:  # built locally, never on a registry: say how to build it
        raise RuntimeError(f"Docker image {image!r} is not available locally. {BUILD_HINT}")
    try:
        client.images.pull(image)
    except docker.errors.DockerException as exc:
        message = f"Docker image {image!r} is not available locally and could not be pulled. {BUILD_HINT}"
        raise RuntimeError(message) from exc


def prepare_work_dir(path: Path, limits: ContainerLimits) -> ContainerLimits:
    """``limits`` with the user the code runs as decided, and ``path`` made writable for that user.

    When we are root and ``limits.user`` is not set, the code runs as the owner of ``path`` if
    that is not root, else as uid 1000, to which ``path`` is then handed (``chown``).
    """
    if limits.user is None and os.geteuid() == 0 and path.is_dir() and path.stat().st_uid != 0:
        info = path.stat()
        return dataclasses.replace(limits, user=f"{info.st_uid}:{info.st_gid}")
    uid, gid = limits.resolved_user()
    if os.geteuid() == 0 and path.is_dir() and path.stat().st_uid != uid:
        os.chown(path, uid, gid)
    return dataclasses.replace(limits, user=f"{uid}:{gid}")


# ----------------------------------------------------------------------------------- cleanup
_live: weakref.WeakSet[DockerSandbox] = weakref.WeakSet()
_live_lock = threading.Lock()


@atexit.register
def _stop_all_sandboxes() -> None:
    with _live_lock:
        sandboxes = list(_live)
    for sandbox in sandboxes:
        sandbox.stop()


class ExecOutcome:
    """The result of one command run in a sandbox."""

    def __init__(self, exit_code: int, output: str, timed_out: bool, truncated: bool) -> None:
        self.exit_code = exit_code
        self.output = output
        self.timed_out = timed_out
        self.truncated = truncated


class DockerSandbox:
    """One long-lived container with a host directory bind-mounted at ``/workspace``.

    Args:
        image: the image to run (must contain ``sh``; ``python3`` for Python code).
        bind_dir: the host directory mounted read-write at ``/workspace``.
        container_name: a name for the container (default: a fresh ``autogen-code-exec-<uuid>``).
        network_mode: Docker network mode (default :func:`default_network_mode`: ``"none"``, no network).
        auto_remove: remove the container when it stops.
        stop_at_exit: stop the container when the Python interpreter exits.
        limits: how the container is confined (default :class:`ContainerLimits()`: 256 processes,
            2 GB memory, 1 CPU, a non-root user, no capabilities, no-new-privileges, read-only root).
    """

    WORKSPACE = "/workspace"

    def __init__(
        self,
        image: str,
        bind_dir: Path,
        *,
        container_name: Optional[str] = None,
        network_mode: Optional[str] = None,
        auto_remove: bool = True,
        stop_at_exit: bool = True,
        limits: Optional[ContainerLimits] = None,
    ) -> None:
        self.limits = limits or ContainerLimits()
        uid, gid = self.limits.resolved_user()
        self.user = f"{uid}:{gid}"
        self._client = docker_client()
        ensure_image(self._client, image)
        self.image = image
        self.name = container_name or f"autogen-code-exec-{uuid.uuid4()}"
        self._lock = threading.Lock()  # one command at a time
        self._state_lock = threading.Lock()
        self._stopped = False
        self._auto_remove = auto_remove
        api = self._client.api
        host_config = api.create_host_config(
            binds={str(bind_dir): {"bind": self.WORKSPACE, "mode": "rw"}},
            network_mode=network_mode or default_network_mode(),
            auto_remove=auto_remove,
            init=True,  # docker-init as PID 1 reaps what the code orphans: zombies would fill the pids limit
            **self.limits.host_config(),
        )
        config = api.create_container_config(
            image=image,
            # PID 1 waits for stdin to close: that happens when our process lets go of the attach socket
            command=["sh", "-c", "while read -r _; do :; done"],
            stdin_open=True,
            working_dir=self.WORKSPACE,
            # another uid than the code's: without capabilities the code cannot signal it
            user=self._holder_user(uid),
            environment={"HOME": "/tmp"},
            labels={CONTAINER_LABEL: "1", f"{CONTAINER_LABEL}.pid": str(os.getpid())},
            host_config=host_config,
        )
        config["StdinOnce"] = True
        config["AttachStdin"] = True
        self._config = config
        self.container_id = ""
        self._start_container()
        if stop_at_exit:
            with _live_lock:
                _live.add(self)

    def _start_container(self) -> None:
        api = self._client.api
        created = api.create_container_from_config(self._config, name=self.name)
        self.container_id = created["Id"]
        try:
            self._stdin = api.attach_socket(self.container_id, params={"stdin": 1, "stream": 1})
            api.start(self.container_id)
        except BaseException:
            api.remove_container(self.container_id, force=True)
            raise

    @property
    def container(self) -> Any:
        """The docker SDK ``Container`` object."""
        return self._client.containers.get(self.container_id)

    def run(
        self,
        command: list[str],
        *,
        timeout: float,
        max_output_bytes: int,
        environment: Optional[dict[str, str]] = None,
    ) -> ExecOutcome:
        """Run ``command`` in ``/workspace`` and return its exit code and output.

        Processes the command leaves running are killed when it exits; on timeout or output
        overflow every process it started is killed (exit code 124 for a timeout).
        """
        import docker

        with self._lock:
            if self._stopped:
                raise RuntimeError(f"Container {self.name} has been stopped; create a new executor.")
            stopped_error = RuntimeError(f"Container {self.name} was stopped while code was running.")
            try:
                outcome = self._run_locked(command, timeout, max_output_bytes, environment)
            except docker.errors.DockerException as exc:
                if self._stopped:
                    raise stopped_error from exc
                raise
            if self._stopped:
                raise stopped_error
            return outcome

    def _run_locked(
        self, command: list[str], timeout: float, max_output_bytes: int, environment: Optional[dict[str, str]]
    ) -> ExecOutcome:
        api = self._client.api
        # run the command, then kill whatever it left running in the background
        command = ["sh", "-c", '"$@"; rc=$?; kill -9 -1 2>/dev/null; exit $rc', "sh", *command]
        created = api.exec_create(
            self.container_id, command, workdir=self.WORKSPACE, environment=environment or None, user=self.user
        )
        exec_id = created["Id"]
        stream = api.exec_start(exec_id, stream=True)
        output = CappedOutput(max_output_bytes)
        done = threading.Event()

        def pump() -> None:
            try:
                output.pump(stream, on_overflow=done)
            finally:
                done.set()

        reader = threading.Thread(target=pump, name="autogen-docker-output", daemon=True)
        reader.start()
        finished = done.wait(timeout)
        timed_out = not finished
        overflow = output.overflow.is_set()
        if timed_out or overflow:
            self._kill_all_processes()
        reader.join(timeout=30)
        if reader.is_alive():
            raise RuntimeError(
                f"The output of the code in container {self.name} did not end after its processes were killed."
            )
        output.raise_errors()
        exit_code = TIMEOUT_EXIT_CODE if timed_out else self._exit_code(exec_id)
        if overflow and not timed_out and not exit_code:
            exit_code = 1
        return ExecOutcome(exit_code, output.text(), timed_out, overflow)

    def _exit_code(self, exec_id: str) -> int:
        """The exit code of a finished exec (1 when unknown: killed, or its container was replaced)."""
        import docker

        try:
            code = self._client.api.exec_inspect(exec_id).get("ExitCode")
        except docker.errors.NotFound:
            return 1
        return 1 if code is None else int(code)

    @staticmethod
    def _holder_user(code_uid: int) -> str:
        holder = NOBODY_UID if code_uid != NOBODY_UID else NOBODY_UID - 1
        return f"{holder}:{holder}"

    def _code_process_count(self) -> int:
        """Processes of the code's user in the container (asked of the daemon: needs no process slot)."""
        uid = self.user.split(":")[0]
        rows = self._client.api.top(self.container_id, ps_args="-o uid,pid").get("Processes") or []
        return sum(1 for row in rows if row and row[0] == uid)

    def _kill_all_processes(self) -> None:
        """Kill every process of the code's user (the container itself keeps running).

        The killer runs as the code's user: with every capability dropped, root could not signal
        them; the container's own processes run as another uid and survive. When a fork bomb
        keeps the pids limit full so that the killer cannot start, the container is replaced by
        a fresh one (same name, same mounts: files are kept).
        """
        import docker

        api = self._client.api
        for _ in range(3):
            try:
                killer = api.exec_create(self.container_id, ["sh", "-c", "kill -9 -1"], user=self.user)["Id"]
                api.exec_start(killer)
            except docker.errors.APIError as exc:
                logger.debug("Killer exec failed in %s: %s", self.name, exc)
            if self._code_process_count() == 0:
                return
            time.sleep(0.05)
        logger.warning("Could not kill the processes in container %s (pids limit full?); replacing it", self.name)
        self._replace_container()

    def _replace_container(self) -> None:
        import docker

        api = self._client.api
        with contextlib.suppress(OSError):
            self._stdin.close()
        with contextlib.suppress(docker.errors.NotFound):
            api.remove_container(self.container_id, force=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the name is free once the old container is gone
            try:
                api.inspect_container(self.container_id)
            except docker.errors.NotFound:
                break
            time.sleep(0.05)
        self._start_container()

    def restart(self) -> None:
        """Kill everything the code started, keeping the container and its files."""
        with self._lock:
            self._kill_all_processes()

    def stop(self) -> None:
        """Stop the container (it is removed too when ``auto_remove``). Safe to call twice.

        Does not wait for a running command: it is killed with the container.
        """
        with self._state_lock:
            if self._stopped:
                return
            self._stopped = True
        import docker

        try:
            if self._auto_remove:
                self._client.api.remove_container(self.container_id, force=True)
            else:
                self._client.api.kill(self.container_id)
        except docker.errors.DockerException:
            pass  # already gone
        finally:
            with contextlib.suppress(Exception):
                self._stdin.close()
            with _live_lock:
                _live.discard(self)
