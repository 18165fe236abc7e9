"""The report's trend chart (inline SVG, offline, in Chromium) and its training-plan section.

Trend: the demo loads eight quarters of Asy_D11; the report charts the five up to
the date used for the first five targets, one point per area and quarter, with a
text alternative (title, description and a table of the same numbers).
Plan: ``coverage-gaps plan --report`` on the two-deserts world (tests/data/plan_two_deserts),
whose figures are worked by hand in tests/test_plan_cli.py.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from coverage_gaps import report
from coverage_gaps.cli import DEMO_PROFILE, main
from coverage_gaps.pipeline import run_profile
from coverage_gaps.report_sections import trend_chart

from _result_fixtures import tiny_result
from browser import offline_page

TWO_DESERTS = Path(__file__).resolve().parent / "data" / "plan_two_deserts" / "profile.toml"


@pytest.fixture(scope="module")
def demo():
    return run_profile(DEMO_PROFILE, trend=True)


def _raw_first_targets(demo, n: int = 5) -> pd.DataFrame:
    """People per first-target area and quarter, from the raw Asy_D11 file with plain pandas (last five quarters)."""
    raw = pd.read_csv(DEMO_PROFILE.parent / "asy_d11.csv", dtype=str)
    raw["People"] = pd.to_numeric(raw["People"])
    codes = list(demo.areas.sort_values("rank").dropna(subset=["rank"])["area_code"].head(n))
    table = raw[raw["LAD Code"].isin(codes)].pivot_table(index="LAD Code", columns="Date", values="People",
                                                         aggfunc="sum", fill_value=0)
    return table.reindex(codes).iloc[:, -5:]


def test_chart_numbers_are_the_raw_files_for_the_first_five_targets(demo):
    chart = trend_chart(demo)
    raw = _raw_first_targets(demo)
    assert [ln["name"] for ln in chart["lines"]] == list(
        demo.areas.set_index("area_code").loc[raw.index, "area_name"])
    assert [ln["counts"] for ln in chart["lines"]] == [[f"{v:,}" for v in row] for row in raw.to_numpy()]
    assert [q["label"] for q in chart["quarters"]] == ["Dec 2023", "Mar 2024", "Jun 2024", "Sep 2024", "Dec 2024"]
    shuffled = replace(demo, areas=demo.areas.iloc[::-1])  # the chart follows the ranks, not the row order
    assert [ln["name"] for ln in trend_chart(shuffled)["lines"]] == [ln["name"] for ln in chart["lines"]]


def test_no_chart_with_one_quarter():
    assert trend_chart(tiny_result()) is None
    one = pd.DataFrame({"area_code": ["T00000A1", "T00000B1"], "date": ["2024-09-30"] * 2, "people": [5.0, 6.0]})
    assert trend_chart(tiny_result(trend=one)) is None
    assert 'id="trend"' not in report.render_report(tiny_result())


@pytest.mark.browser
def test_trend_chart_renders_offline_with_a_point_per_area_and_quarter(chromium, demo, tmp_path, out_dir):
    path = report.write_report(demo, tmp_path / "report.html")
    raw = _raw_first_targets(demo)
    with offline_page(chromium, path, out_dir=out_dir, screenshot="trend.png", viewport=(1280, 900)) as (page, log):
        chart = page.locator("#trend svg[role=img]")
        chart.scroll_into_view_if_needed()
        assert chart.is_visible() and chart.bounding_box()["width"] > 300
        assert page.locator("#trend polyline").count() == 5
        assert page.locator("#trend circle.point").count() == raw.size == 25
        # The text alternative: the title names it, the description and the table give every number.
        assert page.locator("#trend-title").text_content().startswith("People on asylum support in the first 5 "
                                                                       "target areas")
        first = raw.iloc[0]
        assert f"from {first.iloc[0]:,} to {first.iloc[-1]:,}" in page.locator("#trend-desc").text_content()
        cells = page.eval_on_selector_all(".trend-table tbody tr", "rows => rows.map(r => r.innerText)")
        assert len(cells) == 5 and cells[0].split("\t")[1:] == [f"{v:,}" for v in first]
        # In print the chart stays, beside its key.
        page.emulate_media(media="print")
        assert chart.is_visible() and page.locator("#trend .trend-table").is_visible()
    assert log.clean, log.summary()


# --- the plan --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan")
    assert main(["plan", str(TWO_DESERTS), "--train", "2", "--out", str(out), "--report"]) == 0
    return (out / "report.html").read_text(encoding="utf-8")


def _section(page: str, ident: str) -> str:
    start = page.index(f'id="{ident}"')
    return page[start:page.index("</section>", start)]


def test_plan_section_lists_the_picks_and_the_hand_worked_totals(plan_page):
    plan = _section(plan_page, "plan")
    # Cford Refugee Forum closes Cford's desert (200 people), then Dale Drop-in closes Dale's (50): 400 of 650
    # people were within 30 km of the LAA office before, all 650 after.
    assert "<td>1</td><th scope=\"row\">Cford Refugee Forum</th><td>Cford</td><td class=\"num\">200</td>" in plan
    assert "<td>2</td><th scope=\"row\">Dale Drop-in</th><td>Dale</td><td class=\"num\">50</td>" in plan
    assert ("Within 30 km of a qualifying adviser: 400 people before the plan, 650 people after it, so 250 people "
            "newly within reach.") in plan
    assert "People below the average access before the changes: 250 before the plan, 0 after it." in plan
    assert "Advice deserts closed: 2 (Cford, Dale)." in plan
    assert ("the best possible choice of 2 organisations puts 650 people within reach; choosing one at a time puts "
            "650 people (100.0% of the optimum)") in plan
    assert "no longer unmet" not in plan  # a shortfall against the average is not unmet need


def test_a_report_without_a_plan_has_no_plan_section(demo):
    assert 'id="plan"' not in report.render_report(replace(demo, trend=demo.trend.iloc[0:0]))


def test_plan_report_needs_an_output_folder(capsys):
    assert main(["plan", str(TWO_DESERTS), "--train", "1", "--report"]) != 0
    assert "--report writes report.html into the output folder" in capsys.readouterr().err


def test_report_with_a_plan_is_byte_identical_on_a_second_run(plan_page, tmp_path):
    assert main(["plan", str(TWO_DESERTS), "--train", "2", "--out", str(tmp_path), "--report"]) == 0
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == plan_page

