"""JSON schemas for tools, built from a Python function's signature and type hints.

``Annotated[T, "description"]`` describes a parameter; parameters with defaults are optional;
pydantic models are accepted as arguments (loaded from the model's JSON at call time) and as
return values (serialised to JSON).
"""

from __future__ import annotations

import enum
import functools
import inspect
import json
import logging
from typing import Any, Callable, Optional, TypeVar, Union, get_type_hints

from pydantic import BaseModel, Field
from typing_extensions import Annotated, Literal, get_args, get_origin

from ._pydantic import JsonSchemaValue, evaluate_forwardref, model_dump, model_dump_json, type2schema

__all__ = [
    "Function",
    "Parameters",
    "ToolFunction",
    "get_default_values",
    "get_function_schema",
    "get_load_param_if_needed_function",
    "get_missing_annotations",
    "get_param_annotations",
    "get_parameter_json_schema",
    "get_parameters",
    "get_required_params",
    "get_typed_annotation",
    "get_typed_return_annotation",
    "get_typed_signature",
    "load_basemodels_if_needed",
    "serialize_to_str",
]

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


def get_typed_annotation(annotation: Any, globalns: dict[str, Any]) -> Any:
    """Resolve a string annotation (``from __future__ import annotations``) in ``globalns``."""
    if isinstance(annotation, str):
        annotation = evaluate_forwardref(annotation, globalns, globalns)
    return annotation


def _resolved_hints(call: Callable[..., Any]) -> dict[str, Any]:
    try:
        return get_type_hints(call, include_extras=True)
    except Exception:  # an unresolvable hint: resolve one by one below
        return {}


def get_typed_signature(call: Callable[..., Any]) -> inspect.Signature:
    """The signature of ``call`` with string annotations resolved to types."""
    signature = inspect.signature(call)
    hints = _resolved_hints(call)
    globalns = getattr(inspect.unwrap(call), "__globals__", {})
    params = [
        inspect.Parameter(
            name=p.name,
            kind=p.kind,
            default=p.default,
            annotation=hints[p.name] if p.name in hints else get_typed_annotation(p.annotation, globalns),
        )
        for p in signature.parameters.values()
    ]
    return inspect.Signature(params)


def get_typed_return_annotation(call: Callable[..., Any]) -> Any:
    """The resolved return annotation of ``call``, or None when it has none."""
    signature = inspect.signature(call)
    annotation = signature.return_annotation
    if annotation is inspect.Signature.empty:
        return None
    hints = _resolved_hints(call)
    if "return" in hints:
        return hints["return"]
    return get_typed_annotation(annotation, getattr(inspect.unwrap(call), "__globals__", {}))


def get_param_annotations(typed_signature: inspect.Signature) -> dict[str, Any]:
    """Parameter name -> annotation, for annotated parameters."""
    return {
        k: v.annotation for k, v in typed_signature.parameters.items() if v.annotation is not inspect.Signature.empty
    }


def get_required_params(typed_signature: inspect.Signature) -> list[str]:
    """Names of parameters without a default."""
    return [k for k, v in typed_signature.parameters.items() if v.default is inspect.Signature.empty]


def get_default_values(typed_signature: inspect.Signature) -> dict[str, Any]:
    """Parameter name -> default value, for parameters that have one."""
    return {k: v.default for k, v in typed_signature.parameters.items() if v.default is not inspect.Signature.empty}


def get_missing_annotations(typed_signature: inspect.Signature, required: list[str]) -> tuple[set[str], set[str]]:
    """Unannotated parameters: ``(required ones, ones with a default)``."""
    all_missing = {k for k, v in typed_signature.parameters.items() if v.annotation is inspect.Signature.empty}
    missing = all_missing.intersection(required)
    return missing, all_missing - missing


def _description_of(name: str, annotation: Any) -> str:
    metadata = getattr(annotation, "__metadata__", None)
    if metadata is None:
        return name
    description = metadata[0]
    if not isinstance(description, str):
        raise ValueError(f"Invalid description {description!r} for parameter {name!r}: it must be a string.")
    return description


def _json_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return model_dump(value)
    if hasattr(value, "value") and type(value).__module__ != "builtins" and hasattr(type(value), "__members__"):
        return value.value  # an Enum member
    return value


def get_parameter_json_schema(k: str, v: Any, default_values: dict[str, Any]) -> JsonSchemaValue:
    """The JSON schema of one parameter, with its description and default."""
    schema = type2schema(v)
    if k in default_values:
        schema["default"] = _json_default(default_values[k])
    schema["description"] = _description_of(k, v)
    return schema


class Parameters(BaseModel):
    """The parameters of a function, as a JSON schema object."""

    type: Literal["object"] = "object"
    properties: dict[str, JsonSchemaValue]
    required: list[str]


class Function(BaseModel):
    """A function the model may call."""

    description: Annotated[str, Field(description="Description of the function")]
    name: Annotated[str, Field(description="Name of the function")]
    parameters: Annotated[Parameters, Field(description="Parameters of the function")]


class ToolFunction(BaseModel):
    """A tool of type "function"."""

    type: Literal["function"] = "function"
    function: Annotated[Function, Field(description="Function under tool")]


def get_parameters(
    required: list[str], param_annotations: dict[str, Any], default_values: dict[str, Any]
) -> Parameters:
    """The ``parameters`` object of a function schema."""
    return Parameters(
        properties={
            k: get_parameter_json_schema(k, v, default_values)
            for k, v in param_annotations.items()
            if v is not inspect.Signature.empty
        },
        required=required,
    )


def get_function_schema(f: Callable[..., Any], *, name: Optional[str] = None, description: str) -> dict[str, Any]:
    """The tool schema (``{"type": "function", "function": {...}}``) of ``f``.

    Args:
        f: the function.
        name: the tool name; defaults to ``f.__name__``.
        description: what the function does, for the model.

    Raises:
        TypeError: a parameter without a default has no type annotation.
    """
    typed_signature = get_typed_signature(f)
    required = get_required_params(typed_signature)
    default_values = get_default_values(typed_signature)
    param_annotations = get_param_annotations(typed_signature)
    return_annotation = get_typed_return_annotation(f)
    missing, unannotated_with_default = get_missing_annotations(typed_signature, required)
    fname = name or f.__name__
    if return_annotation is None:
        logger.warning(
            "The return type of the function %r is not annotated. Annotating it is optional; the function "
            "should return a string, a pydantic model or something json.dumps accepts.",
            fname,
        )
    if unannotated_with_default:
        names = ", ".join(f"'{k}'" for k in sorted(unannotated_with_default))
        logger.warning("These parameters of the function %r have defaults but no annotation: %s.", fname, names)
    if missing:
        names = ", ".join(f"'{k}'" for k in sorted(missing))
        raise TypeError(
            f"All parameters of the function '{fname}' without default values must be annotated. "
            f"The annotations are missing for the following parameters: {names}"
        )
    parameters = get_parameters(required, param_annotations, default_values=default_values)
    function = ToolFunction(function=Function(description=description, name=fname, parameters=parameters))
    return model_dump(function)


def _model_class(annotation: Any) -> Optional[type[BaseModel]]:
    """The pydantic model class an annotation stands for (through ``Annotated``/``Optional``)."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is Union:
        models = [a for a in get_args(annotation) if inspect.isclass(a) and issubclass(a, BaseModel)]
        return models[0] if len(models) == 1 else None
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _enum_class(annotation: Any) -> Optional[type[enum.Enum]]:
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is Union:
        enums = [a for a in get_args(annotation) if inspect.isclass(a) and issubclass(a, enum.Enum)]
        return enums[0] if len(enums) == 1 else None
    return annotation if inspect.isclass(annotation) and issubclass(annotation, enum.Enum) else None


def get_load_param_if_needed_function(t: Any) -> Optional[Callable[[Any, Any], Any]]:
    """A loader for arguments annotated ``t``: a dict becomes the pydantic model, a value the enum member.

    Returns None when ``t`` is neither a pydantic model nor an enum.
    """
    enum_class = _enum_class(t)
    if enum_class is not None:

        def load_enum(value: Any, _t: Any) -> Any:
            return value if value is None or isinstance(value, enum_class) else enum_class(value)

        return load_enum
    model = _model_class(t)
    if model is None:
        return None

    def load(value: Any, _t: Any) -> Any:
        return model.model_validate(value) if isinstance(value, dict) else value

    return load


def load_basemodels_if_needed(func: F) -> F:
    """Wrap ``func`` so that arguments for pydantic-model (and enum) parameters are loaded as such."""
    typed_signature = get_typed_signature(func)
    loaders = {
        k: loader
        for k, v in get_param_annotations(typed_signature).items()
        if (loader := get_load_param_if_needed_function(v)) is not None
    }

    def load_args(kwargs: dict[str, Any]) -> dict[str, Any]:
        return {k: loaders[k](v, None) if k in loaders else v for k, v in kwargs.items()}

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def _a_load_parameters_if_needed(*args: Any, **kwargs: Any) -> Any:
            return await func(*args, **load_args(kwargs))

        return _a_load_parameters_if_needed  # type: ignore[return-value]

    @functools.wraps(func)
    def _load_parameters_if_needed(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **load_args(kwargs))

    return _load_parameters_if_needed  # type: ignore[return-value]


def serialize_to_str(x: Any) -> str:
    """A tool result as text: strings as is, pydantic models as JSON, else ``json.dumps`` (``str`` if that fails)."""
    if isinstance(x, str):
        return x
    if isinstance(x, BaseModel):
        return model_dump_json(x)
    try:
        return json.dumps(x, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(x)
