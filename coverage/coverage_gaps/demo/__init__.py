"""The embedded demo: a synthetic, clearly fictional region in the real published formats.

:func:`generate` builds "Demo Region" (``X12000001``, 30 fictional districts)
and a strip of "Demo Neighbour Region" (``X12000002``, 4 districts) and writes
them as the files real users download: ONS boundaries (GeoJSON, EPSG:27700)
and LAD-to-region lookup, LSOA-like sub-areas, a Nomis population export, the
Home Office Asy_D11 table (8 quarters), a partner list in the template
format, the LAA office directory, an NSPL-like postcode lookup and postcode
district centroids.  The same loaders read them as read the real files.

The region is built to show every finding the tool makes: an advice desert
(Fellmarsh: people on asylum support, no qualifying adviser within 30 km, Level
1 partners inside who could be trained), a remote desert (Gorsemoor), an
advice drought (Brindlewick: a dispersal town with one small provider), a
well-served city (Kestrelford) and a town served only from across the region
boundary (Oakhollow).  Codes begin with ``X``, which no ONS code does, and
postcodes with ``ZX``, which no Royal Mail postcode area does.

Everything is drawn from one seeded generator (``numpy.random.Generator``,
uniform draws only), coordinates are rounded to 1 m and rows sorted, so the
files are byte-identical on every run: ``python -m coverage_gaps.demo
--regenerate`` rewrites ``data/demo/``.

The generator is split by what it makes: :mod:`.spec` (the region's
constants), :mod:`.geography`, :mod:`.providers`, :mod:`.demand`,
:mod:`.readme` and :mod:`.files` (rendering every file); ``python -m
coverage_gaps.demo`` runs :func:`main`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .files import _build
# The region's constants, re-exported so they stay importable from coverage_gaps.demo.
from .spec import (DEMO_DIR, DISTRICT_TYPE, FILES, NEIGHBOUR, NOTICE, ORIGIN, POPULATION_YEAR,  # noqa: F401
                   QUARTERS, REGION, ROOT, SEED)

__all__ = ["generate", "regenerate", "DEMO_DIR", "FILES", "REGION", "NEIGHBOUR", "QUARTERS", "main"]


def generate(out_dir: str | Path) -> list[Path]:
    """Write every demo file into ``out_dir`` (created if needed).

    Parameters
    ----------
    out_dir
        Folder for the files; existing demo files there are overwritten.

    Returns
    -------
    list of Path
        The files written, in :data:`FILES` order.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    texts = _build()
    paths = []
    for name in FILES:
        path = out / name
        path.write_bytes(texts[name].encode("utf-8"))
        paths.append(path)
    return paths


def regenerate() -> list[Path]:
    """Rewrite the committed demo files in ``data/demo/`` of the source checkout.

    Raises
    ------
    InputFileNotFoundError
        coverage-gaps is installed without its source checkout (no ``data/`` folder).
    """
    if not DEMO_DIR.parent.is_dir():
        from ..errors import InputFileNotFoundError, describe

        raise InputFileNotFoundError(describe(
            "no data/ folder next to the package: regenerate works in a source checkout", value=str(DEMO_DIR.parent),
            fix="write the files elsewhere with generate(folder) or --out FOLDER"))
    return generate(DEMO_DIR)


def main(argv: list[str] | None = None) -> int:
    """``python -m coverage_gaps.demo --regenerate [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m coverage_gaps.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--regenerate", action="store_true", help=f"rewrite {DEMO_DIR}")
    parser.add_argument("--out", help="write the files to this folder instead")
    args = parser.parse_args(argv)
    if not args.regenerate and not args.out:
        parser.print_usage()
        print("Nothing to do: pass --regenerate (rewrite data/demo/) or --out DIR.")
        return 2
    for path in generate(args.out) if args.out else regenerate():
        print(f"wrote {path}")
    return 0
