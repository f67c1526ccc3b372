"""LocalCommandLineCodeExecutor: runs blocks as files on this machine, safely bounded."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from autogen.code_utils import create_virtual_env
from autogen.coding import CodeBlock, LocalCommandLineCodeExecutor, MarkdownCodeExtractor
from autogen.coding.func_with_reqs import FunctionWithRequirements, with_requirements

from ._helpers import FORK_IGNORING_SIGTERM, process_alive, read_pid


def add_numbers(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


@with_requirements(global_imports=["json"])
def to_json(value: dict) -> str:
    """Serialise a dict."""
    return json.dumps(value, sort_keys=True)  # noqa: F821 - json comes from global_imports


@pytest.fixture
def executor(tmp_path: Path) -> LocalCommandLineCodeExecutor:
    return LocalCommandLineCodeExecutor(work_dir=tmp_path / "work", timeout=10)


def test_runs_python_and_reports_output_and_file(executor: LocalCommandLineCodeExecutor) -> None:
    result = executor.execute_code_blocks([CodeBlock(code="print('hello')", language="python")])
    assert result.exit_code == 0
    assert result.output == "hello\n"
    assert result.code_file is not None and Path(result.code_file).parent == executor.work_dir


def test_runs_shell_blocks(executor: LocalCommandLineCodeExecutor) -> None:
    for lang in ("sh", "bash", "shell"):
        result = executor.execute_code_blocks([CodeBlock(code="echo $((20 + 22))", language=lang)])
        assert (result.exit_code, result.output) == (0, "42\n"), lang


def test_language_aliases_and_case_are_accepted(executor: LocalCommandLineCodeExecutor) -> None:
    result = executor.execute_code_blocks([CodeBlock(code="print(1)", language="Py")])
    assert (result.exit_code, result.output) == (0, "1\n")


def test_blocks_run_in_order_and_stop_at_the_first_failure(executor: LocalCommandLineCodeExecutor) -> None:
    blocks = [
        CodeBlock(code="print('one')", language="python"),
        CodeBlock(code="raise SystemExit(3)", language="python"),
        CodeBlock(code="print('never')", language="python"),
    ]
    result = executor.execute_code_blocks(blocks)
    assert result.exit_code == 3
    assert "one" in result.output and "never" not in result.output


def test_error_output_is_reported(executor: LocalCommandLineCodeExecutor) -> None:
    result = executor.execute_code_blocks([CodeBlock(code="raise ValueError('boom')", language="python")])
    assert result.exit_code == 1
    assert "ValueError: boom" in result.output


def test_filename_comment_names_the_file(executor: LocalCommandLineCodeExecutor) -> None:
    code = "# filename: pkg/hello.py\nprint('named')"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="python")])
    assert result.output == "named\n"
    assert (executor.work_dir / "pkg" / "hello.py").read_text() == code
    assert result.code_file == str(executor.work_dir / "pkg" / "hello.py")


def test_later_blocks_can_import_a_named_file(executor: LocalCommandLineCodeExecutor) -> None:
    blocks = [
        CodeBlock(code="# filename: helper.py\nVALUE = 7", language="python"),
        CodeBlock(code="# filename: sub/main.py\nfrom helper import VALUE\nprint(VALUE * 6)", language="python"),
    ]
    assert executor.execute_code_blocks(blocks).output == "42\n"


@pytest.mark.parametrize("name", ["../escape.py", "a/../../escape.py"])
def test_filename_escaping_the_work_dir_is_refused(executor: LocalCommandLineCodeExecutor, name: str) -> None:
    code = f"# filename: {name}\nprint('escaped')"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="python")])
    assert result.exit_code == 1
    assert "outside the work directory" in result.output
    assert not (executor.work_dir.parent / "escape.py").exists()


def test_absolute_filename_is_refused(executor: LocalCommandLineCodeExecutor, tmp_path: Path) -> None:
    target = tmp_path / "abs.py"
    result = executor.execute_code_blocks([CodeBlock(code=f"# filename: {target}\nprint(1)", language="python")])
    assert result.exit_code == 1
    assert "relative path" in result.output
    assert not target.exists()


def test_filename_through_a_symlink_out_of_the_work_dir_is_refused(
    executor: LocalCommandLineCodeExecutor, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (executor.work_dir / "link").symlink_to(outside, target_is_directory=True)
    (executor.work_dir / "victim.py").symlink_to(outside / "victim.py")
    for name in ("link/x.py", "victim.py"):
        result = executor.execute_code_blocks([CodeBlock(code=f"# filename: {name}\nprint(1)", language="python")])
        assert result.exit_code == 1, name
        assert "outside the work directory" in result.output
    assert list(outside.iterdir()) == []


@pytest.mark.slow
def test_timeout_kills_the_whole_process_tree(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, timeout=1)
    result = executor.execute_code_blocks([CodeBlock(code=FORK_IGNORING_SIGTERM, language="python")])
    assert result.exit_code == 124
    assert "Timeout" in result.output and "parent started" in result.output
    assert not process_alive(read_pid(tmp_path))
    # the executor keeps working afterwards
    assert executor.execute_code_blocks([CodeBlock(code="print('still here')", language="python")]).exit_code == 0


def test_background_processes_do_not_outlive_the_block(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, timeout=10)
    code = "sleep 600 &\necho $! > child.pid\necho done"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="sh")])
    assert (result.exit_code, result.output) == (0, "done\n")
    assert not process_alive(read_pid(tmp_path))


def test_output_flood_is_capped_and_the_cap_is_stated(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, timeout=30, max_output_bytes=50_000)
    result = executor.execute_code_blocks([CodeBlock(code="while True:\n    print('x' * 1000)", language="python")])
    assert result.exit_code != 0
    assert "more than 50000 bytes" in result.output
    assert len(result.output) < 50_000 + 500


def test_default_output_cap_is_one_megabyte(executor: LocalCommandLineCodeExecutor) -> None:
    assert executor.max_output_bytes == 1_000_000


def test_output_cap_default_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOGEN_MAX_OUTPUT_BYTES", "1234")
    assert LocalCommandLineCodeExecutor(work_dir=tmp_path).max_output_bytes == 1234


def test_execution_policy_saves_without_running(executor: LocalCommandLineCodeExecutor) -> None:
    result = executor.execute_code_blocks([CodeBlock(code="console.log(1)", language="javascript")])
    assert result.exit_code == 0
    assert result.output.startswith("Code saved to ")
    assert Path(result.code_file or "").read_text() == "console.log(1)"


def test_execution_policy_can_turn_off_python(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, execution_policies={"python": False})
    result = executor.execute_code_blocks([CodeBlock(code="open('ran', 'w')", language="python")])
    assert result.output.startswith("Code saved to ")
    assert not (tmp_path / "ran").exists()


def test_unsupported_language_fails_with_a_message(executor: LocalCommandLineCodeExecutor) -> None:
    result = executor.execute_code_blocks([CodeBlock(code="x", language="cobol")])
    assert result.exit_code == 1
    assert "Unsupported language 'cobol'" in result.output


def test_dangerous_shell_commands_are_refused_as_the_block_result(executor: LocalCommandLineCodeExecutor) -> None:
    marker = executor.work_dir / "ran"
    result = executor.execute_code_blocks([CodeBlock(code=f"touch {marker}; rm -rf /nonexistent-x", language="sh")])
    assert result.exit_code == 1
    assert "rm -rf" in result.output and "not run" in result.output
    assert not marker.exists()
    result = executor.execute_code_blocks([CodeBlock(code=":(){ :|:& };:", language="bash")])
    assert (result.exit_code, "fork bomb" in result.output) == (1, True)
    # the executor goes on: the next block runs
    assert executor.execute_code_blocks([CodeBlock(code="echo fine", language="sh")]).output == "fine\n"
    # the static check keeps its 0.2 contract
    with pytest.raises(ValueError, match="rm -rf"):
        LocalCommandLineCodeExecutor.sanitize_command("sh", "rm -rf /")


def test_pip_install_is_silenced(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, execution_policies={"sh": False})  # no network use
    result = executor.execute_code_blocks([CodeBlock(code="pip install definitely-not-installed-pkg", language="sh")])
    assert "-qqq" in Path(result.code_file or "").read_text()


def test_functions_are_importable_from_the_functions_module(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, functions=[add_numbers, to_json])
    code = "from functions import add_numbers, to_json\nprint(add_numbers(2, 3), to_json({'b': 1, 'a': 2}))"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="python")])
    assert (result.exit_code, result.output) == (0, '5 {"a": 2, "b": 1}\n')


def test_functions_module_name_is_configurable_and_validated(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, functions=[add_numbers], functions_module="tools")
    code = "import tools; print(tools.add_numbers(1, 1))"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="py")])
    assert result.output == "2\n"
    with pytest.raises(ValueError, match="identifier"):
        LocalCommandLineCodeExecutor(work_dir=tmp_path, functions_module="not-valid")


def test_functions_given_as_source_text(tmp_path: Path) -> None:
    func = FunctionWithRequirements.from_str("def triple(x):\n    return 3 * x\n")
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, functions=[func])
    code = "from functions import triple; print(triple(4))"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="py")])
    assert result.output == "12\n"


def test_broken_functions_fail_to_load_with_the_error(tmp_path: Path) -> None:
    func = FunctionWithRequirements.from_str("def broken():\n    return 1\n", global_imports=["no_such_module_xyz"])
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, functions=[func])
    with pytest.raises(ValueError, match="no_such_module_xyz"):
        executor.execute_code_blocks([CodeBlock(code="print(1)", language="python")])


def test_format_functions_for_prompt_lists_the_stubs(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, functions=[add_numbers])
    prompt = executor.format_functions_for_prompt()
    assert "`functions`" in prompt
    assert "def add_numbers(a: int, b: int) -> int:" in prompt
    assert "Add two numbers." in prompt


def test_timeout_below_one_second_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timeout"):
        LocalCommandLineCodeExecutor(work_dir=tmp_path, timeout=0)


def test_code_extractor_is_markdown(executor: LocalCommandLineCodeExecutor) -> None:
    assert isinstance(executor.code_extractor, MarkdownCodeExtractor)


def test_restart_warns_and_does_nothing(executor: LocalCommandLineCodeExecutor) -> None:
    with pytest.warns(UserWarning):
        executor.restart()


async def test_concurrent_executions_from_threads_do_not_interfere(executor: LocalCommandLineCodeExecutor) -> None:
    blocks = [[CodeBlock(code=f"import time; time.sleep(0.2); print({i})", language="python")] for i in range(4)]
    results = await asyncio.gather(*(asyncio.to_thread(executor.execute_code_blocks, b) for b in blocks))
    assert [r.output for r in results] == ["0\n", "1\n", "2\n", "3\n"]


def test_python_runs_with_this_interpreter(executor: LocalCommandLineCodeExecutor) -> None:
    result = executor.execute_code_blocks([CodeBlock(code="import sys; print(sys.executable)", language="python")])
    assert result.output == sys.executable + "\n"


@pytest.mark.slow
def test_virtual_env_context_runs_python_in_the_venv(tmp_path: Path) -> None:
    venv_context = create_virtual_env(str(tmp_path / "venv"))
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path / "work", virtual_env_context=venv_context)
    code = "import sys; print(sys.prefix)"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="python")])
    assert result.exit_code == 0
    assert Path(result.output.strip()).resolve() == (tmp_path / "venv").resolve()
    shell = executor.execute_code_blocks([CodeBlock(code="command -v python", language="sh")])
    assert Path(shell.output.strip()).parent.resolve() == Path(venv_context.bin_path).resolve()


def test_old_spelling_still_works_with_a_deprecation_warning(tmp_path: Path) -> None:
    from autogen.coding.local_commandline_code_executor import LocalCommandlineCodeExecutor

    with pytest.warns(DeprecationWarning, match="LocalCommandLineCodeExecutor"):
        executor = LocalCommandlineCodeExecutor(work_dir=tmp_path)
    assert isinstance(executor, LocalCommandLineCodeExecutor)


async def test_identical_blocks_run_concurrently_all_see_the_whole_file(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path)
    code = "# padding\n" * 2000 + "print('complete')"
    block = [CodeBlock(code=code, language="python")]
    results = await asyncio.gather(*(asyncio.to_thread(executor.execute_code_blocks, block) for _ in range(6)))
    assert [r.output for r in results] == ["complete\n"] * 6


# ------------------------------------------------------------------------------ 0.2 fidelity


def test_a_bare_first_line_comment_names_the_file_as_in_0_2(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path)
    result = executor.execute_code_blocks([CodeBlock(code="# test.py\nprint('named')", language="python")])
    assert (result.exit_code, result.output) == (0, "named\n")
    assert result.code_file == str(tmp_path / "test.py")
    # an ordinary comment is not a file name
    prose = executor.execute_code_blocks([CodeBlock(code="# compute the answer\nprint(42)", language="python")])
    assert Path(prose.code_file or "").name.startswith("tmp_code_")


@pytest.mark.parametrize(
    ("language", "code", "name"),
    [
        ("javascript", "// filename: app.js\nconsole.log(1)", "app.js"),
        ("html", "<!-- filename: index.html -->\n<p>hi</p>", "index.html"),
        ("css", "/* filename: style.css */\np { color: red }", "style.css"),
    ],
)
def test_blocks_it_does_not_run_are_saved_with_exit_code_0(tmp_path: Path, language: str, code: str, name: str) -> None:
    result = LocalCommandLineCodeExecutor(work_dir=tmp_path).execute_code_blocks(
        [CodeBlock(code=code, language=language)]
    )
    assert result.exit_code == 0
    assert str(tmp_path / name) in result.output
    assert (tmp_path / name).read_text() == code


def test_work_dir_is_kept_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    executor = LocalCommandLineCodeExecutor(work_dir=".")
    assert executor.work_dir == Path(".")
    result = executor.execute_code_blocks([CodeBlock(code="# filename: here.py\nprint('ok')", language="python")])
    assert (result.exit_code, (tmp_path / "here.py").exists()) == (0, True)


@pytest.mark.slow
def test_virtual_env_context_with_a_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    venv_context = create_virtual_env("venv")
    executor = LocalCommandLineCodeExecutor(work_dir="work", virtual_env_context=venv_context)
    result = executor.execute_code_blocks([CodeBlock(code="import sys; print(sys.prefix)", language="python")])
    assert result.exit_code == 0, result.output
    assert Path(result.output.strip()).resolve() == (tmp_path / "venv").resolve()


def test_restart_warns_as_0_2(executor: LocalCommandLineCodeExecutor) -> None:
    with pytest.warns(UserWarning, match="not supported. No action is taken"):
        executor.restart()


@pytest.mark.parametrize("language", ["python", "sh"])
def test_a_file_named_like_an_option_is_run_as_a_file(tmp_path: Path, language: str) -> None:
    code = "# filename: -c.py\nprint('ran the file')" if language == "python" else "# filename: -c.sh\necho ran"
    result = LocalCommandLineCodeExecutor(work_dir=tmp_path).execute_code_blocks(
        [CodeBlock(code=code, language=language)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ran")


def test_filename_without_trailing_newline_keeps_the_whole_name(tmp_path: Path) -> None:
    result = LocalCommandLineCodeExecutor(work_dir=tmp_path).execute_code_blocks(
        [CodeBlock(code="# filename: foo.py", language="python")]
    )
    assert result.code_file == str(tmp_path / "foo.py")


def test_an_unknown_language_that_names_its_file_is_saved(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path)
    code = "# filename: config.yaml\nkey: value"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="yaml")])
    assert (result.exit_code, result.output) == (0, f"Code saved to {tmp_path / 'config.yaml'}\n")
    assert (tmp_path / "config.yaml").read_text() == code
    unnamed = executor.execute_code_blocks([CodeBlock(code="key: value", language="yaml")])
    assert unnamed.exit_code == 1 and "Unsupported language 'yaml'" in unnamed.output
