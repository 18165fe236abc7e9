"""Greedy objectives held sparse (a national plan holds the pairs in reach, not candidates x areas numbers).

The oracle is the dense arithmetic written out in numpy: every candidate's
gain over every area, the biggest taken, ties to the lower position.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from coverage_gaps.scenarios import CoverageGain, UnmetReduction, greedy


def _dense_unmet_picks(demand, access, benchmark, gains, k):
    """Plain greedy on dense arrays: (index, gain, gain by area) per pick."""
    access = access.astype(float).copy()
    unmet = lambda a: demand * np.maximum(0.0, 1.0 - a / benchmark)  # noqa: E731
    picks = []
    for _ in range(k):
        by_area = unmet(access)[None, :] - unmet(access[None, :] + gains)
        totals = by_area.sum(axis=1)
        totals[[p[0] for p in picks]] = -np.inf
        best = int(np.argmax(np.round(totals, 6)))  # first of the equal best
        picks.append((best, totals[best], by_area[best]))
        access = access + gains[best]
    return picks


@pytest.mark.parametrize("seed", range(5))
def test_sparse_unmet_reduction_picks_as_the_dense_arithmetic(seed):
    rng = np.random.default_rng(seed)
    n_cand, n_areas, k = 12, 40, 5
    gains = rng.random((n_cand, n_areas)) * (rng.random((n_cand, n_areas)) < 0.15) * 3
    demand, access = rng.integers(0, 200, n_areas).astype(float), rng.random(n_areas) * 2
    objective = UnmetReduction(demand, access, 1.8, sparse.csr_matrix(gains))
    picks = greedy(objective, k, stop_at_zero=False)
    expected = _dense_unmet_picks(demand, access, 1.8, gains, k)
    assert [p.index for p in picks] == [e[0] for e in expected]
    for pick, (_, gain, by_area) in zip(picks, expected):
        assert pick.gain == pytest.approx(gain, abs=1e-9)
        np.testing.assert_allclose(pick.by_area, by_area, atol=1e-12)
    chosen = [p.index for p in picks]
    np.testing.assert_allclose(objective.unmet_by_area(chosen),
                               demand * np.maximum(0.0, 1.0 - (access + gains[chosen].sum(axis=0)) / 1.8),
                               atol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_sparse_coverage_gain_covers_the_points_the_dense_masks_cover(seed):
    rng = np.random.default_rng(seed)
    n_cand, n_points = 10, 60
    reach = rng.random((n_cand, n_points)) < 0.1
    demand, covered = rng.integers(0, 50, n_points).astype(float), rng.random(n_points) < 0.3
    area = rng.integers(0, 7, n_points)
    objective = CoverageGain(demand, covered, sparse.csr_matrix(reach), area=area, n_areas=7)
    picks = greedy(objective, 4)
    now = covered.copy()
    for pick in picks:
        new = reach & ~now
        best = int(np.argmax([demand[row].sum() for row in new]))
        assert pick.index == best and pick.gain == demand[new[best]].sum()
        np.testing.assert_array_equal(pick.by_area, np.bincount(area[new[best]], weights=demand[new[best]],
                                                                minlength=7))
        now |= reach[best]
    assert objective.covered_demand([p.index for p in picks]) == demand[now].sum()
