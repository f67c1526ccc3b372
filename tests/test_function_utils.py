"""Tool schemas from type hints: Annotated descriptions, defaults, Optional, Literal, enums, pydantic models."""

from __future__ import annotations

import asyncio
import enum
import json
import logging
from typing import Any, Optional

import pytest
from pydantic import BaseModel
from typing_extensions import Annotated, Literal

from autogen.function_utils import (
    get_default_values,
    get_function_schema,
    get_missing_annotations,
    get_param_annotations,
    get_required_params,
    get_typed_return_annotation,
    get_typed_signature,
    load_basemodels_if_needed,
    serialize_to_str,
)


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Address(BaseModel):
    street: str
    zip_code: int


def properties(f) -> dict[str, Any]:
    return get_function_schema(f, description="d")["function"]["parameters"]["properties"]


def test_schema_shape():
    def f(a: int) -> str:
        return str(a)

    assert get_function_schema(f, description="Turns a number into text.") == {
        "type": "function",
        "function": {
            "description": "Turns a number into text.",
            "name": "f",
            "parameters": {
                "type": "object",
                "properties": {"a": {"type": "integer", "description": "a"}},
                "required": ["a"],
            },
        },
    }


def test_name_overrides_the_function_name():
    def f(a: int) -> int:
        return a

    assert get_function_schema(f, name="other", description="d")["function"]["name"] == "other"


def test_annotated_string_is_the_parameter_description():
    def f(city: Annotated[str, "the city to look up"]) -> str:
        return city

    assert properties(f)["city"] == {"type": "string", "description": "the city to look up"}


def test_non_string_annotated_metadata_is_a_value_error():
    def f(city: Annotated[str, 42]) -> str:
        return city

    with pytest.raises(ValueError, match="city"):
        get_function_schema(f, description="d")


def test_defaults_are_optional_and_recorded():
    def f(a: int, b: int = 3) -> int:
        return a + b

    schema = get_function_schema(f, description="d")["function"]["parameters"]
    assert schema["required"] == ["a"]
    assert schema["properties"]["b"]["default"] == 3


def test_optional_is_any_of_with_null():
    def f(note: Optional[str] = None) -> str:
        return note or ""

    assert properties(f)["note"]["anyOf"] == [{"type": "string"}, {"type": "null"}]


def test_literal_becomes_an_enum():
    def f(unit: Literal["celsius", "fahrenheit"] = "celsius") -> str:
        return unit

    prop = properties(f)["unit"]
    assert prop["enum"] == ["celsius", "fahrenheit"]
    assert prop["default"] == "celsius"


def test_enum_becomes_an_enum_with_its_values_and_default_value():
    def f(color: Color = Color.RED) -> str:
        return color.value

    prop = properties(f)["color"]
    assert prop["enum"] == ["red", "blue"]
    assert prop["default"] == "red"
    json.dumps(get_function_schema(f, description="d"))  # serialisable


def test_pydantic_model_argument_becomes_an_object_schema():
    def f(address: Annotated[Address, "where to send it"]) -> str:
        return address.street

    prop = properties(f)["address"]
    assert prop["description"] == "where to send it"
    assert prop["properties"]["zip_code"]["type"] == "integer"
    assert prop["required"] == ["street", "zip_code"]


def test_missing_annotation_without_default_is_a_type_error():
    def f(a, b: int) -> int:
        return b

    with pytest.raises(TypeError, match="'a'"):
        get_function_schema(f, description="d")


def test_missing_annotation_with_default_only_warns(caplog):
    def f(a: int, b=2) -> int:
        return a

    with caplog.at_level(logging.WARNING, logger="autogen.function_utils"):
        get_function_schema(f, description="d")
    assert "'b'" in caplog.text


def test_missing_return_annotation_warns(caplog):
    def f(a: int):
        return a

    with caplog.at_level(logging.WARNING, logger="autogen.function_utils"):
        get_function_schema(f, description="d")
    assert "return type" in caplog.text


def test_string_annotations_are_resolved():
    def f(a: int, b: Optional[Address] = None) -> Address:
        return b

    signature = get_typed_signature(f)
    assert signature.parameters["a"].annotation is int
    assert get_typed_return_annotation(f) is Address


def test_signature_helpers():
    def f(a: int, b: str = "x", c=None) -> None:
        return None

    sig = get_typed_signature(f)
    assert get_required_params(sig) == ["a"]
    assert get_default_values(sig) == {"b": "x", "c": None}
    assert set(get_param_annotations(sig)) == {"a", "b"}
    assert get_missing_annotations(sig, ["a"]) == (set(), {"c"})


def test_load_basemodels_turns_dicts_into_models():
    @load_basemodels_if_needed
    def f(address: Address, n: int) -> str:
        assert isinstance(address, Address)
        return f"{address.street} {n}"

    assert f(address={"street": "Main", "zip_code": 1}, n=2) == "Main 2"


def test_load_basemodels_works_for_async_functions():
    @load_basemodels_if_needed
    async def f(address: Optional[Address] = None) -> str:
        return address.street

    assert asyncio.run(f(address={"street": "Elm", "zip_code": 2})) == "Elm"


def test_enum_arguments_are_loaded_as_members():
    @load_basemodels_if_needed
    def f(color: Color, other: Optional[Color] = None) -> str:
        assert isinstance(color, Color)
        return f"{color.name} {other}"

    assert f(color="blue") == "BLUE None"
    assert f(color="red", other="blue") == "RED Color.BLUE"


def test_serialize_to_str():
    assert serialize_to_str("text") == "text"
    assert serialize_to_str({"a": [1, "é"]}) == '{"a": [1, "é"]}'
    assert json.loads(serialize_to_str(Address(street="s", zip_code=1))) == {"street": "s", "zip_code": 1}
    assert serialize_to_str({1, 2}) in ("{1, 2}", "{2, 1}")  # not JSON: falls back to str
