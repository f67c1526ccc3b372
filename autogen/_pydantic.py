"""Pydantic helpers used for tool schemas. We support pydantic v2 only (``PYDANTIC_V1`` is False)."""

from __future__ import annotations

from typing import Any, Union

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import JsonSchemaValue

__all__ = ["JsonSchemaValue", "PYDANTIC_V1", "evaluate_forwardref", "model_dump", "model_dump_json", "type2schema"]

PYDANTIC_V1 = False


def type2schema(t: Any) -> JsonSchemaValue:
    """The JSON schema of a Python type (``None`` gives ``{"type": "null"}``)."""
    if t is None or t is type(None):
        return {"type": "null"}
    return TypeAdapter(t).json_schema()


def model_dump(model: BaseModel) -> dict[str, Any]:
    """The model as a dict."""
    return model.model_dump()


def model_dump_json(model: BaseModel) -> str:
    """The model as a JSON string."""
    return model.model_dump_json()


def evaluate_forwardref(value: Any, globalns: Union[dict[str, Any], None] = None, localns: Any = None) -> Any:
    """Resolve a string or ``ForwardRef`` annotation in ``globalns``."""
    from typing import ForwardRef

    if isinstance(value, str):
        value = ForwardRef(value)
    if isinstance(value, ForwardRef):
        return eval(value.__forward_arg__, globalns or {}, localns)  # annotations are code the user wrote
    return value
