"""The main recipe on the demo: errors a user can make in a profile, and what the Result holds."""

from __future__ import annotations

import pytest

import coverage_gaps as cg
from coverage_gaps.cli import DEMO_PROFILE
from coverage_gaps.errors import InvalidValueError
from coverage_gaps.settings import PublishSettings


@pytest.fixture(scope="module")
def demo():
    profile = cg.load_profile(DEMO_PROFILE)
    # some rows rejected: a warning that names the file and the first reason (all rejected would raise)
    with pytest.warns(UserWarning, match=r"partners.csv: 2 of 80 provider rows rejected .* first: row 14: unknown postcode"):
        inputs = cg.load_inputs(profile)
    return profile, inputs


def test_unknown_demand_column_names_the_layers(demo):
    profile, inputs = demo
    with pytest.raises(InvalidValueError, match=(
            r"column '\[analysis\] demand': the demand column is not among the demand layers "
            r"\(got 'refugees'; expected 'asylum_support' or 'population'\)")):
        cg.run_profile(profile, inputs=inputs, overrides={"demand": "refugees"})


def test_region_matching_no_area_lists_the_regions_there_are(demo):
    profile, inputs = demo
    with pytest.raises(InvalidValueError, match=r"no area lies in the study region .*X12000001, X12000002"):
        cg.analyse(inputs, profile.analysis, regions=["E12000005"])


def test_study_region_filters_output_not_supply(demo):
    profile, inputs = demo
    result = cg.run_profile(profile, inputs=inputs)
    assert set(result.areas["region_code"]) == {"X12000001"} and len(result.areas) == 30
    neighbour = result.providers[result.providers["area_code"].str.startswith("X06") &
                                 ~result.providers["area_code"].isin(result.areas["area_code"])]
    assert neighbour["qualifying"].any()  # supply across the border is kept
    everywhere = cg.analyse(inputs, profile.analysis)
    assert len(everywhere.areas) == 34


def test_people_per_adviser_standard_sets_the_benchmark(demo):
    profile, inputs = demo
    result = cg.run_profile(profile, inputs=inputs, overrides={"people_per_adviser": 200})
    assert result.benchmark == pytest.approx(1000 / 200)
    assert "against 5.0 (the standard: one adviser per 200 people)" in result.areas.loc[0, "reason"]


def _level1_only(inputs):
    """The demo inputs with every qualifying provider taken out (only Level 0/1 partners left)."""
    from dataclasses import replace

    def keep(table):
        return table[(table["oisc_level"] < 2) & ~table["laa_contract"] & ~table["regulated"]]

    return replace(inputs, providers={k: replace(v, table=keep(v.table)) for k, v in inputs.providers.items()})


def test_no_qualifying_supply_is_explained_and_a_standard_still_works(demo):
    profile, inputs = demo
    bare = _level1_only(inputs)
    with pytest.raises(InvalidValueError, match=r"no provider in the data counts as supply.*people_per_adviser"):
        cg.run_profile(profile, inputs=bare)
    result = cg.run_profile(profile, inputs=bare, overrides={"people_per_adviser": 200})
    need = result.areas["demand"] > 0  # no recorded need / no data is never a desert
    assert result.areas.loc[need, "desert"].all()
    assert result.areas.loc[~need, "gap"].isin(["no recorded need", "no data"]).all()
    assert not result.areas.loc[~need, "desert"].any()
    assert (result.areas.loc[need, "unmet_demand"] == result.areas.loc[need, "demand"]).all()
    assert result.areas.loc[need, "reason"].str.contains("people's need unmet against one adviser per 200 people").all()


def test_run_coarsens_provider_points_in_map_and_report_alike(demo, tmp_path):
    from coverage_gaps.report import write_report_and_map

    profile, inputs = demo
    result = cg.run_profile(profile, inputs=inputs)
    point = result.providers.to_crs(4326).geometry.iloc[0]
    exact = f"[{point.y:.5f},{point.x:.5f},"  # how the map stores a provider point
    write_report_and_map(result, tmp_path / "exact.html", tmp_path / "exact_map.html")
    assert exact in (tmp_path / "exact_map.html").read_text()
    result.publish = PublishSettings(point_precision="area")
    write_report_and_map(result, tmp_path / "coarse.html", tmp_path / "coarse_map.html")
    for name in ("coarse_map.html", "coarse.html"):
        assert exact not in (tmp_path / name).read_text(), name
