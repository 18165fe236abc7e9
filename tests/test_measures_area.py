"""Every per-area measure on a three-area example worked out by hand.

Three 10 km squares in a row (x in km from an origin in the Midlands):
A [0, 10], B [10, 20], C [20, 30]; one demand point each at the centroids
(5, 5), (15, 5), (25, 5).  People on asylum support: A 100, B 500, C 300;
residents: A 10,000, B 40,000, C 20,000.

Providers (capacity in advisers):
  P1 (5, 5)   in A         OISC Level 2, asylum            capacity 2  qualifying
  P5 (-5, 5)  outside, W   LAA contract                    capacity 4  qualifying
  P2 (38, 5)  outside, E   regulated solicitor             capacity 3  qualifying
  P3 (15, 8)  in B         OISC Level 1, immigration       capacity 1  signposting only
  P4 (15, 2)  in B         OISC Level 3, immigration only  capacity 1  not asylum supply

Catchment 12 km, step decay (2SFCA).  Distances to qualifying providers:
A: P1 0, P5 10 | B: P1 10 | C: P2 13 (beyond 12: nothing in reach).
Step 1: R_P1 = 2 / (100 + 500) = 1/300; R_P5 = 4 / 100 = 1/25;
        R_P2 = 0 (no demand within 12 km of it).
Step 2: A = 1/300 + 1/25 = 13/300 -> 43.333 per 1,000; B = 1/300 -> 3.333; C = 0.
Check: 100 * 13/300 + 500 * 1/300 = 6 = capacity of P1 + P5.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from coverage_gaps.errors import InvalidValueError
from coverage_gaps.measures import area_measures, demand_points

KM = 1000.0
X0, Y0 = 400_000.0, 300_000.0


def at(x_km, y_km):
    return Point(X0 + x_km * KM, Y0 + y_km * KM)


AREAS = gpd.GeoDataFrame(
    {"area_code": ["E0A", "E0B", "E0C"], "area_name": ["A", "B", "C"]},
    geometry=[box(X0 + x * KM, Y0, X0 + (x + 10) * KM, Y0 + 10 * KM) for x in (0, 10, 20)],
    crs="EPSG:27700",
)
DEMAND = pd.DataFrame({"area_code": ["E0A", "E0B", "E0C"], "asylum_support": [100.0, 500.0, 300.0],
                       "population": [10_000.0, 40_000.0, 20_000.0]})
PROVIDERS = gpd.GeoDataFrame(
    {
        "provider_id": ["P1", "P5", "P2", "P3", "P4"],
        "name": ["Level 2 asylum", "LAA office", "Solicitor", "Level 1", "Level 3 immigration"],
        "oisc_level": [2, 0, 0, 1, 3],
        "categories": ["asylum", "", "", "immigration", "immigration"],
        "laa_contract": [False, True, False, False, False],
        "regulated": [False, False, True, False, False],
        "capacity": [2.0, 4.0, 3.0, 1.0, 1.0],
        "status": ["partner", "", "", "prospective", ""],
    },
    geometry=[at(5, 5), at(-5, 5), at(38, 5), at(15, 8), at(15, 2)],
    crs="EPSG:27700",
)
ROOT109 = math.sqrt(10**2 + 3**2)  # from (25, 5) to (15, 8) or (15, 2)


def measures(points=None, **options):
    points = demand_points(AREAS, DEMAND, columns=["asylum_support", "population"]) if points is None else points
    settings = {"demand_column": "asylum_support", "population_column": "population", "catchment_km": 12.0,
                "decay": "step", **options}
    return area_measures(AREAS, PROVIDERS, points, **settings)


def test_columns_and_index():
    m = measures()
    assert list(m.index) == ["E0A", "E0B", "E0C"] and m.index.name == "area_code"
    assert list(m.columns) == [
        "local_providers", "local_capacity", "level1_providers", "capacity_per_10k_residents",
        "capacity_per_1k_demand", "nearest_km", "nearest_level1_km", "nearest_level2_km", "nearest_level3_km",
        "access", "coverage_share"]


def test_local_counts():
    m = measures()
    assert list(m["local_providers"]) == [1, 0, 0]  # P1 in A; P3 (Level 1) and P4 (immigration only) don't count
    assert list(m["local_capacity"]) == [2.0, 0.0, 0.0]
    assert list(m["level1_providers"]) == [0, 1, 0]  # P3 signposts in B
    assert list(m["capacity_per_10k_residents"]) == [2.0, 0.0, 0.0]  # 2 / 10,000 * 10,000
    assert list(m["capacity_per_1k_demand"]) == [20.0, 0.0, 0.0]  # 2 / 100 * 1,000


def test_distances():
    m = measures()
    assert list(m["nearest_km"]) == [0.0, 10.0, 13.0]  # P1, P1, P2
    # at Level 1+ (anyone accredited, lawyers as Level 3): P3/P4 are 3 km from B's point
    assert list(m["nearest_level1_km"]) == pytest.approx([0.0, 3.0, ROOT109])
    assert list(m["nearest_level2_km"]) == pytest.approx([0.0, 3.0, ROOT109])  # P1 | P4 | P4
    assert list(m["nearest_level3_km"]) == pytest.approx([10.0, 3.0, ROOT109])  # P5 (LAA) | P4 | P4


def test_access_and_coverage_2sfca():
    m = measures()
    assert list(m["access"]) == pytest.approx([13 / 300 * 1000, 1 / 300 * 1000, 0.0], rel=1e-14)
    assert list(m["coverage_share"]) == [1.0, 1.0, 0.0]


def test_access_gaussian_e2sfca():
    # w(d) = (exp(-0.5 (d/12)^2) - exp(-0.5)) / (1 - exp(-0.5)); w(0) = 1, w(10) = w10
    e = math.exp(-0.5)
    w10 = (math.exp(-0.5 * (10 / 12) ** 2) - e) / (1 - e)
    r1 = 2 / (100 * 1 + 500 * w10)  # P1 serves A at 0 km and B at 10 km
    r5 = 4 / (100 * w10)  # P5 serves A at 10 km
    m = measures(decay="gaussian")
    assert list(m["access"]) == pytest.approx([(r1 + r5 * w10) * 1000, r1 * w10 * 1000, 0.0], rel=1e-13)
    assert list(m["coverage_share"]) == [1.0, 1.0, 0.0]  # coverage does not depend on the decay


def test_wider_catchment_reaches_c_and_table_decay():
    # 15 km step table: P2 now reaches C (13 km) at weight 0.5: R_P2 = 3 / (300 * 0.5); C = R_P2 * 0.5
    m = measures(catchment_km=15.0, decay="table", decay_table=[(10, 1.0), (15, 0.5)])
    assert m.loc["E0C", "access"] == pytest.approx(3 / 150 * 0.5 * 1000)
    assert m.loc["E0C", "coverage_share"] == 1.0


def test_rule_changes_what_counts():
    m = measures(rule="immigration")  # now P3 (Level 1) and P4 (Level 3 immigration) count in B
    assert list(m["local_providers"]) == [1, 2, 0] and list(m["local_capacity"]) == [2.0, 2.0, 0.0]
    assert m.loc["E0B", "nearest_km"] == 3.0


def test_subarea_points_weight_distance_coverage_and_access_by_demand():
    # B split into B1 [10, 15] (125 people at (12.5, 5)) and B2 [15, 20] (375 at (17.5, 5))
    sub = gpd.GeoDataFrame({"area_code": ["B1", "B2"], "w": [1.0, 3.0]},
                           geometry=[box(X0 + 10 * KM, Y0, X0 + 15 * KM, Y0 + 10 * KM),
                                     box(X0 + 15 * KM, Y0, X0 + 20 * KM, Y0 + 10 * KM)], crs="EPSG:27700")
    points = demand_points(AREAS, DEMAND, columns=["asylum_support", "population"], subareas=sub, weight_column="w")
    m = measures(points)
    # nearest qualifying (P1 at x=5): B1 7.5 km, B2 12.5 km -> (125*7.5 + 375*12.5) / 500 = 11.25
    assert m.loc["E0B", "nearest_km"] == 11.25
    assert m.loc["E0B", "coverage_share"] == 0.25  # only B1's 125 of 500 within 12 km
    # R_P1 = 2 / (100 + 125); B1 access = R_P1, B2 = 0 -> (125 * R_P1) / 500 per person
    assert m.loc["E0B", "access"] == pytest.approx(125 * 2 / 225 / 500 * 1000, rel=1e-14)
    assert m.loc["E0B", "capacity_per_10k_residents"] == 0.0


def test_zero_demand_area_uses_plain_means():
    demand = DEMAND.assign(asylum_support=[100.0, 0.0, 300.0])
    m = measures(demand_points(AREAS, demand, columns=["asylum_support", "population"]))
    assert m.loc["E0B", "nearest_km"] == 10.0 and m.loc["E0B", "coverage_share"] == 1.0
    assert math.isnan(m.loc["E0B", "capacity_per_1k_demand"])
    assert m.loc["E0B", "access"] == pytest.approx(2 / 100 * 1000)  # P1 now serves only A: R = 2/100


def test_supply_outside_the_study_region_still_counts():
    only_a = AREAS.iloc[:1]
    points = demand_points(AREAS, DEMAND, columns=["asylum_support"])
    m = area_measures(only_a, PROVIDERS, points, demand_column="asylum_support", catchment_km=12.0, decay="step")
    # the region is A alone, but P5 (outside) still serves it and B's demand still competes for P1
    assert list(m.index) == ["E0A"] and m.loc["E0A", "access"] == pytest.approx(13 / 300 * 1000)
    assert math.isnan(m.loc["E0A", "capacity_per_10k_residents"])  # no population column given


def test_unbounded_catchment_without_decay_gives_every_area_the_benchmark():
    m = measures(catchment_km=math.inf)
    # every qualifying adviser (2 + 4 + 3) over every person in need (900), per 1,000
    assert list(m["access"]) == pytest.approx([9 / 900 * 1000] * 3, rel=1e-13)


def test_no_qualifying_provider_anywhere():
    m = area_measures(AREAS, PROVIDERS.iloc[3:], demand_points(AREAS, DEMAND, columns=["asylum_support"]),
                      demand_column="asylum_support")
    assert list(m["nearest_km"]) == [math.inf] * 3 and list(m["access"]) == [0.0] * 3
    assert list(m["coverage_share"]) == [0.0] * 3


def test_bad_settings_are_refused():
    with pytest.raises(InvalidValueError, match=r"unknown decay \(got 'linear'"):
        measures(decay="linear")
    with pytest.raises(InvalidValueError, match=r"the catchment must be a positive distance in km \(got -3"):
        measures(catchment_km=-3)
    with pytest.raises(InvalidValueError, match=r"unknown supply rule \(got 'Asylum'"):
        measures(rule="Asylum")
    with pytest.raises(ValueError, match=r"demand points: missing column\(s\) 'asylum'"):
        measures(demand_column="asylum")
    with pytest.raises(InvalidValueError, match=r"capacity must be a number of 0 or more \(provider 'P2'\)"):
        area_measures(AREAS, PROVIDERS.assign(capacity=[2.0, 4.0, np.nan, 1.0, 1.0]),
                      demand_points(AREAS, DEMAND, columns=["asylum_support"]), demand_column="asylum_support")
