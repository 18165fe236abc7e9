"""Maps in headless Chromium with the network off: they render, hostile names stay text.

Every page is opened by :func:`browser.offline_page`: any request that is not
``file:``/``data:`` is aborted and recorded, and ``log.clean`` asserts none was
attempted, no console error, no uncaught exception and no ``alert``.
Screenshots land in ``tests/output/<test>/``.
"""

from __future__ import annotations

import folium
import pytest
from _result_fixtures import HOSTILE_BACKTICK, HOSTILE_IMG, HOSTILE_TEMPLATE, tiny_result
from browser import offline_page

from coverage_gaps import maps

pytestmark = pytest.mark.browser

AREA_PATHS = ".leaflet-cgareas-pane path.cg-area"
MAP = "window[document.querySelector('.folium-map').id]"


def _count(page, selector: str) -> int:
    return page.evaluate(f"document.querySelectorAll({selector!r}).length")


def _tooltip(page) -> str:
    """Text of the open tooltip (there is one at a time)."""
    page.wait_for_selector(".leaflet-tooltip-pane .leaflet-tooltip")
    return page.inner_text(".leaflet-tooltip-pane")


def _leave(page) -> None:
    """Move the mouse off the map's features and wait for the tooltip to close."""
    page.mouse.move(27, 27)  # the zoom control: no feature under it
    page.wait_for_function("!document.querySelector('.leaflet-tooltip-pane .leaflet-tooltip')")


def test_map_renders_offline_with_every_layer(chromium, out_dir, tmp_path):
    path = maps.save_map(maps.coverage_map(tiny_result(synthetic=True), top_n=3), tmp_path / "map.html")
    with offline_page(chromium, path, out_dir=out_dir, screenshot="map.png") as (page, log):
        page.wait_for_selector(AREA_PATHS)
        assert _count(page, AREA_PATHS) == 6
        assert _count(page, "path.cg-provider") == 6  # 7 providers; "not accredited" is off at first
        assert page.eval_on_selector_all(".cg-rank", "els => els.map(e => e.textContent)") == ["1", "2", "3"]
        assert _count(page, "path.cg-target") == 3
        key = page.inner_text(".cg-legend")
        assert "Gap category" in key and "Advice desert" in key and "People below average" not in key  # the gap view first
        page.get_by_label("Areas: People below average").check()  # the other view: the key follows
        key = page.inner_text(".cg-legend")
        assert "People below average" in key and "Gap category" not in key and _count(page, AREA_PATHS) == 6
        page.get_by_label("Areas: gap category").check()
        assert page.inner_text(".cg-banner") == "Synthetic demo data: not real places or people"
        assert page.evaluate("typeof L.markerClusterGroup") == "undefined"  # not needed, not inlined
        page.locator("path.cg-area").nth(0).hover(position={"x": 12, "y": 12}, force=True)
        tip = _tooltip(page)
        assert tip.startswith("Ashby Vale T00000A1") and "Rank 1 · advice desert" in tip
        assert "Need 1,200 · access 0.0 per 1,000 · nearest adviser 6.0 km" in tip
        assert tip.endswith("Click the area for the reason and every figure.")
        page.locator("path.cg-area").nth(0).click(position={"x": 12, "y": 12}, force=True)
        page.wait_for_function("getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
        popup = page.inner_text(".leaflet-popup-content")  # the fixture's own sentence: its numbers do not give it
        assert "1,200 people on asylum support; advice desert: no qualifying adviser within 20 km" in popup
    assert log.clean, log.summary()


def test_hostile_names_display_literally_and_run_nothing(chromium, out_dir, tmp_path):
    result = tiny_result()
    areas = result.areas.copy()
    areas.loc[0, "area_name"] = "<svg onload=alert(3)>`${x}`"
    path = maps.save_map(maps.coverage_map(tiny_result(areas=areas), top_n=3), tmp_path / "map.html")
    with offline_page(chromium, path, out_dir=out_dir, screenshot="popup.png") as (page, log):
        page.wait_for_selector(AREA_PATHS)
        tips = []
        for layer in ("cg-provider-2", "cg-provider-3"):  # OISC Level 1 (two hostile), prospective (one)
            for i in range(_count(page, f"path.{layer}")):
                page.locator(f"path.{layer}").nth(i).hover(force=True)
                tips.append(_tooltip(page).splitlines()[0])
                _leave(page)
        assert sorted(tips) == sorted([HOSTILE_IMG, HOSTILE_TEMPLATE, HOSTILE_BACKTICK])
        page.locator("path.cg-area").nth(0).hover(position={"x": 12, "y": 12}, force=True)
        assert _tooltip(page).startswith("<svg onload=alert(3)>`${x}` T00000A1")
        page.locator("path.cg-area").nth(1).click(position={"x": 12, "y": 12}, force=True)  # rank 2: Brook & Mill
        page.wait_for_function("getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
        popup = page.inner_text(".leaflet-popup-content")
        assert f"{HOSTILE_TEMPLATE} (OISC Level 1, partner, inside the area)" in popup
        assert f"{HOSTILE_IMG} (OISC Level 1, partner, 4.0 km away)" in popup
        assert _count(page, ".leaflet-pane img, .leaflet-pane svg svg, .leaflet-control-container img") == 0
        assert page.evaluate("typeof x") == "undefined"
    assert log.dialogs == [] and log.clean, log.summary()


def test_large_layers_cluster_offline(chromium, out_dir, tmp_path):
    path = maps.save_map(maps.coverage_map(tiny_result(), cluster_over=1), tmp_path / "map.html")
    with offline_page(chromium, path, out_dir=out_dir, screenshot="clusters.png") as (page, log):
        page.wait_for_selector(AREA_PATHS)
        page.evaluate(f"{MAP}.setZoom(9, {{animate: false}})")
        page.wait_for_selector(".marker-cluster.cg-cluster")
        counts = page.eval_on_selector_all(".marker-cluster.cg-cluster", "els => els.map(e => parseInt(e.textContent, 10))")
        assert sorted(counts) == [2, 2]  # Level 2+ and Level 1 pairs; single points stay points
    assert log.clean, log.summary()


def test_notebook_display_renders_offline(chromium, out_dir):
    shell = "<html><body>" + maps.coverage_map(tiny_result())._repr_html_() + "</body></html>"
    with offline_page(chromium, html=shell, out_dir=out_dir, screenshot="notebook.png") as (page, log):
        frame = page.frame_locator("iframe")
        frame.locator(AREA_PATHS).first.wait_for()
        assert frame.locator(AREA_PATHS).count() == 6
    assert log.clean, log.summary()


def test_plain_folium_map_is_blank_offline(chromium, out_dir, tmp_path):
    folium.Map(location=[52.5, -1.9], zoom_start=8).save(tmp_path / "plain.html")
    with offline_page(chromium, tmp_path / "plain.html", out_dir=out_dir, screenshot="blank.png") as (page, log):
        assert page.evaluate("typeof L") == "undefined"
        assert _count(page, ".leaflet-pane") == 0
    assert any("cdn.jsdelivr.net/npm/leaflet@" in url for url in log.requests)
    assert any("L is not defined" in e for e in log.page_errors)


@pytest.mark.realdata
def test_west_midlands_lsoa_map_renders_every_area(chromium, real_data, out_dir, tmp_path):
    from _result_fixtures import real_geography_result

    path = maps.save_map(maps.coverage_map(real_geography_result("west_midlands_lsoa", real_data)),
                         tmp_path / "map.html")
    with offline_page(chromium, path, out_dir=out_dir, screenshot="west_midlands.png") as (page, log):
        page.wait_for_selector(AREA_PATHS)
        assert _count(page, AREA_PATHS) == 3487
        assert _count(page, ".cg-rank") == 10
        assert _count(page, ".marker-cluster.cg-cluster") > 0  # 278 IMMAS offices, clustered
    assert log.clean, log.summary()
