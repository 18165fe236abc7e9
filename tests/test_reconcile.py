"""Every input reconciles, lookups included: ``check --json`` on the demo and on both real profiles.

For every input file ``check`` lists (areas, sub-areas, demand layers, provider
files, the region lookup and the postcode files): rows read = used + filtered +
rejected.  Rows read are also counted independently with plain pandas for the
lookup files, so a loader cannot reconcile by under-counting what it read.
"""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from coverage_gaps.cli import DEMO_PROFILE, main

from conftest import ROOT

PROFILES = {"west-midlands": ROOT / "data" / "profiles" / "west-midlands.toml",
            "england-wales": ROOT / "data" / "profiles" / "england-wales.toml"}
DEMO = DEMO_PROFILE.parent  # the demo profile sits beside its data


def _check_json(capsys, *argv) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["check", *map(str, argv), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _assert_reconciles(report: dict) -> None:
    for name, s in report.items():
        assert s["rows_read"] == s["rows_used"] + s["rows_filtered"] + s["rows_rejected"], name
        assert len(s["first_rejects"]) == min(5, s["rows_rejected"]) or s["rows_rejected"] > 5, name


def test_the_demo_reconciles_every_input_lookups_included(capsys):
    report = _check_json(capsys, DEMO_PROFILE)
    assert set(report) == {"areas", "subareas", "demand:asylum_support", "demand:population", "providers:partners",
                           "providers:laa_offices", "region_lookup", "postcodes", "postcode_districts"}
    _assert_reconciles(report)
    for name, file in (("region_lookup", "lad_to_region.csv"), ("postcodes", "postcodes.csv"),
                       ("postcode_districts", "postcode_districts.csv")):
        assert report[name]["rows_read"] == len(pd.read_csv(DEMO / file)), name
        assert report[name]["source"] == file


def test_loose_files_reconcile_lookups_included(capsys):
    files = [DEMO / f for f in ("areas.geojson", "lad_to_region.csv", "postcodes.csv", "partners.csv")]
    report = _check_json(capsys, *files)
    assert set(report) == {"areas:areas.geojson", "region_lookup:lad_to_region.csv", "postcodes:postcodes.csv",
                           "partners:partners.csv"}
    _assert_reconciles(report)
    assert report["region_lookup:lad_to_region.csv"]["rows_used"] == len(pd.read_csv(DEMO / "lad_to_region.csv"))


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(PROFILES))
def test_the_real_profiles_reconcile_every_input_lookups_included(real_data, capsys, name):
    report = _check_json(capsys, PROFILES[name], "--data-dir", real_data)
    expected = {"areas", "demand:asylum_support", "demand:population", "providers:laa_offices", "region_lookup",
                "postcode_districts", "providers:laa_other_law"} | (  # laa_other_law: candidates for plan
                {"subareas"} if name == "west-midlands" else set())
    assert set(report) == expected
    _assert_reconciles(report)
    lookup = pd.read_csv(real_data / "lad22_to_region22_england_lookup.csv", encoding="utf-8-sig")
    assert report["region_lookup"]["rows_read"] == len(lookup)
    # every lookup row is an area of the LAD 2022 boundaries: used, none silently dropped
    assert report["region_lookup"]["rows_used"] == len(lookup)
    districts = pd.read_csv(real_data / "uk_postcode_outcode_centroids_2014.csv")
    assert report["postcode_districts"]["rows_read"] == len(districts)
