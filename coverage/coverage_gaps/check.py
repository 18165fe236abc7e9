"""Check loose files without a profile: guess each file's kind from its header, then load it.

``coverage-gaps check areas.geojson partners.xlsx asy_d11.csv`` validates each
file with the loader its header points to.  When an area boundary file is among
them, demand codes and provider locations are checked against it too.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from ._validate import Loaded
from .errors import InvalidValueError, describe
from .tables import normalise_name, read_table
from .schema import AREA_CODE

__all__ = ["GEO_SUFFIXES", "sniff", "check_files"]

GEO_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".parquet", ".geoparquet", ".fgb", ".zip")

#: A kind of input and the (folded) header names that identify it; first match wins.
_SIGNATURES: list[tuple[str, set[str]]] = [
    ("asy_d11", {"supporttype", "accommodationtype", "people"}),
    ("nomis", {"geographycode", "obsvalue"}),
    ("laa_directory", {"officeid", "organisation", "categories"}),
    ("region_lookup", {"rgn22cd"}),
    ("postcodes", {"pcds"}),
    ("postcode_districts", {"postcode", "easting", "northing", "city"}),
]
_PARTNER_HINTS = {"name", "organisation", "organisationname", "provider", "providername"}
_LOCATION_HINTS = {"postcode", "latitude", "lat", "longitude", "lon", "easting", "northing"}


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
    return _kind(table, path), table


def _kind(table, path: Path) -> str:
    names = {normalise_name(c) for c in table.columns}
    for kind, needed in _SIGNATURES:
        if needed <= names:
            return kind
    if any(n.startswith("rgn") and n.endswith("cd") for n in names):
        return "region_lookup"
    if names & _PARTNER_HINTS and names & _LOCATION_HINTS:
        return "partners"
    if any(n.endswith("cd") or "code" in n for n in names):
        return "table"
    raise InvalidValueError(describe(
        "cannot tell what kind of input this is from its header", file=path.name,
        value=", ".join(map(str, table.columns[:8])),
        expected="an area boundary file, Asy_D11, Nomis population, the LAA directory, a partner list or a table of area codes",
        fix="use a profile that names the file's format (see data/profiles/README.md)"))


def check_files(paths: list[str | Path]) -> dict[str, Loaded]:
    """Load each file with the loader its header points to.

    Returns
    -------
    dict
        ``"<kind>:<file name>"`` to the :class:`Loaded` input, in argument
        order (boundary files first, so the others are checked against them).
    """
    from . import io
    from .geocode import PostcodeLookup

    paths = [Path(p) for p in paths]
    kinds = {}
    for p in paths:
        kinds[p], _ = _sniff(p)
    ordered = sorted(paths, key=lambda p: kinds[p] != "areas")
    out: dict[str, Loaded] = {}
    areas = codes = None  # the first boundary file's areas and their codes
    districts = next((p for p in paths if kinds[p] == "postcode_districts"), None)
    full = next((p for p in paths if kinds[p] == "postcodes"), None)
    geocoder = PostcodeLookup.from_files(postcodes=full, districts=districts) if (full or districts) else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for p in ordered:
            kind = kinds[p]
            if kind == "areas":
                loaded = io.load_areas(p)
                if areas is None:
                    areas, codes = loaded.table, set(loaded.table[AREA_CODE])
            elif kind == "asy_d11":
                loaded = io.load_asy_d11(p, area_codes=codes)
            elif kind == "nomis":
                loaded = io.load_population(p, area_codes=codes)
            elif kind == "laa_directory":
                loaded = io.load_laa_offices(p, geocoder=geocoder, areas=areas)
            elif kind == "partners":
                loaded = io.load_partners(p, geocoder=geocoder, areas=areas)
            elif kind == "table":
                loaded = io.load_demand_table(p, area_codes=codes)
            elif kind == "region_lookup":
                loaded = io.read_region_lookup(p, area_codes=codes)
            else:  # postcode files: counted as the lookup read them
                loaded = next(v for v in geocoder.inputs().values() if v.source == p.name)
            out[f"{kind}:{p.name}"] = loaded
    return out
