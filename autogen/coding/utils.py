"""Helpers shared by the executors: where a code block's file goes, and quieter pip."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path
from typing import Optional, Union

__all__ = [
    "UnsafeFilenameError",
    "filename_from_comment",
    "get_file_name_from_content",
    "resolve_in_workspace",
    "silence_pip",
    "write_file",
]

_COMMENT_START = r"^\s*(?:#|//|--|<!--|/\*)\s*"
_FILENAME_COMMENT = re.compile(_COMMENT_START + r"filename:\s*([^\s*>]+)", re.IGNORECASE)
# 0.2 also took a bare ``# name.ext`` first line as the file name; we take it when it looks like one
_BARE_FILENAME_COMMENT = re.compile(_COMMENT_START + r"([\w./-]*\w\.[A-Za-z0-9]{1,8})\s*(?:\*/|-->)?\s*$")


class UnsafeFilenameError(ValueError):
    """A code block asked to be saved outside the work directory."""


def filename_from_comment(code: str) -> Optional[str]:
    """The file name a ``# filename: NAME`` comment asks for, if the code starts with one.

    The comment may be on the first line or right after a ``#!`` line; ``//``, ``--``, ``/*`` and
    ``<!--`` comment styles are accepted too. As in 0.2 the ``filename:`` prefix may be left out
    (``# test.py``) when the rest of the line is a single file name with an extension. This is
    the one file-name parser of the package. Returns None when there is no such comment.
    """
    lines = code.lstrip("\n").splitlines()[:2]
    if lines and lines[0].startswith("#!"):
        lines = lines[1:]
    if not lines:
        return None
    match = _FILENAME_COMMENT.match(lines[0]) or _BARE_FILENAME_COMMENT.match(lines[0])
    return match.group(1) if match else None


def resolve_in_workspace(filename: str, workspace: Union[str, Path]) -> Path:
    """Resolve ``filename`` inside ``workspace``, refusing anything that would land outside it.

    Raises:
        UnsafeFilenameError: for an absolute path, or a path that leaves the workspace through
            ``..`` or a symbolic link.
    """
    root = Path(workspace).resolve()
    if not filename or os.path.isabs(filename) or filename.startswith("~") or re.match(r"^[A-Za-z]:", filename):
        raise UnsafeFilenameError(
            f"Refused filename {filename!r}: the file must be a relative path inside the work directory {root}."
        )
    target = (root / filename).resolve()
    if target != root and root not in target.parents:
        raise UnsafeFilenameError(
            f"Refused filename {filename!r}: it resolves to {target}, which is outside the work directory {root}."
        )
    if target == root or target.is_dir():
        raise UnsafeFilenameError(f"Refused filename {filename!r}: it names a directory, not a file.")
    return target


def get_file_name_from_content(code: str, workspace_path: Union[str, Path]) -> Optional[str]:
    """The path (inside ``workspace_path``) that the code's ``# filename:`` comment names, or None.

    Raises:
        UnsafeFilenameError: when the named file would be outside the workspace.
    """
    name = filename_from_comment(code)
    if name is None:
        return None
    resolve_in_workspace(name, workspace_path)
    return name


def write_file(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` atomically, replacing (never following) a symbolic link there.

    The text goes to a temporary file in the same directory that is then renamed over ``path``, so
    a process reading the file (another thread running the same block) never sees it half written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def silence_pip(code: str, lang: str) -> str:
    """Add ``-qqq`` to ``pip install`` lines so installs do not flood the output."""
    if lang in ("python", "py", "ipython"):
        pattern = re.compile(r"^(\s*!\s*pip\s+install\b)(?!.*\s-q)", re.MULTILINE)
    elif lang in ("bash", "shell", "sh", "pwsh", "powershell", "ps1"):
        pattern = re.compile(r"^(\s*pip\s+install\b)(?!.*\s-q)", re.MULTILINE)
    else:
        return code
    return pattern.sub(r"\1 -qqq", code)


# the 0.2 private name, kept for code that imported it
_get_file_name_from_content = get_file_name_from_content
