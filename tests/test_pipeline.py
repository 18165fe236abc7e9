"""The main recipe on the demo: errors a user can make in a profile, and what the Result holds."""

from __future__ import annotations

import pytest

import coverage_gaps as cg
from coverage_gaps.cli import DEMO_PROFILE
from coverage_gaps.errors import InvalidValueError


@pytest.fixture(scope="module")
def demo():
    profile = cg.load_profile(DEMO_PROFILE)
    return profile, cg.load_inputs(profile)


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
