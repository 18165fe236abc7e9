"""Wall and CPU time of `coverage-gaps run` on a real profile, optionally side by side with another checkout.

Usage::

    python benchmarks/bench_run.py [--profile data/profiles/west-midlands.toml] [--repeat 5]
    python benchmarks/bench_run.py --vs /work/main --repeat 7     # this checkout (A) against another one (B)

Each run is a fresh process (imports count), with Python's bytecode cache on
as on a user's machine: ``PYTHONDONTWRITEBYTECODE`` is removed from the
runs' environment (this sandbox sets it, which makes both sides compile their
own package's source on every run; ``--keep-env`` keeps it).  With ``--vs DIR`` the two run in
turn, A B A B ..., after one warm-up each; ``DIR/.venv/bin/coverage-gaps``
runs ``DIR``'s own profile of the same name (``cd DIR`` first), so each side
reads its own data paths.  Prints every run, the medians and the median of the
pairwise ratios A / B (robust to a machine whose speed drifts).
Target: West Midlands `run` < 20 s; against today's main, at least 35% faster (A / B <= 0.65).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _one(checkout: Path, profile: str, extra: list[str], env: dict) -> tuple[float, float]:
    exe = checkout / ".venv" / "bin" / "coverage-gaps"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([str(exe), "run", profile, "--out", out, *extra], check=True, stdout=subprocess.DEVNULL,
                       cwd=checkout, env=env)
        wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="data/profiles/west-midlands.toml", help="relative to each checkout")
    parser.add_argument("--data-dir", help="passed on to both sides")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--vs", help="another checkout with its own .venv (e.g. today's main)")
    parser.add_argument("--keep-env", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE if set (every run then compiles the package's source)")
    args = parser.parse_args()
    env = dict(os.environ)
    if not args.keep_env and env.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        print("PYTHONDONTWRITEBYTECODE removed for the runs: bytecode is cached as on a user's machine")
    extra = ["--data-dir", os.path.abspath(args.data_dir)] if args.data_dir else []
    sides = {"A": ROOT} | ({"B": Path(args.vs).resolve()} if args.vs else {})
    for side in sides.values():  # warm-up: file caches, bytecode, numba's compiled cache
        _one(side, args.profile, extra, env)
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in sides}
    for i in range(args.repeat):
        for name, checkout in sides.items():
            runs[name].append(_one(checkout, args.profile, extra, env))
            wall, cpu = runs[name][-1]
            print(f"run {i + 1} {name} ({checkout}): {wall:.2f} s wall, {cpu:.2f} s CPU")
    for name, checkout in sides.items():
        print(f"{name} {checkout}: median {statistics.median(w for w, _ in runs[name]):.2f} s wall, "
              f"{statistics.median(c for _, c in runs[name]):.2f} s CPU over {args.repeat} runs")
    if args.vs:
        wall = statistics.median(a[0] / b[0] for a, b in zip(runs["A"], runs["B"]))
        cpu = statistics.median(a[1] / b[1] for a, b in zip(runs["A"], runs["B"]))
        print(f"A / B: median of pairwise ratios {wall:.3f} wall, {cpu:.3f} CPU "
              f"({(1 - wall) * 100:.0f}% faster wall; target >= 35%)")


if __name__ == "__main__":
    main()
