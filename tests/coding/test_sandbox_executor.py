"""SandboxedCommandLineCodeExecutor: the executor interface, bad input, a missing bwrap, and standing in for Docker."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import pytest

import autogen.code_utils as code_utils
import autogen.coding._docker_fallback as _docker_fallback
from autogen import UserProxyAgent
from autogen.code_utils import execute_code
from autogen.coding import (
    CodeBlock,
    CodeExecutor,
    CodeExecutorFactory,
    LocalCommandLineCodeExecutor,
    SandboxedCommandLineCodeExecutor,
    SandboxUnavailableError,
)
from autogen.coding._bwrap import sandbox_problem
from autogen.testing import OpenAITestServer

from .test_two_agent_chat import assert_code_ran, chat

_PROBLEM = sandbox_problem()
needs_bwrap = pytest.mark.skipif(_PROBLEM is not None, reason=f"no usable bubblewrap here: {_PROBLEM}")
pytestmark = pytest.mark.timeout(60)

IN_SANDBOX = "import socket; print('host', socket.gethostname())"  # the sandbox has its own host name


@pytest.fixture
def docker_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(code_utils, "is_docker_running", lambda: False)
    monkeypatch.setattr(code_utils, "in_docker_container", lambda: False)
    monkeypatch.setattr(_docker_fallback, "_noticed", False)  # "once per process" starts again
    monkeypatch.delenv("AUTOGEN_SANDBOX_FALLBACK", raising=False)


@needs_bwrap
def test_the_executor_interface(tmp_path: Path) -> None:
    executor = SandboxedCommandLineCodeExecutor(work_dir=tmp_path / "w", timeout=7)
    assert isinstance(executor, CodeExecutor)
    assert executor.timeout == 7
    assert executor.work_dir == tmp_path / "w"
    blocks = executor.code_extractor.extract_code_blocks("```python\nprint(6 * 7)\n```\n```bash\necho $((1 + 1))\n```")
    result = executor.execute_code_blocks(blocks)
    assert (result.exit_code, result.output) == (0, "42\n2\n")
    assert result.code_file is not None and Path(result.code_file).parent == (tmp_path / "w").resolve()
    with pytest.warns(UserWarning, match="fresh sandbox"):
        executor.restart()


@needs_bwrap
def test_shell_blocks_find_the_executors_python_and_filenames_work(tmp_path: Path) -> None:
    executor = SandboxedCommandLineCodeExecutor(work_dir=tmp_path)
    code = "# filename: hello.sh\npython -c 'import sys; print(sys.version_info[:2])'\nhostname"
    result = executor.execute_code_blocks([CodeBlock(language="sh", code=code)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{tuple(sys.version_info[:2])}\nsandbox\n"
    assert (tmp_path / "hello.sh").exists()


@needs_bwrap
def test_concurrent_blocks_each_get_their_own_sandbox(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    executor = SandboxedCommandLineCodeExecutor(work_dir=tmp_path)

    def block(i: int) -> str:
        code = f"import os, time\nopen('/tmp/mine', 'w').write('{i}')\ntime.sleep(0.3)\nprint(open('/tmp/mine').read())"
        return executor.execute_code_blocks([CodeBlock(language="python", code=code)]).output

    with ThreadPoolExecutor(4) as pool:
        outputs = list(pool.map(block, range(4)))
    assert outputs == [f"{i}\n" for i in range(4)]  # each /tmp is private to its block


@needs_bwrap
def test_user_functions_are_importable_inside_the_sandbox(tmp_path: Path) -> None:
    def add(a: int, b: int) -> int:
        """Add two numbers."""
        return a + b

    executor = SandboxedCommandLineCodeExecutor(work_dir=tmp_path, functions=[add])
    result = executor.execute_code_blocks(
        [CodeBlock(language="python", code="from functions import add\nprint(add(2, 3))")]
    )
    assert (result.exit_code, result.output) == (0, "5\n")


@needs_bwrap
def test_functions_needing_packages_say_to_install_them_beforehand(tmp_path: Path) -> None:
    from autogen.coding import with_requirements

    @with_requirements(python_packages=["some-package-xyz"])
    def f() -> int:
        return 1

    executor = SandboxedCommandLineCodeExecutor(work_dir=tmp_path, functions=[f])
    with pytest.raises(ValueError, match=r"no network.*pip install some-package-xyz"):
        executor.execute_code_blocks([CodeBlock(language="python", code="print(1)")])


@needs_bwrap
@pytest.mark.parametrize("symlinks", [True, False])
def test_code_runs_in_a_virtual_env_outside_the_work_dir(tmp_path: Path, outside_dir: Path, symlinks: bool) -> None:
    from autogen.code_utils import create_virtual_env

    venv_dir = outside_dir / "venv"
    context = create_virtual_env(str(venv_dir), with_pip=False, symlinks=symlinks)
    executor = SandboxedCommandLineCodeExecutor(work_dir=tmp_path, virtual_env_context=context)
    code = "import sys, json; print(sys.prefix, json.dumps([1]))"
    result = executor.execute_code_blocks([CodeBlock(language="python", code=code)])
    assert (result.exit_code, result.output) == (0, f"{venv_dir} [1]\n")


@needs_bwrap
def test_read_only_paths_are_readable_not_writable(tmp_path: Path, outside_dir: Path) -> None:
    data_dir = outside_dir
    (data_dir / "data.csv").write_text("a,b\n")
    executor = SandboxedCommandLineCodeExecutor(work_dir=tmp_path, read_only_paths=[data_dir])
    code = f"""
print(open({str(data_dir / "data.csv")!r}).read().strip())
try:
    open({str(data_dir / "new.txt")!r}, "w")
except OSError as exc:
    print("write refused", exc.errno)
"""
    result = executor.execute_code_blocks([CodeBlock(language="python", code=code)])
    assert result.output == "a,b\nwrite refused 30\n"
    assert not (data_dir / "new.txt").exists()
    assert executor.read_only_paths == [data_dir.resolve()]


@needs_bwrap
@pytest.mark.parametrize("work_dir", ["/", "/usr/lib", "/etc", "HOME", "/home"])
def test_work_dirs_exposing_the_system_or_a_home_are_refused(work_dir: str) -> None:
    path = str(Path.home()) if work_dir == "HOME" else work_dir
    with pytest.raises(ValueError, match=rf"work_dir '{path}'.*work_dir='coding'"):
        SandboxedCommandLineCodeExecutor(work_dir=path)


@needs_bwrap
def test_bad_options_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"read_only_paths entry '/no/such/dir' does not exist"):
        SandboxedCommandLineCodeExecutor(work_dir=tmp_path / "w", read_only_paths=["/no/such/dir"])
    assert not (tmp_path / "w").exists()  # refused before anything was made
    with pytest.raises(ValueError, match=r"read_only_paths may not contain '/'"):
        SandboxedCommandLineCodeExecutor(work_dir=tmp_path, read_only_paths=["/"])
    with pytest.raises(ValueError, match=r"tmp_size_bytes must be a positive int.*got 0"):
        SandboxedCommandLineCodeExecutor(work_dir=tmp_path, tmp_size_bytes=0)


def test_a_missing_bwrap_names_the_install_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTOGEN_BWRAP", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SandboxUnavailableError, match=r"`bwrap` was not found.*apt-get install bubblewrap"):
        SandboxedCommandLineCodeExecutor(work_dir=tmp_path / "w")
    assert not (tmp_path / "w").exists()


def test_other_systems_than_linux_are_told_to_use_docker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(SandboxUnavailableError, match=r"needs Linux .*not darwin: use Docker"):
        SandboxedCommandLineCodeExecutor(work_dir=tmp_path / "w")


def test_autogen_bwrap_naming_no_executable_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOGEN_BWRAP", str(tmp_path / "no-bwrap"))
    with pytest.raises(SandboxUnavailableError, match=r"AUTOGEN_BWRAP='.*no-bwrap' is not an executable file"):
        SandboxedCommandLineCodeExecutor(work_dir=tmp_path / "w")


@needs_bwrap
def test_explicit_env_wins_over_the_sandbox_defaults(tmp_path: Path) -> None:
    executor = SandboxedCommandLineCodeExecutor(work_dir=tmp_path, env={"HOME": "/tmp", "GREETING": "hi"})
    code = "import os; print(os.environ['HOME'], os.environ['GREETING'], os.environ['TMPDIR'])"
    assert executor.execute_code_blocks([CodeBlock(language="python", code=code)]).output == "/tmp hi /tmp\n"


def test_an_unusable_bwrap_says_why_and_how_to_fix_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("AUTOGEN_BWRAP", str(fake))
    with pytest.raises(SandboxUnavailableError) as info:
        SandboxedCommandLineCodeExecutor(work_dir=tmp_path / "w")
    message = str(info.value)
    assert "setting up uid map: Permission denied" in message
    assert "User namespaces may be disabled" in message
    assert "apt-get install bubblewrap" in message


# ------------------------------------------------------------------ selection, and standing in for Docker


@needs_bwrap
def test_the_factory_builds_the_sandbox_executor(tmp_path: Path) -> None:
    executor = CodeExecutorFactory.create({"executor": "sandbox", "sandbox": {"work_dir": tmp_path, "timeout": 9}})
    assert isinstance(executor, SandboxedCommandLineCodeExecutor)
    assert executor.timeout == 9
    agent = UserProxyAgent("u", code_execution_config={"executor": "sandbox", "sandbox": {"work_dir": tmp_path}})
    assert isinstance(agent.code_executor, SandboxedCommandLineCodeExecutor)


@needs_bwrap
def test_factory_docker_without_docker_gets_the_sandbox_with_the_shared_options(
    tmp_path: Path, docker_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    config = {"executor": "docker", "docker": {"image": "python:3-slim", "work_dir": tmp_path, "timeout": 11}}
    with caplog.at_level(logging.WARNING, logger="autogen.coding"):
        executor = CodeExecutorFactory.create(config)
    assert isinstance(executor, SandboxedCommandLineCodeExecutor)
    assert executor.timeout == 11
    assert executor.execute_code_blocks([CodeBlock(language="python", code=IN_SANDBOX)]).output == "host sandbox\n"
    assert [r.getMessage() for r in caplog.records if "sandbox instead" in r.getMessage()] != []


@needs_bwrap
def test_legacy_use_docker_without_docker_runs_in_the_sandbox_with_one_notice(
    tmp_path: Path, docker_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="autogen.coding"):
        first = execute_code(IN_SANDBOX, work_dir=str(tmp_path), use_docker=True)
        second = execute_code(
            "import os; print(os.path.exists('/root/.bashrc'))", work_dir=str(tmp_path), use_docker=True
        )
    assert first == (0, "host sandbox\n", None)
    assert second == (0, "False\n", None)
    notices = [r for r in caplog.records if "Docker was asked for but is not running" in r.getMessage()]
    assert len(notices) == 1
    assert "bubblewrap sandbox" in notices[0].getMessage()


@needs_bwrap
def test_an_agent_asking_for_docker_without_docker_runs_code_in_the_sandbox(tmp_path: Path, docker_down: None) -> None:
    agent = UserProxyAgent("u", code_execution_config={"work_dir": str(tmp_path), "use_docker": True})
    assert agent.use_docker is True
    reply = agent.generate_code_execution_reply([{"role": "user", "content": f"```python\n{IN_SANDBOX}\n```"}])
    assert reply[0] is True
    assert "host sandbox" in str(reply[1])
    assert "exitcode: 0" in str(reply[1])


def test_without_docker_nor_bwrap_code_is_refused_naming_both_fixes(
    tmp_path: Path, docker_down: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUTOGEN_BWRAP", raising=False)
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    marker = tmp_path / "ran.txt"
    with pytest.raises(RuntimeError, match=r"Docker is not running[\s\S]*apt-get install bubblewrap"):
        execute_code(f"open({str(marker)!r}, 'w').write('x')", work_dir=str(tmp_path), use_docker=True)
    with pytest.raises(RuntimeError, match=r"apt-get install bubblewrap"):
        CodeExecutorFactory.create({"executor": "docker", "docker": {"work_dir": tmp_path}})
    with pytest.raises(RuntimeError, match=r"apt-get install bubblewrap"):
        UserProxyAgent("u", code_execution_config={"work_dir": str(tmp_path), "use_docker": True})
    assert not marker.exists()


def test_the_fallback_can_be_turned_off_and_bad_values_are_named(
    tmp_path: Path, docker_down: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTOGEN_SANDBOX_FALLBACK", "0")
    with pytest.raises(RuntimeError, match="Docker is not running") as info:
        execute_code("print(1)", work_dir=str(tmp_path), use_docker=True)
    assert "bubblewrap" not in str(info.value)
    monkeypatch.setenv("AUTOGEN_SANDBOX_FALLBACK", "maybe")
    with pytest.raises(ValueError, match=r"AUTOGEN_SANDBOX_FALLBACK: 'maybe'"):
        execute_code("print(1)", work_dir=str(tmp_path), use_docker=True)


def test_local_execution_is_unchanged_when_docker_is_not_asked_for(tmp_path: Path, docker_down: None) -> None:
    assert execute_code(
        "import socket; print(socket.gethostname() != 'sandbox')", work_dir=str(tmp_path), use_docker=False
    ) == (
        0,
        "True\n",
        None,
    )
    assert not isinstance(
        CodeExecutorFactory.create({"executor": "commandline-local"}), SandboxedCommandLineCodeExecutor
    )
    assert isinstance(CodeExecutorFactory.create({"executor": "commandline-local"}), LocalCommandLineCodeExecutor)


@needs_bwrap
@pytest.mark.parametrize("config", ["executor", "legacy use_docker without Docker"])
def test_a_two_agent_chat_runs_its_code_in_the_sandbox(
    server: OpenAITestServer, llm_config: dict, tmp_path: Path, docker_down: None, config: str
) -> None:
    code_execution_config = (
        {"executor": "sandbox", "sandbox": {"work_dir": tmp_path}}
        if config == "executor"
        else {"work_dir": str(tmp_path), "use_docker": True}
    )
    assert_code_ran(chat(server, llm_config, code_execution_config))
