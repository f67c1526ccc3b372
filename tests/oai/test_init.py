"""``autogen.oai`` exports the twelve names of the 0.2 API."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import autogen.oai

EXPECTED = {
    "OpenAIWrapper",
    "ModelClient",
    "Completion",
    "ChatCompletion",
    "Cache",
    "config_list_from_json",
    "config_list_from_models",
    "config_list_from_dotenv",
    "config_list_gpt4_gpt35",
    "config_list_openai_aoai",
    "filter_config",
    "get_config_list",
}


def test_star_import_gives_the_twelve_names():
    namespace: dict = {}
    exec("from autogen.oai import *", namespace)
    assert set(autogen.oai.__all__) == EXPECTED
    assert set(namespace) >= EXPECTED


def test_import_autogen_oai_does_not_import_openai():
    code = "import sys, autogen.oai, autogen.oai.openai_utils; print('openai' in sys.modules)"
    root = str(Path(autogen.oai.__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "False"
