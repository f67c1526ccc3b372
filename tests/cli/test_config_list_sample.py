"""The repository's OAI_CONFIG_LIST_sample: one entry per kind of endpoint, read by `autogen config check`."""

from __future__ import annotations

import json

import pytest

from autogen.oai.providers import PROVIDERS

from ._run import REPO_ROOT

SAMPLE = REPO_ROOT / "OAI_CONFIG_LIST_sample"


def test_the_sample_has_an_entry_per_kind_of_endpoint():
    entries = json.loads(SAMPLE.read_text(encoding="utf-8"))  # plain JSON, as the loaders read it
    kinds = {entry.get("api_type") for entry in entries}
    assert kinds >= {None, "azure", "llama.cpp", *PROVIDERS}  # OpenAI (and compatible), Azure, every SDK provider
    assert all(isinstance(entry["model"], str) and entry["model"] for entry in entries)


@pytest.mark.slow
def test_config_check_reads_the_sample_and_reports_every_entry(cli):
    result = cli("config", "check", str(SAMPLE), "--timeout", "2", timeout=300)
    entries = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert f"{len(entries)} valid entries in file {SAMPLE}" in result.stdout, result.stderr
    rows = [line for line in result.stdout.splitlines() if "FAILED" in line]
    assert len(rows) == len(entries)  # placeholders reach no endpoint; each entry gets its row
    for kind in ("azure", "llama.cpp", *PROVIDERS):
        assert any(f" {kind} " in row for row in rows), kind
    assert f"{len(entries)} of {len(entries)} endpoints did not answer" in result.stdout
    assert result.returncode == 1
    assert "<your OpenAI API key here>" not in result.stdout + result.stderr  # keys are never printed
