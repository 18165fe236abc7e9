"""Ranking, reasons and candidate partners on tiny hand-made areas."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from coverage_gaps.errors import InvalidValueError
from coverage_gaps.gaps import explain, find_candidates, rank_areas, reasons, shortfall


def _areas():
    # three 10 km squares side by side: A [0,10] km, B [10,20] km, C [20,30] km
    return gpd.GeoDataFrame(
        {
            "area_code": ["A", "B", "C"],
            "area_name": ["Aville", "Bton", "Cford"],
            "demand": [100.0, 300.0, 300.0],
            "unmet_demand": [50.0, 200.0, 200.0],
            "access": [2.0, 0.5, 0.4],
        },
        geometry=[box(0, 0, 10_000, 10_000), box(10_000, 0, 20_000, 10_000), box(20_000, 0, 30_000, 10_000)],
        crs="EPSG:27700",
    )


def test_rank_by_unmet_demand_breaks_ties_by_demand_then_code():
    areas = _areas()
    # B and C tie on unmet demand and demand: code order decides (B before C)
    assert rank_areas(areas).tolist() == [3, 1, 2]
    # shuffled input gives the same ranks per area
    shuffled = areas.iloc[[2, 0, 1]]
    assert dict(zip(shuffled.area_code, rank_areas(shuffled))) == {"A": 3, "B": 1, "C": 2}


def test_rank_by_access_puts_lowest_access_first_and_min_demand_filters():
    areas = _areas()
    assert rank_areas(areas, by="access").tolist() == [3, 2, 1]
    ranks = rank_areas(areas, by="access", min_demand=200)
    assert ranks.isna().tolist() == [True, False, False]
    assert ranks.dropna().tolist() == [2, 1]


def test_areas_without_a_figure_or_outside_coverage_are_never_ranked():
    areas = _areas().assign(demand=[100.0, np.nan, 300.0], in_coverage=[False, True, True])
    assert rank_areas(areas).isna().tolist() == [True, True, False]


def test_unknown_rank_measure_names_the_choices():
    with pytest.raises(InvalidValueError, match=r"column 'rank_by': cannot rank by this measure \(got 'size'; expected unmet_demand"):
        rank_areas(_areas(), by="size")


def test_reason_reads_like_the_funder_example():
    row = pd.Series({"demand": 1281.0, "nearest_km": 41.2, "local_providers": 0, "access": 0.5,
                     "unmet_demand": 1002.0, "gap": "part desert", "share_beyond_reach": 0.79})
    text = explain(row, benchmark=2.3, demand_column="asylum_support", catchment_km=30,
                   measure=shortfall({}, coverage="England and Wales"), coverage="England and Wales")
    assert text == (
        "1,281 people on asylum support; nearest qualifying adviser 41 km; 0 qualifying providers inside; "
        "access 0.5 per 1,000 against 2.3 (the average across England and Wales); about 1,002 people below the "
        "average access across England and Wales; part desert: 79% of the need more than 30 km from a qualifying adviser"
    )


def test_reasons_name_a_stated_standard_and_say_why_an_area_is_not_ranked():
    areas = pd.DataFrame({"demand": [200.0, np.nan, 0.0], "nearest_km": [3.0, 3.0, 50.0], "local_providers": [1, 1, 0],
                          "access": [1.0, 2.0, 0.0], "unmet_demand": [100.0, np.nan, 0.0],
                          "gap": ["below standard", "no data", "no recorded need"],
                          "share_beyond_reach": [0.1, np.nan, np.nan]})
    text = reasons(areas, benchmark=5.0, demand_column="asylum_support", catchment_km=30,
                   measure=shortfall({"people_per_adviser": 200}))
    assert text[0] == ("200 people on asylum support; nearest qualifying adviser 3.0 km; 1 qualifying provider inside; "
                       "10% of the need more than 30 km from a qualifying adviser; access 1.0 per 1,000 "
                       "against 5.0 (the standard: one adviser per 200 people); about 100 people's need unmet "
                       "against one adviser per 200 people")
    assert text[1].startswith("No figure for people on asylum support;")
    assert text[1].endswith("no data: no figure for people on asylum support at this date, so the area is not ranked")
    assert text[2].endswith("no recorded need at this date")
    assert "access" not in text[2] and "desert" not in text[2]


def _providers():
    rows = [
        # id, name, level, laa, regulated, status, x, y
        ("p1", "Inside B, level 1", 1, False, False, "partner", 15_000, 5_000),
        ("p2", "Near B, 3 km east of C edge", 0, False, False, "prospective", 33_000, 5_000),
        ("p3", "Already level 2", 2, False, False, "partner", 14_000, 5_000),
        ("p4", "LAA office", 0, True, True, "", 16_000, 5_000),
        ("p5", "Far away", 1, False, False, "partner", 90_000, 5_000),
        ("p6", "Not a partner", 1, False, False, "", 15_500, 5_000),
    ]
    return gpd.GeoDataFrame(
        {
            "provider_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "oisc_level": [r[2] for r in rows],
            "laa_contract": [r[3] for r in rows],
            "regulated": [r[4] for r in rows],
            "status": [r[5] for r in rows],
            "categories": ["immigration"] * len(rows),
        },
        geometry=[Point(r[6], r[7]) for r in rows],
        crs="EPSG:27700",
    )


def test_candidates_are_untrained_partners_within_reach_nearest_first():
    cands = find_candidates(_areas(), _providers(), within_km=5)
    by_area = {code: list(zip(g.provider_id, g.distance_km)) for code, g in cands.groupby("area_code")}
    # p1 is inside B (0 km) and 5 km from A's and C's edges; p2 is 3 km from C, 13 km from B
    assert by_area == {"A": [("p1", 5.0)], "B": [("p1", 0.0)], "C": [("p2", 3.0), ("p1", 5.0)]}
    assert find_candidates(_areas(), _providers(), within_km=0)["provider_id"].tolist() == ["p1"]
