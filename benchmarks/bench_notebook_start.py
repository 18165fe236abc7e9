"""Notebook 01's cold start, and where the time goes: kernel start, each cell, and the imports behind them.

Usage::

    python benchmarks/bench_notebook_start.py [--profile data/profiles/west-midlands.toml] [--repeat 1]

Prints (no asserts; figures to read):

* the kernel's start (a fresh ``python3`` kernel, as JupyterLab starts one);
* each code cell of ``notebooks/01-explore-coverage.ipynb`` executed in that
  kernel with nbclient, with its first comment line, so the cell that loads
  the inputs, the one that runs the analysis and the one that draws the first
  map can be told apart;
* the import cost of the package face, the pipeline and the maps in fresh
  interpreters, and the ten heaviest top-level packages in
  ``python -X importtime -c "import coverage_gaps.pipeline, coverage_gaps.maps"``.

The profile defaults to the embedded demo; ``--profile`` takes any profile
(set ``--data-dir`` when its paths are relative to another folder).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01-explore-coverage.ipynb"


def _cells(profile: str | None, data_dir: str | None) -> tuple[float, list[tuple[str, float]]]:
    """Kernel start and (first line, seconds) for each code cell, in one fresh kernel."""
    import nbformat
    from nbclient import NotebookClient

    env = {"COVERAGE_GAPS_PROFILE": profile or "", "COVERAGE_GAPS_DATA_DIR": data_dir or ""}
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=900, resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    old = {k: os.environ.get(k) for k in env}
    os.environ.update({k: v for k, v in env.items() if v})
    try:
        start = time.perf_counter()
        with client.setup_kernel():
            kernel = time.perf_counter() - start
            timings = []
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                t = time.perf_counter()
                client.execute_cell(cell, index)
                timings.append((cell.source.splitlines()[0][:90], time.perf_counter() - t))
                print(f"    (cell {len(timings)} done: {timings[-1][1]:.2f} s)", file=sys.stderr, flush=True)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return kernel, timings


def _fresh(code: str, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _heaviest(code: str, top: int = 12) -> list[tuple[str, float]]:
    """Distributions by the import time spent in their own modules (seconds, ``python -X importtime`` self times)."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", code], check=True, capture_output=True,
                         text=True).stderr
    by_package: dict[str, float] = defaultdict(float)
    for line in err.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if m:
            by_package[m.group(2).split(".")[0].lstrip("_")] += int(m.group(1)) / 1e6
    return sorted(by_package.items(), key=lambda kv: -kv[1])[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="profile to run (default: the embedded demo)")
    parser.add_argument("--data-dir")
    parser.add_argument("--repeat", type=int, default=1, help="cold runs of the notebook (a new kernel each)")
    args = parser.parse_args()
    profile = os.path.abspath(args.profile) if args.profile else None
    print(f"notebook 01 on {Path(profile).name if profile else 'the embedded demo'}")
    runs = [_cells(profile, args.data_dir) for _ in range(args.repeat)]
    kernel = statistics.median(k for k, _ in runs)
    print(f"  kernel start: {kernel:.2f} s")
    total = kernel
    for i, (line, _) in enumerate(runs[0][1]):
        seconds = statistics.median(r[1][i][1] for r in runs)
        total += seconds
        print(f"  cell {i + 1}: {seconds:6.2f} s  {line}")
    print(f"  total to the last cell: {total:.1f} s (median of {args.repeat} cold run(s); the first map is cell 6)")
    print("imports in a fresh interpreter (median of 3):")
    for what, code in (("python itself", "pass"), ("import coverage_gaps (the lazy face)", "import coverage_gaps"),
                       ("import coverage_gaps.pipeline", "import coverage_gaps.pipeline"),
                       ("import coverage_gaps.maps", "import coverage_gaps.maps"),
                       ("pipeline + maps + notebook", "import coverage_gaps.pipeline, coverage_gaps.maps, "
                                                      "coverage_gaps.notebook")):
        print(f"  {what}: {_fresh(code):.2f} s")
    print("where that import time goes, by package (time in its own modules, one run):")
    for name, seconds in _heaviest("import coverage_gaps.pipeline, coverage_gaps.maps, coverage_gaps.notebook"):
        print(f"  {name}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
