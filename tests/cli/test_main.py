"""The `autogen` command's entry points and help."""

from __future__ import annotations

import subprocess
import sys

from autogen.cli import build_parser, main

from ._run import REPO_ROOT, cli_env


def test_help_lists_every_command(cli):
    result = cli("--help")
    assert result.returncode == 0
    for command in ("demo", "chat", "run", "config", "local"):
        assert command in result.stdout


def test_no_command_prints_help_and_exits_zero(capsys):
    assert main([]) == 0
    assert "usage: autogen" in capsys.readouterr().out


def test_version_is_printed(cli):
    from autogen.version import __version__

    result = cli("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_unknown_command_is_a_usage_error(cli):
    result = cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_non_positive_max_turns_is_rejected():
    parser = build_parser()
    try:
        parser.parse_args(["demo", "--max-turns", "0"])
    except SystemExit as exit_:
        assert exit_.code == 2
    else:
        raise AssertionError("--max-turns 0 was accepted")


def test_importing_autogen_loads_neither_the_cli_nor_rich():
    code = "import sys, autogen; print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('autogen.cli')))"
    out = subprocess.run([sys.executable, "-c", code], env=cli_env(), capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_console_script_points_at_main():
    pyproject = (REPO_ROOT / "pyproject.toml").read_text()
    assert 'autogen = "autogen.cli:main"' in pyproject
