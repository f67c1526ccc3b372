"""Find fenced Markdown code blocks in a message."""

from __future__ import annotations

import re
from typing import Any, List, Union

from ..code_utils import CODE_BLOCK_PATTERN, UNKNOWN, content_str, infer_lang
from .base import CodeBlock, CodeExtractor

__all__ = ["MarkdownCodeExtractor"]


class MarkdownCodeExtractor(CodeExtractor):
    """Extracts ```` ```lang ```` fenced blocks; a block without a language gets a guessed one (or ``""``)."""

    def extract_code_blocks(self, message: Union[str, List[Any], None]) -> List[CodeBlock]:
        """Return the fenced code blocks in ``message``, or ``[]`` when it has none."""
        text = content_str(message)
        blocks = []
        for lang, code in re.findall(CODE_BLOCK_PATTERN, text, flags=re.DOTALL):
            if lang == "":
                lang = infer_lang(code)
            if lang == UNKNOWN:
                lang = ""
            blocks.append(CodeBlock(code=code, language=lang))
        return blocks
