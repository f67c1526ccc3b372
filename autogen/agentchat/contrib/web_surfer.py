"""WebSurferAgent: an agent that answers by browsing the web with a :class:`SimpleTextBrowser`.

Each message it must answer is handed to an inner pair of agents (as in 0.2): an assistant with
browser tools (web search, visit page, page up/down, find on page, answer from page, summarize page)
and a user proxy that runs them. The inner chat ends when the assistant answers without calling a
tool, and that answer is the surfer's reply. Needs ``pip install "autogen[websurfer]"``.
"""

from __future__ import annotations

import copy
import inspect
import re
from datetime import datetime
from typing import Annotated, Any, Callable, Literal, Optional, Union

from ..._sync import in_worker_thread, run_sync
from ...browser_utils import SimpleTextBrowser
from ...code_utils import content_str
from ...oai.client import OpenAIWrapper
from ...token_count_utils import count_token, get_max_token_limit
from .. import _engine as engine
from .._llm_reply import model_answer
from ..agent import Agent
from ..assistant_agent import AssistantAgent
from ..chat_run import ChatRun, activated, run_or_new
from ..conversable_agent import ConversableAgent
from ..user_proxy_agent import UserProxyAgent

__all__ = ["MAX_BROWSING_STEPS", "SUMMARIZER_SYSTEM_MESSAGE", "WebSurferAgent"]

SUMMARIZER_SYSTEM_MESSAGE = "You read long documents and summarize them so that they answer questions."
_FIRST_LINK = re.compile(r"\[.*?\]\((https?://.*?)\)")
_RESERVED_TOKENS = 1024  # left for the summarizer's answer
MAX_BROWSING_STEPS = 30  # tool rounds of the inner chat for one reply

Message = dict[str, Any]


def _calls_no_tool(message: Message) -> bool:
    """The inner chat ends on an assistant message that calls no tool."""
    return not message.get("tool_calls") and not message.get("function_call")


class WebSurferAgent(ConversableAgent):
    """(In preview) An agent that browses the web to answer.

    Args:
        name: the agent's name.
        system_message: the system message of the inner assistant that uses the browser.
        description: how other agents (a group chat manager) see it.
        llm_config: the model that drives the browser (None/False: no tools, no answers).
        summarizer_llm_config: the model of ``answer_from_page``/``summarize_page``; None: ``llm_config``;
            False: those two tools are left out.
        browser_config: arguments of :class:`SimpleTextBrowser` (``viewport_size``, ``bing_api_key``,
            ``search_backend``, ``downloads_folder``, ``request_kwargs``, ...).
        is_termination_msg, max_consecutive_auto_reply, human_input_mode, function_map,
        code_execution_config, default_auto_reply, **kwargs: as for ConversableAgent.

    The agent has one browser and one inner pair of agents: it serves one conversation at a time
    (as in 0.2); give each concurrent chat its own WebSurferAgent.

    Raises:
        TypeError: ``browser_config`` is not a dict or has a key SimpleTextBrowser does not take.
    """

    DEFAULT_PROMPT = (
        "You are a helpful AI assistant who can use a web browser through the functions you have been given. "
        "Nobody else in your team can browse the web, so help wherever you can: search the web, open and read "
        f"pages, and report what you find. Today's date is {datetime.now().date().isoformat()}."
    )
    DEFAULT_DESCRIPTION = (
        "An assistant that can use a web browser. Ask it to search the web, open pages (Wikipedia, for "
        "example), answer questions from a page, or summarize one."
    )

    def __init__(
        self,
        name: str,
        system_message: Optional[Union[str, list[Any]]] = DEFAULT_PROMPT,
        description: Optional[str] = DEFAULT_DESCRIPTION,
        is_termination_msg: Optional[Callable[[Message], bool]] = None,
        max_consecutive_auto_reply: Optional[int] = None,
        human_input_mode: Literal["ALWAYS", "NEVER", "TERMINATE"] = "TERMINATE",
        function_map: Optional[dict[str, Callable[..., Any]]] = None,
        code_execution_config: Union[dict[str, Any], Literal[False]] = False,
        llm_config: Optional[Union[dict[str, Any], Literal[False]]] = None,
        summarizer_llm_config: Optional[Union[dict[str, Any], Literal[False]]] = None,
        default_auto_reply: Union[str, Message] = "",
        browser_config: Optional[dict[str, Any]] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            name=name,
            system_message=system_message,
            description=description,
            is_termination_msg=is_termination_msg,
            max_consecutive_auto_reply=max_consecutive_auto_reply,
            human_input_mode=human_input_mode,
            function_map=function_map,
            code_execution_config=code_execution_config,
            llm_config=llm_config,
            default_auto_reply=default_auto_reply,
            **kwargs,
        )
        self._create_summarizer_client(summarizer_llm_config, llm_config)
        self.browser = SimpleTextBrowser(**_checked_browser_config(browser_config))
        inner_llm_config = copy.deepcopy(llm_config)
        self._assistant = AssistantAgent(
            f"{self.name}_inner_assistant",
            system_message=system_message,  # type: ignore[arg-type]
            llm_config=inner_llm_config,
            is_termination_msg=lambda m: False,
        )
        self._user_proxy = UserProxyAgent(
            f"{self.name}_inner_user_proxy",
            human_input_mode="NEVER",
            code_execution_config=False,
            default_auto_reply="",
            is_termination_msg=_calls_no_tool,
            max_consecutive_auto_reply=MAX_BROWSING_STEPS,
        )
        if inner_llm_config not in (None, False):
            self._register_functions()
        # browsing replaces the model's reply; termination, human input, tools and code come first
        self.remove_reply_func(ConversableAgent.generate_oai_reply)
        self._register_builtin_reply(
            [Agent, None],
            WebSurferAgent.generate_surfer_reply,
            WebSurferAgent.a_generate_surfer_reply,
            _surfer_reply,
            position=len(self.reply_functions),
        )

    def _create_summarizer_client(
        self,
        summarizer_llm_config: Optional[Union[dict[str, Any], Literal[False]]],
        llm_config: Optional[Union[dict[str, Any], Literal[False]]],
    ) -> None:
        if summarizer_llm_config is None:
            summarizer_llm_config = llm_config or None
        if summarizer_llm_config is not None and summarizer_llm_config is not False:
            if not isinstance(summarizer_llm_config, dict):
                raise TypeError(
                    f"summarizer_llm_config must be an llm_config dict, None or False, not "
                    f"{type(summarizer_llm_config).__name__}"
                )
            self.summarizer_llm_config: Optional[dict[str, Any]] = summarizer_llm_config
            self.summarization_client: Optional[OpenAIWrapper] = OpenAIWrapper(**summarizer_llm_config)
        else:
            self.summarizer_llm_config = None
            self.summarization_client = None

    # ---- the tools ------------------------------------------------------------------------------------------------
    def _browser_state(self) -> str:
        """The page the browser shows, with a header saying where it is."""
        browser = self.browser
        header = f"Address: {browser.address}\n"
        if browser.page_title is not None:
            header += f"Title: {browser.page_title}\n"
        page, pages = browser.viewport_current_page + 1, len(browser.viewport_pages)
        header += f"Viewport position: Showing page {page} of {pages}.\n"
        return header.strip() + "\n=======================\n" + browser.viewport

    def _register_functions(self) -> None:
        """Give the inner assistant the browser tools, and the inner user proxy their execution."""
        browser = self.browser

        async def informational_web_search(
            query: Annotated[str, "The informational web search query to perform."],
        ) -> str:
            await in_worker_thread(browser.visit_page, f"search: {query}")
            return self._browser_state()

        async def navigational_web_search(
            query: Annotated[str, "The navigational web search query to perform."],
        ) -> str:
            await in_worker_thread(browser.visit_page, f"search: {query}")
            match = _FIRST_LINK.search(browser.page_content)
            if match:
                await in_worker_thread(browser.visit_page, match.group(1))
            return self._browser_state()

        async def visit_page(url: Annotated[str, "The relative or absolute url of the webpage to visit."]) -> str:
            await in_worker_thread(browser.visit_page, url)
            return self._browser_state()

        async def page_up() -> str:
            browser.page_up()
            return self._browser_state()

        async def page_down() -> str:
            browser.page_down()
            return self._browser_state()

        async def find_on_page(
            search_string: Annotated[str, "The text to look for on the page (case and spacing ignored)."],
        ) -> str:
            if browser.find_on_page(search_string) is None:
                return f"The text '{search_string}' was not found on this page."
            return self._browser_state()

        async def find_next() -> str:
            if browser.find_next() is None:
                return "Nothing more was found; use find_on_page with the text to look for first."
            return self._browser_state()

        tools: list[tuple[Callable[..., Any], str]] = [
            (informational_web_search, "Run an INFORMATIONAL web search query and return the search results."),
            (
                navigational_web_search,
                "Run a NAVIGATIONAL web search query and go straight to the top result. Useful to reach a known "
                "destination, such as a particular Wikipedia article (like Google's \"I'm Feeling Lucky\").",
            ),
            (visit_page, "Visit the webpage at a given URL and return its text."),
            (page_up, "Scroll the viewport UP one page in the current webpage and return the new viewport content."),
            (page_down, "Scroll the viewport DOWN one page in the current webpage and return the new viewport."),
            (
                find_on_page,
                "Scroll the viewport to the first place on the current page (from the current viewport on) where "
                "a text occurs, like Ctrl+F in a browser, and return that viewport.",
            ),
            (find_next, "Scroll the viewport to the next place where the text of the last find_on_page occurs."),
        ]
        if self.summarization_client is not None:

            async def answer_from_page(
                question: Annotated[Optional[str], "The question to answer directly."],
                url: Annotated[Optional[str], "The url of the page. (Defaults to the current page.)"] = None,
            ) -> str:
                return await self._a_summarize(question, url)

            async def summarize_page(
                url: Annotated[
                    Optional[str], "The url of the page to summarize. (Defaults to the current page.)"
                ] = None,
            ) -> str:
                return await self._a_summarize(None, url)

            tools += [
                (answer_from_page, "Use AI to read the page and answer a given question directly from its content."),
                (
                    summarize_page,
                    "Use AI to summarize the content of the page at a given url. Without a url, the current page "
                    "is summarized.",
                ),
            ]
        for function, description in tools:
            self._assistant.register_for_llm(name=function.__name__, description=description)(function)
            self._user_proxy.register_for_execution(name=function.__name__)(function)

    async def _a_summarize(self, question: Optional[str], url: Optional[str]) -> str:
        """Ask the summarizer model about the page (``url``, default the current one)."""
        client = self.summarization_client
        assert client is not None and self.summarizer_llm_config is not None
        if url is not None and url != self.browser.address:
            await in_worker_thread(self.browser.visit_page, url)
        text = self._page_text_within(self._summarizer_token_limit())
        if not text:
            return "Nothing to summarize."
        focus = f", answering this question: '{question}'" if question else ""
        messages = [
            {"role": "system", "content": SUMMARIZER_SYSTEM_MESSAGE},
            {"role": "user", "content": f"Summarize the following in one or two paragraphs{focus}.\n\n{text}"},
        ]
        extracted = await model_answer(self, client, messages)
        return extracted if isinstance(extracted, str) else content_str(getattr(extracted, "content", None))

    def _summarizer_token_limit(self) -> int:
        assert self.summarizer_llm_config is not None
        config_list = self.summarizer_llm_config.get("config_list") or [self.summarizer_llm_config]
        try:
            return get_max_token_limit(str(config_list[0].get("model", "")))
        except (ValueError, KeyError):
            return 4096

    def _page_text_within(self, limit: int) -> str:
        """The page's text, cut at a line end so that it and the answer fit in ``limit`` tokens."""
        text = self.browser.page_content.strip()
        budget = max(limit - _RESERVED_TOKENS, 256)
        tokens = count_token(text)
        if tokens <= budget:
            return text
        cut = text[: int(len(text) * budget / tokens)]
        return cut.rsplit("\n", 1)[0].strip() if "\n" in cut else cut

    # ---- the reply -------------------------------------------------------------------------------------------------
    def generate_surfer_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Answer the last message by browsing (a reply function)."""
        return run_sync(self.a_generate_surfer_reply(messages, sender, config))

    async def a_generate_surfer_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Async :meth:`generate_surfer_reply`: ``(True, answer)``; ``(False, None)`` with nothing to answer."""
        return await self._a_surf(run_or_new(sync=False), messages, sender)

    async def _a_surf(
        self, outer: ChatRun, messages: Optional[list[Message]], sender: Optional[Agent]
    ) -> tuple[bool, Union[str, Message, None]]:
        """Run the inner chat on the last message, in a child of the ``outer`` run (same cache and budgets)."""
        if messages is None:
            messages = self._oai_messages[sender]
        if not messages:
            return False, None
        self._user_proxy.reset()
        self._assistant.reset()
        self._user_proxy._prepare_chat(self._assistant, clear_history=True)  # both reply until a final answer
        self._assistant._oai_messages[self._user_proxy] = [dict(m) for m in messages[:-1]]  # earlier context
        inner = outer.child()
        inner.cache = outer.cache_for(self)
        browser = self.browser
        where = f"Your browser is currently open to the page '{browser.page_title}' at the address '{browser.address}'."
        with activated(inner):
            await engine.send(inner, self._user_proxy, where, self._assistant, request_reply=False, silent=True)
            await engine.send(
                inner, self._user_proxy, messages[-1].get("content"), self._assistant, request_reply=True, silent=True
            )
        return True, self._final_answer(self._user_proxy._oai_messages[self._assistant])

    def _final_answer(self, inner: list[Message]) -> Any:
        """The inner assistant's answer; if it was still calling tools when the step limit came, what it last saw."""
        last = inner[-1]
        if _calls_no_tool(last):
            return last.get("content")
        results = [m for m in inner if m.get("role") == "tool"]
        seen = content_str(results[-1].get("content")) if results else ""
        stopped = f"I stopped browsing after {MAX_BROWSING_STEPS} steps without a final answer."
        return f"{stopped} The last page I saw:\n{seen}"


async def _surfer_reply(agent: WebSurferAgent, run: ChatRun, messages: Any, sender: Any, config: Any) -> Any:
    """The built-in reply function: browse, then answer."""
    return await agent._a_surf(run, messages, sender)


def _checked_browser_config(browser_config: Optional[dict[str, Any]]) -> dict[str, Any]:
    if browser_config is None:
        return {}
    if not isinstance(browser_config, dict):
        raise TypeError(
            f"browser_config must be a dict of SimpleTextBrowser arguments, not {type(browser_config).__name__}"
        )
    accepted = set(inspect.signature(SimpleTextBrowser.__init__).parameters) - {"self"}
    unknown = sorted(set(browser_config) - accepted)
    if unknown:
        raise TypeError(f"browser_config has unknown keys {unknown}; SimpleTextBrowser takes {sorted(accepted)}")
    return dict(browser_config)
