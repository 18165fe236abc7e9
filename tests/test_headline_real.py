"""Issue 13 on the real profiles: gap categories, data currency, supply counted, and the headline figures
of `run --json` checked against an independent pandas computation from the raw files."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest

from coverage_gaps import report
from coverage_gaps.cli import main
from coverage_gaps.config import load_profile
from coverage_gaps.pipeline import run_profile

from conftest import ROOT

pytestmark = pytest.mark.realdata

WM = ROOT / "data" / "profiles" / "west-midlands.toml"
EW = ROOT / "data" / "profiles" / "england-wales.toml"
HEREFORDSHIRE, COVENTRY = "E06000019", "E08000026"


@pytest.fixture(scope="module")
def wm(real_data):
    return run_profile(WM, data_dir=real_data, trend=True)  # the trend for the report's main points (issue 15)


def test_west_midlands_no_area_with_a_shortfall_is_at_or_above(wm):
    t = wm.targets.set_index("area_code")
    short = t[t["unmet_demand"] > 0]
    assert len(short) > 15
    assert not short["gap"].eq("at or above").any()
    assert set(short["gap"]) <= {"desert", "part desert", "drought", "below average"}
    # Wychavon: 56% of its need beyond 30 km of a qualifying provider
    assert t.loc["E07000238", "gap"] == "part desert"
    assert t.loc["E07000238", "share_beyond_reach"] == pytest.approx(0.564, abs=0.001)
    assert "56% of the need more than 30 km from a qualifying adviser" in t.loc["E07000238", "reason"]


def test_herefordshire_reads_part_desert_when_it_has_people_on_support(real_data, wm):
    # At 2024-09-30 Asy_D11 lists nobody in Herefordshire: no recorded need, never a desert or drought.
    assert wm.targets.set_index("area_code").loc[HEREFORDSHIRE, "gap"] in ("no recorded need", "no data")
    profile = load_profile(WM, data_dir=real_data)
    profile.inputs["demand"][0]["date"] = "2023-12-31"  # its last quarter with people on support (136)
    t = run_profile(profile).targets.set_index("area_code")
    assert t.loc[HEREFORDSHIRE, "demand"] == 136
    assert t.loc[HEREFORDSHIRE, "gap"] == "part desert"
    assert t.loc[HEREFORDSHIRE, "share_beyond_reach"] > 0.5


def test_west_midlands_counts_one_unit_per_organisation(wm):
    # Coventry Law Centre's three CV1 offices count once: access 1.5 per 1,000; against the England and Wales
    # average (the LAA directory's coverage, issue 12) that is about 930 people below average
    coventry = wm.targets.set_index("area_code").loc[COVENTRY]
    assert coventry["access"] == pytest.approx(1.47, abs=0.01)
    assert coventry["unmet_demand"] == pytest.approx(coventry["demand"] * (1 - coventry["access"] / wm.benchmark))
    assert coventry["unmet_demand"] == pytest.approx(930, abs=1)
    cv1 = wm.providers[wm.providers["name"].eq("Coventry Law Centre Ltd") & wm.providers["area_code"].eq(COVENTRY)]
    supply = cv1[cv1["qualifying"]]
    # its offices in other categories of law are loaded as candidates to train: they take no share of the unit
    assert len(supply) == 3 and supply["capacity"].sum() == pytest.approx(1.0) and len(cv1) > len(supply)


def _visible(page: str) -> str:
    import re
    return " ".join(re.sub(r"<[^>]+>", " ", page).replace("&#39;", "'").split())


def test_west_midlands_report_banner_and_method(wm):
    page = _visible(report.render_report(wm))
    start = page.index("Data currency.")
    banner = page[start:page.index("Headline figures", start)]
    assert "2015-11" in banner and "2024-09-30" in banner
    method = page[page.index("Method and caveats"):page.index("Caveats", page.index("Method and caveats") + 20)]
    supply = method[method.index("Supply counted:"):method.index("Capacity")]
    counted = supply.split("Not supplied")[0]
    assert "Legal Aid Agency immigration contract offices" in counted and "OISC" not in counted  # only LAA offices
    # the LAA directory, read as supply and as candidates, is named once; the candidates are a partner list
    assert supply.count("Legal aid provider offices (Legal Aid Agency directory), dated 2015-11") == 1
    assert "Not supplied: no OISC/IAA register, so" in supply
    assert "OISC/IAA Level 2+ advisers and regulated lawyers are not counted" in supply
    assert "one unit in each area it has offices in" in method


def test_west_midlands_cli_warns_and_lists_candidates_from_other_law(real_data, tmp_path, capsys):
    assert main(["run", str(WM), "--data-dir", str(real_data), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("WARNING: Out-of-date supply data:") and "2015-11" in out.splitlines()[0]
    sheet = pd.read_excel(tmp_path / "targets.xlsx", sheet_name="candidates")
    # the profile's candidates: LAA offices in other categories of law, none holding an immigration contract
    offices = pd.read_csv(real_data / "laa_legal_aid_provider_offices_2015.csv")
    immas = set("laa-" + offices.loc[offices["categories"].fillna("").str.contains("IMMAS"), "office_id"].astype(str))
    ids = sheet[[c for c in sheet.columns if "provider" in c.lower() and "id" in c.lower()][0]].astype(str)
    assert len(sheet) > 0 and ids.str.startswith("laa-").all() and not set(ids) & immas
    header = pd.read_csv(tmp_path / "targets.csv", nrows=0).columns
    assert "people_below_average" in header and "unmet_demand" not in header


def _independent_headline(real: "Path") -> tuple[float, int]:
    """Share of residents in a district with no IMMAS office, and districts with > 100 people and no office."""
    lad = gpd.read_file(real / "lad_dec2022_uk_buc.geojson")
    lad = lad[lad["LAD22CD"].str[0].isin(["E", "W"])][["LAD22CD", "geometry"]]
    pop = pd.read_csv(real / "nomis_mye2021_population_by_la_age_bands.csv")
    pop = pop[pop["GEOGRAPHY_TYPE"].eq("local authorities: district / unitary (as of April 2021)")
              & pop["C_AGE_NAME"].eq("All Ages")].set_index("GEOGRAPHY_CODE")["OBS_VALUE"]
    asy = pd.read_csv(real / "ho_asy_d11_asylum_support_by_la.csv")
    people = asy[asy["Date"].eq("2024-09-30")].groupby("LAD Code")["People"].sum()
    offices = pd.read_csv(real / "laa_legal_aid_provider_offices_2015.csv")
    offices = offices[offices["categories"].fillna("").str.contains("IMMAS")].copy()
    outcodes = pd.read_csv(real / "uk_postcode_outcode_centroids_2014.csv").set_index("postcode")
    missing = offices["lon"].isna()
    outward = offices.loc[missing, "postcode"].str.split().str[0]
    offices.loc[missing, "lon"] = outward.map(outcodes["longitude"]).to_numpy()
    offices.loc[missing, "lat"] = outward.map(outcodes["latitude"]).to_numpy()
    points = gpd.GeoDataFrame(offices, geometry=gpd.points_from_xy(offices["lon"], offices["lat"]), crs="EPSG:4326")
    hit = gpd.sjoin(points.to_crs(lad.crs), lad, predicate="intersects")
    with_office = set(hit["LAD22CD"])
    districts = pd.DataFrame({"code": lad["LAD22CD"]})
    districts["pop"] = districts["code"].map(pop)
    # April 2023 councils over the LAD 2022 districts they replaced: split by the districts' 2021 population
    replaced = {"E06000063": ["E07000026", "E07000028", "E07000029"],
                "E06000064": ["E07000027", "E07000030", "E07000031"],
                "E06000065": [f"E0700016{d}" for d in range(3, 10)],
                "E06000066": ["E07000187", "E07000188", "E07000189", "E07000246"]}
    people = people.astype(float)
    for successor, olds in replaced.items():
        weights = pop.reindex(olds).astype(float)
        for old, w in weights.items():
            people[old] = people.get(old, 0.0) + people.get(successor, 0.0) * w / weights.sum()
    districts["people"] = districts["code"].map(people).fillna(0)
    districts["none"] = ~districts["code"].isin(with_office)
    share = districts.loc[districts["none"], "pop"].sum() / districts["pop"].sum()
    return float(share), int((districts["none"] & (districts["people"] > 100)).sum())


def test_england_and_wales_json_headline_matches_pandas_on_the_raw_files(real_data, tmp_path, capsys):
    assert main(["run", str(EW), "--data-dir", str(real_data), "--out", str(tmp_path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)  # one JSON document and nothing else
    share, count = _independent_headline(real_data)
    head = doc["headline"]
    assert head["residents_without_local_provider_share"]["value"] == pytest.approx(share, abs=1e-9)
    assert head["areas_over_min_without_local_provider"]["value"] == count
    assert 0.3 < share < 0.9 and count > 5  # a real finding, not an empty one
    assert "Law Society" in head["residents_without_local_provider_share"]["definition"]
    assert doc["warnings"] and "2015-11" in doc["warnings"][0] and "2024-09-30" in doc["warnings"][0]
    assert doc["measure"]["column"] == "people_below_average"


def test_west_midlands_trend_and_main_point_match_the_raw_asy_d11_file(real_data, wm):
    # Issue 15: need in the 30 West Midlands districts at the date used and the four quarters before, summed
    # from the raw Home Office file with plain pandas (no boundary change in the region in those quarters).
    from coverage_gaps.findings import main_points

    raw = pd.read_csv(real_data / "ho_asy_d11_asylum_support_by_la.csv", dtype=str)
    lookup = pd.read_csv(real_data / "lad22_to_region22_england_lookup.csv", dtype=str, encoding="utf-8-sig")
    codes = set(lookup.loc[lookup["RGN22CD"] == "E12000005", "LAD22CD"])
    people = pd.to_numeric(raw["People"].str.replace(",", ""))
    expected = people[raw["LAD Code"].isin(codes)].groupby(raw["Date"]).sum().iloc[-5:]
    totals = wm.trend.groupby("date")["people"].sum()
    assert list(totals.index) == list(expected.index) == ["2023-09-30", "2023-12-31", "2024-03-31", "2024-06-30",
                                                          "2024-09-30"]
    assert totals.to_numpy() == pytest.approx(expected.to_numpy())
    now, then = expected.iloc[-1], expected.iloc[0]
    trend = {p["key"]: p["text"] for p in main_points(wm)}["trend"]
    assert trend == (f"People on asylum support in West Midlands fell from {then:,} at the end of September 2023 to "
                     f"{now:,} at the end of September 2024: down {then - now:,} ({(then - now) / then:.0%}) in a "
                     "year.")
