"""Benchmark: size (and build time) of offline maps on real boundaries.

Builds Results by hand on the real ONS boundaries in ``../shared/data/real``
(fake, seeded measure values: this measures size, not analysis), renders
:func:`coverage_gaps.maps.coverage_map` with the default options, saves each
map and prints its size against the budget:

* West Midlands LSOAs (3,487 polygons): <= 3.0 MB
* England and Wales local authorities (331, from the UK LAD 2022 file): <= 1.5 MB

Usage::

    .venv/bin/python benchmarks/bench_map_size.py [--real DIR] [--out DIR]

Exits 1 when a map is over budget or two renders of it differ.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGETS_MB = {"west_midlands_lsoa": 3.0, "england_wales_lad": 1.5}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_real = os.environ.get("COVERAGE_GAPS_REAL_DATA", ROOT.parent / "shared" / "data" / "real")
    parser.add_argument("--real", default=default_real, help="folder of real open data (see PROVENANCE.md)")
    parser.add_argument("--out", help="keep the maps in this folder (default: a temporary folder)")
    args = parser.parse_args(argv)
    sys.path[:0] = [str(ROOT / "coverage"), str(ROOT / "tests")]
    from _result_fixtures import real_geography_result

    from coverage_gaps import maps

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench-map-"))
    out.mkdir(parents=True, exist_ok=True)
    ok = True
    for geography, budget in BUDGETS_MB.items():
        start = time.perf_counter()
        result = real_geography_result(geography, args.real)
        built = time.perf_counter()
        m = maps.coverage_map(result)
        path = maps.save_map(m, out / f"{geography}.html")
        rendered = time.perf_counter()
        again = maps.map_html(maps.coverage_map(result)).encode("utf-8")
        same = again == path.read_bytes()
        size = path.stat().st_size / 1e6
        within = size <= budget
        ok &= within and same
        print(f"{geography:20s} areas {len(result.areas):5,d}  providers {len(result.providers):5,d}  "
              f"size {size:5.2f} MB (budget {budget:.1f} MB, {'OK' if within else 'OVER'})  "
              f"result {built - start:4.1f} s  map {rendered - built:4.1f} s  identical {same}  "
              f"sha256 {hashlib.sha256(again).hexdigest()[:12]}  {path}")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
