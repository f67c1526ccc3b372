"""examples/_models.py: the llm_config the example scripts use for --local."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

from _models import llm_config_from


@pytest.mark.local_model
def test_local_gives_the_cpu_model_more_than_the_default_60_s_per_call():
    pytest.importorskip("llama_cpp")
    args = argparse.Namespace(local=True, config="OAI_CONFIG_LIST", model=None)
    with llm_config_from(args) as llm_config:
        assert llm_config is not None
        assert llm_config["timeout"] >= 300  # AgentOptimizer's step timed out at 60 s on a busy 2-core machine
        assert llm_config["config_list"][0]["base_url"].startswith("http://127.0.0.1:")
