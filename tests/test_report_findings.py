"""The report's main points: each sentence against hand-computed values, its absence cases and its plurals.

The tiny Result (tests/_result_fixtures.py) has six areas with hand-set figures:
need 1,200 / 800 / 150 / 300 / 50 / 0 (2,500 people), Ashby Vale a desert with
1,200 people below the average, benchmark 2.0 per 1,000.  The demo's trend is
checked against the demo's raw Asy_D11 file summed with plain pandas.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from coverage_gaps import report
from coverage_gaps.cli import DEMO_PROFILE
from coverage_gaps.findings import main_points, region_access
from coverage_gaps.pipeline import run_profile
from coverage_gaps.trend import region_change

from _result_fixtures import tiny_result

QUARTERS = ["2023-09-30", "2023-12-31", "2024-03-31", "2024-06-30", "2024-09-30"]


def _points(result) -> dict[str, str]:
    return {p["key"]: p["text"] for p in main_points(result)}


def _with_areas(result, **columns):
    """The tiny Result with some area columns replaced (lists in the fixture's row order)."""
    return replace(result, areas=result.areas.assign(**columns))


def _trend(totals: dict[str, list[float]]) -> pd.DataFrame:
    """A hand-made trend: area code -> people at each of QUARTERS."""
    rows = [{"area_code": code, "date": q, "people": float(v)}
            for code, values in totals.items() for q, v in zip(QUARTERS, values)]
    return pd.DataFrame(rows, columns=["area_code", "date", "people"])


@pytest.fixture(scope="module")
def tiny():
    return tiny_result()


# --- the first target ----------------------------------------------------------------------------------------


def test_first_target_names_the_area_its_category_and_its_shortfall_in_people(tiny):
    text = _points(tiny)["first_target"]
    assert text == ("The first target is Ashby Vale: an advice desert (no qualifying adviser within 20 km), with about "
                    "1,200 people below the average access, the most of any area.")


def test_a_shortfall_that_rounds_to_one_reads_one_person_and_a_standard_says_unmet_against_it(tiny):
    one = _with_areas(tiny, unmet_demand=[0.6, 0.4, 0.0, 0.0, 0.0, 0.0])
    assert "with about 1 person below the average access" in _points(one)["first_target"]
    standard = replace(one, settings=one.settings.replace(people_per_adviser=200))
    assert "with about 1 person's need unmet against one adviser per 200 people" in \
        _points(standard)["first_target"]


def test_first_target_that_is_not_the_largest_shortfall_does_not_claim_to_be(tiny):
    ranked_by_rate = _with_areas(tiny, unmet_demand=[500.0, 640.0, 30.0, 0.0, 0.0, 0.0])
    text = _points(ranked_by_rate)["first_target"]
    assert "about 500 people below the average access" in text and "the most of any area" not in text


def test_no_shortfall_anywhere_says_so_instead_of_naming_a_gap(tiny):
    none = _with_areas(tiny, unmet_demand=[0.0] * 6, gap=["at or above"] * 5 + ["no recorded need"])
    assert _points(none)["first_target"].startswith("No area is short of the average, so no area has people "
                                                    "below the average access")


# --- deserts -------------------------------------------------------------------------------------------------


def test_need_in_deserts_in_people_and_share_of_the_need_counted(tiny):
    # deserts: Ashby Vale's 1,200 of 2,500 = 48%; no part desert in the tiny Result
    assert _points(tiny)["deserts"] == ("1,200 people (48% of the 2,500 people on asylum support counted) live in "
                                        "1 advice desert, with no qualifying adviser within 20 km.")


def test_one_person_in_a_desert_lives_there_and_part_deserts_are_added(tiny):
    one = _with_areas(tiny, demand=[1.0, 800.0, 150.0, 300.0, 50.0, 0.0],
                      gap=["desert", "part desert", "below average", "at or above", "at or above",
                           "no recorded need"])
    # 1 of 1,301 people is under 1%; the part desert holds 800 of 1,301 = 61%
    assert _points(one)["deserts"] == (
        "1 person (under 1% of the 1,301 people on asylum support counted) lives in 1 advice desert, with no "
        "qualifying adviser within 20 km, and 800 people (61%) in part deserts (at least 50% of the area's need "
        "beyond 20 km).")


def test_no_desert_is_said_plainly_and_areas_with_no_figure_or_outside_coverage_are_not_counted(tiny):
    areas = _with_areas(tiny, demand=[np.nan, 800.0, 150.0, 300.0, 50.0, 0.0],
                        gap=["no data", "part desert", "below average", "at or above", "outside coverage",
                             "no recorded need"],
                        in_coverage=[True, True, True, True, False, True])
    text = _points(areas)["deserts"]
    # counted: 800 + 150 + 300 + 0 = 1,250 (Ashby Vale has no figure, Alder Heath is outside the coverage)
    assert text == ("No area is an advice desert: in every area with recorded need, some of it is within 20 km of a "
                    "qualifying adviser; 800 people (64% of the 1,250 people on asylum support counted) live in part "
                    "deserts (at least 50% of the area's need beyond 20 km). 1 area with no figure for people on "
                    "asylum support is counted in none of these.")


# --- the comparison with the benchmark -------------------------------------------------------------------------


def test_region_access_is_the_need_weighted_mean_of_area_access(tiny):
    # (0 x 1,200 + 0.4 x 800 + 1.6 x 150 + 2.5 x 300 + 6.0 x 50) / 2,500; Bexley Green has no need
    assert region_access(tiny) == pytest.approx(1610.0 / 2500.0)


def test_comparison_names_the_average_as_a_comparison_not_a_standard(tiny):
    # 0.644 against 2.0: 67.8% below
    assert _points(tiny)["comparison"] == (
        "Access in Tiny region (qualifying capacity within reach per 1,000 people on asylum support, weighted by "
        "need) is 0.64, 68% below the average across all areas in the data (2.00); the average is a comparison, "
        "not a standard of need.")


def test_comparison_names_the_territory_or_the_standard(tiny):
    national = replace(tiny, coverage="England and Wales")
    assert "68% below the average across England and Wales (2.00)" in _points(national)["comparison"]
    standard = replace(tiny, settings=tiny.settings.replace(people_per_adviser=200), benchmark=5.0)
    text = _points(standard)["comparison"]
    assert "87% below the standard of one adviser per 200 people (5.00)." in text  # 1 - 0.644 / 5
    assert "not a standard of need" not in text


# --- the trend ----------------------------------------------------------------------------------------------


def test_trend_without_quarters_says_it_cannot_be_shown(tiny):
    assert _points(tiny)["trend"] == ("The change since a year ago is not shown: the quarters before the date used "
                                      "were not loaded for this run.")
    one = replace(tiny, trend=_trend({}))  # looked: no earlier quarter
    assert _points(one)["trend"] == ("The change since a year ago is not shown: the figures for people on asylum "
                                     "support are for one date only.")
    dated = replace(one, sources=[replace(s, kind="asy_d11" if "Asy_D11" in s.name else s.kind)
                                  for s in tiny.sources])
    assert _points(dated)["trend"].endswith("are for one date only (the end of September 2024).")


def test_trend_compares_the_need_now_with_four_quarters_earlier(tiny):
    # study areas: 100 + 50 a year ago, 130 + 70 now: up 50 (33%)
    trended = replace(tiny, trend=_trend({"T00000A1": [100, 110, 120, 125, 130], "T00000B1": [50, 55, 60, 65, 70],
                                          "Z99999999": [9000] * 5}))
    assert region_change(trended).change == 50
    assert _points(trended)["trend"] == ("People on asylum support in Tiny region rose from 150 at the end of "
                                         "September 2023 to 200 at the end of September 2024: up 50 (33%) in a year.")
    fell = replace(tiny, trend=_trend({"T00000A1": [200, 0, 0, 0, 199]}))
    assert _points(fell)["trend"].endswith("fell from 200 at the end of September 2023 to 199 at the end of "
                                           "September 2024: down 1 (under 1%) in a year.")


def test_trend_without_a_quarter_a_year_earlier_says_how_far_back_it_goes(tiny):
    short = _trend({"T00000A1": [100, 110, 120, 125, 130]})
    trended = replace(tiny, trend=short[short["date"] >= "2024-03-31"])
    assert _points(trended)["trend"] == ("The change since a year ago is not shown: the loaded quarters go back "
                                         "only to the end of March 2024.")


# --- the demo, end to end --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    return run_profile(DEMO_PROFILE, trend=True)


def _raw_demo_totals() -> pd.Series:
    """People on asylum support in the demo's study region per quarter, from the raw files with plain pandas."""
    folder = DEMO_PROFILE.parent
    raw = pd.read_csv(folder / "asy_d11.csv", dtype=str)
    regions = pd.read_csv(folder / "lad_to_region.csv", dtype=str)
    codes = set(regions.loc[regions["RGN22CD"] == "X12000001", "LAD22CD"])
    people = pd.to_numeric(raw["People"])
    return people[raw["LAD Code"].isin(codes)].groupby(raw["Date"]).sum()


def test_demo_trend_matches_the_raw_file_for_five_quarters(demo):
    raw = _raw_demo_totals()
    totals = demo.trend.groupby("date")["people"].sum()
    assert list(totals.index) == list(raw.index[-5:])  # the date used and the four quarters before it
    assert totals.to_numpy() == pytest.approx(raw.iloc[-5:].to_numpy())


def test_demo_main_points_against_hand_computed_figures(demo):
    raw = _raw_demo_totals()
    points = _points(demo)
    now, then = raw["2024-12-31"], raw["2023-12-31"]
    assert points["trend"] == (f"People on asylum support in Demo Region rose from {then:,} at the end of December "
                               f"2023 to {now:,} at the end of December 2024: up {now - then:,} "
                               f"({(now - then) / then:.0%}) in a year.")
    areas = demo.areas
    first = areas.loc[areas["rank"] == 1].iloc[0]
    assert points["first_target"].startswith(f"The first target is {first['area_name']}: an advice "
                                             f"{first['gap']}")
    assert f"about {first['unmet_demand']:,.0f} people below the average access" in points["first_target"]
    desert = areas.loc[areas["gap"] == "desert", "demand"].sum()
    assert points["deserts"].startswith(f"{desert:,.0f} people ({desert / now:.0%} of the {now:,} people on asylum "
                                        f"support counted) live in {(areas['gap'] == 'desert').sum()} advice deserts")


def test_main_points_stand_above_the_headline_figures_in_the_report(demo):
    page = report.render_report(demo)
    assert page.index('id="main-points"') < page.index('id="fig-people"')
    for p in main_points(demo):
        assert p["text"].replace("'", "&#39;") in page


def test_a_quarter_missing_from_the_file_is_named_not_bridged(tmp_path):
    # The demo with its 2023-12-31 rows taken out: the trend falls back to the quarters the file has, and the
    # change since a year ago is not made up from another quarter.
    import shutil

    folder = tmp_path / "demo"
    shutil.copytree(DEMO_PROFILE.parent, folder)
    raw = pd.read_csv(folder / "asy_d11.csv", dtype=str)
    raw[raw["Date"] != "2023-12-31"].to_csv(folder / "asy_d11.csv", index=False)
    result = run_profile(folder / DEMO_PROFILE.name, trend=True)
    assert sorted(result.trend["date"].unique()) == ["2023-09-30", "2024-03-31", "2024-06-30", "2024-09-30",
                                                     "2024-12-31"]
    assert _points(result)["trend"] == ("The change since a year ago is not shown: the figures have no count for "
                                        "the end of December 2023, a year earlier.")
