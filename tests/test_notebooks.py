"""Execute the example notebooks top to bottom, as a reader would.

Each notebook runs in a fresh kernel on the interpreter running the tests, with its working directory
set to ``notebooks/`` so the relative paths in it (``../seeds/``) resolve. The notebook files are read
and executed in memory: nothing is written back to the repository (a copy with the new outputs is
left in pytest's temporary folder for debugging). Notebooks 02 and 03 need the development corpora
and are skipped, with the reason, when they are absent.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
from conftest import _data_home  # the development corpora, found as every test finds them

nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO_ROOT / "notebooks"
CELL_TIMEOUT = 600  # seconds per cell
KERNEL = "rhetoric-nbtest"




@pytest.fixture
def kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernelspec that starts *this* interpreter, first on the Jupyter path.

    A user-level ``python3`` kernelspec may point at another environment; the notebooks must run
    against the rhetoric being tested.
    """
    spec_dir = tmp_path / "jupyter" / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "rhetoric tests", "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", os.pathsep.join(filter(None, [str(tmp_path / "jupyter"),
                                                                       os.environ.get("JUPYTER_PATH")])))
    return KERNEL


def run_notebook(name: str, kernel: str, tmp_path: Path) -> nbformat.NotebookNode:
    path = NOTEBOOKS / name
    assert path.is_file(), f"{path} is missing"
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name=kernel, record_timing=False,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    try:
        client.execute()
    finally:
        nbformat.write(nb, tmp_path / name)  # the executed copy, for a look when a cell fails
    return nb


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


def test_quickstart(kernel_env: str, tmp_path: Path) -> None:
    nb = run_notebook("01-quickstart.ipynb", kernel_env, tmp_path)
    html = [o["data"]["text/html"] for o in outputs(nb) if "text/html" in o.get("data", {})]
    assert any("rhetoric-report" in h for h in html), "the highlighted report was not displayed"


def _needs_data(monkeypatch: pytest.MonkeyPatch) -> None:
    home = _data_home()
    if home is None:
        pytest.skip("development corpora not found: set RHETORIC_DATA or put them in "
                    f"{REPO_ROOT.parent / 'shared' / 'data'} (notebooks 02 and 03 need them)")
    monkeypatch.setenv("RHETORIC_DATA", str(home.resolve()))


@pytest.mark.slow
@pytest.mark.shared_data
def test_retraining(kernel_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _needs_data(monkeypatch)
    run_notebook("02-retraining.ipynb", kernel_env, tmp_path)


@pytest.mark.slow
@pytest.mark.shared_data
def test_corpus_comparison(kernel_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _needs_data(monkeypatch)
    nb = run_notebook("03-corpus-comparison.ipynb", kernel_env, tmp_path)
    assert any("image/png" in o.get("data", {}) for o in outputs(nb)), "no figure was drawn"


def test_data_check_fails_clearly(kernel_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the corpora, the first code cell of 02 and 03 stops with instructions, not a traceback deep inside."""
    monkeypatch.setenv("RHETORIC_DATA", str(tmp_path / "no-data-here"))
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/rhetoric_data either
    for name in ("02-retraining.ipynb", "03-corpus-comparison.ipynb"):
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        first = next(c for c in nb.cells if c.cell_type == "code")
        check = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(first.source)])
        # run from a folder without ../../shared/data beside it
        workdir = tmp_path / "a" / "b"
        workdir.mkdir(parents=True, exist_ok=True)
        client = nbclient.NotebookClient(check, timeout=120, kernel_name=kernel_env,
                                         resources={"metadata": {"path": str(workdir)}})
        with pytest.raises(nbclient.exceptions.CellExecutionError) as info:
            client.execute()
        assert "RuntimeError" in str(info.value) and "RHETORIC_DATA" in str(info.value), name
