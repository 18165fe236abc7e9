"""Boundary vintages (issue 12) and demand sanity checks (issue 14, item 1), on tiny fixtures with pinned messages."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest
from conftest import BAD

from coverage_gaps import errors, schema, vintages
from coverage_gaps.io import load_asy_d11
from coverage_gaps.measures import flags
from coverage_gaps.measures.benchmark import coverage_countries, in_coverage

AREAS = {"E06000021", "E08000026", "W06000015"}  # Stoke-on-Trent, Coventry, Cardiff
CUMBRIA_22 = {"E07000026", "E07000027", "E07000028", "E07000029", "E07000030", "E07000031"}


def _quiet(path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_asy_d11(BAD / path, **options)


# --- harmonising --------------------------------------------------------------


def test_a_successor_is_split_over_its_predecessors_by_population():
    table = pd.DataFrame({schema.AREA_CODE: ["E06000063"], "people": [300.0]})
    weights = pd.Series({"E07000026": 100.0, "E07000028": 200.0, "E07000029": 300.0})
    out, moved = vintages.harmonise(table, "people", CUMBRIA_22, weights=weights, input_name="x", date="2024-09-30")
    # 300 people over Allerdale, Carlisle, Copeland in the ratio 1 : 2 : 3
    assert out.set_index(schema.AREA_CODE)["people"].to_dict() == {"E07000026": 50.0, "E07000028": 100.0,
                                                                   "E07000029": 150.0}
    assert moved.to_dict("records") == [{"input": "x", "date": "2024-09-30", "code": "E06000063",
                                         "to_codes": "E07000026; E07000028; E07000029", "people": 300.0,
                                         "method": "split by population (estimate)"}]


def test_codes_already_on_the_boundaries_come_out_as_the_moving_path_would_give_them():
    table = pd.DataFrame({schema.AREA_CODE: pd.array(["E08000026", "E06000021", "X99", "W06000015"], dtype="string"),
                          "people": [5.0, float("nan"), 7.0, 2.0]})
    codes = table[schema.AREA_CODE].astype(str)
    mapping = vintages.resolve(codes, AREAS)
    quick = vintages.harmonise(table, "people", AREAS, input_name="x", date="2024-09-30")
    moving = vintages._moved(table, codes, "people", mapping, weights=None, weight_label="population",
                             changes=vintages._builtin(), input_name="x", date="2024-09-30")
    for got, want in zip(quick, moving):
        pd.testing.assert_frame_equal(got, want)
    assert quick[0]["people"].tolist()[1:] == [5.0, 2.0] and quick[0]["people"].isna().tolist()[0]  # sorted by code
    assert quick[1].empty and list(quick[1].columns) == vintages.HARMONISED_COLUMNS


def test_without_weights_a_successor_is_split_in_equal_shares_and_says_so():
    table = pd.DataFrame({schema.AREA_CODE: ["E06000064"], "people": [179.0]})
    out, moved = vintages.harmonise(table, "people", CUMBRIA_22)
    assert out["people"].tolist() == pytest.approx([179 / 3] * 3)
    assert moved["method"].tolist() == ["split in equal shares (estimate)"]


def test_predecessors_are_summed_into_their_successor_and_recodes_move_whole():
    table = pd.DataFrame({schema.AREA_CODE: ["E07000028", "E07000026", "S12000046", "E06000021"],
                          "people": [5.0, 7.0, 20.0, 100.0]})
    out, moved = vintages.harmonise(table, "people", {"E06000063", "S12000049", "E06000021"})
    assert out.set_index(schema.AREA_CODE)["people"].to_dict() == {"E06000021": 100.0, "E06000063": 12.0,
                                                                   "S12000049": 20.0}
    assert moved.set_index("code")["method"].to_dict() == {
        "E07000026": "summed into its successor", "E07000028": "summed into its successor", "S12000046": "recoded"}


def test_two_step_chains_resolve_both_ways():
    # Taunton Deane (2019 into Somerset West and Taunton, 2023 into Somerset) onto LAD23 boundaries, and back
    assert vintages.resolve(["E07000190"], {"E06000066"}) == {"E07000190": ("E06000066",)}
    older = {"E07000187", "E07000188", "E07000189", "E07000190", "E07000191"}
    assert vintages.resolve(["E06000066"], older)["E06000066"] == tuple(sorted(older))


# --- the loader: harmonised, unplaced in people, sanity checks --------------------


def test_a_code_unknown_in_every_vintage_is_rejected_with_its_people():
    loaded = _quiet("demand_asy_d11_unknown_code.csv", area_codes=AREAS)
    assert loaded.rejects["reason"].tolist() == [
        "code E06000921 (Stoke typo) matches no area in the boundaries, in any boundary vintage the built-in code "
        "changes know; check the code, or name an ONS code lookup in the profile ([inputs.code_lookup])"]
    assert loaded.rejects["people"].tolist() == [12.0]
    assert loaded.unplaced[["reason", "people"]].values.tolist() == [
        ["code unknown in every boundary vintage (E06000921)", 12.0]]
    assert "12 people on asylum support could not be placed in an area (code unknown in every boundary vintage " \
           "(E06000921))" in loaded.notes


def test_a_future_latest_date_is_refused_naming_both_dates():
    with pytest.raises(errors.InvalidValueError) as info:
        load_asy_d11(BAD / "demand_asy_d11_future_date.csv", area_codes=AREAS, today="2026-11-29")
    assert str(info.value) == (
        "demand_asy_d11_future_date.csv, column 'Date': the latest date in the file, 2099-09-30, is after the date "
        "of this run, 2026-11-29 (got '2099-09-30'; expected figures dated on or before the run date). Fix: correct "
        "or delete the future-dated rows, or pin a date in the profile (date = \"2024-09-30\").")
    # pinning a date is the way out
    assert _quiet("demand_asy_d11_future_date.csv", area_codes=AREAS, today="2026-11-29",
                  date="2024-06-30").table["asylum_support"].sum() == 2400


def test_a_latest_quarter_naming_far_fewer_areas_is_refused():
    with pytest.raises(errors.InvalidValueError) as info:
        load_asy_d11(BAD / "demand_asy_d11_partial_quarter.csv", area_codes=AREAS)
    assert str(info.value) == (
        "demand_asy_d11_partial_quarter.csv, column 'Date': the latest date, 2024-09-30, names 1 area(s), far fewer "
        "than the 3 of the date before, 2024-06-30; it looks like a partial or stray quarter (got '2024-09-30'; "
        "expected at least 50% of the areas of the date before). Fix: pin a date in the profile "
        "(date = \"2024-06-30\"), or complete the file.")


def test_the_date_used_is_stated_with_the_areas_it_covers():
    loaded = _quiet("demand_asy_d11_unknown_code.csv", area_codes=AREAS)
    assert loaded.notes[0] == "demand_asy_d11_unknown_code.csv: figures for 2024-09-30, naming 3 area code(s)"


def test_an_exact_repeat_of_a_row_is_a_reject_not_a_sum():
    loaded = _quiet("demand_asy_d11_duplicate_rows.csv", area_codes=AREAS)
    assert loaded.table.set_index(schema.AREA_CODE)["asylum_support"].to_dict() == {"E06000021": 1040.0,
                                                                                    "E08000026": 1800.0}
    assert loaded.rejects[["row", "reason", "people"]].values.tolist() == [
        [4, "the row repeats row 2 exactly; a repeated row is not added again", 1040.0]]
    assert loaded.reconciles()


def test_two_rows_with_one_key_are_both_rejected():
    loaded = _quiet("demand_asy_d11_duplicate_keys.csv", area_codes=AREAS)
    assert loaded.table[schema.AREA_CODE].tolist() == ["E06000021"]  # Coventry is not 1,800 + 311
    reason = ("rows 3, 4 give the same area, support type and accommodation type for this date (code E08000026); "
              "which one is right cannot be told, so none is used")
    assert loaded.rejects[["row", "reason"]].values.tolist() == [[3, reason], [4, reason]]
    assert loaded.unplaced["people"].tolist() == [2111.0]


def test_an_implausible_count_is_rejected_and_the_limit_can_be_raised():
    loaded = _quiet("demand_asy_d11_implausible_people.csv", area_codes=AREAS)
    assert loaded.rejects["reason"].tolist() == [
        "People 250,000 is above the plausible limit of 100,000 for one row; if it is right, raise max_people in "
        "the profile's [[inputs.demand]]"]
    raised = _quiet("demand_asy_d11_implausible_people.csv", area_codes=AREAS, max_people=1_000_000)
    assert raised.table["asylum_support"].sum() == 251_040


# --- ONS lookups named by a profile ---------------------------------------------


def test_a_lookup_file_adds_code_changes(tmp_path):
    path = tmp_path / "lad23_lad24.csv"
    path.write_text("LAD23CD,LAD23NM,LAD24CD,LAD24NM\nE06000021,Stoke-on-Trent,E06000999,Stoke (new)\n"
                    "E08000026,Coventry,E08000026,Coventry\n")
    extra = vintages.read_lookup(path)
    assert extra[["old_code", "new_code", "date"]].values.tolist() == [["E06000021", "E06000999", "2024"]]
    changes = vintages.code_changes(extra)
    assert vintages.resolve(["E06000021"], {"E06000999"}, changes=changes) == {"E06000021": ("E06000999",)}


@pytest.mark.parametrize("name, error, message", [
    ("lookup_one_code_column.csv", errors.MissingColumnError,
     "lookup_one_code_column.csv: a code lookup needs two district code columns of different years (expected ONS "
     "columns such as LAD22CD and LAD23CD; the file has 'LAD22CD', 'LAD22NM', 'ObjectId'). Fix: give the ONS "
     "'Local Authority District (yy) to Local Authority District (zz)' lookup as CSV."),
    ("lookup_two_successors.csv", errors.InvalidValueError,
     "lookup_two_successors.csv, column 'LAD23CD': code E07000030 is mapped to two successors (E06000064, "
     "E06000063); a figure for it cannot be placed on one of them (got 'E07000030'; expected one successor per "
     "old code (a merger or a recode)). Fix: give the figures on the boundaries that have both parts, or remove "
     "the split from the lookup."),
    ("lookup_blank_code.csv", errors.InvalidValueError,
     "lookup_blank_code.csv, row 3, column 'LAD23CD': a code is blank (expected a district code on every row). "
     "Fix: fill in or delete the row."),
])
def test_a_malformed_lookup_is_refused_with_a_pinned_message(name, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        vintages.read_lookup(BAD / name)


# --- flags and coverage ------------------------------------------------------------


def test_no_recorded_need_no_data_and_outside_coverage_are_never_flagged():
    m = pd.DataFrame({
        schema.ACCESS: [0.0, 0.0, 0.0, 0.1, 0.1],
        schema.COVERAGE_SHARE: [0.0, 0.0, 0.0, 1.0, 1.0],
        schema.DEMAND: [10.0, 0.0, float("nan"), 10.0, 10.0],
        schema.IN_COVERAGE: [True, True, True, True, False],
    })
    desert, drought = flags(m, benchmark=3.0)
    assert desert.tolist() == [True, False, False, False, False]
    assert drought.tolist() == [False, False, False, True, False]


def test_coverage_territories_in_words():
    assert coverage_countries(["England and Wales"]) == ("EW", "England and Wales")
    assert coverage_countries(["England", "Scotland"]) == ("ES", "England and Scotland")
    assert coverage_countries([None], study_codes=["E06000021", "W06000015"]) == ("EW", "England and Wales")
    assert coverage_countries([None], study_codes=["X06000001"]) == ("", "")  # the demo: no ONS codes
    assert in_coverage(["E06000021", "S12000049", "N09000003", "X06000001"], "EW").tolist() == [
        True, False, False, True]
    with pytest.raises(errors.InvalidValueError, match="unknown coverage territory"):
        coverage_countries(["Englund"])


def test_a_table_of_scores_is_not_moved_between_vintages(tmp_path):
    from coverage_gaps.io import load_demand_table

    path = tmp_path / "imd_ltla24.csv"
    path.write_text("ltla24_code,imd_score\nE06000021,33.6\nE06000063,25.0\n")
    with pytest.warns(UserWarning):
        loaded = load_demand_table(path, area_codes=AREAS | CUMBRIA_22)
    assert loaded.table[schema.AREA_CODE].tolist() == ["E06000021"]
    assert loaded.rejects["reason"].tolist() == [
        "code E06000063 is a district of another boundary vintage; a table of any figures is not moved between "
        "vintages (a score or rate cannot be summed or split): give the table on the boundaries' vintage"]
