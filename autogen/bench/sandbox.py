"""Starting ``run.sh`` in a run folder: natively (a subprocess) or in a fresh Docker container.

Both write the script's output to ``console_log.txt`` in the folder and stop it after ``limit``
seconds; each returns ``(exit code, timed out)``.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from autogen.coding import _supervisor
from autogen.coding._cgroup import create_pids_cgroup
from autogen.coding._env import scrubbed_environ
from autogen.coding._limits import ResourceLimits

from .errors import BenchError

__all__ = [
    "DOCKER_SRC",
    "RunInterrupted",
    "autogen_source_dir",
    "run_in_docker",
    "run_natively",
    "site_dirs",
    "stop_all_runs",
    "write_run_file",
]

DOCKER_WORKDIR = "/workspace"
DOCKER_SRC = "/opt/autogen-bench/src"
DOCKER_SITE = "/opt/autogen-bench/site"
_GRACE_S = 30.0  # run.sh's own `timeout` fires first; this is the outer guard
_PIDS_LIMIT = 1024  # a fork bomb in a run stops here
_MEM_LIMIT = "8g"  # a memory bomb in a container is OOM-killed here (swap included), not the host
_SUPERVISOR_GRACE_S = 5.0


_live: dict[int, Callable[[], None]] = {}
_live_lock = threading.Lock()
_stopping = threading.Event()


class RunInterrupted(Exception):
    """The run was stopped by :func:`stop_all_runs` (Ctrl-C); it must not be recorded."""


def stop_all_runs() -> None:
    """Kill every run this process has going (their jobs then raise :class:`RunInterrupted`)."""
    _stopping.set()
    with _live_lock:
        stoppers = list(_live.values())
    for stop in stoppers:
        with contextlib.suppress(Exception):
            stop()


def _track(stop: Callable[[], None]) -> int:
    if _stopping.is_set():
        raise RunInterrupted("autogen bench is stopping; the run was not started")
    token = id(stop)
    with _live_lock:
        _live[token] = stop
    return token


def _untrack(token: int) -> None:
    with _live_lock:
        _live.pop(token, None)
    if _stopping.is_set():
        raise RunInterrupted("the run was stopped by an interrupt")


def autogen_source_dir() -> Path:
    """The folder holding the ``autogen`` package this process runs."""
    import autogen

    return Path(autogen.__file__).resolve().parent.parent


def site_dirs() -> list[Path]:
    """This interpreter's site-packages folders (autogen's dependencies live there)."""
    seen: list[Path] = []
    for entry in sys.path:
        path = Path(entry)
        if path.name in ("site-packages", "dist-packages") and path.is_dir() and path not in seen:
            seen.append(path)
    return seen


def write_run_file(path: Path, data: bytes, *, append: bool = False) -> None:
    """Write (or append to) a file of a run folder without following a link the run left there.

    A run may leave ``console_log.txt`` or ``result.json`` as a symlink to any host path (in Docker it
    is root); the file is then replaced, never written through. Call it only when the run has ended.
    """
    if path.is_symlink() or (path.exists() and not path.is_file()):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_APPEND if append else os.O_TRUNC)
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def run_natively(run_dir: Path, env: dict[str, str], limit: float) -> tuple[int, bool]:
    """Run ``sh run.sh`` in ``run_dir`` with this interpreter first on PATH and this autogen importable.

    Contained like ``LocalCommandLineCodeExecutor``: the environment is scrubbed of secrets (only
    ``env``, the scenario's own variables, is added), the resource limits apply, and the run goes
    under the executor's supervisor (a child subreaper), so nothing it starts (daemons, ``setsid``)
    outlives it.
    """
    full_env = scrubbed_environ(extra=env)
    full_env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), full_env.get("PATH", "")])
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(autogen_source_dir()), full_env.get("PYTHONPATH")]))
    limits = ResourceLimits()
    rlimits = limits.rlimits(limit + _GRACE_S)
    if os.geteuid() == 0:
        rlimits.pop("NPROC", None)  # root ignores it; the pids cgroup holds for root too
    cgroup = create_pids_cgroup(limits.max_processes + 1) if limits.max_processes is not None else None
    cgroups = [cgroup.procs_file] if cgroup is not None else []
    spec = {"rlimits": rlimits, "cgroups": cgroups, "grace": _SUPERVISOR_GRACE_S, "deadline": limit + 2 * _GRACE_S}
    argv = [sys.executable, "-I", "-S", _supervisor.__file__, json.dumps(spec), "--", "sh", "run.sh"]
    with open(run_dir / "console_log.txt", "wb") as log:
        process = subprocess.Popen(
            argv,
            cwd=run_dir,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the whole tree can be stopped
        )
        token = _track(lambda: _kill_group(process))
        try:
            try:
                return process.wait(timeout=limit + _GRACE_S), False
            except subprocess.TimeoutExpired:
                process.terminate()  # the supervisor stops everything below it (SIGTERM, grace, SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(_SUPERVISOR_GRACE_S + 3)
                _kill_group(process)
                return process.wait(), True
            finally:
                if process.poll() is None:  # interrupted: leave nothing running
                    _kill_group(process)
                    process.wait()
                _kill_group(process)  # anything left in its process group
                if cgroup is not None:
                    cgroup.kill_all()
        finally:
            _untrack(token)
            if cgroup is not None:
                cgroup.remove()


def _kill_group(process: subprocess.Popen[Any]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def docker_client() -> Any:
    """A Docker client, or a clear error when the SDK or the daemon is missing."""
    try:
        docker: Any = importlib.import_module("docker")
    except ImportError:
        raise BenchError('Docker runs need the docker SDK: pip install "autogen[docker]" (or use --native)') from None
    try:
        client = docker.from_env()
        client.ping()
    except Exception as err:
        raise BenchError(f"cannot reach the Docker daemon ({err}); start it, or use --native") from None
    return client


def run_in_docker(run_dir: Path, env: dict[str, str], limit: float, *, image: str, network: str) -> tuple[int, bool]:
    """Run ``sh run.sh`` in a fresh container of ``image`` with ``run_dir`` mounted at /workspace.

    autogen reaches the container read-only: this process's autogen package and its site-packages
    are bind-mounted and put on PYTHONPATH, so the image needs only a matching ``python3``.
    """
    client = docker_client()
    volumes = {str(run_dir.resolve()): {"bind": DOCKER_WORKDIR, "mode": "rw"}}
    volumes[str(autogen_source_dir() / "autogen")] = {"bind": f"{DOCKER_SRC}/autogen", "mode": "ro"}
    paths = [DOCKER_SRC]
    for index, site in enumerate(site_dirs()):
        volumes[str(site)] = {"bind": f"{DOCKER_SITE}{index}", "mode": "ro"}
        paths.append(f"{DOCKER_SITE}{index}")
    container_env = dict(env)
    container_env.update(PYTHONPATH=":".join(paths), PYTHONDONTWRITEBYTECODE="1", HOME="/tmp")
    container = client.containers.run(
        image,
        ["sh", "run.sh"],
        working_dir=DOCKER_WORKDIR,
        environment=container_env,
        volumes=volumes,
        network_mode=network,
        cap_drop=["ALL"],  # root in the container (as AutoGenBench ran) but without root's capabilities
        security_opt=["no-new-privileges"],
        pids_limit=_PIDS_LIMIT,
        mem_limit=_MEM_LIMIT,
        memswap_limit=_MEM_LIMIT,
        detach=True,
    )
    timed_out = False
    started = time.monotonic()
    token = _track(container.kill)
    try:
        try:
            status = container.wait(timeout=limit + _GRACE_S)
            code = int(status.get("StatusCode", 1))
        except Exception:  # the wait timed out (requests' ReadTimeout/ConnectionError)
            timed_out = time.monotonic() - started >= limit
            container.kill()
            code = int(container.wait(timeout=30).get("StatusCode", 137))
        write_run_file(run_dir / "console_log.txt", container.logs(stdout=True, stderr=True))
    finally:
        with contextlib.suppress(Exception):
            container.remove(force=True)
        _untrack(token)
    return code, timed_out


def image_python(image: str) -> str:
    """``"major.minor"`` of the image's ``python3``, or a clear error."""
    client = docker_client()
    try:
        client.images.get(image)
    except Exception:
        raise BenchError(
            f"Docker image {image!r} is not on this machine; build or pull it, pass --docker-image, or use --native"
        ) from None
    try:
        out = client.containers.run(
            image, ["python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], remove=True
        )
    except Exception as err:
        raise BenchError(f"Docker image {image!r} has no working python3 ({err}); use another image") from None
    return bytes(out).decode().strip()
