"""StopOnExit: executors and servers used as context managers are stopped when the block ends."""

from __future__ import annotations

import pytest

from autogen.coding import (
    DockerCommandLineCodeExecutor,
    EmbeddedIPythonCodeExecutor,
    JupyterCodeExecutor,
    LocalJupyterServer,
)
from autogen.coding._lifecycle import StopOnExit


class Resource(StopOnExit):
    def __init__(self) -> None:
        self.stops = 0

    def stop(self) -> None:
        self.stops += 1


def test_with_returns_the_object_and_stops_it_at_the_end():
    resource = Resource()
    with resource as entered:
        assert entered is resource
        assert resource.stops == 0
    assert resource.stops == 1


def test_stopped_when_the_block_raises_and_the_error_propagates():
    resource = Resource()
    with pytest.raises(ValueError, match="boom"), resource:
        raise ValueError("boom")
    assert resource.stops == 1


@pytest.mark.parametrize(
    "cls", [DockerCommandLineCodeExecutor, EmbeddedIPythonCodeExecutor, JupyterCodeExecutor, LocalJupyterServer]
)
def test_executors_and_servers_share_the_mixin(cls):
    assert issubclass(cls, StopOnExit)
    assert cls.stop is not StopOnExit.stop
