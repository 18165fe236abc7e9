"""Shared steps of the provider loaders: rows, locations, the area check and the output table.

A row's location comes from its latitude/longitude or easting/northing
(precision ``"exact"``), else from its postcode through a geocoder
(``"postcode"`` or ``"district"``, see :mod:`coverage_gaps.geocode`).  Rows
that cannot be located, or lie in no area, are rejected with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import geocode as _geocode
from .._validate import RejectLog
from ..errors import MissingColumnError, MissingCRSError, describe
from ..schema import (CAPACITY, CAPACITY_GIVEN, CRS_BNG, IAAS_GRADE, LAA_CONTRACT, LOCATION_PRECISION, OISC_LEVEL,
                      POSTCODE, PROVIDER_COLUMNS, REGULATED, SOURCE)


# --- rows and columns ------------------------------------------------------------


def _drop_blank_rows(df: pd.DataFrame, first: int) -> tuple[pd.DataFrame, list[int], list[str]]:
    """Leave out wholly blank rows (not data); return spreadsheet row numbers of the rest."""
    blank = df.isna().all(axis=1).to_numpy()
    rows = [first + i for i in np.flatnonzero(~blank)]
    notes = [f"{int(blank.sum())} blank row(s) skipped"] if blank.any() else []
    return df[~blank].reset_index(drop=True), rows, notes


def _missing(found: dict, spec: dict[str, list[str]], *, file: str, fix: str) -> None:
    absent = [k for k in spec if found.get(k) is None]
    if absent:
        k = absent[0]
        raise MissingColumnError(describe(f"no {k} column", file=file,
                                          expected="a header named one of " + ", ".join(repr(n) for n in spec[k]),
                                          fix=fix))


# --- locations -------------------------------------------------------------------

_UK_LAT, _UK_LON = (49.0, 61.5), (-11.0, 2.5)
_GB_EAST, _GB_NORTH = (0.0, 700_000.0), (0.0, 1_300_000.0)


@dataclass
class _Located:
    """Per-row location: BNG point, precision, normalised postcode, column used, and failures."""

    x: np.ndarray
    y: np.ndarray
    precision: np.ndarray
    postcode: np.ndarray
    column: np.ndarray
    bad: np.ndarray
    notes: list[str] = field(default_factory=list)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _pair(a: str, b: str, names: tuple[str, str], ranges, *, swapped_hint: str, unit: str):
    """Check one coordinate pair; return ((a, b), None) or (None, (column index, value, reason))."""
    for k, (text, name) in enumerate(zip((a, b), names)):
        if not text:
            other = names[1 - k]
            return None, (1 - k, (a, b)[1 - k], describe(f"{other} given without {name}", value=(a, b)[1 - k],
                                                         fix=f"add the {name}, or leave both blank and give a postcode"))
        if _number(text) is None:
            return None, (k, text, describe(f"{name} is not a number", value=text, expected=unit))
    va, vb = _number(a), _number(b)
    (lo_a, hi_a), (lo_b, hi_b) = ranges
    if lo_a <= va <= hi_a and lo_b <= vb <= hi_b:
        return (va, vb), None
    where = f"{names[0]} {a}, {names[1]} {b}"
    expected = f"{names[0]} {lo_a:g} to {hi_a:g} and {names[1]} {lo_b:g} to {hi_b:g} in the UK"
    if lo_a <= vb <= hi_a and lo_b <= va <= hi_b:
        return None, (0, a, describe(f"{names[0]} and {names[1]} look swapped", value=where, expected=expected,
                                     fix=swapped_hint))
    return None, (0, a, describe(f"{names[0]}/{names[1]} outside the UK", value=where, expected=expected,
                                 fix=f"check the coordinates ({unit})"))


def _locate_rows(df: pd.DataFrame, cols: dict[str, str], rows: list[int], log: RejectLog, *, geocoder) -> _Located:
    n = len(df)

    def get(key: str) -> list[str]:
        return df[cols[key]].fillna("").str.strip().tolist() if key in cols else [""] * n

    lat, lon, east, north, pcs = (get(k) for k in ("latitude", "longitude", "easting", "northing", POSTCODE))
    postcode = _geocode.normalise_postcodes(pcs).astype(object).where(lambda s: s.notna(), None).to_numpy()
    out = _Located(np.full(n, np.nan), np.full(n, np.nan), np.full(n, None, dtype=object), postcode,
                   np.full(n, None, dtype=object), np.zeros(n, dtype=bool))
    lonlat, queue, loose = np.zeros(n, dtype=bool), [], 0
    for i in range(n):
        problem = None
        if lat[i] or lon[i]:
            names = (cols.get("latitude"), cols.get("longitude"))
            point, problem = _pair(lat[i], lon[i], ("latitude", "longitude"), (_UK_LAT, _UK_LON),
                                   unit="WGS84 decimal degrees, e.g. 52.4 and -1.5",
                                   swapped_hint="swap the two values: in the UK latitude is about 50 to 60, "
                                   "longitude about -8 to 2")
            if point:
                out.y[i], out.x[i], lonlat[i] = point[0], point[1], True
        elif east[i] or north[i]:
            names = (cols.get("easting"), cols.get("northing"))
            point, problem = _pair(east[i], north[i], ("easting", "northing"), (_GB_EAST, _GB_NORTH),
                                   unit="British National Grid metres, e.g. 388500 and 347700",
                                   swapped_hint="swap the two values: the northing is the larger number")
            if point:
                out.x[i], out.y[i] = point
        elif pcs[i]:
            names = (cols.get(POSTCODE),)
            if postcode[i] is None:
                problem = (0, pcs[i], describe("malformed postcode", value=pcs[i],
                                               expected="a UK postcode such as 'ST1 1HL'",
                                               fix="correct the postcode, or give latitude and longitude"))
            else:
                queue.append(i)
        else:
            names = (None,)
            problem = (0, None, describe("no location", expected="latitude and longitude, easting and northing, "
                                         "or a postcode", fix="add a postcode or coordinates for this row"))
        out.column[i] = names[0] if problem is None else names[problem[0]]
        if problem is not None:
            log.add(rows[i], problem[2], column=out.column[i], value=problem[1])
            out.bad[i] = True
        elif not queue or queue[-1] != i:
            out.precision[i] = "exact"
            loose += bool(pcs[i]) and postcode[i] is None
    if lonlat.any():
        out.x[lonlat], out.y[lonlat] = _geocode.lonlat_to_bng(out.x[lonlat], out.y[lonlat])
    if loose:
        out.notes.append(f"{loose} row(s) with coordinates have a malformed postcode: located by the "
                         "coordinates, postcode left blank")
    if queue:
        _geocode_rows(out, queue, pcs, rows, log, geocoder)
    return out


def _geocode_rows(out: _Located, queue: list[int], pcs: list[str], rows: list[int], log: RejectLog,
                  geocoder) -> None:
    if geocoder is None:
        reason = describe("postcode cannot be located: no postcode lookup was given",
                          fix="give a postcode file (profile [inputs.postcodes] or [inputs.postcode_districts]; "
                          "in Python geocoder=PostcodeLookup.from_files(...)), or add latitude and longitude")
        for i in queue:
            log.add(rows[i], reason, column=out.column[i], value=pcs[i])
            out.bad[i] = True
        return
    found = geocoder.locate([out.postcode[i] for i in queue])
    for k, i in enumerate(queue):
        if pd.isna(found["problem"].iat[k]):
            out.x[i], out.y[i] = float(found["x"].iat[k]), float(found["y"].iat[k])
            out.precision[i] = str(found["precision"].iat[k])
        else:
            pc = out.postcode[i]
            what = (f"neither {pc} nor its district {pc.split(' ')[0]} is" if getattr(geocoder, "has_districts", False)
                    else f"{pc} is not")
            log.add(rows[i], describe(f"unknown postcode: {what} in the postcode lookup", value=pcs[i],
                                      fix="check the postcode, or give latitude and longitude"),
                    column=out.column[i], value=pcs[i])
            out.bad[i] = True
    by = pd.Series(out.precision[queue]).value_counts()
    if by.get("district", 0):
        out.notes.append(f"{int(by['district'])} row(s) located at their postcode district's centroid "
                         "(location_precision 'district')")


def _reject_outside(located: _Located, areas, rows: list[int], log: RejectLog, *, skip: np.ndarray) -> np.ndarray:
    """Reject rows whose point lies in no area; return the mask of rows rejected here."""
    bad = np.zeros(len(rows), dtype=bool)
    if areas is None or not len(rows):
        return bad
    if areas.crs is None:
        raise MissingCRSError(describe("the areas declare no coordinate reference system", file="areas",
                                       fix="set it, e.g. areas.set_crs('EPSG:27700')"))
    shapes = areas.geometry.to_crs(CRS_BNG)
    valid = shapes.is_valid
    if not valid.all():  # loaded boundaries are repaired already; a caller's own may not be
        shapes = shapes.where(valid, shapes.make_valid())
    todo = np.flatnonzero(~located.bad & ~skip)
    points = gpd.points_from_xy(located.x[todo], located.y[todo], crs=CRS_BNG)
    inside = np.zeros(len(todo), dtype=bool)
    inside[gpd.GeoSeries(shapes.to_numpy(), crs=CRS_BNG).sindex.query(points, predicate="intersects")[0]] = True
    for k in np.flatnonzero(~inside):
        i = todo[k]
        where = f"easting {located.x[i]:.0f}, northing {located.y[i]:.0f}"
        log.add(rows[i], describe("point outside every area", value=where + (
            f" (postcode {located.postcode[i]})" if located.postcode[i] else ""),
            fix="check the coordinates or postcode, or load boundaries that cover this place"),
            column=located.column[i], value=where)
        bad[i] = True
    return bad


def _assemble(table: pd.DataFrame, located: _Located, keep: np.ndarray, carried: pd.DataFrame, *,
              source: str) -> gpd.GeoDataFrame:
    out = table.reset_index(drop=True)
    out[SOURCE] = source
    out[POSTCODE] = pd.array([p or "" for p in located.postcode[keep]], dtype="string")
    out[LOCATION_PRECISION] = pd.array(located.precision[keep].tolist(), dtype="string")
    order = [c for c in PROVIDER_COLUMNS if c != "geometry"] + [IAAS_GRADE]
    order += [CAPACITY_GIVEN] if CAPACITY_GIVEN in out.columns else []  # partner lists say if they gave capacity
    out = out[order].astype({OISC_LEVEL: "int64", LAA_CONTRACT: bool, REGULATED: bool, CAPACITY: float})
    gdf = gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(located.x[keep], located.y[keep]), crs=CRS_BNG)
    carried = carried.reset_index(drop=True)
    carried.columns = [f"{c}_file" if c in gdf.columns else c for c in carried.columns]
    return gpd.GeoDataFrame(pd.concat([gdf, carried], axis=1), geometry="geometry", crs=CRS_BNG)
