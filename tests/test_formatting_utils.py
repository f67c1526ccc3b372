"""colored(): termcolor's colours, turned off by NO_COLOR at any time."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from autogen.formatting_utils import colored


@pytest.fixture
def colour_env(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("ANSI_COLORS_DISABLED", raising=False)
    return monkeypatch


def test_color_wraps_text_in_ansi_codes(colour_env):
    assert colored("hi", "red", force_color=True) == "\x1b[31mhi\x1b[0m"


def test_background_and_attributes_are_applied(colour_env):
    text = colored("hi", "green", "on_black", ["bold"], force_color=True)
    assert text.startswith("\x1b[1m")
    assert "\x1b[32m" in text and "\x1b[40m" in text and text.endswith("hi\x1b[0m")


def test_no_color_gives_plain_text_even_when_set_after_first_use(colour_env):
    assert colored("hi", "red", force_color=True) != "hi"
    colour_env.setenv("NO_COLOR", "1")
    assert colored("hi", "red", force_color=True) == "hi"


def test_ansi_colors_disabled_gives_plain_text(colour_env):
    colour_env.setenv("ANSI_COLORS_DISABLED", "1")
    assert colored("hi", "blue", attrs=["bold"]) == "hi"


def test_non_string_text_is_converted(colour_env):
    colour_env.setenv("NO_COLOR", "1")
    assert colored(42, "red") == "42"


def test_unknown_colour_name_raises(colour_env):
    with pytest.raises(KeyError):
        colored("hi", "not-a-colour", force_color=True)


def test_import_autogen_does_not_import_termcolor():
    script = "import sys, autogen, autogen.formatting_utils\nprint('termcolor' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "False", out.stderr
