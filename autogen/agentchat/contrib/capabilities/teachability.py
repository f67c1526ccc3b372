"""Teachability: an agent remembers what users teach it, across conversations and processes (AutoGen 0.2).

Each message the agent receives is analysed by a TextAnalyzerAgent: information worth remembering is stored as
a question-answer memo, advice for a task as a task-advice memo, in a Chroma collection at ``path_to_db_dir``.
Memos near a new message are appended to it ("# Memories that might help") before the agent answers.
The memos live in Chroma only (text, answer in metadata): no pickle file is read.
"""

from __future__ import annotations

import os
from typing import Any, Optional, Union

from ....code_utils import content_str
from ....formatting_utils import colored
from ....io.base import IOStream
from ..text_analyzer_agent import TextAnalyzerAgent
from ..vectordb.chromadb import ChromaVectorDB
from .agent_capability import AgentCapability

__all__ = ["MemoStore", "Teachability"]

COLLECTION = "memos"
ASKS_FOR_TASK = (
    "Does any part of the TEXT ask the agent to carry out a task or solve a problem? "
    "Answer with one word only: yes or no."
)
COPY_ADVICE = (
    "Copy, briefly, any advice in the TEXT that could help with a similar but different task later. If the TEXT "
    "holds no advice, answer just 'none'."
)
COPY_TASK = "Copy, briefly, only the task from the TEXT, then stop. Do not solve it and do not include any advice."
GENERALIZE_TASK = (
    "Summarise very briefly, in general terms, what kind of task the TEXT describes. Leave out details that a "
    "similar problem might not share."
)
HAS_INFORMATION = (
    "Does the TEXT contain information that could be committed to memory? Answer with one word only: yes or no."
)
QUESTION_FOR_INFORMATION = (
    "Suppose the user forgot the information in the TEXT. How would they ask you for it? Answer with the question "
    "alone, with no other text."
)
COPY_INFORMATION = "Copy the information from the TEXT that should be committed to memory. Add no explanation."
SYSTEM_MESSAGE_ADDITION = (
    "\nYou have been given the special ability to remember what users teach you in earlier conversations."
)


def _say(text: str, color: str = "light_yellow") -> None:
    IOStream.get_default().print(colored(text, color), flush=True)


class MemoStore:
    """Memos (input text -> output text) in a persistent Chroma collection, found by embedding distance.

    Distances are squared L2 between normalised embeddings (0 = same meaning, 4 = opposite), as in 0.2.

    Args:
        verbosity: 0 quiet, 1 memo operations, 3 also lists the memos when loaded.
        reset: delete every memo first.
        path_to_db_dir: the folder of the Chroma store.
    """

    def __init__(self, verbosity: int, reset: bool, path_to_db_dir: str) -> None:
        self.verbosity = verbosity
        self.path_to_db_dir = path_to_db_dir
        self.db = ChromaVectorDB(path=path_to_db_dir, metadata={"hnsw:space": "l2"})
        self.vec_db = self.db.create_collection(COLLECTION, get_or_create=True)
        self.last_memo_id = self.vec_db.count()
        if self.last_memo_id and not reset:
            _say(f"\nLOADING MEMORY FROM DISK\n    Location = {os.path.abspath(path_to_db_dir)}", "light_green")
            if verbosity >= 3:
                self.list_memos()
        if reset:
            self.reset_db()

    def reset_db(self) -> None:
        """Forget every memo."""
        _say("\nCLEARING MEMORY", "light_green")
        self.vec_db = self.db.create_collection(COLLECTION, overwrite=True)
        self.last_memo_id = 0

    def list_memos(self) -> None:
        """Print every memo."""
        _say("LIST OF MEMOS", "light_green")
        for doc in self.db.get_docs_by_ids(None, COLLECTION):
            output = (doc.get("metadata") or {}).get("output", "")
            _say(f"  ID: {doc['id']}\n    INPUT TEXT: {doc['content']}\n    OUTPUT TEXT: {output}", "light_green")

    def add_input_output_pair(self, input_text: str, output_text: str) -> None:
        """Store a memo: retrieved when a text near ``input_text`` comes; ``output_text`` is what is recalled."""
        self.last_memo_id += 1
        doc = {"id": str(self.last_memo_id), "content": input_text, "metadata": {"output": output_text}}
        self.db.insert_docs([doc], COLLECTION, upsert=True)  # type: ignore[list-item]
        if self.verbosity >= 1:
            _say(
                f"\nINPUT-OUTPUT PAIR ADDED TO VECTOR DATABASE:\n  ID\n    {self.last_memo_id}\n  INPUT\n"
                f"    {input_text}\n  OUTPUT\n    {output_text}\n"
            )

    def _query(self, query_text: str, n_results: int) -> list[tuple[str, str, float]]:
        n_results = min(n_results, self.vec_db.count())
        if n_results <= 0:
            return []
        (found,) = self.db.retrieve_docs([query_text], COLLECTION, n_results)
        return [(doc["content"], (doc.get("metadata") or {}).get("output", ""), dist) for doc, dist in found]

    def get_nearest_memo(self, query_text: str) -> Optional[tuple[str, str, float]]:
        """The nearest memo as (input, output, distance), or None when there is none."""
        found = self._query(query_text, 1)
        if found and self.verbosity >= 1:
            _say(
                f"\nINPUT-OUTPUT PAIR RETRIEVED FROM VECTOR DATABASE:\n  INPUT1\n    {found[0][0]}\n  OUTPUT\n"
                f"    {found[0][1]}\n  DISTANCE\n    {found[0][2]}"
            )
        return found[0] if found else None

    def get_related_memos(
        self, query_text: str, n_results: int, threshold: Union[int, float]
    ) -> list[tuple[str, str, float]]:
        """Up to ``n_results`` memos nearer than ``threshold``, as (input, output, distance)."""
        memos = [memo for memo in self._query(query_text, n_results) if memo[2] < threshold]
        if self.verbosity >= 1:
            for memo in memos:
                _say(
                    f"\nINPUT-OUTPUT PAIR RETRIEVED FROM VECTOR DATABASE:\n  INPUT1\n    {memo[0]}\n  OUTPUT\n"
                    f"    {memo[1]}\n  DISTANCE\n    {memo[2]}"
                )
        return memos

    def prepopulate(self) -> None:
        """Add a few unrelated example memos, so that retrieval is not trivially right."""
        examples = [
            ("By reports I always mean the quarterly sales reports, which are spreadsheets.", "yes"),
            ("Check that every library you suggested really supports Python 3.", "no"),
            ("Remind the writer that the output must stay in Markdown.", "no"),
            ("Tip: turn the scanned pages into text first, then answer from the text.", "yes"),
            ("A good slide deck needs one clear message per slide.", "yes"),
            ("No, this time put the tools in the rows and the criteria in the columns.", "no"),
        ]
        for text, label in examples:
            self.add_input_output_pair(text, label)


class Teachability(AgentCapability):
    """Gives an agent long-term memory of what users teach it.

    Args:
        verbosity: 0 quiet, 1 memo operations, 2 also the analyzer's messages, 3 also the memo list at start.
        reset_db: forget every memo first.
        path_to_db_dir: where the memos are kept (a Chroma folder); they persist across processes.
        recall_threshold: the largest distance at which a memo is recalled (squared L2 of normalised embeddings,
            0..4; higher recalls more).
        max_num_retrievals: the most memos recalled for one message.
        llm_config: the model of the text analyzer; default: the agent's.
    """

    def __init__(
        self,
        verbosity: Optional[int] = 0,
        reset_db: Optional[bool] = False,
        path_to_db_dir: Optional[str] = "./tmp/teachable_agent_db",
        recall_threshold: Optional[float] = 1.5,
        max_num_retrievals: Optional[int] = 10,
        llm_config: Optional[Union[dict[str, Any], bool]] = None,
    ) -> None:
        super().__init__()
        self.verbosity = verbosity or 0
        self.path_to_db_dir = path_to_db_dir or "./tmp/teachable_agent_db"
        self.recall_threshold = 1.5 if recall_threshold is None else recall_threshold
        self.max_num_retrievals = 10 if max_num_retrievals is None else max_num_retrievals
        self.llm_config = llm_config
        self.analyzer: Optional[TextAnalyzerAgent] = None
        self.teachable_agent: Any = None
        self.memo_store = MemoStore(self.verbosity, bool(reset_db), self.path_to_db_dir)

    def add_to_agent(self, agent: Any) -> None:
        """Make ``agent`` teachable: its received messages are analysed and completed with recalled memos.

        Raises:
            ValueError: neither this capability nor the agent has an llm_config for the analyzer.
        """
        llm_config = self.llm_config if self.llm_config is not None else agent.llm_config
        if not isinstance(llm_config, dict) or not llm_config:
            raise ValueError(
                f"Teachability needs a model for its text analyzer: give Teachability(llm_config=...) or an agent "
                f"with an llm_config ({agent.name!r} has none)."
            )
        self.llm_config = llm_config
        self.teachable_agent = agent
        self.analyzer = TextAnalyzerAgent(llm_config=llm_config)
        agent.register_hook("process_last_received_message", self.process_last_received_message)
        agent.update_system_message(agent.system_message + SYSTEM_MESSAGE_ADDITION)

    def prepopulate_db(self) -> None:
        """Add a few example memos (see MemoStore.prepopulate)."""
        self.memo_store.prepopulate()

    def process_last_received_message(self, text: Union[str, list[Any]]) -> Union[str, list[Any]]:
        """The hook: recall memos for ``text`` (appended to it), then store what it teaches."""
        if not isinstance(text, str):
            text = content_str(text)
        expanded = self._consider_memo_retrieval(text) if self.memo_store.last_memo_id > 0 else text
        self._consider_memo_storage(text)
        return expanded

    def _consider_memo_storage(self, comment: str) -> None:
        """Store a task-advice memo and/or a question-answer memo, when ``comment`` holds one."""
        if self._yes(comment, ASKS_FOR_TASK):
            advice = self._analyze(comment, COPY_ADVICE)
            if "none" not in advice.lower():
                general_task = self._analyze(self._analyze(comment, COPY_TASK), GENERALIZE_TASK)
                if self.verbosity >= 1:
                    _say("\nREMEMBER THIS TASK-ADVICE PAIR")
                self.memo_store.add_input_output_pair(general_task, advice)
        if self._yes(comment, HAS_INFORMATION):
            question = self._analyze(comment, QUESTION_FOR_INFORMATION)
            answer = self._analyze(comment, COPY_INFORMATION)
            if self.verbosity >= 1:
                _say("\nREMEMBER THIS QUESTION-ANSWER PAIR")
            self.memo_store.add_input_output_pair(question, answer)

    def _consider_memo_retrieval(self, comment: str) -> str:
        """``comment`` with the memos recalled by it (and by its generalised task, if it asks for one)."""
        if self.verbosity >= 1:
            _say("\nLOOK FOR RELEVANT MEMOS, AS QUESTION-ANSWER PAIRS")
        memos = self._retrieve_relevant_memos(comment)
        if self._yes(comment, ASKS_FOR_TASK):
            if self.verbosity >= 1:
                _say("\nLOOK FOR RELEVANT MEMOS, AS TASK-ADVICE PAIRS")
            general_task = self._analyze(self._analyze(comment, COPY_TASK), GENERALIZE_TASK)
            memos.extend(self._retrieve_relevant_memos(general_task))
        return comment + self._concatenate_memo_texts(list(dict.fromkeys(memos)))

    def _retrieve_relevant_memos(self, input_text: str) -> list[str]:
        memos = self.memo_store.get_related_memos(input_text, self.max_num_retrievals, self.recall_threshold)
        if self.verbosity >= 1 and not memos:
            _say("\nTHE CLOSEST MEMO IS BEYOND THE THRESHOLD:")
            self.memo_store.get_nearest_memo(input_text)
        return [output for _, output, _ in memos]

    def _concatenate_memo_texts(self, memo_list: list[str]) -> str:
        if not memo_list:
            return ""
        info = "\n# Memories that might help\n" + "".join(f"- {memo}\n" for memo in memo_list)
        if self.verbosity >= 1:
            _say("\nMEMOS APPENDED TO LAST MESSAGE...\n" + info + "\n")
        return "\n" + info

    def _yes(self, text: str, question: str) -> bool:
        return "yes" in self._analyze(text, question).lower()

    def _analyze(self, text_to_analyze: str, analysis_instructions: str) -> str:
        """The analyzer's answer to ``analysis_instructions`` about ``text_to_analyze``."""
        assert self.analyzer is not None, "add the capability to an agent first"
        reply = self.analyzer.analyze_text(text_to_analyze, analysis_instructions)
        if self.verbosity >= 2:
            _say(f"analyzer: {analysis_instructions}\n-> {reply}", "light_blue")
        return content_str(reply.get("content") if isinstance(reply, dict) else reply)
