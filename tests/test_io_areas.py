"""Area boundaries and the region lookup: contract, CRS checks, repairs and pinned errors."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from shapely.geometry import box
from conftest import BAD, TEST_DATA

from coverage_gaps import errors, schema
from coverage_gaps.io import load_areas, load_region_lookup, match_column, read_table

THREE = TEST_DATA / "areas_three_districts.geojson"
LOOKUP = TEST_DATA / "areas_region_lookup_bom.csv"


def test_ons_columns_become_the_areas_contract_in_bng():
    loaded = load_areas(THREE)
    t = loaded.table
    assert list(t.columns[:2]) == [schema.AREA_CODE, schema.AREA_NAME]
    assert t.geometry.name == "geometry" and t.crs.to_epsg() == 27700
    assert t[schema.AREA_CODE].tolist() == ["E06000021", "E08000026", "W06000015"]
    assert t[schema.AREA_NAME].tolist() == ["Stoke-on-Trent", "Coventry", "Cardiff"]
    assert t.area.tolist() == [4_000_000.0, 9_000_000.0, 1_000_000.0]  # 2 km, 3 km and 1 km squares
    assert "OBJECTID" in t.columns and "LAD22CD" not in t.columns  # others carried, code/name renamed
    assert (loaded.read, loaded.used, loaded.filtered, loaded.rejected) == (3, 3, 0, 0)


def test_named_columns_override_detection():
    t = load_areas(THREE, code_column="OBJECTID", name_column="LAD22CD").table
    assert t[schema.AREA_CODE].tolist() == ["1", "2", "3"]
    assert t[schema.AREA_NAME].tolist() == ["E06000021", "E08000026", "W06000015"]


def test_finest_ons_code_wins_and_wgs84_is_reprojected():
    # LSOA file that also carries its district code: LSOA11CD (2 distinct) beats LAD22CD (1)
    t = load_areas(TEST_DATA / "areas_lsoa_wgs84.geojson").table
    assert t[schema.AREA_CODE].tolist() == ["E01000001", "E01000002"]
    assert t[schema.AREA_NAME].tolist() == ["Meridian 001A", "Meridian 001B"]
    assert t.crs.to_epsg() == 27700
    # the first square straddles the BNG central meridian (2 deg W = easting 400 km, within the datum shift)
    assert abs(t.geometry.iloc[0].centroid.x - 400_000) < 200
    # 0.02 x 0.02 degrees at 52.5 N: 1.357 km x 2.224 km, about 3.02 km2
    assert t.area.iloc[0] == pytest.approx(3.02e6, rel=0.01)


def test_region_lookup_adds_regions_and_the_country_for_welsh_areas_it_does_not_cover():
    t = load_areas(THREE, region_lookup=LOOKUP).table
    assert t[schema.REGION_CODE].tolist() == ["E12000005", "E12000005", "W92000004"]
    assert t[schema.REGION_NAME].tolist() == ["West Midlands", "West Midlands", "Wales"]


def test_regions_keep_only_those_areas_and_count_the_rest_as_filtered():
    loaded = load_areas(THREE, region_lookup=LOOKUP, regions=["E12000005"])
    assert loaded.table[schema.AREA_CODE].tolist() == ["E06000021", "E08000026"]
    assert (loaded.read, loaded.used, loaded.filtered, loaded.rejected) == (3, 2, 1, 0)
    assert loaded.reconciles()


def test_region_lookup_accepts_the_loaded_table():
    lookup = load_region_lookup(LOOKUP)
    assert list(lookup.columns) == [schema.AREA_CODE, schema.REGION_CODE, schema.REGION_NAME]
    assert lookup[schema.AREA_CODE].tolist()[0] == "E06000021"  # BOM stripped from the first header
    t = load_areas(THREE, region_lookup=lookup, regions="E12000005").table
    assert len(t) == 2


def test_regions_matching_no_area_is_an_error_listing_the_lookups_regions():
    with pytest.raises(errors.InvalidValueError, match=re.escape(
        "areas_three_districts.geojson: no area lies in the requested region(s) (got 'E12000009'; "
        "expected region codes from the lookup: E12000005, W92000004)."
    )):
        load_areas(THREE, region_lookup=LOOKUP, regions=["E12000009"])


def test_regions_without_a_lookup_says_what_is_needed():
    with pytest.raises(errors.InvalidValueError, match="regions= needs a region lookup"):
        load_areas(THREE, regions=["E12000005"])


def test_lookup_without_region_column_is_a_missing_column_error(tmp_path):
    path = tmp_path / "lookup.csv"
    path.write_text("LAD22CD,LAD22NM\nE06000021,Stoke-on-Trent\n")
    with pytest.raises(errors.MissingColumnError, match="no region code column in the region lookup"):
        load_region_lookup(path)


# --- the bad-input corpus: pinned messages ------------------------------------


def test_missing_code_column():
    with pytest.raises(errors.MissingColumnError) as info:
        load_areas(BAD / "areas_missing_code_column.geojson")
    assert str(info.value) == (
        "areas_missing_code_column.geojson: no area code column found (expected an ONS code column such as "
        "LAD22CD or LSOA11CD, or 'area_code'; the file has 'district', 'id'). "
        "Fix: pass code_column= (code_column in the profile's [inputs.areas])."
    )


def test_named_column_absent():
    with pytest.raises(errors.MissingColumnError, match=re.escape("column 'LAD23CD' not found")):
        load_areas(THREE, code_column="LAD23CD")


def test_no_crs_names_the_fix():
    with pytest.raises(errors.MissingCRSError) as info:
        load_areas(BAD / "areas_no_crs.shp")
    assert str(info.value) == (
        "areas_no_crs.shp: the file declares no coordinate reference system (CRS) (expected a CRS such as "
        "EPSG:27700 (British National Grid) or EPSG:4326 (longitude/latitude)). Fix: the coordinates look like "
        "EPSG:27700; set it with ogr2ogr -a_srs EPSG:27700 out.gpkg in.shp or geopandas gdf.set_crs('EPSG:27700')."
    )
    assert isinstance(info.value, ValueError)


def test_lon_lat_swapped():
    with pytest.raises(errors.InvalidValueError) as info:
        load_areas(BAD / "areas_lonlat_swapped.geojson")
    assert str(info.value).startswith(
        "areas_lonlat_swapped.geojson: longitude and latitude look swapped: x values are latitudes of Great "
        "Britain and y values longitudes (got 'bounds (52.4, -2.2, 53.05, -1.45)'"
    )
    assert "GeoJSON is [longitude, latitude]" in str(info.value)


def test_degrees_declared_as_bng():
    with pytest.raises(errors.InvalidValueError, match=re.escape(
        "areas_degrees_declared_bng.geojson: coordinates look like degrees (longitude/latitude) but the file "
        "declares EPSG:27700 (metres)"
    )):
        load_areas(BAD / "areas_degrees_declared_bng.geojson")


def test_metres_declared_as_degrees():
    with pytest.raises(errors.InvalidValueError, match=re.escape(
        "areas_metres_declared_wgs84.geojson: coordinates look like metres but the file declares EPSG:4326"
    )):
        load_areas(BAD / "areas_metres_declared_wgs84.geojson")


def test_invalid_geometry_is_repaired_with_a_warning_naming_the_area():
    with pytest.warns(UserWarning, match=re.escape(
        "areas_invalid_bowtie.geojson: repaired 1 invalid area geometry with make_valid (polygonal parts kept): "
        "E08000026 Coventry"
    )):
        loaded = load_areas(BAD / "areas_invalid_bowtie.geojson")
    t = loaded.table.set_index(schema.AREA_CODE)
    assert t.is_valid.all()
    # the bow-tie becomes its two 1 km2 triangles
    assert t.geometry["E08000026"].geom_type == "MultiPolygon"
    assert t.area["E08000026"] == pytest.approx(2_000_000.0)
    assert any("E08000026 Coventry" in n for n in loaded.notes)
    assert loaded.rejected == 0


def test_duplicate_codes_list_codes_and_rows():
    with pytest.raises(errors.DuplicateCodeError) as info:
        load_areas(BAD / "areas_duplicate_codes.geojson")
    assert str(info.value) == (
        "areas_duplicate_codes.geojson, column 'LAD22CD': 1 area code(s) appear on more than one feature: "
        "E06000021 (rows 1, 3) (expected one feature per area code). Fix: dissolve the features by code "
        "(geopandas dissolve, or QGIS Dissolve) or remove the repeats."
    )


def test_null_geometry_is_rejected_with_its_row():
    with pytest.warns(UserWarning, match="1 of 3 area rows rejected"):
        loaded = load_areas(BAD / "areas_null_geometry.geojson")
    assert loaded.table[schema.AREA_CODE].tolist() == ["E06000021", "E08000025"]
    r = loaded.rejects.iloc[0]
    assert (r["row"], r["column"], r["value"]) == (2, "geometry", "E08000026")
    assert r["reason"] == "geometry is empty or missing; the area cannot be mapped"
    assert loaded.reconciles()


def test_empty_file_and_missing_file(tmp_path):
    with pytest.raises(errors.EmptyInputError, match="areas_no_features.geojson: the file holds no features"):
        load_areas(BAD / "areas_no_features.geojson")
    with pytest.raises(errors.InputFileNotFoundError) as info:
        load_areas(tmp_path / "nowhere.geojson")
    assert "nowhere.geojson: area boundaries file not found" in str(info.value)
    assert "Fix: check the path and file name" in str(info.value)


def test_features_outside_the_uk_are_rejected_not_fatal(tmp_path):
    gdf = load_areas(THREE).table.rename(columns={schema.AREA_CODE: "LAD22CD", schema.AREA_NAME: "LAD22NM"})
    gdf.loc[3] = ["E99999999", "Far Away", 4, box(2_000_000, 0, 2_001_000, 1_000)]  # 1,600 km east of GB
    gdf.to_file(tmp_path / "stray.gpkg")
    with pytest.warns(UserWarning, match="1 of 4 area rows rejected"):
        loaded = load_areas(tmp_path / "stray.gpkg")
    assert loaded.rejects["reason"].tolist() == [
        "area E99999999 lies outside the United Kingdom (check its coordinates)"
    ]
    assert loaded.used == 3


# --- shared readers -----------------------------------------------------------


def test_match_column_ignores_case_spaces_and_punctuation():
    cols = ["Date", "LAD_code", "Local-Authority"]
    assert match_column(cols, ["LAD Code"]) == "LAD_code"
    assert match_column(cols, "local authority") == "Local-Authority"
    assert match_column(cols, ["People", "Persons"]) is None


def test_read_table_cp1252_csv_decodes_names():
    df, first = read_table(BAD / "demand_cp1252_names.csv")
    assert df["area_name"].tolist() == ["Caf\u00e9 Stoke \u2013 Hanley", "Coventry"]
    assert first == 2 and df.attrs["encoding"] == "cp1252"


def test_read_table_finds_the_header_below_title_rows():
    df, first = read_table(BAD / "demand_asy_d11_title_rows.xlsx", header_hint=["Date", "LAD Code", "People"])
    assert df.attrs["sheet"] == "Data - Asy_D11"  # found by its header, after the cover sheet
    assert df.attrs["header_row"] == 5 and first == 6
    assert df.columns.tolist()[:2] == ["Date", "Support Type"]
    assert df["Date"].iloc[0] == "2024-09-30"  # a spreadsheet date, as ISO text
    assert df["People"].iloc[0] == "1040"  # whole numbers without ".0"
    # without a hint: the first mostly-filled row is the header too
    assert read_table(BAD / "demand_asy_d11_title_rows.xlsx", sheet="Data - Asy_D11")[1] == 6


def test_read_table_unknown_sheet_lists_the_sheets():
    with pytest.raises(errors.InvalidValueError, match=re.escape(
        "worksheet not found (got 'Data'; expected one of 'Cover sheet', 'Data - Asy_D11')"
    )):
        read_table(BAD / "demand_asy_d11_title_rows.xlsx", sheet="Data")


def test_read_table_keeps_na_text_and_blank_cells_missing(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("code,value\nE1,NA\nE2,\n\n")
    df, first = read_table(path)
    assert df["value"].iloc[0] == "NA" and pd.isna(df["value"].iloc[1])
    assert len(df) == 2  # trailing blank line is not a row


def test_geopackage_layers(tmp_path):
    t = load_areas(THREE).table
    path = tmp_path / "districts.gpkg"
    t.iloc[:2].to_file(path, layer="england")
    t.iloc[2:].to_file(path, layer="wales")
    assert load_areas(path, layer="wales").table[schema.AREA_CODE].tolist() == ["W06000015"]
    with pytest.warns(UserWarning, match=re.escape("districts.gpkg has 2 layers (england, wales); reading the first")):
        assert len(load_areas(path).table) == 2
    with pytest.raises(errors.InvalidValueError, match=re.escape(
        "districts.gpkg: layer not found (got 'scotland'; expected one of 'england', 'wales')"
    )):
        load_areas(path, layer="scotland")
