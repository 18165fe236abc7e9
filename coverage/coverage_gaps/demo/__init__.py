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
--regenerate`` rewrites them.

The files and the demo profile (``demo.toml``) are package data
(``coverage_gaps/demo/data/``), found with :mod:`importlib.resources`, so the
demo runs from any folder after ``pip install``: :func:`profile_path` is the
profile every command defaults to, and :func:`copy_to` writes the inputs and
the profile into a folder for a user to edit.

The generator is split by what it makes: :mod:`.spec` (the region's
constants), :mod:`.geography`, :mod:`.providers`, :mod:`.demand`,
:mod:`.readme` and :mod:`.files` (rendering every file); ``python -m
coverage_gaps.demo`` runs :func:`main`.
"""

from __future__ import annotations

import argparse
import functools
import tempfile
from importlib import resources
from pathlib import Path

from ..errors import OutputError, describe
# The region's constants, re-exported so they stay importable from coverage_gaps.demo.
from .spec import (DEMO_DIR, DISTRICT_TYPE, FILES, NEIGHBOUR, NOTICE, ORIGIN, POPULATION_YEAR,  # noqa: F401
                   PROFILE_NAME, QUARTERS, REGION, SEED)

__all__ = ["generate", "regenerate", "profile_path", "copy_to", "DEMO_DIR", "FILES", "PROFILE_NAME", "REGION",
           "NEIGHBOUR", "QUARTERS", "main"]


def generate(out_dir: str | Path) -> list[Path]:
    """Write every generated demo file into ``out_dir`` (created if needed).

    Parameters
    ----------
    out_dir
        Folder for the files; existing demo files there are overwritten.

    Returns
    -------
    list of Path
        The files written, in :data:`FILES` order (the profile is not generated).
    """
    from .files import _build  # the generator (numpy, shapely) loads only when asked for

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
    """Rewrite the generated demo files in the package's ``demo/data/`` folder (:data:`DEMO_DIR`)."""
    return generate(DEMO_DIR)


def _data():
    return resources.files(__name__) / "data"


@functools.lru_cache(maxsize=1)
def profile_path() -> Path:
    """The demo profile as a real file path, with its data beside it.

    From a normal (wheel or editable) install this is the installed file; from
    a zipped install the profile and its data are extracted once per process to
    a temporary folder.
    """
    ref = _data() / PROFILE_NAME
    if isinstance(ref, Path):
        return ref
    folder = Path(tempfile.mkdtemp(prefix="coverage-gaps-demo-"))
    for name in (*FILES, PROFILE_NAME):
        (folder / name).write_bytes((_data() / name).read_bytes())
    return folder / PROFILE_NAME


def copy_to(folder: str | Path) -> list[Path]:
    """Copy the demo inputs and its profile into ``folder``, for a user to edit and run.

    The copied ``demo.toml`` reads the copied files (its paths are relative to
    itself), so ``coverage-gaps run FOLDER/demo.toml`` works at once.

    Raises
    ------
    OutputError
        ``folder`` is a file, or already holds a file of the same name (nothing
        is overwritten and nothing is written).
    """
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise OutputError(describe("cannot copy the demo here: this is a file, not a folder", file=out,
                                   fix="name a new or existing folder"))
    names = (*FILES, PROFILE_NAME)
    taken = [n for n in names if (out / n).exists()]
    if taken:
        raise OutputError(describe(
            "cannot copy the demo here: the folder already holds files of the same name, and they may be your "
            "edits; nothing was written", file=out, value=", ".join(taken),
            fix="name an empty folder, or move those files away first"))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        (out / name).write_bytes((_data() / name).read_bytes())
        written.append(out / name)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m coverage_gaps.demo --regenerate [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m coverage_gaps.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--regenerate", action="store_true", help=f"rewrite {DEMO_DIR}")
    parser.add_argument("--out", help="write the files to this folder instead")
    args = parser.parse_args(argv)
    if not args.regenerate and not args.out:
        parser.print_usage()
        print("Nothing to do: pass --regenerate (rewrite the package's demo data) or --out DIR.")
        return 2
    for path in generate(args.out) if args.out else regenerate():
        print(f"wrote {path}")
    return 0
