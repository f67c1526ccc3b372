"""File placement helpers: the `# filename:` comment and the work-directory boundary."""

from __future__ import annotations

from pathlib import Path

import pytest

from autogen.coding.utils import (
    UnsafeFilenameError,
    filename_from_comment,
    get_file_name_from_content,
    resolve_in_workspace,
    silence_pip,
    write_file,
)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("# filename: a.py\nprint(1)", "a.py"),
        ("#filename:dir/b.sh\necho", "dir/b.sh"),
        ("#!/bin/sh\n# filename: run.sh\necho", "run.sh"),
        ("// filename: app.js\nconsole.log(1)", "app.js"),
        ("<!-- filename: page.html -->\n<p>", "page.html"),
        ("print(1)\n# filename: late.py", None),
    ],
)
def test_filename_comment_is_read_from_the_first_line(code: str, name: str) -> None:
    assert filename_from_comment(code) == name


def test_resolve_keeps_paths_inside_the_workspace(tmp_path: Path) -> None:
    assert resolve_in_workspace("a/b.py", tmp_path) == tmp_path.resolve() / "a" / "b.py"
    assert resolve_in_workspace("a/../c.py", tmp_path) == tmp_path.resolve() / "c.py"


@pytest.mark.parametrize("name", ["../x.py", "/etc/passwd", "~/x.py", "a/../../x.py", "", "."])
def test_resolve_refuses_escapes(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnsafeFilenameError, match="Refused filename"):
        resolve_in_workspace(name, tmp_path)


def test_resolve_refuses_symlinks_leading_out(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "out").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(UnsafeFilenameError, match="outside the work directory"):
        resolve_in_workspace("out/x.py", work)


def test_get_file_name_from_content_validates_the_name(tmp_path: Path) -> None:
    assert get_file_name_from_content("# filename: ok.py\n", tmp_path) == "ok.py"
    assert get_file_name_from_content("print(1)", tmp_path) is None
    with pytest.raises(UnsafeFilenameError):
        get_file_name_from_content("# filename: ../bad.py\n", tmp_path)


def test_write_file_replaces_a_final_symlink_instead_of_following_it(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("original")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_file(link, "new")
    assert target.read_text() == "original"
    assert not link.is_symlink() and link.read_text() == "new"


def test_write_file_leaves_no_temporary_files(tmp_path: Path) -> None:
    write_file(tmp_path / "sub" / "a.py", "x = 1")
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["a.py"]


def test_silence_pip_quietens_installs_only_where_they_run() -> None:
    assert silence_pip("pip install x\necho pip install y", "sh") == "pip install -qqq x\necho pip install y"
    assert silence_pip("!pip install x", "python") == "!pip install -qqq x"
    assert silence_pip("pip install -q x", "sh") == "pip install -q x"
    assert silence_pip("pip install x", "javascript") == "pip install x"
