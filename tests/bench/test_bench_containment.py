"""What a benchmark run can do to the host: `--native` runs are contained like the local executor, Docker runs are
memory-limited."""

from __future__ import annotations

import os
import time

import pytest

from autogen.bench.sandbox import run_in_docker, run_natively

SECRET = "hunter2-bench-secret-0123456789"

NATIVE = """echo "TOKEN=${MY_SERVICE_TOKEN:-unset}"
echo "CONFIG=$OAI_CONFIG_LIST"
setsid sh -c 'echo $$ > daemon.pid; exec sleep 60' </dev/null >/dev/null 2>&1 &
sleep 0.5 &
(sleep 60 & echo $! > child.pid) </dev/null >/dev/null 2>&1
while [ ! -s daemon.pid ]; do sleep 0.05; done
echo started
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_a_native_run_sees_no_host_secrets_and_leaves_no_daemon(tmp_path, monkeypatch):
    monkeypatch.setenv("MY_SERVICE_TOKEN", SECRET)
    (tmp_path / "run.sh").write_text(NATIVE)
    code, timed_out = run_natively(tmp_path, {"OAI_CONFIG_LIST": '[{"model": "m"}]'}, limit=20)
    log = (tmp_path / "console_log.txt").read_text()
    assert code == 0 and not timed_out and "started" in log
    assert SECRET not in log and "TOKEN=unset" in log  # the host's secrets stay out of the run
    assert 'CONFIG=[{"model": "m"}]' in log  # what the scenario needs still reaches it
    pids = [int((tmp_path / name).read_text()) for name in ("daemon.pid", "child.pid")]
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids), "a process of the run outlived it"


@pytest.mark.docker
@pytest.mark.slow
def test_a_docker_run_has_a_memory_limit(tmp_path):
    (tmp_path / "run.sh").write_text(
        "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes\n"
    )
    code, _ = run_in_docker(tmp_path, {}, 60, image="autogen-python:bookworm", network="none")
    limit = (tmp_path / "console_log.txt").read_text().strip()
    assert code == 0 and limit != "max" and int(limit) <= 64 * 1024**3, limit
    assert os.stat(tmp_path / "console_log.txt").st_size > 0


@pytest.mark.docker
@pytest.mark.slow
def test_a_docker_run_cannot_make_the_host_write_through_its_symlinks(tmp_path):
    """The container's root may leave ``console_log.txt`` as a symlink to a host path; saving the log must not
    follow it (the log's text is the scenario's to choose)."""
    outside = tmp_path / "outside.txt"
    outside.write_text("host file\n")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "run.sh").write_text(f"ln -sf {outside} console_log.txt\necho OVERWRITTEN-BY-THE-RUN\n")
    code, _ = run_in_docker(run_dir, {}, 60, image="autogen-python:bookworm", network="none")
    assert code == 0 and outside.read_text() == "host file\n"
    log = run_dir / "console_log.txt"
    assert not log.is_symlink() and "OVERWRITTEN-BY-THE-RUN" in log.read_text()


@pytest.mark.slow
def test_a_warm_started_run_cannot_read_host_secrets_from_the_warm_interpreter(tmp_path, monkeypatch):
    """Warm runs are forks of one interpreter: its own start-up environment (``/proc/self/environ``) must hold
    no host secret either."""
    from autogen.bench.warm import WarmServer

    monkeypatch.setenv("MY_SERVICE_TOKEN", SECRET)
    (tmp_path / "scenario.py").write_text(
        "import os\n"
        "print('ENV=' + os.environ.get('MY_SERVICE_TOKEN', 'unset'))\n"
        "print('PROC=' + str(b'MY_SERVICE_TOKEN' in open('/proc/self/environ', 'rb').read()))\n"
    )
    (tmp_path / "run.sh").write_text("$AUTOGEN_BENCH_PYTHON scenario.py\n")
    with WarmServer() as server:
        code, _ = run_natively(tmp_path, server.env(), limit=30)
    log = (tmp_path / "console_log.txt").read_text()
    assert code == 0 and "ENV=unset" in log and "PROC=False" in log, log
    assert SECRET not in log


@pytest.mark.slow
def test_a_warm_started_run_leaves_no_daemon(tmp_path):
    from autogen.bench.warm import WarmServer

    (tmp_path / "scenario.py").write_text(
        "import subprocess\n"
        "daemon = subprocess.Popen(['sleep', '60'], start_new_session=True)\n"
        "open('daemon.pid', 'w').write(str(daemon.pid))\n"
        "print('started')\n"
    )
    (tmp_path / "run.sh").write_text("$AUTOGEN_BENCH_PYTHON scenario.py\n")
    with WarmServer() as server:
        code, _ = run_natively(tmp_path, server.env(), limit=30)
        pid = int((tmp_path / "daemon.pid").read_text())
        deadline = time.monotonic() + 5
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert code == 0 and not _alive(pid), "the warm run's daemon outlived it"


def test_a_native_run_cannot_start_unlimited_processes(tmp_path):
    from autogen.coding._cgroup import pids_cgroup_root

    if pids_cgroup_root() is None and os.geteuid() == 0:
        pytest.fail("this test needs a writable pids cgroup when run as root (as in CI)")
    (tmp_path / "spawn.py").write_text(
        "import subprocess\n"
        "procs = []\n"
        "try:\n"
        "    for _ in range(400):\n"
        "        procs.append(subprocess.Popen(['sleep', '10']))\n"
        "except OSError as err:\n"
        "    print('REFUSED', type(err).__name__)\n"
        "print('STARTED=%d' % len(procs), flush=True)\n"
        "for proc in procs:\n"
        "    proc.kill()\n"
    )
    (tmp_path / "run.sh").write_text("python spawn.py\n")
    run_natively(tmp_path, {}, limit=30)
    log = (tmp_path / "console_log.txt").read_text()
    assert "REFUSED" in log and int(log.split("STARTED=")[1].split()[0]) < 256, log
