"""Retrieval quality on every store: 30 documents (.md .txt .pdf .html .py), 20 questions each answered in
exactly one chunk. The right chunk must rank first for at least 18 of them, and the prompt the model receives
(read back from the test server's request log) must contain it."""

from __future__ import annotations

import pytest

from autogen import AssistantAgent
from autogen.agentchat.contrib.retrieve_user_proxy_agent import RetrieveUserProxyAgent

from ....retrieval_corpus import DOCS, QUESTIONS, write_corpus
from .conftest import STORES

MIN_RIGHT_FIRST = 18


def _normalized(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
@pytest.mark.parametrize("kind", STORES)
def test_the_right_chunk_ranks_first_and_reaches_the_model(kind, make_store, server, llm_config, tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    rag = RetrieveUserProxyAgent(
        "rag",
        human_input_mode="NEVER",
        code_execution_config=False,
        retrieve_config={
            "task": "qa",
            "vector_db": make_store(kind),
            "docs_path": str(corpus),
            "collection_name": "quality",
            "chunk_token_size": 300,
        },
    )
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    server.default_reply = "noted"
    right_first, in_prompt = [], []
    for question, file, answer in QUESTIONS:
        rag.initiate_chat(assistant, message=rag.message_generator, problem=question, n_results=3, silent=True)
        top = rag._results[0][0][0]
        if top["metadata"]["source"].endswith("/" + file) and answer in _normalized(top["content"]):
            right_first.append(question)
            prompt = server.chat_requests[-1]["messages"][-1]["content"]
            if top["content"] in prompt and question in prompt:
                in_prompt.append(question)
    print(f"\n{kind}: right chunk first for {len(right_first)}/{len(QUESTIONS)}; in the prompt for {len(in_prompt)}")
    assert len(rag._vector_db.get_docs_by_ids(None, "quality")) == len(DOCS)  # one chunk per document
    assert len(right_first) >= MIN_RIGHT_FIRST, sorted(set(q for q, _, _ in QUESTIONS) - set(right_first))
    assert in_prompt == right_first
    assert len(server.chat_requests) == len(QUESTIONS)
