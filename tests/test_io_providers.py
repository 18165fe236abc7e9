"""Partner lists and the LAA directory: contract columns, spellings, locations and pinned rejects.

A tiny world: two hand-drawn square "areas" in British National Grid (Stoke
380-395 km E, 340-355 km N; Coventry 425-440 km E, 272-287 km N) and a postcode
lookup of five full postcodes plus six district centroids (tests/data/geocode_*).
Birmingham (B1) lies in neither square.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

import coverage_gaps as cg
from coverage_gaps.errors import AllRowsRejectedError, InvalidValueError, MissingColumnError
from coverage_gaps.geocode import PostcodeLookup, lonlat_to_bng
from coverage_gaps.io import PARTNER_COLUMNS, load_laa_offices, load_partners
from coverage_gaps.schema import CRS_BNG, IAAS_GRADE, PROVIDER_COLUMNS, REJECT_COLUMNS

from conftest import BAD, ROOT, TEST_DATA

MIXED = TEST_DATA / "providers_partners_mixed_headers.csv"


@pytest.fixture(scope="module")
def lookup() -> PostcodeLookup:
    return PostcodeLookup.from_files(postcodes=TEST_DATA / "geocode_postcodes_onspd.csv",
                                     districts=TEST_DATA / "geocode_districts.csv")


@pytest.fixture(scope="module")
def areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"area_code": ["E06000021", "E08000026"], "area_name": ["Stoke-on-Trent", "Coventry"]},
                            geometry=[box(380_000, 340_000, 395_000, 355_000), box(425_000, 272_000, 440_000, 287_000)],
                            crs=CRS_BNG)


def _load(path, *, loader=load_partners, **kwargs):
    """Load without the 'some rows rejected' warning (asserted separately); counts must reconcile."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        loaded = loader(path, **kwargs)
    assert loaded.read == loaded.used + loaded.filtered + loaded.rejected
    return loaded


def _rejects(loaded) -> list[tuple]:
    return [(int(r.row), r.column, r.value, r.reason) for r in loaded.rejects.itertuples()]


# --- the good path -------------------------------------------------------------


def test_partner_list_with_other_header_spellings(lookup, areas):
    loaded = load_partners(MIXED, geocoder=lookup, areas=areas)
    t = loaded.table
    assert (loaded.read, loaded.used, loaded.filtered, loaded.rejected) == (5, 5, 0, 0)
    assert list(t.columns[:len(PROVIDER_COLUMNS)]) == [c for c in PROVIDER_COLUMNS if c != "geometry"] + [IAAS_GRADE]
    assert t.crs == CRS_BNG and t.geometry.name == "geometry"
    assert t["provider_id"].tolist() == [f"providers-partners-mixed-headers-{r}" for r in range(2, 7)]
    assert t["oisc_level"].tolist() == [2, 1, 0, 2, 0]  # Level 2, L1, 0, 2, none
    assert t["categories"].tolist() == ["immigration;asylum", "immigration", "", "asylum", ""]
    assert t["laa_contract"].tolist() == [False, False, True, False, False]
    assert t["regulated"].tolist() == [False, False, True, False, False]
    assert t["capacity"].tolist() == [2.0, 1.0, 3.5, 1.0, 0.0]  # blank capacity means 1
    assert t["status"].tolist() == ["partner", "prospective", "", "trained", ""]
    assert t["postcode"].tolist() == ["ST4 7QB", "CV6 1AA", "CV1 2GT", "", "ST1 1HL"]
    assert t["location_precision"].tolist() == ["postcode", "district", "exact", "exact", "postcode"]
    assert t["iaas_grade"].tolist() == ["", "", "", "Senior Caseworker", ""]
    assert set(t["source"]) == {"providers_partners_mixed_headers.csv"}
    # Coordinates win over the postcode when both are given (row 4); postcodes go through the lookup.
    x, y = lonlat_to_bng([-1.5106, -2.17753], [52.4081, 53.026097])
    np.testing.assert_allclose(t.geometry.x, [387600, 433000, x[0], x[1], 388270], atol=0.01)
    np.testing.assert_allclose(t.geometry.y, [345100, 282000, y[0], y[1], 347537], atol=0.01)
    # Private columns are carried as they are (never published: see PUBLIC_PROVIDER_FIELDS).
    assert t["Email"].tolist()[1] == "hub@example.org" and t["Notes"].tolist()[1] == "call first"
    assert loaded.notes == [
        "private columns, carried but never published: 'Email', 'Notes'",
        "1 row(s) located at their postcode district's centroid (location_precision 'district')",
        "no id column: provider_id made from the file name and row (e.g. providers-partners-mixed-headers-2)",
    ]


def test_easting_northing_and_an_id_column(lookup):
    loaded = load_partners(TEST_DATA / "providers_partners_eastings.csv", geocoder=lookup)
    t = loaded.table
    assert t["provider_id"].tolist() == ["P-1", "P-2"]
    assert t["oisc_level"].tolist() == [3, 1]
    assert list(zip(t.geometry.x, t.geometry.y)) == [(433000.0, 278500.0), (387600.0, 345100.0)]
    assert t["location_precision"].tolist() == ["exact", "exact"]
    # A malformed postcode does not matter when the row has coordinates: it is left blank and said so.
    assert t["postcode"].tolist() == ["", ""]
    assert loaded.notes[0] == ("1 row(s) with coordinates have a malformed postcode: located by the coordinates, "
                               "postcode left blank")


def test_column_mapping_overrides_detection(tmp_path, lookup):
    path = tmp_path / "register.csv"
    path.write_text("Adviser org,Accreditation,Where\nTown Advice (fictional),Level 3,CV1 5RW\n")
    loaded = load_partners(path, geocoder=lookup, source="iaa-register",
                           columns={"name": "Adviser org", "oisc_level": "accreditation", "postcode": "Where"})
    assert loaded.table[["provider_id", "name", "oisc_level", "postcode", "source"]].values.tolist() == [
        ["iaa-register-2", "Town Advice (fictional)", 3, "CV1 5RW", "iaa-register"]]
    with pytest.raises(MissingColumnError, match=r"mapped column for 'status' not found \(got 'Stage'"):
        load_partners(path, geocoder=lookup, columns={"name": "Adviser org", "status": "Stage"})
    with pytest.raises(InvalidValueError, match="unknown field in the column mapping"):
        load_partners(path, geocoder=lookup, columns={"organisation": "Adviser org"})


def test_xlsx_with_title_rows_reports_spreadsheet_rows(tmp_path, lookup):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Partners"
    sheet.append(["West Midlands partner list (fictional)"])
    sheet.append([])
    sheet.append(["Name", "IAA level", "Capacity", "Postcode"])
    sheet.append(["Hall Advice (fictional)", 2, 1.5, "ST4 7QB"])
    sheet.append(["Bridge Advice (fictional)", 4, 1, "CV1 2GT"])
    path = tmp_path / "partners.xlsx"
    book.save(path)
    loaded = _load(path, sheet="Partners", geocoder=lookup)
    assert loaded.table[["name", "oisc_level", "capacity"]].values.tolist() == [["Hall Advice (fictional)", 2, 1.5]]
    assert [(r[0], r[1], r[2]) for r in _rejects(loaded)] == [(5, "IAA level", "4")]


def test_blank_rows_are_skipped_not_counted(tmp_path, lookup):
    path = tmp_path / "gappy.csv"
    path.write_text("name,postcode\nA (fictional),ST4 7QB\n,\nB (fictional),CV1 2GT\n")
    loaded = load_partners(path, geocoder=lookup)
    assert (loaded.read, loaded.used) == (2, 2)
    assert loaded.table["provider_id"].tolist() == ["gappy-2", "gappy-4"]  # spreadsheet rows kept
    assert "1 blank row(s) skipped" in loaded.notes


def test_template_loads_and_every_column_is_documented(lookup):
    template = ROOT / "data" / "templates" / "partners_template.csv"
    readme = (ROOT / "data" / "templates" / "README.md").read_text()
    rows = {}  # README table: first cell (field names) -> the whole row
    for line in readme.splitlines():
        if line.startswith("| `"):
            rows[line.split("|")[1]] = line
    header = template.read_text().splitlines()[0].split(",")
    assert set(header) - {"contact_email", "notes"} <= set(PARTNER_COLUMNS)
    for field, spellings in PARTNER_COLUMNS.items():
        row = next((r for cell, r in rows.items() if f"`{field}`" in cell), None)
        assert row is not None, f"{field} is not documented"
        for spelling in spellings:  # every accepted header is listed
            assert f"`{spelling}`" in row, (field, spelling)
    loaded = load_partners(template, geocoder=lookup)
    t = loaded.table
    assert (loaded.read, loaded.used) == (3, 3)
    assert t["provider_id"].tolist() == ["EXAMPLE-1", "EXAMPLE-2", "EXAMPLE-3"]
    assert t["name"].str.contains("fictional").all()
    assert t["oisc_level"].tolist() == [2, 1, 0]
    assert t["status"].tolist() == ["partner", "prospective", "trained"]
    assert t["location_precision"].tolist() == ["postcode", "exact", "postcode"]


def test_loaded_providers_feed_the_supply_rule(lookup):
    table = load_partners(MIXED, geocoder=lookup).table
    # asylum: Level 2 + Asylum (rows 2, 5) or LAA/regulated (row 4); Level 1 never.
    assert cg.measures.is_qualifying(table, rule="asylum").tolist() == [True, False, True, True, False]


# --- the bad-input corpus -------------------------------------------------------


def test_malformed_postcode(lookup):
    loaded = _load(BAD / "providers_malformed_postcode.csv", geocoder=lookup)
    assert (loaded.read, loaded.used, loaded.rejected) == (2, 1, 1)
    assert _rejects(loaded) == [(3, "postcode", "ST4 7Q", "malformed postcode (got 'ST4 7Q'; expected a UK postcode "
                                 "such as 'ST1 1HL'). Fix: correct the postcode, or give latitude and longitude.")]
    assert list(loaded.rejects.columns) == REJECT_COLUMNS
    assert set(loaded.rejects["file"]) == {"providers_malformed_postcode.csv"}


def test_unknown_postcode(lookup):
    loaded = _load(BAD / "providers_unknown_postcode.csv", geocoder=lookup)
    assert _rejects(loaded) == [(3, "postcode", "ZE1 0AA", "unknown postcode: neither ZE1 0AA nor its district ZE1 "
                                 "is in the postcode lookup (got 'ZE1 0AA'). Fix: check the postcode, or give "
                                 "latitude and longitude.")]


def test_postcode_without_any_lookup_is_rejected_with_the_fix():
    with pytest.raises(AllRowsRejectedError) as err:
        load_partners(BAD / "providers_unknown_postcode.csv")
    assert err.value.rejects["row"].tolist() == [2, 3]
    assert set(err.value.rejects["reason"]) == {
        "postcode cannot be located: no postcode lookup was given. Fix: give a postcode file (profile "
        "[inputs.postcodes] or [inputs.postcode_districts]; in Python geocoder=PostcodeLookup.from_files(...)), "
        "or add latitude and longitude."}


def test_oisc_level_4_and_two(lookup):
    loaded = _load(BAD / "providers_oisc_levels.csv", geocoder=lookup)
    reason = ("OISC level not recognised (got '{}'; expected 0, 1, 2 or 3, written like 2, 'Level 2' or 'L2'; "
              "blank or 'none' means not accredited). Fix: write the OISC/IAA level as a number from 0 to 3.")
    assert _rejects(loaded) == [(3, "OISC level", "4", reason.format("4")),
                                (4, "OISC level", "two", reason.format("two"))]
    assert loaded.table["oisc_level"].tolist() == [2]


def test_negative_capacity(lookup):
    loaded = _load(BAD / "providers_negative_capacity.csv", geocoder=lookup)
    assert _rejects(loaded) == [(3, "capacity", "-2", "capacity is negative (got '-2'; expected advisers or FTE as a "
                                 "number, 0 or more; blank means 1). Fix: write the number of advisers or FTE (0 for "
                                 "none).")]
    assert loaded.table["capacity"].tolist() == [1.5]


def test_duplicate_provider_rows_keep_the_first(lookup):
    loaded = _load(BAD / "providers_duplicates.csv", geocoder=lookup)
    assert (loaded.read, loaded.used, loaded.rejected) == (6, 4, 2)
    assert _rejects(loaded) == [
        (4, "name", "twice advice (FICTIONAL)", "duplicate provider: same name and location as row 2"),
        (7, "name", "Pinned Advice (fictional)", "duplicate provider: same name and location as row 6"),
    ]
    # Same name elsewhere (row 5, Coventry) and another name at the same postcode (row 3) are kept.
    assert loaded.table["provider_id"].tolist() == [f"providers-duplicates-{r}" for r in (2, 3, 5, 6)]


def test_duplicate_provider_id(tmp_path, lookup):
    path = tmp_path / "ids.csv"
    path.write_text("id,name,postcode\nP1,One (fictional),ST4 7QB\nP1,Two (fictional),CV1 2GT\n")
    assert _rejects(_load(path, geocoder=lookup)) == [(3, "id", "P1", "duplicate provider_id: already used on row 2")]


def test_point_outside_every_area(lookup, areas):
    loaded = _load(BAD / "providers_outside_areas.csv", geocoder=lookup, areas=areas)
    assert (loaded.used, loaded.rejected) == (1, 1)
    assert _rejects(loaded) == [(3, "postcode", "easting 406500, northing 286500",
                                 "point outside every area (got 'easting 406500, northing 286500 (postcode B1 1BB)'). "
                                 "Fix: check the coordinates or postcode, or load boundaries that cover this place.")]
    # Without areas the same row is used.
    assert _load(BAD / "providers_outside_areas.csv", geocoder=lookup).used == 2


def test_areas_without_crs_stop_the_load(lookup, areas):
    from coverage_gaps.errors import MissingCRSError

    with pytest.raises(MissingCRSError, match="the areas declare no coordinate reference system"):
        load_partners(MIXED, geocoder=lookup, areas=areas.set_crs(None, allow_override=True))


def test_latitude_longitude_swapped_outside_uk_or_half_given():
    loaded = _load(BAD / "providers_latlon_swapped.csv")
    assert (loaded.read, loaded.used, loaded.rejected) == (4, 1, 3)
    assert _rejects(loaded) == [
        (3, "lat", "-1.8", "latitude and longitude look swapped (got 'latitude -1.8, longitude 52.4'; expected "
         "latitude 49 to 61.5 and longitude -11 to 2.5 in the UK). Fix: swap the two values: in the UK latitude is "
         "about 50 to 60, longitude about -8 to 2."),
        (4, "lat", "0", "latitude/longitude outside the UK (got 'latitude 0, longitude 0'; expected latitude 49 to "
         "61.5 and longitude -11 to 2.5 in the UK). Fix: check the coordinates (WGS84 decimal degrees, e.g. 52.4 and "
         "-1.5)."),
        (5, "lat", "52.4", "latitude given without longitude (got '52.4'). Fix: add the longitude, or leave both "
         "blank and give a postcode."),
    ]


def test_grid_references_swapped_or_not_numbers(tmp_path):
    path = tmp_path / "grid.csv"
    path.write_text("name,easting,northing,lat,lon\n"
                    "Ok (fictional),433000,278500,,\n"
                    "Scotland swapped (fictional),960000,320000,,\n"
                    "Typo (fictional),43300O,278500,,\n"
                    "Comma (fictional),,,52.4,x\n")
    loaded = _load(path)
    assert [(r[0], r[1], r[2], r[3].split(" (got")[0]) for r in _rejects(loaded)] == [
        (3, "easting", "960000", "easting and northing look swapped"),
        (4, "easting", "43300O", "easting is not a number"),
        (5, "lon", "x", "longitude is not a number"),
    ]


def test_row_without_any_location(lookup):
    loaded = _load(BAD / "providers_no_location.csv", geocoder=lookup)
    assert _rejects(loaded) == [(3, None, None, "no location (expected latitude and longitude, easting and northing, "
                                 "or a postcode). Fix: add a postcode or coordinates for this row.")]


def test_missing_name_column_names_the_accepted_spellings():
    with pytest.raises(MissingColumnError) as err:
        load_partners(BAD / "providers_no_name_column.csv")
    assert str(err.value) == (
        "providers_no_name_column.csv: no name column (expected a header named one of 'name', 'organisation', "
        "'organization', 'organisation name', 'organization name', 'provider', 'provider name', 'partner name', "
        "'office name', 'firm', 'firm name'). Fix: rename the column to 'name', or map it: columns={'name': 'Your header'}."
    )
    assert isinstance(err.value, ValueError)


def test_file_without_location_columns(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("name,level\nA (fictional),2\n")
    with pytest.raises(MissingColumnError, match=r"^names.csv: no location column \(expected a postcode or "
                       r"coordinate column \(latitude: 'latitude', 'lat'; "):
        load_partners(path)


def test_other_field_problems_are_rejects(tmp_path, lookup):
    path = tmp_path / "fields.csv"
    path.write_text("name,categories,laa_contract,status,capacity,postcode\n"
                    "A (fictional),Housing,no,partner,1,ST4 7QB\n"
                    "B (fictional),Immigration,maybe,partner,1,ST4 7QB\n"
                    "C (fictional),Immigration,no,friend,1,ST4 7QB\n"
                    "D (fictional),Immigration,no,partner,lots,ST4 7QB\n"
                    ",Immigration,no,partner,1,ST4 7QB\n"
                    "F (fictional),Immigration/Asylum,yes,Trained,1,ST4 7QB\n")
    loaded = _load(path, geocoder=lookup)
    assert [(r[0], r[1], r[3].split(" (got")[0]) for r in _rejects(loaded)] == [
        (2, "categories", "category not recognised"), (3, "laa_contract", "not a yes/no value"),
        (4, "status", "status not recognised"), (5, "capacity", "capacity is not a number"),
        (6, "name", "no name: every provider needs a name")]
    assert loaded.table[["categories", "laa_contract", "status"]].values.tolist() == [
        ["immigration;asylum", True, "trained"]]


def test_warns_when_some_rows_rejected_and_raises_when_all_are(lookup):
    with pytest.warns(UserWarning, match=r"providers_oisc_levels.csv: 2 of 3 provider rows rejected"):
        load_partners(BAD / "providers_oisc_levels.csv", geocoder=lookup)
    with pytest.raises(AllRowsRejectedError, match=r"all 2 provider rows were rejected; the first, row 2: no name"):
        load_partners(BAD / "providers_no_location.csv", columns={"name": "notes"}, geocoder=lookup)


# --- LAA directory --------------------------------------------------------------


def test_laa_directory_sample(lookup, areas):
    with pytest.warns(UserWarning, match="2 of 6 LAA office rows rejected"):
        loaded = load_laa_offices(TEST_DATA / "providers_laa_directory_sample.csv", geocoder=lookup, areas=areas)
    assert (loaded.read, loaded.used, loaded.filtered, loaded.rejected) == (6, 3, 1, 2)
    t = loaded.table
    assert t["provider_id"].tolist() == ["laa-11", "laa-13", "laa-15"]
    assert t["laa_contract"].all() and set(t["oisc_level"]) == {0} and set(t["capacity"]) == {1.0}
    assert t["regulated"].tolist() == [True, False, False]  # only the Solicitor
    assert set(t["categories"]) == {"immigration;asylum"} and set(t["status"]) == {""}
    assert t["location_precision"].tolist() == ["exact", "district", "exact"]
    assert (t.geometry.x.iloc[1], t.geometry.y.iloc[1]) == (433000.0, 282000.0)  # CV6 centroid
    assert t["laa_categories"].tolist() == ["IMMAS;HOU", "DEB;IMMAS", "IMMAS"]
    assert t["telephone"].iloc[0] == "01234 567890"  # carried, never published
    assert _rejects(loaded) == [
        (5, "postcode", "ZE1 0AA", "unknown postcode: neither ZE1 0AA nor its district ZE1 is in the postcode lookup "
         "(got 'ZE1 0AA'). Fix: check the postcode, or give latitude and longitude."),
        (7, "office_id", "11", "duplicate office_id: the same office as row 2"),
    ]


def test_laa_other_categories_and_missing_columns(tmp_path):
    loaded = _load(TEST_DATA / "providers_laa_directory_sample.csv", categories=("MAT",), loader=load_laa_offices)
    assert (loaded.read, loaded.used, loaded.filtered) == (6, 1, 5)
    assert loaded.table["categories"].tolist() == [""]  # MAT is no immigration category
    path = tmp_path / "laa.csv"
    path.write_text("office_id,organisation,postcode,lon,lat\n1,A,ST1 1HL,-2.1,53.0\n")
    with pytest.raises(MissingColumnError, match=r"^laa.csv: no categories column \(expected a header named one of "
                       r"'categories', 'category codes'\)"):
        load_laa_offices(path)


def test_reject_table_is_empty_but_well_formed_when_all_is_well(lookup):
    loaded = load_partners(MIXED, geocoder=lookup)
    assert list(loaded.rejects.columns) == REJECT_COLUMNS and len(loaded.rejects) == 0
    assert isinstance(loaded.table, gpd.GeoDataFrame)
    assert pd.api.types.is_bool_dtype(loaded.table["laa_contract"])
