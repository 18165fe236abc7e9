"""Every notebook runs top to bottom once more, on the West Midlands real profile.

nbval runs the notebooks on the demo (``make test`` collects ``notebooks/``);
this test points their parameters cell at real data through the environment.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from browser import need_chromium
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.realdata
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_the_west_midlands(path, real_data, tmp_path, monkeypatch, out_dir):
    from nbclient import NotebookClient

    monkeypatch.setenv("COVERAGE_GAPS_PROFILE", str(ROOT / "data" / "profiles" / "west-midlands.toml"))
    monkeypatch.setenv("COVERAGE_GAPS_DATA_DIR", str(real_data))
    monkeypatch.setenv("COVERAGE_GAPS_OUT_DIR", str(tmp_path))
    nb = nbformat.read(path, as_version=4)
    # execute() raises CellExecutionError on the first failing cell, naming the cell and the error
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code), "every code cell ran"
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("data", {}).get("text/html", ""))
                     + str(o.get("text", "")) for c in code for o in c.get("outputs", []))
    assert "Stoke-on-Trent" in text or path.stem.startswith("03"), \
        "the notebook shows the real profile's areas (Stoke-on-Trent, E06000021), not the demo's"
    assert "Demo Region" not in text and "synthetic demo data" not in text.lower()
    if path.stem.startswith("02"):
        assert (tmp_path / "targets.xlsx").stat().st_size > 0 and (tmp_path / "targets.csv").stat().st_size > 0
    # No Python warning printed: warnings go into the folded "Data notes" outputs.
    printed = [o.text for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if o.output_type == "stream" and o.name == "stderr"]
    assert printed == []
    shown = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if o.output_type in ("display_data", "execute_result") and "text/html" in o.get("data", {})]
    assert shown and not any(">BNG_E<" in h or ">OBJECTID<" in h for h in shown)  # no internal columns shown
    page_html = '<html lang="en-GB"><body style="font-family:sans-serif">' + "<hr>".join(shown) + "</body></html>"
    (out_dir / f"{path.stem}.html").write_text(page_html, encoding="utf-8")
    need_chromium()
    shot = subprocess.run([sys.executable, str(ROOT / "tests" / "_screenshot.py"), str(out_dir / f"{path.stem}.html"),
                           str(out_dir / f"{path.stem}.png")], capture_output=True, text=True, timeout=300)
    assert shot.returncode == 0, shot.stderr[-2000:]
    if path.stem.startswith("03"):
        report = (tmp_path / "report.html").read_text(encoding="utf-8")
        assert len(report.encode()) < 3_000_000 and "Stoke-on-Trent" in report
