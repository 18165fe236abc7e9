"""Benchmark: `coverage-gaps plan` on a national LSOA-like layer (about 35,000 areas): time and peak memory.

Builds the layer of ``benchmarks/bench_national.py`` (Voronoi cells by
population inside the real districts, Asy_D11 split over them) and adds the
England and Wales profile's candidate set (LAA offices in other categories of
law), then runs ``coverage-gaps plan --train K`` in a fresh process and prints
wall time, CPU time and the process's peak RSS.  ``--code DIR`` runs another
source tree's package (``DIR/coverage`` first on ``PYTHONPATH``, e.g. an
export of today's main: ``git archive main coverage | tar -x -C DIR``) with
this environment, for a before / after comparison on the same layer.

Usage::

    .venv/bin/python benchmarks/bench_plan.py [--areas 35000] [--train 10] [--keep DIR] [--code DIR] [--no-exact]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import _people  # noqa: E402
import bench_national  # noqa: E402

CANDIDATES = """
[[inputs.providers]]
name = "laa_other_law"
format = "laa_directory"
path = "{real}/laa_legal_aid_provider_offices_2015.csv"
role = "candidates"
categories = ["HOU", "DEB", "WB", "COM", "MHE", "PUB", "DISC", "EDU", "AAP", "MAT"]
"""


def profile_text(n: int, work: Path) -> str:
    """The national benchmark profile with the England and Wales candidate set added to its inputs."""
    text = bench_national.PROFILE.format(n=n, dir=work.as_posix(), real=_people.REAL.as_posix())
    at = text.index("[analysis]")
    return text[:at] + CANDIDATES.format(real=_people.REAL.as_posix()).lstrip() + "\n" + text[at:]


def run_plan(profile: Path, out: Path, *, train: int, code: str | None, exact: bool) -> dict:
    """Wall s, CPU s and peak RSS (MB) of one ``plan`` in a fresh process."""
    env = dict(os.environ)
    if code:
        env["PYTHONPATH"] = str(Path(code).resolve() / "coverage") + os.pathsep + env.get("PYTHONPATH", "")
    args = ["plan", str(profile), "--train", str(train), "--out", str(out)] + ([] if exact else ["--no-exact"])
    script = "import sys; from coverage_gaps.cli import main; sys.exit(main(sys.argv[1:]))"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(done.stdout[-2000:] + done.stderr[-4000:])
    return {"wall": wall, "cpu": after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime,
            "peak_mb": after.ru_maxrss / 1024, "stdout": done.stdout}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--areas", type=int, default=35_000)
    parser.add_argument("--train", type=int, default=10)
    parser.add_argument("--keep", help="build and run in this folder (default: a temporary one); reused if built")
    parser.add_argument("--code", help="run this source tree's coverage_gaps instead of the installed one")
    parser.add_argument("--no-exact", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-plan-") as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        if not (work / "areas.gpkg").exists():
            n = bench_national.build_layer(args.areas, work)
        else:
            import pyogrio
            n = pyogrio.read_info(work / "areas.gpkg")["features"]
        profile = work / "national-plan.toml"
        profile.write_text(profile_text(n, work), encoding="utf-8")
        got = run_plan(profile, work / f"plan-out-{os.getpid()}", train=args.train, code=args.code,
                       exact=not args.no_exact)
        print(got["stdout"][-1500:])
        print(f"coverage-gaps plan on {n:,} areas, k = {args.train}{'' if not args.no_exact else ', --no-exact'}"
              f" ({args.code or 'this checkout'}): {got['wall']:.1f} s wall, {got['cpu']:.1f} s CPU, "
              f"peak RSS {got['peak_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
