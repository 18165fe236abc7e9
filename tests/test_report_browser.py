"""The funder report in headless Chromium with the network off: map, sortable table, no script from inputs."""

from __future__ import annotations

import pytest

from coverage_gaps import report

from _result_fixtures import HOSTILE_IMG, tiny_result
from browser import offline_page

pytestmark = pytest.mark.browser

RANK_ORDER = ["T00000A1", "T00000B1", "T00000B3", "T00000A2", "T00000A3", "T00000B2"]
BY_DEMAND = ["T00000B2", "T00000A3", "T00000B3", "T00000A2", "T00000B1", "T00000A1"]  # 0, 50, 150, 300, 800, 1200
BY_NAME = ["T00000A3", "T00000A1", "T00000A2", "T00000B2", "T00000B3", "T00000B1"]  # Alder Heath ... Brook & Mill


def _codes(page) -> list[str]:
    return page.eval_on_selector_all("#targets tbody tr", "rows => rows.map(r => r.dataset.code)")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    return report.write_report(tiny_result(), tmp_path_factory.mktemp("report") / "report.html")


def test_report_renders_offline_and_the_table_sorts(chromium, report_file, out_dir):
    with offline_page(chromium, report_file, out_dir=out_dir, screenshot="report.png",
                      viewport=(1280, 900)) as (page, log):
        frame = page.frame_locator("iframe.map-frame")
        frame.locator("path.cg-area").first.wait_for()
        # The map draws every area; the table lists every area, rank 1 first.
        assert frame.locator("path.cg-area").count() == 6
        assert _codes(page) == RANK_ORDER

        # Point at every provider on the map: tooltips show names (one is hostile) as text.
        markers = frame.locator("path.cg-provider")
        assert markers.count() == 6  # the seventh, "Not accredited", is in a layer that starts switched off
        for i in range(markers.count()):
            markers.nth(i).dispatch_event("mouseover")
        tips = frame.locator(".leaflet-tooltip-pane").inner_text()
        assert HOSTILE_IMG in tips
        assert frame.locator("img").count() == 0 and page.locator("img").count() == 0

        # Sort by clicking a header: ascending first, then descending; aria-sort follows.
        people = page.locator("#targets thead th", has_text="People in need")
        people.locator("button").click()
        assert _codes(page) == BY_DEMAND
        assert people.get_attribute("aria-sort") == "ascending"
        people.locator("button").click()
        assert _codes(page) == BY_DEMAND[::-1]
        assert people.get_attribute("aria-sort") == "descending"
        assert page.locator("#targets thead th[aria-sort]").count() == 1

        # Keyboard: focus the Area header and press Enter, then Space.
        area = page.locator("#targets thead th", has_text="Area")
        area.locator("button").focus()
        page.keyboard.press("Enter")
        assert _codes(page) == BY_NAME
        page.keyboard.press("Space")
        assert _codes(page) == BY_NAME[::-1]
        assert "Table sorted by Area, descending." in page.locator("#sort-status").inner_text()

        # Hostile partner names read as text in the table.
        assert HOSTILE_IMG in page.locator('tr[data-code="T00000B1"] td.partners').inner_text()

        page.locator("#targets thead th", has_text="Rank").locator("button").click()
        assert _codes(page) == RANK_ORDER
        page.locator("#h-map").scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, document.getElementById('h-map').offsetTop - 10)")
        page.screenshot(path=str(out_dir / "report_map.png"))  # the frame renders in viewport screenshots
        page.screenshot(path=str(out_dir / "report_full.png"), full_page=True)
        page.emulate_media(media="print")
        assert page.locator("iframe.map-frame").is_hidden() and page.locator("figure.print-map").is_visible()
        page.screenshot(path=str(out_dir / "report_print.png"), full_page=True)
    assert log.clean, log.summary()
    assert log.dialogs == [] and log.requests == []


def test_synthetic_report_shows_the_banner_in_page_and_map(chromium, tmp_path, out_dir):
    path = report.write_report(tiny_result(synthetic=True), tmp_path / "report.html")
    with offline_page(chromium, path, out_dir=out_dir, screenshot="synthetic.png") as (page, log):
        page.frame_locator("iframe.map-frame").locator("path.cg-area").first.wait_for()
        assert page.locator("p.synthetic").is_visible()
        assert "Synthetic demo data" in page.locator("p.synthetic").inner_text()
        assert "Synthetic demo data" in page.frame_locator("iframe.map-frame").locator("body").inner_text()
    assert log.clean, log.summary()


def test_no_ranked_area_with_a_gap_reads_covered(chromium, report_file, out_dir):
    with offline_page(chromium, report_file, out_dir=out_dir) as (page, log):
        rows = page.eval_on_selector_all("#targets tbody tr", """rows => rows.map(r => ({
            rank: r.cells[0].innerText.trim(),
            shortfall: Number(r.querySelector('td.shortfall').dataset.sort || 0),
            gap: r.querySelector('td.gap').innerText.trim()}))""")
        short = [r for r in rows if r["rank"] != "not ranked" and r["shortfall"] > 0]
        assert [r["gap"] for r in short] == ["Desert", "Drought", "Below average"]
        assert page.locator("body").inner_text().lower().count("covered") == 0
        labels = page.eval_on_selector_all(".print-map path title", "ts => ts.map(t => t.textContent)")
        short = [t for t in labels if t.endswith(("rank 1", "rank 2", "rank 3"))]  # the three with a shortfall
        assert len(short) == 3 and not any("covered" in t.lower() or "at or above" in t for t in short)
        assert "People below average" in page.locator("#targets thead").inner_text()
