"""The documentation site builds with `mkdocs build --strict`: a broken link or a missing API reference fails CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_the_site_builds_strictly_with_every_page_and_the_api_reference(tmp_path):
    done = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert done.returncode == 0, done.stderr[-5000:]
    assert "WARNING" not in done.stderr, done.stderr[-5000:]
    site = tmp_path / "site"
    for page in ("getting-started", "tutorial/tool-use", "topics/durable-chats", "migrating", "faq", "differences"):
        assert (site / page / "index.html").is_file(), page
    agents = (site / "reference" / "agents" / "index.html").read_text(encoding="utf-8")
    assert "ConversableAgent" in agents and "initiate_chat" in agents and "register_for_llm" in agents
    budget = (site / "reference" / "budget" / "index.html").read_text(encoding="utf-8")
    assert "set_budget" in budget and "BudgetExceeded" in budget


@pytest.mark.slow
@pytest.mark.parametrize(
    "page, error",
    [
        ("# Home\n\nSee [the guide](no-such-page.md).\n", "'no-such-page.md', but the target is not found"),
        ("# Home\n\n::: autogen.no_such_module\n", "Could not collect 'autogen.no_such_module'"),
    ],
    ids=["broken link", "missing API reference"],
)
def test_our_settings_fail_the_build_on(page, error, tmp_path):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(page, encoding="utf-8")
    config.update(docs_dir=str(docs), nav=[{"Home": "index.md"}])
    config["plugins"][1]["mkdocstrings"]["handlers"]["python"]["paths"] = [str(ROOT)]
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    done = mkdocs_build(path, tmp_path / "site")
    assert done.returncode == 1
    assert error in done.stderr, done.stderr[-3000:]
