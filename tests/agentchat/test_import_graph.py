"""``autogen.agentchat`` has no import cycles, and each of its modules imports on its own."""

from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from pathlib import Path

import pytest

import autogen.agentchat

PACKAGE_DIR = Path(autogen.agentchat.__file__).parent
PACKAGE = "autogen.agentchat"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(path: Path) -> set[str]:
    """Modules of the package that ``path`` imports when it runs (``if TYPE_CHECKING:`` blocks excluded)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
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
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            for alias in node.names:
                for candidate in (f"{base}.{alias.name}", base):
                    if candidate.startswith(PACKAGE) and candidate in MODULES:
                        found.add(candidate)
                        break
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in MODULES)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(module)
    return found


FILES = sorted(PACKAGE_DIR.rglob("*.py"))
MODULES = {_module_name(f) for f in FILES}


def test_agentchat_has_no_import_cycles():
    graph = {_module_name(f): _runtime_imports(f) for f in FILES}
    # a package __init__ may re-export its children; the cycle that matters is between modules
    for name in list(graph):
        graph[name] = {dep for dep in graph[name] if not (name.startswith(dep + ".") and dep in MODULES)}
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as e:
        pytest.fail(f"import cycle: {' -> '.join(e.args[1])}")


@pytest.mark.slow
def test_every_agentchat_module_imports_on_its_own():
    names = sorted(n for n in MODULES if "contrib" not in n or n.count(".") <= 3)
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    failures = []
    for name in names:
        done = subprocess.run([sys.executable, "-c", script, name], capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            failures.append(f"{name}: {done.stderr.strip().splitlines()[-1]}")
    assert not failures, failures
