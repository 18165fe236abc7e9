"""The real LAA provider-office directory (Nov 2015) through the loaders.

3,904 offices; 287 hold IMMAS (immigration and asylum); 278 of those have
lon/lat.  The other 9 are located at their postcode district's centroid from
uk_postcode_outcode_centroids_2014.csv, except Iris Law Firm (CR9 2ER): CR9 is a
Croydon PO-box district with no centroid in that file, so it is rejected.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import pytest

from coverage_gaps.geocode import PostcodeLookup
from coverage_gaps.io import load_laa_offices

pytestmark = pytest.mark.realdata

LAA = "laa_legal_aid_provider_offices_2015.csv"
DISTRICTS = "uk_postcode_outcode_centroids_2014.csv"


@pytest.fixture(scope="module")
def areas(real_data) -> gpd.GeoDataFrame:
    try:
        from coverage_gaps.io import load_areas
    except ImportError:  # pragma: no cover - only before the areas loader existed
        lad = gpd.read_file(real_data / "lad_dec2022_uk_buc.geojson")
        return lad.rename(columns={"LAD22CD": "area_code", "LAD22NM": "area_name"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_areas(real_data / "lad_dec2022_uk_buc.geojson").table


@pytest.fixture(scope="module")
def offices(real_data, areas):
    lookup = PostcodeLookup.from_files(districts=real_data / DISTRICTS)
    with pytest.warns(UserWarning, match=r"1 of 3904 LAA office rows rejected"):
        return load_laa_offices(real_data / LAA, geocoder=lookup, areas=areas)


def test_counts_reconcile(offices):
    assert offices.read == 3904
    assert offices.filtered == 3904 - 287  # offices without IMMAS
    assert offices.used + offices.rejected == 287
    assert (offices.used, offices.rejected) == (286, 1)
    assert offices.table["location_precision"].value_counts().to_dict() == {"exact": 278, "district": 8}


def test_offices_without_coordinates_are_located_at_district_or_rejected(offices):
    t = offices.table.set_index("provider_id")
    district = t[t["location_precision"] == "district"]
    assert sorted(district.index) == sorted(f"laa-{i}" for i in (719, 1459, 1475, 1914, 2639, 3369, 3695, 3763))
    # Islington Law Centre, N1 8UY: the N1 centroid (532000, 183800 in the centroid file).
    assert (t.loc["laa-1475", "geometry"].x, t.loc["laa-1475", "geometry"].y) == (532000.0, 183800.0)
    assert offices.rejects[["row", "column", "value"]].values.tolist() == [[3517, "postcode", "CR9 2ER"]]
    assert offices.rejects["reason"].iloc[0].startswith("unknown postcode: neither CR9 2ER nor its district CR9 is in")


def test_stoke_citizens_advice_is_an_laa_office_in_stoke(offices, areas):
    t = offices.table
    cab = t[t["name"].str.contains("Staffordshire North & Stoke-On-Trent", regex=False)]
    assert len(cab) == 1
    row = cab.iloc[0]
    assert (row["postcode"], row["laa_contract"], row["regulated"]) == ("ST1 1HL", True, False)
    assert (row["categories"], row["oisc_level"], row["capacity"]) == ("immigration;asylum", 0, 1.0)
    inside = gpd.sjoin(cab[["geometry"]], areas[["area_code", "geometry"]], predicate="within")
    assert inside["area_code"].tolist() == ["E06000021"]  # Stoke-on-Trent


def test_contract_fields(offices):
    t = offices.table
    assert t["provider_id"].is_unique and t["laa_contract"].all()
    assert t.crs.to_epsg() == 27700
    # 169 IMMAS offices are Solicitors; Iris Law Firm (a solicitor, CR9) is rejected.
    assert int(t["regulated"].sum()) == 168
    assert set(t["categories"]) == {"immigration;asylum"}


def test_without_a_postcode_lookup_the_nine_are_rejected(real_data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = load_laa_offices(real_data / LAA)
    assert (loaded.used, loaded.rejected, loaded.filtered) == (278, 9, 3617)
    assert set(loaded.rejects["reason"].str.split(".").str[0]) == {
        "postcode cannot be located: no postcode lookup was given"}
