"""Count every person once, on the real files (issue 12): vintages, unplaced people, the benchmark's population.

Expected figures are computed here from the raw CSV files with plain pandas, not with the loaders.
"""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from coverage_gaps import schema, vintages
from coverage_gaps.pipeline import run_profile
from coverage_gaps.scenarios.series import demand_series

from conftest import ROOT

pytestmark = pytest.mark.realdata

WM = ROOT / "data" / "profiles" / "west-midlands.toml"
EW = ROOT / "data" / "profiles" / "england-wales.toml"
ASY = "ho_asy_d11_asylum_support_by_la.csv"
DISTRICT = r"^[EWSN]\d{8}$"


@pytest.fixture(scope="module")
def raw(real_data) -> pd.DataFrame:
    df = pd.read_csv(real_data / ASY, dtype=str)
    df["people"] = pd.to_numeric(df["People"].str.replace(",", "", regex=False))
    return df


@pytest.fixture(scope="module")
def lad22(real_data) -> set[str]:
    features = json.loads((real_data / "lad_dec2022_uk_buc.geojson").read_text())["features"]
    return {f["properties"]["LAD22CD"] for f in features}


@pytest.fixture(scope="module")
def ew(real_data):
    return run_profile(EW, data_dir=real_data)


def test_every_code_the_boundaries_lack_is_resolved_by_the_table(raw, lad22, real_data):
    codes = raw["LAD Code"].dropna()
    missing = set(codes[codes.str.match(DISTRICT) & ~codes.isin(lad22)])
    assert len(missing) >= 20
    resolved = vintages.resolve(sorted(missing), lad22)
    assert set(resolved) == missing
    # the table's names agree with the Home Office's and ONS's names for the same codes
    table = vintages.code_changes()
    features = json.loads((real_data / "lad_dec2022_uk_buc.geojson").read_text())["features"]
    ons = {f["properties"]["LAD22CD"]: f["properties"]["LAD22NM"] for f in features}
    home_office = raw.dropna(subset=["LAD Code"]).drop_duplicates("LAD Code").set_index("LAD Code")["Local Authority"]
    for code, name in [*zip(table["old_code"], table["old_name"]), *zip(table["new_code"], table["new_name"])]:
        if code in ons:
            assert ons[code] == name, code
        elif code in home_office.index:
            assert home_office[code] == name, code
    # a code maps forward to one successor only
    assert not table["old_code"].duplicated().any()


def test_every_quarter_places_every_person_with_a_district_code(raw, lad22, real_data):
    from coverage_gaps.io import load_asy_d11_quarters

    series = demand_series(load_asy_d11_quarters(real_data / ASY, area_codes=lad22), area_codes=lad22, wide=False)
    got = series.groupby("date")["asylum_support"].sum()
    placed = raw[raw["LAD Code"].str.match(DISTRICT).fillna(False)]
    placed = placed.assign(accommodation=placed["Accommodation Type"].str.casefold())
    clash = placed.duplicated(["Date", "LAD Code", "Support Type", "accommodation"], keep=False)  # rejected as ambiguous (2022-12-31, 2023-03-31)
    expected = placed[~clash].groupby("Date")["people"].sum()
    assert got.index.tolist()[0] == "2014-03-31" and got.index.tolist()[-1] == "2024-09-30" and len(got) == 43
    assert got.to_dict() == pytest.approx(expected.to_dict(), abs=1e-6)


def test_england_and_wales_demand_is_every_english_and_welsh_person(ew, raw):
    at = raw[raw["Date"] == "2024-09-30"]
    expected = at.loc[at["LAD Code"].str.match(r"^[EW]\d{8}$").fillna(False), "people"].sum()
    assert ew.areas[schema.DEMAND].sum() == pytest.approx(expected)
    demand = ew.areas.set_index(schema.AREA_CODE)[schema.DEMAND]
    # Carlisle (Cumberland), Harrogate (North Yorkshire), Somerset West and Taunton (Somerset): spread, not lost
    assert demand["E07000028"] > 0 and demand["E07000165"] > 0 and demand["E07000246"] > 0
    cumbria = ["E07000026", "E07000028", "E07000029"]
    assert demand[cumbria].sum() == pytest.approx(at.loc[at["LAD Code"] == "E06000063", "people"].sum())
    moved = ew.harmonised.set_index("code")
    assert moved.loc["E06000063", "method"] == "split by population (estimate)"


def test_the_only_people_not_placed_are_the_rows_with_no_area(ew):
    assert ew.unplaced[["date", "reason", "people"]].values.tolist() == [
        ["2024-09-30", "Home Office: Subsistence Only", 2843]]
    assert "2,843 people on asylum support could not be placed in an area (Home Office: Subsistence Only)" \
        in ew.notes
    assert ew.rejects.loc[ew.rejects["file"] == ASY, "people"].tolist() == [2843]


def test_the_benchmark_uses_england_and_wales_demand_only(ew, real_data, raw):
    wm = run_profile(WM, data_dir=real_data)
    at = raw[raw["Date"] == "2024-09-30"]
    ew_people = at.loc[at["LAD Code"].str.match(r"^[EW]\d{8}$").fillna(False), "people"].sum()
    for result in (ew, wm):
        capacity = result.providers.loc[result.providers["qualifying"], schema.CAPACITY].sum()
        assert result.benchmark == pytest.approx(capacity / ew_people * 1000)
        assert result.coverage == "England and Wales"
        ranked = result.areas[result.areas[schema.RANK].notna()]  # "no data" areas are compared with nothing
        assert len(ranked) and ranked[schema.REASON].str.contains("across England and Wales").all()


def test_no_area_without_recorded_need_or_data_is_flagged_or_ranked(ew):
    a = ew.areas
    none = a[schema.DEMAND].fillna(0) == 0
    assert none.any()
    assert not (a.loc[none, schema.DESERT] | a.loc[none, schema.DROUGHT]).any()
    no_data = a[schema.DEMAND].isna()
    assert no_data.any() and a.loc[no_data, schema.RANK].isna().all()
    assert a.loc[~no_data, schema.RANK].notna().all()


def test_the_report_states_unplaced_people_and_harmonised_codes(ew, tmp_path):
    from coverage_gaps.report import write_report

    html = write_report(ew, tmp_path / "report.html").read_text(encoding="utf-8")
    notes = html[html.index("<h3>Data notes</h3>"):]
    assert "2,843 people on asylum support could not be placed in an area (Home Office: Subsistence Only)" in notes
    assert "E06000063 (297)" in notes  # Cumberland's people, split over Allerdale, Carlisle and Copeland
    assert "all need in England and Wales" in html


def test_check_lists_harmonised_codes_and_unplaced_people(real_data, capsys):
    from coverage_gaps.cli import main

    assert main(["check", str(EW), "--data-dir", str(real_data)]) == 0
    out = capsys.readouterr().out
    assert ("note: ho_asy_d11_asylum_support_by_la.csv: 4 code(s) of another boundary vintage split by population "
            "(estimate): E06000063 (297), E06000064 (179), E06000065 (364), E06000066 (240)") in out
    assert "note: 2,843 people on asylum support could not be placed in an area (Home Office: Subsistence Only)" in out
    assert "note: ho_asy_d11_asylum_support_by_la.csv: figures for 2024-09-30, naming 295 area code(s)" in out


def test_another_quarter_is_harmonised_to_the_boundaries_in_use(real_data, raw):
    from coverage_gaps.config import load_profile
    from coverage_gaps.pipeline import load_inputs
    from coverage_gaps.io import load_asy_d11
    from coverage_gaps.scenarios.series import harmonised_to

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inputs = load_inputs(load_profile(EW, data_dir=real_data))
        older = load_asy_d11(real_data / ASY, date="2017-12-31", **harmonised_to(inputs))
    moved = older.harmonised.set_index("code")
    assert moved.loc["S12000046", "method"] == "recoded"  # Glasgow City's 2017 code
    assert moved.loc["E07000004", "method"] == "summed into its successor"  # Aylesbury Vale into Buckinghamshire
    at = raw[(raw["Date"] == "2017-12-31") & raw["LAD Code"].str.match(DISTRICT).fillna(False)]
    assert older.table["asylum_support"].sum() == pytest.approx(at["people"].sum())


def test_a_profile_can_override_the_coverage(real_data, raw):
    uk = run_profile(WM, data_dir=real_data, overrides={"coverage": "United Kingdom"})
    at = raw[raw["Date"] == "2024-09-30"]
    people = at.loc[at["LAD Code"].str.match(DISTRICT).fillna(False), "people"].sum()
    capacity = uk.providers.loc[uk.providers["qualifying"], schema.CAPACITY].sum()
    assert uk.coverage == "United Kingdom"
    assert uk.benchmark == pytest.approx(capacity / people * 1000)
    ranked = uk.areas[uk.areas[schema.RANK].notna()]
    assert len(ranked) and ranked[schema.REASON].str.contains("across the United Kingdom").all()


def test_an_unknown_coverage_is_refused_by_the_profile(real_data):
    from coverage_gaps.config import load_profile
    from coverage_gaps.errors import ProfileError

    with pytest.raises(ProfileError, match="coverage"):
        load_profile(WM, data_dir=real_data, overrides={"coverage": "Englund"})
