"""The RetrieveChat prompts: our own words, each giving every instruction of 0.2.35's prompt, same placeholders."""

from __future__ import annotations

import re

import pytest

from autogen.agentchat.contrib.retrieve_prompts import PROMPT_CODE, PROMPT_DEFAULT, PROMPT_QA, make_prompt

COMMON = {
    "answer from own knowledge and the given context": r"your own\s+knowledge together with the context",
    "reply exactly UPDATE CONTEXT when unable to answer": r"cannot answer.*reply with exactly `UPDATE CONTEXT`",
}
CODE_RULES = {
    "install no packages": r"Do NOT install any package: everything you need is already installed",
    "fenced code with its language": r"```language\n# your code\n```",
}
DEFAULT_ONLY = {
    "judge the intent first: code or question answering": r"Step 1:.*code written, or a question answered",
    "reply by the intent": r"Step 2: reply according to that intent",
    "answers as short as possible": r"as short as you can",
    "end with the sources": r"`Sources: source1, source2, \.\.\.`",
}
CASES = [
    (PROMPT_DEFAULT, {**COMMON, **CODE_RULES, **DEFAULT_ONLY}),
    (PROMPT_CODE, {**COMMON, **CODE_RULES}),
    (PROMPT_QA, {**COMMON, "answers as short as possible": r"as short as you can"}),
]


@pytest.mark.parametrize(("prompt", "instructions"), CASES, ids=["default", "code", "qa"])
def test_each_prompt_gives_each_instruction(prompt, instructions):
    for name, pattern in instructions.items():
        assert re.search(pattern, prompt, re.DOTALL), name
    assert "{input_question}" in prompt and "{input_context}" in prompt


def test_prompts_are_filled_by_task_and_customized_prompt_wins():
    text = make_prompt("DEFAULT", "Q?", "the context", ["a.md"])
    assert "The user's question: Q?" in text and "The context: the context" in text and "['a.md']" in text
    assert make_prompt("qa", "Q?", "C", [], customized_prompt="{input_context}|{input_question}") == "C|Q?"
