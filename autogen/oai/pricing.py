"""Token prices: one data file (``prices.json``), per-config overrides, one warning per unknown model."""

from __future__ import annotations

import json
import logging
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Sequence, Tuple

__all__ = ["PRICE_FILE", "compute_cost", "load_price_table", "lookup_price", "normalize_price"]

logger = logging.getLogger(__name__)

PRICE_FILE = Path(__file__).with_name("prices.json")
_DATE_SUFFIX = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$")  # 2024-08-06, 20241022 (Anthropic), 0613
_warned_models: set[str] = set()
_warned_lock = threading.Lock()

Price = Tuple[float, float]


@lru_cache(maxsize=1)
def load_price_table() -> dict[str, Price]:
    """Read ``prices.json``: model name -> (prompt, completion) USD per 1,000 tokens."""
    raw = json.loads(PRICE_FILE.read_text(encoding="utf-8"))
    return {model: (float(p[0]), float(p[1])) for model, p in raw.items() if not model.startswith("_")}


def normalize_price(price: Any) -> Optional[Price]:
    """Turn a config's ``price`` entry into ``(prompt_per_1k, completion_per_1k)``.

    Args:
        price: ``[prompt, completion]`` (list or tuple of two numbers), one number used for both, or None.

    Raises:
        ValueError: the value is neither of those.
    """
    if price is None:
        return None
    if isinstance(price, (int, float)) and not isinstance(price, bool):
        logger.warning("price=%r is one number: using it for both prompt and completion tokens.", price)
        return (float(price), float(price))
    if isinstance(price, Sequence) and not isinstance(price, str) and len(price) == 2:
        try:
            return (float(price[0]), float(price[1]))
        except (TypeError, ValueError):
            pass
    raise ValueError(f"price must be [prompt_per_1k, completion_per_1k] (two numbers, USD), got {price!r}")


def lookup_price(model: str) -> Optional[Price]:
    """The list price of ``model``: exact name, then without a date suffix, then Azure spelling (gpt-35 -> gpt-3.5)."""
    table = load_price_table()
    candidates = [model, _DATE_SUFFIX.sub("", model)]
    candidates += [c.replace("gpt-35", "gpt-3.5") for c in candidates]
    for name in candidates:
        if name in table:
            return table[name]
    return None


def compute_cost(
    model: Optional[str], prompt_tokens: int, completion_tokens: int, price: Optional[Price] = None
) -> float:
    """Cost in USD of one call; unknown models cost 0 and are warned about once per model.

    Args:
        model: the model name the server reported.
        prompt_tokens: tokens in the request.
        completion_tokens: tokens in the answer.
        price: the config's ``(prompt_per_1k, completion_per_1k)`` override, if any.
    """
    if price is None:
        price = lookup_price(model or "")
    if price is None:
        _warn_unknown(model or "<unnamed>")
        return 0.0
    return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1000


def _warn_unknown(model: str) -> None:
    with _warned_lock:
        if model in _warned_models:
            return
        _warned_models.add(model)
    logger.warning(
        "Model %r is not in the price table (%s): its cost is counted as 0. "
        'Add "price": [prompt_per_1k, completion_per_1k] to its config to count it.',
        model,
        PRICE_FILE.name,
    )
