"""The packages have no import cycles, and each module of ``autogen.agentchat`` imports on its own."""

from __future__ import annotations

import ast
import graphlib
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

# the packages checked for cycles among their own modules
PACKAGES = ("autogen.agentchat", "autogen.studio", "autogen.bench", "autogen.batch")
# standalone scripts copied into bench run folders, not modules of the package
NOT_MODULES = ("autogen/bench/scenarios/", "autogen/bench/template/")


def _files(package: str) -> list[Path]:
    package_dir = Path(importlib.import_module(package).__file__ or "").parent
    return sorted(f for f in package_dir.rglob("*.py") if not any(part in f.as_posix() for part in NOT_MODULES))


def _module_name(path: Path) -> str:
    parts = path.relative_to(Path(importlib.import_module("autogen").__file__ or "").parent.parent)
    names = parts.with_suffix("").parts
    return ".".join(names[:-1] if names[-1] == "__init__" else names)


def _runtime_imports(path: Path, package: str, modules: set[str]) -> set[str]:
    """Modules of ``package`` that ``path`` imports when it runs (``if TYPE_CHECKING:`` blocks excluded)."""
    module = _module_name(path)
    parent = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text())
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = parent.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            for alias in node.names:
                for candidate in (f"{base}.{alias.name}", base):
                    if candidate.startswith(package) and candidate in modules:
                        found.add(candidate)
                        break
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(module)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_package_has_no_import_cycles(package: str) -> None:
    files = _files(package)
    modules = {_module_name(f) for f in files}
    assert len(modules) > 3, f"found only {sorted(modules)} in {package}"
    graph = {_module_name(f): _runtime_imports(f, package, modules) for f in files}
    # a package __init__ may re-export its children; the cycle that matters is between modules
    for name in list(graph):
        graph[name] = {dep for dep in graph[name] if not (name.startswith(dep + ".") and dep in modules)}
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as e:
        pytest.fail(f"import cycle: {' -> '.join(e.args[1])}")


@pytest.mark.slow
def test_every_agentchat_module_imports_on_its_own() -> None:
    modules = {_module_name(f) for f in _files("autogen.agentchat")}
    names = sorted(n for n in modules if "contrib" not in n or n.count(".") <= 3)
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    failures = []
    for name in names:
        done = subprocess.run([sys.executable, "-c", script, name], capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            failures.append(f"{name}: {done.stderr.strip().splitlines()[-1]}")
    assert not failures, failures
