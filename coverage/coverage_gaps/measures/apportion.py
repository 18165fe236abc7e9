"""Demand points: where each area's demand sits for the distance measures.

By default each area's demand sits at one point inside it (its centroid, or a
representative point when the centroid falls outside the polygon, as for a
crescent-shaped district).  With a finer layer (LSOAs or MSOAs in a local
authority) each area's demand is shared over its sub-areas, by a weight column
(population, say) or equally, and sits at each sub-area's point.

Totals are preserved *exactly*: each area's pieces add up to the area's figure
bit for bit, in any order of summation.  Shares are rounded to a binary grid
(the area total's unit in the last place) by cumulative rounding, so every
partial sum is exact; a piece differs from its exact share by less than one
unit in the last place of the area total.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._validate import require_columns
from ..errors import DuplicateCodeError, InvalidValueError, MissingCRSError, describe
from ..schema import AREA_CODE, CRS_BNG
from .local import containing_area
from .supply import _plain

__all__ = ["demand_points", "inner_points", "split_exact", "POINT_CODE"]

#: Column of the demand-point table naming the sub-area (or the area) a point stands for.
POINT_CODE = "point_code"


def _to_bng(frame: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    if frame.crs is None:
        raise MissingCRSError(describe(f"the {what} layer has no coordinate reference system",
                                       expected=CRS_BNG, fix="set it with .set_crs(...) when you know it"))
    return frame if frame.crs.equals(CRS_BNG) else frame.to_crs(CRS_BNG)


def inner_points(geometry: gpd.GeoSeries) -> np.ndarray:
    """One point inside each geometry: its centroid if inside, else a representative point."""
    geoms = geometry.to_numpy()
    centroid = shapely.centroid(geoms)
    inside = shapely.intersects(centroid, geoms)
    return np.where(inside, centroid, shapely.point_on_surface(geoms))


def _amounts(frame: pd.DataFrame, column: str, *, what: str, codes) -> np.ndarray:
    # Plain floats first: a nullable column (Int64, pandas 3 strings) would make the test below <NA>, not False.
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(values)
    bad = np.where(missing, frame[column].notna().to_numpy(), ~((values >= 0) & (values < np.inf)))
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise InvalidValueError(
            describe(f"{what} must be a number of 0 or more (area {codes[k]!r})", file=what, column=column,
                     value=_plain(frame[column].iloc[k]), expected="a count or amount", fix="correct or remove the value"))
    return np.where(missing, 0.0, values)


def split_exact(totals: np.ndarray, weights: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Share ``totals[group]`` over rows by ``weights``, preserving each total exactly.

    Parameters
    ----------
    totals
        One non-negative total per group.
    weights
        One non-negative weight per row; a group whose weights are all 0 is
        shared equally.
    group
        Group index (into ``totals``) of each row; rows must be sorted by group.

    Returns
    -------
    numpy.ndarray
        One piece per row.  Within a group the pieces are multiples of the
        total's unit in the last place ``q`` and add up to the total in any
        order (every partial sum is a multiple of ``q`` not above the total,
        so exactly representable).
    """
    totals = np.asarray(totals, dtype=float)
    w = np.asarray(weights, dtype=float)
    group = np.asarray(group, dtype=np.intp)
    if len(group) == 0:
        return np.empty(0)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    ends = np.r_[starts[1:], len(group)]
    wsum = np.add.reduceat(w, starts)
    w = np.where(np.repeat(wsum, ends - starts) > 0, w, 1.0)  # all-zero group -> equal shares
    # Within-group running weight: monotone, and its last value is the group's sum,
    # so cum_in / last rises to exactly 1 (one short loop per area, numpy inside).
    cum_in = np.empty_like(w)
    for s, e in zip(starts, ends):
        cum_in[s:e] = np.cumsum(w[s:e])
    last = np.repeat(cum_in[ends - 1], ends - starts)
    t = totals[group]
    q = np.where(t > 0, np.spacing(t), 1.0)
    n_units = np.round(t / q)  # an exact integer below 2**53
    c = np.floor(n_units * (cum_in / last))  # cum_in/last rises to exactly 1 -> c ends at n_units
    first = np.zeros(len(group), dtype=bool)
    first[starts] = True
    pieces_units = c - np.where(first, 0.0, np.r_[0.0, c[:-1]])
    return pieces_units * q


def _parents(areas: gpd.GeoDataFrame, sub: gpd.GeoDataFrame, sub_points: np.ndarray, parent_column) -> np.ndarray:
    """Position in ``areas`` of each sub-area's parent (-1 when outside every area)."""
    position = pd.Series(np.arange(len(areas)), index=areas[AREA_CODE].astype(str).to_numpy())
    if parent_column is not None:
        require_columns(sub, [parent_column], file="sub-areas", fix="name the column holding each sub-area's area code")
        codes = sub[parent_column].astype("string").fillna("").str.strip().to_numpy(dtype=object)
        return position.reindex(codes).fillna(-1).to_numpy(dtype=np.intp)
    return containing_area(areas.geometry.to_numpy(), sub_points)  # a shared border: the first area listed


def demand_points(
    areas: gpd.GeoDataFrame,
    demand: pd.DataFrame,
    *,
    columns: list[str],
    subareas: gpd.GeoDataFrame | None = None,
    parent_column: str | None = None,
    weight_column: str | None = None,
) -> gpd.GeoDataFrame:
    """Place each area's demand at points inside it.

    Parameters
    ----------
    areas
        Areas (``area_code``, polygons), any CRS (reprojected to EPSG:27700).
    demand
        ``area_code`` plus the numeric ``columns``.  An area without a demand
        row, or with a missing value, has demand 0; demand rows for codes not
        in ``areas`` are left out (they cannot be placed).
    columns
        The demand columns to carry (e.g. ``["asylum_support", "population"]``).
    subareas
        Optional finer layer (polygons or points).  Its ``area_code`` (or its
        index) names each sub-area in ``point_code``.
    parent_column
        Column of ``subareas`` holding each sub-area's area code.  When None,
        each sub-area goes to the area containing its inner point.  Sub-areas
        outside every area are left out.
    weight_column
        Column of ``subareas`` to share demand by (e.g. population); equal
        shares when None or when an area's weights are all 0.

    Returns
    -------
    geopandas.GeoDataFrame
        ``area_code, point_code, <columns>, geometry`` (points, EPSG:27700),
        in the order of ``areas`` (sub-areas in their own order).  An area with
        no sub-areas keeps one point of its own; every area's values add up
        exactly to its demand.

    Raises
    ------
    MissingColumnError, DuplicateCodeError, InvalidValueError, MissingCRSError
        Missing columns, repeated codes, negative or non-numeric demand or
        weights, a layer without a CRS.
    """
    columns = list(columns)
    require_columns(areas, [AREA_CODE, "geometry"], file="areas")
    require_columns(demand, [AREA_CODE, *columns], file="demand", fix="name the demand columns to use")
    areas = _to_bng(areas, "areas").reset_index(drop=True)
    codes = areas[AREA_CODE].astype(str).to_numpy(dtype=object)
    for frame, what in ((areas, "areas"), (demand, "demand")):
        dup = frame[AREA_CODE].astype(str).duplicated()
        if dup.any():
            raise DuplicateCodeError(describe("area codes must be unique", file=what, column=AREA_CODE,
                                              value=frame[AREA_CODE].astype(str)[dup].iloc[0],
                                              fix="merge or remove the repeated rows"))
    table = pd.DataFrame({AREA_CODE: demand[AREA_CODE].astype(str).to_numpy()})
    for c in columns:
        table[c] = _amounts(demand, c, what="demand", codes=table[AREA_CODE].to_numpy())
    totals = table.set_index(AREA_CODE).reindex(codes).fillna(0.0)

    own = gpd.GeoDataFrame(
        {AREA_CODE: codes, POINT_CODE: codes, **{c: totals[c].to_numpy() for c in columns}},
        geometry=inner_points(areas.geometry), crs=CRS_BNG,
    )
    if subareas is None or len(subareas) == 0:
        return own

    sub_index = subareas.index.astype(str).to_numpy(dtype=object)
    sub = _to_bng(subareas, "sub-areas").reset_index(drop=True)
    sub_codes = sub[AREA_CODE].astype(str).to_numpy(dtype=object) if AREA_CODE in sub.columns else sub_index
    sub_points = inner_points(sub.geometry)
    parent = _parents(areas, sub, sub_points, parent_column)
    if weight_column is not None:
        require_columns(sub, [weight_column], file="sub-areas", fix="name the sub-area weight column (e.g. population)")
        weights = _amounts(sub, weight_column, what="sub-areas", codes=sub_codes)
    else:
        weights = np.ones(len(sub))
    keep = np.flatnonzero(parent >= 0)
    order = keep[np.argsort(parent[keep], kind="stable")]
    group = parent[order]
    pieces = gpd.GeoDataFrame(
        {
            AREA_CODE: codes[group],
            POINT_CODE: sub_codes[order],
            **{c: split_exact(totals[c].to_numpy(), weights[order], group) for c in columns},
        },
        geometry=sub_points[order], crs=CRS_BNG,
    )
    has_sub = np.zeros(len(areas), dtype=bool)
    has_sub[group] = True
    both = pd.concat([pieces.assign(_a=group), own[~has_sub].assign(_a=np.flatnonzero(~has_sub))], ignore_index=True)
    both = both.sort_values("_a", kind="stable").drop(columns="_a").reset_index(drop=True)
    return gpd.GeoDataFrame(both, geometry="geometry", crs=CRS_BNG)
