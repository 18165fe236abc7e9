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
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..errors import InvalidValueError, describe

__all__ = ["fca_access", "fca_ratio"]


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
