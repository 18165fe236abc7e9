"""The map builds each area's reason in the page from its numbers: the same sentence as the exports, never stored.

The oracle is the Result's own ``reason`` column (written by the pipeline with
:func:`coverage_gaps.gaps.reasons`); the page's text is read back from
headless Chromium as a reader sees it.  An edge-case Result moves numbers onto
the places where rounding could differ (half a person, 9.96 km, under 1%,
exact halves) and recomputes its reasons the way the pipeline does.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from browser import offline_page

from coverage_gaps import gaps, maps
from coverage_gaps.cli import DEMO_PROFILE
from coverage_gaps.maps import _folium
from coverage_gaps.maps._layers import DataLayer
from coverage_gaps.pipeline import run_profile


@pytest.fixture(scope="module")
def demo():
    return run_profile(DEMO_PROFILE)


def _with_reasons(result, areas):
    s = result.settings
    areas["reason"] = gaps.reasons(areas, benchmark=result.benchmark, demand_column=s.demand,
                                   catchment_km=s.catchment_km, drought_share=s.drought_share,
                                   measure=gaps.shortfall(s, coverage=result.coverage), coverage=result.coverage)
    return dataclasses.replace(result, areas=areas)


@pytest.fixture(scope="module")
def edges(demo):
    """The demo with numbers on every rounding edge the page must show exactly as the exports do."""
    areas = demo.areas.copy()
    rows = {  # row: column -> value
        0: {"demand": 0.3, "unmet_demand": 0.3},           # under half a person: "0 people", still has need
        1: {"demand": 2.5, "unmet_demand": 0.5},           # exact halves: Python rounds to even ("2", "0")
        2: {"nearest_km": 9.96},                           # "10.0 km" (one decimal below 10 km)
        3: {"nearest_km": 12.46, "share_beyond_reach": 0.004, "gap": "below average"},  # "12 km", "under 1%"
        4: {"nearest_km": 9.949},                          # "9.9 km"
        5: {"share_beyond_reach": 0.625, "gap": "part desert"},  # 62% (an exact half of a percent: to even)
        6: {"demand": np.nan, "gap": "no data"},
        7: {"demand": 0.0, "gap": "no recorded need", "unmet_demand": 0.0},
        8: {"local_providers": 1, "access": 0.25},         # "1 qualifying provider", access "0.2" (to even)
        9: {"gap": "outside coverage", "nearest_km": np.nan},
        10: {"share_beyond_reach": 0.005, "gap": "drought"},  # the one place "under 1%" and "0%" meet
        11: {"nearest_km": 0.45, "access": 2.675},         # "0.5 km", "2.7": Python's rounding, not numpy's 0.4
    }
    for row, values in rows.items():
        for column, value in values.items():
            areas.loc[areas.index[row], column] = value
    return _with_reasons(demo, areas)


def _areas_layer(m):
    return next(c for c in _folium.children(m) if isinstance(c, DataLayer) and c.kind == "areas")


def test_demo_map_carries_no_sentence_per_area_and_rebuilds_every_one(demo):
    m = maps.coverage_map(demo)
    data = _areas_layer(m).data
    assert "why" not in data["cols"] and data["whyx"] == {}  # every reason comes back from the numbers
    html = maps.map_html(m)
    stored = [r for r in demo.areas["reason"] if r.replace("'", "&#x27;") in html]
    assert stored == []


def test_edge_numbers_rebuild_exactly_or_keep_their_own_sentence(edges):
    data = _areas_layer(maps.coverage_map(edges)).data
    assert set(data["whyx"]) <= {"10"}, data["whyx"]  # only the 0.5% edge may need its own sentence
    assert data["cols"]["d"][0] == 0.3 and data["cols"]["km"][2] == 9.96 and data["cols"]["km"][3] == 12


def _page_reasons(chromium, out_dir, path, n: int) -> list[str]:
    """Every area's reason as the page renders it (text, entities decoded)."""
    with offline_page(chromium, path, out_dir=out_dir) as (page, log):
        page.wait_for_selector(".leaflet-cgareas-pane path.cg-area, .leaflet-cgareas-pane canvas")
        texts = page.evaluate("""() => {
            const n = document.createElement('div');
            return Array.from({length: %d}, (_, i) => { n.innerHTML = cgMap.areaReason(i); return n.textContent; });
        }""" % n)
    assert log.clean, log.summary()
    return texts


@pytest.mark.browser
@pytest.mark.parametrize("which", ["demo", "edges"])
def test_the_page_shows_the_exports_reason_for_every_area(which, request, chromium, out_dir, tmp_path):
    result = request.getfixturevalue(which)
    path = maps.save_map(maps.coverage_map(result), tmp_path / "map.html")
    assert _page_reasons(chromium, out_dir, path, len(result.areas)) == result.areas["reason"].tolist()


#: A point of the page where an area shape (not a marker or label) is what the mouse would hit.
_AN_AREA_POINT = """() => {
    for (const path of document.querySelectorAll('.leaflet-cgareas-pane path.cg-area')) {
        const r = path.getBoundingClientRect();
        for (let fx = 0.3; fx < 0.8; fx += 0.1) for (let fy = 0.3; fy < 0.8; fy += 0.1) {
            const x = r.left + fx * r.width, y = r.top + fy * r.height;
            if (document.elementFromPoint(x, y) === path) return [x, y];
        }
    }
    return null;
}"""


@pytest.mark.browser
def test_clicking_an_area_shows_its_reason(demo, chromium, out_dir, tmp_path):
    path = maps.save_map(maps.coverage_map(demo), tmp_path / "map.html")
    with offline_page(chromium, path, out_dir=out_dir, screenshot="popup.png") as (page, log):
        page.wait_for_selector(".leaflet-cgareas-pane path.cg-area")
        x, y = page.evaluate(_AN_AREA_POINT)
        page.mouse.click(x, y)
        page.wait_for_function("getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
        popup = page.inner_text(".leaflet-popup-content")
        name = popup.splitlines()[0]
        row = demo.areas.set_index("area_name").loc[name]
        assert row["reason"] in popup
        assert f"Rank (1 = target first)\t{int(row['rank'])}" in popup
    assert log.clean, log.summary()
