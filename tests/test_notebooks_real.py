"""Every notebook runs top to bottom once more, on the West Midlands real profile.

nbval runs the notebooks on the demo (``make test`` collects ``notebooks/``);
this test points their parameters cell at real data through the environment.
"""

from __future__ import annotations


import nbformat
import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.realdata
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_the_west_midlands(path, real_data, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("COVERAGE_GAPS_PROFILE", str(ROOT / "data" / "profiles" / "west-midlands.toml"))
    monkeypatch.setenv("COVERAGE_GAPS_DATA_DIR", str(real_data))
    monkeypatch.setenv("COVERAGE_GAPS_OUT_DIR", str(tmp_path))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    if path.stem.startswith("03"):
        assert (tmp_path / "report.html").stat().st_size < 3_000_000
