"""User functions with requirements: decorator, stubs, and the generated module."""

from __future__ import annotations

import pytest

from autogen.coding.func_with_reqs import (
    Alias,
    FunctionWithRequirements,
    FunctionWithRequirementsStr,
    ImportFromModule,
    build_python_functions_file,
    required_packages,
    to_stub,
    with_requirements,
)

IMPORTS = ["math", ImportFromModule("os", ["path", Alias("sep", "s")])]


@with_requirements(python_packages=["pkg-a"], global_imports=IMPORTS)
def hypot(a: float, b: float) -> float:
    """Length of the hypotenuse."""
    return math.sqrt(a * a + b * b)  # noqa: F821 - math is a global import of the generated module


def plain(x):  # type: ignore[no-untyped-def]
    return x


def test_decorated_function_still_works_and_keeps_its_name() -> None:
    assert isinstance(hypot, FunctionWithRequirements)
    assert hypot.__name__ == "hypot"
    assert hypot.python_packages == ["pkg-a"]


def test_module_has_the_imports_then_the_functions_without_decorators() -> None:
    source = build_python_functions_file([hypot, plain])
    assert source.startswith("import math\nfrom os import path, sep as s\n")
    assert "@with_requirements" not in source
    namespace: dict = {}
    exec(compile(source, "functions.py", "exec"), namespace)
    assert namespace["hypot"](3, 4) == 5.0
    assert namespace["plain"](9) == 9


def test_stub_shows_signature_and_docstring() -> None:
    stub = to_stub(hypot)
    assert stub.startswith("def hypot(a: float, b: float) -> float:")
    assert '"""Length of the hypotenuse."""' in stub
    assert "sqrt" not in stub


def test_function_from_source_text() -> None:
    func = FunctionWithRequirements.from_str("def twice(x: int) -> int:\n    return 2 * x\n", python_packages=["b"])
    assert isinstance(func, FunctionWithRequirementsStr)
    assert func.__name__ == "twice"
    assert to_stub(func) == "def twice(x: int) -> int:\n    ..."
    assert required_packages([hypot, func, hypot]) == ["pkg-a", "b"]


def test_source_text_must_hold_exactly_one_function() -> None:
    with pytest.raises(ValueError, match="exactly one function"):
        FunctionWithRequirementsStr("x = 1")
    with pytest.raises(ValueError, match="parse"):
        FunctionWithRequirementsStr("def broken(:\n    pass")


def test_import_alias_forms() -> None:
    func = FunctionWithRequirementsStr("def f():\n    return np\n", global_imports=[Alias("numpy", "np")])
    assert build_python_functions_file([func]).startswith("import numpy as np\n")
