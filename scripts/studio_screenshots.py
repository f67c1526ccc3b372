"""Screenshots of the Studio's main pages for the docs (docs/studio/*.png).

Starts the app on a free port with a temporary app dir, a scripted OpenAI test server as the model, fills it
through the JSON API, runs one session, and photographs the pages in headless Chromium:

    python scripts/studio_screenshots.py [--out docs/studio] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import json
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from playwright.sync_api import sync_playwright

from autogen.studio import create_app
from autogen.testing import OpenAITestServer

SKILL = '''def convert_temperature(celsius: float) -> float:
    """Convert a temperature from Celsius to Fahrenheit."""
    return celsius * 9 / 5 + 32
'''

REPLIES: list[Any] = [
    {"tool_calls": [{"name": "convert_temperature", "arguments": '{"celsius": 21.5}'}]},
    "21.5 °C is 70.7 °F. Let me double-check it with a quick script:\n\n"
    '```python\nfor c in (0, 21.5, 100):\n    print(f"{c} C = {c * 9 / 5 + 32:.1f} F")\n```',
    "The script agrees: 21.5 °C is 70.7 °F (0 °C is 32 °F and 100 °C is 212 °F). TERMINATE",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post(http: httpx.Client, path: str, body: dict[str, Any]) -> Any:
    response = http.post(path, json=body)
    response.raise_for_status()
    return response.json()


def populate(http: httpx.Client, server: OpenAITestServer) -> int:
    """Models, a skill, agents and a workflow; one finished session. Returns the session's id."""
    model = _post(
        http,
        "models",
        {
            "name": "gpt-4o-mini",
            "model": "gpt-4o-mini",
            "base_url": server.base_url,
            "api_key": server.api_key,
            "description": "OpenAI's small model (here: the scripted test server).",
        },
    )
    skill = _post(
        http, "skills", {"name": "convert_temperature", "description": "Celsius to Fahrenheit", "content": SKILL}
    )
    assistant = _post(
        http,
        "agents",
        {
            "name": "weather_assistant",
            "type": "assistant",
            "description": "Answers questions about temperatures.",
            "system_message": "You are a helpful assistant. Use your tools and Python code when useful. "
            "Reply TERMINATE when the task is done.",
            "model_id": model["id"],
            "skill_ids": [skill["id"]],
        },
    )
    user = _post(
        http,
        "agents",
        {
            "name": "user",
            "type": "userproxy",
            "human_input_mode": "NEVER",
            "code_execution": "local",
            "description": "Runs the code and the tools.",
        },
    )
    workflow = _post(
        http,
        "workflows",
        {
            "name": "Temperature helper",
            "description": "A user proxy and an assistant with a conversion skill.",
            "kind": "twoagent",
            "initiator_id": user["id"],
            "receiver_id": assistant["id"],
            "max_rounds": 8,
        },
    )
    for item in http.get("gallery").json()[:1]:
        _post(http, f"gallery/{item['id']}/import", {})
    server.script(*REPLIES)
    session = _post(http, "sessions", {"workflow_id": workflow["id"], "name": "Convert 21.5 °C"})
    _post(http, f"sessions/{session['id']}/run", {"task": "What is 21.5 °C in Fahrenheit?"})
    deadline = time.monotonic() + 30
    while http.get(f"sessions/{session['id']}").json()["status"] not in ("finished", "stopped", "error"):
        if time.monotonic() > deadline:
            raise RuntimeError("the demo session did not finish within 30 s")
        time.sleep(0.2)
    # A second run, stopped by the user while the model is still thinking, for the history page.
    server.script({"content": "(never sent)", "delay": 5})
    slow = _post(http, "sessions", {"workflow_id": workflow["id"], "name": "Boiling point"})
    _post(http, f"sessions/{slow['id']}/run", {"task": "At what temperature does water boil on Everest?"})
    time.sleep(0.5)
    _post(http, f"sessions/{slow['id']}/stop", {})
    return int(session["id"])


def ask_the_human(http: httpx.Client, server: OpenAITestServer) -> int:
    """A session whose user proxy (human input ALWAYS) waits for the person's reply. Returns its id."""
    agents = {a["name"]: a for a in http.get("agents").json()}
    you = _post(http, "agents", {"name": "you", "type": "userproxy", "human_input_mode": "ALWAYS"})
    workflow = _post(
        http,
        "workflows",
        {
            "name": "Ask me first",
            "kind": "twoagent",
            "initiator_id": you["id"],
            "receiver_id": agents["weather_assistant"]["id"],
            "max_rounds": 4,
        },
    )
    server.script("Should I answer in Celsius or in Fahrenheit?")
    session = _post(http, "sessions", {"workflow_id": workflow["id"], "name": "Tomorrow's weather"})
    _post(http, f"sessions/{session['id']}/run", {"task": "How warm will it be tomorrow in Lisbon?"})
    deadline = time.monotonic() + 30
    while http.get(f"sessions/{session['id']}").json()["status"] != "waiting_input":
        if time.monotonic() > deadline:
            raise RuntimeError("the demo session did not ask for input within 30 s")
        time.sleep(0.2)
    return int(session["id"])


def shoot(url: str, out: Path, chromium: str, session_id: int, skill_id: int, asking_id: int) -> list[Path]:
    """Photograph the main pages; returns the files written."""
    shots = [
        ("playground", f"playground/{session_id}"),
        ("human-input", f"playground/{asking_id}"),
        ("skills", f"skills/{skill_id}"),
        ("workflows", "workflows/1"),
        ("history", "history"),
        ("models", "models/1"),
        ("gallery", "gallery"),
    ]
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1360, "height": 960}, device_scale_factor=1)
        for name, route in shots:
            page.goto(f"{url}/#/{route}")
            page.wait_for_selector(f'#page[data-route="{route}"][data-ready=true]')
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)  # highlighting arrives after the first paint
            path = out / f"{name}.png"
            bottom = page.evaluate("document.querySelector('#page > .view').getBoundingClientRect().bottom")
            height = min(960, max(420, int(bottom) + 24))  # no empty band under short pages
            page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": 1360, "height": height})
            written.append(path)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "studio")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as appdir, OpenAITestServer() as server:
        app = create_app(appdir=appdir)
        port = _free_port()
        uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=uv.run, daemon=True)
        thread.start()
        while not uv.started:
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=f"{url}/api/", timeout=30) as http:
                session_id = populate(http, server)
                asking_id = ask_the_human(http, server)
                skill_id = http.get("skills").json()[0]["id"]
                for path in shoot(url, args.out, args.chromium, session_id, skill_id, asking_id):
                    print(path)
                _post(http, f"sessions/{asking_id}/stop", {})
        finally:
            uv.should_exit = True
            thread.join(10)
    print(json.dumps({"written_to": str(args.out)}))


if __name__ == "__main__":
    main()
