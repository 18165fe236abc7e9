"""The exact maximal covering solution, to show how close the greedy plan comes.

Maximal covering location problem (Church and ReVelle 1974): choose ``k``
candidates to train so that the most demand lies within ``catchment_km`` of a
qualifying provider, the existing qualifying providers staying in every
solution.  Formulated sparsely and solved with :func:`scipy.optimize.milp`
(the HiGHS solver, shipped with scipy):

* demand already within reach of an existing provider is covered whatever is
  chosen, so it is a constant, not a variable;
* only the other points with some demand that some candidate reaches are
  *clients*, each with a variable ``y_i`` in [0, 1];
* only candidates that reach a client get a binary ``x_c``;
* maximise ``sum_i D_i y_i`` subject to ``y_i <= sum_{c reaching i} x_c``
  (one row per client, listing only the candidates in reach) and
  ``sum_c x_c <= k``.

With the ``x`` whole numbers the best ``y_i`` is 0 or 1, so the optimum is
that of the textbook model (PySAL ``spopt.locate.MCLP`` with predefined
facilities, which the tests use as an oracle on small cases) while the model
holds one coefficient per (client, candidate in reach) pair instead of one per
(point, facility) pair.

Reference: Church R., ReVelle C. (1974) The maximal covering location problem.
Papers of the Regional Science Association 32:101-118.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

__all__ = ["ExactCover", "exact_cover", "reach_matrix"]


@dataclass(frozen=True)
class ExactCover:
    """The optimum of the covering model.

    Attributes
    ----------
    chosen
        Positions of the candidates to train (ascending), at most ``k``:
        candidates that would add nothing are left out.
    covered
        Demand within the catchment of an existing or chosen provider.
    status
        The solver's status ("Optimal").
    """

    chosen: tuple[int, ...]
    covered: float
    status: str


def reach_matrix(km, n_points: int, *, catchment_km: float) -> sparse.csr_matrix:
    """(n_points, n_facilities) booleans: the facility is at most ``catchment_km`` from the point.

    ``km`` is a dense distance matrix (``inf`` = out of reach) or a scipy
    sparse matrix whose *stored* entries are the distances of the pairs
    considered (explicit zeros count: a facility at the point itself).
    """
    if sparse.issparse(km):
        coo = sparse.coo_matrix(km)
        keep = coo.data <= catchment_km
        rows, cols, shape = coo.row[keep], coo.col[keep], coo.shape
    else:
        dense = np.asarray(km, dtype=float).reshape(n_points, -1)
        rows, cols = np.nonzero(dense <= catchment_km)
        shape = dense.shape
    return sparse.csr_matrix((np.ones(len(rows), dtype=bool), (rows, cols)), shape=shape)


def _solve(d: np.ndarray, reach: sparse.csr_matrix, k: int):
    """Maximise covered demand of clients ``d`` (rows of ``reach``) with at most ``k`` columns."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n, m = reach.shape
    # variables: y (n clients, continuous 0-1), then x (m candidates, binary)
    cost = np.r_[-d, np.zeros(m)]
    cover_rows = sparse.hstack([sparse.identity(n, format="csr"), -reach.astype(float)], format="csr")
    budget = sparse.csr_matrix(np.r_[np.zeros(n), np.ones(m)][None, :])
    constraints = [LinearConstraint(cover_rows, -np.inf, 0.0), LinearConstraint(budget, 0.0, float(k))]
    return milp(cost, constraints=constraints, integrality=np.r_[np.zeros(n), np.ones(m)],
                bounds=Bounds(0.0, 1.0), options={"mip_rel_gap": 0.0})


def exact_cover(demand, candidate_km, existing_km, *, catchment_km: float, k: int) -> ExactCover:
    """Choose ``k`` candidates that cover the most demand within ``catchment_km``.

    Parameters
    ----------
    demand
        People in demand at each point (n_points,).
    candidate_km
        (n_points, n_candidates) distances in km: a dense array (``inf`` =
        out of reach) or a sparse matrix of the pairs in reach (see
        :func:`reach_matrix`).
    existing_km
        (n_points, n_existing) distances to the qualifying providers, which
        stay in every solution; dense or sparse as ``candidate_km``.
    catchment_km
        A point is covered by a provider at most this far away (inclusive).
    k
        Candidates to choose (at most the number of candidates).

    Returns
    -------
    ExactCover
    """
    demand = np.asarray(demand, dtype=float).reshape(-1)
    n = len(demand)
    reach = reach_matrix(candidate_km, n, catchment_km=catchment_km)
    existing = reach_matrix(existing_km, n, catchment_km=catchment_km)
    covered_now = np.asarray(existing.sum(axis=1)).reshape(-1) > 0
    reached = np.asarray(reach.sum(axis=1)).reshape(-1) > 0
    base = float(demand[covered_now].sum())
    k = min(int(k), reach.shape[1])
    clients = np.flatnonzero(~covered_now & reached & (demand > 0))
    if k <= 0 or not len(clients):  # no choice changes the covered demand
        return ExactCover(chosen=(), covered=base, status="Optimal")
    sub = reach[clients]
    useful = np.flatnonzero(np.asarray(sub.sum(axis=0)).reshape(-1) > 0)
    sub = sub[:, useful]
    result = _solve(demand[clients], sub, min(k, len(useful)))
    status = "Optimal" if result.status == 0 else str(result.message)
    if result.x is None:
        return ExactCover(chosen=(), covered=base, status=status)
    picked = result.x[len(clients):] > 0.5
    chosen = [int(c) for c in useful[picked]]
    reach_t = reach.T.tocsr()

    def value(picks) -> float:
        hit = covered_now.copy()
        for c in picks:
            hit[reach_t.indices[reach_t.indptr[c]:reach_t.indptr[c + 1]]] = True
        return float(demand[hit].sum())

    best = value(chosen)
    for c in list(chosen):  # the solver may fill spare places with candidates that add nothing: drop them
        rest = [d for d in chosen if d != c]
        if value(rest) >= best:
            chosen = rest
    return ExactCover(chosen=tuple(sorted(chosen)), covered=best, status=status)
