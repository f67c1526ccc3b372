"""Shared pieces of the `autogen bench` tests: a scripted model that solves some HumanEval tasks, the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.cli._run import cli_env

# Tasks the scripted model solves (a correct function); for any other task it writes a wrong one.
SOLUTIONS = {
    "truncate_number": "def truncate_number(number: float) -> float:\n    return number % 1.0\n",
    "below_zero": (
        "def below_zero(operations):\n    balance = 0\n    for op in operations:\n        balance += op\n"
        "        if balance < 0:\n            return True\n    return False\n"
    ),
}
_ENTRY = re.compile(r"calls it on the\s+function `(\w+)`")


def humaneval_reply(body: dict[str, Any]) -> str:
    """The model: code for the task's function in its first turn, TERMINATE after seeing the result."""
    last = body["messages"][-1].get("content") or ""
    if "exitcode" in last:
        return "TERMINATE"
    match = _ENTRY.search(last)
    name = match.group(1) if match else "unknown"
    code = SOLUTIONS.get(name, f"def {name}(*args, **kwargs):\n    return None\n")
    return f"```python\nfrom my_tests import run_tests\n\n{code}\nrun_tests({name})\n```"


def bench(*args: str, config_list: Any = None, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess:
    """Run ``autogen bench ARGS`` in ``cwd`` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "autogen", "bench", *args],
        cwd=cwd,
        env=cli_env(config_list),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def clone_humaneval(cwd: Path) -> tuple[Path, list[dict[str, Any]]]:
    """``autogen bench clone HumanEval`` in ``cwd``: the scenario folder and its TwoAgents task rows."""
    result = bench("clone", "HumanEval", cwd=cwd)
    assert result.returncode == 0, result.stderr
    scenario = cwd / "HumanEval"
    tasks = (scenario / "Tasks" / "human_eval_TwoAgents.jsonl").read_text().splitlines()
    return scenario, [json.loads(line) for line in tasks]


def write_tasks(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def tabulate_json(results: Path, cwd: Path) -> dict[str, Any]:
    proc = bench("tabulate", str(results), "--json", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
