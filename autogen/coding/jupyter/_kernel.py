"""One Jupyter kernel, driven over jupyter_client: run a cell with a timeout and an output cap.

On timeout the kernel is interrupted (SIGINT) and every process below the kernel (what the code
forked or spawned) is killed; a kernel that does not come back to idle is restarted. State
(variables, imports) survives a timeout whenever the interrupt works. The kernel starts with the
host environment scrubbed of secret-looking variables unless given another ``env``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import re
import subprocess
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, List, Mapping, Optional, Tuple

from .._env import scrubbed_environ
from .._output import CappedOutput
from .._process import TIMEOUT_EXIT_CODE
from .._tree import kill_descendants

__all__ = ["CellOutcome", "KernelSession", "check_kernel_installed"]

_live_sessions: weakref.WeakSet[KernelSession] = weakref.WeakSet()


@atexit.register
def _shutdown_all_sessions() -> None:
    for session in list(_live_sessions):
        with contextlib.suppress(Exception):
            session.shutdown()


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
INTERRUPT_GRACE_SECONDS = 3.0


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes (IPython tracebacks are coloured)."""
    return _ANSI.sub("", text)


def check_kernel_installed(kernel_name: str) -> None:
    """Raise ValueError, saying how to install it, when no kernelspec ``kernel_name`` exists."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager
    except ImportError as exc:
        raise RuntimeError(
            "Jupyter code execution needs jupyter_client and ipykernel: pip install 'autogen[jupyter]'"
        ) from exc
    if kernel_name not in KernelSpecManager().find_kernel_specs():
        raise ValueError(
            f"Jupyter kernel {kernel_name!r} is not installed. Install it with "
            f"`python -m ipykernel install --user --name {kernel_name}`."
        )


@dataclass
class CellOutcome:
    """What one cell produced: text, rich data items, and how it ended."""

    is_ok: bool
    output: str
    data_items: List[Tuple[str, Any]] = field(default_factory=list)
    timed_out: bool = False
    truncated: bool = False
    exit_code: int = 0


class KernelSession:
    """A running kernel (``KernelManager`` + blocking client). Thread-safe: cells run one at a time."""

    def __init__(
        self, kernel_name: str = "python3", startup_timeout: float = 60.0, env: Optional[Mapping[str, str]] = None
    ) -> None:
        check_kernel_installed(kernel_name)
        from jupyter_client import KernelManager

        self.kernel_name = kernel_name
        self._lock = threading.Lock()
        self._manager = KernelManager(kernel_name=kernel_name, transport="ipc" if os.name == "posix" else "tcp")
        if os.name == "posix":
            # ipc sockets live in a private directory, not the working directory
            import tempfile

            self._ipc_dir = tempfile.mkdtemp(prefix="autogen-kernel-")
            self._manager.ip = str(Path(self._ipc_dir) / "kernel")
        # the kernel's own log lines (e.g. "KeyboardInterrupt caught") are not the code's output
        kernel_env = dict(env) if env is not None else scrubbed_environ()
        self._manager.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=kernel_env)
        self._startup_timeout = startup_timeout
        self._client = self._connect()
        self._closed = False
        _live_sessions.add(self)

    def _connect(self) -> Any:
        client = self._manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=self._startup_timeout)
        except RuntimeError:
            client.stop_channels()
            self._manager.shutdown_kernel(now=True)
            raise
        return client

    @property
    def kernel_pid(self) -> Optional[int]:
        """The kernel process id (None if not running locally)."""
        provisioner = getattr(self._manager, "provisioner", None)
        return getattr(provisioner, "pid", None)

    def is_alive(self) -> bool:
        """Whether the kernel process is running."""
        return bool(self._manager.is_alive())

    def execute(self, code: str, timeout: float, max_output_bytes: int) -> CellOutcome:
        """Run ``code`` as one cell and collect its output."""
        with self._lock:
            return self._execute(code, timeout, max_output_bytes)

    def _execute(self, code: str, timeout: float, max_output_bytes: int) -> CellOutcome:
        self._drain_iopub()
        msg_id = self._client.execute(code, store_history=False, allow_stdin=False)
        texts = CappedOutput(max_output_bytes)
        notes: List[str] = []
        data_items: List[Tuple[str, Any]] = []
        outcome = CellOutcome(is_ok=True, output="")
        deadline = time.monotonic() + timeout
        interrupted_at: Optional[float] = None
        while True:
            now = time.monotonic()
            if interrupted_at is None and now >= deadline:
                outcome.timed_out = True
                interrupted_at = self._interrupt()
            if interrupted_at is not None and now - interrupted_at > INTERRUPT_GRACE_SECONDS:
                self._restart_kernel()
                notes.append("\n[the kernel did not respond to an interrupt and was restarted; its state is lost]")
                break
            wait = max(0.05, min(deadline - now, 0.5)) if interrupted_at is None else 0.1
            try:
                msg = self._client.get_iopub_msg(timeout=wait)
            except queue.Empty:
                if not self.is_alive():
                    notes.append("\n[the kernel died; it was restarted and its state is lost]")
                    outcome.is_ok, outcome.exit_code = False, 1
                    self._restart_kernel()
                    break
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content.get("execution_state") == "idle":
                break
            text: Optional[str] = None
            if kind == "stream":
                text = content.get("text", "")
            elif kind in ("execute_result", "display_data"):
                data = content.get("data", {})
                rich = [(mime, value) for mime, value in data.items() if mime != "text/plain"]
                if rich:
                    data_items.extend(rich)
                elif "text/plain" in data:
                    text = data["text/plain"] + "\n"
            elif kind == "error":
                outcome.is_ok = False
                outcome.exit_code = _exit_code_of_error(content)
                text = _error_text(content, outcome.exit_code)
            if text and not texts.add(text.encode("utf-8", errors="replace")) and not outcome.truncated:
                outcome.truncated = True
                if interrupted_at is None:
                    interrupted_at = self._interrupt()
        outcome.output = texts.text() + "".join(notes)
        outcome.data_items = data_items
        if outcome.timed_out or outcome.truncated:
            outcome.is_ok = False
            outcome.exit_code = TIMEOUT_EXIT_CODE if outcome.timed_out else 1
        return outcome

    def _drain_iopub(self) -> None:
        while True:
            try:
                self._client.get_iopub_msg(timeout=0)
            except queue.Empty:
                return

    def _interrupt(self) -> float:
        """Interrupt the cell and kill every process the kernel started."""
        with contextlib.suppress(Exception):  # the kernel may already be gone
            self._manager.interrupt_kernel()
        self._kill_kernel_children()
        return time.monotonic()

    def _kill_kernel_children(self) -> None:
        pid = self.kernel_pid
        if pid is not None:
            kill_descendants(pid, include_group=True)

    def _restart_kernel(self) -> None:
        self._client.stop_channels()
        self._manager.restart_kernel(now=True)
        self._client = self._connect()

    def restart(self) -> None:
        """Restart the kernel, dropping its state."""
        with self._lock:
            self._restart_kernel()

    def shutdown(self) -> None:
        """Stop the kernel and its channels. Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            _live_sessions.discard(self)
            try:
                self._client.stop_channels()
            finally:
                if self._manager.has_kernel:
                    self._manager.shutdown_kernel(now=True)
                ipc_dir = getattr(self, "_ipc_dir", None)
                if ipc_dir:
                    import shutil

                    shutil.rmtree(ipc_dir, ignore_errors=True)


def _error_text(content: dict, exit_code: int) -> str:
    if content.get("ename") == "CalledProcessError":  # a %%sh / %%bash cell failed
        return f"[the shell commands exited with status {exit_code}]\n"
    traceback = strip_ansi("\n".join(content.get("traceback", [])))
    return f"{content.get('ename')}: {content.get('evalue')}\n{traceback}\n"


def _exit_code_of_error(content: dict) -> int:
    """The exit code a failed cell reports: a shell cell's own status, else 1."""
    if content.get("ename") == "CalledProcessError":
        match = re.search(r"non-zero exit status (\d+)", str(content.get("evalue", "")))
        if match:
            return int(match.group(1))
    return 1
