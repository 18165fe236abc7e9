"""The measures on real open data: English LADs, West Midlands LSOAs, Asy_D11, LAA offices.

Read with plain geopandas/pandas (the loaders are tested elsewhere) so these
tests check the measures alone on real shapes and real numbers.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from coverage_gaps.measures import area_measures, benchmark_access, demand_points, flags

STOKE, COVENTRY = "E06000021", "E08000026"


@pytest.fixture(scope="module")
def real(real_data):
    lads = gpd.read_file(real_data / "lad_dec2022_uk_buc.geojson")
    lads = lads[lads["LAD22CD"].str.startswith(("E", "W"))].rename(columns={"LAD22CD": "area_code", "LAD22NM": "area_name"})
    lads = lads[["area_code", "area_name", "geometry"]].to_crs("EPSG:27700")
    lads["geometry"] = lads.geometry.make_valid()
    asy = pd.read_csv(real_data / "ho_asy_d11_asylum_support_by_la.csv")
    asy = asy[asy["Date"] == asy["Date"].max()].groupby("LAD Code", as_index=False)["People"].sum()
    demand = asy.rename(columns={"LAD Code": "area_code", "People": "asylum_support"})
    lsoa = gpd.read_file(real_data / "west_midlands_lsoa2011_bgc.geojson").to_crs("EPSG:27700")
    lsoa = lsoa.rename(columns={"LSOA11CD": "area_code"})
    lsoa["geometry"] = lsoa.geometry.make_valid()
    laa = pd.read_csv(real_data / "laa_legal_aid_provider_offices_2015.csv")
    laa = laa[laa["categories"].fillna("").str.contains("IMMAS") & laa["lon"].notna() & laa["lat"].notna()]
    providers = gpd.GeoDataFrame(
        {"provider_id": laa["office_id"].astype(str), "oisc_level": 0, "categories": "immigration;asylum",
         "laa_contract": True, "regulated": False, "capacity": 1.0},
        geometry=gpd.points_from_xy(laa["lon"], laa["lat"]), crs="EPSG:4326").to_crs("EPSG:27700")
    return lads, demand, lsoa, providers


def test_lsoa_apportioning_keeps_every_lad_total_and_agrees_with_the_spatial_join(real):
    lads, demand, lsoa, _ = real
    by_code = demand_points(lads, demand, columns=["asylum_support"], subareas=lsoa, parent_column="LAD_CODE")
    wm = set(lsoa["LAD_CODE"])
    assert len(by_code) == len(lads) - len(wm) + len(lsoa)  # 3,487 LSOAs replace 30 LAD points
    totals = by_code.groupby("area_code")["asylum_support"].sum()
    expected = demand.set_index("area_code")["asylum_support"].reindex(lads["area_code"]).fillna(0)
    assert (totals.reindex(expected.index) == expected).all()  # exactly, not approximately
    assert (by_code.loc[by_code["area_code"] == STOKE, "point_code"].str.startswith("E01")).sum() == 159
    by_place = demand_points(lads, demand, columns=["asylum_support"], subareas=lsoa)
    joined = by_place[by_place["point_code"].str.startswith("E01")].set_index("point_code")["area_code"]
    same = (joined == lsoa.set_index("area_code")["LAD_CODE"].reindex(joined.index)).mean()
    assert same > 0.99  # LADs generalised to 500 m (BUC) put ~20 of 3,487 edge LSOAs next door


def test_area_measures_on_england_and_wales(real):
    lads, demand, lsoa, providers = real
    points = demand_points(lads, demand, columns=["asylum_support"], subareas=lsoa, parent_column="LAD_CODE")
    m = area_measures(lads, providers, points, demand_column="asylum_support", catchment_km=30.0)
    assert len(m) == len(lads) and m.loc[[STOKE, COVENTRY]].drop(columns="capacity_per_10k_residents").notna().all().all()
    assert m["local_providers"].sum() <= len(providers) and m["local_providers"].sum() > 0.95 * len(providers)
    assert ((m["coverage_share"] >= 0) & (m["coverage_share"] <= 1)).all()
    # conservation: people x access adds up to (almost) every office, each serving someone in reach
    demand_total = demand.set_index("area_code")["asylum_support"].reindex(m.index).fillna(0)
    served = float((demand_total * m["access"]).sum() / 1000)
    assert 0.9 * len(providers) < served <= len(providers) + 1e-6
    bench = benchmark_access(len(providers), demand_total.sum())
    desert, drought = flags(m, benchmark=bench)
    assert not (desert & drought).any() and desert.sum() + drought.sum() > 0
