"""QdrantRetrieveUserProxyAgent: RetrieveChat on an embedded on-disk Qdrant, end to end with the test server."""

from __future__ import annotations

from autogen import AssistantAgent
from autogen.agentchat.contrib.qdrant_retrieve_user_proxy_agent import QdrantRetrieveUserProxyAgent

from ...retrieval_corpus import write_corpus


def test_qdrant_rag_chat_sends_the_retrieved_chunk(server, llm_config, tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    rag = QdrantRetrieveUserProxyAgent(
        "rag",
        human_input_mode="NEVER",
        code_execution_config=False,
        retrieve_config={"task": "qa", "docs_path": str(corpus), "chunk_token_size": 300, "on_disk": True},
    )
    assert rag._vector_db.type == "qdrant"
    server.script("25 knots.")
    result = rag.initiate_chat(
        AssistantAgent("assistant", llm_config=llm_config),
        message=rag.message_generator,
        problem="How fast can the lifeboat go?",
        n_results=2,
    )
    assert "can reach 25 knots" in " ".join(server.chat_requests[0]["messages"][-1]["content"].split())
    assert result.summary == "25 knots."
    assert (tmp_path / "tmp" / "qdrant").is_dir()  # embedded, on disk
