"""Distance-decay weights: values a user can check by hand, and pinned errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from access import weights as pysal_weights

from coverage_gaps.errors import CoverageGapsError, InvalidValueError
from coverage_gaps.measures import gaussian, make_decay, step, step_table


def test_step_is_one_inside_inclusive_and_zero_outside():
    w = step(30)
    assert list(w(np.array([0.0, 29.9, 30.0, 30.0001, 100.0]))) == [1.0, 1.0, 1.0, 0.0, 0.0]
    assert w.reach_km == 30 and w.name == "step"


def test_gaussian_is_dai_2010():
    # w(d) = (exp(-0.5 (d/d0)^2) - exp(-0.5)) / (1 - exp(-0.5)); d0 = 30 km
    e = math.exp(-0.5)
    w = gaussian(30)
    assert w(0.0) == 1.0
    assert w(15.0) == pytest.approx((math.exp(-0.125) - e) / (1 - e), rel=1e-15)  # 0.7014
    assert w(15.0) == pytest.approx(0.70137, abs=1e-5)
    assert w(30.0) == pytest.approx(0.0, abs=1e-15)
    assert w(30.1) == 0.0 and w(500.0) == 0.0
    d = np.linspace(0, 30, 301)
    assert np.all(np.diff(w(d)) <= 0)  # falls steadily with distance


def test_unbounded_gaussian_and_step_weigh_everything_one():
    d = np.array([0.0, 10.0, 1e6])
    assert list(gaussian(math.inf)(d)) == [1.0, 1.0, 1.0]
    assert list(step(math.inf)(d)) == [1.0, 1.0, 1.0]


def test_step_table_is_luo_and_qi_and_matches_pysal_step_fn():
    rows = [(10, 1.0), (20, 0.68), (30, 0.22)]
    w = step_table(rows)
    d = np.array([0.0, 10.0, 10.5, 20.0, 25.0, 30.0, 30.5])
    assert list(w(d)) == [1.0, 1.0, 0.68, 0.68, 0.22, 0.22, 0.0]
    theirs = pysal_weights.step_fn({10: 1.0, 20: 0.68, 30: 0.22})
    assert list(w(d)) == [theirs(x) for x in d]
    assert w.reach_km == 30


def test_make_decay_by_name_and_alias():
    d = np.array([0.0, 12.0, 29.0])
    assert np.array_equal(make_decay("gaussian", catchment_km=30)(d), gaussian(30)(d))
    assert np.array_equal(make_decay("E2SFCA", catchment_km=30)(d), gaussian(30)(d))
    assert np.array_equal(make_decay("2sfca", catchment_km=30)(d), step(30)(d))
    table = make_decay("table", catchment_km=30, table=[(10, 1), (30, 0.5)])
    assert list(table(d)) == [1.0, 0.5, 0.5]


def test_unknown_decay_lists_the_names():
    with pytest.raises(InvalidValueError) as caught:
        make_decay("exponential", catchment_km=30)
    assert isinstance(caught.value, CoverageGapsError)
    assert str(caught.value) == (
        "column 'decay': unknown decay (got 'exponential'; expected one of 'step', 'gaussian', 'table'). "
        "Fix: use 'gaussian' for the enhanced 2SFCA or 'step' for the classic 2SFCA."
    )


@pytest.mark.parametrize("bad", [-5, 0, float("nan"), "thirty"])
def test_catchment_must_be_positive(bad):
    with pytest.raises(InvalidValueError) as caught:
        make_decay("gaussian", catchment_km=bad)
    assert str(caught.value) == (
        f"column 'catchment_km': the catchment must be a positive distance in km (got {bad!r}; "
        "expected a number above 0, e.g. 30). Fix: set catchment_km to how far people can travel for advice."
    )


def test_table_errors_are_pinned():
    with pytest.raises(InvalidValueError, match=r"decay 'table' needs a decay table"):
        make_decay("table", catchment_km=30)
    with pytest.raises(InvalidValueError, match=r"a decay table was given but the decay is not 'table'"):
        make_decay("gaussian", catchment_km=30, table=[(10, 1)])
    with pytest.raises(InvalidValueError) as caught:
        make_decay("table", catchment_km=30, table=[(10, 1), (40, 0.5)])
    assert str(caught.value) == ("column 'decay_table': the decay table reaches 40 km, beyond the 30 km catchment "
                                 "(got 40.0). Fix: end the table at the catchment or raise catchment_km.")
    with pytest.raises(InvalidValueError, match=r"decay-table distances must be above 0 and rising \(got \[20.0, 10.0\]"):
        step_table([(20, 1), (10, 0.5)])
    with pytest.raises(InvalidValueError, match=r"decay-table weights must be 0 or more \(got \[1.0, -0.5\]"):
        step_table([(10, 1), (20, -0.5)])
    with pytest.raises(InvalidValueError, match=r"the decay table has no rows"):
        step_table([])
    with pytest.raises(InvalidValueError, match=r"each decay-table row must be two numbers"):
        step_table([(10, "high")])
