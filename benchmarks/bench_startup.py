"""Start-up: `coverage-gaps --help` and `--version` (target < 0.3 s), and notebook 01's cold run.

Usage::

    python benchmarks/bench_startup.py [--repeat 10] [--notebook] [--profile data/profiles/west-midlands.toml]

Each command is a fresh process; the median wall time of ``--repeat`` runs is
printed.  ``--notebook`` also executes ``notebooks/01-explore-coverage.ipynb``
headless (``jupyter nbconvert --execute``, a fresh kernel: kernel start,
imports, loading, the analysis and the first map) on the given profile, and
prints where the time goes from ``python -X importtime`` of the package face
and the pipeline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _median_wall(cmd: list[str], repeat: int, **kwargs) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--notebook", action="store_true")
    parser.add_argument("--profile", default=str(ROOT / "data" / "profiles" / "west-midlands.toml"))
    args = parser.parse_args()
    exe = str(BIN / "coverage-gaps")
    for flag in ("--help", "--version"):
        print(f"coverage-gaps {flag}: median {_median_wall([exe, flag], args.repeat):.3f} s over {args.repeat} runs "
              "(target < 0.3 s)")
    if args.notebook:
        env = dict(os.environ, COVERAGE_GAPS_PROFILE=os.path.abspath(args.profile))
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--output-dir", tmp,
                   str(ROOT / "notebooks" / "01-explore-coverage.ipynb")]
            seconds = _median_wall(cmd, 1, env=env, cwd=ROOT / "notebooks")
        print(f"notebook 01 on {Path(args.profile).name}, executed cold (kernel start included): {seconds:.1f} s")
        for what, code in (("kernel-free import of the package face", "import coverage_gaps"),
                           ("the pipeline and its dependencies", "import coverage_gaps.pipeline"),
                           ("maps (folium, branca, jinja2)", "import coverage_gaps.maps")):
            t = _median_wall([sys.executable, "-c", code], 3)
            print(f"  {what}: {t:.2f} s in a fresh interpreter")


if __name__ == "__main__":
    main()
