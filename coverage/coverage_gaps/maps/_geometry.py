"""Boundaries and points made small enough to embed in one HTML file.

* **Simplify** in British National Grid with :func:`shapely.coverage_simplify`,
  which simplifies the areas as one coverage: an edge two areas share is
  simplified once, so neighbours still meet with no slivers or gaps.  The
  tolerance is the map's extent (the longer side of its bounding box, in
  metres) divided by :data:`TOLERANCE_DIVISOR` = 2,000: about 78 m for the
  West Midlands and 330 m for England and Wales, i.e. well under a pixel at
  the zoom level that shows the whole map.  (GEOS uses Visvalingam-Whyatt: a
  vertex goes when the triangle it makes with its neighbours is smaller than
  tolerance², so wiggles much narrower than the tolerance are straightened.)
* **Reproject** to WGS84 for display and **round** to :data:`DECIMALS` = 5
  decimal places (about 1 m).
* **Encode** each ring as a Google encoded polyline (precision 5): the same
  rounded coordinates, delta-encoded into printable ASCII, about a fifth of
  the size of GeoJSON text.  The map's script decodes them back to GeoJSON.
  :func:`encode_many` encodes every ring of every area in one pass of numpy
  (the per-value loop of :func:`_encode_ring` stays as the reference).
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import shapely

from ..errors import MissingCRSError, describe
from ..schema import CRS_BNG, CRS_WGS84

__all__ = ["TOLERANCE_DIVISOR", "DECIMALS", "tolerance_m", "display_geometries", "encode_polygons",
           "encode_many",
           "encode_points", "latlng", "bounds_latlng"]

TOLERANCE_DIVISOR = 2_000
DECIMALS = 5


def _in_bng(frame: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> gpd.GeoSeries:
    geoms = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    if geoms.crs is None:
        raise MissingCRSError(describe(f"the {what} have no coordinate reference system", column="geometry",
                                       expected=f"{CRS_BNG} (British National Grid)",
                                       fix="build the Result with coverage_gaps.analyse or set_crs('EPSG:27700')"))
    return geoms if geoms.crs.equals(CRS_BNG) else geoms.to_crs(CRS_BNG)


def tolerance_m(bounds) -> float:
    """Simplification tolerance in metres: the longer side of ``bounds`` / 2,000."""
    minx, miny, maxx, maxy = bounds
    extent = max(maxx - minx, maxy - miny)
    return float(extent) / TOLERANCE_DIVISOR if np.isfinite(extent) else 0.0


def _polygonal(geom):
    """Keep the polygons of a geometry (``make_valid`` may add stray lines)."""
    if geom is None or geom.is_empty or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def display_geometries(areas: gpd.GeoDataFrame, *, simplify: bool = True) -> np.ndarray:
    """Area shapes for display: valid, simplified as a coverage, in WGS84, rounded.

    Parameters
    ----------
    areas
        Areas in any CRS (normally EPSG:27700).
    simplify
        Simplify shared edges once (see the module notes); ``False`` keeps every vertex.

    Returns
    -------
    numpy.ndarray
        Shapely geometries aligned to ``areas`` (empty where an area has none).
    """
    bng = _in_bng(areas, "areas")
    geoms = np.asarray(bng.values, dtype=object)
    geoms = np.where(shapely.is_missing(geoms), shapely.Polygon(), geoms)
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms[invalid] = [_polygonal(g) for g in shapely.make_valid(geoms[invalid])]
    if simplify and len(geoms):
        tolerance = tolerance_m(shapely.total_bounds(geoms))
        try:
            simple = shapely.coverage_simplify(geoms, tolerance)
        except shapely.errors.GEOSException:  # not a coverage at all: simplify one by one
            warnings.warn("area boundaries overlap; simplifying each area on its own", stacklevel=3)
            simple = shapely.simplify(geoms, tolerance, preserve_topology=True)
        lost = shapely.is_empty(simple) & ~shapely.is_empty(geoms)
        geoms = np.where(lost, geoms, simple)
    wgs = gpd.GeoSeries(geoms, crs=CRS_BNG).to_crs(CRS_WGS84).values
    return shapely.transform(np.asarray(wgs, dtype=object), lambda c: np.round(c, DECIMALS))


def _encode_ring(coords: np.ndarray) -> str:
    """Google encoded polyline of one ring (lat, lng at precision 5): the reference, one value at a time."""
    q = np.round(np.asarray(coords)[:, 1::-1] * 10**DECIMALS).astype(np.int64)
    deltas = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel().tolist()
    out = []
    for value in deltas:
        value = ~(value << 1) if value < 0 else value << 1
        while value >= 0x20:
            out.append(chr((0x20 | (value & 0x1F)) + 63))
            value >>= 5
        out.append(chr(value + 63))
    return "".join(out)


def _encode_values(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Polyline characters of many signed integers at once, and the characters each takes."""
    zigzag = ((values << 1) ^ (values >> 63)).astype(np.uint64)  # ~(v << 1) for negatives, as the reference
    width = max(1, -(-int(zigzag.max(initial=0)).bit_length() // 5))  # 5 bits a character
    chunks = (zigzag[:, None] >> (5 * np.arange(width, dtype=np.uint64))) & np.uint64(0x1F)
    used = 1 + (zigzag[:, None] >= np.uint64(32) ** np.arange(1, width, dtype=np.uint64)).sum(axis=1)
    keep = np.arange(width) < used[:, None]
    more = np.arange(width) < (used - 1)[:, None]  # every chunk but a value's last carries 0x20
    chars = (chunks + np.uint64(63) + np.where(more, np.uint64(0x20), np.uint64(0))).astype(np.uint8)
    return chars[keep].tobytes(), used


def encode_many(geoms) -> list[list[list[str]]]:
    """:func:`encode_polygons` of every geometry at once (vectorised over all their rings)."""
    geoms = np.asarray(geoms, dtype=object)
    out: list[list[list[str]]] = [[] for _ in range(len(geoms))]
    if not len(geoms):
        return out
    ok = np.flatnonzero(~shapely.is_missing(geoms) & ~shapely.is_empty(geoms))
    polygons, owner = shapely.get_parts(geoms[ok], return_index=True)
    keep = (shapely.get_type_id(polygons) == 3) & ~shapely.is_empty(polygons)
    polygons, owner = polygons[keep], ok[owner[keep]]
    rings, ring_polygon = shapely.get_rings(polygons, return_index=True)  # exterior first, then holes
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    q = np.round(coords[:, ::-1] * 10**DECIMALS).astype(np.int64)
    first = np.r_[True, ring_of[1:] != ring_of[:-1]]
    deltas = q - np.where(first[:, None], 0, np.roll(q, 1, axis=0))
    text, used = _encode_values(deltas.ravel())
    per_ring = np.bincount(np.repeat(ring_of, 2), weights=used, minlength=len(rings)).astype(np.int64)
    ends = np.cumsum(per_ring)
    starts = ends - per_ring
    encoded = text.decode("ascii")
    current, last_polygon = None, -1
    for r in range(len(rings)):
        p = ring_polygon[r]
        if p != last_polygon:
            current = []
            out[owner[p]].append(current)
            last_polygon = p
        current.append(encoded[starts[r]:ends[r]])
    return out


def encode_points(latlng: np.ndarray) -> str:
    """``[[lat, lng], ...]`` as one encoded polyline (precision 5): each point a delta from the one before."""
    q = np.round(np.asarray(latlng, dtype=float).reshape(-1, 2) * 10**DECIMALS).astype(np.int64)
    deltas = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return _encode_values(deltas.ravel())[0].decode("ascii") if len(q) else ""


def encode_polygons(geom) -> list[list[str]]:
    """A (multi)polygon as ``[[exterior, hole, ...], ...]`` encoded rings ([] when empty)."""
    return encode_many([geom])[0]


def latlng(points: gpd.GeoSeries) -> np.ndarray:
    """``[[lat, lng], ...]`` rounded, NaN for missing or empty points."""
    wgs = _in_bng(points, "points").to_crs(CRS_WGS84)
    xy = np.full((len(wgs), 2), np.nan)
    ok = ~(wgs.isna() | wgs.is_empty).to_numpy()
    if ok.any():
        xy[ok] = shapely.get_coordinates(wgs.values[ok])[:, :2]
    return np.round(xy[:, ::-1], DECIMALS)


def bounds_latlng(geoms: np.ndarray) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of WGS84 geometries (all of Britain if none)."""
    geoms = geoms[~shapely.is_empty(geoms)] if len(geoms) else geoms
    if not len(geoms):
        return [[49.9, -8.2], [60.9, 1.8]]
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    return [[round(float(miny), DECIMALS), round(float(minx), DECIMALS)],
            [round(float(maxy), DECIMALS), round(float(maxx), DECIMALS)]]
