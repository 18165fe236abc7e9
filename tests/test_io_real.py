"""Areas and demand loaders on the real open data (../shared/data/real; see PROVENANCE.md there).

Each file is loaded once per module.  Figures are the ones PROVENANCE.md checked by hand.
"""

from __future__ import annotations

import warnings

import pytest

from coverage_gaps import schema
from coverage_gaps.io import load_areas, load_asy_d11, load_demand_table, load_population, load_region_lookup

pytestmark = pytest.mark.realdata

STOKE, COVENTRY, BIRMINGHAM = "E06000021", "E08000026", "E08000025"
WEST_MIDLANDS = "E12000005"


def _quiet(load, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load(*args, **kwargs)


@pytest.fixture(scope="module")
def lads(real_data):
    return _quiet(load_areas, real_data / "lad_dec2022_uk_buc.geojson",
                  region_lookup=real_data / "lad22_to_region22_england_lookup.csv")


@pytest.fixture(scope="module")
def codes(lads):
    return set(lads.table[schema.AREA_CODE])


@pytest.fixture(scope="module")
def west_midlands(lads):
    t = lads.table
    return set(t.loc[t[schema.REGION_CODE] == WEST_MIDLANDS, schema.AREA_CODE])


@pytest.fixture(scope="module")
def asy(real_data, codes):
    return _quiet(load_asy_d11, real_data / "ho_asy_d11_asylum_support_by_la.csv", area_codes=codes)


def test_lads_all_374_loaded_in_bng_with_two_repaired(lads):
    t = lads.table
    assert (lads.read, lads.used, lads.rejected) == (374, 374, 0)
    assert t.crs.to_epsg() == 27700 and t.is_valid.all()
    assert t[schema.AREA_CODE].is_unique
    assert lads.notes == [
        "lad_dec2022_uk_buc.geojson: repaired 2 invalid area geometries with make_valid (polygonal parts kept): "
        "E06000024 North Somerset, E07000085 East Hampshire"
    ]
    named = t.set_index(schema.AREA_CODE)[schema.AREA_NAME]
    assert named[STOKE] == "Stoke-on-Trent" and named[COVENTRY] == "Coventry"


def test_region_lookup_gives_30_west_midlands_lads(real_data, lads, west_midlands):
    lookup = load_region_lookup(real_data / "lad22_to_region22_england_lookup.csv")
    assert len(lookup) == 309
    assert len(west_midlands) == 30 and {STOKE, COVENTRY, BIRMINGHAM} <= west_midlands
    # Scotland, Wales and Northern Ireland are outside the England-only lookup: they get their country code
    countries = lads.table.loc[~lads.table[schema.AREA_CODE].str.startswith("E"), schema.REGION_CODE]
    assert countries.value_counts().to_dict() == {"S92000003": 32, "W92000004": 22, "N92000002": 11}
    assert (lads.table[schema.REGION_CODE] == "").sum() == 0
    wm = _quiet(load_areas, real_data / "lad_dec2022_uk_buc.geojson",
                region_lookup=lookup, regions=[WEST_MIDLANDS])
    assert (wm.read, wm.used, wm.filtered, wm.rejected) == (374, 30, 344, 0)


@pytest.mark.parametrize("name, count", [("west_midlands_lsoa2011_bgc.geojson", 3487),
                                         ("west_midlands_msoa2011_bgc.geojson", 735)])
def test_west_midlands_lsoas_and_msoas_reprojected_from_wgs84(real_data, lads, name, count):
    loaded = _quiet(load_areas, real_data / name)
    t = loaded.table
    assert (loaded.read, loaded.used, loaded.rejected) == (count, count, 0)
    assert t.crs.to_epsg() == 27700 and t.is_valid.all()
    assert t[schema.AREA_CODE].str.startswith("E01" if "lsoa" in name else "E02").all()
    # every small area lies inside the West Midlands districts' outline (BNG metres, not degrees)
    wm = lads.table[lads.table[schema.REGION_CODE] == WEST_MIDLANDS]
    minx, miny, maxx, maxy = wm.total_bounds
    bx = t.total_bounds
    assert minx - 1000 <= bx[0] and bx[2] <= maxx + 1000 and miny - 1000 <= bx[1] and bx[3] <= maxy + 1000


def test_asy_d11_latest_is_september_2024(asy):
    assert asy.date == "2024-09-30"
    got = asy.table.set_index(schema.AREA_CODE)[schema.ASYLUM_SUPPORT]
    assert (got[STOKE], got[COVENTRY], got[BIRMINGHAM]) == (1281, 2017, 2476)
    assert asy.reconciles() and asy.read == 21743


def test_asy_d11_west_midlands_total(asy, west_midlands):
    t = asy.table[asy.table[schema.AREA_CODE].isin(west_midlands)]
    assert len(t) == 26
    assert t[schema.ASYLUM_SUPPORT].sum() == 11934


def test_asy_d11_new_2023_codes_are_split_over_their_2022_districts(asy):
    # Cumberland, Westmorland and Furness, North Yorkshire and Somerset are LAD23 codes: no row is rejected for them,
    # each is listed as harmonised with its people, and spread (equal shares here: no population given)
    moved = asy.harmonised.set_index("code")
    assert moved["people"].to_dict() == {"E06000063": 297, "E06000064": 179, "E06000065": 364, "E06000066": 240}
    assert set(moved["method"]) == {"split in equal shares (estimate)"}
    assert moved.loc["E06000063", "to_codes"] == "E07000026; E07000028; E07000029"
    got = asy.table.set_index(schema.AREA_CODE)[schema.ASYLUM_SUPPORT]
    assert got["E07000028"] == pytest.approx(99.0)  # Carlisle: a third of Cumberland's 297
    # the only rejected row: the people the Home Office places in no local authority, kept in people
    assert asy.rejects["reason"].tolist() == [
        "no area code (N/A - Subsistence Only (Dec 2023 - Sep 2024)); the row cannot be placed on an area"
    ]
    assert asy.rejects["row"].tolist() == [21744]  # the file's last line, as a spreadsheet numbers it
    assert asy.rejects["people"].tolist() == [2843]
    assert asy.unplaced[["reason", "people"]].values.tolist() == [["Home Office: Subsistence Only", 2843]]


def test_asy_d11_stoke_section_95_dispersal(real_data, codes):
    loaded = _quiet(load_asy_d11, real_data / "ho_asy_d11_asylum_support_by_la.csv", date="2024-09-30",
                    support_types=["Section 95"], accommodation_types=["Dispersal Accommodation"],
                    area_codes=codes)
    assert loaded.table.set_index(schema.AREA_CODE).loc[STOKE, schema.ASYLUM_SUPPORT] == 1040
    assert loaded.reconciles()


def test_nomis_all_ages_district_type(real_data, codes):
    loaded = _quiet(load_population, real_data / "nomis_mye2021_population_by_la_age_bands.csv",
                    area_codes=codes)
    got = loaded.table.set_index(schema.AREA_CODE)[schema.POPULATION]
    assert (got[STOKE], got[COVENTRY]) == (258037, 343320)
    assert len(loaded.table) == 374 and loaded.rejected == 0
    assert loaded.notes == ["nomis_mye2021_population_by_la_age_bands.csv: geography type "
                            "'local authorities: district / unitary (as of April 2021)'"]
    assert (loaded.read, loaded.used, loaded.filtered) == (11178, 374, 11178 - 374)


def test_imd_ltla_summary_table(real_data, codes):
    loaded = _quiet(load_demand_table, real_data / "imd2019_england_ltla22_aggregated.csv", area_codes=codes,
                    columns=["Score"])
    score = loaded.table.set_index(schema.AREA_CODE)["Score"]
    assert score[STOKE] == pytest.approx(34.50, abs=0.005) and score[COVENTRY] == pytest.approx(25.61, abs=0.005)
    assert (loaded.read, loaded.used, loaded.rejected) == (309, 309, 0)
