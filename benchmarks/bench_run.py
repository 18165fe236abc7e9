"""Wall time of `coverage-gaps run` on the West Midlands real profile (target: < 20 s on 2 cores).

Usage: python benchmarks/bench_run.py [--data-dir ../shared/data/real] [--repeat 3]
Prints each run's wall time (a fresh process each time, so imports count) and the median.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data" / "real"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", default=str(ROOT / "data" / "profiles" / "west-midlands.toml"))
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("coverage-gaps")
    times = []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run([str(exe), "run", args.profile, "--data-dir", args.data_dir, "--out", out],
                           check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
            written = sorted(p.name for p in Path(out).iterdir())
        print(f"run {i + 1}: {times[-1]:.2f} s  (wrote {', '.join(written)})")
    print(f"coverage-gaps run {Path(args.profile).name}: median {statistics.median(times):.2f} s "
          f"over {len(times)} runs (target < 20 s)")


if __name__ == "__main__":
    main()
