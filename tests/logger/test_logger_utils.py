"""Tests for autogen/logger/logger_utils.py."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from autogen.logger.logger_utils import get_current_ts, to_dict


def test_current_ts_has_the_logged_format() -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}", get_current_ts())


def test_to_dict_leaves_excluded_keys_out_at_every_level() -> None:
    data = {"api_key": "x", "config_list": [{"model": "m", "api_key": "y"}]}
    assert to_dict(data, exclude=("api_key",)) == {"config_list": [{"model": "m"}]}


def test_to_dict_expands_plain_objects_and_dataclasses() -> None:
    @dataclass
    class Point:
        x: int
        y: int

    class Holder:
        def __init__(self) -> None:
            self.point = Point(1, 2)
            self.path = Path("/tmp/a")

    assert to_dict(Holder()) == {"point": {"x": 1, "y": 2}, "path": "/tmp/a"}


def test_to_dict_writes_no_recursive_objects_by_name() -> None:
    class Named:
        def __init__(self, name: str) -> None:
            self.name = name
            self.peer = self

    assert to_dict({"who": Named("alice")}, no_recursive=(Named,)) == {"who": "alice"}


def test_to_dict_survives_reference_cycles() -> None:
    data: dict = {"a": 1}
    data["self"] = data
    result = to_dict(data)
    json.dumps(result)
    assert result["a"] == 1


def test_to_dict_writes_functions_by_name() -> None:
    def my_tool() -> None:
        pass

    assert to_dict({"f": my_tool})["f"].endswith("my_tool")


def test_to_dict_result_is_a_snapshot() -> None:
    messages = [{"content": "a"}]
    snapshot = to_dict({"messages": messages})
    messages.append({"content": "b"})
    assert snapshot == {"messages": [{"content": "a"}]}


def test_to_dict_writes_deeply_nested_objects_by_class_name() -> None:
    class Node:
        def __init__(self, child: object = None) -> None:
            self.child = child

    chain = Node(Node(Node(Node(Node()))))
    result = to_dict({"root": chain})
    assert result["root"]["child"]["child"]["child"] == "<Node>"
