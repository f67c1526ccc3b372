"""MarkdownCodeExtractor: fenced blocks become CodeBlocks with a language."""

from __future__ import annotations

from autogen.coding import CodeBlock, MarkdownCodeExtractor


def test_extracts_each_fenced_block_with_its_language() -> None:
    text = "Here:\n```python\nprint(1)\n```\nand\n```bash\nls -l\n```"
    assert MarkdownCodeExtractor().extract_code_blocks(text) == [
        CodeBlock(code="print(1)", language="python"),
        CodeBlock(code="ls -l", language="bash"),
    ]


def test_guesses_the_language_of_an_unlabelled_block() -> None:
    blocks = MarkdownCodeExtractor().extract_code_blocks("```\nx = [1, 2]\nprint(x)\n```")
    assert blocks == [CodeBlock(code="x = [1, 2]\nprint(x)", language="python")]


def test_unguessable_block_gets_an_empty_language() -> None:
    blocks = MarkdownCodeExtractor().extract_code_blocks("```\nthis is not ( code\n```")
    assert blocks[0].language == ""


def test_no_blocks_gives_an_empty_list() -> None:
    assert MarkdownCodeExtractor().extract_code_blocks("just words, `inline` is not a block") == []
    assert MarkdownCodeExtractor().extract_code_blocks(None) == []


def test_reads_multimodal_content() -> None:
    content = [{"type": "text", "text": "```sh\necho hi\n```"}, {"type": "image_url", "image_url": {"url": "x"}}]
    assert MarkdownCodeExtractor().extract_code_blocks(content) == [CodeBlock(code="echo hi", language="sh")]
