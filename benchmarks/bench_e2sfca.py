"""Benchmark: Gaussian E2SFCA, this project against PySAL ``access``.

190,000 demand points and 5,000 providers, uniform on a 600 km square, 30 km
catchment, Gaussian (Dai 2010) decay.  Each side runs in its own subprocess so
its peak resident memory (``ru_maxrss``) is its own:

* **ours**: ``pairs_within`` (cKDTree neighbour search) + ``fca_access``, timed
  together (and each reported).
* **access**: PySAL ``access`` ``enhanced_two_stage_fca`` with the same
  Gaussian as a scalar weight function and ``max_cost=30``.  It needs a cost
  table, built (untimed) from the same neighbour pairs; only ``access``'s own
  computation (``Access(...)`` plus the E2SFCA call) is timed.

Both sides write their access values; the parent checks they agree.  Inputs
come from a seeded RNG, so every run uses the same points.

Usage::

    .venv/bin/python benchmarks/bench_e2sfca.py            # full size
    .venv/bin/python benchmarks/bench_e2sfca.py --quick    # 19,000 x 500, seconds
    .venv/bin/python benchmarks/bench_e2sfca.py --access-scale 0.25   # run access on a quarter-size copy

Targets: ours <= 1.5 s, >= 10x faster than access, peak <= 0.5 GB.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SIDE_KM = 600.0
CATCHMENT_KM = 30.0
REPEATS = 3


def make_inputs(n_demand: int, n_supply: int, seed: int):
    """Uniform points on a SIDE_KM square (BNG-like metres), integer demand and capacity."""
    rng = np.random.default_rng(seed)
    demand_xy = rng.uniform(0.0, SIDE_KM * 1000.0, size=(n_demand, 2))
    supply_xy = rng.uniform(0.0, SIDE_KM * 1000.0, size=(n_supply, 2))
    demand = rng.integers(1, 200, size=n_demand).astype(float)
    capacity = rng.integers(1, 6, size=n_supply).astype(float)
    return demand_xy, supply_xy, demand, capacity


def peak_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker_ours(args) -> dict:
    from coverage_gaps.measures import fca_access, make_decay, pairs_within

    demand_xy, supply_xy, demand, capacity = make_inputs(args.n_demand, args.n_supply, args.seed)
    decay = make_decay("gaussian", catchment_km=CATCHMENT_KM)
    before = peak_mb()
    runs = []
    for _ in range(REPEATS):  # the first run is cold (fresh memory); the figures use it
        t0 = time.perf_counter()
        i, j, dist = pairs_within(demand_xy, supply_xy, max_km=decay.reach_km)
        t1 = time.perf_counter()
        access = fca_access(demand, capacity, i, j, dist, decay=decay)
        t2 = time.perf_counter()
        runs.append((t2 - t0, t1 - t0, t2 - t1))
        if len(runs) == 1:
            peak_first, pairs = peak_mb(), len(i)
        del i, j, dist
    np.save(args.out, access)
    return {"side": "ours", "seconds": runs[0][0], "search_seconds": runs[0][1], "fca_seconds": runs[0][2],
            "median_seconds": float(np.median([r[0] for r in runs])), "pairs": int(pairs),
            "peak_mb": peak_first, "baseline_mb": before, "n_demand": args.n_demand, "n_supply": args.n_supply}


def worker_access(args) -> dict:
    import logging

    import pandas as pd
    from access import Access

    from coverage_gaps.measures import pairs_within

    logging.getLogger("access").setLevel(logging.WARNING)
    demand_xy, supply_xy, demand, capacity = make_inputs(args.n_demand, args.n_supply, args.seed)
    i, j, dist = pairs_within(demand_xy, supply_xy, max_km=CATCHMENT_KM)
    cost = pd.DataFrame({"origin": i, "dest": j, "cost": dist})
    del i, j, dist
    demand_df = pd.DataFrame({"demand": demand}, index=pd.RangeIndex(len(demand), name="geoid"))
    supply_df = pd.DataFrame({"capacity": capacity}, index=pd.RangeIndex(len(capacity), name="geoid"))
    edge = math.exp(-0.5)

    def gaussian(d: float) -> float:  # Dai (2010), the same weights as measures.gaussian(30)
        return (math.exp(-0.5 * (d / CATCHMENT_KM) ** 2) - edge) / (1.0 - edge) if d <= CATCHMENT_KM else 0.0

    before = peak_mb()
    t0 = time.perf_counter()
    model = Access(demand_df=demand_df, demand_index=True, demand_value="demand", supply_df=supply_df,
                   supply_index=True, supply_value="capacity", cost_df=cost, cost_origin="origin",
                   cost_dest="dest", cost_name="cost")
    result = model.enhanced_two_stage_fca(name="e2sfca", weight_fn=gaussian, max_cost=CATCHMENT_KM)
    t1 = time.perf_counter()
    values = result["e2sfca_capacity"].reindex(demand_df.index).fillna(0.0).to_numpy()
    np.save(args.out, values)
    return {"side": "access", "seconds": t1 - t0, "pairs": int(len(cost)), "peak_mb": peak_mb(),
            "baseline_mb": before, "n_demand": args.n_demand, "n_supply": args.n_supply}


def run_worker(side: str, n_demand: int, n_supply: int, seed: int, out: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "coverage") + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, __file__, "--worker", side, "--n-demand", str(n_demand), "--n-supply", str(n_supply),
           "--seed", str(seed), "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{side} worker failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small size (19,000 x 500) for a smoke run")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--access-scale", type=float, default=1.0,
                        help="run access on this fraction of the demand points (same providers and square) and "
                             "scale its time by the pair count to the full size, when the full size is too big")
    parser.add_argument("--worker", choices=["ours", "access"], help=argparse.SUPPRESS)
    parser.add_argument("--n-demand", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--n-supply", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        result = worker_ours(args) if args.worker == "ours" else worker_access(args)
        print(json.dumps(result))
        return 0

    n_demand, n_supply = (19_000, 500) if args.quick else (190_000, 5_000)
    print(f"E2SFCA benchmark: {n_demand:,} demand points x {n_supply:,} providers, uniform on a "
          f"{SIDE_KM:.0f} km square, {CATCHMENT_KM:.0f} km catchment, Gaussian decay, seed {args.seed}")
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPU(s)")
    with tempfile.TemporaryDirectory() as tmp:
        ours = run_worker("ours", n_demand, n_supply, args.seed, Path(tmp) / "ours.npy")
        scale = args.access_scale
        a_demand, a_supply = (n_demand, n_supply) if scale == 1 else (round(n_demand * scale), n_supply)
        theirs = run_worker("access", a_demand, a_supply, args.seed, Path(tmp) / "access.npy")
        ours_values = np.load(Path(tmp) / "ours.npy")
        access_values = np.load(Path(tmp) / "access.npy")
    print(f"  ours   : {ours['seconds']:.3f} s  (neighbour search {ours['search_seconds']:.3f} s + E2SFCA "
          f"{ours['fca_seconds']:.3f} s) on the first, cold run; median of {REPEATS} runs "
          f"{ours['median_seconds']:.3f} s; {ours['pairs']:,} pairs; peak RSS {ours['peak_mb']:.0f} MB "
          f"(before the computation {ours['baseline_mb']:.0f} MB)")
    access_seconds = theirs["seconds"]
    note = ""
    if scale != 1:
        access_seconds = theirs["seconds"] * ours["pairs"] / theirs["pairs"]
        note = (f" measured on {a_demand:,} demand points ({theirs['pairs']:,} pairs) and scaled by the pair "
                f"count to {access_seconds:.1f} s")
    print(f"  access : {theirs['seconds']:.3f} s{note}, peak RSS {theirs['peak_mb']:.0f} MB "
          f"(before the computation {theirs['baseline_mb']:.0f} MB)")
    print(f"  speed-up: {access_seconds / ours['seconds']:.1f}x (cold run against access's single run)")
    if scale == 1:
        rel = np.max(np.abs(ours_values - access_values) / np.maximum(np.abs(access_values), 1e-300))
        print(f"  agreement: max relative difference {rel:.1e} over {len(ours_values):,} points")
    ok_time, ok_ratio = ours["seconds"] <= 1.5, access_seconds / ours["seconds"] >= 10
    ok_mem = ours["peak_mb"] <= 512
    if args.quick:
        print("  (the targets below are for the full size; at this size fixed costs dominate)")
    print(f"  targets: ours <= 1.5 s {'met' if ok_time else 'MISSED'}; >= 10x faster "
          f"{'met' if ok_ratio else 'MISSED'}; peak <= 0.5 GB {'met' if ok_mem else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
