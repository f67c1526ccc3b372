"""The Docker branch of the legacy :func:`autogen.code_utils.execute_code`: one throw-away container per run."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Optional, Tuple

from ._docker import BUILD_HINT, DockerSandbox, default_image, docker_client, prepare_work_dir
from ._languages import command_for, normalize_language, program_for
from ._limits import ContainerLimits
from ._output import output_cap_notice
from ._process import TIMEOUT_MSG, default_max_output_bytes

__all__ = ["pick_image", "run_in_docker"]

_LEGACY_LANGUAGES = ("python", "sh", "shell", "bash")


def pick_image(use_docker: Any) -> str:
    """The first locally present image among those ``use_docker`` names (True: the default image).

    When none is present the first one is returned, to be pulled (or to fail with a build hint).
    """
    if use_docker is True:
        candidates: List[str] = [default_image()]
    elif isinstance(use_docker, str):
        candidates = [use_docker]
    elif isinstance(use_docker, (list, tuple)) and use_docker and all(isinstance(i, str) for i in use_docker):
        candidates = list(use_docker)
    else:
        raise ValueError(f"use_docker must be a bool, an image name or a list of image names, got {use_docker!r}")
    import docker

    client = docker_client()
    for image in candidates:
        try:
            client.images.get(image)
            return image
        except docker.errors.ImageNotFound:
            continue
    return candidates[0]


def _command(lang: str, relative: str) -> List[str]:
    program = program_for(lang, python="python3") if normalize_language(lang) in _LEGACY_LANGUAGES else None
    if program is None:
        raise NotImplementedError(f"{lang!r} not recognized in Docker code execution (use python, sh or bash)")
    return command_for(program, relative)


def run_in_docker(
    filepath: Path, lang: str, work_dir: Path, timeout: float, use_docker: Any
) -> Tuple[int, str, Optional[str]]:
    """Run ``filepath`` (inside ``work_dir``) in a fresh no-network container, removed afterwards.

    The container has the default :class:`ContainerLimits` (non-root, limited, read-only root).
    """
    image = pick_image(use_docker)
    root = work_dir.resolve()
    relative = filepath.relative_to(root).as_posix()
    limits = ContainerLimits()
    limits = prepare_work_dir(root, limits)
    try:
        sandbox = DockerSandbox(image, root, limits=limits)
    except RuntimeError as exc:
        if "not available locally" in str(exc):
            raise RuntimeError(f"No usable Docker image among {use_docker!r}. {BUILD_HINT}") from exc
        raise
    cap = default_max_output_bytes()
    try:
        outcome = sandbox.run(_command(lang, relative), timeout=timeout, max_output_bytes=cap)
    finally:
        sandbox.stop()
    if outcome.timed_out:
        return 1, TIMEOUT_MSG, image
    logs = outcome.output
    if outcome.exit_code:
        logs = logs.replace(f"{DockerSandbox.WORKSPACE}/", "")
    if outcome.truncated:
        logs += output_cap_notice(cap)
    return outcome.exit_code, logs, image
