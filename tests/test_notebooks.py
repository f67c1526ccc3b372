"""Every notebook in notebook/ runs in a real Jupyter kernel against the test server, with the answers it
scripts, and ships with the outputs of such a run."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autogen.testing.notebooks import NotebookRunError, run_notebook, scripted_replies

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebook").glob("*.ipynb"))

pytestmark = [pytest.mark.jupyter]


def test_there_are_at_least_ten_notebooks_and_the_readme_links_each():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert len(NOTEBOOKS) >= 10
    for path in NOTEBOOKS:
        assert f"notebook/{path.name}" in readme, f"README does not link {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_ships_outputs_of_a_run(path):
    book = nbformat.read(path, as_version=4)
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), "every code cell was run before saving"
    assert not [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert scripted_replies(book, str(path)), "the notebook scripts the answers its outputs came from"


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_against_the_test_server(path):
    run = run_notebook(str(path), timeout=240)
    assert len(run.chat_requests) == len(scripted_replies(run.notebook, str(path)))
    assert all(cell.execution_count for cell in run.notebook.cells if cell.cell_type == "code")


def test_a_notebook_that_makes_fewer_calls_than_it_scripts_fails(tmp_path):
    book = nbformat.v4.new_notebook()
    book.cells.append(nbformat.v4.new_code_cell("x = 1"))
    book.metadata["autogen"] = {"test_replies": ["never asked for"]}
    path = tmp_path / "idle.ipynb"
    nbformat.write(book, path)
    with pytest.raises(NotebookRunError, match="1 of the 1 scripted answers were not used"):
        run_notebook(str(path))


def test_a_failing_cell_is_named(tmp_path):
    book = nbformat.v4.new_notebook()
    book.cells.append(nbformat.v4.new_code_cell("raise ValueError('broken on purpose')"))
    book.metadata["autogen"] = {"test_replies": []}
    path = tmp_path / "broken.ipynb"
    nbformat.write(book, path)
    with pytest.raises(NotebookRunError, match="broken on purpose"):
        run_notebook(str(path))


def test_a_notebook_without_a_script_says_how_to_add_one(tmp_path):
    path = tmp_path / "plain.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), path)
    with pytest.raises(NotebookRunError, match=r"metadata\.autogen\.test_replies"):
        run_notebook(str(path))
