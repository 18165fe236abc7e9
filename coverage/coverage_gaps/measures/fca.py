"""The (enhanced) two-step floating catchment area measure, vectorised.

For demand points ``i`` (demand ``D_i``, e.g. people on asylum support),
providers ``j`` (capacity ``S_j``, e.g. advisers) and decay weights
``W_ij = w(d_ij)``:

1. each provider's ratio of capacity to the weighted demand in its catchment::

       R_j = S_j / sum_i D_i W_ij

2. each demand point's access, the weighted sum of the ratios it can reach::

       A_i = sum_j R_j W_ij

With a step decay this is the 2SFCA (Luo and Wang 2003); with a Gaussian or
a step table, the E2SFCA (Luo and Qi 2009; Dai 2010).  No normalisation is
applied (PySAL ``access`` with ``normalize=False``).

Units: ``A_i`` is capacity per person in demand (advisers per person on
asylum support, say).  The area measures report it per 1,000 people in
demand.  Conservation: ``sum_i D_i A_i = sum_j S_j`` over providers with some
weighted demand in reach.

Zero-demand catchments: a provider with no weighted demand in reach
(``sum_i D_i W_ij = 0``) gets ``R_j = 0``: its capacity serves nobody in the
data, so it adds to no one's access (PySAL ``access`` would divide by zero).
A demand point with no provider in reach has ``A_i = 0``.

Two faces, one definition: :func:`fca_access` and :func:`fca_ratio` take
ready-made pairs; :func:`fca_access_xy` and :func:`fca_ratio_xy` take the
coordinates and never hold all pairs at once (a compiled grid kernel,
:mod:`._kernel`, for large inputs when numba is installed; otherwise blocks of
demand points searched twice), so memory stays proportional to points plus
providers at any catchment.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..errors import InvalidValueError, describe
from . import _kernel
from .distance import _check_xy, pair_blocks

__all__ = ["fca_access", "fca_access_xy", "fca_ratio", "fca_ratio_xy", "ENGINES"]


#: How :func:`fca_access_xy` may compute: ``"auto"`` picks the kernel for large inputs.
ENGINES = ("auto", "kernel", "blocks")
#: Pairs within reach (estimated from a sample of demand points) from which ``"auto"`` uses the
#: compiled kernel: below it, numba's import and start-up (about 0.4 s) cost more than they save.
KERNEL_MIN_PAIRS = 3_000_000
#: Demand points sampled to estimate the pairs.
_SAMPLE = 2_000

#: Pairs processed per chunk: temporaries stay small (cache-sized) whatever the pair count.
_CHUNK = 1 << 18


def _as_amounts(values, what: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float).reshape(-1)
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise InvalidValueError(
            describe(f"{what} must be a number of 0 or more", value=float(arr[k]),
                     expected="a finite amount", fix=f"check entry {k} of the {what}")
        )
    return arr


def _check_pairs(i, j, dist_km, n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    i = np.asarray(i).reshape(-1)
    j = np.asarray(j).reshape(-1)
    dist = np.asarray(dist_km, dtype=float).reshape(-1)
    if not (len(i) == len(j) == len(dist)):
        raise InvalidValueError(describe("pair arrays i, j and dist_km must be the same length",
                                         value=(len(i), len(j), len(dist)), expected="three equal lengths"))
    if len(i) and not (np.issubdtype(i.dtype, np.integer) and np.issubdtype(j.dtype, np.integer)
                       and 0 <= i.min() and i.max() < n and 0 <= j.min() and j.max() < m):
        raise InvalidValueError(describe("a pair index is out of range", value=(n, m),
                                         expected="whole numbers below the number of demand points and of providers",
                                         fix="build the pairs with measures.pairs_within on the same points"))
    return i, j, dist


def _chunk_weights(decay: Callable, dist: np.ndarray) -> np.ndarray:
    w = np.asarray(decay(dist), dtype=float).reshape(-1)
    if len(w) != len(dist) or not (np.isfinite(w).all() and (w >= 0).all()):
        raise InvalidValueError(describe("the decay must give one finite weight of 0 or more per distance",
                                         fix="use measures.make_decay"))
    return w


def _ratio(d, s, i, j, dist, decay) -> np.ndarray:
    weighted_demand = np.zeros(len(s))
    for a in range(0, len(i), _CHUNK):
        b = a + _CHUNK
        w = _chunk_weights(decay, dist[a:b])
        weighted_demand += np.bincount(j[a:b], weights=w * d[i[a:b]], minlength=len(s))
    ratio = np.zeros(len(s))
    np.divide(s, weighted_demand, out=ratio, where=weighted_demand > 0)
    return ratio


def fca_ratio(demand, capacity, i, j, dist_km, *, decay: Callable) -> np.ndarray:
    """Step 1: each provider's ``R_j = S_j / sum_i D_i W_ij`` (0 when nobody is in reach).

    Parameters are those of :func:`fca_access`; returns an array with one
    ratio per provider (capacity per person in demand).
    """
    d = _as_amounts(demand, "demand")
    s = _as_amounts(capacity, "capacity")
    i, j, dist = _check_pairs(i, j, dist_km, len(d), len(s))
    return _ratio(d, s, i, j, dist, decay)


def fca_access(demand, capacity, i, j, dist_km, *, decay: Callable) -> np.ndarray:
    """(E)2SFCA access of each demand point: capacity per person in demand.

    Parameters
    ----------
    demand
        ``D_i``, one amount (people) per demand point, 0 or more.
    capacity
        ``S_j``, one amount (advisers, FTE, matter starts) per provider, 0 or more.
    i, j, dist_km
        The demand-provider pairs to consider and their distances in km, as
        returned by :func:`coverage_gaps.measures.pairs_within`.  Pairs beyond
        the decay's reach may be included; they get weight 0.
    decay
        Vectorised weight function of distance in km
        (:func:`coverage_gaps.measures.make_decay`).

    Returns
    -------
    numpy.ndarray
        ``A_i = sum_j R_j W_ij`` for every demand point, in capacity per person
        (multiply by 1,000 for capacity per 1,000 people in demand); 0 where no
        provider is in reach.

    Raises
    ------
    InvalidValueError
        Negative or missing demand or capacity, mismatched pair arrays, an
        index out of range or a decay giving negative weights.
    """
    d = _as_amounts(demand, "demand")
    s = _as_amounts(capacity, "capacity")
    i, j, dist = _check_pairs(i, j, dist_km, len(d), len(s))
    ratio = _ratio(d, s, i, j, dist, decay)
    access = np.zeros(len(d))
    for a in range(0, len(i), _CHUNK):  # the weights are recomputed: cheaper than storing them
        b = a + _CHUNK
        access += np.bincount(i[a:b], weights=ratio[j[a:b]] * _chunk_weights(decay, dist[a:b]), minlength=len(d))
    return access


def _estimated_pairs(dxy: np.ndarray, sxy: np.ndarray, reach_km: float) -> float:
    n, m = len(dxy), len(sxy)
    if n * m < KERNEL_MIN_PAIRS or math.isinf(reach_km):
        return float(n * m)
    from scipy.spatial import cKDTree

    sample = dxy[:: max(1, n // _SAMPLE)]  # evenly spaced: the same estimate for the same inputs
    found = cKDTree(sxy).query_ball_point(sample, reach_km * 1000.0, return_length=True)
    return float(np.mean(found)) * n


def _engine(engine: str, decay, dxy: np.ndarray, sxy: np.ndarray, reach_km: float) -> str:
    if engine not in ENGINES:
        raise InvalidValueError(describe("unknown E2SFCA engine", column="engine", value=engine,
                                         expected=" or ".join(repr(e) for e in ENGINES), fix="use 'auto'"))
    if engine == "blocks" or not _kernel.supports(decay):
        return "blocks"
    if engine == "auto" and _estimated_pairs(dxy, sxy, reach_km) < KERNEL_MIN_PAIRS:
        return "blocks"
    return "kernel" if _kernel.available() else "blocks"


def _xy_inputs(demand, capacity, demand_xy, supply_xy, decay):
    d = _as_amounts(demand, "demand")
    s = _as_amounts(capacity, "capacity")
    dxy = _check_xy(demand_xy, "demand")
    sxy = _check_xy(supply_xy, "supply")
    if len(d) != len(dxy) or len(s) != len(sxy):
        raise InvalidValueError(describe("one amount per point is needed", value=(len(d), len(dxy), len(s), len(sxy)),
                                         expected="as many demand amounts as demand points and capacities as providers"))
    reach = getattr(decay, "reach_km", None)
    if reach is None or not float(reach) >= 0:
        raise InvalidValueError(describe("the decay must say how far it reaches (reach_km)",
                                         fix="use measures.make_decay"))
    return d, s, dxy, sxy, float(reach)


def _block_ratio(d, s, dxy, sxy, reach, decay) -> np.ndarray:
    weighted_demand = np.zeros(len(s))
    for i, j, dist in pair_blocks(dxy, sxy, max_km=reach):
        weighted_demand += np.bincount(j, weights=_chunk_weights(decay, dist) * d[i], minlength=len(s))
    ratio = np.zeros(len(s))
    np.divide(s, weighted_demand, out=ratio, where=weighted_demand > 0)
    return ratio


def _blocks(d, s, dxy, sxy, reach, decay) -> tuple[np.ndarray, np.ndarray, int]:
    ratio = _block_ratio(d, s, dxy, sxy, reach, decay)  # step 1
    access = np.zeros(len(d))
    pairs = 0
    for i, j, dist in pair_blocks(dxy, sxy, max_km=reach):  # step 2: the same blocks, searched again
        access += np.bincount(i, weights=ratio[j] * _chunk_weights(decay, dist), minlength=len(d))
        pairs += len(i)
    return ratio, access, pairs


def _solve(demand, capacity, demand_xy, supply_xy, decay, engine):
    d, s, dxy, sxy, reach = _xy_inputs(demand, capacity, demand_xy, supply_xy, decay)
    if len(d) == 0 or len(s) == 0:
        return np.zeros(len(s)), np.zeros(len(d)), 0
    if _engine(engine, decay, dxy, sxy, reach) == "kernel":
        return _kernel.kernel_access(d, s, dxy, sxy, decay=decay)
    return _blocks(d, s, dxy, sxy, reach, decay)


def fca_access_xy(demand, capacity, demand_xy, supply_xy, *, decay: Callable, engine: str = "auto",
                  with_pairs: bool = False):
    """(E)2SFCA access of each demand point from coordinates, in bounded memory.

    The same numbers as :func:`fca_access` on ``pairs_within(demand_xy,
    supply_xy, max_km=decay.reach_km)`` (to rounding, about 1e-15 relative),
    without ever holding every pair: memory grows with points plus providers,
    not with the pairs between them.

    Parameters
    ----------
    demand, capacity
        ``D_i`` per demand point and ``S_j`` per provider, 0 or more.
    demand_xy, supply_xy
        (n, 2) and (m, 2) British National Grid coordinates in metres.
    decay
        A :class:`~.decay.Decay` (from :func:`~.decay.make_decay`); any other
        vectorised weight function with a ``reach_km`` attribute also works
        (through the block engine).
    engine
        ``"auto"`` (default): the compiled kernel (numba, parallel threads)
        when about :data:`KERNEL_MIN_PAIRS` pairs or more are within reach
        and numba is installed, else blocks; ``"kernel"`` or
        ``"blocks"`` to choose (``"kernel"`` falls back to blocks without numba).
    with_pairs
        Also return the number of pairs within reach.

    Returns
    -------
    numpy.ndarray or (numpy.ndarray, int)
        Access per demand point in capacity per person in demand (0 where no
        provider is in reach); with ``with_pairs``, also the pair count.
    """
    _, access, pairs = _solve(demand, capacity, demand_xy, supply_xy, decay, engine)
    return (access, pairs) if with_pairs else access


def fca_ratio_xy(demand, capacity, demand_xy, supply_xy, *, decay: Callable) -> np.ndarray:
    """Step 1 from coordinates: each provider's ``R_j``, in bounded memory (see :func:`fca_access_xy`)."""
    d, s, dxy, sxy, reach = _xy_inputs(demand, capacity, demand_xy, supply_xy, decay)
    if len(d) == 0 or len(s) == 0:
        return np.zeros(len(s))
    return _block_ratio(d, s, dxy, sxy, reach, decay)
