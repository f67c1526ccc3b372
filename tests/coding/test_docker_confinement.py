"""Docker containers are confined by default: limits, a non-root user, no capabilities, read-only root.

The bombs run with small limits set by the test (64 processes, 256 MB) and a short timeout.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from autogen import code_utils
from autogen.coding import CodeBlock, ContainerLimits, DockerCommandLineCodeExecutor

pytestmark = pytest.mark.docker

SMALL = ContainerLimits(pids_limit=64, mem_limit="256m", cpus=1.0)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DockerCommandLineCodeExecutor]:
    with DockerCommandLineCodeExecutor(
        work_dir=tmp_path_factory.mktemp("confined"), timeout=3, container_limits=SMALL
    ) as ex:
        yield ex


def run(executor: DockerCommandLineCodeExecutor, code: str, lang: str = "sh"):  # type: ignore[no-untyped-def]
    return executor.execute_code_blocks([CodeBlock(code=code, language=lang)])


def _host_config(executor: DockerCommandLineCodeExecutor) -> dict:
    return executor.container.attrs["HostConfig"]  # type: ignore[attr-defined]


def test_defaults_limit_and_lock_down_the_container(tmp_path: Path) -> None:
    with DockerCommandLineCodeExecutor(work_dir=tmp_path) as ex:
        host = _host_config(ex)
        assert host["PidsLimit"] == 256
        assert host["Memory"] == 2 * 1024**3 and host["MemorySwap"] == 2 * 1024**3
        assert host["NanoCpus"] == 1_000_000_000
        assert host["CapDrop"] == ["ALL"]
        assert host["SecurityOpt"] == ["no-new-privileges"]
        assert host["ReadonlyRootfs"] is True
        assert "/tmp" in host["Tmpfs"]
        assert dataclasses.replace(ex.container_limits, user=None) == ContainerLimits()


def test_limits_are_configurable(tmp_path: Path) -> None:
    limits = ContainerLimits(pids_limit=100, mem_limit="512m", cpus=0.5, read_only=False)
    with DockerCommandLineCodeExecutor(work_dir=tmp_path, container_limits=limits) as ex:
        host = _host_config(ex)
        assert (host["PidsLimit"], host["Memory"], host["NanoCpus"]) == (100, 512 * 1024**2, 500_000_000)
        assert host["ReadonlyRootfs"] is False


def test_bad_limits_name_the_value() -> None:
    with pytest.raises(ValueError, match="user must be 'uid' or 'uid:gid'"):
        ContainerLimits(user="root")
    with pytest.raises(TypeError, match="ContainerLimits"):
        DockerCommandLineCodeExecutor(container_limits={"pids_limit": 1})  # type: ignore[arg-type]


def test_code_runs_as_the_host_user_or_an_unprivileged_one(small: DockerCommandLineCodeExecutor) -> None:
    expected = 1000 if os.geteuid() == 0 else os.geteuid()
    result = run(small, "id -u; grep CapEff /proc/self/status")
    assert result.output.split()[0] == str(expected)
    assert result.output.split()[-1] == "0000000000000000"


@pytest.mark.skipif(os.geteuid() != 0, reason="as root only: a non-root host user is used as is")
def test_as_root_code_runs_as_the_owner_of_a_work_dir_owned_by_someone_else(tmp_path: Path) -> None:
    work = tmp_path / "owned"
    work.mkdir()
    os.chown(work, 4242, 4242)
    with DockerCommandLineCodeExecutor(work_dir=work) as ex:
        assert run(ex, "id -u; touch made").output == "4242\n"
    assert (work / "made").stat().st_uid == 4242


def test_only_the_work_dir_and_tmp_are_writable(small: DockerCommandLineCodeExecutor) -> None:
    result = run(small, "touch /etc/x 2>/dev/null || echo ro-root; touch /tmp/x && echo tmp-ok; touch w && echo wd-ok")
    assert result.output.split() == ["ro-root", "tmp-ok", "wd-ok"]
    assert (small.work_dir / "w").exists()


def test_fork_bomb_is_stopped_by_the_pids_limit_and_the_timeout_fires_on_time(
    small: DockerCommandLineCodeExecutor,
) -> None:
    assert _host_config(small)["PidsLimit"] == 64  # the limit is in place before the bomb runs
    start = time.monotonic()
    result = run(small, "bomb() { bomb | bomb & }; bomb\nsleep 60", "bash")
    elapsed = time.monotonic() - start
    assert result.exit_code == 124
    assert elapsed < 3 + 5
    after = run(small, "ls /proc | grep -c '^[0-9]'")
    assert after.exit_code == 0 and int(after.output) < 10  # the bomb is gone; the container still works


def test_memory_bomb_is_stopped_by_the_memory_limit(small: DockerCommandLineCodeExecutor) -> None:
    assert _host_config(small)["Memory"] == 256 * 1024**2
    code = "x = bytearray(2 * 1024**3)\nprint('allocated')"  # bytearray touches every page
    start = time.monotonic()
    result = run(small, code, "python")
    assert result.exit_code != 0 and "allocated" not in result.output
    assert time.monotonic() - start < 3 + 5
    assert run(small, "echo alive").output == "alive\n"


def test_no_setuid_root_file_can_be_left_in_the_work_dir(small: DockerCommandLineCodeExecutor) -> None:
    code = "cp /bin/sh ./rootsh; chmod 4755 ./rootsh; chown 0:0 ./rootsh; chown 0 . ; ls -ln rootsh"
    run(small, code)
    for path in small.work_dir.rglob("*"):
        info = path.lstat()
        assert not (info.st_uid == 0 and info.st_mode & stat.S_ISUID), path


def test_code_cannot_kill_the_container(small: DockerCommandLineCodeExecutor) -> None:
    run(small, "kill -9 -1")
    assert run(small, "echo still here").output == "still here\n"


def test_host_environment_is_not_passed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-value-1")
    with DockerCommandLineCodeExecutor(work_dir=tmp_path) as ex:
        assert "sk-test" not in run(ex, "env").output
        assert "OPENAI_API_KEY" not in run(ex, "env").output


def test_a_file_named_like_an_option_is_run_as_a_file(small: DockerCommandLineCodeExecutor) -> None:
    result = run(small, "# filename: -c.py\nprint('ran the file')", "python")
    assert (result.exit_code, result.output) == (0, "ran the file\n")


# ------------------------------------------------------------------------------ legacy use_docker


def test_legacy_use_docker_runs_in_docker_even_inside_a_container(tmp_path: Path) -> None:
    # no monkeypatching of in_docker_container: /.dockerenv may exist here, Docker must still be used
    exit_code, logs, image = code_utils.execute_code(
        "import os; print(os.getcwd(), os.getuid() != 0)", work_dir=str(tmp_path), use_docker=True
    )
    assert (exit_code, logs) == (0, "/workspace True\n")
    assert image is not None


def test_legacy_use_docker_is_confined_and_option_like_names_run(tmp_path: Path) -> None:
    code = "import os; print(open('/proc/self/status').read().count('0000000000000000'))"
    exit_code, logs, _ = code_utils.execute_code(code, filename="-c.py", work_dir=str(tmp_path), use_docker=True)
    assert exit_code == 0 and int(logs) >= 3  # CapPrm, CapEff, CapBnd are all empty


def test_legacy_use_docker_stops_a_fork_bomb(tmp_path: Path) -> None:
    start = time.monotonic()
    code = "bomb() { bomb | bomb & }; bomb\nsleep 60"
    result = code_utils.execute_code(code, timeout=3, work_dir=str(tmp_path), use_docker=True, lang="bash")
    assert result[0] == 1 and result[1] == code_utils.TIMEOUT_MSG
    assert time.monotonic() - start < 3 + 10


def test_a_container_whose_processes_cannot_be_killed_is_replaced_keeping_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with DockerCommandLineCodeExecutor(work_dir=tmp_path, timeout=1, container_limits=SMALL) as ex:
        sandbox = ex._sandbox
        old_id = sandbox.container_id
        run(ex, "# filename: kept.txt\nkept")
        # pretend the killer could not start (as when a fork bomb keeps the pids limit full)
        monkeypatch.setattr(type(sandbox), "_code_process_count", lambda self: 1)
        result = run(ex, "sleep 30")
        monkeypatch.undo()
        assert result.exit_code == 124
        assert sandbox.container_id != old_id and ex.container_name == sandbox.name
        assert run(ex, "tail -n 1 kept.txt").output.strip() == "kept"
