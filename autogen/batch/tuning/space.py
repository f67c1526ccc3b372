"""The search space of ``autogen bench tune``, read from a YAML file.

Each key is one knob; its value is a list (choose one of these), a mapping ``{low, high[, log]}`` (a
range; whole numbers for ``max_tokens`` and ``n``), or a single value (fixed)::

    model: [gpt-4o-mini, gpt-4o]        # names of entries in the config list
    temperature: [0, 0.7, 1]
    max_tokens: {low: 64, high: 1024, log: true}
    n: [1, 2]                             # number of responses per request
    prompt:                               # templates; {prompt} is the task's own prompt
      - "{prompt}"
      - "{prompt}\\nThink step by step, then give the final answer."
    prompt_key: __PROMPT__                # the task substitution the templates rewrite (default)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

__all__ = ["KNOBS", "PROMPT_SLOT", "Choice", "Range", "SearchSpace", "SpaceError", "load_space", "parse_space"]

# knob -> "int" | "float" | "str" (the kind of its values)
KNOBS: dict[str, str] = {
    "model": "str",
    "temperature": "float",
    "top_p": "float",
    "max_tokens": "int",
    "n": "int",
    "prompt": "str",
}
PROMPT_SLOT = "{prompt}"
_LIMITS: dict[str, tuple[float, float]] = {
    "temperature": (0.0, 2.0),
    "top_p": (0.0, 1.0),
    "max_tokens": (1, math.inf),
    "n": (1, 128),
}


class SpaceError(ValueError):
    """The search-space file is not valid."""


@dataclass(frozen=True)
class Choice:
    """One of these values."""

    values: tuple[Any, ...]


@dataclass(frozen=True)
class Range:
    """Any value in ``[low, high]`` (whole numbers when ``integer``), sampled on a log scale if ``log``."""

    low: float
    high: float
    log: bool = False
    integer: bool = False


Dimension = Union[Choice, Range]


@dataclass(frozen=True)
class SearchSpace:
    """The knobs to tune and where the prompt templates apply."""

    dimensions: dict[str, Dimension]
    prompt_key: str = "__PROMPT__"

    @property
    def finite(self) -> bool:
        """Whether every knob is a list of choices (then the search can try every combination)."""
        return all(isinstance(d, Choice) for d in self.dimensions.values())

    @property
    def size(self) -> float:
        """The number of distinct configurations (``inf`` with a range)."""
        if not self.finite:
            return math.inf
        return float(math.prod(len(d.values) for d in self.dimensions.values() if isinstance(d, Choice)))


def _check_value(knob: str, value: Any) -> Any:
    kind = KNOBS[knob]
    if kind == "str":
        if not isinstance(value, str) or not value:
            raise SpaceError(f"{knob}: {value!r} is not a non-empty string")
        if knob == "prompt" and PROMPT_SLOT not in value:
            raise SpaceError(f"prompt template {value!r} lacks {PROMPT_SLOT}, where the task's prompt goes")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpaceError(f"{knob}: {value!r} is not a number")
    if kind == "int" and value != int(value):
        raise SpaceError(f"{knob}: {value!r} is not a whole number")
    low, high = _LIMITS[knob]
    if not low <= value <= high:
        raise SpaceError(f"{knob}: {value!r} is outside [{low:g}, {high:g}]")
    return int(value) if kind == "int" else float(value)


def _dimension(knob: str, spec: Any) -> Dimension:
    if isinstance(spec, list):
        if not spec:
            raise SpaceError(f"{knob}: the list of choices is empty")
        values = tuple(dict.fromkeys(_check_value(knob, v) for v in spec))
        return Choice(values)
    if isinstance(spec, dict):
        if KNOBS[knob] == "str":
            raise SpaceError(f"{knob}: give a list of choices, not a range")
        unknown = set(spec) - {"low", "high", "log"}
        if unknown or not {"low", "high"} <= set(spec):
            raise SpaceError(f"{knob}: a range is {{low: ..., high: ...[, log: true]}}, got {spec!r}")
        low, high = _check_value(knob, spec["low"]), _check_value(knob, spec["high"])
        log = bool(spec.get("log", False))
        if low >= high:
            raise SpaceError(f"{knob}: low ({low}) must be below high ({high})")
        if log and low <= 0:
            raise SpaceError(f"{knob}: a log range needs low > 0, got {low}")
        return Range(low, high, log, KNOBS[knob] == "int")
    return Choice((_check_value(knob, spec),))


def parse_space(data: Any, *, source: str = "the search space") -> SearchSpace:
    """A :class:`SearchSpace` from the mapping a space file holds."""
    if not isinstance(data, dict) or not data:
        raise SpaceError(f"{source} must be a YAML mapping of knob: choices (knobs: {', '.join(KNOBS)})")
    data = dict(data)
    prompt_key = data.pop("prompt_key", "__PROMPT__")
    if not isinstance(prompt_key, str) or not prompt_key:
        raise SpaceError(f"{source}: prompt_key must be the name of a task substitution, got {prompt_key!r}")
    unknown = sorted(set(data) - set(KNOBS))
    if unknown:
        raise SpaceError(f"{source}: unknown knob(s) {unknown}; the knobs are: {', '.join(KNOBS)}, prompt_key")
    try:
        return SearchSpace({knob: _dimension(knob, spec) for knob, spec in data.items()}, prompt_key)
    except SpaceError as err:
        raise SpaceError(f"{source}: {err}") from None


def load_space(path: Union[str, Path]) -> SearchSpace:
    """The search space in the YAML file ``path``."""
    import yaml

    file = Path(path)
    if not file.is_file():
        raise SpaceError(f"search space file {str(path)!r} does not exist")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise SpaceError(f"{path} is not valid YAML: {err}") from None
    return parse_space(data, source=str(path))
