"""EmbeddedIPythonCodeExecutor: a real local kernel, state kept, rich outputs saved, bounded."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from autogen.coding import CodeBlock, CodeExecutorFactory, MarkdownCodeExtractor
from autogen.coding.jupyter import EmbeddedIPythonCodeExecutor
from autogen.coding.jupyter._cells import cell_source

from .._helpers import process_alive, read_pid

pytestmark = pytest.mark.jupyter

PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"

# the forked child ignores SIGTERM and SIGINT (an interrupt alone would not stop it)
FORK_IGNORING_SIGNALS = """
import os, signal, time
if os.fork() == 0:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    open("child.pid", "w").write(str(os.getpid()))
    time.sleep(600)
    os._exit(0)
time.sleep(600)
"""


@pytest.fixture(scope="module")
def executor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedIPythonCodeExecutor]:
    with EmbeddedIPythonCodeExecutor(timeout=10, output_dir=tmp_path_factory.mktemp("ipython-out")) as ex:
        yield ex


def run(executor: EmbeddedIPythonCodeExecutor, code: str, lang: str = "python"):  # type: ignore[no-untyped-def]
    return executor.execute_code_blocks([CodeBlock(code=code, language=lang)])


def test_state_is_kept_between_blocks(executor: EmbeddedIPythonCodeExecutor) -> None:
    assert run(executor, "counter = 40").exit_code == 0
    result = run(executor, "counter += 2\nprint(counter)")
    assert (result.exit_code, result.output) == (0, "42\n")


async def test_calls_from_several_threads_run_one_at_a_time(executor: EmbeddedIPythonCodeExecutor) -> None:
    blocks = [[CodeBlock(code=f"import time; time.sleep(0.1); print({i})", language="python")] for i in range(3)]
    results = await asyncio.gather(*(asyncio.to_thread(executor.execute_code_blocks, b) for b in blocks))
    assert [r.output for r in results] == ["0\n", "1\n", "2\n"]


def test_last_expression_value_is_output(executor: EmbeddedIPythonCodeExecutor) -> None:
    assert run(executor, "6 * 7").output == "42\n"


def test_shell_blocks_run_and_report_their_exit_status(executor: EmbeddedIPythonCodeExecutor) -> None:
    ok = run(executor, "echo $((2 + 2))", "sh")
    assert (ok.exit_code, ok.output) == (0, "4\n")
    failed = run(executor, "echo before; exit 3", "bash")
    assert failed.exit_code == 3
    assert "before" in failed.output and "status 3" in failed.output


def test_errors_fail_with_the_exception(executor: EmbeddedIPythonCodeExecutor) -> None:
    result = run(executor, "raise ValueError('broken')")
    assert result.exit_code == 1
    assert "ValueError: broken" in result.output
    assert "\x1b[" not in result.output  # no terminal colour codes


def test_blocks_stop_at_the_first_failure(executor: EmbeddedIPythonCodeExecutor) -> None:
    blocks = [CodeBlock(code="1/0", language="python"), CodeBlock(code="print('never')", language="python")]
    result = executor.execute_code_blocks(blocks)
    assert result.exit_code == 1 and "never" not in result.output


def test_images_are_saved_to_output_dir(executor: EmbeddedIPythonCodeExecutor) -> None:
    code = (
        f"from IPython.display import Image, display\nimport base64\ndisplay(Image(data=base64.b64decode({PNG_1X1!r})))"
    )
    result = run(executor, code)
    assert result.exit_code == 0
    assert len(result.output_files) == 1
    saved = Path(result.output_files[0])
    assert saved.suffix == ".png" and saved.parent == Path(executor.output_dir)
    assert saved.read_bytes() == base64.b64decode(PNG_1X1)
    assert f"Image data saved to {saved}" in result.output


def test_html_is_saved_to_output_dir(executor: EmbeddedIPythonCodeExecutor) -> None:
    result = run(executor, "from IPython.display import HTML, display\ndisplay(HTML('<b>bold</b>'))")
    saved = Path(result.output_files[0])
    assert saved.read_text() == "<b>bold</b>"
    assert f"HTML data saved to {saved}" in result.output


def test_unsupported_language_fails(executor: EmbeddedIPythonCodeExecutor) -> None:
    result = run(executor, "SELECT 1", "sql")
    assert result.exit_code == 1
    assert "Unsupported language 'sql'" in result.output


def test_pip_install_is_silenced() -> None:
    assert cell_source(CodeBlock(code="!pip install numpy", language="python")) == "!pip install -qqq numpy"
    assert cell_source(CodeBlock(code="pip install numpy", language="sh")) == "%%sh\npip install -qqq numpy"


@pytest.mark.slow
def test_timeout_interrupts_kills_forked_children_and_keeps_state(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # the kernel inherits this working directory
    with EmbeddedIPythonCodeExecutor(timeout=2, output_dir=tmp_path) as executor:
        run(executor, "kept = 'yes'")
        result = run(executor, FORK_IGNORING_SIGNALS)
        assert result.exit_code == 124
        assert "Timeout" in result.output
        assert not process_alive(read_pid(tmp_path))
        assert run(executor, "print(kept)").output == "yes\n"


def test_output_flood_is_capped(tmp_path: Path) -> None:
    with EmbeddedIPythonCodeExecutor(timeout=30, output_dir=tmp_path, max_output_bytes=20_000) as executor:
        result = run(executor, "while True:\n    print('z' * 500)")
        assert result.exit_code != 0
        assert "more than 20000 bytes" in result.output
        assert len(result.output) < 20_000 + 500
        assert run(executor, "print('alive')").output == "alive\n"


def test_restart_drops_state(tmp_path: Path) -> None:
    with EmbeddedIPythonCodeExecutor(output_dir=tmp_path) as executor:
        run(executor, "secret = 1")
        executor.restart()
        result = run(executor, "print(secret)")
        assert result.exit_code == 1 and "NameError" in result.output


def test_output_dir_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        EmbeddedIPythonCodeExecutor(output_dir=tmp_path / "missing")


def test_timeout_must_be_positive() -> None:
    with pytest.raises(ValidationError):
        EmbeddedIPythonCodeExecutor(timeout=0)


def test_missing_kernel_says_how_to_install_it() -> None:
    with pytest.raises(ValueError, match="ipykernel install"):
        EmbeddedIPythonCodeExecutor(kernel_name="no-such-kernel")


def test_factory_builds_it_from_the_config(tmp_path: Path) -> None:
    config = {"executor": "ipython-embedded", "ipython-embedded": {"output_dir": tmp_path, "timeout": 5}}
    executor = CodeExecutorFactory.create(config)
    try:
        assert isinstance(executor, EmbeddedIPythonCodeExecutor)
        assert executor.timeout == 5
        assert isinstance(executor.code_extractor, MarkdownCodeExtractor)
    finally:
        executor.stop()


@pytest.mark.slow
def test_a_kernel_that_ignores_interrupts_is_restarted_on_timeout(tmp_path: Path) -> None:
    with EmbeddedIPythonCodeExecutor(timeout=1, output_dir=tmp_path) as executor:
        code = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.1)"
        result = run(executor, code)
        assert result.exit_code == 124
        assert "restarted" in result.output and "Timeout" in result.output
        assert run(executor, "print('fresh kernel')").output == "fresh kernel\n"


def test_a_kernel_that_dies_is_reported_and_restarted(tmp_path: Path) -> None:
    with EmbeddedIPythonCodeExecutor(timeout=10, output_dir=tmp_path) as executor:
        result = run(executor, "import os\nos._exit(3)")
        assert result.exit_code == 1
        assert "kernel died" in result.output
        assert run(executor, "print('back')").output == "back\n"


def test_bang_lines_run_in_a_shell_as_in_ipython(executor: EmbeddedIPythonCodeExecutor) -> None:
    result = run(executor, "!echo hello from the shell\nfiles = !echo captured\nprint(files)")
    assert result.exit_code == 0
    assert "hello from the shell" in result.output and "['captured']" in result.output


def test_the_kernel_gets_no_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-value-1")
    monkeypatch.setenv("SERVICE_TOKEN", "token-for-the-code")
    monkeypatch.setenv("HARMLESS", "visible")
    code = "import os; print(os.environ.get('OPENAI_API_KEY'), os.environ.get('HARMLESS'))"
    with EmbeddedIPythonCodeExecutor(output_dir=tmp_path) as ex:
        assert run(ex, code).output == "None visible\n"
        assert "sk-test" not in run(ex, "!env").output
    with EmbeddedIPythonCodeExecutor(output_dir=tmp_path, passthrough_env=["SERVICE_TOKEN"], env={"EXTRA": "x"}) as ex:
        assert run(ex, "import os; print(os.environ['SERVICE_TOKEN'], os.environ['EXTRA'])").output == (
            "token-for-the-code x\n"
        )


# a grandchild whose parent exited (re-parented away from the kernel) but still in the kernel's group
ORPHANED_GRANDCHILD = """
import os, signal, time
if os.fork() == 0:
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        open("child.pid", "w").write(str(os.getpid()))
        time.sleep(600)
    os._exit(0)
os.wait()
time.sleep(600)
"""


def test_timeout_kills_an_orphaned_grandchild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with EmbeddedIPythonCodeExecutor(timeout=2, output_dir=tmp_path) as executor:
        result = run(executor, ORPHANED_GRANDCHILD)
        assert result.exit_code == 124
        assert not process_alive(read_pid(tmp_path))
