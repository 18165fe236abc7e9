"""LAA offices in other categories of law as training candidates: never supply, always trainable."""

from __future__ import annotations

import warnings

import pytest

from coverage_gaps.errors import InvalidValueError
from coverage_gaps.gaps.candidates import _is_trainable
from coverage_gaps.io import load_laa_offices
from coverage_gaps.measures import is_qualifying

from conftest import ROOT, TEST_DATA

SAMPLE = TEST_DATA / "providers_laa_directory_sample.csv"


def _load(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return load_laa_offices(SAMPLE, **kwargs)


def test_other_law_offices_enter_as_trainable_candidates_not_supply():
    # rows: 11 IMMAS;HOU, 12 MAT;FMED (located), 13 DEB;IMMAS, 14 IMMAS, 15 IMMAS, 11 again
    loaded = _load(categories=("HOU", "DEB", "MAT"), role="candidates")
    t = loaded.table
    assert t["provider_id"].tolist() == ["laa-12"]  # offices holding IMMAS are supply already: filtered
    assert (loaded.read, loaded.used, loaded.filtered, loaded.rejected) == (6, 1, 5, 0)
    assert not t["laa_contract"].any() and not t["regulated"].any()  # a Solicitor, but not for immigration
    assert t["status"].tolist() == ["prospective"] and t["categories"].tolist() == [""]
    assert t["laa_categories"].tolist() == ["MAT;FMED"]
    for rule in ("asylum", "immigration", "any"):
        assert not is_qualifying(t, rule=rule).any()
    assert _is_trainable(t).all()
    # the same office as supply (the default role) would count
    as_supply = _load(categories=("MAT",)).table
    assert as_supply["laa_contract"].all() and is_qualifying(as_supply, rule="asylum").all()


def test_an_unknown_role_is_refused():
    with pytest.raises(InvalidValueError, match=r"unknown role for the LAA directory \(got 'trainers'.*"
                                                r"expected 'supply' or 'candidates'"):
        load_laa_offices(SAMPLE, role="trainers")


@pytest.mark.realdata
def test_the_england_wales_profile_loads_a_candidate_set_apart_from_the_supply(real_data):
    from coverage_gaps.config import load_profile
    from coverage_gaps.pipeline import load_inputs

    profile = load_profile(ROOT / "data" / "profiles" / "england-wales.toml", data_dir=real_data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inputs = load_inputs(profile)
    candidates = inputs.providers["laa_other_law"].table
    supply = inputs.providers["laa_offices"].table
    assert len(candidates) > 2000 and len(supply) > 250
    assert not is_qualifying(candidates, rule="asylum").any() and _is_trainable(candidates).all()
    assert not set(candidates["provider_id"]) & set(supply["provider_id"])
    assert not candidates["laa_categories"].str.contains("IMMAS").any()
