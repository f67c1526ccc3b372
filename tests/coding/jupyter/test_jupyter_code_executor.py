"""JupyterCodeExecutor with LocalJupyterServer: kernels managed by a server object, real kernels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from autogen.coding import CodeBlock
from autogen.coding.jupyter import (
    DockerJupyterServer,
    JupyterClient,
    JupyterCodeExecutor,
    JupyterConnectionInfo,
    LocalJupyterServer,
)

pytestmark = pytest.mark.jupyter


@pytest.fixture(scope="module")
def server() -> Iterator[LocalJupyterServer]:
    with LocalJupyterServer() as srv:
        yield srv


def test_runs_python_and_keeps_state(server: LocalJupyterServer, tmp_path: Path) -> None:
    with JupyterCodeExecutor(server, output_dir=tmp_path) as executor:
        executor.execute_code_blocks([CodeBlock(code="base = 40", language="python")])
        result = executor.execute_code_blocks([CodeBlock(code="print(base + 2)", language="python")])
        assert (result.exit_code, result.output) == (0, "42\n")


def test_runs_shell_blocks(server: LocalJupyterServer, tmp_path: Path) -> None:
    with JupyterCodeExecutor(server, output_dir=tmp_path) as executor:
        result = executor.execute_code_blocks([CodeBlock(code="echo shell-ok", language="bash")])
        assert (result.exit_code, result.output) == (0, "shell-ok\n")


def test_accepts_connection_info(server: LocalJupyterServer, tmp_path: Path) -> None:
    with JupyterCodeExecutor(server.connection_info, output_dir=tmp_path, timeout=5) as executor:
        assert executor.timeout == 5
        assert executor.execute_code_blocks([CodeBlock(code="1 + 1", language="python")]).output == "2\n"


def test_executors_get_separate_kernels(server: LocalJupyterServer, tmp_path: Path) -> None:
    first = JupyterCodeExecutor(server, output_dir=tmp_path)
    second = JupyterCodeExecutor(server, output_dir=tmp_path)
    try:
        first.execute_code_blocks([CodeBlock(code="only_here = 1", language="python")])
        result = second.execute_code_blocks([CodeBlock(code="only_here", language="python")])
        assert result.exit_code == 1 and "NameError" in result.output
    finally:
        first.stop()
        second.stop()


def test_stop_deletes_the_kernel(server: LocalJupyterServer, tmp_path: Path) -> None:
    before = len(server.list_kernels())
    executor = JupyterCodeExecutor(server, output_dir=tmp_path)
    assert len(server.list_kernels()) == before + 1
    executor.stop()
    executor.stop()
    assert len(server.list_kernels()) == before


def test_restart_drops_state(server: LocalJupyterServer, tmp_path: Path) -> None:
    with JupyterCodeExecutor(server, output_dir=tmp_path) as executor:
        executor.execute_code_blocks([CodeBlock(code="gone = 1", language="python")])
        executor.restart()
        assert executor.execute_code_blocks([CodeBlock(code="gone", language="python")]).exit_code == 1


def test_client_manages_kernels_and_runs_code(server: LocalJupyterServer) -> None:
    client = server.get_client()
    assert "python3" in client.list_kernel_specs()["kernelspecs"]
    kernel_id = client.start_kernel("python3")
    try:
        kernel = client.get_kernel_client(kernel_id)
        assert kernel.wait_for_ready()
        result = kernel.execute("print('via client')", timeout_seconds=10)
        assert (result.is_ok, result.output) == (True, "via client\n")
    finally:
        client.delete_kernel(kernel_id)


def test_unknown_server_is_a_clear_connection_error(tmp_path: Path) -> None:
    info = JupyterConnectionInfo(host="example.invalid", use_https=True, port=8888, token="t")
    with pytest.raises(ConnectionError, match="remote Jupyter Kernel Gateway is not supported"):
        JupyterClient(info)
    with pytest.raises(ConnectionError):
        JupyterCodeExecutor(info, output_dir=tmp_path)


def test_invalid_arguments_are_rejected(server: LocalJupyterServer, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timeout"):
        JupyterCodeExecutor(server, timeout=0, output_dir=tmp_path)
    with pytest.raises(ValueError, match="does not exist"):
        JupyterCodeExecutor(server, output_dir=tmp_path / "missing")
    with pytest.raises(ValueError, match="JupyterConnectable"):
        JupyterCodeExecutor("http://localhost:8888", output_dir=tmp_path)  # type: ignore[arg-type]


def test_docker_jupyter_server_explains_the_alternatives() -> None:
    with pytest.raises(RuntimeError, match="DockerCommandLineCodeExecutor"):
        DockerJupyterServer()


def test_bang_lines_run_in_a_shell(server: LocalJupyterServer, tmp_path: Path) -> None:
    with JupyterCodeExecutor(server, output_dir=tmp_path) as ex:
        result = ex.execute_code_blocks([CodeBlock(code="!echo from the shell", language="python")])
    assert result.exit_code == 0 and "from the shell" in result.output


def test_the_kernel_gets_no_secrets(
    server: LocalJupyterServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-value-1")
    code = "import os; print(os.environ.get('OPENAI_API_KEY'))"
    with JupyterCodeExecutor(server, output_dir=tmp_path) as ex:
        assert ex.execute_code_blocks([CodeBlock(code=code, language="python")]).output == "None\n"
    with JupyterCodeExecutor(server, output_dir=tmp_path, passthrough_env=["OPENAI_API_KEY"]) as ex:
        assert ex.execute_code_blocks([CodeBlock(code=code, language="python")]).output == "sk-test-secret-value-1\n"
