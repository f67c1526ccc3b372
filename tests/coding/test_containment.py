"""Local execution containment: escaped processes die with the block, limits hold, secrets stay out.

Every escape attempt really runs. Bombs run only after the test has checked that a limit is in
place, and with small limits (64 processes, 512 MiB), so a failure cannot harm the machine.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from autogen import code_utils
from autogen.coding import CodeBlock, LocalCommandLineCodeExecutor
from autogen.coding._cgroup import pids_cgroup_root
from autogen.coding._limits import GIB, ResourceLimits
from autogen.coding._process import run_process

from ._helpers import process_alive, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process control")

# a daemon that leaves its session and its parent (double fork + setsid), keeps our stdout pipe
# open, ignores SIGTERM, and records its pid
DAEMON = """
import os, signal, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        open("daemon.pid", "w").write(str(os.getpid()))
        time.sleep(300)
    os._exit(0)
os.wait()
while not os.path.exists("daemon.pid"):
    time.sleep(0.01)
print("main done", flush=True)
"""


def _executor(tmp_path: Path, **kwargs: object) -> LocalCommandLineCodeExecutor:
    return LocalCommandLineCodeExecutor(work_dir=tmp_path, **kwargs)  # type: ignore[arg-type]


def _daemon_pid(work_dir: Path) -> int:
    assert wait_for(lambda: (work_dir / "daemon.pid").exists(), 10)
    return int((work_dir / "daemon.pid").read_text())


def _extra_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t not in before and t.is_alive()]


@pytest.mark.parametrize("ends_by", ["exit", "timeout"])
def test_setsid_double_forked_daemon_dies_with_the_block(tmp_path: Path, ends_by: str) -> None:
    before = set(threading.enumerate())
    code = DAEMON + ("time.sleep(60)\n" if ends_by == "timeout" else "")
    start = time.monotonic()
    result = _executor(tmp_path, timeout=2).execute_code_blocks([CodeBlock(code=code, language="python")])
    elapsed = time.monotonic() - start
    pid = _daemon_pid(tmp_path)
    assert "main done" in result.output
    assert result.exit_code == (124 if ends_by == "timeout" else 0)
    assert not process_alive(pid), "the escaped daemon outlived its block"
    assert _extra_threads(before) == [], "a reader thread was left behind"
    assert elapsed < 2 + 2 + 4  # timeout + kill grace + slack


def test_escaped_processes_are_killed_by_legacy_execute_code(tmp_path: Path) -> None:
    before = set(threading.enumerate())
    exit_code, logs, _ = code_utils.execute_code(DAEMON, work_dir=str(tmp_path), use_docker=False, timeout=5)
    assert (exit_code, logs) == (0, "main done\n")
    assert not process_alive(_daemon_pid(tmp_path))
    assert _extra_threads(before) == []


def test_memory_bomb_fails_fast_with_memory_error(tmp_path: Path) -> None:
    limits = ResourceLimits(memory_bytes=512 * 1024**2)
    executor = _executor(tmp_path, timeout=20, resource_limits=limits)
    start = time.monotonic()
    result = executor.execute_code_blocks([CodeBlock(code="x = bytearray(8 * 1024**3)", language="python")])
    assert result.exit_code != 0
    assert "MemoryError" in result.output
    assert time.monotonic() - start < 10


def test_default_limits_stop_an_8_gb_allocation(tmp_path: Path) -> None:
    assert ResourceLimits().memory_bytes == 4 * GIB  # the limit is in place before the bomb runs
    result = _executor(tmp_path, timeout=20).execute_code_blocks(
        [CodeBlock(code="x = bytearray(8 * 1024**3)", language="python")]
    )
    assert (result.exit_code != 0, "MemoryError" in result.output) == (True, True)


def test_rlimits_are_applied_to_the_code(tmp_path: Path) -> None:
    limits = ResourceLimits(memory_bytes=3 * GIB, file_size_bytes=5_000_000, cpu_seconds=7, max_processes=64)
    code = "print(open('/proc/self/limits').read())"
    out = _executor(tmp_path, timeout=10, resource_limits=limits).execute_code_blocks(
        [CodeBlock(code=code, language="python")]
    )
    lines = {line[:26].strip(): line[26:].split() for line in out.output.splitlines()}
    assert lines["Max address space"][:2] == [str(3 * GIB)] * 2
    assert lines["Max file size"][:2] == ["5000000"] * 2
    assert lines["Max cpu time"][:2] == ["7", "7"]


def test_file_size_limit_stops_a_disk_filler(tmp_path: Path) -> None:
    limits = ResourceLimits(file_size_bytes=1_000_000)
    code = "open('big', 'wb').write(b'x' * 5_000_000)"
    result = _executor(tmp_path, resource_limits=limits).execute_code_blocks([CodeBlock(code=code, language="python")])
    assert result.exit_code != 0
    assert (tmp_path / "big").stat().st_size <= 1_000_000


def test_cpu_limit_defaults_to_the_timeout(tmp_path: Path) -> None:
    code = "print(open('/proc/self/limits').read())"
    out = _executor(tmp_path, timeout=9).execute_code_blocks([CodeBlock(code=code, language="python")]).output
    assert [line.split()[3:5] for line in out.splitlines() if line.startswith("Max cpu time")] == [["10", "10"]]


def test_bad_limits_name_the_field() -> None:
    with pytest.raises(ValueError, match="max_processes must be a positive int or None"):
        ResourceLimits(max_processes=0)
    with pytest.raises(TypeError, match="ResourceLimits"):
        LocalCommandLineCodeExecutor(resource_limits={"memory_bytes": 1})  # type: ignore[arg-type]


def _wait_no_processes_with(marker: str) -> bool:
    def gone() -> bool:
        return all(marker not in " ".join(p.info["cmdline"] or []) for p in psutil.process_iter(["cmdline"]))

    return wait_for(gone, 10)


@pytest.mark.skipif(
    os.geteuid() == 0 and pids_cgroup_root() is None, reason="root without a writable pids cgroup: no hard fork limit"
)
def test_renamed_fork_bomb_is_contained_and_the_timeout_fires_on_time(tmp_path: Path) -> None:
    limits = ResourceLimits(max_processes=64)
    # the limit that holds a bomb here: a pids cgroup for root, RLIMIT_NPROC otherwise
    assert limits.max_processes == 64 and (os.geteuid() != 0 or pids_cgroup_root() is not None)
    marker = f"bomb{os.getpid()}"
    code = f"{marker}() {{ {marker} | {marker} & }}; {marker}"  # passes the command filter
    executor = _executor(tmp_path, timeout=3, resource_limits=limits)
    procs_before = len(psutil.pids())
    start = time.monotonic()
    result = executor.execute_code_blocks([CodeBlock(code=code + "\nsleep 30", language="bash")])
    elapsed = time.monotonic() - start
    assert "not run" not in result.output  # the filter did not catch it; the limits did
    assert elapsed < 3 + 2 + 5
    assert _wait_no_processes_with(marker)
    assert len(psutil.pids()) < procs_before + 10


def test_process_watchdog_stops_a_block_when_no_cgroup_limits_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.geteuid() != 0:
        pytest.skip("the watchdog is for root, whom RLIMIT_NPROC does not limit")
    monkeypatch.setenv("AUTOGEN_CGROUPS", "0")
    assert pids_cgroup_root() is None
    code = "for i in $(seq 30); do sleep 60 & done; wait"  # bounded: 30 processes
    start = time.monotonic()
    result = run_process(["bash", "-c", code], cwd=tmp_path, timeout=20, limits=ResourceLimits(max_processes=8))
    assert result.too_many_processes and result.exit_code != 0
    assert "more than 8 processes" in result.stdout
    assert time.monotonic() - start < 10


def test_secrets_are_not_passed_to_the_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-value-1")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp-test-secret-value-2")
    monkeypatch.setenv("DB_PASSWORD", "hunter2hunter2")
    monkeypatch.setenv("DATABASE_URL", "postgres://me:pw123456@db/x")
    monkeypatch.setenv("INNOCENT_COPY", "sk-test-secret-value-1")
    monkeypatch.setenv("CONFIGURED", "configured-key-value-3")
    monkeypatch.setenv("HARMLESS", "visible")
    monkeypatch.setenv("SSH_AUTH_SOCK", "/tmp/agent.sock")
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/ssl/certs/ca.pem")  # a path, not a secret
    monkeypatch.setenv("GIT_AUTHOR_NAME", "someone")
    code = "import os, sys; print(sorted(os.environ)); print(os.environ.get('PATH') is not None, sys.prefix)"
    executor = _executor(tmp_path, secret_values=["configured-key-value-3"])
    out = executor.execute_code_blocks([CodeBlock(code=code, language="python")]).output
    for name in ("OPENAI_API_KEY", "GITHUB_TOKEN", "DB_PASSWORD", "DATABASE_URL", "INNOCENT_COPY", "CONFIGURED"):
        assert f"'{name}'" not in out, name
    for name in ("SSH_AUTH_SOCK",):
        assert f"'{name}'" not in out, name
    for name in ("HARMLESS", "HOME", "SSL_CERT_FILE", "GIT_AUTHOR_NAME"):
        assert f"'{name}'" in out, name
    assert "True" in out


def test_secrets_can_be_passed_explicitly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICE_TOKEN", "token-for-the-code")
    executor = _executor(tmp_path, passthrough_env=["SERVICE_TOKEN"], env={"API_KEY_FOR_CODE": "given"})
    code = "import os; print(os.environ['SERVICE_TOKEN'], os.environ['API_KEY_FOR_CODE'])"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="python")])
    assert result.output == "token-for-the-code given\n"


def test_legacy_execute_code_scrubs_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-value-1")
    code = "import os; print(os.environ.get('OPENAI_API_KEY'))"
    assert code_utils.execute_code(code, work_dir=str(tmp_path), use_docker=False)[:2] == (0, "None\n")


@pytest.mark.skipif(
    os.geteuid() != 0 or not (Path("/usr/bin/setpriv").exists() and Path("/usr/bin/python3").exists()),
    reason="needs root, setpriv and a system python3 to run the supervisor as an unprivileged user",
)
def test_rlimit_nproc_stops_a_fork_bomb_of_an_unprivileged_user() -> None:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="autogen-nproc-") as place:  # pytest's tmp dirs are private
        _nproc_bomb(Path(place))


def _nproc_bomb(tmp_path: Path) -> None:
    import json
    import shutil
    import subprocess

    from autogen.coding import _supervisor

    tmp_path.chmod(0o777)
    supervisor = tmp_path / "supervisor.py"
    shutil.copy(_supervisor.__file__, supervisor)
    supervisor.chmod(0o644)
    spec = json.dumps({"rlimits": {"NPROC": 20}, "deadline": 20, "grace": 0.5})  # the limit, before the bomb
    bomb = "b() { b | b & }; b; exec sleep 3"
    unprivileged = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    command = [*unprivileged, "/usr/bin/python3", "-I", "-S", str(supervisor), spec, "--", "bash", "-c", bomb]
    start = time.monotonic()
    running = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    tasks = sum(
        p.info["num_threads"] for p in psutil.process_iter(["uids", "num_threads"]) if p.info["uids"].real == 65534
    )
    _, stderr = running.communicate(timeout=60)
    assert time.monotonic() - start < 10
    assert "Resource temporarily unavailable" in stderr
    assert tasks <= 20 + 5  # bounded by the limit (plus what the user ran before)
    assert wait_for(lambda: subprocess.run(["pgrep", "-u", "65534"], capture_output=True).returncode == 1, 10)


@pytest.mark.skipif(pids_cgroup_root() is None, reason="no writable pids cgroup here")
def test_empty_cgroups_left_by_a_dead_executor_are_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    from autogen.coding import _cgroup

    root = pids_cgroup_root()
    assert root is not None
    stale, fresh = root / f"stale-{os.getpid()}", root / f"fresh-{os.getpid()}"
    stale.mkdir()
    fresh.mkdir()
    try:
        old = time.time() - 2 * _cgroup.STALE_AFTER_SECONDS
        os.utime(stale, (old, old))
        monkeypatch.setattr(_cgroup, "_swept_stale", False)
        created = _cgroup.create_pids_cgroup(8)
        assert created is not None
        created.remove()
        assert not stale.exists() and fresh.exists()
    finally:
        for path in (stale, fresh):
            if path.exists():
                path.rmdir()
