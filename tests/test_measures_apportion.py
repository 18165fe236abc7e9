"""Demand points: one per area, or shared over sub-areas with totals kept exactly."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from coverage_gaps.errors import DuplicateCodeError, InvalidValueError, MissingCRSError
from coverage_gaps.measures import demand_points, split_exact

KM = 1000.0
X0, Y0 = 400_000.0, 300_000.0  # somewhere in the Midlands


def square(x_km, y_km, size_km=10):
    return box(X0 + x_km * KM, Y0 + y_km * KM, X0 + (x_km + size_km) * KM, Y0 + (y_km + size_km) * KM)


def three_areas():
    return gpd.GeoDataFrame(
        {"area_code": ["E0A", "E0B", "E0C"], "area_name": ["A", "B", "C"]},
        geometry=[square(0, 0), square(10, 0), square(20, 0)], crs="EPSG:27700",
    )


DEMAND = pd.DataFrame({"area_code": ["E0A", "E0B", "E0C"], "asylum_support": [100.0, 500.0, 300.0],
                       "population": [10_000, 40_000, 20_000]})


def xy(frame):
    return [((p.x - X0) / KM, (p.y - Y0) / KM) for p in frame.geometry]


def test_one_point_per_area_at_its_centroid():
    points = demand_points(three_areas(), DEMAND, columns=["asylum_support", "population"])
    assert list(points.columns) == ["area_code", "point_code", "asylum_support", "population", "geometry"]
    assert list(points["area_code"]) == ["E0A", "E0B", "E0C"]
    assert xy(points) == [(5, 5), (15, 5), (25, 5)]
    assert list(points["asylum_support"]) == [100, 500, 300] and points.crs == "EPSG:27700"


def test_crescent_area_gets_a_point_inside_it():
    # a U shape whose centroid lies in the gap
    u = Polygon([(0, 0), (30, 0), (30, 30), (20, 30), (20, 10), (10, 10), (10, 30), (0, 30)])
    u = Polygon([(X0 + x * KM, Y0 + y * KM) for x, y in u.exterior.coords])
    areas = gpd.GeoDataFrame({"area_code": ["U"]}, geometry=[u], crs="EPSG:27700")
    points = demand_points(areas, pd.DataFrame({"area_code": ["U"], "d": [1.0]}), columns=["d"])
    assert not u.centroid.within(u) and points.geometry.iloc[0].within(u)


def test_area_missing_from_demand_has_zero_and_unknown_codes_are_left_out():
    demand = pd.DataFrame({"area_code": ["E0A", "E0Z"], "asylum_support": [7.0, 9.0]})
    points = demand_points(three_areas(), demand, columns=["asylum_support"])
    assert list(points["asylum_support"]) == [7, 0, 0] and "E0Z" not in set(points["area_code"])


def subareas_of_b():
    # B (x 10-20 km) split into B1 (x 10-15) and B2 (x 15-20), population 1:3
    return gpd.GeoDataFrame(
        {"area_code": ["B1", "B2"], "lad": ["E0B", "E0B"], "pop": [1000.0, 3000.0]},
        geometry=[box(X0 + 10 * KM, Y0, X0 + 15 * KM, Y0 + 10 * KM), box(X0 + 15 * KM, Y0, X0 + 20 * KM, Y0 + 10 * KM)],
        crs="EPSG:27700",
    )


@pytest.mark.parametrize("parent_column", ["lad", None])  # by code, or by spatial join
def test_subareas_share_demand_by_weight_and_areas_without_keep_their_point(parent_column):
    points = demand_points(three_areas(), DEMAND, columns=["asylum_support"], subareas=subareas_of_b(),
                           parent_column=parent_column, weight_column="pop")
    assert list(points["area_code"]) == ["E0A", "E0B", "E0B", "E0C"]
    assert list(points["point_code"]) == ["E0A", "B1", "B2", "E0C"]
    assert list(points["asylum_support"]) == [100, 125, 375, 300]  # 500 split 1:3
    assert xy(points) == [(5, 5), (12.5, 5), (17.5, 5), (25, 5)]


def test_equal_shares_without_weights_or_when_weights_are_all_zero():
    sub = subareas_of_b()
    equal = demand_points(three_areas(), DEMAND, columns=["asylum_support"], subareas=sub, parent_column="lad")
    zero = demand_points(three_areas(), DEMAND, columns=["asylum_support"], subareas=sub.assign(pop=0.0),
                         parent_column="lad", weight_column="pop")
    assert list(equal["asylum_support"]) == list(zero["asylum_support"]) == [100, 250, 250, 300]


def test_subareas_outside_every_area_are_left_out():
    stray = pd.concat([subareas_of_b(), gpd.GeoDataFrame(
        {"area_code": ["X1"], "lad": ["E0Q"], "pop": [5.0]}, geometry=[square(90, 90)], crs="EPSG:27700")])
    for parent in ("lad", None):
        points = demand_points(three_areas(), DEMAND, columns=["asylum_support"], subareas=stray, parent_column=parent)
        assert "X1" not in set(points["point_code"]) and points["asylum_support"].sum() == 900


def sums_every_way(values):
    """Sum in every order a downstream step might use."""
    values = np.asarray(values, dtype=float)
    acc = 0.0
    for v in values:
        acc += v
    back = 0.0
    for v in values[::-1]:
        back += v
    return {acc, back, float(np.sum(values)), math.fsum(values), float(pd.Series(values).sum()),
            float(np.bincount(np.zeros(len(values), dtype=int), weights=values)[0]), sum(sorted(values))}


@pytest.mark.parametrize("seed", range(25))
def test_split_preserves_awkward_totals_exactly_in_any_order(seed):
    rng = np.random.default_rng(seed)
    n_groups = 6
    totals = rng.uniform(0, 10_000, n_groups) / 3  # awkward binary fractions
    totals[0] = 0.1 + 0.2  # the classic rounding trap
    totals[1] = 0.0
    sizes = rng.integers(1, 40, n_groups)
    group = np.repeat(np.arange(n_groups), sizes)
    weights = rng.uniform(0, 1, len(group)) ** 3 * rng.choice([1e-9, 1.0, 1e9], len(group))
    pieces = split_exact(totals, weights, group)
    assert (pieces >= 0).all()
    for g in range(n_groups):
        assert sums_every_way(pieces[group == g]) == {totals[g]}
        share = weights[group == g] / weights[group == g].sum()
        np.testing.assert_allclose(pieces[group == g], totals[g] * share, rtol=1e-12, atol=totals[g] * 1e-15)


def test_apportioned_demand_points_keep_each_area_total_exactly():
    rng = np.random.default_rng(9)
    cells = [square(x, y, 2) for x in range(0, 30, 2) for y in range(0, 10, 2)]  # 75 small cells
    sub = gpd.GeoDataFrame({"area_code": [f"S{k}" for k in range(len(cells))], "w": rng.uniform(0, 5, len(cells))},
                           geometry=cells, crs="EPSG:27700")
    demand = DEMAND.assign(asylum_support=[1 / 3, 2e6 / 7, 0.1 + 0.2])
    points = demand_points(three_areas(), demand, columns=["asylum_support"], subareas=sub, weight_column="w")
    assert len(points) == 75
    for code, total in zip(demand["area_code"], demand["asylum_support"]):
        assert sums_every_way(points.loc[points["area_code"] == code, "asylum_support"]) == {total}


def test_errors_are_pinned():
    areas = three_areas()
    with pytest.raises(ValueError, match=r"demand: missing column\(s\) 'asylum'"):
        demand_points(areas, DEMAND, columns=["asylum"])
    with pytest.raises(InvalidValueError) as caught:
        demand_points(areas, DEMAND.assign(asylum_support=[1.0, -4.0, 2.0]), columns=["asylum_support"])
    assert str(caught.value) == (
        "demand, column 'asylum_support': demand must be a number of 0 or more (area 'E0B') "
        "(got -4.0; expected a count or amount). Fix: correct or remove the value."
    )
    with pytest.raises(DuplicateCodeError, match=r"area codes must be unique \(got 'E0A'\)"):
        demand_points(areas, pd.concat([DEMAND, DEMAND.head(1)]), columns=["asylum_support"])
    with pytest.raises(MissingCRSError, match=r"the sub-areas layer has no coordinate reference system"):
        demand_points(areas, DEMAND, columns=["asylum_support"], subareas=subareas_of_b().set_crs(None, allow_override=True))
    with pytest.raises(InvalidValueError, match=r"sub-areas must be a number of 0 or more \(area 'B2'\)"):
        demand_points(areas, DEMAND, columns=["asylum_support"], subareas=subareas_of_b().assign(pop=[1.0, -1.0]),
                      weight_column="pop")
