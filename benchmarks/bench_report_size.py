"""Benchmark: size and render time of the funder report for the West Midlands.

Runs the real West Midlands profile (``data/profiles/west-midlands.toml``, real
open data from ``../shared/data/real``), writes the self-contained report and
prints its size, how much of it is the embedded map, and the render time.  It
renders twice and checks the two files are byte-identical.

Usage::

    .venv/bin/python benchmarks/bench_report_size.py
    .venv/bin/python benchmarks/bench_report_size.py --profile data/profiles/england-wales.toml --out out/bench

Target: report <= 3 MB for the West Midlands.  Exits 1 when over budget or
when the two renders differ.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MB = 3.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default=str(ROOT / "data" / "profiles" / "west-midlands.toml"))
    parser.add_argument("--out", help="keep the report in this folder (default: a temporary folder)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "coverage"))
    from coverage_gaps import maps, report
    from coverage_gaps.pipeline import run_profile

    start = time.perf_counter()
    result = run_profile(args.profile, trend=True)  # as `coverage-gaps run` and `report` write it
    analysis_s = time.perf_counter() - start

    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        return _measure(result, Path(args.out or tmp), args.profile, analysis_s, maps, report, keep=bool(args.out))


def _measure(result, out: Path, profile: str, analysis_s: float, maps, report, *, keep: bool) -> int:
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    path = report.write_report(result, out / "report.html")
    render_s = time.perf_counter() - start
    again = report.render_report(result).encode("utf-8")
    same = again == path.read_bytes()

    size_mb = path.stat().st_size / 1e6
    map_mb = len(maps.map_html(maps.coverage_map(report.public_result(result))).encode("utf-8")) / 1e6
    print(f"profile:        {profile}")
    print(f"areas:          {len(result.areas):,}; providers: {len(result.providers):,}")
    print(f"analysis:       {analysis_s:.2f} s")
    print(f"report render:  {render_s:.2f} s")
    print(f"report size:    {size_mb:.2f} MB (budget {BUDGET_MB:.1f} MB); map document {map_mb:.2f} MB before escaping")
    print(f"sha256:         {hashlib.sha256(path.read_bytes()).hexdigest()[:16]}; second render identical: {same}")
    print(f"report:         {path}" if keep else "report:         (temporary; pass --out DIR to keep it)")
    ok = size_mb <= BUDGET_MB and same
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
