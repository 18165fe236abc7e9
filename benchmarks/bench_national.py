"""Benchmark: a national LSOA-like layer (about 35,000 areas) through `coverage-gaps run`, and how its outputs open.

Builds, in a temporary folder, a synthetic England and Wales layer of about
35,000 small areas from the real open data in ``../shared/data/real``:

* each district (ONS LAD Dec 2022) gets cells in proportion to its mid-2021
  population, at least one: Voronoi cells of points placed uniformly inside the
  district (``benchmarks/_people.py``), clipped to it, so the areas tile the
  country like LSOAs (not their real shapes);
* demand: the district's people on asylum support at the latest Asy_D11 quarter
  (all support types; districts whose code is not in the LAD 2022 boundaries
  get none), and its population, split equally over its cells;
* providers: the real LAA directory (IMMAS offices as supply, postcode-district
  centroids for the few without coordinates), as in the England and Wales
  profile.

Then runs ``coverage-gaps run`` on it (a fresh process, imports included) and
prints the wall time, the size of every output, and, when Playwright and
Chromium are installed, the time to first paint and to a responsive page of
``map.html`` and ``report.html`` in headless Chromium (network off).

Usage::

    .venv/bin/python benchmarks/bench_national.py [--areas 35000] [--keep DIR] [--no-browser]

Targets (issue 16): run < 25 s, map.html < 5 MB with first paint < 2 s, report.html < 10 MB and interactive < 3 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import _people  # noqa: E402

PROFILE = """[profile]
title = "England and Wales, {n:,} LSOA-like areas (benchmark layer)"
region = ["E12000001", "E12000002", "E12000003", "E12000004", "E12000005", "E12000006", "E12000007", "E12000008", "E12000009", "W92000004"]
region_name = "England and Wales"
generated_on = "2026-12-01"

[inputs.areas]
path = "{dir}/areas.gpkg"
code_column = "LSOA11CD"
name_column = "LSOA11NM"

[inputs.region_lookup]
path = "{dir}/lookup.csv"

[inputs.postcode_districts]
path = "{real}/uk_postcode_outcode_centroids_2014.csv"

[[inputs.demand]]
name = "asylum_support"
format = "table"
path = "{dir}/demand.csv"
code_column = "area_code"
columns = ["asylum_support"]

[[inputs.demand]]
name = "population"
format = "table"
path = "{dir}/demand.csv"
code_column = "area_code"
columns = ["population"]

[[inputs.providers]]
name = "laa_offices"
format = "laa_directory"
path = "{real}/laa_legal_aid_provider_offices_2015.csv"
categories = ["IMMAS"]

[analysis]
demand = "asylum_support"
population = "population"
catchment_km = 30
decay = "gaussian"
rule = "asylum"
rank_by = "unmet_demand"
top = 10

[sources.areas]
date = "2022-12"
[sources.laa_offices]
date = "2015-11"
"""


def build_layer(n_areas: int, out: Path, *, seed: int = 7) -> int:
    """Write areas.gpkg, lookup.csv and demand.csv for about ``n_areas`` cells; return the count."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    lad = _people.districts()
    counts = np.maximum(1, _people._split(n_areas, lad["population"].to_numpy()))
    rng = np.random.default_rng(seed)
    seeds, owner = _people.points_in(lad.geometry.to_numpy(), counts, rng)
    cells, codes, names, parent = [], [], [], []
    for k, (geom, code, name) in enumerate(zip(lad.geometry, lad["LAD22CD"], lad["LAD22NM"])):
        pts = seeds[owner == k]
        if len(pts) == 1:
            parts = [geom]
        else:
            regions = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=geom)
            parts = [p for p in shapely.intersection(shapely.get_parts(regions), geom) if not p.is_empty]
        for i, part in enumerate(parts, start=1):
            cells.append(part)
            codes.append(f"{code[0]}01{len(codes) + 1:06d}")
            names.append(f"{name} {i:03d}")
            parent.append(code)
    areas = gpd.GeoDataFrame({"LSOA11CD": codes, "LSOA11NM": names, "LAD22CD": parent}, geometry=cells,
                             crs=27700)
    areas.to_file(out / "areas.gpkg", driver="GPKG")

    regions = pd.read_csv(_people.REAL / "lad22_to_region22_england_lookup.csv", encoding="utf-8-sig")
    region_of = dict(zip(regions["LAD22CD"], regions["RGN22CD"]))
    region_name = dict(zip(regions["RGN22CD"], regions["RGN22NM"]))
    rgn = [region_of.get(p, "W92000004") for p in parent]
    pd.DataFrame({"LAD22CD": codes, "LAD22NM": names, "RGN22CD": rgn,
                  "RGN22NM": [region_name.get(r, "Wales") for r in rgn]}).to_csv(out / "lookup.csv", index=False)

    asy = pd.read_csv(_people.REAL / "ho_asy_d11_asylum_support_by_la.csv")
    latest = asy[asy["Date"] == asy["Date"].max()].groupby("LAD Code")["People"].sum()
    per_lad = pd.Series(parent).value_counts()
    share = 1.0 / pd.Series(parent).map(per_lad).to_numpy()
    people = pd.Series(parent).map(latest).fillna(0.0).to_numpy() * share
    population = pd.Series(parent).map(lad.set_index("LAD22CD")["population"]).to_numpy() * share
    pd.DataFrame({"area_code": codes, "asylum_support": np.round(people, 3),
                  "population": np.round(population, 1)}).to_csv(out / "demand.csv", index=False)
    return len(codes)


def browser_times(path: Path) -> dict:
    """Milliseconds to first contentful paint and until the page answers a script, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from browser import CHROMIUM, LAUNCH_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "blob:"))
                   else route.abort())
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load", timeout=300_000)
        loaded = (time.perf_counter() - start) * 1000
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
        ready = (time.perf_counter() - start) * 1000
        paint = page.evaluate("() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")
        browser.close()
    return {"first_paint_ms": paint, "load_ms": loaded, "responsive_ms": ready}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--areas", type=int, default=35_000)
    parser.add_argument("--keep", help="build and run in this folder (default: a temporary one)")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-national-") as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        n = build_layer(args.areas, work)
        print(f"layer: {n:,} areas built in {time.perf_counter() - start:.1f} s")
        profile = work / "national.toml"
        profile.write_text(PROFILE.format(n=n, dir=work.as_posix(), real=_people.REAL.as_posix()), encoding="utf-8")
        exe = Path(sys.executable).with_name("coverage-gaps")
        start = time.perf_counter()
        done = subprocess.run([str(exe), "run", str(profile), "--out", str(work / "out")], capture_output=True,
                              text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-4000:])
            return 1
        print(f"coverage-gaps run: {seconds:.1f} s wall (target < 25 s)")
        for f in sorted((work / "out").iterdir()):
            print(f"  {f.name:<24} {f.stat().st_size / 1e6:8.2f} MB")
        if not args.no_browser:
            for name, paint_target, ready_target in (("map.html", 2000, None), ("report.html", None, 3000)):
                path = work / "out" / name
                if path.exists():
                    t = browser_times(path)
                    print(f"  {name}: first paint {t['first_paint_ms'] or float('nan'):.0f} ms, load event "
                          f"{t['load_ms']:.0f} ms, responsive {t['responsive_ms']:.0f} ms"
                          + (f" (first paint target < {paint_target} ms)" if paint_target else "")
                          + (f" (interactive target < {ready_target} ms)" if ready_target else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
