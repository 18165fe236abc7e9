"""Suspicious inputs (tests/data/bad/, written by tests/data/make_bad_inputs.py): refused or reported, never absorbed.

Each case pins what an analyst sees: the error message, or the reject reason
with its row and column, or the note; and the counts reconcile.  The tiny
world: postcodes ST4 7QB (Stoke-on-Trent), CV1 2GT and CV1 5RW (Coventry) from
tests/data/geocode_postcodes_onspd.csv; areas from areas_three_districts.geojson.
"""

from __future__ import annotations

import os
import warnings

import pytest

from coverage_gaps.config import load_profile
from coverage_gaps.errors import AllRowsRejectedError, InvalidValueError, MissingColumnError, ProfileError
from coverage_gaps.geocode import PostcodeLookup
from coverage_gaps.io import (load_areas, load_laa_offices, load_partners, read_region_lookup,
                              reject_orphan_subareas)

from conftest import BAD, TEST_DATA

AREAS = TEST_DATA / "areas_three_districts.geojson"
CODES = {"E06000021", "E08000026", "W06000015"}
FORMULA_FIX = ("formula cell with no saved value: the workbook was saved without calculated values, so the cell "
               "reads as blank (got {!r}). Fix: open the workbook in Excel (or LibreOffice) and save it, so the "
               "values are stored; or type the value in place of the formula.")
CLEANED = ("{file}: {n} cell(s) held control characters (a line break from Word, a tab or a terminal escape "
           "sequence), cleaned: escape sequences removed, other control characters made spaces: {where}")


@pytest.fixture(scope="module")
def lookup() -> PostcodeLookup:
    return PostcodeLookup.from_files(postcodes=TEST_DATA / "geocode_postcodes_onspd.csv")


def _load(name, loader=load_partners, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        loaded = loader(BAD / name, **kwargs)
    assert loaded.read == loaded.used + loaded.filtered + loaded.rejected
    return loaded


def _rejects(loaded) -> list[tuple]:
    return [(int(r.row), r.column, r.value, r.reason) for r in loaded.rejects.itertuples()]


# --- header guessing that protects people ---------------------------------------------


def test_organisation_column_beats_a_contact_persons_name(lookup):
    loaded = _load("providers_organisation_and_contact_columns.csv", geocoder=lookup)
    assert list(loaded.table["name"]) == ["Stoke Advice (fictional)", "Coventry Advice (fictional)"]
    assert loaded.notes[0] == ("private columns, carried but never published: 'Name', 'Contact', 'Phone', 'Email', "
                               "'Notes'")


def test_two_organisation_columns_stop_and_ask_for_a_mapping(lookup):
    with pytest.raises(MissingColumnError) as err:
        _load("providers_two_organisation_columns.csv", geocoder=lookup)
    assert str(err.value) == (
        "providers_two_organisation_columns.csv: several columns could be the organisation's name: 'Organisation', "
        "'Provider name' (expected one column named like an organisation (organisation, provider, firm, office "
        "name)). Fix: say which one in the profile's [[inputs.providers]]: columns = { name = \"Organisation\" } "
        "(in Python: columns={'name': 'Organisation'}).")
    with pytest.raises(InvalidValueError) as err:
        _load("providers_two_organisation_columns.csv", geocoder=lookup, columns={"name": 1})
    assert str(err.value) == ("the column mapping for 'name' is not a header (got 1; expected the file's header as "
                              "text, e.g. {'name': 'Organisation'}). Fix: write the header exactly as the file has "
                              "it, in quotes.")
    mapped = _load("providers_two_organisation_columns.csv", geocoder=lookup, columns={"name": "Provider name"})
    assert list(mapped.table["name"]) == ["Stoke Advice (fictional)"]


# --- numbers ------------------------------------------------------------------------------


def test_a_decimal_comma_is_a_reject_never_ten_times_the_number(lookup):
    loaded = _load("providers_capacity_decimal_comma.csv", geocoder=lookup)
    assert _rejects(loaded) == [(2, "capacity", "1,5",
                                 "capacity has a decimal comma (got '1,5'; expected advisers or FTE as a number, 0 or "
                                 "more; blank means 1, written with a decimal point (1.5); a comma only between "
                                 "thousands (1,500)). Fix: write the number with a decimal point, or, if the whole "
                                 "file uses decimal commas, declare decimal = \",\" for this input in the profile "
                                 "(load_partners(decimal=\",\") in Python).")]
    assert list(loaded.table["capacity"]) == [1500.0, 2.5]  # a thousands comma is still read


def test_a_file_declared_with_decimal_commas_reads_them_as_decimals(lookup):
    loaded = _load("providers_capacity_decimal_comma_declared.csv", geocoder=lookup, decimal=",")
    assert list(loaded.table["capacity"]) == [1.5, 1500.5]
    assert [(r, c, v) for r, c, v, _ in _rejects(loaded)] == [(4, "capacity", "2.5")]
    assert "capacity has a decimal point in a file declared to use decimal commas" in loaded.rejects["reason"][0]


def test_implausible_capacities_never_reach_the_measures(lookup):
    with pytest.raises(AllRowsRejectedError) as err:
        _load("providers_capacity_implausible.csv", geocoder=lookup)
    reasons = [(int(r.row), r.reason.split(" (")[0]) for r in err.value.rejects.itertuples()]
    assert reasons == [(2, "capacity above the plausible maximum for one office"),
                       (3, "capacity above the plausible maximum for one office"),
                       (4, "capacity is not a number")]
    assert "(got '1e308'; expected at most 10,000 advisers, FTE or matter starts per office)" in str(err.value)
    raised = _load("providers_capacity_implausible.csv", geocoder=lookup, max_capacity=50_000)
    assert list(raised.table["capacity"]) == [20_000.0] and raised.rejected == 2


# --- spreadsheets read as a person sees them ---------------------------------------------


def test_the_visible_sheet_is_read_not_a_hidden_one_before_it(lookup):
    loaded = _load("providers_hidden_sheet_first.xlsx", geocoder=lookup)
    assert loaded.used == 3
    assert loaded.notes[0] == "providers_hidden_sheet_first.xlsx: read worksheet 'Partners'; hidden sheet(s) skipped: 'Old list'"
    named = _load("providers_hidden_sheet_first.xlsx", geocoder=lookup, sheet="Old list")
    assert named.used == 1 and named.notes[0].endswith("read worksheet 'Old list' (hidden, named in the profile)")


def test_a_workbook_whose_table_is_hidden_says_so(lookup):
    with pytest.raises(InvalidValueError) as err:
        _load("providers_only_hidden_sheets.xlsx", geocoder=lookup)
    assert str(err.value) == ("providers_only_hidden_sheets.xlsx: the workbook has no visible worksheet. Fix: unhide "
                              "the sheet with the table (right-click a tab > Unhide), or name it with sheet =.")


def test_a_chart_sheet_before_the_data_sheet_is_skipped(lookup):
    loaded = _load("providers_chart_sheet_first.xlsx", geocoder=lookup)
    assert loaded.used == 3 and loaded.notes[0] == "providers_chart_sheet_first.xlsx: read worksheet 'Partners'"
    with pytest.raises(InvalidValueError) as err:
        _load("providers_chart_sheet_first.xlsx", geocoder=lookup, sheet="Capacity chart")
    assert str(err.value) == ("providers_chart_sheet_first.xlsx: the sheet is a chart, not a table (got 'Capacity "
                              "chart'; expected one of the worksheets 'Partners'). Fix: name the worksheet that "
                              "holds the table.")


def test_a_formula_without_a_saved_value_is_a_reject_not_a_default(lookup):
    loaded = _load("providers_formula_without_value.xlsx", geocoder=lookup)
    assert _rejects(loaded) == [(3, "capacity", "=D2*2", FORMULA_FIX.format("=D2*2"))]
    assert list(loaded.table["name"]) == ["Stoke Advice (fictional)", "Spon End Advice (fictional)"]


def test_an_laa_formula_without_a_saved_value_is_a_reject(lookup):
    formula = '=CONCATENATE("Coventry ", "Law")'
    loaded = _load("laa_formula_without_value.xlsx", loader=load_laa_offices, geocoder=lookup)
    assert _rejects(loaded) == [(3, "organisation", formula, FORMULA_FIX.format(formula))]


@pytest.mark.parametrize("name, loader, column, cells, names", [
    ("providers_control_characters.csv", load_partners, "name", "column 'name' row 2; column 'name' row 3",
     ["Stoke Advice (fictional)", "Coventry Advice (fictional)"]),
    ("providers_terminal_escapes.csv", load_partners, "name", "column 'name' row 2", ["Red Advice (fictional)"]),
    ("laa_control_characters.csv", load_laa_offices, "organisation", "column 'organisation' row 2",
     ["Stoke Law (fictional)"]),
])
def test_control_characters_are_cleaned_before_any_writer_and_noted(lookup, name, loader, column, cells, names):
    loaded = _load(name, loader=loader, geocoder=lookup)
    assert list(loaded.table["name"]) == names
    assert loaded.notes[0] == CLEANED.format(file=name, n=len(names), where=cells)


def test_control_characters_in_area_names_are_cleaned_and_noted():
    loaded = _load("areas_control_characters.geojson", loader=load_areas)
    assert list(loaded.table["area_name"]) == ["Stoke-on-Trent", "Cov entry"]
    assert loaded.notes == ["areas_control_characters.geojson: 2 area name(s) held control characters or escape "
                            "sequences, cleaned (escape sequences removed, other control characters made spaces): "
                            "Stoke-on-Trent, Cov entry"]


# --- every input reconciles, lookups included ---------------------------------------------


def test_a_blank_region_code_is_a_reject_and_the_area_is_named():
    lookup = _load("region_lookup_blank_region.csv", loader=read_region_lookup, area_codes=CODES)
    assert _rejects(lookup) == [(3, "RGN22CD", "E08000026",
                                 "blank region code: area E08000026 would belong to no region and fall out of every "
                                 "study region. Fix: give the area's region code (e.g. E12000005 West Midlands), or "
                                 "remove the row.")]
    areas = load_areas(AREAS, region_lookup=lookup.table)
    assert areas.notes == ["areas_three_districts.geojson: 1 area(s) have no region in the region lookup, so they lie "
                           "outside every study region: E08000026 Coventry (add them to the lookup if they belong "
                           "to one)"]


def test_an_area_missing_from_the_lookup_is_named():
    lookup = _load("region_lookup_missing_area.csv", loader=read_region_lookup, area_codes=CODES)
    assert (lookup.read, lookup.used, lookup.rejected) == (1, 1, 0)
    notes = load_areas(AREAS, region_lookup=lookup.table).notes
    assert notes == [n for n in notes if "E08000026 Coventry" in n] and len(notes) == 1


@pytest.mark.parametrize("name, expected", [
    ("region_lookup_repeated_rows.csv",
     (4, "LAD22CD", "E06000021", "repeated row: area E06000021 is already mapped to E12000005 on row 2")),
    ("region_lookup_blank_area_code.csv", (3, "LAD22CD", "E12000005", "blank area code: the row maps no area")),
])
def test_lookup_rows_that_cannot_be_used_are_rejects(name, expected):
    assert _rejects(_load(name, loader=read_region_lookup, area_codes=CODES)) == [expected]


def test_lookup_rows_for_other_areas_are_filtered_with_a_note():
    lookup = _load("region_lookup_repeated_rows.csv", loader=read_region_lookup, area_codes={"E06000021"})
    assert (lookup.read, lookup.used, lookup.filtered, lookup.rejected) == (3, 1, 1, 1)
    assert lookup.notes == ["1 row(s) name areas not in the boundary file (another vintage or another country?), "
                            "left out: E08000026"]


def test_sub_areas_whose_parent_is_unknown_are_rejects():
    areas = load_areas(AREAS).table
    sub = reject_orphan_subareas(_load("subareas_unknown_parent.geojson", loader=load_areas), areas,
                                 parent_column="LAD_CODE")
    assert (sub.read, sub.used, sub.rejected) == (3, 2, 1)
    assert _rejects(sub) == [(2, "LAD_CODE", "E01000002",
                              "sub-area E01000002: its parent area 'E08000099' is not in the area boundaries, so its "
                              "people cannot be placed. Fix: check the parent column and that both files are one "
                              "vintage.")]


def test_sub_areas_outside_every_area_are_rejects():
    sub = reject_orphan_subareas(_load("subareas_outside_areas.geojson", loader=load_areas), load_areas(AREAS).table)
    assert sub.reconciles() and _rejects(sub) == [
        (2, "geometry", "E01000009", "sub-area E01000009 lies in no area of the area boundaries, so its people cannot "
                                     "be placed")]


def test_overlapping_areas_are_noted():
    assert _load("areas_overlapping.geojson", loader=load_areas).notes == [
        "areas_overlapping.geojson: 2 area(s) overlap another area, so people and providers there could count in "
        "both: E06000021 lies in E99999999, E99999999 lies in E06000021 (check the file holds one geography of one "
        "vintage)"]


def test_postcode_file_rows_are_used_filtered_or_rejected():
    (name, loaded), = PostcodeLookup.from_files(postcodes=BAD / "postcodes_bad_rows.csv").inputs().items()
    assert name == "postcodes" and loaded.reconciles()
    assert (loaded.read, loaded.used, loaded.filtered, loaded.rejected) == (5, 2, 1, 2)
    assert _rejects(loaded) == [(4, "postcode", "NOT A CODE", "not a valid postcode: the row cannot be looked up"),
                                (5, "postcode", "ST4 7QB", "repeated postcode: the first row with it is used")]


# --- tracebacks replaced by analyst errors ---------------------------------------------


def test_a_table_given_as_the_areas_file_is_named_as_such():
    with pytest.raises(InvalidValueError) as err:
        load_areas(BAD / "areas_given_as_table.csv")
    assert str(err.value) == (
        "areas_given_as_table.csv: a table was given as the area boundaries (expected a boundary file with polygons: "
        "GeoJSON, GeoPackage, Shapefile or GeoParquet). Fix: give the boundaries (e.g. ONS LAD boundaries as GeoJSON "
        "from the Open Geography Portal); a table of area codes belongs in [[inputs.demand]] or "
        "[inputs.region_lookup].")


def test_a_symlink_loop_is_a_profile_problem_not_a_traceback(tmp_path):
    os.symlink(tmp_path / "b.geojson", tmp_path / "a.geojson")
    os.symlink(tmp_path / "a.geojson", tmp_path / "b.geojson")
    profile = tmp_path / "p.toml"
    profile.write_text('[inputs.areas]\npath = "a.geojson"\n')
    with pytest.raises(ProfileError) as err:
        load_profile(profile)
    assert err.value.problems == [
        f"[inputs.areas] path 'a.geojson': {tmp_path / 'a.geojson'} is a symbolic link that leads nowhere (a loop "
        "of links, or a missing target); point it at the file itself"]
    with pytest.raises(FileNotFoundError, match="a.geojson: area boundaries file is a symbolic link that leads "
                                                "nowhere"):
        load_areas(tmp_path / "a.geojson")


# --- settings that mean nothing are errors ---------------------------------------------


@pytest.mark.parametrize("name, problem", [
    ("profile_benchmark_word.toml",
     "[analysis] benchmark = 'twelve': expected 'all' (every provider's supply per demand) or a number above 0"),
    ("profile_min_demand_nan.toml", "[analysis] min_demand = nan: expected a number, not NaN (nan means nothing here)"),
    ("profile_candidate_km_negative.toml",
     "[analysis] candidate_km = -1: expected a number at least 0 and at most 1,000"),
    ("profile_catchment_zero.toml", "[analysis] catchment_km = 0: expected a number above 0 and at most 1,000"),
    ("profile_top_zero.toml", "[analysis] top = 0: expected a whole number at least 1"),
    ("profile_drought_share_above_one.toml", "[analysis] drought_share = 1.5: expected a number above 0 and at most 1"),
    ("profile_decay_table_unsorted.toml",
     "[analysis] decay_table = [[20, 0.5], [10, 1.0]]: expected upper_km above 0 and rising from step to step"),
    ("profile_rank_by_unknown.toml",
     "[analysis] rank_by = 'need': expected one of unmet_demand, demand, nearest_km, demand_per_10k, access, "
     "coverage_share, capacity_per_1k_demand"),
    ("profile_sources_misspelt.toml", "[sources.area] names no input of this profile; did you mean [sources.areas]?"),
    ("profile_columns_name_number.toml",
     "[inputs.providers] columns = {'name': 1}: name = 1: expected the file's header as text, e.g. "
     "{ name = \"Organisation\" }"),
    ("profile_decimal_unknown.toml", "[inputs.providers] decimal = ';': expected one of '.', ','"),
    ("profile_generated_on_impossible.toml",
     "[profile] generated_on = '2026-02-30': expected a real date written YYYY-MM-DD, e.g. 2026-01-31"),
])
def test_a_setting_that_means_nothing_is_refused(name, problem):
    with pytest.raises(ProfileError) as err:
        load_profile(BAD / name)
    assert err.value.problems == [problem]


def test_bad_settings_are_reported_together_and_in_overrides(tmp_path):
    profile = BAD / "profile_benchmark_word.toml"
    with pytest.raises(ProfileError) as err:
        load_profile(profile, overrides={"min_demand": float("nan"), "candidate_km": -1})
    assert [p.split(":")[0] for p in err.value.problems] == [
        "[analysis] benchmark = 'twelve'", "--set min_demand = nan", "--set candidate_km = -1"]


def test_rank_by_choices_match_the_ranking_measures():
    from coverage_gaps.config import _SCHEMA
    from coverage_gaps.gaps import RANK_MEASURES

    assert set(_SCHEMA["analysis"]["rank_by"].choices) == set(RANK_MEASURES)


@pytest.mark.parametrize("catchment_km", [30.0, 100.0, 2.5, 33.0])
def test_the_explorer_slider_holds_the_profiles_catchment_never_clamps_it(catchment_km):
    w = pytest.importorskip("ipywidgets")
    from coverage_gaps.widgets import catchment_range

    slider = w.FloatSlider(value=catchment_km, **catchment_range(catchment_km))
    assert slider.value == catchment_km and slider.min <= 5.0 and slider.max >= 80.0
