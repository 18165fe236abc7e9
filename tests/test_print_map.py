"""The printed (no-script) map at any scale: one shape per area, in whole pixels, never empty; titles while they help."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from coverage_gaps import report


def _grid(n_side: int, *, size_m: float = 1_000.0) -> gpd.GeoDataFrame:
    """n_side x n_side square areas of ``size_m`` metres."""
    cells = [shapely.box(i * size_m, j * size_m, (i + 1) * size_m, (j + 1) * size_m)
             for i in range(n_side) for j in range(n_side)]
    n = len(cells)
    return gpd.GeoDataFrame({"area_code": [f"A{i:05d}" for i in range(n)], "area_name": [f"Area {i}" for i in range(n)],
                             "gap": ["drought"] * n, "rank": np.arange(1, n + 1, dtype=float)},
                            geometry=cells, crs="EPSG:27700")


def _points(d: str) -> list[list[tuple[int, int]]]:
    rings = []
    for ring in re.findall(r"M([^Z]*)Z", d):
        if "h" in ring:  # a 1-pixel square
            rings.append([])
            continue
        rings.append([tuple(map(int, p.split(","))) for p in ring.split()])
    return rings


def test_a_small_region_keeps_every_outline_and_its_title():
    svg = report._print_map_svg(_grid(3), top_n=2)
    assert len(svg["paths"]) == 9 and all(p["label"].startswith("Area ") for p in svg["paths"])
    for p in svg["paths"]:
        (ring,) = _points(p["d"])
        assert len(ring) == 4  # the square's four corners, in whole pixels
        assert all(a != b for a, b in zip(ring, ring[1:]))  # no point repeated


def test_a_national_layer_draws_sub_pixel_areas_as_one_pixel_and_drops_the_titles():
    areas = _grid(80, size_m=50.0)  # 6,400 areas of 50 m
    far = gpd.GeoDataFrame({"area_code": ["B"], "area_name": ["Far away"], "gap": ["desert"], "rank": [np.nan]},
                           geometry=[shapely.box(600_000, 600_000, 600_010, 600_010)], crs="EPSG:27700")
    wide = gpd.GeoDataFrame(pd.concat([areas, far], ignore_index=True), crs="EPSG:27700")
    svg = report._print_map_svg(wide, top_n=10)
    assert len(svg["paths"]) == len(wide)  # one shape per area, still
    assert all(p["label"] == "" for p in svg["paths"])  # over 5,000 areas: no title per shape
    # a 600 km span at 640 px makes every 50 m square far below a pixel: each is drawn as a 1-pixel square
    # (or, across a pixel edge, a shape of at most a pixel), never as nothing, and never with repeated points
    squares = [p for p in svg["paths"] if re.fullmatch(r"M\d+,\d+h1v1h-1Z", p["d"])]
    assert len(squares) > 0.9 * len(wide)
    for p in svg["paths"]:
        if p not in squares:
            (ring,) = _points(p["d"])
            xs, ys = zip(*ring)
            assert len(set(ring)) == len(ring) >= 3 and max(xs) - min(xs) <= 1 and max(ys) - min(ys) <= 1
