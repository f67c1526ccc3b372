"""Every ```python block of the docs and the README runs, page by page, against the OpenAI test server.

Each page runs in its own process and scratch directory (``tests/_doc_snippets.py``): the page's
blocks share one namespace, get the model answers scripted in the ``<!-- snippet: ... -->`` comment
above them, and must use every one of them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ._doc_snippets import SnippetMarkerError, collect, run_snippets

ROOT = Path(__file__).resolve().parents[1]
RUNNER = Path(__file__).resolve().with_name("_doc_snippets.py")
PAGES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
PAGES_WITH_CODE = [page for page in PAGES if collect(page)]
MAX_SKIPPED = 3


def run_pages(*pages: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "OAI_CONFIG_LIST"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, str(RUNNER), *map(str, pages)], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_python_block_of_the_page_runs(page, tmp_path):
    done = run_pages(page, cwd=tmp_path)
    assert done.returncode == 0, (done.stdout + done.stderr)[-6000:]
    expected = [f"ok {s.path}:{s.line}" for s in collect(page) if not s.skip]
    assert [line for line in done.stdout.splitlines() if line.startswith("ok ")] == expected


def test_the_docs_have_python_blocks_and_skip_very_few():
    snippets = [snippet for page in PAGES for snippet in collect(page)]
    assert len(snippets) >= 50
    skipped = [f"{s.path}:{s.line}: {s.skip}" for s in snippets if s.skip]
    assert len(skipped) <= MAX_SKIPPED, skipped
    assert all(len(reason.split(": ", 1)[1]) > 20 for reason in skipped)  # each says why


def run_in_process(text: str, tmp_path: Path, monkeypatch) -> int:
    """Run a page's blocks in this process (fast); the runner's output goes to capsys."""
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    monkeypatch.setenv("OAI_CONFIG_LIST", "restored after the test")
    return run_snippets(collect(page))


def test_a_failing_block_is_reported_with_its_page_and_line(tmp_path, monkeypatch, capsys):
    text = "# A page\n\n```python\nx = 1\n```\n\nText.\n\n```python\nassert x == 2, 'x is not 2'\n```\n"
    assert run_in_process(text, tmp_path, monkeypatch) == 1
    out, err = capsys.readouterr()
    assert f"ok {tmp_path / 'page.md'}:4" in out
    assert f"FAILED {tmp_path / 'page.md'}:10: the block raised" in out
    assert "x is not 2" in err and f'File "{tmp_path / "page.md"}", line 10' in err


@pytest.mark.slow  # the first HTTP error imports all of openai's types (seconds on a busy machine)
def test_scripted_answers_reach_the_block_and_unused_ones_fail_it(tmp_path, monkeypatch, capsys):
    text = (
        '<!-- snippet: {"replies": [{"$fail": 404}, "Scripted."]} -->\n'
        "```python\n"
        "import autogen\n"
        "client = autogen.OpenAIWrapper(config_list=autogen.config_list_from_json('OAI_CONFIG_LIST'))\n"
        "response = client.create(messages=[{'role': 'user', 'content': 'x'}])\n"
        "answer = client.extract_text_or_completion_object(response)\n"
        "assert answer == ['Scripted.'], answer\n"
        "```\n\n"
        '<!-- snippet: {"replies": ["never asked for"]} -->\n'
        "```python\nprint('no model call')\n```\n"
    )
    assert run_in_process(text, tmp_path, monkeypatch) == 1
    out = capsys.readouterr().out
    assert f"ok {tmp_path / 'page.md'}:3" in out  # the 404 moved on to the next entry, which got the scripted answer
    assert f"FAILED {tmp_path / 'page.md'}:12: 1 scripted model replies were never asked for" in out


def test_human_input_is_fed_to_the_block_and_unread_input_fails_it(tmp_path, monkeypatch, capsys):
    text = '<!-- snippet: {"inputs": ["typed", "extra"]} -->\n```python\nassert input() == "typed"\n```\n'
    assert run_in_process(text, tmp_path, monkeypatch) == 1
    assert "human input never read: 'extra\\n'" in capsys.readouterr().out


def test_a_skipped_block_is_not_run(tmp_path, monkeypatch, capsys):
    text = "<!-- snippet: skip needs a GPU that CI machines do not have -->\n```python\nraise SystemExit(3)\n```\n"
    assert run_in_process(text, tmp_path, monkeypatch) == 0
    assert f"skipped {tmp_path / 'page.md'}:3: needs a GPU that CI machines do not have" in capsys.readouterr().out


@pytest.mark.parametrize(
    "text, line, error",
    [
        ("<!-- snippet: skip -->\n```python\npass\n```\n", 1, "needs a reason"),
        ('<!-- snippet: {"replies": []} -->\n\nSome text.\n\n```python\npass\n```\n', 1, "right before"),
        ('<!-- snippet: {"reply": []} -->\n```python\npass\n```\n', 1, "unknown snippet keys ['reply']"),
        ("<!-- snippet: {oops} -->\n```python\npass\n```\n", 1, "neither 'skip REASON' nor JSON"),
        ("```python\npass\n```\n\n<!-- snippet: skip trailing marker without a block -->\n", 5, "right before"),
    ],
)
def test_malformed_markers_are_named_with_their_line(text, line, error):
    with pytest.raises(SnippetMarkerError) as caught:
        collect(Path("page.md"), text)
    assert str(caught.value).startswith(f"page.md:{line}: ")
    assert error in str(caught.value)
