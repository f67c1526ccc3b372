"""Parameter validation and tool hiding for custom model clients, with 0.2.35's results."""

from __future__ import annotations

import warnings

import pytest

from autogen.oai.client_utils import should_hide_tools, validate_parameter

TOOLS = [{"type": "function", "function": {"name": n}} for n in ("a", "b")]


def call(name):
    return {"role": "assistant", "tool_calls": [{"id": f"id_{name}", "type": "function", "function": {"name": name}}]}


def result(name):
    return {"role": "tool", "tool_call_id": f"id_{name}", "content": "done"}


def test_valid_value_is_returned_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert validate_parameter({"t": 0.5}, "t", (float,), False, 1.0, (0, 1), None) == 0.5


def test_missing_value_gives_default():
    assert validate_parameter({}, "t", (float,), False, 1.0, (0, 1), None) == 1.0


@pytest.mark.parametrize(
    ("value", "allow_none", "message"),
    [
        (2.0, False, "Config error - t has numerical bounds, >= 0 and <= 1, defaulting to 1.0."),
        (2.0, True, "Config error - t has numerical bounds, >= 0 and <= 1, or can be None, defaulting to 1.0."),
        ("hot", False, "Config error - t must be of type (float), defaulting to 1.0."),
        ("hot", True, "Config error - t must be of type (float) or None, defaulting to 1.0."),
        (None, False, "Config error - t cannot be None, defaulting to 1.0."),
    ],
)
def test_invalid_value_gives_default_with_0_2_warning(value, allow_none, message):
    with pytest.warns(UserWarning) as record:
        assert validate_parameter({"t": value}, "t", (float,), allow_none, 1.0, (0, 1), None) == 1.0
    assert str(record[0].message) == message


def test_none_is_returned_when_allowed():
    assert validate_parameter({"t": None}, "t", (float,), True, 1.0, (0, 1), None) is None


def test_a_single_type_is_accepted_as_allowed_types():
    assert validate_parameter({"m": "a"}, "m", str, False, "b", None, ["a", "b"]) == "a"
    with pytest.warns(UserWarning, match=r"m must be of type str, defaulting to b\."):
        assert validate_parameter({"m": 3}, "m", str, False, "b", None, None) == "b"


def test_value_outside_allowed_values_gives_default():
    with pytest.warns(UserWarning, match=r"must be one of these values \[\['a', 'b'\]\], defaulting to a"):
        assert validate_parameter({"m": "x"}, "m", (str,), False, "a", None, ["a", "b"]) == "a"


def test_allowed_values_must_be_a_list():
    with pytest.raises(TypeError, match="allowed_values should be a list or None, got tuple"):
        validate_parameter({"m": "x"}, "m", (str,), False, "a", None, ("a", "b"))


def test_a_missing_parameter_checks_the_default_too():
    with pytest.warns(UserWarning, match="cannot be None"):
        assert validate_parameter({}, "t", (float,), False, None, None, None) is None


def test_hide_tools_counts_tools_that_ran_not_calls():
    assert not should_hide_tools([call("a"), result("a")], TOOLS, "never")
    assert not should_hide_tools([call("a")], TOOLS, "if_any_run")  # called, not yet run
    assert should_hide_tools([call("a"), result("a")], TOOLS, "if_any_run")
    assert not should_hide_tools([call("a"), result("a")], TOOLS, "if_all_run")
    assert not should_hide_tools([call("a"), call("b"), result("a")], TOOLS, "if_all_run")
    assert should_hide_tools([call("a"), result("a"), call("b"), result("b")], TOOLS, "if_all_run")
    assert not should_hide_tools([], TOOLS, "if_any_run")


@pytest.mark.parametrize("tools", [None, []])
def test_no_tools_are_never_hidden(tools):
    assert not should_hide_tools([call("a"), result("a")], tools, "if_any_run")


def test_parallel_tool_calls_all_count_as_run():
    both = {"role": "assistant", "tool_calls": call("a")["tool_calls"] + call("b")["tool_calls"]}
    assert should_hide_tools([both, result("a"), result("b")], TOOLS, "if_all_run")


def test_unknown_hide_tools_policy_is_a_type_error_as_in_0_2():
    with pytest.raises(TypeError, match="got 'sometimes'"):
        should_hide_tools([], TOOLS, "sometimes")
