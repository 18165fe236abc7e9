"""Benchmark access, unmet demand and the desert / drought flags.

The three-area example of ``test_measures_area.py`` (12 km step catchment):
access A 43.333, B 3.333, C 0 per 1,000; coverage A 1, B 1, C 0; demand
A 100, B 500, C 300; qualifying capacity 2 + 4 + 3 = 9 advisers.
Benchmark = 9 / 900 * 1,000 = 10 per 1,000; drought below 0.5 * 10 = 5.
"""

from __future__ import annotations


import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from coverage_gaps.errors import InvalidValueError
from coverage_gaps.measures import area_measures, benchmark_access, demand_points, flags, unmet_demand

EXAMPLE = pd.DataFrame(
    {"demand": [100.0, 500.0, 300.0], "access": [13 / 300 * 1000, 1 / 300 * 1000, 0.0],
     "coverage_share": [1.0, 1.0, 0.0], "nearest_km": [0.0, 10.0, 13.0]},
    index=pd.Index(["E0A", "E0B", "E0C"], name="area_code"),
)


def test_benchmark_is_total_capacity_per_1000_demand_or_a_standard():
    assert benchmark_access(9, 900) == 10.0
    assert benchmark_access(9, 900, standard_people_per_adviser=200) == 5.0  # 1 adviser per 200 people


def test_unmet_demand_by_hand():
    unmet = unmet_demand(EXAMPLE["demand"], EXAMPLE["access"], 10.0)
    # A: 100 * max(0, 1 - 4.333) = 0; B: 500 * (1 - 1/3) = 333.33; C: 300 * 1 = 300
    assert list(unmet) == pytest.approx([0.0, 1000 / 3, 300.0])
    assert unmet.name == "unmet_demand" and list(unmet.index) == list(EXAMPLE.index)
    assert list(unmet_demand(np.array([10.0]), np.array([2.5]), 10.0)) == [7.5]


def test_flags_by_hand():
    desert, drought = flags(EXAMPLE, benchmark=10.0, catchment_km=12.0)
    assert list(desert) == [False, False, True]  # C: no qualifying provider within 12 km
    assert list(drought) == [False, True, False]  # B: 3.33 < 5; C is a desert, not also a drought
    desert, drought = flags(EXAMPLE, benchmark=10.0, drought_share=0.2)  # threshold 2: B no longer
    assert list(drought) == [False, False, False]


def test_desert_from_nearest_km_when_there_is_no_coverage_share():
    desert, _ = flags(EXAMPLE.drop(columns="coverage_share"), benchmark=10.0, catchment_km=12.0)
    assert list(desert) == [False, False, True]


def test_area_with_no_measure_is_neither():
    desert, drought = flags(EXAMPLE.assign(access=[np.nan, 1.0, 0.0], coverage_share=[np.nan, 1.0, 0.0]),
                            benchmark=10.0)
    assert (desert.iloc[0], drought.iloc[0]) == (False, False)


def random_world(rng, n_areas=6, n_providers=5):
    """A row of 10 km squares with random demand and random providers around it."""
    areas = gpd.GeoDataFrame({"area_code": [f"A{k}" for k in range(n_areas)]},
                             geometry=[box(k * 10_000, 0, (k + 1) * 10_000, 10_000) for k in range(n_areas)],
                             crs="EPSG:27700")
    demand = pd.DataFrame({"area_code": areas["area_code"], "d": rng.integers(0, 400, n_areas).astype(float)})
    providers = random_providers(rng, n_providers, n_areas)
    return areas, demand, providers


def random_providers(rng, n, n_areas, prefix="p"):
    return gpd.GeoDataFrame(
        {"provider_id": [f"{prefix}{k}" for k in range(n)], "oisc_level": rng.integers(0, 4, n),
         "categories": rng.choice(["asylum", "immigration", "immigration;asylum"], n),
         "laa_contract": rng.random(n) < 0.3, "regulated": rng.random(n) < 0.2,
         "capacity": rng.uniform(0.5, 5, n)},
        geometry=[Point(x, y) for x, y in zip(rng.uniform(-20_000, n_areas * 10_000 + 20_000, n),
                                              rng.uniform(-10_000, 20_000, n))],
        crs="EPSG:27700",
    )


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("decay", ["gaussian", "step"])
def test_adding_supply_never_increases_unmet_demand(seed, decay):
    # at a fixed benchmark: new providers add R_k W_ik >= 0 to everyone's access and leave
    # every other R_j alone; more capacity at an existing provider raises its R_j
    rng = np.random.default_rng(seed)
    areas, demand, providers = random_world(rng)
    points = demand_points(areas, demand, columns=["d"])
    bench = 1000 / 300  # a standard of one adviser per 300 people

    def unmet(p):
        m = area_measures(areas, p, points, demand_column="d", catchment_km=15.0, decay=decay)
        return unmet_demand(demand.set_index("area_code")["d"], m["access"], bench).to_numpy()

    before = unmet(providers)
    more = pd.concat([providers, random_providers(rng, 2, len(areas), prefix="new")], ignore_index=True)
    bigger = providers.assign(capacity=providers["capacity"] * rng.uniform(1, 3, len(providers)))
    for after in (unmet(more), unmet(bigger)):
        assert np.all(after <= before + 1e-9 * np.maximum(before, 1))


def test_errors_are_pinned():
    with pytest.raises(InvalidValueError) as caught:
        benchmark_access(5, 0)
    assert str(caught.value) == ("column 'total_demand': total_demand must be a number above 0 (got 0; expected the "
                                 "people in need across all areas). Fix: check the demand column has figures.")
    with pytest.raises(InvalidValueError, match=r"standard_people_per_adviser must be a number above 0 \(got -200"):
        benchmark_access(5, 10, standard_people_per_adviser=-200)
    with pytest.raises(InvalidValueError, match=r"benchmark must be a number above 0 \(got 0.0"):
        unmet_demand([1.0], [1.0], 0.0)
    with pytest.raises(InvalidValueError, match=r"drought_share must be above 0 and at most 1 \(got 1.5"):
        flags(EXAMPLE, benchmark=10.0, drought_share=1.5)
    with pytest.raises(InvalidValueError, match=r"catchment_km must be a number above 0 \(expected a number of km above 0, e.g. 30\)\. Fix: give catchment_km"):
        flags(EXAMPLE.drop(columns="coverage_share"), benchmark=10.0)
    with pytest.raises(ValueError, match=r"measures: missing column\(s\) 'access'"):
        flags(EXAMPLE.drop(columns="access"), benchmark=10.0)
