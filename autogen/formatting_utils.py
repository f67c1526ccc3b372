"""Coloured console text, as 0.2 printed it, via ``termcolor`` (imported on first use).

``NO_COLOR`` and ``ANSI_COLORS_DISABLED`` are checked on every call, so setting one at any
time turns colours off (termcolor itself reads them only once per process).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any, Optional, Union

Color = Union[str, tuple[int, int, int]]


def colors_disabled() -> bool:
    """Return True when the environment asks for plain text (``NO_COLOR`` or ``ANSI_COLORS_DISABLED``)."""
    return bool(os.environ.get("NO_COLOR") or os.environ.get("ANSI_COLORS_DISABLED"))


def colored(
    text: object,
    color: Optional[Color] = None,
    on_color: Optional[Color] = None,
    attrs: Optional[Iterable[str]] = None,
    **kwargs: Any,
) -> str:
    """Return ``text`` wrapped in ANSI codes for ``color``, background ``on_color`` and ``attrs``.

    Plain ``str(text)`` when colours are disabled by the environment or termcolor is missing.
    Extra keyword arguments (``no_color``, ``force_color``) go to ``termcolor.colored``.

    Raises:
        KeyError: when a color, highlight or attribute name is not one termcolor knows.
    """
    if colors_disabled():
        return str(text)
    try:
        from termcolor import colored as termcolor_colored
    except ImportError:
        return str(text)
    return termcolor_colored(text, color, on_color, attrs, **kwargs)
