"""CodeExecutorFactory: builds the executor a code_execution_config names."""

from __future__ import annotations

from pathlib import Path

import pytest

from autogen.coding import CodeExecutor, CodeExecutorFactory, LocalCommandLineCodeExecutor


def test_commandline_local_gets_its_keyword_arguments(tmp_path: Path) -> None:
    config = {"executor": "commandline-local", "commandline-local": {"work_dir": tmp_path, "timeout": 7}}
    executor = CodeExecutorFactory.create(config)
    assert isinstance(executor, LocalCommandLineCodeExecutor)
    assert executor.work_dir == tmp_path.resolve()
    assert executor.timeout == 7


def test_an_executor_instance_is_returned_as_is(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path)
    assert CodeExecutorFactory.create({"executor": executor}) is executor
    assert isinstance(executor, CodeExecutor)


@pytest.mark.parametrize("config", [{"executor": "nope"}, {}, {"work_dir": "x"}])
def test_unknown_or_missing_executor_is_a_value_error(config: dict) -> None:
    with pytest.raises(ValueError, match="Unknown code executor"):
        CodeExecutorFactory.create(config)
