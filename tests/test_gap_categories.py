"""Gap categories, capacity units and the named shortfall measure, on tiny hand-made inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from dataclasses import replace

from coverage_gaps import gaps, report
from coverage_gaps.errors import InvalidValueError
from coverage_gaps.measures import capacity_units
from coverage_gaps.schema import GAP_CATEGORIES

from _result_fixtures import tiny_result

# One area of each kind; benchmark 2.0, drought below 1.0, part desert at half the need beyond reach.
KINDS = pd.DataFrame([
    # area, demand, access, coverage_share, in_coverage, expected
    ("desert", 120.0, 0.0, 0.0, True, "desert"),
    ("part", 80.0, 1.9, 0.4, True, "part desert"),        # 60% of the need beyond reach, access fine
    ("drought", 300.0, 0.9, 1.0, True, "drought"),        # in reach, access below half of 2.0
    ("below", 500.0, 1.5, 0.7, True, "below average"),    # 30% beyond reach: not a part desert
    ("above", 200.0, 2.0, 1.0, True, "at or above"),      # exactly the benchmark
    ("none", 0.0, 0.0, 0.0, True, "no recorded need"),    # nobody in reach, but nobody in need either
    ("nodata", np.nan, 0.5, 1.0, True, "no data"),
    ("outside", 900.0, 0.0, 0.0, False, "outside coverage"),
], columns=["area_code", "demand", "access", "coverage_share", "in_coverage", "expected"])


def test_each_kind_of_area_gets_its_category():
    got = gaps.classify(KINDS, benchmark=2.0, drought_share=0.5, part_desert_share=0.5)
    assert dict(zip(KINDS.area_code, got)) == dict(zip(KINDS.area_code, KINDS.expected))
    assert set(got) <= set(GAP_CATEGORIES)


def test_a_stated_standard_says_below_standard_and_the_share_threshold_is_a_setting():
    got = gaps.classify(KINDS, benchmark=2.0, standard=True)
    assert got[KINDS.area_code == "below"].item() == "below standard"
    # at 0.3 of the need beyond reach, "below" (30% beyond) becomes a part desert
    assert gaps.classify(KINDS, benchmark=2.0, part_desert_share=0.3)[3] == "part desert"


def test_no_area_with_a_shortfall_is_at_or_above():
    rng = np.random.default_rng(7)
    areas = pd.DataFrame({"demand": rng.integers(0, 500, 400).astype(float), "access": rng.uniform(0, 4, 400),
                          "coverage_share": rng.choice([0.0, 0.3, 0.8, 1.0], 400)})
    unmet = areas.demand * np.maximum(0, 1 - areas.access / 2.0)
    got = gaps.classify(areas, benchmark=2.0)
    assert not (got[unmet > 0] == "at or above").any()
    assert (got[unmet > 0].isin(["desert", "part desert", "drought", "below average"])).all()


def test_share_beyond_reach_is_missing_where_there_is_no_need():
    share = gaps.share_beyond_reach(KINDS)
    assert share.tolist()[:5] == pytest.approx([1.0, 0.6, 0.0, 0.3, 0.0])
    assert share[KINDS.area_code.isin(["none", "nodata"])].isna().all()


def test_a_share_outside_0_to_1_is_a_clear_error():
    with pytest.raises(InvalidValueError, match=r"part_desert_share must be above 0 and at most 1.*got 1\.5"):
        gaps.classify(KINDS, benchmark=2.0, part_desert_share=1.5)


def _offices():
    # three offices of one law centre in area A (names spelt two ways, one firm number), one in area B,
    # and another organisation in A
    return pd.DataFrame({
        "name": ["Coventry Law Centre Ltd", "Coventry Law Centre Limited", "coventry law centre", "Coventry Law Centre",
                 "Alsters Kelley LLP"],
        "firm": [3987, 3987, 3987, 3987, 3319],
        "area_code": ["A", "A", "A", "B", "A"],
        "capacity": [1.0, 1.0, 1.0, 1.0, 1.0],
    })


def test_one_unit_per_office_or_per_organisation_per_area():
    offices = _offices()
    assert capacity_units(offices, unit="office").tolist() == [1.0, 1.0, 1.0, 1.0, 1.0]
    shared = capacity_units(offices, unit="organisation")
    assert shared.tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3, 1.0, 1.0])
    assert shared[offices.area_code == "A"].sum() == pytest.approx(2.0)  # two organisations in A


def test_offices_that_are_not_supply_take_no_share_of_their_organisations_unit():
    # the law centre's third office in A is in the file as a candidate (another category of law): the two
    # immigration offices share the unit between them, not with it
    offices = _offices()
    shared = capacity_units(offices, unit="organisation", supply=[True, True, False, True, True])
    assert shared.tolist() == pytest.approx([1 / 2, 1 / 2, 1.0, 1.0, 1.0])
    assert shared[[0, 1]].sum() == pytest.approx(1.0)


def test_organisations_match_on_the_normalised_name_without_a_firm_number():
    offices = _offices().drop(columns="firm")
    assert capacity_units(offices, unit="organisation").tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3, 1.0, 1.0])


def test_a_capacity_column_wins_over_the_unit():
    offices = _offices().assign(capacity=[4.0, 2.0, 1.0, 1.0, 1.0], capacity_given=[True, True, True, True, False])
    assert capacity_units(offices, unit="organisation").tolist() == [4.0, 2.0, 1.0, 1.0, 1.0]


def test_an_unknown_unit_names_the_choices():
    with pytest.raises(InvalidValueError, match=r"capacity unit not recognised.*expected office or organisation"):
        capacity_units(_offices(), unit="adviser")


def _visible(html: str) -> str:
    import re
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_relative_measure_sentence_is_there_only_without_a_standard():
    relative = report.render_report(tiny_result())
    assert 'id="relative-caveat"' in relative
    assert "a shortage everywhere" not in relative  # the words are the caveat's own, checked next
    assert "if every area were short of advice, none would show a shortfall here" in _visible(relative)
    assert "people below the average access" in _visible(relative)
    standard = tiny_result(settings=tiny_result().settings.replace(people_per_adviser=200))
    page = report.render_report(standard)
    assert 'id="relative-caveat"' not in page
    assert "none would show a shortfall here" not in page
    assert "people&#39;s need unmet against one adviser per 200 people" in page


def test_no_ranked_area_with_a_gap_is_labelled_covered_or_at_or_above():
    areas = tiny_result().areas.drop(columns=["gap"], errors="ignore")
    page = report.render_report(replace(tiny_result(), areas=areas))  # a Result without gap: from its flags
    assert "covered" not in _visible(page).lower()
    rows = report._rows(report.public_result(tiny_result()))
    assert all(r["status"] != "at or above" for r in rows if r["unmet_sort"] and float(r["unmet_sort"]) > 0)


def test_empty_candidates_say_whether_a_partner_list_was_supplied(tmp_path):
    from coverage_gaps.export import write_exports

    base = tiny_result()
    no_list = replace(base, providers=base.providers.assign(status=""), candidates=base.candidates.iloc[0:0])
    page = _visible(report.render_report(no_list))
    assert page.count("No partner list supplied") == 3 and "None within" not in page  # the top 3 were searched
    write_exports(no_list, tmp_path / "none")
    sheet = pd.read_excel(tmp_path / "none" / "targets.xlsx", sheet_name="candidates")
    assert sheet["Note"].tolist() == ["No partners to train: no partner list supplied"]
    far = replace(base, candidates=base.candidates.iloc[0:0])  # partners exist, none near a target
    assert _visible(report.render_report(far)).count("None within 20 km") == 3
    write_exports(far, tmp_path / "far")
    sheet = pd.read_excel(tmp_path / "far" / "targets.xlsx", sheet_name="candidates")
    assert sheet["Note"].tolist() == ["No partners to train: none within 20 km of any target area"]


def test_the_report_table_lists_the_first_report_top_areas():
    page = report.render_report(tiny_result(settings=tiny_result().settings.replace(report_top=2)))
    assert page.count('<tr data-code="') == 2
    assert "The first 2 of 6 areas (the full list is in the CSV and XLSX exports)" in page


def test_a_held_average_is_still_named_an_average():
    held = gaps.shortfall({"benchmark": 2.72, "benchmark_held": "average"})
    assert not held.standard and held.column == "people_below_average"
    assert held.label == "people below the average access before the changes"
    assert gaps.shortfall({"benchmark": 2.72, "benchmark_held": "standard", "people_per_adviser": 200}).label == (
        "people's need unmet against one adviser per 200 people")
    assert gaps.shortfall({"benchmark": 5.0}).label == (
        "people's need unmet against a standard of 5.00 advisers per 1,000 people in need")
