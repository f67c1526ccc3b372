"""The one language table of the package: aliases, file extensions, and the program that runs each."""

from __future__ import annotations

from pathlib import PurePath
from typing import Dict, List, Optional, Union

__all__ = ["LANGUAGE_ALIASES", "PYTHON", "command_for", "file_extension", "normalize_language", "program_for"]

PYTHON = "python"

LANGUAGE_ALIASES: Dict[str, str] = {"py": "python", "python3": "python", "js": "javascript"}

_EXTENSIONS: Dict[str, str] = {
    "python": "py",
    "bash": "sh",
    "shell": "sh",
    "sh": "sh",
    "pwsh": "ps1",
    "powershell": "ps1",
    "ps1": "ps1",
    "javascript": "js",
}

# the program for each runnable language; "python" is replaced by the interpreter to use
_PROGRAMS: Dict[str, List[str]] = {
    "python": [PYTHON],
    "bash": ["bash"],
    "shell": ["sh"],
    "sh": ["sh"],
    "pwsh": ["pwsh", "-File"],
    "powershell": ["pwsh", "-File"],
    "ps1": ["pwsh", "-File"],
    "javascript": ["node"],
}


def normalize_language(language: str) -> str:
    """Lower-case the language and resolve aliases (``py``/``python3`` → ``python``, ``js`` → ``javascript``)."""
    lang = language.strip().lower()
    if lang.startswith("python") and lang != "python":  # python2.7, python3.11, ...
        return "python"
    return LANGUAGE_ALIASES.get(lang, lang)


def file_extension(language: str) -> str:
    """The extension a block of ``language`` is saved with (the language itself when unknown)."""
    lang = normalize_language(language)
    return _EXTENSIONS.get(lang, lang)


def program_for(language: str, python: str = "python3", powershell: str = "pwsh") -> Optional[List[str]]:
    """The command that runs a file of ``language`` (None when we cannot run it).

    Args:
        language: the block's language (aliases accepted).
        python: the Python interpreter to use.
        powershell: the PowerShell program to use (``pwsh`` or ``powershell``).
    """
    program = _PROGRAMS.get(normalize_language(language))
    if program is None:
        return None
    replaced = {PYTHON: python, "pwsh": powershell}
    return [replaced.get(part, part) for part in program]


def command_for(program: List[str], path: Union[str, PurePath]) -> List[str]:
    """``program`` with the file appended so that it can never be read as an option (``-c.py`` → ``./-c.py``)."""
    text = str(path)
    if not PurePath(text).is_absolute():
        text = f"./{text}" if not text.startswith("./") else text
    return [*program, text]
