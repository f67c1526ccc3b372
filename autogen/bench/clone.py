"""``autogen bench clone NAME``: copy a scenario shipped in this package into the current folder.

Each scenario under ``autogen/bench/scenarios/`` has a ``MANIFEST.json`` (``{"files": {dest: source}}``,
AutoGenBench's format) listing what to copy. ``--full`` also writes the whole dataset's task file,
fetched through the ``datasets`` package (needs the network).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable

from .errors import BenchError

__all__ = ["SCENARIOS_DIR", "clone_scenario", "list_scenarios", "write_full_tasks"]

SCENARIOS_DIR = Path(__file__).resolve().parent / "scenarios"


def list_scenarios() -> list[str]:
    """Names of the shipped scenarios."""
    return sorted(p.name for p in SCENARIOS_DIR.iterdir() if (p / "MANIFEST.json").is_file())


def clone_scenario(name: str, dest_root: Path) -> Path:
    """Copy scenario ``name`` to ``dest_root/name``; returns that folder."""
    names = list_scenarios()
    if name not in names:
        raise BenchError(f"no scenario named {name!r}; the shipped scenarios are: {', '.join(names)}")
    source = SCENARIOS_DIR / name
    dest = dest_root / name
    if dest.exists():
        raise BenchError(f"{str(dest)!r} already exists; remove it or clone into another folder with --dest")
    manifest = json.loads((source / "MANIFEST.json").read_text(encoding="utf-8"))
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict):
        raise BenchError(f"{source / 'MANIFEST.json'} must hold {{'files': {{dest: source}}}}")
    for target, origin in files.items():
        path = dest / target
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / origin, path)
    return dest


def _humaneval_rows(dataset: Any, template: str) -> list[dict[str, Any]]:
    return [
        {
            "id": row["task_id"].replace("/", "_"),
            "template": template,
            "substitutions": {
                "scenario.py": {"__ENTRY_POINT__": row["entry_point"]},
                "prompt.txt": {"__PROMPT__": row["prompt"]},
                "coding/my_tests.py": {"__TEST__": row["test"]},
            },
        }
        for row in dataset
    ]


def _math_rows(dataset: Any, template: str) -> list[dict[str, Any]]:
    from autogen.math_utils import last_boxed_only_string, remove_boxed

    rows = []
    for index, row in enumerate(dataset):
        answer = remove_boxed(last_boxed_only_string(row["solution"]) or "") or ""
        rows.append(
            {
                "id": f"math_{index:05d}",
                "template": template,
                "substitutions": {"prompt.txt": {"__PROMPT__": row["problem"]}, "answer.txt": {"__ANSWER__": answer}},
            }
        )
    return rows


# scenario -> (dataset name, split, template, row converter)
_FULL: dict[str, tuple[str, str, str, Callable[[Any, str], list[dict[str, Any]]]]] = {
    "HumanEval": ("openai/openai_humaneval", "test", "../Templates/TwoAgents", _humaneval_rows),
    "MATH": ("EleutherAI/hendrycks_math", "test", "../Templates/TwoAgents", _math_rows),
}


def write_full_tasks(name: str, scenario_dir: Path) -> Path:
    """Fetch the whole dataset of ``name`` and write ``Tasks/<name>_full.jsonl``."""
    if name not in _FULL:
        raise BenchError(f"--full is available for {', '.join(sorted(_FULL))}, not {name!r}")
    dataset_name, split, template, convert = _FULL[name]
    try:
        import datasets
    except ImportError:
        raise BenchError('--full needs the datasets package: pip install "autogen[bench]"') from None
    try:
        loaded: Any = datasets.load_dataset(dataset_name, split=split)
        if name == "MATH" and not len(loaded):
            raise ValueError("empty dataset")
    except Exception as err:
        raise BenchError(
            f"could not fetch {dataset_name} from the Hugging Face Hub ({type(err).__name__}: {err}); "
            "--full needs the network (the shipped sample tasks work offline)"
        ) from None
    path = scenario_dir / "Tasks" / f"{name.lower()}_full.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for row in convert(loaded, template):
            fh.write(json.dumps(row) + "\n")
    return path
