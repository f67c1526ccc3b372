"""The prompts RetrieveUserProxyAgent sends: the question with the retrieved context, by task.

Our own wording of AutoGen 0.2's three prompts; each keeps every instruction 0.2 gave the model. Placeholders:
``{input_question}``, ``{input_context}`` and (default task) ``{input_sources}``.
"""

from __future__ import annotations

__all__ = ["PROMPT_CODE", "PROMPT_DEFAULT", "PROMPT_QA", "TASKS", "UPDATE_CONTEXT", "make_prompt"]

UPDATE_CONTEXT = "UPDATE CONTEXT"
TASKS = ("code", "qa", "default")

_CODE_RULES = """Rule 1. Do NOT install any package: everything you need is already installed.
Rule 2. Write code in a fenced block of this form:
```language
# your code
```"""

PROMPT_DEFAULT = f"""You are a chatbot with retrieval augmentation: you answer the user's question from your own \
knowledge together with the context the user gives you. Work in two steps.
Step 1: from the question and the context, judge what the user wants: code written, or a question answered.
Step 2: reply according to that intent.
If you cannot answer the question, with the context or without it, reply with exactly `{UPDATE_CONTEXT}`.
If the user wants code, keep to these rules:
{_CODE_RULES}

If the user wants a question answered, make the answer as short as you can.

The user's question: {{input_question}}

The context: {{input_context}}

The context comes from: {{input_sources}}

If you can answer, finish your answer with the sources of the context in the form `Sources: source1, source2, ...`.
"""

PROMPT_CODE = f"""You are a coding assistant with retrieval augmentation: you answer the user's question from your \
own knowledge together with the context the user gives you.
If you cannot answer the question, with the context or without it, reply with exactly `{UPDATE_CONTEXT}`.
When you write code, keep to these rules:
{_CODE_RULES}

The user's question: {{input_question}}

The context: {{input_context}}
"""

PROMPT_QA = f"""You are a chatbot with retrieval augmentation: you answer the user's question from your own \
knowledge together with the context the user gives you.
If you cannot answer the question, with the context or without it, reply with exactly `{UPDATE_CONTEXT}`.
Make your answer as short as you can.

The user's question: {{input_question}}

The context: {{input_context}}
"""

_BY_TASK = {"code": PROMPT_CODE, "qa": PROMPT_QA, "default": PROMPT_DEFAULT}


def make_prompt(task: str, question: str, context: str, sources: list[str], customized_prompt: str = "") -> str:
    """The message for ``task``: ``customized_prompt`` if set (formatted with ``input_question`` and
    ``input_context``), else the task's prompt."""
    if customized_prompt:
        return customized_prompt.format(input_question=question, input_context=context)
    template = _BY_TASK[task.lower()]
    return template.format(input_question=question, input_context=context, input_sources=sources)
