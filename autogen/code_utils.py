"""Legacy code utilities of AutoGen 0.2: find code in messages and run it (locally or in Docker).

New code should prefer the executors in :mod:`autogen.coding`; agents configured the 0.2 way
(``code_execution_config={"work_dir": ..., "use_docker": ...}``) come through :func:`execute_code`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import sys
import uuid
import venv
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, List, Optional, Tuple, Union

from .coding._bwrap import sandboxed_command
from .coding._docker_fallback import docker_replaced_by_sandbox
from .coding._env import scrubbed_environ
from .coding._languages import file_extension, normalize_language, program_for
from .coding._output import output_cap_notice
from .coding._process import TIMEOUT_MSG, default_max_output_bytes, run_process
from .coding.utils import UnsafeFilenameError, resolve_in_workspace, write_file

__all__ = [
    "CODE_BLOCK_PATTERN",
    "DEFAULT_MODEL",
    "DEFAULT_TIMEOUT",
    "FAST_MODEL",
    "PATH_SEPARATOR",
    "PYTHON_VARIANTS",
    "TIMEOUT_MSG",
    "UNKNOWN",
    "WIN32",
    "WORKING_DIR",
    "check_can_use_docker_or_throw",
    "content_str",
    "create_virtual_env",
    "decide_use_docker",
    "execute_code",
    "extract_code",
    "get_powershell_command",
    "in_docker_container",
    "infer_lang",
    "is_docker_running",
    "timeout_handler",
]

logger = logging.getLogger(__name__)

SENTINEL = object()
DEFAULT_MODEL = "gpt-4"
FAST_MODEL = "gpt-3.5-turbo"
# A fenced block: ```lang\n code \n```  (group 1: language, may be empty; group 2: the code)
CODE_BLOCK_PATTERN = r"```[ \t]*(\w+)?[ \t]*\r?\n(.*?)\r?\n[ \t]*```"
WORKING_DIR = os.path.join(os.path.dirname(os.path.realpath(__file__)), "extensions")
UNKNOWN = "unknown"
DEFAULT_TIMEOUT = 600
WIN32 = sys.platform == "win32"
PATH_SEPARATOR = "\\" if WIN32 else "/"
PYTHON_VARIANTS = ["python", "Python", "py"]

_TRUTHY = {"1", "true", "yes", "t"}
_FALSY = {"0", "false", "no", "f"}


def content_str(content: Union[str, List[Any], None]) -> str:
    """Render a message's ``content`` as text; image parts become ``<image>``.

    Raises:
        TypeError: when ``content`` is not None, a str or a list of dicts.
        ValueError: for a list part whose ``type`` is neither ``text`` nor ``image_url``.
    """
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        raise TypeError(f"content must be None, str, or list, but got {type(content)}")
    parts = []
    for item in content:
        if not isinstance(item, dict):
            raise TypeError("Wrong content format: every element should be dict if the content is a list.")
        kind = item.get("type")
        if kind == "text":
            parts.append(item["text"])
        elif kind == "image_url":
            parts.append("<image>")
        else:
            raise ValueError(f"Wrong content format: unknown type {kind!r} within the content")
    return "".join(parts)


def infer_lang(code: str) -> str:
    """Guess the language of a block that did not say: ``sh`` for commands, ``python`` if it compiles."""
    if code.startswith(("python ", "python3 ", "pip")):
        return "sh"
    try:
        compile(code, "test", "exec")
    except (SyntaxError, ValueError):
        return UNKNOWN
    return "python"


def extract_code(
    text: Union[str, List[Any]], pattern: str = CODE_BLOCK_PATTERN, detect_single_line_code: bool = False
) -> List[Tuple[str, str]]:
    """Find the code blocks in a message.

    Args:
        text: message content (str, or a multimodal list of parts).
        pattern: regular expression with two groups, language and code.
        detect_single_line_code: also return inline `code` spans (language ``""``).

    Returns:
        ``[(language, code), ...]``; ``language`` is ``""`` for a block without one. With no block
        at all, ``[(UNKNOWN, text)]`` (or ``[]`` when ``detect_single_line_code``).
    """
    text = content_str(text)
    if not detect_single_line_code:
        found = re.findall(pattern, text, flags=re.DOTALL)
        return found if found else [(UNKNOWN, text)]
    blocks = []
    for lang, block, inline in re.findall(pattern + r"|`([^`]+)`", text, flags=re.DOTALL):
        if block:
            blocks.append((lang.strip(), block.strip()))
        elif inline:
            blocks.append(("", inline.strip()))
    return blocks


def in_docker_container() -> bool:
    """Whether this process runs inside a Docker container (``/.dockerenv`` exists)."""
    return os.path.exists("/.dockerenv")


def is_docker_running() -> bool:
    """Whether the ``docker`` package is installed and a Docker daemon answers."""
    try:
        import docker
    except ImportError:
        return False
    try:
        client = docker.from_env(timeout=10)
        client.ping()
        client.close()
    except docker.errors.DockerException:
        return False
    return True


def decide_use_docker(use_docker: Optional[Any]) -> Optional[Any]:
    """Resolve ``use_docker``: an explicit value wins; ``None`` reads ``AUTOGEN_USE_DOCKER`` (default True).

    The variable accepts ``1/true/yes/t``, ``0/false/no/f`` and ``none`` (any case).

    Raises:
        ValueError: for any other value of ``AUTOGEN_USE_DOCKER``.
    """
    if use_docker is not None:
        return use_docker
    raw = os.environ.get("AUTOGEN_USE_DOCKER", "True")
    value = raw.strip().lower()
    if value in _TRUTHY:
        return True
    if value in _FALSY:
        return False
    if value == "none":
        return None
    raise ValueError(f"Invalid value for AUTOGEN_USE_DOCKER: {raw!r}. Use 1/True/yes, 0/False/no, or None.")


def check_can_use_docker_or_throw(use_docker: Any) -> None:
    """Raise if Docker execution is requested but Docker is not available.

    Running inside a container (``/.dockerenv``) changes nothing: code asked to run in Docker never
    runs on this machine instead (0.2 ran it here).

    Raises:
        RuntimeError: naming how to start Docker or how to opt in to local execution.
    """
    if use_docker and not is_docker_running():
        problem = "Code execution is set to run in Docker (the default), but Docker is not running or not reachable"
        if in_docker_container():
            problem += " (this process runs inside a container: make a Docker daemon reachable from it)"
        raise RuntimeError(
            f"{problem}.\n"
            "Options:\n"
            "- start Docker (e.g. `sudo systemctl start docker`, or `dockerd &` as root); the advised way\n"
            '- run code on this machine instead: set "use_docker": False in code_execution_config\n'
            '- or set the environment variable AUTOGEN_USE_DOCKER to "0/False/no"'
        )


def timeout_handler(signum: int, frame: Any) -> None:
    """A SIGALRM handler that raises ``TimeoutError("Timed out!")`` (kept from 0.2)."""
    raise TimeoutError("Timed out!")


def get_powershell_command() -> str:
    """``powershell`` or ``pwsh``, whichever is installed.

    Raises:
        FileNotFoundError: when neither is on PATH.
    """
    for name in ("powershell", "pwsh"):
        if shutil.which(name):
            return name
    raise FileNotFoundError("Neither powershell nor pwsh is installed; install PowerShell to run ps1/pwsh code.")


def _local_command(lang: str, filepath: Path) -> List[str]:
    lang = normalize_language(lang)
    powershell = get_powershell_command() if lang in ("ps1", "pwsh", "powershell") else "pwsh"
    program = program_for(lang, python=sys.executable, powershell=powershell) if lang != "javascript" else None
    if program is None:
        raise NotImplementedError(f"{lang!r} not recognized in code execution")
    return [*program, str(filepath)]


def _default_filename(code: str, lang: str) -> str:
    # unique per call: concurrent runs of the same code must not share (and delete) one file
    digest = hashlib.md5(code.encode()).hexdigest()
    return f"tmp_code_{digest}_{uuid.uuid4().hex[:8]}.{file_extension(lang)}"


def execute_code(
    code: Optional[str] = None,
    timeout: Optional[int] = None,
    filename: Optional[str] = None,
    work_dir: Optional[str] = None,
    use_docker: Union[List[str], str, bool, Any, None] = SENTINEL,
    lang: Optional[str] = "python",
) -> Tuple[int, str, Optional[str]]:
    """Run code (or an existing file) and return ``(exit_code, logs, image)``.

    Args:
        code: the code to run; written to ``filename`` (default a ``tmp_code_<md5>_<id>`` file, removed afterwards).
        timeout: seconds before the run is stopped (default 600); then ``(1, "Timeout", image)``.
        filename: file inside ``work_dir`` to write to or, with ``code=None``, to run.
        work_dir: directory to run in (default ``autogen/extensions``).
        use_docker: ``True`` (default image, see ``AUTOGEN_DOCKER_IMAGE``), an image name or a list of
            them, or False/None to run on this machine. Unset: ``AUTOGEN_USE_DOCKER`` decides. Asked
            for Docker, code runs in Docker, also when this process is itself in a container; when
            Docker is not running, in the bubblewrap sandbox (``docs/security.md``; a warning once).
        lang: ``python``/``py``, ``sh``/``shell``/``bash`` or ``ps1``/``pwsh``.

    Returns:
        exit code; stdout on success, error output on failure; the Docker image used (None locally).

    Raises:
        AssertionError: when neither ``code`` nor ``filename`` is given.
        RuntimeError: when Docker is requested but not running and the bubblewrap sandbox cannot
            stand in for it (code asked to run in Docker never runs unconfined on this machine).

    On this machine the code runs under the default :class:`autogen.coding.ResourceLimits`, with
    secret-looking environment variables removed, and every process it starts is killed at the
    end (see ``docs/security.md``). A ``filename`` that would leave ``work_dir`` (``../x``, an
    absolute path, a symbolic link) is refused: nothing is written and ``(1, "<why>", None)`` is returned.
    """
    if code is None and filename is None:
        raise AssertionError("Either code or filename must be provided.")
    if use_docker is SENTINEL:
        use_docker = decide_use_docker(None)
    sandboxed = docker_replaced_by_sandbox(use_docker)
    timeout = timeout or DEFAULT_TIMEOUT
    lang = lang or "python"
    if WIN32 and lang in ("sh", "shell") and not use_docker:
        lang = "ps1"
    own_file = filename is None
    if filename is None:
        filename = _default_filename(code or "", lang)
    work_dir = work_dir or WORKING_DIR
    Path(work_dir).mkdir(parents=True, exist_ok=True)
    try:
        filepath = resolve_in_workspace(filename, work_dir)
    except UnsafeFilenameError as exc:
        return 1, str(exc), None
    if code is not None:
        write_file(filepath, code)
    try:
        if use_docker and not sandboxed:
            from .coding._legacy_docker import run_in_docker

            exit_code, logs, image = run_in_docker(filepath, lang, Path(work_dir), timeout, use_docker)
        else:
            (exit_code, logs), image = _run_locally(filepath, lang, Path(work_dir), timeout, sandboxed), None
    finally:
        if own_file and filepath.exists():
            filepath.unlink()
    return exit_code, logs, image


def _run_locally(filepath: Path, lang: str, work_dir: Path, timeout: float, sandboxed: bool) -> Tuple[int, str]:
    cap = default_max_output_bytes()
    command, env = _local_command(lang, filepath), scrubbed_environ()
    if sandboxed:
        command, env = sandboxed_command(command, env, work_dir)
    result = run_process(
        command,
        cwd=work_dir,
        timeout=timeout,
        env=env,
        merge_stderr=False,
        max_output_bytes=cap,
    )
    if result.timed_out:
        return 1, TIMEOUT_MSG
    logs = result.stdout if result.exit_code == 0 else result.stdout + result.stderr
    # file paths in tracebacks are noise to the LLM; show them relative to the work dir
    logs = logs.replace(str(work_dir.resolve()) + os.sep, "").replace(str(filepath), filepath.name)
    if result.truncated:
        logs += output_cap_notice(cap)
    return result.exit_code, logs


def create_virtual_env(dir_path: str, **env_args: Any) -> SimpleNamespace:
    """Create a virtual environment at ``dir_path`` (``venv.EnvBuilder(**env_args)``) and return its context.

    Pass the context as ``LocalCommandLineCodeExecutor(virtual_env_context=...)`` to run code inside it.
    """
    builder = venv.EnvBuilder(**env_args)
    builder.create(dir_path)
    return builder.ensure_directories(dir_path)


def _openai_v0_only(name: str) -> Callable[..., Any]:
    def helper(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(
            f"(Deprecated) autogen.code_utils.{name} requires openai<1 (the legacy Completion API). "
            "Use an AssistantAgent with a code executor instead."
        )

    helper.__name__ = helper.__qualname__ = name
    helper.__doc__ = f"Removed with openai<1: calling {name} raises AssertionError."
    return helper


# the openai<1 helpers of 0.2: importable, but they cannot work with openai>=1
generate_code = _openai_v0_only("generate_code")
improve_function = _openai_v0_only("improve_function")
improve_code = _openai_v0_only("improve_code")
implement = _openai_v0_only("implement")
generate_assertions = _openai_v0_only("generate_assertions")
eval_function_completions = _openai_v0_only("eval_function_completions")


class PassAssertionFilter:
    """Removed with openai<1 (filtered completions by generated assertions); creating one raises AssertionError."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _openai_v0_only("PassAssertionFilter")()


__all__ += ["UnsafeFilenameError"]
