"""RetrieveUserProxyAgent + RetrieveAssistantAgent end to end: real Chroma store, offline embeddings, the test
server as the model. What the model receives is read back from the server's request log."""

from __future__ import annotations

import pytest

from autogen import AssistantAgent, GroupChat, GroupChatManager
from autogen.agentchat.contrib.retrieve_assistant_agent import RetrieveAssistantAgent
from autogen.agentchat.contrib.retrieve_user_proxy_agent import RetrieveUserProxyAgent
from autogen.agentchat.contrib.vectordb.chromadb import ChromaVectorDB
from autogen.retrieve_utils import DocumentPathError

from ...retrieval_corpus import write_corpus

MAYOR = "Who is the mayor of the town?"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def rag_agent(corpus, **config):
    retrieve_config = {"task": "qa", "docs_path": str(corpus), "chunk_token_size": 300, **config}
    return RetrieveUserProxyAgent(
        "rag", human_input_mode="NEVER", code_execution_config=False, retrieve_config=retrieve_config
    )


def last_user_text(request: dict) -> str:
    return request["messages"][-1]["content"]


def test_the_model_gets_the_question_with_the_retrieved_chunk(server, llm_config, corpus, start):
    server.script("Priya Okonjo.")
    rag = rag_agent(corpus)
    assistant = RetrieveAssistantAgent("assistant", llm_config=llm_config)
    result = start(rag, assistant, message=rag.message_generator, problem=MAYOR, n_results=2)
    assert len(server.chat_requests) == 1  # an answer without code ends the chat
    prompt = last_user_text(server.chat_requests[0])
    assert MAYOR in prompt and "The current mayor is Priya Okonjo" in prompt
    assert "exactly `UPDATE CONTEXT`" in prompt  # the qa prompt's instruction
    assert result.summary == "Priya Okonjo."


def test_n_results_limits_the_chunks_in_the_prompt(server, llm_config, corpus):
    server.script("ok")
    rag = rag_agent(corpus)
    rag.initiate_chat(
        AssistantAgent("a", llm_config=llm_config), message=rag.message_generator, problem=MAYOR, n_results=3
    )
    assert len(rag._doc_ids) == 3
    prompt = last_user_text(server.chat_requests[0])
    assert all(content in prompt for content in rag._doc_contents)


def test_update_context_moves_on_to_the_next_chunks_and_restarts(server, llm_config, corpus):
    server.script("UPDATE CONTEXT", "UPDATE CONTEXT", "The answer.")
    rag = rag_agent(corpus)
    assistant = RetrieveAssistantAgent("assistant", llm_config=llm_config)
    rag.initiate_chat(assistant, message=rag.message_generator, problem=MAYOR, n_results=1)
    prompts = [last_user_text(r) for r in server.chat_requests]
    assert len(prompts) == 3
    assert "Priya Okonjo" in prompts[0]
    assert "Priya Okonjo" not in prompts[1] and "Priya Okonjo" not in prompts[2]
    assert len(set(rag._doc_ids)) == 3  # three different chunks, one per round
    assert all(MAYOR in p for p in prompts)
    # the conversation restarts: the model sees only the system message and the new prompt
    assert [m["role"] for m in server.chat_requests[2]["messages"]] == ["system", "user"]


def test_update_context_beyond_the_results_widens_the_search(server, llm_config, corpus):
    server.script(*["UPDATE CONTEXT"] * 4, "done")
    rag = rag_agent(corpus)
    rag.initiate_chat(
        RetrieveAssistantAgent("assistant", llm_config=llm_config),
        message=rag.message_generator,
        problem=MAYOR,
        n_results=1,
    )
    assert len(server.chat_requests) == 5
    assert len(set(rag._doc_ids)) == 5


def test_default_task_names_the_sources(server, llm_config, corpus):
    server.script("Priya Okonjo. Sources: council.html")
    rag = rag_agent(corpus, task="default")
    rag.initiate_chat(
        AssistantAgent("a", llm_config=llm_config), message=rag.message_generator, problem=MAYOR, n_results=1
    )
    prompt = last_user_text(server.chat_requests[0])
    assert str(corpus / "council.html") in prompt and "Sources: source1, source2" in prompt


def test_customized_prompt_and_search_string(server, llm_config, corpus):
    server.script("ok")
    rag = rag_agent(corpus, customized_prompt="Q={input_question}\nC={input_context}")
    rag.initiate_chat(
        AssistantAgent("a", llm_config=llm_config),
        message=rag.message_generator,
        problem=MAYOR,
        n_results=5,
        search_string="lifeboat",
    )
    prompt = last_user_text(server.chat_requests[0])
    assert prompt.startswith(f"Q={MAYOR}\nC=")
    assert "Shannon class" in prompt and "Priya Okonjo" not in prompt


def test_code_task_refuses_package_installs(corpus):
    rag = rag_agent(corpus, task="code")
    assert "MUST NOT install" in rag.run_code("pip install numpy", lang="sh")[1]


def test_an_answer_with_code_does_not_end_the_chat(corpus):
    rag = rag_agent(corpus, task="code")
    assert not rag._is_termination_msg_retrievechat({"content": "```python\nprint(1)\n```"})
    assert not rag._is_termination_msg_retrievechat({"content": "UPDATE CONTEXT"})
    assert rag._is_termination_msg_retrievechat({"content": "The answer is 4."})


# ---- as a group-chat member and as a function the assistant calls -------------------------------------------
def test_retrieval_as_a_tool_the_assistant_calls(server, llm_config, corpus):
    rag = rag_agent(corpus)
    assistant = AssistantAgent("assistant", llm_config=llm_config)

    def retrieve_content(message: str, n_results: int = 3) -> str:
        rag.n_results = n_results
        return rag.message_generator(rag, None, {"problem": message, "n_results": n_results}) or message

    assistant.register_for_llm(description="Retrieve content for the question.")(retrieve_content)
    rag.register_for_execution()(retrieve_content)
    server.script({"tool_calls": [{"name": "retrieve_content", "arguments": '{"message": "Who is the mayor?"}'}]})
    server.script("Priya Okonjo. TERMINATE")
    rag.initiate_chat(assistant, message=MAYOR, max_turns=2)
    tool_result = server.chat_requests[1]["messages"][-1]
    assert tool_result["role"] == "tool" and "Priya Okonjo" in tool_result["content"]


def test_rag_agent_as_a_group_chat_member(server, llm_config, corpus):
    rag = rag_agent(corpus)
    coder = AssistantAgent("coder", llm_config=llm_config)
    group = GroupChat([rag, coder], messages=[], max_round=2, speaker_selection_method="round_robin")
    manager = GroupChatManager(group, llm_config=llm_config)
    server.script("Priya Okonjo.")
    rag.initiate_chat(manager, message=rag.message_generator, problem=MAYOR, n_results=2)
    assert "Priya Okonjo" in last_user_text(server.chat_requests[0])
    assert group.messages[-1]["content"] == "Priya Okonjo."


# ---- bad input ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("config", "error"),
    [
        (
            {"task": "summarise"},
            r"retrieve_config\['task'\] must be one of \['code', 'qa', 'default'\], not 'summarise'",
        ),
        ({"vector_db": "faiss"}, r"'faiss'.*one of \['chroma', 'pgvector', 'mongodb', 'qdrant'\]"),
        ({"chunk_mode": "pages"}, r"chunk_mode.*'pages'"),
    ],
)
def test_bad_config_values_are_refused_at_construction(config, error):
    with pytest.raises(ValueError, match=error):
        RetrieveUserProxyAgent("rag", retrieve_config={"docs_path": None, **config})


def test_a_missing_docs_path_is_named(server, llm_config):
    rag = RetrieveUserProxyAgent("rag", human_input_mode="NEVER", retrieve_config={"docs_path": "no/docs/here"})
    with pytest.raises(DocumentPathError, match="'no/docs/here' does not exist"):
        rag.initiate_chat(AssistantAgent("a", llm_config=llm_config), message=rag.message_generator, problem="q")
    assert server.chat_requests == []


def test_a_folder_without_documents_is_named(tmp_path, llm_config):
    (tmp_path / "empty").mkdir()
    rag = rag_agent(tmp_path / "empty")
    with pytest.raises(DocumentPathError, match="holds no document of the types"):
        rag.retrieve_docs("q")


def test_no_docs_path_and_no_collection(llm_config):
    rag = RetrieveUserProxyAgent("rag", retrieve_config={"docs_path": None, "collection_name": "missing"})
    with pytest.raises(ValueError, match=r"no docs_path and the collection 'missing' does not exist"):
        rag.retrieve_docs("q")


def test_an_empty_collection_is_named():
    db = ChromaVectorDB(path="tmp/db")
    db.create_collection("empty-one")
    rag = RetrieveUserProxyAgent(
        "rag", retrieve_config={"docs_path": None, "vector_db": db, "collection_name": "empty-one"}
    )
    with pytest.raises(ValueError, match=r"collection 'empty-one' is empty: give docs_path"):
        rag.retrieve_docs("q")


def test_an_existing_collection_is_kept_unless_overwrite(corpus, tmp_path):
    rag_agent(corpus).retrieve_docs(MAYOR, 1)
    db = ChromaVectorDB(path="tmp/db")
    before = len(db.get_docs_by_ids(None, "autogen-docs"))
    assert before == 30
    other = tmp_path / "other"
    other.mkdir()
    (other / "one.md").write_text("A single new document about otters in the river.")
    with pytest.raises(ValueError, match=r"'autogen-docs' already exists: pass get_or_create=True"):
        rag_agent(other).retrieve_docs("otters", 1)
    assert len(db.get_docs_by_ids(None, "autogen-docs")) == before
    # get_or_create adds only the new chunks
    rag_agent(other, get_or_create=True).retrieve_docs("otters", 1)
    assert len(db.get_docs_by_ids(None, "autogen-docs")) == before + 1
    rag_agent(other, overwrite=True).retrieve_docs("otters", 1)
    assert len(db.get_docs_by_ids(None, "autogen-docs")) == 1


def test_an_existing_collection_is_used_without_docs_path(corpus, server, llm_config):
    rag_agent(corpus).retrieve_docs(MAYOR, 1)
    server.script("ok")
    rag = RetrieveUserProxyAgent("rag", human_input_mode="NEVER", retrieve_config={"docs_path": None, "task": "qa"})
    rag.initiate_chat(
        AssistantAgent("a", llm_config=llm_config), message=rag.message_generator, problem=MAYOR, n_results=1
    )
    assert "Priya Okonjo" in last_user_text(server.chat_requests[0])


def test_unknown_config_keys_warn():
    with pytest.warns(UserWarning, match=r"\['n_result'\] are unknown"):
        RetrieveUserProxyAgent("rag", retrieve_config={"docs_path": None, "n_result": 3})


def test_signatures_follow_the_spec():
    import inspect

    from autogen.agentchat.contrib.capabilities.teachability import Teachability

    def defaults(func):
        return {n: p.default for n, p in inspect.signature(func).parameters.items() if n != "self"}

    assert defaults(RetrieveUserProxyAgent.__init__) == {
        "name": "RetrieveChatAgent",
        "human_input_mode": "ALWAYS",
        "is_termination_msg": None,
        "retrieve_config": None,
        "kwargs": inspect.Parameter.empty,
    }
    assert defaults(Teachability.__init__) == {
        "verbosity": 0,
        "reset_db": False,
        "path_to_db_dir": "./tmp/teachable_agent_db",
        "recall_threshold": 1.5,
        "max_num_retrievals": 10,
        "llm_config": None,
    }


def test_a_human_typing_update_context_sends_the_next_chunks(server, llm_config, corpus, human):
    server.script("First answer.", "Second answer.")
    human.inputs.extend(["update context", "exit"])
    rag = RetrieveUserProxyAgent(
        "rag",
        human_input_mode="ALWAYS",
        code_execution_config=False,
        retrieve_config={"task": "qa", "docs_path": str(corpus), "chunk_token_size": 300},
    )
    rag.initiate_chat(
        AssistantAgent("a", llm_config=llm_config), message=rag.message_generator, problem=MAYOR, n_results=1
    )
    first, second = (last_user_text(r) for r in server.chat_requests)
    assert "Priya Okonjo" in first
    assert second.startswith("You are a chatbot with retrieval augmentation") and MAYOR in second
    assert "Priya Okonjo" not in second
    assert len(set(rag._doc_ids)) == 2
