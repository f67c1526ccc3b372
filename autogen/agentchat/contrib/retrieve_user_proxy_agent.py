"""RetrieveUserProxyAgent: a user proxy that answers with retrieved context (AutoGen 0.2's RetrieveChat).

It chunks ``docs_path`` into a vector store (once), retrieves the chunks nearest to the problem, and sends them
with the problem in a prompt (``retrieve_prompts``). When the assistant answers ``UPDATE CONTEXT``, it moves on
to the next results and starts the conversation again with them.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any, Callable, Literal, Optional, Union

from ...code_utils import UNKNOWN, extract_code
from ...formatting_utils import colored
from ...io.base import IOStream
from ...retrieve_utils import HASH_LENGTH, DocumentPathError, get_files_from_dir, split_files_to_chunks
from ..agent import Agent
from ..user_proxy_agent import UserProxyAgent
from .retrieve_config import parse_retrieve_config
from .retrieve_prompts import PROMPT_CODE, PROMPT_DEFAULT, PROMPT_QA, UPDATE_CONTEXT, make_prompt
from .vectordb.base import Document, QueryResults

__all__ = ["PROMPT_CODE", "PROMPT_DEFAULT", "PROMPT_QA", "RetrieveUserProxyAgent"]

Message = dict[str, Any]
RETRIES = 4  # times the UPDATE CONTEXT loop widens the search before giving up, as 0.2


def _say(text: str) -> None:
    IOStream.get_default().print(colored(text, "green"), flush=True)


def _text_of(message: Union[Message, str, None]) -> str:
    if isinstance(message, dict):
        content = message.get("content")
        return content if isinstance(content, str) else ""
    return message if isinstance(message, str) else ""


class RetrieveUserProxyAgent(UserProxyAgent):
    """(Experimental) A user proxy that solves a problem with chunks retrieved from a vector store.

    Start a chat with ``initiate_chat(assistant, message=agent.message_generator, problem=..., n_results=...,
    search_string=...)``.

    Args:
        name: the agent's name.
        human_input_mode: as UserProxyAgent ("ALWAYS" by default, as 0.2).
        is_termination_msg: default: the chat ends on a message with no code and no ``UPDATE CONTEXT``.
        retrieve_config: 0.2's keys: ``task`` ("code"/"qa"/"default"), ``vector_db`` (a name or a VectorDB;
            default "chroma" at ``tmp/db``), ``db_config``, ``client``, ``docs_path``, ``extra_docs``, ``new_docs``,
            ``collection_name``, ``get_or_create``, ``overwrite``, ``model``, ``chunk_token_size``,
            ``context_max_tokens``, ``chunk_mode``, ``must_break_at_empty_line``, ``embedding_model``,
            ``embedding_function``, ``customized_prompt``, ``customized_answer_prefix``, ``update_context``,
            ``custom_token_count_function``, ``custom_text_split_function``, ``custom_text_types``,
            ``recursive``, ``distance_threshold``.
        **kwargs: other UserProxyAgent arguments.

    Raises:
        ValueError / TypeError: a bad ``retrieve_config`` value (an unknown task or store name, ...).
    """

    def __init__(
        self,
        name: str = "RetrieveChatAgent",
        human_input_mode: Literal["ALWAYS", "NEVER", "TERMINATE"] = "ALWAYS",
        is_termination_msg: Optional[Callable[[Message], bool]] = None,
        retrieve_config: Optional[dict[str, Any]] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            name=name,
            human_input_mode=human_input_mode,
            is_termination_msg=is_termination_msg or self._is_termination_msg_retrievechat,
            **kwargs,
        )
        self._retrieve_config = dict(retrieve_config or {})
        settings = parse_retrieve_config(self._retrieve_config)
        self._settings = settings
        self._task = settings.task
        self._vector_db = settings.vector_db
        self._docs_path = settings.docs_path
        self._collection_name = settings.collection_name
        self._model = settings.model
        self.customized_prompt = settings.customized_prompt
        self.customized_answer_prefix = settings.customized_answer_prefix
        self.update_context = settings.update_context
        self.custom_token_count_function = settings.custom_token_count_function
        self._context_max_tokens = settings.context_max_tokens
        self._collection_ready = False
        self.problem = ""
        self.n_results = 20
        self._search_string = ""
        self._results: QueryResults = []
        self._reset()
        self.register_reply(Agent, RetrieveUserProxyAgent._generate_retrieve_user_reply, position=1)
        self.register_hook("process_message_before_send", self._check_update_context_before_send)

    # ---- state -------------------------------------------------------------------------------------------
    def _reset(self, intermediate: bool = False) -> None:
        """Forget the results used so far (``intermediate``: keep the chunks already given)."""
        self._doc_idx = -1
        self._current_docs_in_context: list[str] = []
        if not intermediate:
            self._intermediate_answers: set[str] = set()
            self._doc_contents: list[str] = []
            self._doc_ids: list[Any] = []

    # ---- the vector store --------------------------------------------------------------------------------
    def _chunk_id(self, chunk: str) -> str:
        if self._vector_db.type == "qdrant":  # Qdrant accepts only UUIDs or integers as ids
            return str(uuid.UUID(hex=hashlib.md5(chunk.encode("utf-8")).hexdigest()))
        return hashlib.blake2b(chunk.encode("utf-8")).hexdigest()[:HASH_LENGTH]

    def _chunks_of_docs_path(self) -> list[Document]:
        s = self._settings
        assert s.docs_path is not None
        files = get_files_from_dir(s.docs_path, s.custom_text_types, s.recursive)
        if not files:
            raise DocumentPathError(
                f"docs_path {s.docs_path!r} holds no document of the types {list(s.custom_text_types)}: add documents "
                "or set custom_text_types."
            )
        chunks, sources = split_files_to_chunks(
            files, s.chunk_token_size, s.chunk_mode, s.must_break_at_empty_line, s.custom_text_split_function
        )
        if not chunks:
            raise DocumentPathError(f"the documents at docs_path {s.docs_path!r} hold no text to retrieve.")
        docs: dict[str, Document] = {}
        for chunk, source in zip(chunks, sources):
            docs.setdefault(self._chunk_id(chunk), {"content": chunk, "metadata": source})
        return [{"id": doc_id, **doc} for doc_id, doc in docs.items()]

    def _collection_exists(self) -> bool:
        try:
            self._vector_db.get_collection(self._collection_name)
        except ValueError:
            return False
        return True

    def _init_db(self) -> None:
        """Fill the collection from ``docs_path`` (the chunks not in it yet), or check it exists without one."""
        s = self._settings
        exists = self._collection_exists()
        if s.docs_path is None:
            if not exists:
                raise ValueError(
                    f"retrieve_config has no docs_path and the collection {self._collection_name!r} does not exist: "
                    "give docs_path, or the collection_name of a filled collection."
                )
            self._vector_db.create_collection(self._collection_name, overwrite=False, get_or_create=True)
            return
        chunk_new = s.new_docs or s.overwrite or not exists or not s.get_or_create
        docs = self._chunks_of_docs_path() if chunk_new else []
        self._vector_db.create_collection(self._collection_name, overwrite=s.overwrite, get_or_create=s.get_or_create)
        if docs and s.new_docs and not s.overwrite:
            known = {d["id"] for d in self._vector_db.get_docs_by_ids(None, self._collection_name, include=[])}
            docs = [d for d in docs if d["id"] not in known]
        self._vector_db.insert_docs(docs, self._collection_name, upsert=True)

    def _check_not_empty(self, results: QueryResults) -> None:
        if any(results) or self._vector_db.get_docs_by_ids(None, self._collection_name, include=[]):
            return
        raise ValueError(
            f"the collection {self._collection_name!r} is empty: give docs_path (with documents) to fill it, or "
            "choose a filled collection_name."
        )

    def retrieve_docs(self, problem: str, n_results: int = 20, search_string: str = "") -> None:
        """Retrieve the ``n_results`` chunks nearest to ``problem`` (only chunks containing ``search_string``
        when it is set) into ``self._results``; the collection is filled on the first call."""
        if not self._collection_ready:
            self._init_db()
            self._collection_ready = True
        kwargs: dict[str, Any] = {}
        if search_string and self._vector_db.type == "chroma":
            kwargs["where_document"] = {"$contains": search_string}
        results = self._vector_db.retrieve_docs(
            queries=[problem],
            n_results=n_results,
            collection_name=self._collection_name,
            distance_threshold=self._settings.distance_threshold,
            **kwargs,
        )
        if search_string and self._vector_db.type != "chroma":
            results = [[(d, dist) for d, dist in query if search_string in d.get("content", "")] for query in results]
        self._check_not_empty(results)
        self._search_string = search_string
        self._results = results
        _say(f"VectorDB returns doc_ids: {[[doc['id'] for doc, _ in query] for query in results]}")

    # ---- the context -------------------------------------------------------------------------------------
    def _get_context(self, results: QueryResults) -> str:
        """The next chunks of ``results`` that fit in ``context_max_tokens`` (at most ``n_results``)."""
        contents = ""
        self._current_docs_in_context = []
        used = 0
        added = 0
        for idx, (doc, _) in enumerate(results[0] if results else []):
            if idx <= self._doc_idx or doc["id"] in self._doc_ids:
                continue
            tokens = self.custom_token_count_function(doc["content"], self._model)
            if tokens > self._context_max_tokens:
                _say(f"Skip doc_id {doc['id']} as it is too long to fit in the context.")
                self._doc_idx = idx
                continue
            if used + tokens > self._context_max_tokens:
                break
            _say(f"Adding content of doc {doc['id']} to context.")
            used += tokens
            contents += doc["content"] + "\n"
            metadata = doc.get("metadata")
            if isinstance(metadata, dict):
                self._current_docs_in_context.append(metadata.get("source", ""))
            self._doc_idx = idx
            self._doc_ids.append(doc["id"])
            self._doc_contents.append(doc["content"])
            added += 1
            if added >= self.n_results:
                break
        return contents

    def _generate_message(self, doc_contents: str, task: str = "default") -> str:
        """The prompt for the problem with ``doc_contents``; "TERMINATE" when there is no context left."""
        if not doc_contents:
            _say("No more context, will terminate.")
            return "TERMINATE"
        sources = self._current_docs_in_context
        return make_prompt(task, self.problem, doc_contents, sources, self.customized_prompt or "")

    def _next_context(self, query: str, append: bool) -> str:
        """More context for ``query``: the next unused results, else a search 3, 5, 7, 9 times wider.
        ``append`` (the customized-answer-prefix case) gives every chunk used so far plus the new ones."""
        if not append:
            contents = self._get_context(self._results)
            if contents:
                return contents
        for attempt in range(0 if append else 1, RETRIES + 1):
            wanted = self.n_results * (2 * attempt + 1)
            self._reset(intermediate=True)
            self.retrieve_docs(query, wanted, self._search_string)
            contents = self._get_context(self._results)
            if append:
                contents = "\n".join(self._doc_contents)
            if contents or wanted > len(self._results[0]):  # fewer results than asked: none left
                return contents
        return ""

    # ---- UPDATE CONTEXT ----------------------------------------------------------------------------------
    def _check_update_context(self, message: Union[Message, str, None]) -> tuple[bool, bool]:
        """(asks for more context, lacks the customized answer prefix)."""
        text = _text_of(message)
        asks = UPDATE_CONTEXT in text[-20:].upper() or UPDATE_CONTEXT in text[:20].upper()
        lacks_prefix = bool(self.customized_answer_prefix) and self.customized_answer_prefix not in text.upper()
        return asks, lacks_prefix

    def _is_termination_msg_retrievechat(self, message: Union[Message, str]) -> bool:
        """The default termination test: no code block and no request for more context."""
        text = _text_of(message)
        if isinstance(message, dict) and message.get("content") is None:
            return False
        has_code = any(lang != UNKNOWN for lang, _ in extract_code(text))
        asks, lacks_prefix = self._check_update_context(text)
        return not (has_code or asks or lacks_prefix)

    def _generate_retrieve_user_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Optional[str]]:
        """On ``UPDATE CONTEXT`` (or an answer without the customized prefix): restart with new context."""
        if messages is None:
            messages = self._oai_messages[sender]
        message = messages[-1]
        asks, lacks_prefix = self._check_update_context(message)
        if not ((asks or lacks_prefix) and self.update_context):
            return False, None
        _say("Updating context and resetting conversation.")
        first_line = _text_of(message).split("\n")[0].strip()
        intermediate = re.split(r"(?<=[.!?])\s+", first_line)[0]
        self._intermediate_answers.add(intermediate)
        if asks:
            doc_contents = self._next_context(self.problem, append=False)
        else:
            doc_contents = self._next_context(intermediate, append=True)
        self.clear_history()
        clear_sender = getattr(sender, "clear_history", None)
        if clear_sender is not None:
            clear_sender()
        return True, self._generate_message(doc_contents, task=self._task)

    def _check_update_context_before_send(
        self, sender: Agent, message: Union[Message, str], recipient: Agent, silent: bool
    ) -> Union[Message, str]:
        """A human who types ``UPDATE CONTEXT`` sends the problem with the next context instead."""
        if _text_of(message).strip().upper() != UPDATE_CONTEXT:
            return message
        text = self._generate_message(self._next_context(self.problem, append=False), task=self._task)
        if isinstance(message, dict):
            return {**message, "content": text}
        return text

    # ---- starting a chat ---------------------------------------------------------------------------------
    @staticmethod
    def message_generator(sender: RetrieveUserProxyAgent, recipient: Any, context: dict[str, Any]) -> str:
        """The first message of a RetrieveChat: the problem with its retrieved context.

        Use as ``initiate_chat(assistant, message=rag.message_generator, problem=..., n_results=20,
        search_string="")``: ``problem`` is the question, ``n_results`` how many chunks to give at most,
        ``search_string`` keeps only chunks containing it.
        """
        sender._reset()
        problem = context.get("problem", "")
        n_results = context.get("n_results", 20)
        search_string = context.get("search_string", "")
        sender.retrieve_docs(problem, n_results, search_string)
        sender.problem = problem
        sender.n_results = n_results
        return sender._generate_message(sender._get_context(sender._results), sender._task)

    def run_code(self, code: str, **kwargs: Any) -> tuple[int, str, Any]:
        """Run code as UserProxyAgent does, but refuse package installs (the prompt forbids them)."""
        lang = kwargs.get("lang")
        if code.startswith(("!", "pip")) or lang in ("bash", "shell", "sh"):
            return 0, "You MUST NOT install any packages because all the packages needed are already installed.", None
        return super().run_code(code, **kwargs)
