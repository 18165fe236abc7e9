"""The exact maximal covering solution, to show how close the greedy plan comes.

Maximal covering location problem (Church and ReVelle 1974), solved with PySAL
``spopt.locate.MCLP`` and the CBC solver bundled with ``pulp``: choose ``k``
candidates to train so that the most demand lies within ``catchment_km`` of a
qualifying provider, with the existing qualifying providers fixed in the
solution (spopt's *predefined facilities*).

Only demand points that some provider could reach, and only existing providers
that reach one of them, enter the model: the others add nothing to any
solution, so leaving them out changes nothing but the model's size.

Reference: Church R., ReVelle C. (1974) The maximal covering location problem.
Papers of the Regional Science Association 32:101-118.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

__all__ = ["ExactCover", "exact_cover"]


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


def exact_cover(demand, candidate_km, existing_km, *, catchment_km: float, k: int) -> ExactCover:
    """Choose ``k`` candidates that cover the most demand within ``catchment_km``.

    Parameters
    ----------
    demand
        People in demand at each point (n_points,).
    candidate_km
        (n_points, n_candidates) distances in km (``inf`` = out of reach).
    existing_km
        (n_points, n_existing) distances to the qualifying providers, which
        stay in every solution.
    catchment_km
        A point is covered by a provider at most this far away (inclusive).
    k
        Candidates to choose (at most the number of candidates).

    Returns
    -------
    ExactCover
    """
    from .._extras import require

    pulp = require("pulp", purpose="the exact optimum that plan compares the greedy choice with")
    MCLP = require("spopt.locate", purpose="the exact optimum that plan compares the greedy choice with").MCLP

    demand = np.asarray(demand, dtype=float)
    cand = np.asarray(candidate_km, dtype=float).reshape(len(demand), -1)
    existing = np.asarray(existing_km, dtype=float).reshape(len(demand), -1)
    n_cand = cand.shape[1]
    k = min(int(k), n_cand)
    covered_now = (existing <= catchment_km).any(axis=1)
    can_gain = ~covered_now & (cand <= catchment_km).any(axis=1) & (demand > 0)
    if k <= 0 or not can_gain.any():  # no choice changes the covered demand
        return ExactCover(chosen=(), covered=float(demand[covered_now].sum()), status="Optimal")
    clients = np.flatnonzero((demand > 0) & (covered_now | can_gain))
    fixed = np.flatnonzero((existing[clients] <= catchment_km).any(axis=0))
    cost = np.hstack([existing[np.ix_(clients, fixed)], cand[clients]])
    cost = np.where(np.isfinite(cost), cost, float(catchment_km) * 10.0 + 1.0)
    predefined = np.r_[np.ones(len(fixed), dtype=int), np.zeros(n_cand, dtype=int)]
    with warnings.catch_warnings():  # pulp 3.x announces its 4.0 API on every variable
        warnings.simplefilter("ignore", DeprecationWarning)
        model = MCLP.from_cost_matrix(cost, demand[clients], service_radius=float(catchment_km),
                                      p_facilities=len(fixed) + k,
                                      predefined_facilities_arr=predefined if len(fixed) else None,
                                      name="train_k")
        model.solve(pulp.PULP_CBC_CMD(msg=False), results=False)
    status = pulp.LpStatus[model.problem.status]
    opened = np.array([round(v.value() or 0.0) for v in model.fac_vars], dtype=int)
    chosen = [int(c) for c in np.flatnonzero(opened[len(fixed):])]
    reach = cand <= catchment_km

    def value(picks) -> float:
        return float(demand[covered_now | reach[:, picks].any(axis=1)].sum())

    best = value(chosen)
    for c in list(chosen):  # the solver fills spare places with candidates that add nothing: drop them
        rest = [d for d in chosen if d != c]
        if value(rest) >= best:
            chosen = rest
    return ExactCover(chosen=tuple(chosen), covered=best, status=status)
