"""A compiled (numba) E2SFCA kernel that never stores a demand-provider pair.

Both point sets are bucketed on one square grid (cells a quarter of the
decay's reach, row-major), so the points a circle of the reach can touch in
one grid row are one contiguous run: the search visits little more than the
circle.  Step 1 runs over providers (each sums ``D_i W_ij`` over the
demand points of its neighbourhood) and step 2 over demand points (each sums
``R_j W_ij``); each output element is written by one thread in a fixed order,
so the result does not depend on the number of threads.  Memory is
proportional to points plus providers plus grid cells, whatever the pair count.

The weights are those of :mod:`.decay` (step, Dai's Gaussian, a step table),
computed from ``sqrt(dx^2 + dy^2) / 1000`` km; agreement with the pair-based
:func:`~.fca.fca_access` is to rounding (about 1e-15 relative).

numba is imported on first use; :func:`available` says whether it can be.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["available", "kernel_access"]

#: Grid cells per side at most (bounds the cell index to about 4 MB).
_MAX_CELLS_PER_SIDE = 1024
_KINDS = {"step": 0, "gaussian": 1, "table": 2}


def available() -> bool:
    """Whether numba imports (the kernel is then used for large inputs)."""
    try:
        from . import _jit  # noqa: F401
    except ImportError:
        return False
    return True


class _Grid:
    """One square grid over both point sets; points bucketed by cell (counting sort, row-major)."""

    def __init__(self, a_xy: np.ndarray, b_xy: np.ndarray, reach_m: float):
        both = np.vstack([a_xy, b_xy])
        self.origin = both.min(axis=0)
        extent = float((both.max(axis=0) - self.origin).max()) + 1.0
        if math.isinf(reach_m) or reach_m >= extent:
            self.cell = extent
        else:  # a quarter of the reach: a circle's rows then cover little more than the circle
            self.cell = max(reach_m / 4.0, extent / _MAX_CELLS_PER_SIDE, 1.0)
        self.nx = self.ny = int(extent // self.cell) + 1

    def bucket(self, xy: np.ndarray, values: np.ndarray):
        c = np.clip(((xy - self.origin) // self.cell).astype(np.int64), 0, self.nx - 1)
        cid = c[:, 1] * self.nx + c[:, 0]
        order = np.argsort(cid, kind="stable")
        starts = np.zeros(self.nx * self.ny + 1, dtype=np.int64)
        np.cumsum(np.bincount(cid, minlength=self.nx * self.ny), out=starts[1:])
        return (np.ascontiguousarray(xy[order, 0]), np.ascontiguousarray(xy[order, 1]),
                np.ascontiguousarray(values[order]), starts)


def _decay_args(decay) -> tuple[int, float, np.ndarray, np.ndarray]:
    kind = _KINDS[decay.name]
    if kind == 2:
        upper = np.array([u for u, _ in decay.rows], dtype=float)
        weights0 = np.append(np.array([w for _, w in decay.rows], dtype=float), 0.0)
    else:
        upper, weights0 = np.zeros(1), np.zeros(2)
    return kind, float(decay.reach_km), upper, weights0


def supports(decay) -> bool:
    """Whether the kernel knows this decay's formula (a :class:`~.decay.Decay` built here)."""
    return getattr(decay, "name", None) in _KINDS and (decay.name != "table" or bool(getattr(decay, "rows", ())))


def kernel_access(demand: np.ndarray, capacity: np.ndarray, demand_xy: np.ndarray, supply_xy: np.ndarray,
                  *, decay) -> tuple[np.ndarray, np.ndarray, int]:
    """Ratios per provider, access per demand point and the number of pairs within reach.

    Inputs are validated by the caller (:func:`~.fca.fca_access_xy`).
    """
    from ._jit import gather

    kind, d0, upper, weights0 = _decay_args(decay)
    reach_m = d0 * 1000.0
    grid = _Grid(demand_xy, supply_xy, reach_m)
    # a pair is decided by the decay's own ``d <= d0``; the radius (a hair wider) only prunes the search
    radius = math.inf if math.isinf(reach_m) else reach_m * (1.0 + 1e-9)
    common = (float(grid.origin[0]), float(grid.origin[1]), grid.cell, grid.nx, grid.ny, radius, kind, d0, upper,
              weights0)

    dx, dy, dval, dstarts = grid.bucket(demand_xy, demand)
    weighted, _ = gather(supply_xy[:, 0].copy(), supply_xy[:, 1].copy(), dx, dy, dval, dstarts, *common)
    ratio = np.zeros(len(capacity))
    np.divide(capacity, weighted, out=ratio, where=weighted > 0)

    sx, sy, sval, sstarts = grid.bucket(supply_xy, ratio)
    access, count = gather(demand_xy[:, 0].copy(), demand_xy[:, 1].copy(), sx, sy, sval, sstarts, *common)
    return ratio, access, int(count.sum())
