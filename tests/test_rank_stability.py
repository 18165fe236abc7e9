"""Rank stability on the demo: the columns equal the ranks of six separate runs at those settings."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from coverage_gaps.cli import DEMO_PROFILE
from coverage_gaps.config import load_profile
from coverage_gaps.pipeline import analyse, load_inputs

GRID = [(km, decay) for km in (20.0, 30.0, 45.0) for decay in ("step", "gaussian")]


@pytest.fixture(scope="module")
def demo():
    profile = load_profile(DEMO_PROFILE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inputs = load_inputs(profile)
    return profile, inputs


def _run(demo, **settings):
    profile, inputs = demo
    return analyse(inputs, profile.analysis.replace(**settings), regions=profile.regions)


def test_stability_columns_equal_six_separate_runs(demo):
    result = _run(demo)
    ranks = pd.concat([_run(demo, catchment_km=km, decay=d, stability_catchment_km=[]).areas.set_index("area_code")
                       ["rank"].rename(f"{km:g} {d}") for km, d in GRID], axis=1)
    ranked = result.areas[result.areas["rank"].notna()]  # areas with no data are ranked in no setting
    got = ranked.set_index("area_code")[["rank_min", "rank_max", "top10_in"]]
    ranks = ranks.loc[got.index].astype(float)
    assert ranks.nunique(axis=1).max() > 1, "the demo's ranks should move with the settings, or this proves nothing"
    assert got["rank_min"].tolist() == ranks.min(axis=1).tolist()
    assert got["rank_max"].tolist() == ranks.max(axis=1).tolist()
    assert got["top10_in"].tolist() == (ranks <= 10).sum(axis=1).tolist()


def test_the_grid_is_a_profile_setting_and_can_be_switched_off(demo):
    one = _run(demo, stability_catchment_km=[30.0], stability_decay=["gaussian"])
    # a grid of just the run's own setting gives every area its own rank
    assert (one.areas["rank_min"] == one.areas["rank"]).all() and (one.areas["rank_max"] == one.areas["rank"]).all()
    off = _run(demo, stability_catchment_km=[])
    assert off.areas["rank_min"].isna().all()
