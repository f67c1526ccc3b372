"""Expanding one task into a run folder, as AutoGenBench did.

The folder gets: the base files (``testbed_utils.py``, ``requirements.txt``), the task's template
(a folder copied whole, or a file copied as ``scenario.py``, or a list of copy operations), the
``--requirements`` file if given, then every ``find -> replace`` substitution, then ``run.sh``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Optional

from .tasks import Task, TaskFileError

__all__ = ["BASE_TEMPLATE", "check_template", "expand_task", "write_run_script"]

BASE_TEMPLATE = Path(__file__).resolve().parent / "template"
BASE_FILES = ("testbed_utils.py", "requirements.txt")  # what every run folder starts with

# Lines of a requirements file that name autogen itself: the runner provides autogen, so these are skipped.
_PROVIDED = ("pyautogen", "autogen", "ag2")


def expand_task(task: Task, dest: Path, requirements: Optional[str] = None) -> None:
    """Fill the new folder ``dest`` with the task's files (``requirements``: the text of ``--requirements``)."""
    dest.mkdir()
    for name in BASE_FILES:
        shutil.copyfile(BASE_TEMPLATE / name, dest / name)
    for source, target in _copy_operations(task):
        source_path = Path(task.base_dir, source)
        target_path = dest / target
        if source_path.is_dir():
            shutil.copytree(source_path, target_path, dirs_exist_ok=True)
        elif source_path.is_file():
            if target_path.is_dir():
                target_path = target_path / source_path.name
            target_path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source_path, target_path)
        else:
            raise TaskFileError(f"task {task.id!r}: template {str(source_path)!r} does not exist")
    if requirements is not None:
        (dest / "requirements.txt").write_text(requirements, encoding="utf-8")
    for name, pairs in task.substitutions.items():
        path = dest / name
        if not path.is_file():
            raise TaskFileError(f"task {task.id!r}: substitutions name {name!r}, which the template does not have")
        text = path.read_text(encoding="utf-8")
        for find, replace in pairs.items():
            text = text.replace(find, replace)
        path.write_text(text, encoding="utf-8")
    extra = _extra_requirements(dest / "requirements.txt")
    if extra:
        (dest / ".bench_requirements.txt").write_text("\n".join(extra) + "\n", encoding="utf-8")


def check_template(task: Task) -> None:
    """Raise :class:`TaskFileError` if a file or folder the task's template names does not exist."""
    for source, _ in _copy_operations(task):
        if not Path(task.base_dir, source).exists():
            raise TaskFileError(
                f"task {task.id!r}: template {source!r} does not exist (relative paths start at {task.base_dir})"
            )


def _copy_operations(task: Task) -> list[tuple[str, str]]:
    template: Any = task.template
    if isinstance(template, str):
        return [(template, "" if Path(task.base_dir, template).is_dir() else "scenario.py")]
    operations = []
    for item in template:
        if isinstance(item, list) and len(item) == 2 and all(isinstance(part, str) for part in item):
            operations.append((item[0], item[1]))
        elif isinstance(item, str):
            operations.append((item, ""))
        else:
            raise TaskFileError(f"task {task.id!r}: template entries must be paths or [source, destination] pairs")
    return operations


def _extra_requirements(path: Path) -> list[str]:
    if not path.is_file():
        return []
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name = line.split("[", 1)[0].split("=", 1)[0].split("<", 1)[0].split(">", 1)[0].split("~", 1)[0].strip()
        if name.lower() in _PROVIDED or line.rstrip("/").endswith("/autogen"):
            continue
        lines.append(line)
    return lines


def write_run_script(dest: Path, *, setting: str, timeout: float, version: str) -> None:
    """Write ``run.sh``: init scripts, requirements, ``scenario.py`` under a time limit, finalize scripts.

    The ``... !#!#`` lines are the markers AutoGenBench's tabulation scripts search the console log for.
    """
    limit = max(1, int(timeout))
    script = f"""# Written by `autogen bench run`: runs this scenario instance in its own folder.
echo "RUN.SH STARTING !#!#"
export AUTOGEN_TESTBED_SETTING="{setting}"
umask 000
echo "autogen version: {version}" > timestamp.txt
if ! command -v python >/dev/null 2>&1; then
    BENCH_BIN="${{TMPDIR:-/tmp}}/autogen-bench-bin-$$"
    mkdir -p "$BENCH_BIN" && ln -sf "$(command -v python3)" "$BENCH_BIN/python"
    PATH="$BENCH_BIN:$PATH"; export PATH
fi

if [ -f global_init.sh ] ; then
    . ./global_init.sh
fi
if [ -f scenario_init.sh ] ; then
    . ./scenario_init.sh
fi

if [ -f .bench_requirements.txt ] ; then
    if python -m pip --version >/dev/null 2>&1 ; then
        python -m pip install -q --disable-pip-version-check --target .bench_site -r .bench_requirements.txt
        PYTHONPATH="$PWD/.bench_site${{PYTHONPATH:+:$PYTHONPATH}}"; export PYTHONPATH
    else
        echo "autogen bench: pip is not available here, so requirements.txt was not installed"
    fi
fi

echo "SCENARIO.PY STARTING !#!#"
# $AUTOGEN_BENCH_PYTHON: `autogen bench run --warm-start` starts scenario.py through its warm interpreter
timeout --kill-after=10s {limit}s ${{AUTOGEN_BENCH_PYTHON:-python}} scenario.py
EXIT_CODE=$?
if [ $EXIT_CODE -eq 124 ] || [ $EXIT_CODE -eq 137 ] ; then
    echo "SCENARIO.PY EXCEEDED THE TIME LIMIT OF {limit} SECONDS !#!#"
fi
if [ $EXIT_CODE -ne 0 ] ; then
    echo "SCENARIO.PY EXITED WITH CODE: $EXIT_CODE !#!#"
else
    echo "SCENARIO.PY COMPLETE !#!#"
fi

rm -rf .cache __pycache__ .bench_site .bench_requirements.txt

if [ -f scenario_finalize.sh ] ; then
    . ./scenario_finalize.sh
fi
if [ -f global_finalize.sh ] ; then
    . ./global_finalize.sh
fi
echo "RUN.SH COMPLETE !#!#"
"""
    (dest / "run.sh").write_text(script, encoding="utf-8", newline="\n")
