"""Tests for autogen.code_utils: code extraction, the Docker decision and legacy execute_code."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from autogen import code_utils
from autogen.code_utils import (
    TIMEOUT_MSG,
    UNKNOWN,
    check_can_use_docker_or_throw,
    content_str,
    create_virtual_env,
    decide_use_docker,
    execute_code,
    extract_code,
    infer_lang,
)

# ------------------------------------------------------------------------------ content_str


def test_content_str_passes_strings_and_renders_none_as_empty() -> None:
    assert content_str("hi") == "hi"
    assert content_str(None) == ""


def test_content_str_joins_text_parts_and_marks_images() -> None:
    content = [
        {"type": "text", "text": "look: "},
        {"type": "image_url", "image_url": {"url": "http://x/y.png"}},
        {"type": "text", "text": " done"},
    ]
    assert content_str(content) == "look: <image> done"


def test_content_str_rejects_wrong_types() -> None:
    with pytest.raises(TypeError):
        content_str(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        content_str(["text"])
    with pytest.raises(ValueError, match="unknown type"):
        content_str([{"type": "audio"}])


# ------------------------------------------------------------------------------ extract_code


def test_extract_code_returns_language_and_code_of_each_block() -> None:
    text = "Run this:\n```python\nprint('a')\n```\nthen\n```sh\necho b\n```\n"
    assert extract_code(text) == [("python", "print('a')"), ("sh", "echo b")]


def test_extract_code_gives_empty_language_for_unlabelled_block() -> None:
    assert extract_code("```\nx = 1\n```") == [("", "x = 1")]


def test_extract_code_without_block_returns_unknown_and_the_text() -> None:
    assert extract_code("no code here") == [(UNKNOWN, "no code here")]


def test_extract_code_reads_multimodal_content() -> None:
    content = [{"type": "text", "text": "```python\nprint(1)\n```"}, {"type": "image_url", "image_url": {"url": "u"}}]
    assert extract_code(content) == [("python", "print(1)")]


def test_extract_code_detects_single_line_code_when_asked() -> None:
    text = "Use `pip install x` and\n```python\nprint(2)\n```"
    assert extract_code(text, detect_single_line_code=True) == [("", "pip install x"), ("python", "print(2)")]
    assert extract_code("plain", detect_single_line_code=True) == []


def test_infer_lang_recognises_shell_commands_and_python() -> None:
    assert infer_lang("pip install numpy") == "sh"
    assert infer_lang("python script.py") == "sh"
    assert infer_lang("x = [i for i in range(3)]") == "python"
    assert infer_lang("this is not code (") == UNKNOWN


# ------------------------------------------------------------------------------ Docker decision


def test_decide_use_docker_keeps_an_explicit_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOGEN_USE_DOCKER", "False")
    assert decide_use_docker(True) is True
    assert decide_use_docker("img:1") == "img:1"


@pytest.mark.parametrize(
    ("env", "expected"), [("True", True), ("1", True), ("yes", True), ("0", False), ("no", False), ("None", None)]
)
def test_decide_use_docker_reads_the_environment(monkeypatch: pytest.MonkeyPatch, env: str, expected: object) -> None:
    monkeypatch.setenv("AUTOGEN_USE_DOCKER", env)
    assert decide_use_docker(None) is expected


def test_decide_use_docker_defaults_to_true(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTOGEN_USE_DOCKER", raising=False)
    assert decide_use_docker(None) is True


def test_decide_use_docker_rejects_an_invalid_environment_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOGEN_USE_DOCKER", "maybe")
    with pytest.raises(ValueError, match="'maybe'"):
        decide_use_docker(None)


def test_docker_requested_but_not_running_raises_with_the_ways_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(code_utils, "in_docker_container", lambda: False)
    monkeypatch.setattr(code_utils, "is_docker_running", lambda: False)
    with pytest.raises(RuntimeError) as info:
        check_can_use_docker_or_throw(True)
    assert "Docker is not running" in str(info.value)
    assert '"use_docker": False' in str(info.value)
    assert "AUTOGEN_USE_DOCKER" in str(info.value)


def test_docker_not_running_is_refused_inside_a_container_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # /.dockerenv says nothing about isolation: asked for Docker, code must never run on this machine
    monkeypatch.setattr(code_utils, "in_docker_container", lambda: True)
    monkeypatch.setattr(code_utils, "is_docker_running", lambda: False)
    monkeypatch.setenv("AUTOGEN_SANDBOX_FALLBACK", "0")  # nor the sandbox: refused
    with pytest.raises(RuntimeError, match="inside a container") as info:
        check_can_use_docker_or_throw(True)
    assert '"use_docker": False' in str(info.value)
    marker = tmp_path / "ran.txt"
    with pytest.raises(RuntimeError, match="Docker is not running"):
        execute_code(f"open({str(marker)!r}, 'w').write('x')", work_dir=str(tmp_path), use_docker=True)
    assert not marker.exists()


def test_docker_not_needed_when_not_requested(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(code_utils, "in_docker_container", lambda: False)
    monkeypatch.setattr(code_utils, "is_docker_running", lambda: False)
    check_can_use_docker_or_throw(False)
    check_can_use_docker_or_throw(None)


def test_execute_code_never_falls_back_to_local_when_docker_is_down(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(code_utils, "in_docker_container", lambda: False)
    monkeypatch.setattr(code_utils, "is_docker_running", lambda: False)
    monkeypatch.setenv("AUTOGEN_SANDBOX_FALLBACK", "0")  # nor the sandbox: refused
    marker = tmp_path / "ran.txt"
    with pytest.raises(RuntimeError, match="Docker is not running"):
        execute_code(f"open({str(marker)!r}, 'w').write('x')", work_dir=str(tmp_path), use_docker=True)
    assert not marker.exists()


def test_execute_code_follows_autogen_use_docker_when_unset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(code_utils, "in_docker_container", lambda: False)
    monkeypatch.setattr(code_utils, "is_docker_running", lambda: False)
    monkeypatch.setenv("AUTOGEN_SANDBOX_FALLBACK", "0")  # nor the sandbox: refused
    monkeypatch.setenv("AUTOGEN_USE_DOCKER", "True")
    with pytest.raises(RuntimeError):
        execute_code("print(1)", work_dir=str(tmp_path))
    monkeypatch.setenv("AUTOGEN_USE_DOCKER", "False")
    assert execute_code("print(1)", work_dir=str(tmp_path)) == (0, "1\n", None)


# ------------------------------------------------------------------------------ execute_code, locally


def test_execute_code_runs_python_and_returns_stdout(tmp_path: Path) -> None:
    assert execute_code("print('hello world')", work_dir=str(tmp_path), use_docker=False) == (0, "hello world\n", None)


def test_execute_code_removes_its_temporary_file(tmp_path: Path) -> None:
    execute_code("print(1)", work_dir=str(tmp_path), use_docker=False)
    assert list(tmp_path.iterdir()) == []


def test_execute_code_keeps_a_named_file_and_can_rerun_it(tmp_path: Path) -> None:
    exit_code, logs, _ = execute_code("print(6 * 7)", filename="sub/calc.py", work_dir=str(tmp_path), use_docker=False)
    assert (exit_code, logs) == (0, "42\n")
    assert (tmp_path / "sub" / "calc.py").exists()
    assert execute_code(filename="sub/calc.py", work_dir=str(tmp_path), use_docker=False)[:2] == (0, "42\n")


def test_execute_code_reports_failure_with_the_error(tmp_path: Path) -> None:
    exit_code, logs, _ = execute_code("raise ValueError('bad input')", work_dir=str(tmp_path), use_docker=False)
    assert exit_code == 1
    assert "ValueError: bad input" in logs
    assert str(tmp_path) not in logs


def test_execute_code_runs_shell(tmp_path: Path) -> None:
    assert execute_code("echo $((2 + 3))", lang="sh", work_dir=str(tmp_path), use_docker=False)[:2] == (0, "5\n")


def test_execute_code_times_out_with_exit_1_and_timeout_message(tmp_path: Path) -> None:
    assert execute_code("import time; time.sleep(30)", timeout=1, work_dir=str(tmp_path), use_docker=False) == (
        1,
        TIMEOUT_MSG,
        None,
    )


def test_execute_code_requires_code_or_filename() -> None:
    with pytest.raises(AssertionError):
        execute_code(use_docker=False)


def test_execute_code_refuses_a_filename_outside_the_work_dir(tmp_path: Path) -> None:
    work = tmp_path / "work"
    exit_code, logs, _ = execute_code("print(1)", filename="../escape.py", work_dir=str(work), use_docker=False)
    assert exit_code == 1
    assert "outside the work directory" in logs
    assert not (tmp_path / "escape.py").exists()


def test_execute_code_refuses_an_absolute_filename(tmp_path: Path) -> None:
    target = tmp_path / "abs.py"
    exit_code, logs, _ = execute_code("print(1)", filename=str(target), work_dir=str(tmp_path / "w"), use_docker=False)
    assert exit_code == 1
    assert "relative path" in logs
    assert not target.exists()


def test_execute_code_rejects_an_unknown_language(tmp_path: Path) -> None:
    with pytest.raises(NotImplementedError, match="cobol"):
        execute_code("DISPLAY 'HI'.", lang="cobol", work_dir=str(tmp_path), use_docker=False)


def test_legacy_openai_helpers_raise_a_clear_error() -> None:
    with pytest.raises(AssertionError, match="openai<1"):
        code_utils.generate_code(messages=[])


# ------------------------------------------------------------------------------ virtual environments


@pytest.mark.slow
def test_create_virtual_env_returns_a_usable_context(tmp_path: Path) -> None:
    context = create_virtual_env(str(tmp_path / "venv"))
    assert Path(context.env_exe).exists()
    assert Path(context.bin_path).is_dir()


# ------------------------------------------------------------------------------ execute_code, in Docker


@pytest.mark.docker
def test_execute_code_in_docker_runs_in_the_default_image(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(code_utils, "in_docker_container", lambda: False)
    exit_code, logs, image = execute_code(
        "import os; print(os.getcwd(), os.path.exists('/.dockerenv'))", work_dir=str(tmp_path), use_docker=True
    )
    assert (exit_code, logs) == (0, "/workspace True\n")
    assert image == os.environ.get("AUTOGEN_DOCKER_IMAGE", "autogen-python:bookworm")


@pytest.mark.docker
def test_execute_code_in_docker_times_out(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(code_utils, "in_docker_container", lambda: False)
    result = execute_code("import time; time.sleep(30)", timeout=1, work_dir=str(tmp_path), use_docker=True)
    assert result[:2] == (1, TIMEOUT_MSG)


@pytest.mark.docker
def test_execute_code_in_docker_with_missing_image_says_how_to_build(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(code_utils, "in_docker_container", lambda: False)
    with pytest.raises(RuntimeError, match=r"scripts/build-docker-image\.sh"):
        execute_code("print(1)", work_dir=str(tmp_path), use_docker="autogen-no-such-image:0")


def test_in_docker_container_reflects_dockerenv() -> None:
    assert code_utils.in_docker_container() == os.path.exists("/.dockerenv")


def test_python_runs_with_this_interpreter(tmp_path: Path) -> None:
    assert execute_code("import sys; print(sys.executable)", work_dir=str(tmp_path), use_docker=False)[1] == (
        sys.executable + "\n"
    )


def test_legacy_assertion_filter_raises_a_clear_error() -> None:
    with pytest.raises(AssertionError, match="openai<1"):
        code_utils.PassAssertionFilter([])


def test_timeout_handler_raises_timeout_error() -> None:
    with pytest.raises(TimeoutError, match="Timed out!"):
        code_utils.timeout_handler(14, None)


def test_powershell_command_is_found_or_clearly_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(code_utils.shutil, "which", lambda name: "/bin/pwsh" if name == "pwsh" else None)
    assert code_utils.get_powershell_command() == "pwsh"
    monkeypatch.setattr(code_utils.shutil, "which", lambda name: None)
    with pytest.raises(FileNotFoundError, match="PowerShell"):
        code_utils.get_powershell_command()


async def test_concurrent_runs_of_the_same_code_do_not_collide(tmp_path: Path) -> None:
    import asyncio

    code = "import time; time.sleep(0.3); print('ok')"
    results = await asyncio.gather(
        *(asyncio.to_thread(execute_code, code, work_dir=str(tmp_path), use_docker=False) for _ in range(4))
    )
    assert [r[:2] for r in results] == [(0, "ok\n")] * 4


def test_an_agent_asking_for_docker_inside_a_container_without_docker_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from autogen import UserProxyAgent

    monkeypatch.setattr(code_utils, "in_docker_container", lambda: True)
    monkeypatch.setattr(code_utils, "is_docker_running", lambda: False)
    monkeypatch.setenv("AUTOGEN_SANDBOX_FALLBACK", "0")  # nor the sandbox: refused
    with pytest.raises(RuntimeError, match="Docker is not running"):
        UserProxyAgent("user", code_execution_config={"work_dir": str(tmp_path), "use_docker": True})
    agent = UserProxyAgent("user", code_execution_config={"work_dir": str(tmp_path), "use_docker": False})
    assert agent.use_docker is False


def test_legacy_local_filename_like_an_option_runs_the_file(tmp_path: Path) -> None:
    assert execute_code("print('ran')", filename="-c.py", work_dir=str(tmp_path), use_docker=False)[:2] == (0, "ran\n")
