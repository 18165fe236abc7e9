"""Which providers count as asylum (or immigration) supply, and which only signpost."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from coverage_gaps.errors import CoverageGapsError, InvalidValueError
from coverage_gaps.measures import RULES, is_qualifying, is_signposting


def providers(rows):
    """rows: (provider_id, oisc_level, categories, laa_contract, regulated)."""
    frame = pd.DataFrame(rows, columns=["provider_id", "oisc_level", "categories", "laa_contract", "regulated"])
    frame["capacity"] = 1.0
    return gpd.GeoDataFrame(frame, geometry=[Point(0, 0)] * len(frame), crs="EPSG:27700")


# one row per case a user meets in the OISC register, LAA directory and SRA roll
CASES = providers(
    [
        ("l1_asylum", 1, "immigration;asylum", False, False),  # Level 1 may never do asylum work
        ("l1_imm", 1, "immigration", False, False),
        ("l2_asylum", 2, "asylum", False, False),
        ("l2_imm", 2, "immigration", False, False),  # casework, but not in Asylum and Protection
        ("l3_both", 3, " Immigration ; Asylum ", False, False),  # case and spaces ignored
        ("laa_only", 0, "", True, False),  # LAA contract office, no OISC level
        ("solicitor", 0, None, False, True),  # SRA regulated, categories missing
        ("community", 0, "", False, False),  # not accredited: a training candidate
        ("l1_laa", 1, "immigration", True, False),  # Level 1 but holds a contract
    ]
)


def qualifying_ids(rule):
    return list(CASES.loc[is_qualifying(CASES, rule=rule).to_numpy(), "provider_id"])


def test_asylum_rule_counts_level2_plus_asylum_laa_and_regulated_never_level1():
    assert qualifying_ids("asylum") == ["l2_asylum", "l3_both", "laa_only", "solicitor", "l1_laa"]


def test_asylum_is_the_default_rule():
    assert is_qualifying(CASES).equals(is_qualifying(CASES, rule="asylum"))


def test_immigration_rule_adds_level1_and_immigration_only_casework():
    assert qualifying_ids("immigration") == [
        "l1_asylum", "l1_imm", "l2_asylum", "l2_imm", "l3_both", "laa_only", "solicitor", "l1_laa"]


def test_any_rule_counts_every_accredited_or_regulated_provider_but_not_the_unaccredited():
    assert "community" not in qualifying_ids("any")
    assert len(qualifying_ids("any")) == len(CASES) - 1


def test_result_is_a_bool_series_on_the_providers_index():
    shuffled = CASES.set_index(pd.Index(list("abcdefghi")))
    result = is_qualifying(shuffled)
    assert result.dtype == bool and list(result.index) == list("abcdefghi") and result.name == "qualifying"


def test_signposting_is_level1_without_a_contract_or_regulated_lawyer():
    signposts = list(CASES.loc[is_signposting(CASES).to_numpy(), "provider_id"])
    assert signposts == ["l1_asylum", "l1_imm"]


def test_unknown_rule_names_the_rules():
    with pytest.raises(InvalidValueError) as caught:
        is_qualifying(CASES, rule="refugee")
    assert isinstance(caught.value, CoverageGapsError)
    assert str(caught.value) == (
        "column 'rule': unknown supply rule (got 'refugee'; expected one of 'asylum', 'immigration', 'any'). "
        "Fix: 'asylum' counts Level 2+ asylum advisers, LAA contract offices and regulated lawyers."
    )
    assert set(RULES) == {"asylum", "immigration", "any"}


def test_bad_oisc_level_names_the_provider():
    bad = providers([("p9", 4, "asylum", False, False)])
    with pytest.raises(InvalidValueError, match=r"OISC level not recognised for provider 'p9'.*got 4; expected 0 \(none\), 1, 2 or 3"):
        is_qualifying(bad)


def test_missing_column_is_named():
    with pytest.raises(ValueError, match=r"missing column\(s\) 'regulated'"):
        is_qualifying(CASES.drop(columns="regulated"))
