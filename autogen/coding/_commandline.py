"""The block loop shared by the command-line executors: save each block to a file, run it, collect output."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Dict, List, Optional

from ._languages import LANGUAGE_ALIASES, file_extension, normalize_language
from ._output import output_cap_notice
from ._process import TIMEOUT_MSG, default_max_output_bytes
from .base import CodeBlock, CodeExtractor, CommandLineCodeResult
from .markdown_code_extractor import MarkdownCodeExtractor
from .utils import UnsafeFilenameError, filename_from_comment, resolve_in_workspace, silence_pip, write_file

__all__ = ["BlockRun", "CommandLineExecutorBase"]


@dataclass
class BlockRun:
    """What running one saved block produced."""

    exit_code: int
    output: str
    timed_out: bool = False
    truncated: bool = False


class CommandLineExecutorBase:
    """Saves each block to a file in the work directory and hands it to :meth:`_run_file`.

    Blocks run in order; the first failing block stops the run. A ``# filename:`` comment names
    the file (it must stay inside the work directory); otherwise ``tmp_code_<md5>.<ext>``.
    Languages whose execution policy is False, and unknown languages whose block names its file
    (a ``config.yaml``), are only saved: exit code 0 and ``Code saved to <path>``.
    """

    DEFAULT_EXECUTION_POLICY: ClassVar[Dict[str, bool]] = {
        "bash": True,
        "shell": True,
        "sh": True,
        "pwsh": True,
        "powershell": True,
        "ps1": True,
        "python": True,
        "javascript": False,
        "html": False,
        "css": False,
    }
    LANGUAGE_ALIASES: ClassVar[Dict[str, str]] = LANGUAGE_ALIASES

    def __init__(
        self, timeout: int, execution_policies: Optional[Dict[str, bool]], max_output_bytes: Optional[int]
    ) -> None:
        if max_output_bytes is None:
            max_output_bytes = default_max_output_bytes()
        if timeout < 1:
            raise ValueError(f"timeout must be at least 1 second, got {timeout!r}")
        if max_output_bytes < 1:
            raise ValueError(f"max_output_bytes must be positive, got {max_output_bytes!r}")
        self._timeout = timeout
        self._max_output_bytes = max_output_bytes
        self.execution_policies: Dict[str, bool] = dict(self.DEFAULT_EXECUTION_POLICY)
        if execution_policies is not None:
            self.execution_policies.update({k.lower(): v for k, v in execution_policies.items()})

    # ------------------------------------------------------------------ to provide in subclasses
    @property
    def work_dir(self) -> Path:
        """The directory code files are saved to and run in."""
        raise NotImplementedError

    @property
    def _workspace(self) -> Path:
        """The absolute work directory (``work_dir`` may be relative, as given)."""
        return self.work_dir

    def _run_file(self, lang: str, path: Path) -> BlockRun:
        raise NotImplementedError

    def _refuse_block(self, lang: str, code: str) -> Optional[str]:
        """Hook: why a block is refused before it is saved (the block's output), or None to run it."""
        return None

    # ------------------------------------------------------------------ shared behaviour
    @property
    def timeout(self) -> int:
        """Seconds one block may run before its processes are killed (exit code 124)."""
        return self._timeout

    @property
    def max_output_bytes(self) -> int:
        """Bytes of output kept from one block; past it the block is stopped."""
        return self._max_output_bytes

    @property
    def code_extractor(self) -> CodeExtractor:
        """Finds fenced Markdown code blocks."""
        return MarkdownCodeExtractor()

    def normalize_language(self, language: str) -> str:
        """Lower-case the language and resolve aliases (``py`` → ``python``)."""
        return normalize_language(language)

    def _save_block(self, lang: str, code: str) -> Path:
        name = filename_from_comment(code)
        if name is None:
            digest = hashlib.md5(code.encode()).hexdigest()
            name = f"tmp_code_{digest}.{file_extension(lang)}"
        path = resolve_in_workspace(name, self._workspace)
        write_file(path, code)
        return path

    def _execute_blocks(self, code_blocks: List[CodeBlock]) -> CommandLineCodeResult:
        output = ""
        exit_code = 0
        files: List[Path] = []
        for block in code_blocks:
            lang = self.normalize_language(block.language)
            runnable = self.execution_policies.get(lang)
            if runnable is None and filename_from_comment(block.code) is None:
                output += f"\nUnsupported language {lang!r}: supported are {', '.join(self.execution_policies)}."
                exit_code = 1
                break
            refusal = self._refuse_block(lang, block.code)
            if refusal is not None:
                output += f"{refusal}\n"
                exit_code = 1
                break
            code = silence_pip(block.code, lang)
            try:
                path = self._save_block(lang, code)
            except UnsafeFilenameError as exc:
                return CommandLineCodeResult(exit_code=1, output=str(exc), code_file=None)
            files.append(path)
            if not runnable:  # a language we do not run (or an unknown one that names its file): save only
                output += f"Code saved to {path}\n"
                exit_code = 0
                continue
            run = self._run_file(lang, path)
            output += run.output
            exit_code = run.exit_code
            if run.timed_out:
                output += f"\n{TIMEOUT_MSG}: the code ran longer than {self._timeout} seconds and was stopped."
                break
            if run.truncated:
                output += output_cap_notice(self._max_output_bytes)
                break
            if exit_code != 0:
                break
        return CommandLineCodeResult(exit_code=exit_code, output=output, code_file=str(files[0]) if files else None)
