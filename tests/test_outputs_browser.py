"""The demo and West Midlands report and map as their readers meet them, in headless Chromium (network off).

* axe-core (from the pinned ``axe-playwright-python`` package) finds no serious
  or critical violation on the report, inside its map frame, or on map.html;
* on a phone (390 x 844) the map key and the layer list start folded and at
  least 60% of the map is left uncovered by controls;
* with JavaScript off the report shows its static SVG map, one shape per area;
* the interactive key lists every gap category in the data with its count,
  and the measure's classes never overlap.

Screenshots of each view land in ``tests/output/<test>/`` for people to look at.
"""

from __future__ import annotations

import re
from importlib import resources

import pandas as pd
import pytest
from browser import offline_page

from coverage_gaps import report
from coverage_gaps.cli import DEMO_PROFILE
from coverage_gaps.pipeline import run_profile

pytestmark = pytest.mark.browser

AREAS = ".leaflet-cgareas-pane path.cg-area"
PHONE = (390, 844)
#: The words the key uses for each category (independent of the map code: the test's own copy).
WORDS = {"desert": "Advice desert", "part desert": "Part desert", "drought": "Advice drought",
         "below average": "Below average access", "below standard": "Below the stated standard",
         "at or above": "Access at or above the benchmark", "no recorded need": "No recorded need",
         "no data": "No data", "outside coverage": "Outside the supply data's coverage"}


def _categories(areas: pd.DataFrame) -> pd.Series:
    """Gap categories as the issue defines them, straight from the columns (the ``gap`` column when present)."""
    if "gap" in areas.columns:
        return areas["gap"].astype(str)
    out = []
    for desert, drought, demand, unmet in zip(areas["desert"], areas["drought"], areas["demand"], areas["unmet_demand"]):
        out.append("desert" if desert else "drought" if drought else "no data" if pd.isna(demand) else
                   "no recorded need" if demand == 0 else "below average" if unmet > 0 else "at or above")
    return pd.Series(out, index=areas.index)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    result = run_profile(DEMO_PROFILE)
    folder = tmp_path_factory.mktemp("demo")
    report_path, map_path = report.write_report_and_map(result, folder / "report.html", folder / "map.html")
    return result, report_path, map_path


@pytest.fixture(scope="module")
def west_midlands(real_data, tmp_path_factory):
    from conftest import ROOT

    result = run_profile(ROOT / "data" / "profiles" / "west-midlands.toml", data_dir=real_data)
    folder = tmp_path_factory.mktemp("wm")
    report_path, map_path = report.write_report_and_map(result, folder / "report.html", folder / "map.html")
    return result, report_path, map_path


@pytest.fixture(params=["demo", pytest.param("west_midlands", marks=pytest.mark.realdata)])
def run(request):
    return request.getfixturevalue(request.param)


def _axe(frame) -> list[str]:
    """Serious and critical axe-core violations in a page or frame: "rule: target" strings."""
    source = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    # measure the page at rest: a cluster marker fading in (markercluster's opacity transition) has, mid-fade,
    # a contrast that no reader sees for long, and made this check flaky under load
    frame.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    frame.evaluate(source)
    found = frame.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    return [f"{v['id']} ({v['impact']}): {n['target']} {n.get('failureSummary', '')[:160]}"
            for v in found if v["impact"] in ("serious", "critical") for n in v["nodes"]]


def _map_frame(page):
    page.frame_locator("iframe.map-frame").locator(AREAS).first.wait_for()
    return next(f for f in page.frames if f is not page.main_frame)


def test_axe_finds_no_serious_violation_in_report_frame_or_map(chromium, run, out_dir):
    _, report_path, map_path = run
    with offline_page(chromium, report_path, out_dir=out_dir, screenshot="report_desktop.png",
                      viewport=(1366, 768)) as (page, log):
        frame = _map_frame(page)
        assert _axe(page.main_frame) == []
        assert _axe(frame) == []
        page.screenshot(path=str(out_dir / "report_full.png"), full_page=True)
    assert log.clean, log.summary()
    with offline_page(chromium, map_path, out_dir=out_dir, screenshot="map_desktop.png",
                      viewport=(1366, 768)) as (page, log):
        page.wait_for_selector(AREAS)
        assert _axe(page.main_frame) == []
    assert log.clean, log.summary()


def _covered_share(page) -> float:
    """Share of the map's box under its controls (sum of their boxes: overlaps count twice, so never less)."""
    return page.evaluate("""() => {
        const m = document.querySelector('.folium-map').getBoundingClientRect();
        let covered = 0;
        document.querySelectorAll('.leaflet-control').forEach(c => {
            const r = c.getBoundingClientRect();
            const w = Math.max(0, Math.min(r.right, m.right) - Math.max(r.left, m.left));
            const h = Math.max(0, Math.min(r.bottom, m.bottom) - Math.max(r.top, m.top));
            covered += w * h;
        });
        return covered / (m.width * m.height);
    }""")


def test_on_a_phone_key_and_layer_list_start_folded_and_the_map_shows(chromium, run, out_dir):
    _, report_path, map_path = run
    with offline_page(chromium, map_path, out_dir=out_dir, screenshot="map_phone_key_open.png",
                      viewport=PHONE) as (page, log):
        page.wait_for_selector(AREAS)
        page.screenshot(path=str(out_dir / "map_phone.png"))
        assert page.evaluate("document.querySelector('.cg-legend details').open") is False
        assert page.locator(".leaflet-control-layers-expanded").count() == 0
        assert page.locator(".leaflet-control-layers-toggle").is_visible()
        assert _covered_share(page) <= 0.40
        page.locator(".cg-legend summary").first.click()  # one tap unfolds the key
        assert page.locator(".cg-legend [data-view='gap']").is_visible()
    assert log.clean, log.summary()
    with offline_page(chromium, report_path, out_dir=out_dir, screenshot="report_phone.png",
                      viewport=PHONE) as (page, log):
        frame = _map_frame(page)
        assert frame.evaluate("document.querySelector('.cg-legend details').open") is False
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]  # nothing wider than the phone
        page.screenshot(path=str(out_dir / "report_phone_full.png"), full_page=True)
    assert log.clean, log.summary()


def test_without_javascript_the_report_shows_a_static_map_of_every_area(chromium, run, out_dir):
    result, report_path, _ = run
    context = chromium.new_context(java_script_enabled=False, offline=True, viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        page.goto(report_path.resolve().as_uri())
        assert page.locator("iframe.map-frame").is_hidden()
        shapes = page.locator("figure.print-map svg path")
        assert page.locator("figure.print-map svg").is_visible()
        assert shapes.count() == len(result.areas)
        names = set(shapes.evaluate_all("els => els.map(e => e.textContent.split(':')[0])"))
        assert names == set(result.areas["area_name"])
        page.locator("figure.print-map").screenshot(path=str(out_dir / "report_no_js_map.png"))
    finally:
        context.close()


def _legend_lines(page, view: str) -> list[str]:
    return page.locator(f".cg-legend [data-view='{view}'] li").all_inner_texts()


def test_the_key_lists_every_category_in_the_data_and_classes_never_overlap(chromium, run, out_dir):
    result, _, map_path = run
    expected = _categories(result.areas).value_counts()
    with offline_page(chromium, map_path, out_dir=out_dir, screenshot="map_key.png", viewport=(1366, 900)) as (
            page, log):
        page.wait_for_selector(AREAS)
        lines = _legend_lines(page, "gap")
        assert len(lines) == len(expected)
        for category, count in expected.items():
            line = next(x for x in lines if x.startswith(WORDS[category]))
            assert line.endswith(f"({count:,} area{'' if count == 1 else 's'})"), line
        page.locator(".leaflet-control-layers-base label", has_text="People below average").locator("input").check()
        classes = _legend_lines(page, "measure")
        assert classes and not any(x.startswith("No data (0") for x in classes)
        bounds = [[float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", x)] for x in classes
                  if not x.startswith("No data")]
        for before, after in zip(bounds, bounds[1:]):
            assert after[0] > before[-1], (classes, "overlapping classes")
        page.screenshot(path=str(out_dir / "map_measure_view.png"))
    assert log.clean, log.summary()


def test_the_skip_link_takes_a_keyboard_past_the_map_to_the_table(chromium, demo, out_dir):
    _, report_path, _ = demo
    with offline_page(chromium, report_path, out_dir=out_dir, screenshot="skip_link.png") as (page, log):
        _map_frame(page)
        for presses in range(1, 6):  # the sources link in the header, then the skip link
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.className") == "skip-link":
                break
        assert page.evaluate("document.activeElement.textContent") == "Skip the map: go to the table of areas"
        assert page.locator(".skip-link").is_visible()  # shown when focused
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#targets') !== null")  # the first sort button
        assert page.evaluate("document.activeElement.textContent") == "Rank"
        # Inside the map, no area shape is a tab stop (the table carries every figure).
        frame = _map_frame(page)
        assert frame.evaluate("[...document.querySelectorAll('path.cg-area')].filter(p => p.tabIndex >= 0).length") == 0
    assert log.clean, log.summary()
