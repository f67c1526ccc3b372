"""run_process: process-group timeouts, the output cap, and leftovers killed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from autogen.coding._process import default_max_output_bytes, output_cap_notice, run_process

from ._helpers import FORK_IGNORING_SIGTERM, process_alive, read_pid


def test_collects_stdout_and_exit_code(tmp_path: Path) -> None:
    result = run_process([sys.executable, "-c", "print('out'); raise SystemExit(5)"], cwd=tmp_path, timeout=10)
    assert (result.exit_code, result.stdout, result.timed_out, result.truncated) == (5, "out\n", False, False)


def test_can_keep_stderr_apart(tmp_path: Path) -> None:
    code = "import sys; print('o'); print('e', file=sys.stderr)"
    result = run_process([sys.executable, "-c", code], cwd=tmp_path, timeout=10, merge_stderr=False)
    assert (result.stdout, result.stderr) == ("o\n", "e\n")


def test_timeout_stops_a_tree_that_ignores_sigterm(tmp_path: Path) -> None:
    result = run_process([sys.executable, "-c", FORK_IGNORING_SIGTERM], cwd=tmp_path, timeout=1, kill_grace=0.5)
    assert (result.exit_code, result.timed_out) == (124, True)
    assert result.stdout == "parent started\n"
    assert not process_alive(read_pid(tmp_path))


def test_output_cap_keeps_exactly_the_cap_and_stops_the_process(tmp_path: Path) -> None:
    result = run_process(
        [sys.executable, "-c", "while True: print('x' * 100)"], cwd=tmp_path, timeout=30, max_output_bytes=1000
    )
    assert result.truncated and not result.timed_out
    assert len(result.stdout) == 1000
    assert result.exit_code != 0


def test_cap_notice_states_the_limit() -> None:
    assert "1000000 bytes" in output_cap_notice(1_000_000)


def test_invalid_utf8_output_is_replaced_not_raised(tmp_path: Path) -> None:
    code = "import sys; sys.stdout.buffer.write(b'ok \\xff\\n')"
    assert run_process([sys.executable, "-c", code], cwd=tmp_path, timeout=10).stdout == "ok \ufffd\n"


def test_default_cap_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOGEN_MAX_OUTPUT_BYTES", "300")
    assert default_max_output_bytes() == 300
    result = run_process([sys.executable, "-c", "print('w' * 1000)"], cwd=tmp_path, timeout=10)
    assert result.truncated and len(result.stdout) == 300


@pytest.mark.parametrize("value", ["0", "-5", "lots"])
def test_invalid_cap_in_the_environment_is_rejected(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("AUTOGEN_MAX_OUTPUT_BYTES", value)
    with pytest.raises(ValueError, match="AUTOGEN_MAX_OUTPUT_BYTES"):
        default_max_output_bytes()


def test_a_broken_output_pump_surfaces_its_error() -> None:
    from autogen.coding._output import CappedOutput

    def broken():  # type: ignore[no-untyped-def]
        yield b"partial "
        raise OSError("stream reset")

    output = CappedOutput(100)
    output.start_pump(broken()).join()
    assert output.text() == "partial "
    with pytest.raises(RuntimeError, match="stream reset"):
        output.raise_errors()


def test_output_cap_is_shared_by_streams_and_keeps_draining() -> None:
    from autogen.coding._output import CappedOutput

    output = CappedOutput(10)
    assert output.add(b"12345", "out") and not output.add(b"678901", "err")
    assert (output.text("out"), output.text("err"), output.overflow.is_set()) == ("12345", "67890", True)
    assert not output.add(b"more", "out")  # dropped, no error


def test_no_reader_thread_outlives_a_process_holding_the_pipe(tmp_path: Path) -> None:
    import threading

    before = set(threading.enumerate())
    code = "import subprocess; subprocess.Popen(['setsid', 'sleep', '300']); print('bye')"
    result = run_process([sys.executable, "-c", code], cwd=tmp_path, timeout=10)
    assert result.stdout == "bye\n"
    assert [t for t in threading.enumerate() if t not in before] == []


def test_the_code_is_stopped_even_when_the_executor_dies(tmp_path: Path) -> None:
    import subprocess

    from ._helpers import wait_for

    repo = Path(__file__).resolve().parents[2]
    script = (
        f"import sys; sys.path.insert(0, {str(repo)!r})\n"
        "from autogen.coding._process import run_process\n"
        "run_process(['sh', '-c', 'echo $$ > code.pid; exec sleep 300'],\n"
        f"            cwd={str(tmp_path)!r}, timeout=1, kill_grace=0.5)"
    )
    owner = subprocess.Popen([sys.executable, "-c", script])
    assert wait_for(lambda: (tmp_path / "code.pid").exists() and (tmp_path / "code.pid").read_text().strip() != "", 20)
    owner.kill()  # the executor dies before the timeout: nobody is left to enforce it but the supervisor
    owner.wait()
    pid = int((tmp_path / "code.pid").read_text())
    assert process_alive(pid)
    assert wait_for(lambda: not process_alive(pid), 20)
