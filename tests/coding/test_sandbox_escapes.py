"""SandboxedCommandLineCodeExecutor against real escape attempts (each also checks normal code still works).

Small limits are set before every bomb, so the tests are harmless to the machine and bounded in time.
"""

from __future__ import annotations

import os
import socket
import stat
import time
import uuid
from pathlib import Path
from typing import List

import psutil
import pytest

from autogen.coding import CodeBlock, CommandLineCodeResult, ResourceLimits, SandboxedCommandLineCodeExecutor
from autogen.coding._bwrap import sandbox_problem

_PROBLEM = sandbox_problem()
pytestmark = [
    pytest.mark.skipif(_PROBLEM is not None, reason=f"no usable bubblewrap here: {_PROBLEM}"),
    pytest.mark.timeout(90),
]

MIB = 1024**2
LIMITS = ResourceLimits(memory_bytes=512 * MIB, max_processes=16, file_size_bytes=4 * MIB)


@pytest.fixture
def work_dir(tmp_path: Path) -> Path:
    return tmp_path / "work"


@pytest.fixture
def executor(work_dir: Path) -> SandboxedCommandLineCodeExecutor:
    return SandboxedCommandLineCodeExecutor(
        work_dir=work_dir, timeout=10, resource_limits=LIMITS, tmp_size_bytes=8 * MIB
    )


def run(executor: SandboxedCommandLineCodeExecutor, code: str, language: str = "python") -> CommandLineCodeResult:
    return executor.execute_code_blocks([CodeBlock(language=language, code=code)])


def processes_with(token: str) -> List[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if token in " ".join(proc.info["cmdline"] or ()):
            found.append(proc)
    return found


TRY = """
import os
def attempt(label, action):
    try:
        print(label, "->", action())
    except OSError as exc:
        print(label, "-> refused:", type(exc).__name__, exc.errno)
"""


def test_ssh_keys_and_home_directories_are_invisible(
    executor: SandboxedCommandLineCodeExecutor, work_dir: Path, outside_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = f"FAKE-PRIVATE-KEY-{uuid.uuid4().hex}"
    home = outside_dir / "home"
    (home / ".ssh").mkdir(parents=True)
    key = home / ".ssh" / "id_ed25519"
    key.write_text(secret)
    key.chmod(0o600)
    monkeypatch.setenv("HOME", str(home))  # the parent's home holds the key
    code = (
        TRY
        + f"""
attempt("key", lambda: open({str(key)!r}).read())
attempt("home-ssh", lambda: os.listdir({str(home / ".ssh")!r}))
attempt("root-ssh", lambda: os.listdir("/root/.ssh"))
attempt("home", lambda: os.listdir("/home"))
print("HOME is", os.environ["HOME"])
open("note.txt", "w").write("normal")
"""
    )
    result = run(executor, code)
    assert result.exit_code == 0, result.output
    assert secret not in result.output
    assert "key -> refused: FileNotFoundError" in result.output
    assert "home-ssh -> refused: FileNotFoundError" in result.output
    assert "root-ssh -> refused: FileNotFoundError" in result.output
    assert "home -> refused: FileNotFoundError" in result.output
    assert f"HOME is {work_dir.resolve()}" in result.output
    assert (work_dir / "note.txt").read_text() == "normal"


def test_etc_shadow_is_unreadable_and_etc_passwd_readable(executor: SandboxedCommandLineCodeExecutor) -> None:
    mode = os.stat("/etc/shadow").st_mode
    assert not mode & stat.S_IROTH, "the test needs an /etc/shadow others may not read"
    code = (
        TRY
        + """
attempt("shadow", lambda: open("/etc/shadow").read())
attempt("gshadow", lambda: open("/etc/gshadow").read())
attempt("passwd", lambda: open("/etc/passwd").read().splitlines()[0].split(":")[0])
"""
    )
    result = run(executor, code)
    assert result.exit_code == 0, result.output
    assert "shadow -> refused: PermissionError" in result.output
    assert "gshadow -> refused: PermissionError" in result.output
    assert "passwd -> root" in result.output
    assert "root:" not in result.output  # no line of the shadow files


def test_the_parents_environment_is_not_visible(
    executor: SandboxedCommandLineCodeExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    api_key = f"sk-fake-{uuid.uuid4().hex}"
    token = f"tok-{uuid.uuid4().hex}"
    monkeypatch.setenv("OPENAI_API_KEY", api_key)
    monkeypatch.setenv("MY_SERVICE_TOKEN", token)
    monkeypatch.setenv("AUTOGEN_SANDBOX_TEST_PLAIN", "plain-value")
    code = f"""
import os, glob
print(dict(os.environ))
for path in glob.glob("/proc/*/environ") + ["/proc/{os.getpid()}/environ", "/proc/{os.getppid()}/environ"]:
    try:
        print(path, open(path, "rb").read())
    except OSError as exc:
        print(path, type(exc).__name__)
"""
    result = run(executor, code)
    assert result.exit_code == 0, result.output
    assert api_key not in result.output
    assert token not in result.output
    assert "OPENAI_API_KEY" not in result.output
    assert "plain-value" in result.output  # ordinary variables do reach the code
    assert "/proc/1/environ" in result.output  # the code did look at the other processes


def test_writes_outside_the_work_dir_go_nowhere(
    executor: SandboxedCommandLineCodeExecutor, work_dir: Path, tmp_path: Path, outside_dir: Path
) -> None:
    import sys

    targets = {
        "sibling": tmp_path / "outside.txt",  # next to the work dir: lands in the private /tmp
        "var": outside_dir / "escaped.txt",
        "usr": Path("/usr/local/autogen-escaped.txt"),
        "etc": Path("/etc/autogen-escaped.txt"),
        "root": Path("/root/autogen-escaped.txt"),
        "python": Path(sys.prefix) / "autogen-escaped.txt",
        "rootfs": Path("/autogen-escaped.txt"),
    }
    code = TRY + "".join(
        f"attempt({name!r}, lambda: open({str(p)!r}, 'w').write('x'))\n" for name, p in targets.items()
    )
    code += "attempt('work', lambda: open('inside.txt', 'w').write('ok'))\n"
    assert not any(path.exists() for path in targets.values())
    try:
        result = run(executor, code)
        escaped = [path for path in targets.values() if path.exists()]
    finally:  # should the sandbox ever fail, leave the machine as it was
        for path in targets.values():
            path.unlink(missing_ok=True)
    assert result.exit_code == 0, result.output
    assert escaped == [], f"written on the host: {escaped}"
    for name in ("var", "usr", "etc", "root", "python", "rootfs"):
        assert f"{name} -> refused:" in result.output
    written = work_dir / "inside.txt"
    assert written.read_text() == "ok"
    assert written.stat().st_uid == os.getuid()  # files in the work dir belong to the caller


def test_no_network_and_no_host_sockets(executor: SandboxedCommandLineCodeExecutor, outside_dir: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    unix_path = outside_dir / "host.sock"
    unix_listener = socket.socket(socket.AF_UNIX)
    unix_listener.bind(str(unix_path))
    unix_listener.listen()
    code = (
        TRY
        + f"""
import socket
attempt("tcp-host", lambda: socket.create_connection(("127.0.0.1", {port}), timeout=3))
attempt("internet", lambda: socket.create_connection(("1.1.1.1", 53), timeout=3))
def unix():
    s = socket.socket(socket.AF_UNIX)
    s.connect({str(unix_path)!r})
attempt("unix", unix)
attempt("run", lambda: os.listdir("/run"))
own = socket.socket(); own.bind(("127.0.0.1", 0)); own.listen()
socket.create_connection(own.getsockname(), timeout=3)
print("own loopback works")
"""
    )
    try:
        result = run(executor, code)
        for sock in (listener, unix_listener):
            sock.settimeout(0.5)
            with pytest.raises(socket.timeout):
                sock.accept()
    finally:
        listener.close()
        unix_listener.close()
    assert result.exit_code == 0, result.output
    assert "tcp-host -> refused: ConnectionRefusedError" in result.output
    assert "internet -> refused:" in result.output
    assert "unix -> refused: FileNotFoundError" in result.output
    assert "run -> refused: FileNotFoundError" in result.output
    assert "own loopback works" in result.output


def test_a_fork_bomb_is_bounded_by_the_process_limit_and_stopped_on_time(work_dir: Path) -> None:
    executor = SandboxedCommandLineCodeExecutor(work_dir=work_dir, timeout=4, resource_limits=LIMITS)
    code = """
import os, time
forked = 0
for _ in range(200):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(60)
        os._exit(0)
    forked += 1
print("forked", forked, flush=True)
while True:  # now a real bomb: every process forks forever
    try:
        os.fork()
    except OSError:
        pass
"""
    start = time.monotonic()
    result = run(executor, code)
    elapsed = time.monotonic() - start
    if "[stopped: the code ran more than 16 processes at once]" in result.output:
        # root without a writable pids cgroup (AUTOGEN_CGROUPS=0): the watchdog stops the block instead
        assert result.exit_code != 0
    else:  # a pids cgroup (root) or RLIMIT_NPROC (other users) holds the bomb until the timeout
        assert result.exit_code == 124, result.output
        assert "Timeout" in result.output
        forked = int(result.output.split("forked", 1)[1].split()[0])
        assert 0 < forked < LIMITS.max_processes  # type: ignore[operator]
    assert elapsed < 4 + 8, f"the timeout fired late: {elapsed:.1f} s"
    assert processes_with(str(result.code_file)) == []
    assert psutil.Process().children(recursive=True) == []


def test_a_memory_bomb_fails_while_normal_allocations_work(executor: SandboxedCommandLineCodeExecutor) -> None:
    code = """
small = bytearray(64 * 1024 * 1024)
print("64 MiB ok", len(small))
try:
    big = bytearray(2 * 1024 * 1024 * 1024)
    print("2 GiB allocated")
except MemoryError:
    print("2 GiB refused")
"""
    result = run(executor, code)
    assert result.exit_code == 0, result.output
    assert "64 MiB ok" in result.output
    assert "2 GiB refused" in result.output


def test_filling_the_disk_stops_at_the_file_size_and_tmp_limits(
    executor: SandboxedCommandLineCodeExecutor, work_dir: Path
) -> None:
    code = """
import errno
chunk = b"x" * (1024 * 1024)
try:
    with open("big.bin", "wb") as f:
        for _ in range(64):
            f.write(chunk)
            f.flush()
    print("work dir filled")
except OSError as exc:
    print("work dir stopped:", errno.errorcode[exc.errno])
written = 0
try:
    for i in range(64):
        with open(f"/tmp/fill{i}", "wb") as f:
            f.write(chunk)
        written += 1
    print("tmp filled")
except OSError as exc:
    print("tmp stopped:", errno.errorcode[exc.errno], written)
open("small.txt", "w").write("fine")
"""
    result = run(executor, code)
    assert result.exit_code == 0, result.output
    assert "work dir stopped: EFBIG" in result.output
    assert "tmp stopped: ENOSPC" in result.output
    assert int(result.output.split("ENOSPC", 1)[1].split()[0]) <= 8
    assert (work_dir / "big.bin").stat().st_size <= 4 * MIB
    assert (work_dir / "small.txt").read_text() == "fine"


DAEMON = """
import os, signal, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        os.execv("/bin/sleep", ["sleep", "TOKEN"])
    os._exit(0)
def running():
    for name in os.listdir("/proc"):
        try:
            if name.isdigit() and b"TOKEN" in open(f"/proc/{name}/cmdline", "rb").read():
                return True
        except OSError:
            pass
    return False
while not running():
    time.sleep(0.01)
print("daemon running", flush=True)
"""


@pytest.mark.parametrize("ending", ["exits", "times out"])
def test_a_daemon_does_not_outlive_the_block(work_dir: Path, ending: str) -> None:
    executor = SandboxedCommandLineCodeExecutor(work_dir=work_dir, timeout=3, resource_limits=LIMITS)
    token = f"300.{uuid.uuid4().int % 10**12}"  # a valid duration for sleep, unique to this test
    code = DAEMON.replace("TOKEN", token) + ("time.sleep(60)\n" if ending == "times out" else "")
    result = run(executor, code)
    assert "daemon running" in result.output, result.output
    assert result.exit_code == (124 if ending == "times out" else 0), result.output
    assert processes_with(token) == []  # gone right when the block returns


def test_the_timeout_fires_on_time_and_normal_code_runs_after(work_dir: Path) -> None:
    executor = SandboxedCommandLineCodeExecutor(work_dir=work_dir, timeout=2, resource_limits=LIMITS)
    start = time.monotonic()
    result = run(executor, "while True:\n    pass\n")
    assert result.exit_code == 124
    assert time.monotonic() - start < 2 + 6
    assert run(executor, "print('after')").output == "after\n"


def test_the_sandbox_ends_when_the_executors_process_is_killed(work_dir: Path) -> None:
    import subprocess
    import sys

    from ._helpers import wait_for

    token = f"300.{uuid.uuid4().int % 10**12}"
    code = DAEMON.replace("TOKEN", token) + "time.sleep(60)\n"
    script = (
        "from autogen.coding import CodeBlock, SandboxedCommandLineCodeExecutor\n"
        f"executor = SandboxedCommandLineCodeExecutor(work_dir={str(work_dir)!r}, timeout=2)\n"
        f"executor.execute_code_blocks([CodeBlock(language='python', code={code!r})])\n"
    )
    runner = work_dir.parent / "run_executor.py"  # a file: the token must not be in the parent's command line
    runner.write_text(script)
    repo = str(Path(__file__).parents[2])
    parent = subprocess.Popen([sys.executable, str(runner)], cwd=repo, env={**os.environ, "PYTHONPATH": repo})
    try:
        assert wait_for(lambda: processes_with(token) != [], 30), "the daemon never started"
    finally:
        parent.kill()
        parent.wait()
    assert wait_for(lambda: processes_with(token) == [], 20), "the sandbox outlived its executor's process"
