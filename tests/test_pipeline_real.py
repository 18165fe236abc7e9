"""The real-data profiles run end to end (issue: measures, flags, ranked targets)."""

from __future__ import annotations

import json

import pytest

from coverage_gaps.cli import main
from coverage_gaps.pipeline import run_profile

from conftest import ROOT

WM = ROOT / "data" / "profiles" / "west-midlands.toml"
EW = ROOT / "data" / "profiles" / "england-wales.toml"


@pytest.fixture(scope="module")
def wm(real_data):
    return run_profile(WM, data_dir=real_data)


def test_every_west_midlands_district_is_ranked(wm):
    targets = wm.targets
    assert len(targets) == 30
    assert set(targets["region_code"]) == {"E12000005"}
    # the 26 districts with an Asy_D11 figure are ranked; the 4 without one are "no data", not 0 people
    ranked = targets["rank"].dropna()
    assert sorted(ranked.astype(int).tolist()) == list(range(1, 27))
    assert targets.loc[targets["rank"].isna(), "demand"].isna().all()
    assert targets["reason"].str.len().min() > 40


def test_west_midlands_demand_matches_asy_d11(wm):
    demand = wm.targets.set_index("area_code")["demand"]
    assert demand["E06000021"] == 1281 and demand["E08000026"] == 2017
    assert demand.sum() == 11934


def test_stoke_is_a_top_target_and_flags_are_consistent(wm):
    t = wm.targets.set_index("area_code")
    assert t.loc["E06000021", "rank"] <= 3
    # a desert has nobody within reach: zero coverage and zero access
    deserts = t[t["desert"]]
    assert (deserts["coverage_share"] == 0).all() and (deserts["access"] == 0).all()
    assert not (t["desert"] & t["drought"]).any()
    drought = t[t["drought"]]
    assert (drought["access"] < 0.5 * wm.benchmark).all()
    # unmet demand is demand x max(0, 1 - access / benchmark)
    expected = t["demand"] * (1 - t["access"] / wm.benchmark).clip(lower=0)
    assert (t["unmet_demand"] - expected).abs().max() < 1e-9


def test_supply_outside_the_region_counts(wm):
    # LAA offices outside the West Midlands are kept as supply, not dropped with the region filter
    outside = wm.providers[wm.providers["qualifying"] & ~wm.providers["area_code"].isin(wm.targets["area_code"])]
    assert len(outside) > 200


def test_england_and_wales_profile_keeps_welsh_districts(real_data):
    result = run_profile(EW, data_dir=real_data)
    codes = result.targets["area_code"]
    assert codes.str.startswith("W").sum() == 22
    assert codes.str.startswith("E").sum() == 309
    assert (result.targets["rank"].notna() == result.targets["demand"].notna()).all()


def test_check_command_prints_the_real_counts(real_data, capsys):
    assert main(["check", str(WM), "--data-dir", str(real_data), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["areas"]["rows_read"] == 374
    assert report["subareas"]["rows_read"] == 3487
    laa = report["providers:laa_offices"]
    assert laa["rows_read"] - laa["rows_filtered"] == 287
    assert laa["rows_used"] + laa["rows_rejected"] == 287
    assert report["demand:asylum_support"]["date"] == "2024-09-30"


def test_check_guesses_each_files_kind_from_its_header(real_data, capsys):
    files = [real_data / f for f in ("laa_legal_aid_provider_offices_2015.csv", "lad_dec2022_uk_buc.geojson",
                                     "ho_asy_d11_asylum_support_by_la.csv", "uk_postcode_outcode_centroids_2014.csv",
                                     "nomis_mye2021_population_by_la_age_bands.csv")]
    assert main(["check", *map(str, files), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report) == [
        "areas:lad_dec2022_uk_buc.geojson",  # boundaries first: the others are checked against them
        "laa_directory:laa_legal_aid_provider_offices_2015.csv",
        "asy_d11:ho_asy_d11_asylum_support_by_la.csv",
        "postcode_districts:uk_postcode_outcode_centroids_2014.csv",
        "nomis:nomis_mye2021_population_by_la_age_bands.csv",
    ]
    laa = report["laa_directory:laa_legal_aid_provider_offices_2015.csv"]
    assert (laa["rows_used"], laa["rows_rejected"]) == (286, 1)  # 278 exact + 8 at district centroids
    asy = report["asy_d11:ho_asy_d11_asylum_support_by_la.csv"]
    assert asy["rows_rejected"] == 1  # the 13 rows of 2023 codes are harmonised onto the 2022 districts
    assert "2,843 people on asylum support could not be placed in an area (Home Office: Subsistence Only)" \
        in asy["notes"]
