"""User functions an executor makes importable to the code it runs, with their pip and import needs."""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, List, Sequence, TypeVar, Union

from typing_extensions import ParamSpec

__all__ = [
    "Alias",
    "FunctionWithRequirements",
    "FunctionWithRequirementsStr",
    "Import",
    "ImportFromModule",
    "build_python_functions_file",
    "to_stub",
    "with_requirements",
]

T = TypeVar("T")
P = ParamSpec("P")


@dataclass
class Alias:
    """``name as alias`` in an import."""

    name: str
    alias: str


@dataclass
class ImportFromModule:
    """``from module import a, b as c``."""

    module: str
    imports: List[Union[str, Alias]]


Import = Union[str, ImportFromModule, Alias]


def _import_line(item: Import) -> str:
    if isinstance(item, str):
        return f"import {item}"
    if isinstance(item, Alias):
        return f"import {item.name} as {item.alias}"
    names = ", ".join(i if isinstance(i, str) else f"{i.name} as {i.alias}" for i in item.imports)
    return f"from {item.module} import {names}"


def _function_def(tree: ast.Module, source: str) -> ast.FunctionDef:
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if len(defs) != 1:
        raise ValueError(f"Expected exactly one function definition in the source, found {len(defs)}:\n{source}")
    return defs[0]  # type: ignore[return-value]


def _source_without_decorators(source: str) -> str:
    source = textwrap.dedent(source)
    node = _function_def(ast.parse(source), source)
    lines = source.splitlines()
    return "\n".join(lines[node.lineno - 1 :]) + "\n"


def _stub_from_source(source: str) -> str:
    source = textwrap.dedent(source)
    node = _function_def(ast.parse(source), source)
    doc = ast.get_docstring(node)
    node.decorator_list = []
    node.body = [ast.Expr(ast.Constant(...))]
    header = ast.unparse(node).rsplit("\n", 1)[0]
    body = f'    """{doc}"""\n    ...' if doc else "    ..."
    return f"{header}\n{body}"


@dataclass
class FunctionWithRequirementsStr:
    """A function given as source text, with the packages and imports it needs."""

    func: str
    python_packages: List[str] = field(default_factory=list)
    global_imports: List[Import] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.func = textwrap.dedent(self.func)
        try:
            node = _function_def(ast.parse(self.func), self.func)
        except SyntaxError as exc:
            raise ValueError(f"Could not parse the function source: {exc}") from exc
        self._name = node.name

    @property
    def __name__(self) -> str:
        return self._name

    def source(self) -> str:
        """The function's code, ready to write into a module."""
        return _source_without_decorators(self.func)

    def stub(self) -> str:
        """The ``def`` line and docstring of the function, body elided."""
        return _stub_from_source(self.func)


@dataclass
class FunctionWithRequirements(Generic[T, P]):
    """A Python function with the packages and imports it needs (see :func:`with_requirements`)."""

    func: Callable[P, T]
    python_packages: List[str] = field(default_factory=list)
    global_imports: List[Import] = field(default_factory=list)

    @classmethod
    def from_callable(
        cls, func: Callable[P, T], python_packages: Sequence[str] = (), global_imports: Sequence[Import] = ()
    ) -> FunctionWithRequirements[T, P]:
        """Wrap a callable with its requirements."""
        return cls(func=func, python_packages=list(python_packages), global_imports=list(global_imports))

    @staticmethod
    def from_str(
        func: str, python_packages: Sequence[str] = (), global_imports: Sequence[Import] = ()
    ) -> FunctionWithRequirementsStr:
        """Wrap function source text with its requirements."""
        return FunctionWithRequirementsStr(func, list(python_packages), list(global_imports))

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        return self.func(*args, **kwargs)


def with_requirements(
    python_packages: Sequence[str] = (), global_imports: Sequence[Import] = ()
) -> Callable[[Callable[P, T]], FunctionWithRequirements[T, P]]:
    """Decorate a function with the pip packages and module-level imports it needs.

    Example::

        @with_requirements(python_packages=["pandas"], global_imports=["pandas"])
        def load(path: str) -> "pandas.DataFrame":
            return pandas.read_csv(path)
    """

    def wrap(func: Callable[P, T]) -> FunctionWithRequirements[T, P]:
        wrapped = FunctionWithRequirements.from_callable(func, python_packages, global_imports)
        functools.update_wrapper(wrapped, func)
        return wrapped

    return wrap


UserFunction = Union[FunctionWithRequirements[Any, Any], Callable[..., Any], FunctionWithRequirementsStr]


def _unwrap(func: UserFunction) -> Callable[..., Any]:
    return func.func if isinstance(func, FunctionWithRequirements) else func  # type: ignore[return-value]


def _source(func: UserFunction) -> str:
    if isinstance(func, FunctionWithRequirementsStr):
        return func.source()
    try:
        return _source_without_decorators(inspect.getsource(_unwrap(func)))
    except (OSError, TypeError) as exc:
        raise ValueError(f"Cannot read the source of {func!r}; pass it as FunctionWithRequirements.from_str") from exc


def function_name(func: UserFunction) -> str:
    """The name the function has in the generated module."""
    return func.__name__ if isinstance(func, FunctionWithRequirementsStr) else _unwrap(func).__name__


def to_stub(func: UserFunction) -> str:
    """The function's signature and docstring, as shown to the LLM."""
    if isinstance(func, FunctionWithRequirementsStr):
        return func.stub()
    return _stub_from_source(_source(func))


def required_packages(functions: Sequence[UserFunction]) -> List[str]:
    """The pip packages the functions need, each once, in first-seen order."""
    packages: List[str] = []
    for func in functions:
        if isinstance(func, (FunctionWithRequirements, FunctionWithRequirementsStr)):
            packages.extend(p for p in func.python_packages if p not in packages)
    return packages


def build_python_functions_file(functions: Sequence[UserFunction]) -> str:
    """The text of a module that defines every function, with their imports at the top."""
    imports: List[str] = []
    for func in functions:
        if isinstance(func, (FunctionWithRequirements, FunctionWithRequirementsStr)):
            for item in func.global_imports:
                line = _import_line(item)
                if line not in imports:
                    imports.append(line)
    parts = ["\n".join(imports)] if imports else []
    parts.extend(_source(func) for func in functions)
    return "\n\n".join(parts) + "\n"


# the 0.2 private name, kept for code that imported it
_build_python_functions_file = build_python_functions_file
