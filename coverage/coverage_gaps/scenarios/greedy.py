"""Choosing who to train: two set objectives and greedy selection with lazy evaluation.

Both objectives are *benefits* of training a set ``S`` of candidate
organisations, 0 for the empty set, never falling when one more is trained and
with diminishing returns (monotone submodular), so the greedy choice is within
``1 - 1/e`` (about 63 %) of the best possible set and lazy evaluation (CELF,
Leskovec et al. 2007) gives exactly the plain greedy choice:

:class:`UnmetReduction`
    Fall in total unmet demand.  Training candidate ``j`` adds ``G[j, a]``
    to area ``a``'s access (E2SFCA, capacity per 1,000 people in demand: a
    new provider leaves every other provider's ratio unchanged, so the
    additions simply add up), and an area's unmet demand is
    ``D_a * max(0, 1 - A_a / B)`` against the benchmark ``B``.
:class:`CoverageGain`
    Demand newly within the catchment of a qualifying provider (the maximal
    covering location problem).

Ties are broken by candidate position (the lower wins), so the same inputs
always give the same plan.

Reference: Leskovec J. et al. (2007) Cost-effective outbreak detection in
networks, KDD '07, 420-429.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy import sparse

__all__ = ["UnmetReduction", "CoverageGain", "Pick", "greedy", "brute_force"]

#: Gains at or below this are treated as nothing (float noise).
TOLERANCE = 1e-9
#: Gains are compared to this many decimals (people), so float noise never decides a tie.
DIGITS = 6


def _sparse_rows(matrix, n_columns: int, dtype) -> sparse.csr_matrix:
    """``matrix`` (dense array, nested lists or scipy sparse) as CSR rows with sorted column indices."""
    if sparse.issparse(matrix):
        rows = sparse.csr_matrix(matrix, dtype=dtype)
    else:
        dense = np.asarray(matrix, dtype=dtype).reshape(-1, n_columns)
        rows = sparse.csr_matrix(dense)
    rows.sort_indices()
    return rows


class UnmetReduction:
    """Fall in unmet demand from training a set of candidates.

    Parameters
    ----------
    demand
        ``D_a``: people in demand in each area (n_areas,).
    access
        ``A_a``: each area's access before training, per 1,000 people in demand.
    benchmark
        ``B``: benchmark access per 1,000 (held fixed while choosing).
    gains
        ``G``: (n_candidates, n_areas) access each candidate adds to each area
        once trained; dense or ``scipy.sparse`` (held as CSR rows: a candidate
        adds access only to the areas its catchment reaches, so a national
        model holds those pairs, not n_candidates x n_areas numbers).
    """

    def __init__(self, demand, access, benchmark: float, gains):
        self.demand = np.asarray(demand, dtype=float)
        self.access0 = np.asarray(access, dtype=float)
        self.benchmark = float(benchmark)
        self.gains = _sparse_rows(gains, len(self.demand), float)
        self.reset()

    @property
    def n(self) -> int:
        """Number of candidates."""
        return self.gains.shape[0]

    def _row(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.gains.indptr[j], self.gains.indptr[j + 1]
        return self.gains.indices[lo:hi], self.gains.data[lo:hi]

    def reset(self) -> None:
        """Forget every choice."""
        self.access = self.access0.copy()

    def _unmet(self, access: np.ndarray, demand: np.ndarray | None = None) -> np.ndarray:
        return (self.demand if demand is None else demand) * np.maximum(0.0, 1.0 - access / self.benchmark)

    def unmet_by_area(self, chosen: Iterable[int] = ()) -> np.ndarray:
        """Each area's unmet demand after training ``chosen`` (from scratch)."""
        added = np.zeros(len(self.demand))
        for j in chosen:  # row by row, in order: the same sums as adding dense rows
            idx, g = self._row(j)
            added[idx] += g
        return self._unmet(self.access0 + added)

    def value(self, chosen: Iterable[int]) -> float:
        """Benefit of training ``chosen``: total unmet demand avoided."""
        return float(self.unmet_by_area(()).sum() - self.unmet_by_area(chosen).sum())

    def gain_by_area(self, j: int) -> np.ndarray:
        """Fall in each area's unmet demand if ``j`` were trained now."""
        idx, g = self._row(j)
        out = np.zeros(len(self.demand))
        out[idx] = self._gain_at(idx, g)
        return out

    def _gain_at(self, idx: np.ndarray, g: np.ndarray) -> np.ndarray:
        demand, access = self.demand[idx], self.access[idx]
        return self._unmet(access, demand) - self._unmet(access + g, demand)

    def gain(self, j: int) -> float:
        """Marginal benefit of training ``j`` after the choices so far (the areas it reaches; others gain 0)."""
        return float(self._gain_at(*self._row(j)).sum())

    def add(self, j: int) -> None:
        """Train ``j``."""
        idx, g = self._row(j)
        self.access = self.access.copy()
        self.access[idx] += g


class CoverageGain:
    """Demand newly within reach of a qualifying provider.

    Parameters
    ----------
    demand
        People in demand at each demand point (n_points,).
    covered
        Whether each point is already within the catchment of a qualifying
        provider.
    reach
        (n_candidates, n_points) booleans: the candidate is within the
        catchment of the point; dense or ``scipy.sparse`` (held as CSR rows,
        the points each candidate reaches).
    area
        Area position of each point, for :meth:`gain_by_area` (default: each
        point is its own area).
    n_areas
        Number of areas that ``area`` indexes.
    """

    def __init__(self, demand, covered, reach, *, area=None, n_areas: int | None = None):
        self.demand = np.asarray(demand, dtype=float)
        self.covered0 = np.asarray(covered, dtype=bool).reshape(-1)
        reach = _sparse_rows(reach, len(self.demand), bool)
        reach.eliminate_zeros()
        self.reach = reach
        self.area = np.arange(len(self.demand)) if area is None else np.asarray(area, dtype=np.intp)
        self.n_areas = int(n_areas if n_areas is not None else (self.area.max() + 1 if len(self.area) else 0))
        self.reset()

    @property
    def n(self) -> int:
        return self.reach.shape[0]

    def _points(self, j: int) -> np.ndarray:
        return self.reach.indices[self.reach.indptr[j]:self.reach.indptr[j + 1]]

    def reset(self) -> None:
        self.covered = self.covered0.copy()

    def covered_after(self, chosen: Iterable[int] = ()) -> np.ndarray:
        """Which points are covered after training ``chosen`` (from scratch)."""
        covered = self.covered0.copy()
        for j in chosen:
            covered[self._points(j)] = True
        return covered

    def covered_demand(self, chosen: Iterable[int] = ()) -> float:
        """Total demand within reach after training ``chosen``."""
        return float(self.demand[self.covered_after(chosen)].sum())

    def value(self, chosen: Iterable[int]) -> float:
        """Benefit of training ``chosen``: demand newly covered."""
        return self.covered_demand(chosen) - self.covered_demand(())

    def _new(self, j: int) -> np.ndarray:
        points = self._points(j)
        return points[~self.covered[points]]  # ascending, as a dense mask would select them

    def gain_by_area(self, j: int) -> np.ndarray:
        """Demand each area would newly have within reach if ``j`` were trained now."""
        new = self._new(j)
        return np.bincount(self.area[new], weights=self.demand[new], minlength=self.n_areas)

    def gain(self, j: int) -> float:
        return float(self.demand[self._new(j)].sum())

    def add(self, j: int) -> None:
        self.covered = self.covered.copy()
        self.covered[self._points(j)] = True


@dataclass(frozen=True)
class Pick:
    """One greedy choice: candidate position, its marginal gain, and evaluations so far."""

    index: int
    gain: float
    by_area: np.ndarray
    evaluations: int


def greedy(objective, k: int, *, tiebreak=None, lazy: bool = True, stop_at_zero: bool = True) -> list[Pick]:
    """Choose up to ``k`` candidates one at a time, each the biggest marginal gain.

    Parameters
    ----------
    objective
        :class:`UnmetReduction` or :class:`CoverageGain` (anything with ``n``,
        ``reset``, ``gain``, ``gain_by_area`` and ``add``).  It is reset first
        and holds the chosen set afterwards.
    k
        How many to choose.
    tiebreak
        A second objective over the same candidates that decides between
        equal gains (compared to :data:`DIGITS` decimals).  Needed in
        practice: below the benchmark every person's worth of capacity cuts
        unmet demand by the same amount (the E2SFCA conserves supply), so many
        candidates tie on unmet demand; breaking ties by demand newly in
        reach prefers the ones that reach advice deserts.
    lazy
        Lazy evaluation (CELF): re-evaluate a candidate only when its last,
        larger gain could still beat the best fresh one.  Gives the same
        choices as ``lazy=False`` with far fewer evaluations (both gains only
        fall as the chosen set grows, so stale keys are upper bounds).
    stop_at_zero
        Stop early when no remaining candidate gains anything.

    Returns
    -------
    list of Pick
        In the order chosen; remaining ties go to the lower candidate position.
    """
    objective.reset()
    if tiebreak is not None:
        tiebreak.reset()

    def key(j: int) -> tuple[float, float, float]:
        gain = objective.gain(j)
        return -round(gain, DIGITS), -(tiebreak.gain(j) if tiebreak is not None else 0.0), gain

    picks: list[Pick] = []
    chosen: set[int] = set()
    evaluations = 0
    if lazy:
        heap = [(first, second, j, 0, gain) for j in range(objective.n) for first, second, gain in [key(j)]]
        evaluations += objective.n
        heapq.heapify(heap)
    for step in range(min(int(k), objective.n)):
        if lazy:
            while True:
                first, second, j, stamp, gain = heapq.heappop(heap)
                if stamp == step:
                    best = j
                    break
                fresh = key(j)
                heapq.heappush(heap, (fresh[0], fresh[1], j, step, fresh[2]))
                evaluations += 1
        else:
            keys = [(*key(j), j) for j in range(objective.n) if j not in chosen]
            evaluations += len(keys)
            first, second, gain, best = min(keys, key=lambda t: (t[0], t[1], t[3]))
        if stop_at_zero and gain <= TOLERANCE:
            break
        by_area = objective.gain_by_area(best)
        objective.add(best)
        if tiebreak is not None:
            tiebreak.add(best)
        chosen.add(best)
        picks.append(Pick(best, float(gain), by_area, evaluations))
    return picks


def brute_force(objective, k: int) -> tuple[tuple[int, ...], float]:
    """The best ``k``-subset by trying them all (an oracle for small tests).

    Returns the subset (lowest positions first among equals) and its benefit.
    """
    best, value = (), float("-inf")
    for subset in combinations(range(objective.n), min(int(k), objective.n)):
        v = objective.value(subset)
        if v > value + TOLERANCE:
            best, value = subset, v
    return best, value
