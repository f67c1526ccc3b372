"""``--warm-start``: native runs forked from an interpreter that has already imported autogen.

A fresh interpreter spends most of a short run's CPU importing autogen's dependencies (openai alone
is several hundred ms). The warm server imports them once, then forks one process per run when a
run's ``run.sh`` starts ``warm_client.py scenario.py``: the fork takes the client's folder, arguments,
environment and standard streams, and runs the script as ``python scenario.py`` would (``__main__``,
``sys.argv``, ``sys.path[0]`` = the script's folder, then ``$PYTHONPATH``). Each run starts from the same
pristine fork, so runs still cannot see each other's state; what they share is only modules imported
before the first run (whose import-time reads of the environment saw the command's environment).
"""

from __future__ import annotations

import array
import atexit
import contextlib
import json
import os
import runpy
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Any, Optional

from autogen.coding import _supervisor

__all__ = ["WarmServer", "serve"]

CLIENT = Path(__file__).resolve().parent / "warm_client.py"
_CLEANUP_GRACE_S = 2.0
_PRELOAD = (
    "openai",
    "httpx",
    "pydantic",
    "sqlite3",
    "autogen",
    "autogen.agentchat",
    "autogen.agentchat.conversable_agent",
    "autogen.agentchat.groupchat",
    "autogen.oai.client",
    "autogen.runtime_logging",
    "autogen.logger.sqlite_logger",
    "autogen.coding",
    "autogen.math_utils",
)


class WarmServer:
    """Starts ``python -m autogen.bench.warm SOCKET`` for the duration of a batch; gives the run env to use it."""

    def __init__(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="autogen-bench-warm-")
        os.chmod(self._dir, 0o700)  # the socket receives environments holding API keys
        self.socket_path = os.path.join(self._dir, "warm.sock")
        self._process: Optional[subprocess.Popen[bytes]] = None

    def start(self) -> WarmServer:
        from autogen.coding._env import scrubbed_environ

        from .sandbox import autogen_source_dir

        env = scrubbed_environ()  # its runs are forks of it: they could read its start-up environment
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(autogen_source_dir()), env.get("PYTHONPATH")]))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "autogen.bench.warm", self.socket_path],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if b"ready" not in line:
            self.stop()
            from .errors import BenchError

            raise BenchError("the --warm-start interpreter did not start; run without --warm-start")
        return self

    def env(self) -> dict[str, str]:
        """Variables that make ``run.sh`` start ``scenario.py`` through this server."""
        return {"AUTOGEN_BENCH_WARM": self.socket_path, "AUTOGEN_BENCH_PYTHON": f"{sys.executable} -S -E {CLIENT}"}

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()  # it reaps its runs, then exits
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        for name in os.listdir(self._dir):
            os.unlink(os.path.join(self._dir, name))
        os.rmdir(self._dir)

    def __enter__(self) -> WarmServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    fds = array.array("i")
    data, ancdata, _, _ = conn.recvmsg(4, socket.CMSG_SPACE(3 * fds.itemsize))
    for level, kind, payload in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - (len(payload) % fds.itemsize)])
    (length,) = struct.unpack("!I", data)
    body = b""
    while len(body) < length:
        chunk = conn.recv(length - len(body))
        if not chunk:
            raise ConnectionError("client went away")
        body += chunk
    return json.loads(body), list(fds)


def _watch_client(pid: int) -> None:
    """Kill this run (its whole process group) as soon as the client process ends."""

    def wait() -> None:
        try:
            fd = os.pidfd_open(pid)
            select.select([fd], [], [])
        except (AttributeError, OSError):
            while True:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.2)
        _supervisor._signal_all(signal.SIGKILL)  # its daemons too (they left the process group)
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=wait, daemon=True, name="warm-client-watch").start()


def _exit_code(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1


def _run_child(conn: socket.socket, header: dict[str, Any], fds: list[int]) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.setsid()
    with contextlib.suppress(OSError):
        _supervisor._become_subreaper()  # what the run starts stays below this fork, daemons included
    for target, fd in zip((0, 1, 2), fds):
        os.dup2(fd, target)
    for fd in fds:
        os.close(fd)
    os.chdir(header["cwd"])
    os.environ.clear()
    os.environ.update(header["env"])
    script = header["argv"][0]
    sys.argv = list(header["argv"])
    extra = [p for p in header["env"].get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[:0] = [os.path.dirname(os.path.abspath(script)), *extra]
    _watch_client(int(header["pid"]))
    try:
        runpy.run_path(script, run_name="__main__")
        code = 0
    except SystemExit as stop:
        code = _exit_code(stop.code)
    except BaseException:
        traceback.print_exc()
        code = 1
    for thread in threading.enumerate():  # as interpreter exit does: wait for non-daemon threads
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    _supervisor._kill_everything(_CLEANUP_GRACE_S)  # as the executor's supervisor: nothing outlives the run
    try:
        conn.sendall(struct.pack("!i", code))
    finally:
        os._exit(code)


def serve(socket_path: str) -> None:
    """Import autogen's dependencies, then fork one process per client connection, forever."""
    import importlib

    for name in _PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path)
    server.listen(256)
    server.settimeout(0.5)
    print("ready", flush=True)
    while not stopping.is_set():
        _reap(block=False)
        try:
            conn, _ = server.accept()
        except (socket.timeout, InterruptedError):
            continue
        conn.settimeout(None)
        try:
            header, fds = _receive(conn)
        except (OSError, ValueError):
            conn.close()
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:
            server.close()
            _run_child(conn, header, fds)
        conn.close()
        for fd in fds:
            os.close(fd)
    _reap(block=True)  # so the runs' CPU time is counted in this process's children, as a fresh process's is


def _reap(block: bool) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


if __name__ == "__main__":
    serve(sys.argv[1])
