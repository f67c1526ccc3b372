"""WebSurferAgent: the model calls the browser tools, the surfer visits the local website, the answer uses the page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from autogen import ConversableAgent
from autogen.agentchat.contrib import web_surfer
from autogen.agentchat.contrib.web_surfer import SUMMARIZER_SYSTEM_MESSAGE, WebSurferAgent
from autogen.browser_utils import SearchResult

from ...local_site import BING_KEY, NIGHT_FERRY, PDF_TEXT, LocalSite, serve_site

QUESTION = "When does the night ferry to Gull Island leave?"
TOOLS = {
    "informational_web_search",
    "navigational_web_search",
    "visit_page",
    "page_up",
    "page_down",
    "find_on_page",
    "find_next",
    "answer_from_page",
    "summarize_page",
}


@pytest.fixture
def site() -> Iterator[LocalSite]:
    yield from serve_site()


def call(name: str, **arguments: Any) -> dict[str, Any]:
    return {"tool_calls": [{"name": name, "arguments": arguments}]}


def last_tool_result(body: dict[str, Any]) -> str:
    return next(m["content"] for m in reversed(body["messages"]) if m["role"] == "tool")


def answer_from_tool_result(body: dict[str, Any]) -> str:
    """The scripted model's final answer: the sentence about the night ferry it was shown."""
    sentence = next(line for line in last_tool_result(body).splitlines() if "night ferry" in line)
    return f"From the ferry page: {sentence}"


def surfer(llm_config: dict, site: LocalSite, **kwargs: Any) -> WebSurferAgent:
    browser_config = {"viewport_size": 1500, "bing_api_key": BING_KEY, "bing_base_url": site.bing_url}
    return WebSurferAgent("surfer", llm_config=llm_config, browser_config=browser_config, **kwargs)


def user() -> ConversableAgent:
    return ConversableAgent("user", llm_config=False, human_input_mode="NEVER")


def test_the_surfer_searches_visits_finds_and_answers_from_the_page(server, llm_config, site, start):
    server.script(
        call("informational_web_search", query="night ferry Gull Island"),
        call("visit_page", url=site.url("/ferries.html")),
        call("find_on_page", search_string="night ferry"),
        answer_from_tool_result,
    )
    agent = surfer(llm_config, site, human_input_mode="NEVER")
    sender = user()
    result = start(sender, agent, message=QUESTION, max_turns=1, silent=True)
    assert result.summary == f"From the ferry page: {NIGHT_FERRY}"
    assert [m["content"] for m in sender.chat_messages[agent]] == [QUESTION, result.summary]
    assert site.paths[0].startswith("/bing/v7.0/search?") and site.paths[1:] == ["/ferries.html"]
    first = server.chat_requests[0]
    assert {t["function"]["name"] for t in first["tools"]} == TOOLS
    assert first["messages"][0]["content"] == WebSurferAgent.DEFAULT_PROMPT
    assert "Your browser is currently open to the page 'None' at the address 'about:blank'." in json.dumps(first)
    assert first["messages"][-1]["content"] == QUESTION
    searched = last_tool_result(server.chat_requests[1])
    assert searched.startswith("Address: search: night ferry Gull Island\nTitle: night ferry Gull Island - Search")
    assert f"[Ferry lines - Harbour Town]({site.url('/ferries.html')})" in searched
    visited = last_tool_result(server.chat_requests[2])
    header = f"Address: {site.url('/ferries.html')}\nTitle: Ferry lines\nViewport position: Showing page 1"
    assert visited.startswith(header)
    assert NIGHT_FERRY not in visited  # the sentence is further down the page...
    found = last_tool_result(server.chat_requests[3])
    assert NIGHT_FERRY in found and "Showing page 1 of" not in found  # ...where find_on_page scrolled


def test_the_next_question_starts_where_the_browser_was_and_keeps_the_chat_as_context(server, llm_config, site):
    server.script(call("navigational_web_search", query="ferry lines"), "There are 120 ferry lines.")
    agent = surfer(llm_config, site, human_input_mode="NEVER")
    sender = user()
    sender.initiate_chat(agent, message="How many ferry lines are there?", max_turns=1, silent=True)
    assert agent.browser.address == site.url("/ferries.html")  # straight to the top result
    assert site.paths[1:] == ["/ferries.html"]
    server.script("Line 1 leaves every 11 minutes.")
    sender.send("And how often does line 1 leave?", agent, request_reply=True, silent=True)
    asked = server.chat_requests[-1]["messages"]
    contents = [m.get("content") for m in asked]
    assert "How many ferry lines are there?" in contents and "There are 120 ferry lines." in contents
    assert f"at the address '{site.url('/ferries.html')}'" in json.dumps(asked)
    assert sender.chat_messages[agent][-1]["content"] == "Line 1 leaves every 11 minutes."


def test_a_404_a_binary_file_and_a_bad_address_reach_the_model_as_clear_messages(server, llm_config, site):
    server.script(
        call("visit_page", url=site.url("/missing.html")),
        call("visit_page", url=site.url("/files/harbour.bin")),
        call("visit_page", url="file:///etc/passwd"),
        "None of those pages could be read.",
    )
    agent = surfer(llm_config, site, human_input_mode="NEVER")
    sender = user()
    result = sender.initiate_chat(agent, message="Read these pages.", max_turns=1, silent=True)
    missing, binary, bad = (last_tool_result(server.chat_requests[i]) for i in (1, 2, 3))
    assert "Title: Error 404" in missing and "answered HTTP 404" in missing and "sailed away" in missing
    assert "application/octet-stream (2048 bytes)" in binary and "cannot be shown as text" in binary
    assert bad.startswith("Error: cannot visit 'file:///etc/passwd': use an http:// or https:// URL")
    assert result.summary == "None of those pages could be read."
    assert [m["content"] for m in sender.chat_messages[agent]] == ["Read these pages.", result.summary]
    assert site.paths == ["/missing.html", "/files/harbour.bin"]


def test_answer_from_page_asks_the_summarizer_model_about_the_pdf(server, llm_config, site):
    def model(body: dict[str, Any]) -> Any:
        if body["model"] == "summarizer":
            return "The first winter ferry departs at 06:15."
        if len(server.chat_requests) == 1:
            return call("answer_from_page", question="When is the first ferry?", url=site.url("/docs/timetable.pdf"))
        return last_tool_result(body)

    server.default_reply = model
    summarizer = {"config_list": server.config_list(model="summarizer"), "cache_seed": None}
    agent = surfer(llm_config, site, human_input_mode="NEVER", summarizer_llm_config=summarizer)
    result = user().initiate_chat(agent, message="When is the first winter ferry?", max_turns=1, silent=True)
    assert result.summary == "The first winter ferry departs at 06:15."
    [asked] = [r for r in server.chat_requests if r["model"] == "summarizer"]
    assert asked["messages"][0] == {"role": "system", "content": SUMMARIZER_SYSTEM_MESSAGE}
    assert "When is the first ferry?" in asked["messages"][1]["content"]
    assert PDF_TEXT in asked["messages"][1]["content"]


def test_without_a_summarizer_the_ai_tools_are_left_out(server, llm_config, site):
    server.script("Hello.")
    agent = surfer(llm_config, site, human_input_mode="NEVER", summarizer_llm_config=False)
    user().initiate_chat(agent, message="Hi", max_turns=1, silent=True)
    names = {t["function"]["name"] for t in server.chat_requests[0]["tools"]}
    assert names == TOOLS - {"answer_from_page", "summarize_page"}


def test_a_search_backend_from_browser_config_is_used(server, llm_config, site):
    class Fixed:
        def search(self, query: str) -> list[SearchResult]:
            return [SearchResult("Town history", site.url("/history.html"), "who built the lighthouse")]

    server.script(call("informational_web_search", query="lighthouse"), lambda body: last_tool_result(body))
    browser_config = {"search_backend": Fixed()}
    agent = WebSurferAgent("surfer", llm_config=llm_config, browser_config=browser_config, human_input_mode="NEVER")
    result = user().initiate_chat(agent, message="Search.", max_turns=1, silent=True)
    assert f"1. [Town history]({site.url('/history.html')})" in result.summary
    assert site.paths == []  # only the search ran: the result was not prefetched


def test_bad_browser_config_is_named(llm_config):
    with pytest.raises(TypeError, match=r"browser_config has unknown keys \['bing_key'\]"):
        WebSurferAgent("surfer", llm_config=llm_config, browser_config={"bing_key": "x"})
    with pytest.raises(TypeError, match="browser_config must be a dict"):
        WebSurferAgent("surfer", llm_config=llm_config, browser_config="bing")  # type: ignore[arg-type]


def test_browsing_stops_at_the_step_limit_with_what_was_last_seen(server, llm_config, site, monkeypatch):
    monkeypatch.setattr(web_surfer, "MAX_BROWSING_STEPS", 2)
    server.script(*[call("visit_page", url=site.url("/notes.txt"))] * 3)
    agent = surfer(llm_config, site, human_input_mode="NEVER")
    result = user().initiate_chat(agent, message="Keep reading.", max_turns=1, silent=True)
    assert result.summary.startswith("I stopped browsing after 2 steps without a final answer.")
    assert result.summary.endswith("Tide tables are posted at the harbour office.")
    assert len(server.chat_requests) == 3


@pytest.mark.parametrize(
    "pattern",
    [
        r"web browser through the functions",
        r"Nobody else in your team can browse",
        r"search the web",
        r"open and read\s+pages",
        r"report what you find",
        re.escape(date.today().isoformat()),
    ],
)
def test_the_default_prompt_gives_0_2s_instructions(pattern):
    assert re.search(pattern, WebSurferAgent.DEFAULT_PROMPT)
