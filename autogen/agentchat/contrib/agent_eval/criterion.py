"""Criterion: one way of judging a task's result, with the values a grade may take."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["Criterion"]


class Criterion(BaseModel):
    """A criterion for evaluating a task's result.

    Args:
        name: what is judged, e.g. "accuracy".
        description: how to judge it.
        accepted_values: the grades it may take, e.g. ["poor", "fair", "good"].
        sub_criteria: finer criteria it is made of (a :class:`SubCriticAgent` suggests them).
    """

    model_config = ConfigDict(extra="ignore")

    name: str
    description: str
    accepted_values: list[str]
    sub_criteria: list[Criterion] = Field(default_factory=list)

    @staticmethod
    def parse_json_str(criteria: str) -> list[Criterion]:
        """The criteria of a JSON list of objects (as :meth:`write_json` writes them).

        Raises:
            ValueError: the text is not a JSON list of criteria; the message says which item is wrong and why.
        """
        try:
            data: Any = json.loads(criteria)
        except json.JSONDecodeError as e:
            raise ValueError(f"criteria must be a JSON list of criterion objects, not {criteria[:200]!r} ({e})") from e
        if not isinstance(data, list):
            raise ValueError(f"criteria must be a JSON list of criterion objects, not a JSON {type(data).__name__}")
        parsed = []
        for i, item in enumerate(data):
            try:
                parsed.append(Criterion.model_validate(item))
            except ValidationError as e:
                raise ValueError(
                    f"criterion {i} is not valid (each needs name, description and accepted_values): {e}"
                ) from e
        return parsed

    @staticmethod
    def write_json(criteria: list[Criterion]) -> str:
        """``criteria`` as an indented JSON list, readable by :meth:`parse_json_str`."""
        return json.dumps([c.model_dump() for c in criteria], indent=2)
