"""The numba-compiled loop of :mod:`._kernel` (imported only when the kernel runs).

Compiled on first use and cached on disk (numba's ``cache=True``: beside this
file, or in the user's cache folder when that is read-only).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

__all__ = ["gather"]

_EDGE = math.exp(-0.5)
_STRETCH = 1.0 / (1.0 - _EDGE)


@nb.njit(cache=True, nogil=True, inline="always")
def _weight(kind, d, d2, scale, d0, upper, weights0):
    """The weights of :mod:`.decay`: 0 step, 1 Dai's Gaussian, 2 step table.

    ``d`` is the distance in km (it decides who is in reach, exactly as the
    decays do); the Gaussian takes ``-0.5 (d/d0)^2`` as ``d2 * scale`` with
    ``d2`` in square metres and ``scale = -0.5 / (1000 d0)^2``: no division
    or square root on its path (the same value to rounding).
    """
    if kind == 0:
        return 1.0 if d <= d0 else 0.0
    if kind == 1:
        if d <= d0:
            return (_exp_half(d2 * scale) - _EDGE) * _STRETCH
        return 0.0
    return weights0[np.searchsorted(upper, d, side="left")]


@nb.njit(cache=True, nogil=True, inline="always")
def _exp_half(v):
    """exp(v) for v in [-0.5, 0]: its Taylor series to v^15 by Estrin's scheme (truncation error below 4e-20,
    so as exact as the C library's exp, about 1e-16 relative, and free of a function call in the loop)."""
    v2 = v * v
    v4 = v2 * v2
    v8 = v4 * v4
    p0 = 1.0 + v + v2 * (1.0 / 2 + v * (1.0 / 6))
    p1 = 1.0 / 24 + v * (1.0 / 120) + v2 * (1.0 / 720 + v * (1.0 / 5040))
    p2 = 1.0 / 40320 + v * (1.0 / 362880) + v2 * (1.0 / 3628800 + v * (1.0 / 39916800))
    p3 = 1.0 / 479001600 + v * (1.0 / 6227020800) + v2 * (1.0 / 87178291200 + v * (1.0 / 1307674368000))
    return p0 + v4 * p1 + v8 * (p2 + v4 * p3)


@nb.njit(cache=True, nogil=True, inline="always")
def _column(x, ox, cell, nx):
    """Grid column of easting ``x`` (any float, infinities included), clipped to the grid."""
    f = (x - ox) / cell
    f = min(max(f, 0.0), nx - 1.0)
    return int(f)


@nb.njit(cache=True, nogil=True, parallel=True)
def gather(qx, qy, px, py, pval, starts, ox, oy, cell, nx, ny, r, kind, d0, upper, weights0):
    """For each query point: the sum of ``pval[p] * w(d)`` over bucketed points in reach, and their count.

    Points are bucketed by cell, row-major (``cell id = row * nx + column``),
    so the cells of one row that a circle of radius ``r`` metres can touch
    hold one contiguous run of points.
    """
    n = len(qx)
    out = np.zeros(n)
    count = np.zeros(n, dtype=np.int64)
    r2 = r * r
    scale = -0.5 / (d0 * 1000.0) ** 2
    for q in nb.prange(n):
        x, y = qx[q], qy[q]
        total = 0.0
        found = 0
        row_lo = _column(y - r, oy, cell, ny)
        row_hi = _column(y + r, oy, cell, ny)
        for gy in range(row_lo, row_hi + 1):
            low = oy + gy * cell
            dy = max(0.0, low - y, y - (low + cell))  # nearest distance from y to the row
            if dy * dy > r2:
                continue
            half = math.sqrt(r2 - dy * dy)
            first = starts[gy * nx + _column(x - half, ox, cell, nx)]
            last = starts[gy * nx + _column(x + half, ox, cell, nx) + 1]
            for p in range(first, last):
                ex = px[p] - x
                ey = py[p] - y
                d2 = ex * ex + ey * ey
                if d2 <= r2:
                    d = math.sqrt(d2) / 1000.0
                    if d <= d0:
                        found += 1
                        total += pval[p] * _weight(kind, d, d2, scale, d0, upper, weights0)
        out[q] = total
        count[q] = found
    return out, count
