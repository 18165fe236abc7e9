"""The sparse maximal covering model (scipy milp / HiGHS) against PySAL spopt's MCLP on small cases."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import sparse

from coverage_gaps.scenarios.exact import exact_cover, reach_matrix

pulp = pytest.importorskip("pulp")
spopt_locate = pytest.importorskip("spopt.locate")


def spopt_optimum(demand, cand, existing, *, catchment_km, k) -> float:
    """Demand covered at the optimum of spopt's textbook MCLP (every point x facility), existing fixed."""
    n, m, e = len(demand), cand.shape[1], existing.shape[1]
    cost = np.hstack([existing, cand])
    cost = np.where(np.isfinite(cost), cost, catchment_km * 10.0 + 1.0)
    predefined = np.r_[np.ones(e, dtype=int), np.zeros(m, dtype=int)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = spopt_locate.MCLP.from_cost_matrix(cost, demand, service_radius=catchment_km,
                                                   p_facilities=e + min(k, m),
                                                   predefined_facilities_arr=predefined if e else None)
        model.solve(pulp.PULP_CBC_CMD(msg=False), results=False)
    assert pulp.LpStatus[model.problem.status] == "Optimal"
    opened = np.array([round(v.value() or 0.0) for v in model.fac_vars], dtype=bool)
    return float(demand[(cost[:, opened] <= catchment_km).any(axis=1)].sum())


def covered_by(demand, cand, existing, chosen, catchment_km) -> float:
    hit = (existing <= catchment_km).any(axis=1) | (cand[:, list(chosen)] <= catchment_km).any(axis=1)
    return float(demand[hit].sum())


def case(rng):
    n, m, e = int(rng.integers(3, 25)), int(rng.integers(2, 9)), int(rng.integers(0, 3))
    demand = rng.integers(0, 40, n).astype(float)
    cand = np.where(rng.random((n, m)) < 0.35, rng.random((n, m)) * 40, np.inf)
    existing = np.where(rng.random((n, e)) < 0.3, rng.random((n, e)) * 40, np.inf)
    return demand, cand, existing, int(rng.integers(1, m + 1))


@pytest.mark.parametrize("seed", range(30))
def test_same_optimum_as_spopt(seed):
    demand, cand, existing, k = case(np.random.default_rng(seed))
    ours = exact_cover(demand, cand, existing, catchment_km=30, k=k)
    assert ours.status == "Optimal" and len(ours.chosen) <= k
    assert ours.covered == pytest.approx(spopt_optimum(demand, cand, existing, catchment_km=30, k=k), abs=1e-9)
    assert ours.covered == covered_by(demand, cand, existing, ours.chosen, 30)  # the picks give the value


def test_sparse_and_dense_inputs_give_the_same_answer_and_zero_km_counts():
    demand, cand, existing, k = case(np.random.default_rng(99))
    cand[0, 0] = 0.0  # a candidate at the point itself
    rows, cols = np.nonzero(np.isfinite(cand))
    as_sparse = sparse.csr_matrix((cand[rows, cols], (rows, cols)), shape=cand.shape)
    er, ec = np.nonzero(np.isfinite(existing))
    existing_sparse = sparse.csr_matrix((existing[er, ec], (er, ec)), shape=existing.shape)
    assert reach_matrix(as_sparse, len(demand), catchment_km=30)[0, 0]
    assert exact_cover(demand, as_sparse, existing_sparse, catchment_km=30, k=k) == exact_cover(
        demand, cand, existing, catchment_km=30, k=k)


def test_candidates_that_add_nothing_are_left_out():
    # two points: one already covered, one reachable only by candidate 1; k = 2
    demand = np.array([5.0, 7.0])
    cand = np.array([[3.0, np.inf], [np.inf, 12.0]])
    existing = np.array([[1.0], [np.inf]])
    got = exact_cover(demand, cand, existing, catchment_km=30, k=2)
    assert got.chosen == (1,) and got.covered == 12.0
