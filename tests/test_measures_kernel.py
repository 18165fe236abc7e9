"""Access from coordinates in bounded memory (numba grid kernel and numpy blocks) against the oracles."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coverage_gaps.errors import InvalidValueError
from coverage_gaps.measures import (fca_access, fca_access_xy, fca_ratio, fca_ratio_xy, make_decay, pair_blocks,
                                    pairs_within, step)
from coverage_gaps.measures import _kernel, distance, fca

from test_measures_fca import DECAYS, brute_force, pysal, random_case

numba = pytest.importorskip("numba")
ENGINES = ["kernel", "blocks"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("name", sorted(DECAYS))
def test_matches_brute_force_double_loop(seed, name, engine):
    demand_xy, supply_xy, demand, capacity = random_case(seed)
    decay = DECAYS[name](20.0)
    ours, pairs = fca_access_xy(demand, capacity, demand_xy, supply_xy, decay=decay, engine=engine,
                                with_pairs=True)
    np.testing.assert_allclose(ours, brute_force(demand_xy, supply_xy, demand, capacity, decay), rtol=1e-12, atol=0)
    assert (ours == 0).any() and (ours > 0).any()
    assert pairs == len(pairs_within(demand_xy, supply_xy, max_km=decay.reach_km)[0])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(DECAYS))
def test_matches_pysal_access(name, engine):
    from access import weights as pysal_weights

    demand_xy, supply_xy, demand, capacity = random_case(300)
    decay = DECAYS[name](20.0)
    weight_fn = None if name == "step" else decay
    if name == "table":
        weight_fn = pysal_weights.step_fn({20 / 3: 1.0, 40 / 3: 0.68, 20.0: 0.22})
    theirs = pysal(demand_xy, supply_xy, demand, capacity, catchment_km=20.0, weight_fn=weight_fn)
    ours = fca_access_xy(demand, capacity, demand_xy, supply_xy, decay=decay, engine=engine)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=0)


@pytest.fixture(scope="module")
def clustered():
    """2,000 people in three towns and a scatter, 150 providers: many cells, empty and crowded."""
    rng = np.random.default_rng(5)
    towns = np.array([[400_000.0, 300_000.0], [430_000.0, 310_000.0], [520_000.0, 180_000.0]])
    people = np.vstack([t + rng.normal(0, 4_000, (600, 2)) for t in towns] + [rng.uniform(350_000, 560_000, (200, 2))])
    providers = np.vstack([towns[rng.integers(0, 3, 120)] + rng.normal(0, 6_000, (120, 2)),
                           rng.uniform(350_000, 560_000, (30, 2))])
    return people, providers, rng.integers(0, 300, len(people)).astype(float), rng.uniform(0.5, 8, len(providers))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("name", "catchment"), [(name, km) for name in sorted(DECAYS) for km in (0.5, 7.0, 45.0)]
                         + [("step", math.inf), ("gaussian", math.inf)])
def test_identical_to_the_pair_based_measure(clustered, name, catchment, engine):
    demand_xy, supply_xy, demand, capacity = clustered
    decay = DECAYS[name](catchment)
    i, j, d = pairs_within(demand_xy, supply_xy, max_km=decay.reach_km)
    expected = fca_access(demand, capacity, i, j, d, decay=decay)
    ours = fca_access_xy(demand, capacity, demand_xy, supply_xy, decay=decay, engine=engine)
    np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(fca_ratio_xy(demand, capacity, demand_xy, supply_xy, decay=decay),
                               fca_ratio(demand, capacity, i, j, d, decay=decay), rtol=1e-12, atol=0)


def test_pair_blocks_are_the_pairs_in_order_and_few_are_held(monkeypatch):
    monkeypatch.setattr(distance, "_BLOCK", 97)  # many small blocks
    monkeypatch.setattr(distance, "DENSE_PAIRS", 0)  # the KD-tree search, as at national scale
    demand_xy, supply_xy, _, _ = random_case(8, n=1_000, m=40)
    whole = pairs_within(demand_xy, supply_xy, max_km=9.0)
    blocks = list(pair_blocks(demand_xy, supply_xy, max_km=9.0))
    assert len(blocks) == math.ceil(1_000 / 97)
    for got, want in zip((np.concatenate(p) for p in zip(*blocks)), whole):
        np.testing.assert_array_equal(got, want)
    assert max(len(b[0]) for b in blocks) < len(whole[0]) / 3


@pytest.mark.parametrize("max_km", [0.0, 9.0, 60.0, math.inf])
def test_small_inputs_measure_every_pair_and_find_what_the_tree_finds(monkeypatch, max_km):
    demand_xy, supply_xy, _, _ = random_case(11, n=700, m=35)
    supply_xy[5], demand_xy[3] = [400_000.0, 270_000.0], [409_000.0, 270_000.0]  # exactly 9 km apart: included
    dense = pairs_within(demand_xy, supply_xy, max_km=max_km)
    near = distance.nearest_km(demand_xy, supply_xy)
    monkeypatch.setattr(distance, "DENSE_PAIRS", 0)
    tree = pairs_within(demand_xy, supply_xy, max_km=max_km)
    order = [np.lexsort((p[1], p[0])) for p in (dense, tree)]
    for got, want in zip(dense[:2], tree[:2]):
        np.testing.assert_array_equal(got[order[0]], want[order[1]])
    np.testing.assert_allclose(dense[2][order[0]], tree[2][order[1]], rtol=1e-14)
    if max_km == 9.0:
        assert ((dense[0] == 3) & (dense[1] == 5)).any()
    np.testing.assert_allclose(near, distance.nearest_km(demand_xy, supply_xy), rtol=1e-14)
    assert len(dense[0]) > 0 or max_km == 0.0


def test_a_region_run_does_not_import_the_kd_tree():
    import subprocess
    import sys

    code = ("import sys, numpy as np; from coverage_gaps.measures import distance, fca_access_xy, make_decay; "
            "rng = np.random.default_rng(1); d = rng.uniform(0, 9e4, (3500, 2)); s = rng.uniform(0, 9e4, (400, 2)); "
            "distance.nearest_km(d, s); fca_access_xy(np.ones(3500), np.ones(400), d, s, decay=make_decay('step', catchment_km=30)); "
            "print('scipy.spatial' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_blocks_engine_never_builds_all_pairs(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("pairs_within holds every pair")

    monkeypatch.setattr(fca, "pair_blocks", distance.pair_blocks)
    monkeypatch.setattr(distance, "pairs_within", refuse)
    demand_xy, supply_xy, demand, capacity = random_case(9)
    decay = step(20)
    ours = fca_access_xy(demand, capacity, demand_xy, supply_xy, decay=decay, engine="blocks")
    np.testing.assert_allclose(ours, brute_force(demand_xy, supply_xy, demand, capacity, decay), rtol=1e-12)


def test_auto_engine_uses_the_kernel_only_for_many_pairs(monkeypatch):
    calls = []
    real = _kernel.kernel_access
    monkeypatch.setattr(_kernel, "kernel_access", lambda *a, **k: calls.append(1) or real(*a, **k))
    demand_xy, supply_xy, demand, capacity = random_case(10, n=300, m=30)
    fca_access_xy(demand, capacity, demand_xy, supply_xy, decay=step(20))
    assert calls == []
    monkeypatch.setattr(fca, "KERNEL_MIN_PAIRS", 10)
    fca_access_xy(demand, capacity, demand_xy, supply_xy, decay=step(20))
    assert calls == [1]
    # a decay the kernel does not know goes through the blocks
    plain = lambda d: np.where(np.asarray(d) <= 20, 1.0, 0.0)  # noqa: E731
    plain.reach_km = 20.0
    np.testing.assert_allclose(fca_access_xy(demand, capacity, demand_xy, supply_xy, decay=plain, engine="kernel"),
                               fca_access_xy(demand, capacity, demand_xy, supply_xy, decay=step(20)), rtol=1e-12)
    assert calls == [1, 1]  # the second, with step(20), went through the kernel again


def test_the_kernel_does_not_depend_on_the_number_of_threads(clustered):
    demand_xy, supply_xy, demand, capacity = clustered
    decay = make_decay("gaussian", catchment_km=25)
    first = fca_access_xy(demand, capacity, demand_xy, supply_xy, decay=decay, engine="kernel")
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        single = fca_access_xy(demand, capacity, demand_xy, supply_xy, decay=decay, engine="kernel")
    finally:
        numba.set_num_threads(before)
    assert first.tobytes() == single.tobytes()


def test_edges_and_bad_inputs():
    assert list(fca_access_xy([1.0, 2.0], [], [[0, 0], [1, 1]], np.empty((0, 2)), decay=step(5))) == [0.0, 0.0]
    assert list(fca_access_xy([], [3.0], np.empty((0, 2)), [[0, 0]], decay=step(5), engine="kernel")) == []
    # a provider exactly at the catchment edge is in reach (3-4-5 triangle)
    for engine in ENGINES:
        got = fca_access_xy([10.0], [2.0], [[0.0, 0.0]], [[3000.0, 4000.0]], decay=step(5), engine=engine)
        assert list(got) == [0.2]
    with pytest.raises(InvalidValueError, match=r"one amount per point is needed"):
        fca_access_xy([1.0], [1.0], [[0, 0], [1, 1]], [[0, 0]], decay=step(5))
    with pytest.raises(InvalidValueError, match=r"unknown E2SFCA engine \(got 'gpu'"):
        fca_access_xy([1.0], [1.0], [[0, 0]], [[0, 0]], decay=step(5), engine="gpu")
    with pytest.raises(InvalidValueError, match=r"demand must be a number of 0 or more \(got -2.0"):
        fca_access_xy([-2.0], [1.0], [[0, 0]], [[0, 0]], decay=step(5))


def test_the_kernels_exp_is_as_exact_as_the_c_library_on_its_range():
    from coverage_gaps.measures import _jit

    for v in np.linspace(-0.5, 0.0, 2001):
        assert _jit._exp_half(v) == pytest.approx(math.exp(v), rel=5e-16, abs=0)
