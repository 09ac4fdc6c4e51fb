"""House rules for committed notebooks: no outputs, thin (no functions or classes), a typed
parameters cell; and each notebook executes on the sample."""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import nbformat
import pytest

from analysis import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))


def _tracked_notebooks() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "*.ipynb"], cwd=config.PROJECT_DIR, capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return NOTEBOOKS
    return [config.PROJECT_DIR / p for p in out] or NOTEBOOKS


def test_there_are_notebooks():
    assert config.NOTEBOOKS_DIR / "briefing.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", _tracked_notebooks(), ids=lambda p: p.name)
def test_committed_notebooks_carry_no_outputs(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    for cell in doc["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: a cell has outputs"
            assert cell.get("execution_count") is None, f"{path.name}: a cell has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_thin(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    params = ast.parse(tagged[0].source)
    assert params.body and all(isinstance(node, ast.AnnAssign) for node in params.body), (
        "the parameters cell holds typed assignments only"
    )
    for line in tagged[0].source.splitlines():
        assert "#" in line, f"parameter without a comment: {line}"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), (
                f"{path.name}: logic belongs in analysis/, not in the notebook"
            )
        assert "matplotlib" not in cell.source and "rcParams" not in cell.source


#: Notebooks the render tests already execute end to end (test_batch renders the briefing and every
#: profile through papermill, test_briefing the briefing in both languages), so running them here
#: again would only cost time.
RENDERED_ELSEWHERE = {"briefing.ipynb", "department.ipynb"}


@pytest.mark.slow
@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name not in RENDERED_ELSEWHERE], ids=lambda p: p.name)
def test_notebook_executes_on_the_sample(path, tmp_path):
    import papermill

    out = tmp_path / path.name
    papermill.execute_notebook(
        str(path), str(out), parameters={"lang": "da"}, kernel_name="python3", cwd=str(path.parent), progress_bar=False
    )
    executed = nbformat.read(out, as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and 'lang = "da"' in injected[0].source
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    if path.name == "explore.ipynb":
        # An analyst's notebook: tables as DataFrames and a chart, no document sections.
        assert html.count("<table") >= 3 and any("image/png" in o.get("data", {}) for o in outputs)
        assert not [o for o in outputs if o.get("output_type") == "error"]
    else:
        assert "Resumé" in html and "<img" in html
