"""Finding and running a scenario's ``custom_tabulate.py`` as AutoGenBench did.

AutoGenBench looked for ``custom_tabulate.py`` (or ``Scripts/custom_tabulate.py``) in the current
folder, then in the results folder and its parents, and called its ``main(args)``. Such scripts
import ``autogenbench.tabulate_cmd``; when AutoGenBench is not installed, that import is served by
this package's :func:`~autogen.bench.tabulate.default_tabulate` and scorer.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

__all__ = ["TABULATE_FILE", "find_custom_tabulate", "run_custom_tabulate"]

TABULATE_FILE = "custom_tabulate.py"


def find_custom_tabulate(results: Path, cwd: Optional[Path] = None) -> Optional[Path]:
    """The ``custom_tabulate.py`` that applies to ``results``, or None."""
    here = (cwd or Path.cwd()).resolve()
    folders = [here, *[p for p in [results.resolve(), *results.resolve().parents] if p != here]]
    for folder in folders:
        for candidate in (
            folder / TABULATE_FILE,
            folder / "Scripts" / TABULATE_FILE,
            folder / "scripts" / TABULATE_FILE,
        ):
            if candidate.is_file():
                return candidate
    return None


@contextmanager
def _autogenbench_alias() -> Iterator[None]:
    """Make ``autogenbench.tabulate_cmd`` importable (ours) for the duration, unless the real one is installed."""
    if importlib.util.find_spec("autogenbench") is not None:
        yield
        return
    from . import record, tabulate

    package = types.ModuleType("autogenbench")
    module = types.ModuleType("autogenbench.tabulate_cmd")
    module.__dict__.update(
        default_tabulate=tabulate.default_tabulate,
        default_scorer=record.default_scorer,
        SUCCESS_STRINGS=list(record.SUCCESS_STRINGS),
        EXCLUDE_DIR_NAMES=list(tabulate.EXCLUDE_DIR_NAMES),
    )
    package.__path__ = []
    package.__dict__["tabulate_cmd"] = module
    saved = {name: sys.modules.get(name) for name in (package.__name__, module.__name__)}
    sys.modules[package.__name__] = package
    sys.modules[module.__name__] = module
    try:
        yield
    finally:
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous


def run_custom_tabulate(path: Path, argv: list[str]) -> Any:
    """Load ``path`` and call its ``main(argv)``."""
    from .errors import BenchError

    spec = importlib.util.spec_from_file_location("autogen_bench_custom_tabulate", path)
    if spec is None or spec.loader is None:
        raise BenchError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    with _autogenbench_alias():
        spec.loader.exec_module(module)
        main = getattr(module, "main", None)
        if not callable(main):
            raise BenchError(f"{path} has no main(args) function; AutoGenBench's custom tabulators define one")
        return main(argv)
