"""Maps of thousands of areas draw them on one canvas, and hover and click still name the right area.

A grid of 72 x 72 = 5,184 squares of 500 m (over ``CANVAS_OVER``) with
reasons written by :func:`coverage_gaps.gaps.reasons`.  The area expected
under the pointer is found in Python from the grid (the square holding the
point), not by the page's own hit test.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from _result_fixtures import tiny_result
from browser import offline_page
from pyproj import Transformer
from shapely.geometry import box

from coverage_gaps import gaps, maps
from coverage_gaps.maps import _folium
from coverage_gaps.maps._data import CANVAS_OVER
from coverage_gaps.maps._layers import DataLayer

pytestmark = pytest.mark.browser

SIDE, CELL_M, X0, Y0 = 72, 500.0, 400_000.0, 270_000.0
MAP = "window[document.querySelector('.folium-map').id]"


@pytest.fixture(scope="module")
def grid():
    col, row = np.meshgrid(np.arange(SIDE), np.arange(SIDE))
    col, row = col.ravel(), row.ravel()
    n = SIDE * SIDE
    demand = ((col * 7 + row * 3) % 40).astype(float)
    nearest = (col + row) * 0.45
    access = np.where(demand > 0, (col % 9) * 0.5, np.nan)
    areas = gpd.GeoDataFrame({
        "area_code": [f"G{r:02d}{c:02d}" for r, c in zip(row, col)],
        "area_name": [f"Cell {r}-{c}" for r, c in zip(row, col)],
        "demand": demand, "population": 1500.0, "local_providers": (col % 3 == 0).astype(int), "nearest_km": nearest,
        "access": access, "coverage_share": np.clip(1 - nearest / 60, 0, 1), "unmet_demand": demand * 0.3,
        "share_beyond_reach": np.where(demand > 0, np.clip(nearest / 60, 0, 1), np.nan),
        "gap": np.select([demand == 0, nearest > 30, access < 1], ["no recorded need", "desert", "drought"],
                         "below average"),
        "rank": pd.array(np.arange(1, n + 1), dtype="Int64")},
        geometry=[box(X0 + c * CELL_M, Y0 + r * CELL_M, X0 + (c + 1) * CELL_M, Y0 + (r + 1) * CELL_M)
                  for r, c in zip(row, col)], crs="EPSG:27700")
    areas["demand_per_10k"] = areas["demand"] / areas["population"] * 10_000
    settings = {"demand": "asylum_support", "catchment_km": 30.0, "drought_share": 0.5}
    areas["reason"] = gaps.reasons(areas, benchmark=2.0, demand_column="asylum_support", catchment_km=30.0,
                                   measure=gaps.shortfall(settings))
    return dataclasses.replace(tiny_result(), areas=areas, candidates=None, settings=settings, benchmark=2.0)


def _area_at(page, x: float, y: float, areas) -> pd.Series:
    """The grid square under the container point (x, y), found from the page's coordinates, in Python."""
    lat, lng = page.evaluate(f"(() => {{ const ll = {MAP}.containerPointToLatLng([{x}, {y}]);"
                             " return [ll.lat, ll.lng]; })()")
    east, north = Transformer.from_crs(4326, 27700, always_xy=True).transform(lng, lat)
    c, r = int((east - X0) // CELL_M), int((north - Y0) // CELL_M)
    return areas.set_index("area_code").loc[f"G{r:02d}{c:02d}"]


def test_thousands_of_areas_draw_on_one_canvas_and_hover_and_click_name_the_area(grid, chromium, out_dir, tmp_path):
    m = maps.coverage_map(grid, top_n=0)
    (layer,) = [c for c in _folium.children(m) if isinstance(c, DataLayer) and c.kind == "areas"]
    assert len(grid.areas) > CANVAS_OVER and layer.data["canvas"] and layer.data["whyx"] == {}
    path = maps.save_map(m, tmp_path / "map.html")
    with offline_page(chromium, path, out_dir=out_dir, screenshot="canvas.png", viewport=(1000, 800)) as (page, log):
        page.wait_for_selector(".leaflet-cgareas-pane canvas")
        assert page.locator("path.cg-area").count() == 0  # no element per area
        for x, y in ((300, 560), (450, 700), (600, 480)):  # low enough that no popup pans the map
            expected = _area_at(page, x, y, grid.areas)
            painted = page.evaluate(f"""(() => {{
                const c = document.querySelector('.leaflet-cgareas-pane canvas'), r = c.getBoundingClientRect();
                const k = c.width / r.width;
                return c.getContext('2d').getImageData(({x} - r.left) * k, ({y} - r.top) * k, 1, 1).data[3];
            }})()""")
            assert painted > 0
            page.mouse.move(x, y)
            page.wait_for_selector(".leaflet-tooltip-pane .leaflet-tooltip")
            tip = page.inner_text(".leaflet-tooltip-pane")
            assert tip.startswith(f"{expected['area_name']} {expected.name}"), (tip, expected.name)
            page.mouse.click(x, y)
            page.wait_for_selector(".leaflet-popup-content")
            popup = page.inner_text(".leaflet-popup-content")
            assert popup.startswith(expected["area_name"]) and expected["reason"] in popup
            page.evaluate(f"{MAP}.closePopup()")
        page.get_by_label("Areas: People below average").check()  # the other view draws its own canvas
        assert "People below average" in page.inner_text(".cg-legend")
        assert page.locator(".leaflet-cgareas-pane canvas").count() == 2  # the area canvas and its hover outline
    assert log.clean, log.summary()
