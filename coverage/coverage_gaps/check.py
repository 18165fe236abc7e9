"""Check loose files without a profile: guess each file's kind from its header, then load it.

``coverage-gaps check areas.geojson partners.xlsx asy_d11.csv`` validates each
file with the loader its header points to.  When an area boundary file is among
them, demand codes and provider locations are checked against it too.  The
kinds, their header signatures and their loaders are the registry's
(:mod:`coverage_gaps.inputs`), the same table ``load_inputs`` reads.
"""

from __future__ import annotations

from pathlib import Path

from . import inputs as input_kinds
from ._validate import Loaded
from .inputs import GEO_SUFFIXES, LoadContext
from .notes import attach_notes, collect_warnings
from .schema import AREA_CODE
from .tables import normalise_name, read_table

__all__ = ["GEO_SUFFIXES", "sniff", "check_files"]

#: Kinds read by the postcode lookup (coverage_gaps.geocode), not by a loader of their own.
_GEOCODER_KINDS = ("postcodes", "postcode_districts")


def sniff(path: str | Path) -> str:
    """The kind of input a file holds: areas, asy_d11, nomis, laa_directory, partners, ...

    Raises
    ------
    InvalidValueError
        When the header matches no known kind, naming the columns found.
    """
    return _sniff(Path(path))[0]


def _sniff(path: Path):
    """The kind of input and the table read to tell it (``None`` for boundary files)."""
    if path.suffix.lower() in GEO_SUFFIXES:
        return "areas", None
    table, _ = read_table(path)
    names = {normalise_name(c) for c in table.columns}
    return input_kinds.guess_kind(names, file=path.name, columns=table.columns), table


def check_files(paths: list[str | Path]) -> dict[str, Loaded]:
    """Load each file with the loader its header points to.

    Warnings the loaders raise are collected into the notes of the input they
    concern (printed by ``coverage-gaps check``), not dropped.

    Returns
    -------
    dict
        ``"<kind>:<file name>"`` to the :class:`Loaded` input, in argument
        order (boundary files first, so the others are checked against them).
    """
    paths = [Path(p) for p in paths]
    kinds = {}
    for p in paths:
        kinds[p], _ = _sniff(p)
    ordered = sorted(paths, key=lambda p: kinds[p] != "areas")
    out: dict[str, Loaded] = {}
    context = LoadContext()  # the first boundary file's areas and codes, once read
    with collect_warnings() as caught:
        files = {kind: next((p for p in paths if kinds[p] == kind), None) for kind in _GEOCODER_KINDS}
        geocoder = None
        if any(files.values()):
            from .geocode import PostcodeLookup

            geocoder = PostcodeLookup.from_files(postcodes=files["postcodes"], districts=files["postcode_districts"])
        context = LoadContext(geocoder=geocoder)
        for p in ordered:
            kind = kinds[p]
            if kind in _GEOCODER_KINDS:  # counted as the lookup read them
                loaded = next(v for v in geocoder.inputs().values() if v.source == p.name)
            else:
                loaded = input_kinds.load(kind, p, context)
            if kind == "areas" and context.areas is None:
                context = LoadContext(area_codes=set(loaded.table[AREA_CODE]), areas=loaded.table, geocoder=geocoder)
            out[f"{kind}:{p.name}"] = loaded
    attach_notes(out, caught)
    return out
