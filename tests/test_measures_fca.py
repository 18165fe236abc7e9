"""The (E)2SFCA against a brute-force double loop and PySAL ``access``; neighbour search."""

from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd
import pytest
from access import Access
from access import weights as pysal_weights

from coverage_gaps.errors import InvalidValueError
from coverage_gaps.measures import fca_access, fca_ratio, gaussian, make_decay, nearest_km, pairs_within, step, step_table

logging.getLogger("access").setLevel(logging.WARNING)
DECAYS = {
    "step": lambda km: step(km),
    "gaussian": lambda km: gaussian(km),
    "table": lambda km: step_table([(km / 3, 1.0), (2 * km / 3, 0.68), (km, 0.22)]),
}


def random_case(seed, n=40, m=9, side_km=60.0):
    rng = np.random.default_rng(seed)
    demand_xy = rng.uniform(0, side_km * 1000, (n, 2)) + [380_000, 260_000]
    supply_xy = rng.uniform(0, side_km * 1000, (m, 2)) + [380_000, 260_000]
    demand = rng.integers(1, 500, n).astype(float)
    capacity = rng.uniform(0.5, 6, m)
    return demand_xy, supply_xy, demand, capacity


def brute_force(demand_xy, supply_xy, demand, capacity, decay):
    """The textbook definition, one pair at a time."""
    n, m = len(demand), len(capacity)
    dist = [[math.dist(demand_xy[i], supply_xy[j]) / 1000 for j in range(m)] for i in range(n)]
    ratio = []
    for j in range(m):
        weighted = sum(demand[i] * decay(dist[i][j]) for i in range(n))
        ratio.append(capacity[j] / weighted if weighted > 0 else 0.0)
    return np.array([sum(ratio[j] * decay(dist[i][j]) for j in range(m)) for i in range(n)])


def pysal(demand_xy, supply_xy, demand, capacity, *, catchment_km, weight_fn):
    """PySAL access's (E)2SFCA on a full cost table (every pair), unnormalised."""
    n, m = len(demand), len(capacity)
    i, j = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
    cost = pd.DataFrame({"origin": i, "dest": j, "cost": np.hypot(*(demand_xy[i] - supply_xy[j]).T) / 1000})
    model = Access(
        demand_df=pd.DataFrame({"demand": demand}, index=pd.RangeIndex(n, name="geoid")),
        demand_index=True, demand_value="demand",
        supply_df=pd.DataFrame({"capacity": capacity}, index=pd.RangeIndex(m, name="geoid")),
        supply_index=True, supply_value="capacity",
        cost_df=cost, cost_origin="origin", cost_dest="dest", cost_name="cost",
    )
    if weight_fn is None:
        out = model.two_stage_fca(name="fca", max_cost=catchment_km)
    else:
        out = model.enhanced_two_stage_fca(name="fca", max_cost=catchment_km, weight_fn=weight_fn)
    # access leaves points with no provider in reach out (NaN); ours gives them 0
    return out["fca_capacity"].reindex(range(n)).fillna(0.0).to_numpy()


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("name", sorted(DECAYS))
def test_matches_brute_force_double_loop(seed, name):
    demand_xy, supply_xy, demand, capacity = random_case(seed)
    decay = DECAYS[name](20.0)
    i, j, d = pairs_within(demand_xy, supply_xy, max_km=decay.reach_km)
    ours = fca_access(demand, capacity, i, j, d, decay=decay)
    expected = brute_force(demand_xy, supply_xy, demand, capacity, decay)
    np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=0)
    assert (ours == 0).any() and (ours > 0).any()  # the case has points in and out of reach


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("name", sorted(DECAYS))
def test_matches_pysal_access(seed, name):
    demand_xy, supply_xy, demand, capacity = random_case(100 + seed)
    catchment = 20.0
    decay = DECAYS[name](catchment)
    i, j, d = pairs_within(demand_xy, supply_xy, max_km=decay.reach_km)
    ours = fca_access(demand, capacity, i, j, d, decay=decay)
    # 2SFCA: access's max_cost alone; E2SFCA: the same weights as a scalar weight_fn
    weight_fn = None if name == "step" else decay
    if name == "table":  # and the table as access's own step_fn
        weight_fn = pysal_weights.step_fn({catchment / 3: 1.0, 2 * catchment / 3: 0.68, catchment: 0.22})
    theirs = pysal(demand_xy, supply_xy, demand, capacity, catchment_km=catchment, weight_fn=weight_fn)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=0)


def test_unbounded_catchment_without_decay_gives_total_supply_over_total_demand():
    demand_xy, supply_xy, demand, capacity = random_case(7, n=25, m=6, side_km=400)
    i, j, d = pairs_within(demand_xy, supply_xy, max_km=math.inf)
    assert len(i) == 25 * 6
    access = fca_access(demand, capacity, i, j, d, decay=make_decay("step", catchment_km=math.inf))
    np.testing.assert_allclose(access, capacity.sum() / demand.sum(), rtol=1e-13)


@pytest.mark.parametrize("name", sorted(DECAYS))
def test_supply_is_conserved(name):
    # sum_i D_i A_i = sum_j S_j over providers with demand in reach
    demand_xy, supply_xy, demand, capacity = random_case(11)
    decay = DECAYS[name](15.0)
    i, j, d = pairs_within(demand_xy, supply_xy, max_km=decay.reach_km)
    access = fca_access(demand, capacity, i, j, d, decay=decay)
    ratio = fca_ratio(demand, capacity, i, j, d, decay=decay)
    served = capacity[ratio > 0].sum()
    assert (demand * access).sum() == pytest.approx(served, rel=1e-12)


def test_provider_with_no_demand_in_reach_serves_nobody():
    # two demand points at 0 km and 1 km; provider 0 next to them, provider 1 100 km away
    demand_xy = np.array([[0.0, 0.0], [1000.0, 0.0]])
    supply_xy = np.array([[0.0, 0.0], [100_000.0, 0.0]])
    demand, capacity = np.array([10.0, 30.0]), np.array([4.0, 50.0])
    i, j, d = pairs_within(demand_xy, supply_xy, max_km=30)
    ratio = fca_ratio(demand, capacity, i, j, d, decay=step(30))
    assert list(ratio) == [4.0 / 40.0, 0.0]  # R_1 = 0, not 50 / 0
    assert list(fca_access(demand, capacity, i, j, d, decay=step(30))) == [0.1, 0.1]
    # a zero-demand point in reach still has access; a zero-demand catchment still gives R = 0
    assert list(fca_access([0.0, 0.0], capacity, i, j, d, decay=step(30))) == [0.0, 0.0]


def test_pairs_within_equals_brute_force_and_is_inclusive():
    demand_xy, supply_xy, _, _ = random_case(3, n=60, m=15)
    i, j, d = pairs_within(demand_xy, supply_xy, max_km=12.0)
    got = sorted(zip(i.tolist(), j.tolist()))
    full = np.hypot(*(demand_xy[:, None, :] - supply_xy[None, :, :]).transpose(2, 0, 1)) / 1000
    assert got == sorted(zip(*np.nonzero(full <= 12.0)))
    np.testing.assert_allclose(d, full[i, j], rtol=1e-14)
    # a pair exactly 5 km apart is inside a 5 km search
    i, j, d = pairs_within([[0.0, 0.0]], [[3000.0, 4000.0], [3000.0, 4001.0]], max_km=5)
    assert list(j) == [0] and list(d) == [5.0]


def test_pairs_within_is_deterministic_and_handles_empty_sides():
    demand_xy, supply_xy, _, _ = random_case(5, n=50_000, m=300, side_km=300)
    first = pairs_within(demand_xy, supply_xy, max_km=20)
    second = pairs_within(demand_xy, supply_xy, max_km=20)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    i, j, d = pairs_within(demand_xy[:3], np.empty((0, 2)), max_km=20)
    assert len(i) == len(j) == len(d) == 0


def test_nearest_km():
    demand_xy = np.array([[0.0, 0.0], [10_000.0, 0.0]])
    assert list(nearest_km(demand_xy, [[3000.0, 4000.0], [10_000.0, 2000.0]])) == [5.0, 2.0]
    assert list(nearest_km(demand_xy, np.empty((0, 2)))) == [math.inf, math.inf]


def test_bad_inputs_are_refused_with_a_reason():
    i, j, d = np.array([0]), np.array([0]), np.array([1.0])
    with pytest.raises(InvalidValueError, match=r"demand must be a number of 0 or more \(got -1.0"):
        fca_access([-1.0], [1.0], i, j, d, decay=step(5))
    with pytest.raises(InvalidValueError, match=r"capacity must be a number of 0 or more \(got nan"):
        fca_access([1.0], [float("nan")], i, j, d, decay=step(5))
    with pytest.raises(InvalidValueError, match=r"a pair index is out of range"):
        fca_access([1.0], [1.0], i, np.array([3]), d, decay=step(5))
    with pytest.raises(InvalidValueError, match=r"pair arrays i, j and dist_km must be the same length"):
        fca_access([1.0], [1.0], i, j, np.array([1.0, 2.0]), decay=step(5))
    with pytest.raises(InvalidValueError, match=r"demand coordinates must be finite"):
        pairs_within([[0.0, float("nan")]], [[0.0, 0.0]], max_km=5)
    with pytest.raises(InvalidValueError, match=r"the search radius must be 0 km or more \(got -1"):
        pairs_within([[0.0, 0.0]], [[0.0, 0.0]], max_km=-1)
