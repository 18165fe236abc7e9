"""Every notebook runs top to bottom once more, on the West Midlands real profile.

nbval runs the notebooks on the demo (``make test`` collects ``notebooks/``);
this test points their parameters cell at real data through the environment.
"""

from __future__ import annotations


import nbformat
import pytest

from browser import offline_page
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.realdata
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_the_west_midlands(path, real_data, tmp_path, monkeypatch, chromium, out_dir):
    from nbclient import NotebookClient

    monkeypatch.setenv("COVERAGE_GAPS_PROFILE", str(ROOT / "data" / "profiles" / "west-midlands.toml"))
    monkeypatch.setenv("COVERAGE_GAPS_DATA_DIR", str(real_data))
    monkeypatch.setenv("COVERAGE_GAPS_OUT_DIR", str(tmp_path))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    # No Python warning printed: warnings go into the folded "Data notes" outputs.
    printed = [o.text for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if o.output_type == "stream" and o.name == "stderr"]
    assert printed == []
    shown = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if o.output_type in ("display_data", "execute_result") and "text/html" in o.get("data", {})]
    assert shown and not any(">BNG_E<" in h or ">OBJECTID<" in h for h in shown)  # no internal columns shown
    page_html = '<html lang="en-GB"><body style="font-family:sans-serif">' + "<hr>".join(shown) + "</body></html>"
    with offline_page(chromium, html=page_html, out_dir=out_dir, screenshot=f"{path.stem}.png",
                      viewport=(1280, 900)) as (page, log):
        page.wait_for_timeout(1500)  # maps in frames draw
        page.screenshot(path=str(out_dir / f"{path.stem}_full.png"), full_page=True)
    assert not log.requests, log.summary()
    if path.stem.startswith("03"):
        assert (tmp_path / "report.html").stat().st_size < 3_000_000
