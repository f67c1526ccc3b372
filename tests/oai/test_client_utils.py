"""Parameter validation and tool hiding for custom model clients."""

from __future__ import annotations

import pytest

from autogen.oai.client_utils import should_hide_tools, validate_parameter

TOOLS = [{"type": "function", "function": {"name": n}} for n in ("a", "b")]


def call(name):
    return {"role": "assistant", "tool_calls": [{"id": name, "type": "function", "function": {"name": name}}]}


def test_valid_value_is_returned():
    assert validate_parameter({"t": 0.5}, "t", (float,), False, 1.0, (0, 1), None) == 0.5


def test_missing_value_gives_default():
    assert validate_parameter({}, "t", (float,), False, 1.0, (0, 1), None) == 1.0


@pytest.mark.parametrize(
    ("value", "problem"),
    [(2.0, "between 0 and 1"), ("hot", "of type float"), (None, "must not be None")],
)
def test_invalid_value_gives_default_with_warning(value, problem):
    with pytest.warns(UserWarning, match=problem):
        assert validate_parameter({"t": value}, "t", (float,), False, 1.0, (0, 1), None) == 1.0


def test_value_outside_allowed_values_gives_default():
    with pytest.warns(UserWarning, match="must be one of"):
        assert validate_parameter({"m": "x"}, "m", (str,), False, "a", None, ["a", "b"]) == "a"


def test_hide_tools_policies():
    assert not should_hide_tools([call("a")], TOOLS, "never")
    assert should_hide_tools([call("a")], TOOLS, "if_any_run")
    assert not should_hide_tools([call("a")], TOOLS, "if_all_run")
    assert should_hide_tools([call("a"), call("b")], TOOLS, "if_all_run")
    assert not should_hide_tools([], TOOLS, "if_any_run")


def test_unknown_hide_tools_policy_is_an_error():
    with pytest.raises(ValueError, match="got 'sometimes'"):
        should_hide_tools([], TOOLS, "sometimes")
