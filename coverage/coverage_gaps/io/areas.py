"""Load area boundaries (ONS districts, LSOAs, MSOAs, regions) and the LAD to region lookup.

:func:`load_areas` reads any file GDAL reads (GeoJSON, GeoPackage,
Shapefile) or a GeoParquet file, finds the ONS code and name columns
(``LAD22CD``/``LAD22NM``, ``LSOA11CD`` ...), checks the coordinate reference
system against where Great Britain is, repairs invalid polygons and returns
the areas in British National Grid (EPSG:27700) as a :class:`Loaded`.

Rows are numbered by feature: row 1 is the file's first feature.  The LAD to
region lookup (:func:`load_region_lookup`) lives in :mod:`.regions`.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._validate import Loaded, RejectLog, finish
from ..errors import (
    CoverageGapsError,
    DuplicateCodeError,
    EmptyInputError,
    InvalidValueError,
    MissingColumnError,
    MissingCRSError,
    describe,
)
from ..schema import AREA_CODE, AREA_NAME, CRS_BNG
from ..tables import ONS_CODE, ONS_NAME, match_column, CONTROL_RE as _CONTROL_RE, ESCAPE_RE as _ESCAPE_RE, require_file
from .regions import _add_regions, _keep_regions, _lookup_frame, areas_without_region, load_region_lookup

__all__ = ["load_areas", "load_region_lookup"]

_GENERIC_CODES = (AREA_CODE, "code", "areacode", "geography code", "geo_code")
_GENERIC_NAMES = (AREA_NAME, "name", "areaname", "geography name", "geo_name")
#: Whole-UK extent in British National Grid metres (Northern Ireland reaches x < 0).
_UK_BNG = (-250_000, -20_000, 800_000, 1_300_000)
#: Whole-UK extent in degrees (lon_min, lat_min, lon_max, lat_max).
_UK_DEG = (-11.0, 49.0, 3.0, 62.0)
_PARQUET = (".parquet", ".geoparquet")
#: Tables, never boundaries (GDAL would read a CSV as a layer without geometry).
_TABLES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")
#: Formats that hold one layer: no need to list them (GDAL's listing costs as much as a small read).
_ONE_LAYER = (".geojson", ".json", ".shp", ".fgb")


def load_areas(
    path: str | Path,
    *,
    code_column: str | None = None,
    name_column: str | None = None,
    layer: str | int | None = None,
    region_lookup: str | Path | pd.DataFrame | None = None,
    regions=None,
) -> Loaded:
    """Load area boundaries into the Areas contract, in EPSG:27700.

    Parameters
    ----------
    path
        GeoJSON, GeoPackage, Shapefile (any OGR format) or GeoParquet file.
    code_column, name_column
        Columns with the area code and name.  By default the ONS pattern
        (``LAD22CD``/``LAD22NM``, ``LSOA11CD``, any ``XXXnnCD``/``XXXnnNM``)
        or ``area_code``/``code`` and ``area_name``/``name``.
    layer
        Layer of a multi-layer file (GeoPackage); the first by default.
    region_lookup
        Path of an ONS LAD to region lookup, or the table from
        :func:`load_region_lookup`.  Adds ``region_code``/``region_name``
        (``""`` for areas the lookup does not cover, e.g. Wales in an
        England-only lookup), except Welsh, Scottish and Northern Irish codes,
        which get their country's code (``W92000004`` Wales ...) so a profile
        can name "England and Wales" as its regions.
    regions
        Region codes to keep (needs ``region_lookup``); other areas are
        counted as filtered, not rejected.

    Returns
    -------
    Loaded
        ``table``: GeoDataFrame with ``area_code``, ``area_name``
        (``region_code``, ``region_name``), the file's other columns and
        ``geometry``.  Empty, non-polygonal or out-of-country features are
        rejected; invalid polygons are repaired (a warning and a note name them).

    Raises
    ------
    MissingCRSError
        The file declares no coordinate reference system.
    InvalidValueError
        The coordinates do not fit the declared CRS (degrees declared as
        metres, longitude/latitude swapped, outside the UK).
    DuplicateCodeError
        An area code appears on more than one feature.
    MissingColumnError
        No code column found (or a named column is absent).
    """
    path = require_file(path, what="area boundaries")
    gdf = _read_geo(path, layer)
    log = RejectLog(path)
    read = len(gdf)
    code_col, name_col = _code_name_columns(gdf, path, code_column, name_column)
    rows = pd.RangeIndex(1, read + 1)
    gdf = gdf.set_axis(rows)
    code = gdf[code_col].astype("string").str.strip()
    name = gdf[name_col].astype("string").str.strip() if name_col else code
    notes = [] if name_col else [f"{path.name}: no name column; area codes are used as names"]

    bad_code = code.isna() | (code == "")
    log.add_many(list(rows[bad_code.to_numpy()]), "area code is empty", column=code_col)
    empty = ~bad_code & (gdf.geometry.isna() | gdf.geometry.is_empty)
    log.add_many(list(rows[empty.to_numpy()]), "geometry is empty or missing; the area cannot be mapped", column="geometry",
                 values=list(code[empty]))
    keep = ~bad_code & ~empty
    _raise_duplicates(code[keep], path, code_col)

    gdf = _to_bng(gdf[keep], path, code[keep], log)
    gdf, repaired = _repair(gdf, code, name, log)
    if repaired:
        text = (f"{path.name}: repaired {len(repaired)} invalid area geometr{'y' if len(repaired) == 1 else 'ies'} "
                f"with make_valid (polygonal parts kept): " + _listing(repaired))
        warnings.warn(text, stacklevel=2)
        notes.append(text)

    notes += _overlap_note(gdf, code, path.name)
    name, note = _clean_names(name, path.name)
    notes += note
    table = gpd.GeoDataFrame({AREA_CODE: code[gdf.index], AREA_NAME: name[gdf.index]}, index=gdf.index)
    filtered = 0
    if region_lookup is not None:
        lookup = (_lookup_frame(region_lookup, "region lookup") if isinstance(region_lookup, pd.DataFrame)
                  else load_region_lookup(region_lookup))  # already in the lookup's shape
        table = _add_regions(table, lookup)
        orphans = areas_without_region(table)
        if orphans:
            notes.append(f"{path.name}: {len(orphans)} area(s) have no region in the region lookup, so they lie "
                         f"outside every study region: {_listing(orphans)} (add them to the lookup if they belong "
                         "to one)")
    if regions is not None:
        table, filtered, note = _keep_regions(table, regions, path, region_lookup is not None)
        notes += note
    carried = gdf.drop(columns=[c for c in (code_col, name_col, gdf.geometry.name) if c], errors="ignore")
    carried = carried.drop(columns=[c for c in carried.columns if c in table.columns])
    table = gpd.GeoDataFrame(table.join(carried), geometry=gdf.geometry[table.index], crs=CRS_BNG)
    table = table.rename_geometry("geometry") if table.geometry.name != "geometry" else table
    # row numbers for later rejects (sub-areas); an array, because pandas deep-copies attrs on every operation
    table.attrs["feature_rows"] = table.index.to_numpy(dtype=np.int64, copy=True)
    table = table.reset_index(drop=True)
    loaded = Loaded(table=table, rejects=log.frame(), read=read, used=len(table), filtered=filtered,
                    source=path.name, notes=notes)
    return finish(loaded, what="area")


# --- private steps -----------------------------------------------------------


def _read_geo(path: Path, layer) -> gpd.GeoDataFrame:
    if path.stat().st_size == 0:
        raise EmptyInputError(describe("the file is empty", file=path.name, fix="export the boundaries again"))
    if path.suffix.lower() in _TABLES:
        raise InvalidValueError(describe(
            "a table was given as the area boundaries", file=path.name,
            expected="a boundary file with polygons: GeoJSON, GeoPackage, Shapefile or GeoParquet",
            fix="give the boundaries (e.g. ONS LAD boundaries as GeoJSON from the Open Geography Portal); a table "
                "of area codes belongs in [[inputs.demand]] or [inputs.region_lookup]"))
    try:
        if path.suffix.lower() in _PARQUET:
            gdf = gpd.read_parquet(path)
        else:
            layer = _check_layer(path, layer)
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*has GPKG application_id.*")
                gdf = gpd.read_file(path, layer=layer) if layer is not None else gpd.read_file(path)
    except ImportError:
        raise InvalidValueError(describe(
            "reading GeoParquet needs the optional package pyarrow", file=path.name,
            fix="pip install pyarrow, or convert the file to GeoPackage (ogr2ogr out.gpkg in.parquet)")) from None
    except CoverageGapsError:
        raise
    except Exception as exc:  # pyogrio / arrow errors for damaged or non-spatial files
        hint = "check the layer name" if layer is not None else "open it in QGIS to check it is a boundary file"
        raise InvalidValueError(describe(f"cannot read the boundaries ({type(exc).__name__}: {exc})",
                                         file=path.name, fix=hint)) from None
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:  # e.g. a CSV GDAL can read
        raise InvalidValueError(describe(
            "the file holds a table without geometry, not area boundaries", file=path.name,
            value=", ".join(map(str, list(gdf.columns)[:6])),
            expected="a boundary file with polygons: GeoJSON, GeoPackage, Shapefile or GeoParquet",
            fix="give the boundaries (e.g. ONS LAD boundaries as GeoJSON from the Open Geography Portal)"))
    if len(gdf) == 0:
        raise EmptyInputError(describe("the file holds no features", file=path.name,
                                       fix="export the boundaries again (check the layer and any filter)"))
    if gdf.crs is None:
        guess = "EPSG:4326" if _looks_like_degrees(gdf.total_bounds) else "EPSG:27700"
        raise MissingCRSError(describe(
            "the file declares no coordinate reference system (CRS)", file=path.name,
            expected="a CRS such as EPSG:27700 (British National Grid) or EPSG:4326 (longitude/latitude)",
            fix=f"the coordinates look like {guess}; set it with ogr2ogr -a_srs {guess} out.gpkg in.shp "
                f"or geopandas gdf.set_crs('{guess}')"))
    return gdf


def _check_layer(path: Path, layer):
    """The layer to read: ``layer`` checked, or the first (with a warning when there are several)."""
    import pyogrio

    if layer is None and path.suffix.lower() in _ONE_LAYER:
        return None
    try:
        layers = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception:  # not a source GDAL can list: let read_file report it
        return layer
    if layer is not None and not isinstance(layer, int) and layer not in layers:
        raise InvalidValueError(describe(
            "layer not found", file=path.name, value=layer, expected="one of " + ", ".join(map(repr, layers)),
            fix="give the layer name exactly as the file has it (layer= or [inputs.areas] layer)"))
    if layer is None and len(layers) > 1:
        warnings.warn(f"{path.name} has {len(layers)} layers ({', '.join(layers)}); reading the first, "
                      f"{layers[0]!r} (pass layer= to choose)", stacklevel=4)
        return layers[0]
    return layer


def _code_name_columns(gdf, path: Path, code_column, name_column) -> tuple[str, str | None]:
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    for given in (code_column, name_column):
        if given is not None and given not in cols:
            raise MissingColumnError(describe(
                f"column {given!r} not found", file=path.name,
                expected="one of " + ", ".join(map(repr, cols)), fix="give the column name exactly as the file has it"))
    code = code_column
    if code is None:
        ons = [c for c in cols if ONS_CODE.match(str(c))]
        if ons:  # the finest geography has the most distinct codes (LSOA11CD before LAD22CD)
            code = max(ons, key=lambda c: (gdf[c].nunique(), -ons.index(c)))
        else:
            code = match_column(cols, _GENERIC_CODES)
    if code is None:
        raise MissingColumnError(describe(
            "no area code column found", file=path.name,
            expected="an ONS code column such as LAD22CD or LSOA11CD, or 'area_code'; the file has "
            + ", ".join(map(repr, cols)),
            fix="pass code_column= (code_column in the profile's [inputs.areas])"))
    name = name_column
    if name is None:
        m = ONS_CODE.match(str(code))
        paired = f"{m.group(1)}{m.group(2)}NM" if m else None
        named = [c for c in cols if ONS_NAME.match(str(c))]
        name = (match_column(cols, [paired]) if paired else None) or (named[0] if named else None) \
            or match_column(cols, _GENERIC_NAMES)
    return code, name


def _looks_like_degrees(bounds) -> bool:
    minx, miny, maxx, maxy = bounds
    return -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90


def _inside(b: pd.DataFrame, box) -> pd.Series:
    return (b.minx >= box[0]) & (b.miny >= box[1]) & (b.maxx <= box[2]) & (b.maxy <= box[3])


def _to_bng(gdf: gpd.GeoDataFrame, path: Path, code: pd.Series, log: RejectLog) -> gpd.GeoDataFrame:
    """Check the coordinates fit the declared CRS and the UK, then reproject to BNG."""
    if gdf.empty:
        return gdf
    crs = gdf.crs
    declared = crs.to_string()
    bounds = gdf.bounds
    if crs.is_geographic:
        inside = _inside(bounds, _UK_DEG)
        swapped = _inside(bounds, (_UK_DEG[1], _UK_DEG[0], _UK_DEG[3], _UK_DEG[2]))
        if inside.mean() < 0.5 and swapped.mean() >= 0.5:
            raise InvalidValueError(describe(
                "longitude and latitude look swapped: x values are latitudes of Great Britain and y values longitudes",
                file=path.name, value=f"bounds {_fmt(gdf.total_bounds)}",
                expected=f"x (longitude) between {_UK_DEG[0]} and {_UK_DEG[2]}, y (latitude) between "
                         f"{_UK_DEG[1]} and {_UK_DEG[3]}",
                fix="export the file again with longitude first (GeoJSON is [longitude, latitude]), "
                    "or swap them with shapely.ops.transform(lambda x, y: (y, x), geom)"))
        if inside.mean() < 0.5 and not _looks_like_degrees(gdf.total_bounds):
            raise InvalidValueError(describe(
                f"coordinates look like metres but the file declares {declared} (degrees)", file=path.name,
                value=f"bounds {_fmt(gdf.total_bounds)}", expected="longitude/latitude degrees",
                fix="declare the right CRS, e.g. ogr2ogr -a_srs EPSG:27700 out.gpkg in.geojson, "
                    "or geopandas gdf.set_crs('EPSG:27700', allow_override=True)"))
    elif _looks_like_degrees(gdf.total_bounds):
        raise InvalidValueError(describe(
            f"coordinates look like degrees (longitude/latitude) but the file declares {declared} (metres)",
            file=path.name, value=f"bounds {_fmt(gdf.total_bounds)}", expected="British National Grid metres",
            fix="declare the right CRS, e.g. ogr2ogr -a_srs EPSG:4326 out.gpkg in.shp, "
                "or geopandas gdf.set_crs('EPSG:4326', allow_override=True)"))
    gdf = gdf.to_crs(CRS_BNG)
    inside = _inside(gdf.bounds, _UK_BNG)
    if inside.mean() < 0.5:
        raise InvalidValueError(describe(
            f"the areas lie outside the United Kingdom in the declared CRS {declared}", file=path.name,
            value=f"bounds {_fmt(gdf.total_bounds)} in EPSG:27700",
            expected=f"British National Grid x {_UK_BNG[0]:,} to {_UK_BNG[2]:,}, y {_UK_BNG[1]:,} to {_UK_BNG[3]:,}",
            fix="check which CRS the coordinates are in and declare it (ogr2ogr -a_srs, geopandas set_crs)"))
    for row in gdf.index[~inside]:
        log.add(row, f"area {code[row]} lies outside the United Kingdom (check its coordinates)",
                column="geometry", value=code[row])
    return gdf[inside]


def _repair(gdf, code, name, log: RejectLog) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Keep polygons; repair invalid ones with make_valid, keeping polygonal parts only."""
    geom = gdf.geometry.copy()
    kind = shapely.get_type_id(geom.values)
    polygonal = (kind == 3) | (kind == 6)
    invalid = polygonal & ~shapely.is_valid(geom.values)
    repaired = []
    for row in gdf.index[invalid]:
        fixed = _polygonal_part(shapely.make_valid(geom[row]))
        geom[row] = fixed
        if fixed is not None:
            repaired.append(f"{code[row]} {name[row]}")
    good = pd.Series(polygonal, index=gdf.index) & geom.notna() & ~geom.is_empty
    for row in gdf.index[~good]:
        what = "is not a polygon" if not polygonal[gdf.index.get_loc(row)] else "has no area left after repair"
        log.add(row, f"geometry {what} (got {gdf.geometry[row].geom_type}); areas must be polygons",
                column="geometry", value=code[row])
    out = gdf.set_geometry(geom)[good]
    return out, repaired


def _polygonal_part(geom):
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    polys = [p for g in parts for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])]
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def _clean_names(name: pd.Series, file: str) -> tuple[pd.Series, list[str]]:
    """Area names without control characters or escape sequences (they reach terminals and spreadsheets)."""
    found = name.str.contains(_CONTROL_RE, regex=True).fillna(False)
    if not found.any():
        return name, []
    fixed = name.str.replace(_ESCAPE_RE, "", regex=True).str.replace(_CONTROL_RE, " ", regex=True)
    fixed = fixed.str.split().str.join(" ")
    return fixed.where(found, name), [f"{file}: {int(found.sum())} area name(s) held control characters or escape "
                                      f"sequences, cleaned (escape sequences removed, other control characters made spaces): "
                                      f"{_listing(list(fixed[found]))}"]


def _overlap_note(gdf: gpd.GeoDataFrame, code: pd.Series, file: str) -> list[str]:
    """A note naming areas whose inner point lies inside another area: overlapping areas count people twice.

    One point per area keeps this fast (a layer mixing two geographies or two vintages is caught; slivers
    along generalised borders are not).
    """
    geom = gdf.geometry.to_numpy()
    if len(geom) < 2:
        return []
    inner, other = gpd.GeoSeries(geom).sindex.query(shapely.point_on_surface(geom), predicate="intersects")
    pair = inner != other
    if not pair.any():
        return []
    codes = code[gdf.index].to_numpy()
    pairs = [f"{codes[a]} lies in {codes[b]}" for a, b in zip(inner[pair], other[pair])]
    return [f"{file}: {len(pairs)} area(s) overlap another area, so people and providers there could count in "
            f"both: {_listing(pairs)} (check the file holds one geography of one vintage)"]


def _raise_duplicates(code: pd.Series, path: Path, column: str) -> None:
    dup = code[code.duplicated(keep=False)]
    if dup.empty:
        return
    groups = dup.groupby(dup, sort=True).groups
    listing = "; ".join(f"{c} (rows {', '.join(map(str, rows))})" for c, rows in list(groups.items())[:10])
    more = f"; and {len(groups) - 10} more" if len(groups) > 10 else ""
    raise DuplicateCodeError(describe(
        f"{len(groups)} area code(s) appear on more than one feature: {listing}{more}", file=path.name,
        column=column, expected="one feature per area code",
        fix="dissolve the features by code (geopandas dissolve, or QGIS Dissolve) or remove the repeats"))


def _listing(items: list[str], first: int = 10) -> str:
    more = f" and {len(items) - first} more" if len(items) > first else ""
    return ", ".join(items[:first]) + more


def _fmt(bounds) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in bounds) + ")"
