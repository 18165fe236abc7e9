"""Straight-line distances between demand points and providers (BNG metres in, km out).

Neighbour search uses :class:`scipy.spatial.cKDTree`; up to two million
point-provider pairs (a region) every pair is measured instead, provider by
provider (no tree, and no 0.3 s import of :mod:`scipy.spatial`).  Coordinates are British
National Grid (EPSG:27700) eastings and northings in metres; every distance
returned is in km.  A pair exactly ``max_km`` apart is included.
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import shapely

from ..errors import InvalidValueError, MissingCRSError, describe
from ..schema import CRS_BNG

__all__ = ["coords", "pairs_within", "pair_blocks", "nearest_km"]

#: Demand points searched per block (bounds the temporary memory of the search).
_BLOCK = 8_192
#: Up to this many demand x supply pairs, each provider is measured against every demand point (numpy)
#: instead of searching a KD-tree: a few milliseconds at a region's size (3,800 points x 290 providers), and
#: a region's run does not import scipy.spatial (0.3 s).  The tree is 5-10 times faster above it.
DENSE_PAIRS = 2_000_000


def coords(frame: gpd.GeoDataFrame | gpd.GeoSeries, *, what: str = "points") -> np.ndarray:
    """The (n, 2) easting/northing array of a point layer in EPSG:27700.

    Raises
    ------
    MissingCRSError
        The layer has no CRS or one other than British National Grid.
    InvalidValueError
        A geometry is missing, empty or not a point.
    """
    geoms = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    if geoms.crs is None or not geoms.crs.equals(CRS_BNG):
        raise MissingCRSError(
            describe(f"{what} must be in British National Grid", value=str(geoms.crs), expected=CRS_BNG,
                     fix="reproject with .to_crs('EPSG:27700') first")
        )
    arr = geoms.to_numpy()
    ok = shapely.get_type_id(arr) == 0  # Point; None gives -1
    ok &= ~shapely.is_empty(arr)
    if not ok.all():
        k = int(np.flatnonzero(~ok)[0])
        raise InvalidValueError(
            describe(f"{what} must be points", row=None, column="geometry",
                     value=None if arr[k] is None else arr[k].geom_type, expected="a Point",
                     fix=f"drop or locate the {what} without a point (index {geoms.index[k]!r})")
        )
    xy = shapely.get_coordinates(arr)
    finite = np.isfinite(xy).all(axis=1)
    if not finite.all():
        k = int(np.flatnonzero(~finite)[0])
        raise InvalidValueError(
            describe(f"{what} must have finite coordinates", column="geometry", value=xy[k].tolist(),
                     expected="easting and northing in metres",
                     fix=f"locate or drop the {what} at index {geoms.index[k]!r} (a missing longitude/latitude "
                         "becomes infinite when reprojected)"))
    return xy


def _check_xy(xy, what: str) -> np.ndarray:
    arr = np.asarray(xy, dtype=float)
    if arr.size == 0:
        arr = arr.reshape(0, 2)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise InvalidValueError(describe(f"{what} coordinates must be an (n, 2) array of metres",
                                         value=arr.shape, expected="shape (n, 2)"))
    if not np.isfinite(arr).all():
        k = int(np.flatnonzero(~np.isfinite(arr).all(axis=1))[0])
        raise InvalidValueError(describe(f"{what} coordinates must be finite", value=arr[k].tolist(),
                                         expected="easting and northing in metres",
                                         fix=f"locate {what} point {k} or drop it"))
    return arr


def pairs_within(demand_xy, supply_xy, *, max_km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every demand-supply pair at most ``max_km`` apart.

    Parameters
    ----------
    demand_xy, supply_xy
        (n, 2) and (m, 2) arrays of BNG coordinates in metres.
    max_km
        Search radius in km (inclusive); ``inf`` pairs everything with everything.

    Returns
    -------
    i, j, dist_km
        Index into ``demand_xy`` and into ``supply_xy`` (int32 while both
        have fewer than 2**31 points, else int64) and
        the straight-line distance in km (float64), one entry per pair, grouped
        by blocks of demand points; the order is the same for the same inputs.
        The arrays may be views of larger buffers.
    """
    demand = _check_xy(demand_xy, "demand")
    supply = _check_xy(supply_xy, "supply")
    try:
        radius = float(max_km)
    except (TypeError, ValueError):
        radius = float("nan")
    if not radius >= 0:
        raise InvalidValueError(describe("the search radius must be 0 km or more", column="max_km",
                                         value=max_km, expected="a number of km"))
    n, m = len(demand), len(supply)
    if n == 0 or m == 0:
        empty = np.empty(0, dtype=np.int32)
        return empty, empty.copy(), np.empty(0, dtype=float)
    if math.isinf(radius):
        i = np.repeat(np.arange(n, dtype=np.int64), m)
        j = np.tile(np.arange(m, dtype=np.int64), n)
        return i, j, np.hypot(*(demand[i] - supply[j]).T) / 1000.0
    out = _Growing(np.int32 if max(n, m) < 2**31 else np.int64)
    blocks = -(-n // _BLOCK)
    for k, parts in enumerate(pair_blocks(demand, supply, max_km=radius), start=1):
        out.add(parts, estimate=out.filled / k * blocks if k < blocks else 0)
    return out.arrays()


def pair_blocks(demand_xy, supply_xy, *, max_km: float) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The pairs of :func:`pairs_within`, one block of demand points at a time, in the same order.

    At most a few blocks are held at once (one per worker thread), so memory
    is bounded by the pairs of a block, not of the whole problem (a problem of
    up to :data:`DENSE_PAIRS` pairs is one block).  Inputs are
    checked (n, 2) coordinate arrays and a radius of 0 km or more.
    """
    demand = np.asarray(demand_xy, dtype=float)
    supply = np.asarray(supply_xy, dtype=float)
    n, m = len(demand), len(supply)
    if n == 0 or m == 0:
        return
    index = np.int32 if max(n, m) < 2**31 else np.int64
    radius_m = float(max_km) * 1000.0
    if math.isinf(max_km):
        per_block = max(1, _BLOCK * 64 // max(m, 1))
        for start in range(0, n, per_block):
            stop = min(n, start + per_block)
            i = np.repeat(np.arange(start, stop, dtype=index), m)
            j = np.tile(np.arange(m, dtype=index), stop - start)
            yield i, j, np.hypot(*(demand[i] - supply[j]).T) / 1000.0
        return
    if n * m <= DENSE_PAIRS:
        yield _dense_pairs(demand, supply, radius_m, index)
        return
    from scipy.spatial import cKDTree

    tree = cKDTree(supply)

    def block(start: int):
        found = cKDTree(demand[start:start + _BLOCK]).sparse_distance_matrix(tree, radius_m, output_type="ndarray")
        return (found["i"] + start).astype(index), found["j"].astype(index), found["v"] / 1000.0

    starts = list(range(0, n, _BLOCK))
    workers = _workers(len(starts))
    # The tree search releases the GIL: blocks run on threads, handed back in
    # order, with at most one block per worker waiting (bounded memory).
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = deque(pool.submit(block, s) for s in starts[:workers])
        for s in starts[workers:] + [None] * workers:
            result = pending.popleft().result()
            if s is not None:
                pending.append(pool.submit(block, s))
            yield result
            if not pending:
                break


class _Growing:
    """Append pair blocks to buffers that grow geometrically, then hand back views."""

    def __init__(self, index):
        self.filled = 0
        self.bufs = [np.empty(0, dtype=index), np.empty(0, dtype=index), np.empty(0, dtype=float)]

    def add(self, parts, *, estimate: float) -> None:
        need = self.filled + len(parts[0])
        if need > len(self.bufs[0]):
            size = max(need, int(estimate * 1.25) + len(parts[0]), 2 * len(self.bufs[0]))
            grown = [np.empty(size, dtype=b.dtype) for b in self.bufs]
            for old, new in zip(self.bufs, grown):
                new[: self.filled] = old[: self.filled]
            self.bufs = grown
        for buf, part in zip(self.bufs, parts):
            buf[self.filled:need] = part
        self.filled = need

    def arrays(self):
        return tuple(b[: self.filled] for b in self.bufs)


def _workers(tasks: int) -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8, tasks))


def nearest_km(demand_xy, supply_xy) -> np.ndarray:
    """Distance in km from each demand point to its nearest supply point.

    Returns ``inf`` for every point when there is no supply.
    """
    demand = _check_xy(demand_xy, "demand")
    supply = _check_xy(supply_xy, "supply")
    if len(supply) == 0:
        return np.full(len(demand), np.inf)
    if len(demand) == 0:
        return np.empty(0, dtype=float)
    if len(demand) * len(supply) <= DENSE_PAIRS:
        dx, dy, best = demand[:, 0].copy(), demand[:, 1].copy(), np.full(len(demand), np.inf)
        for x, y in supply:
            np.minimum(best, (dx - x) ** 2 + (dy - y) ** 2, out=best)
        return np.sqrt(best) / 1000.0
    from scipy.spatial import cKDTree

    dist, _ = cKDTree(supply).query(demand, k=1)
    return np.asarray(dist, dtype=float) / 1000.0


def _dense_pairs(demand: np.ndarray, supply: np.ndarray, radius_m: float, index) -> tuple:
    """Every pair within ``radius_m``, one provider at a time: ``(i, j, km)`` ordered by ``i``, then ``j``."""
    dx, dy = demand[:, 0].copy(), demand[:, 1].copy()
    limit = radius_m * radius_m * (1 + 1e-9)  # a little over: the test below is on the distance itself
    found_i, found_j, found_m = [], [], []
    for j, (x, y) in enumerate(supply):
        squared = (dx - x) ** 2 + (dy - y) ** 2
        i = np.flatnonzero(squared <= limit)
        metres = np.sqrt(squared[i])
        near = metres <= radius_m
        found_i.append(i[near])
        found_j.append(np.full(int(near.sum()), j))
        found_m.append(metres[near])
    i, j, metres = (np.concatenate(parts) for parts in (found_i, found_j, found_m))
    order = np.argsort(i, kind="stable")
    return i[order].astype(index), j[order].astype(index), metres[order] / 1000.0
