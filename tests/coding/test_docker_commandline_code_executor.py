"""DockerCommandLineCodeExecutor: runs blocks in a no-network container that never outlives it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from autogen.coding import CodeBlock, DockerCommandLineCodeExecutor
from autogen.coding._docker import CONTAINER_LABEL

from ._helpers import FORK_IGNORING_SIGTERM, wait_for

pytestmark = pytest.mark.docker

REPO_ROOT = Path(__file__).resolve().parents[2]

# prints the live processes of the code's user in the container other than this one and its wrapper
# shell (the container's own processes run as another uid)
LIVE_PROCESSES = """
import os
def state(pid):
    return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in (os.getpid(), os.getppid())]
print([p for p in others if os.stat(f"/proc/{p}").st_uid == os.getuid() and state(p) != "Z"])
"""


def _container_exists(name: str) -> bool:
    import docker

    client = docker.from_env()
    try:
        client.containers.get(name)
    except docker.errors.NotFound:
        return False
    finally:
        client.close()
    return True


@pytest.fixture(scope="module")
def executor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DockerCommandLineCodeExecutor]:
    with DockerCommandLineCodeExecutor(work_dir=tmp_path_factory.mktemp("docker-work"), timeout=10) as ex:
        yield ex


def run(executor: DockerCommandLineCodeExecutor, code: str, lang: str = "python"):  # type: ignore[no-untyped-def]
    return executor.execute_code_blocks([CodeBlock(code=code, language=lang)])


def test_runs_python_in_the_container(executor: DockerCommandLineCodeExecutor) -> None:
    result = run(executor, "import os; print(os.getcwd(), os.path.exists('/.dockerenv'))")
    assert (result.exit_code, result.output) == (0, "/workspace True\n")
    assert result.code_file is not None and Path(result.code_file).parent == executor.work_dir


def test_runs_shell_blocks(executor: DockerCommandLineCodeExecutor) -> None:
    for lang in ("sh", "bash", "shell"):
        result = run(executor, "echo $((40 + 2))", lang)
        assert (result.exit_code, result.output) == (0, "42\n"), lang


def test_failure_stops_the_run_and_reports_the_error(executor: DockerCommandLineCodeExecutor) -> None:
    blocks = [CodeBlock(code="raise KeyError('k')", language="py"), CodeBlock(code="echo never", language="sh")]
    result = executor.execute_code_blocks(blocks)
    assert result.exit_code == 1
    assert "KeyError: 'k'" in result.output and "never" not in result.output


def test_filename_comment_is_honoured_and_files_persist(executor: DockerCommandLineCodeExecutor) -> None:
    run(executor, "# filename: lib/consts.py\nANSWER = 42")
    result = run(executor, "# filename: app.py\nfrom lib.consts import ANSWER\nprint(ANSWER)")
    assert result.output == "42\n"
    assert (executor.work_dir / "lib" / "consts.py").exists()


def test_filename_escaping_the_work_dir_is_refused(executor: DockerCommandLineCodeExecutor) -> None:
    result = run(executor, "# filename: ../../escape.py\nprint(1)")
    assert result.exit_code == 1
    assert "outside the work directory" in result.output
    assert not (executor.work_dir.parent.parent / "escape.py").exists()


NETWORK_INTERFACES = "import os; print(sorted(os.listdir('/sys/class/net')))"


def test_container_has_no_network_by_default(executor: DockerCommandLineCodeExecutor) -> None:
    assert run(executor, NETWORK_INTERFACES).output == "['lo']\n"


def test_network_can_be_enabled(tmp_path: Path) -> None:
    with DockerCommandLineCodeExecutor(work_dir=tmp_path, network_mode="bridge") as ex:
        result = ex.execute_code_blocks([CodeBlock(code=NETWORK_INTERFACES, language="python")])
    assert "eth0" in result.output


def test_timeout_kills_every_process_the_block_started(executor: DockerCommandLineCodeExecutor) -> None:
    quick = DockerCommandLineCodeExecutor(work_dir=executor.work_dir / "t", timeout=1)
    try:
        result = quick.execute_code_blocks([CodeBlock(code=FORK_IGNORING_SIGTERM, language="python")])
        assert result.exit_code == 124
        assert "Timeout" in result.output
        survivors = quick.execute_code_blocks([CodeBlock(code=LIVE_PROCESSES, language="python")])
        assert survivors.output.strip() == "[]"
    finally:
        quick.stop()


def test_output_flood_is_capped(tmp_path: Path) -> None:
    with DockerCommandLineCodeExecutor(work_dir=tmp_path, max_output_bytes=20_000) as ex:
        result = ex.execute_code_blocks([CodeBlock(code="while True: print('y' * 500)", language="python")])
    assert result.exit_code != 0
    assert "more than 20000 bytes" in result.output
    assert len(result.output) < 20_000 + 500


def test_execution_policy_saves_javascript_without_running(executor: DockerCommandLineCodeExecutor) -> None:
    result = run(executor, "console.log(1)", "js")
    assert result.output.startswith("Code saved to ")


def test_stop_removes_the_container_and_is_idempotent(tmp_path: Path) -> None:
    ex = DockerCommandLineCodeExecutor(work_dir=tmp_path)
    assert _container_exists(ex.container_name)
    ex.stop()
    ex.stop()
    assert wait_for(lambda: not _container_exists(ex.container_name))


def test_stop_during_a_run_ends_the_run_with_a_clear_error(tmp_path: Path) -> None:
    ex = DockerCommandLineCodeExecutor(work_dir=tmp_path, timeout=120)
    errors: list[BaseException] = []

    def long_run() -> None:
        try:
            ex.execute_code_blocks([CodeBlock(code="echo started; sleep 100", language="sh")])
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=long_run)
    worker.start()
    assert wait_for(lambda: any(p.name.startswith("tmp_code_") for p in tmp_path.iterdir()))
    ex.stop()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert len(errors) == 1 and "stopped while code was running" in str(errors[0])
    assert wait_for(lambda: not _container_exists(ex.container_name))


def test_context_manager_removes_the_container(tmp_path: Path) -> None:
    with DockerCommandLineCodeExecutor(work_dir=tmp_path, container_name="autogen-test-ctx") as ex:
        assert ex.container_name == "autogen-test-ctx"
        assert _container_exists("autogen-test-ctx")
    assert wait_for(lambda: not _container_exists("autogen-test-ctx"))


def test_containers_are_labelled(executor: DockerCommandLineCodeExecutor) -> None:
    labels = executor.container.labels  # type: ignore[attr-defined]
    assert labels[CONTAINER_LABEL] == "1"
    assert labels[f"{CONTAINER_LABEL}.pid"] == str(os.getpid())


def test_background_processes_do_not_outlive_the_block(executor: DockerCommandLineCodeExecutor) -> None:
    result = run(executor, "sleep 600 &\necho started", "sh")
    assert (result.exit_code, result.output) == (0, "started\n")
    assert run(executor, LIVE_PROCESSES).output == "[]\n"


def test_restart_keeps_files(executor: DockerCommandLineCodeExecutor) -> None:
    run(executor, "# filename: keep.txt\nkept")
    executor.restart()
    assert run(executor, "cat keep.txt", "sh").output.endswith("kept")


def _spawn_owner(tmp_path: Path, tail: str) -> subprocess.Popen[str]:
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(REPO_ROOT)!r})
        from autogen.coding import DockerCommandLineCodeExecutor
        ex = DockerCommandLineCodeExecutor(work_dir={str(tmp_path)!r})
        print(ex.container_name, flush=True)
        """
    )
    return subprocess.Popen([sys.executable, "-c", script + tail], stdout=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_container_is_removed_at_interpreter_exit(tmp_path: Path) -> None:
    owner = _spawn_owner(tmp_path, "")
    name = owner.stdout.readline().strip()  # type: ignore[union-attr]
    owner.wait(timeout=60)
    assert name.startswith("autogen-code-exec-")
    assert wait_for(lambda: not _container_exists(name))


@pytest.mark.slow
def test_container_is_removed_when_the_owner_is_killed(tmp_path: Path) -> None:
    owner = _spawn_owner(tmp_path, "time.sleep(600)\n")
    name = owner.stdout.readline().strip()  # type: ignore[union-attr]
    assert _container_exists(name)
    owner.kill()  # SIGKILL: no atexit, no finally
    owner.wait()
    assert wait_for(lambda: not _container_exists(name))


def test_missing_image_error_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"bash scripts/build-docker-image\.sh"):
        DockerCommandLineCodeExecutor(image="autogen-no-such-image:0", work_dir=tmp_path)


def test_default_image_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AUTOGEN_DOCKER_IMAGE", "autogen-no-such-image:1")
    with pytest.raises(RuntimeError, match="autogen-no-such-image:1"):
        DockerCommandLineCodeExecutor(work_dir=tmp_path)


def test_docker_not_running_error_says_how_to_start_or_opt_out(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    with pytest.raises(RuntimeError) as info:
        DockerCommandLineCodeExecutor(work_dir=tmp_path)
    message = str(info.value)
    assert "Docker is not running" in message
    assert "use_docker=False" in message
