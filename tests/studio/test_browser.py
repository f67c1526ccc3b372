"""The Studio in a real headless Chromium (Debian's ``chromium`` driven by Playwright).

One app (uvicorn on a free port, a temporary app dir) and one browser serve the whole module; the model
is the project's scripted OpenAI test server, so every model call goes through the real client stack.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from autogen.studio import create_app
from autogen.testing import OpenAITestServer

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
KEY = "sk-test-0123456789abcdef0123456789abcdef"
TIMEOUT_MS = 30_000  # generous: only a slow, busy machine ever waits this long
expect.set_options(timeout=TIMEOUT_MS)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Studio:
    """The running app: its URL and a JSON client for setting things up quickly."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=f"{url}/api/", timeout=10)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.http.post(path, json=body)
        assert response.status_code in (200, 201, 202), response.text
        return response.json()

    def get(self, path: str) -> Any:
        response = self.http.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    def wait_status(self, session_id: int, *statuses: str, timeout: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            session = self.get(f"sessions/{session_id}")
            if session["status"] in statuses or time.monotonic() > deadline:
                assert session["status"] in statuses, session
                return session
            time.sleep(0.1)


@pytest.fixture(scope="module")
def model_server() -> Iterator[OpenAITestServer]:
    with OpenAITestServer() as srv:
        yield srv


@pytest.fixture(autouse=True)
def _fresh_script(model_server: OpenAITestServer) -> None:
    model_server.reset()
    model_server.default_reply = None


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free port in a thread; yields its URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True, name="studio-uvicorn")
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the Studio app did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(15)


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    with serve(create_app(appdir=tmp_path_factory.mktemp("studio"), input_timeout=120)) as url:
        studio = Studio(url)
        yield studio
        studio.http.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "browser tests need Debian's chromium: apt-get install -y chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, studio: Studio) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()
    assert errors == [], f"JavaScript errors in the page: {errors}"


def open_page(page: Page, studio: Studio, route: str) -> None:
    """Go to a page of the app and wait until it has rendered."""
    page.goto(f"{studio.url}/#/{route}")
    expect(page.locator(f'#page[data-route="{route}"][data-ready=true]')).to_be_attached()


def tid(page: Page, testid: str) -> Locator:
    """The element with this ``data-testid``."""
    return page.get_by_test_id(testid)


def setup_team(studio: Studio, server: OpenAITestServer, name: str, **proxy: Any) -> dict[str, Any]:
    """A model, an assistant and a user proxy, and a two-agent workflow between them (through the API)."""
    model = studio.post(
        "models", {"name": f"{name}-model", "model": "gpt-4o-mini", "base_url": server.base_url, "api_key": KEY}
    )
    assistant = studio.post(
        "agents",
        {"name": f"{name}_assistant", "type": "assistant", "model_id": model["id"], "system_message": "Be brief."},
    )
    user = studio.post(
        "agents",
        {"name": f"{name}_user", "type": "userproxy", "human_input_mode": "NEVER", "code_execution": "none", **proxy},
    )
    return studio.post(
        "workflows",
        {
            "name": name,
            "kind": "twoagent",
            "initiator_id": user["id"],
            "receiver_id": assistant["id"],
            "max_rounds": 6,
        },
    )


# ---------------------------------------------------------------------------------------------------------


def test_build_a_team_in_the_browser_run_it_and_watch_it_live(
    page: Page, studio: Studio, model_server: OpenAITestServer
) -> None:
    # Models: create one pointing at the test server; the key comes back masked; "Test" makes one real call.
    open_page(page, studio, "models")
    tid(page, "models-new").click()
    tid(page, "model-name").fill("scripted-gpt")
    tid(page, "model-model").fill("gpt-4o-mini")
    tid(page, "model-base-url").fill(model_server.base_url)
    tid(page, "model-api-key").fill(KEY)
    tid(page, "model-save").click()
    expect(tid(page, "model-key-state")).to_contain_text("cdef")
    expect(tid(page, "models-list")).to_contain_text("scripted-gpt")
    assert KEY not in page.content()
    assert tid(page, "model-api-key").input_value() == ""
    model_server.script("pong")
    tid(page, "model-test").click()
    expect(tid(page, "model-result")).to_contain_text("pong")
    assert model_server.chat_requests[-1]["model"] == "gpt-4o-mini"
    # Editing the model with the key field left empty keeps the stored key.
    tid(page, "model-description").fill("the scripted server")
    with page.expect_response(lambda r: r.request.method == "PUT" and "/api/models/" in r.url) as saved:
        tid(page, "model-save").click()
    assert saved.value.status == 200
    (stored,) = studio.get("models")
    assert stored["description"] == "the scripted server" and stored["has_api_key"] is True
    assert stored["api_key"].endswith("cdef") and KEY not in stored["api_key"]

    # Skills: the editor highlights through Pygments, validation errors name their line, nothing bad is saved.
    open_page(page, studio, "skills")
    tid(page, "skills-new").click()
    tid(page, "skill-name").fill("add_numbers")
    expect(tid(page, "skill-content-highlight").locator("[class]").first).to_be_attached()
    assert tid(page, "skill-content-highlight").locator(".k, .kd, .kn").count() > 0  # `def` is a keyword
    editor = tid(page, "skill-content")
    editor.fill("def add_numbers(a: int, b: int) -> int:\n    return a +\n")
    tid(page, "skill-save").click()
    expect(tid(page, "skill-errors")).to_contain_text("Line 2")
    expect(page.locator("[data-testid=skill-content-gutter] .ln.error")).to_have_attribute("data-line", "2")
    assert studio.get("skills") == []
    editor.fill('def add_numbers(a: int, b: int) -> int:\n    """Add two integers."""\n    return a + b\n')
    tid(page, "skill-validate").click()
    expect(tid(page, "skill-result")).to_contain_text("Valid")
    tid(page, "skill-save").click()
    expect(tid(page, "skills-list")).to_contain_text("add_numbers")
    skill_id = studio.get("skills")[0]["id"]

    # Agents: an assistant with the model and the skill, a user proxy that runs code locally.
    open_page(page, studio, "agents")
    tid(page, "agents-new").click()
    tid(page, "agent-name").fill("helper")
    tid(page, "agent-system-message").fill("You help. Reply TERMINATE when done.")
    tid(page, "agent-model").select_option(label="scripted-gpt (gpt-4o-mini)")
    tid(page, f"agent-skills-{skill_id}").check()
    tid(page, "agent-save").click()
    expect(tid(page, "agents-list")).to_contain_text("helper")
    tid(page, "agents-new").click()
    tid(page, "agent-type").select_option("userproxy")
    tid(page, "agent-name").fill("me")
    tid(page, "agent-code-execution").select_option("local")
    tid(page, "agent-save").click()
    expect(tid(page, "agents-list").locator("[data-name=me]")).to_be_visible()
    agents = {a["name"]: a for a in studio.get("agents")}
    assert agents["helper"]["skill_ids"] == [skill_id]
    assert agents["me"]["code_execution"] == "local"

    # Workflows: a two-agent chat from the user proxy to the assistant.
    open_page(page, studio, "workflows")
    tid(page, "workflows-new").click()
    tid(page, "workflow-name").fill("adder")
    tid(page, "workflow-initiator").select_option(label="me (userproxy)")
    tid(page, "workflow-receiver").select_option(label="helper (assistant)")
    tid(page, "workflow-max-rounds").fill("8")
    tid(page, "workflow-save").click()
    expect(tid(page, "workflows-list")).to_contain_text("adder")

    # Playground: a tool call and its result, a code block and its output, then a slow last reply, so the
    # earlier messages must be on the page while the run is still going.
    model_server.script(
        {"tool_calls": [{"name": "add_numbers", "arguments": '{"a": 2, "b": 3}'}]},
        "The sum is 5. Let me check:\n```python\nprint(2 + 3)\n```",
        {"content": "Confirmed: 5. TERMINATE", "delay": 1.0},
    )
    open_page(page, studio, "playground")
    tid(page, "playground-workflow").select_option(label="adder")
    tid(page, "playground-session-name").fill("first run")
    tid(page, "playground-new-session").click()
    expect(tid(page, "session-name")).to_have_text("first run")
    tid(page, "task-input").fill("Add 2 and 3.")
    # The page itself notes what it showed when the code's output appeared (however slow this test is).
    page.evaluate(
        """() => new MutationObserver((_, observer) => {
             if (!document.querySelector("[data-testid=code-output]")) return;
             window.whenOutputShown = {
               status: document.querySelector("[data-testid=session-status]").dataset.status,
               messages: document.querySelectorAll("[data-testid=message]").length,
             };
             observer.disconnect();
           }).observe(document.getElementById("page"), {subtree: true, childList: true})"""
    )
    tid(page, "task-run").click()
    messages = tid(page, "messages").get_by_test_id("message")
    expect(tid(page, "code-output")).to_contain_text("5")
    expect(tid(page, "session-status")).to_have_attribute("data-status", "finished")
    # Streaming: the output was on the page while the model was still thinking about its last reply.
    assert page.evaluate("() => window.whenOutputShown") == {"status": "running", "messages": 5}
    expect(messages.last).to_contain_text("Confirmed: 5")
    expect(messages.first).to_contain_text("Add 2 and 3.")
    expect(tid(page, "tool-call").first).to_contain_text('add_numbers({"a":2,"b":3})')
    expect(tid(page, "tool-result").first).to_contain_text("5")
    expect(page.locator("[data-testid=code-block][data-language=python]").first).to_contain_text("print(2 + 3)")
    expect(messages.first.get_by_test_id("message-sender")).to_have_text("me")
    # Cost and tokens per model message and for the session.
    expect(page.locator("[data-sender=helper] [data-testid=message-stats]").first).to_contain_text("tokens")
    expect(tid(page, "session-totals")).to_contain_text(re.compile(r"\$0\.\d+ · [1-9]\d* \+ [1-9]\d* tokens"))
    session = studio.get("sessions")[-1]
    assert session["status"] == "finished" and session["prompt_tokens"] > 0
    shown = [m.get_attribute("data-seq") for m in messages.all()]
    assert shown == [str(m["seq"]) for m in studio.get(f"sessions/{session['id']}/messages")]


def test_human_input_and_stop_with_two_sessions_at_once(
    page: Page, studio: Studio, model_server: OpenAITestServer
) -> None:
    asking = setup_team(studio, model_server, "asking", human_input_mode="ALWAYS")
    hanging = setup_team(studio, model_server, "hanging")
    replies = {"asking": ["What colour should it be?", "Blue it is. TERMINATE"], "hanging": []}

    def reply(body: dict[str, Any]) -> Any:
        text = json.dumps(body["messages"])
        if "Paint the shed" in text:
            return replies["asking"].pop(0)
        return {"content": "never sent", "delay": 60}  # the hanging session's model keeps thinking

    model_server.default_reply = reply
    first = studio.post("sessions", {"workflow_id": asking["id"], "name": "asks me"})
    second = studio.post("sessions", {"workflow_id": hanging["id"], "name": "hangs"})

    open_page(page, studio, f"playground/{first['id']}")
    tid(page, "task-input").fill("Paint the shed.")
    tid(page, "task-run").click()
    expect(tid(page, "input-request")).to_be_visible()
    expect(tid(page, "input-timeout")).to_contain_text(re.compile(r"times out in \d+ s"))
    expect(tid(page, "session-status")).to_have_attribute("data-status", "waiting_input")
    # A reload brings the question back, with the seconds left.
    page.reload()
    expect(tid(page, "input-prompt")).to_have_text(re.compile(r"\S"))
    expect(tid(page, "input-timeout")).to_contain_text(re.compile(r"times out in (1[01]\d|120) s"))

    # While the first session waits for me, start the second one and switch to it.
    tid(page, f"session-tab-{second['id']}").click()
    expect(tid(page, "session-name")).to_have_text("hangs")
    tid(page, "task-input").fill("Count the stars.")
    tid(page, "task-run").click()
    expect(tid(page, "session-status")).to_have_attribute("data-status", "running")
    expect(tid(page, "messages")).not_to_contain_text("colour")
    expect(tid(page, f"session-tab-status-{first['id']}")).to_have_attribute("data-status", "waiting_input")

    # Back to the first: answer; the answer reaches the model and the chat goes on to its end.
    tid(page, f"session-tab-{first['id']}").click()
    expect(tid(page, "input-prompt")).to_be_visible()
    tid(page, "input-text").fill("blue, please")
    tid(page, "input-send").click()
    expect(tid(page, "messages")).to_contain_text("Blue it is.")
    assert "blue, please" in json.dumps(model_server.chat_requests[-1]["messages"])
    # ALWAYS asks again after the last reply; "exit" ends the chat.
    expect(tid(page, "input-request")).to_be_visible()
    tid(page, "input-text").fill("exit")
    tid(page, "input-send").click()
    expect(tid(page, "session-status")).to_have_attribute("data-status", "finished")
    expect(tid(page, "messages")).not_to_contain_text("Count the stars")

    # The second is still running; Stop ends it cleanly.
    tid(page, f"session-tab-{second['id']}").click()
    expect(tid(page, "session-status")).to_have_attribute("data-status", "running")
    started = time.monotonic()
    tid(page, "session-stop").click()
    expect(tid(page, "session-status")).to_have_attribute("data-status", "stopped")
    assert time.monotonic() - started < 15
    expect(tid(page, "session-stop")).to_be_hidden()
    assert studio.get(f"sessions/{second['id']}")["status"] == "stopped"
    assert "colour" not in json.dumps(studio.get(f"sessions/{second['id']}/messages"))


def test_history_survives_a_reload_and_workflows_export_and_import(
    page: Page, studio: Studio, model_server: OpenAITestServer, tmp_path: Path
) -> None:
    workflow = setup_team(studio, model_server, "historic")
    model_server.script("Forty-two. TERMINATE")
    session = studio.post("sessions", {"workflow_id": workflow["id"], "name": "the answer"})
    studio.post(f"sessions/{session['id']}/run", {"task": "What is the answer?"})
    studio.wait_status(session["id"], "finished")

    open_page(page, studio, "history")
    page.reload()
    expect(page.locator('#page[data-route="history"][data-ready=true]')).to_be_attached()
    row = tid(page, f"history-row-{session['id']}")
    expect(row).to_contain_text("the answer")
    expect(row).to_contain_text("historic")
    expect(row.get_by_test_id(f"history-status-{session['id']}")).to_have_text("finished")
    expect(row).to_contain_text("$0.0")
    tid(page, f"history-open-{session['id']}").click()
    expect(tid(page, "session-task")).to_have_text("What is the answer?")
    expect(tid(page, "messages")).to_contain_text("Forty-two.")
    page.reload()  # the detail page itself is a link that survives a reload
    expect(tid(page, "messages")).to_contain_text("Forty-two.")

    # A session can be deleted from its page.
    spare = studio.post("sessions", {"workflow_id": workflow["id"], "name": "never run"})
    open_page(page, studio, f"history/{spare['id']}")
    tid(page, "session-delete").click()
    expect(page.locator('#page[data-route="history"][data-ready=true]')).to_be_attached()
    expect(tid(page, f"history-row-{session['id']}")).to_be_visible()
    expect(tid(page, f"history-row-{spare['id']}")).to_have_count(0)
    assert all(s["id"] != spare["id"] for s in studio.get("sessions"))

    # Export the workflow as a team file, then import it back as a new workflow.
    open_page(page, studio, f"workflows/{workflow['id']}")
    with page.expect_download() as info:
        tid(page, "workflow-export").click()
    team_file = tmp_path / "historic.yaml"
    info.value.save_as(team_file)
    assert info.value.suggested_filename == "historic.yaml"
    assert "historic_assistant" in team_file.read_text()
    tid(page, "workflow-import-file").set_input_files(str(team_file))
    tid(page, "workflow-import-name").fill("historic copy")
    tid(page, "workflow-import").click()
    expect(tid(page, "workflow-name")).to_have_value("historic copy")
    copy = next(w for w in studio.get("workflows") if w["name"] == "historic copy")
    assert copy["id"] != workflow["id"] and copy["kind"] == "twoagent"

    # A bad team file: the API's detail is shown, nothing is created.
    bad = tmp_path / "bad.yaml"
    bad.write_text("agents: [unclosed\n")
    count = len(studio.get("workflows"))
    tid(page, "workflow-import-file").set_input_files(str(bad))
    tid(page, "workflow-import").click()
    expect(tid(page, "workflow-import-error")).to_be_visible()
    assert tid(page, "workflow-import-error").inner_text().strip() != ""
    assert len(studio.get("workflows")) == count


def test_api_errors_are_shown_and_the_api_key_never_reaches_the_page(
    page: Page, studio: Studio, model_server: OpenAITestServer
) -> None:
    seen: list[str] = []

    def record(response: Any) -> None:
        if "/api/" in response.url:
            with contextlib.suppress(Exception):  # a body that is gone (e.g. a 204) has nothing to leak
                seen.append(response.text())

    page.on("response", record)
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: seen.append(str(frame))))
    workflow = setup_team(studio, model_server, "secretive")
    model_server.script('Done. <img src=x onerror="window.pwned=1"> TERMINATE')  # model text is untrusted
    session = studio.post("sessions", {"workflow_id": workflow["id"], "name": "secret run"})
    studio.post(f"sessions/{session['id']}/run", {"task": "Do it."})
    studio.wait_status(session["id"], "finished")
    model_id = next(m["id"] for m in studio.get("models") if m["name"] == "secretive-model")
    for route in ("models", f"models/{model_id}", "agents", "workflows", f"playground/{session['id']}", "history"):
        open_page(page, studio, route)
        page.wait_for_load_state("networkidle")
        state = page.evaluate(
            "() => document.documentElement.outerHTML + JSON.stringify({...localStorage})"
            " + JSON.stringify({...sessionStorage}) + [...document.querySelectorAll('input,textarea')]"
            ".map(e => e.value).join('\\n')"
        )
        assert KEY not in state, route
        assert KEY[:-4] not in state, route
    # The model's markup was shown as text, never run.
    open_page(page, studio, f"history/{session['id']}")
    expect(tid(page, "messages")).to_contain_text('<img src=x onerror="window.pwned=1">')
    assert tid(page, "messages").locator("img").count() == 0
    assert page.evaluate("() => window.pwned") is None
    assert seen, "the page made no API calls"
    assert all(KEY not in body for body in seen)

    # Deleting a model an agent uses: the API's conflict is shown; an unused model is deleted.
    open_page(page, studio, f"models/{model_id}")
    tid(page, "model-delete").click()
    expect(tid(page, "model-form-error")).to_contain_text("secretive_assistant")
    spare = studio.post("models", {"name": "spare", "model": "gpt-4o-mini"})
    open_page(page, studio, f"models/{spare['id']}")
    tid(page, "model-delete").click()
    expect(tid(page, "models-list")).not_to_contain_text("spare")
    assert all(m["id"] != spare["id"] for m in studio.get("models"))

    # A workflow without its initiator: the API's detail, naming the field, is shown next to the form.
    open_page(page, studio, "workflows")
    tid(page, "workflows-new").click()
    tid(page, "workflow-name").fill("incomplete")
    tid(page, "workflow-save").click()
    expect(tid(page, "workflow-form-error")).to_contain_text("initiator")
    assert all(w["name"] != "incomplete" for w in studio.get("workflows"))


def test_gallery_imports_examples_with_one_click(page: Page, studio: Studio) -> None:
    gallery = studio.get("gallery")
    assert len(gallery) == 3
    open_page(page, studio, "gallery")
    expect(tid(page, "gallery").locator("article")).to_have_count(3)
    for item in gallery:
        before = {w["id"] for w in studio.get("workflows")}
        open_page(page, studio, "gallery")
        tid(page, f"gallery-import-{item['id']}").click()
        expect(page.locator("#page[data-page=workflows][data-ready=true]")).to_be_attached()
        (created,) = [w for w in studio.get("workflows") if w["id"] not in before]
        expect(tid(page, "workflow-name")).to_have_value(created["name"])
    # The group chat example shows its manager, members and speaker selection in the editor.
    group = next(w for w in studio.get("workflows") if w["kind"] == "groupchat")
    open_page(page, studio, f"workflows/{group['id']}")
    expect(tid(page, "workflow-kind")).to_have_value("groupchat")
    expect(tid(page, "workflow-group-fields")).to_be_visible()
    expect(tid(page, "workflow-manager")).to_have_value(str(group["manager_id"]))
    expect(tid(page, "workflow-speaker-selection")).to_have_value(group["speaker_selection"])
    checked = page.locator("[data-testid=workflow-members] input:checked")
    assert sorted(int(v) for v in checked.evaluate_all("boxes => boxes.map(b => b.value)")) == sorted(
        group["member_ids"]
    )
    tid(page, "workflow-max-rounds").fill(str(group["max_rounds"] + 1))
    with page.expect_response(lambda r: r.request.method == "PUT" and "/api/workflows/" in r.url) as saved:
        tid(page, "workflow-save").click()
    assert saved.value.status == 200
    expect(tid(page, "flash")).to_contain_text("saved")
    assert studio.get(f"workflows/{group['id']}")["max_rounds"] == group["max_rounds"] + 1


@pytest.mark.local_model
def test_the_first_gallery_workflow_runs_on_the_embedded_model_in_one_click(page: Page, studio: Studio) -> None:
    first = studio.get("gallery")[0]
    open_page(page, studio, "gallery")
    tid(page, f"gallery-run-{first['id']}").click()
    expect(tid(page, "session-name")).to_have_text(first["name"])
    expect(tid(page, "session-status")).to_have_attribute("data-status", "finished", timeout=180_000)
    expect(tid(page, "messages").get_by_test_id("message").first).to_contain_text(first["task"])
    assert tid(page, "messages").get_by_test_id("message").count() >= 2
    expect(tid(page, "session-totals")).to_contain_text(re.compile(r"· [1-9]\d* \+ [1-9]\d* tokens"))


def test_a_studio_with_a_token_needs_the_printed_url(browser: Browser, tmp_path: Path) -> None:
    token = "studio-token-for-the-browser-test"
    with serve(create_app(appdir=tmp_path / "guarded", token=token)) as url:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=f"{url}/api/", headers=headers, timeout=10) as http:
            user = http.post("agents", json={"name": "a", "type": "userproxy"}).json()
            other = http.post("agents", json={"name": "b", "type": "userproxy"}).json()
            workflow = http.post(
                "workflows",
                json={"name": "pair", "kind": "twoagent", "initiator_id": user["id"], "receiver_id": other["id"]},
            ).json()
            session = http.post("sessions", json={"workflow_id": workflow["id"], "name": "guarded"}).json()
        stranger = browser.new_context()
        page = stranger.new_page()
        page.goto(f"{url}/#/workflows")
        expect(page.get_by_test_id("error-text")).to_contain_text("access token")
        expect(page.get_by_test_id("workflows-list")).not_to_contain_text("pair")
        stranger.close()

        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/?token={token}#/workflows")
        expect(page.get_by_test_id("workflows-list")).to_contain_text("pair")
        assert token not in page.url
        # The cookie the printed URL set carries on: a reload without the token and the session's websocket.
        page.goto(f"{url}/#/playground/{session['id']}")
        expect(page.get_by_test_id("session-connection")).to_have_text("● live")
        assert page.get_by_test_id("error").is_hidden()
        assert token not in page.evaluate("() => JSON.stringify({...localStorage, ...sessionStorage})")
        context.close()
