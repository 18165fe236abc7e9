"""Polylines encoded for every ring at once, exactly as the one-value-at-a-time reference."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

from coverage_gaps.maps._geometry import _encode_ring, encode_many, encode_polygons


def test_googles_worked_example():
    # developers.google.com polyline example: (38.5, -120.2), (40.7, -120.95), (43.252, -126.453)
    ring = Polygon([(-120.2, 38.5), (-120.95, 40.7), (-126.453, 43.252)])
    [[encoded]] = encode_polygons(ring)
    assert encoded.startswith("_p~iF~ps|U_ulLnnqC_mqNvxq`@")  # then the closing step back to the start
    assert encoded == _encode_ring(shapely.get_coordinates(ring.exterior))


def test_many_shapes_match_the_reference_ring_by_ring():
    rng = np.random.default_rng(4)
    shapes = []
    for k in range(60):
        x0, y0 = rng.uniform(-6, 2), rng.uniform(50, 56)
        outer = shapely.buffer(shapely.Point(x0, y0), rng.uniform(0.001, 0.5), quad_segs=int(rng.integers(2, 12)))
        hole = shapely.buffer(shapely.Point(x0, y0), 0.0005)
        shape = outer.difference(hole) if k % 3 == 0 else outer
        if k % 4 == 0:
            shape = MultiPolygon([shape, shapely.buffer(shapely.Point(x0 + 1, y0), 0.1)])
        shapes.append(shapely.set_precision(shape, 1e-5))
    shapes[5] = Polygon()
    shapes[9] = None
    expected = [
        [] if g is None or g.is_empty else
        [[_encode_ring(shapely.get_coordinates(r)) for r in (p.exterior, *p.interiors)] for p in shapely.get_parts(g)]
        for g in shapes
    ]
    got = encode_many(np.array(shapes, dtype=object))
    assert got == expected
    assert sum(len(p) > 1 for g in got for p in g) >= 10  # holes were encoded
    assert encode_many([]) == []
