"""Demo geography: 34 districts and about 300 sub-areas that tile the region exactly.

Districts are Voronoi cells around seeded points (the named places first),
sub-areas Voronoi cells inside each study district; every line is wobbled so
it looks drawn, snapped to the 1 m grid and cut into faces, so the pieces
tile without gaps or overlaps (checked, else an ``AssertionError``).
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from .spec import _KM, _NEIGHBOUR_NAMES, _PLACES, _RURAL_NAMES, NEIGHBOUR, ORIGIN, REGION


def _xy(km: tuple[float, float]) -> tuple[float, float]:
    return ORIGIN[0] + km[0] * _KM, ORIGIN[1] + km[1] * _KM


def _wobble(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A smooth displacement (< 600 m, slope < 0.5, so one-to-one) that makes ruled lines look drawn."""
    dx = 380 * np.sin(y / 2600 + 1.3) + 170 * np.sin((x + y) / 1150 + 0.4)
    dy = 380 * np.sin(x / 2600 + 2.1) + 170 * np.sin((x - y) / 1150 + 2.9)
    return dx, dy


def _unwobble(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Invert :func:`_wobble` by fixed-point iteration (it is a contraction)."""
    u, v = x.copy(), y.copy()
    for _ in range(40):
        dx, dy = _wobble(u, v)
        u, v = x - dx, y - dy
    return u, v


def _outline(rng) -> tuple:
    """The whole area (an irregular oval) split into the study region and a north-east neighbour strip."""
    t = np.linspace(0, 2 * np.pi, 96, endpoint=False)
    phase = rng.random(4) * 2 * np.pi
    wob = 1 + 0.05 * np.sin(2 * t + phase[0]) + 0.035 * np.sin(3 * t + phase[1]) + 0.02 * np.sin(5 * t + phase[2])
    whole = shapely.Polygon(np.c_[ORIGIN[0] + 78 * _KM * np.cos(t) * wob, ORIGIN[1] + 62 * _KM * np.sin(t) * wob])
    normal, along = np.array([0.6, 0.8]), np.array([-0.8, 0.6])
    s = np.linspace(-120, 120, 25)
    line = [np.array(ORIGIN) + _KM * (normal * (40 + 3 * math.sin(v / 20 + phase[3])) + along * v) for v in s]
    cap = shapely.Polygon(line + [line[-1] + normal * 200 * _KM, line[0] + normal * 200 * _KM])
    neighbour = shapely.intersection(whole, cap)
    return whole, shapely.difference(whole, cap), neighbour


def _spread(rng, polygon, fixed: list, n: int, min_m: float, inset_m: float) -> np.ndarray:
    """``fixed`` points plus random ones inside ``polygon`` at least ``min_m`` apart, ``n`` in all."""
    pts = [tuple(p) for p in fixed]
    inner = polygon.buffer(-inset_m)
    x0, y0, x1, y1 = inner.bounds
    tries = 0
    while len(pts) < n:
        x, y = x0 + rng.random() * (x1 - x0), y0 + rng.random() * (y1 - y0)
        tries += 1
        if tries > 5000:  # too tight: relax the spacing a little
            min_m, tries = min_m * 0.95, 0
        if not shapely.contains_xy(inner, x, y):
            continue
        if pts and np.min(np.hypot(np.array(pts)[:, 0] - x, np.array(pts)[:, 1] - y)) < min_m:
            continue
        pts.append((x, y))
    return np.array(pts)


def _edges(seeds: np.ndarray, polygon):
    """Voronoi edges of ``seeds`` inside ``polygon`` (running 5 m past it, so they always meet its edge)."""
    edges = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=polygon.buffer(30 * _KM), only_edges=True)
    return shapely.intersection(edges, polygon.buffer(5))


def _cells(seeds: np.ndarray, polygon) -> list:
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=polygon.buffer(30 * _KM), ordered=True)
    return [shapely.intersection(c, polygon) for c in shapely.get_parts(cells)]


def _nearest(x: float, y: float, seeds: np.ndarray) -> int:
    return int(np.argmin(np.hypot(seeds[:, 0] - x, seeds[:, 1] - y)))


def _canonical(geom):
    """Polygon on the 1 m grid, in a fixed vertex order, exterior counter-clockwise (RFC 7946)."""
    return shapely.orient_polygons(shapely.normalize(geom), exterior_cw=False)


def _geography(rng) -> dict:
    """Districts (34) and sub-areas (about 300) as shapely polygons, with names, codes and roles."""
    whole, study, neighbour = _outline(rng)
    named = [p for p in _PLACES if p[0] != "neighbour_city"]
    seeds = _spread(rng, study, [_xy(p[2]) for p in named], 30, 17 * _KM, 4 * _KM)
    nseeds = _spread(rng, neighbour, [_xy(_PLACES[-1][2])], 4, 17 * _KM, 3 * _KM)
    order = sorted(range(len(named), 30), key=lambda i: (-round(seeds[i, 1]), round(seeds[i, 0])))
    names = [p[1] for p in named] + [""] * (30 - len(named))
    for name, i in zip(_RURAL_NAMES, order):
        names[i] = name
    roles = [p[0] for p in named] + ["rural"] * (30 - len(named))
    nnames = [_PLACES[-1][1]] + list(_NEIGHBOUR_NAMES)
    # sub-area seeds inside each study district's (straight-edged) cell
    cells = _cells(seeds, study)
    counts = [p[3] for p in named] + [8 + int(rng.random() * 4) for _ in range(30 - len(named))]
    subseeds = [_spread(rng, cell, [], n, 0.55 * math.sqrt(cell.area / n), 300.0) for cell, n in zip(cells, counts)]
    # one noded set of lines, wobbled and snapped to the 1 m grid, then cut into faces
    lines = [whole.boundary, shapely.intersection(study.boundary, neighbour.buffer(5)),
             _edges(seeds, study), _edges(nseeds, neighbour)]
    lines += [_edges(s, c) for s, c in zip(subseeds, cells)]
    noded = shapely.segmentize(shapely.union_all(lines, grid_size=1.0), 800.0)
    noded = shapely.transform(noded, lambda xy: np.round(xy + np.c_[_wobble(xy[:, 0], xy[:, 1])]))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all([noded], grid_size=1.0))))
    inside = shapely.point_on_surface(faces)
    px, py = _unwobble(shapely.get_x(inside), shapely.get_y(inside))
    in_study = shapely.contains_xy(study, px, py)
    district = np.array([_nearest(x, y, seeds) if s else 30 + _nearest(x, y, nseeds)
                         for x, y, s in zip(px, py, in_study)])
    sub = np.array([_nearest(x, y, subseeds[d]) if d < 30 else -1 for x, y, d in zip(px, py, district)])
    shapes = [_canonical(shapely.union_all(faces[district == d], grid_size=1.0)) for d in range(34)]
    centre = np.c_[np.r_[seeds[:, 0], nseeds[:, 0]], np.r_[seeds[:, 1], nseeds[:, 1]]]
    centre = centre + np.c_[_wobble(centre[:, 0], centre[:, 1])]
    districts = [{"name": n, "role": r, "region": REGION, "geometry": g, "centre": c}
                 for n, r, g, c in zip(names + nnames, roles + ["neighbour_city"] + ["neighbour"] * 3, shapes, centre)]
    for d in districts[30:]:
        d["region"] = NEIGHBOUR
    subareas = []
    for d in range(30):
        pieces = [_canonical(shapely.union_all(faces[(district == d) & (sub == k)], grid_size=1.0))
                  for k in range(len(subseeds[d]))]
        pieces.sort(key=lambda g: (-round(shapely.centroid(g).y, -2), round(shapely.centroid(g).x, -2)))
        subareas.append(pieces)
    _check_tiling(districts, subareas)
    return _number(districts, subareas)


def _check_tiling(districts: list, subareas: list) -> None:
    """The districts tile the whole area and the sub-areas tile their district (else a bug, not bad luck)."""
    shapes = [d["geometry"] for d in districts]
    problems = [d["name"] for d in districts if d["geometry"].geom_type != "Polygon" or not d["geometry"].is_valid]
    problems += [f"{d['name']} sub-area" for d, subs in zip(districts, subareas)
                 for s in subs if s.geom_type != "Polygon" or not s.is_valid]
    if not shapely.coverage_is_valid(np.array(shapes)):
        problems.append("districts overlap")
    total = shapely.union_all(shapes)
    if abs(total.area - sum(s.area for s in shapes)) > 1 or len(shapely.get_parts(total)) != 1:
        problems.append("districts leave gaps or overlaps")
    for d, subs in zip(districts, subareas):
        if abs(sum(s.area for s in subs) - d["geometry"].area) > 1 or not shapely.coverage_is_valid(np.array(subs)):
            problems.append(f"sub-areas of {d['name']} do not tile it")
    if problems:
        raise AssertionError("demo geography is not a clean tiling: " + "; ".join(problems))


def _number(districts: list, subareas: list) -> dict:
    """Codes in alphabetical order within each region (as ONS numbers them): X06000001 ..."""
    order = sorted(range(len(districts)), key=lambda i: (districts[i]["region"][0], districts[i]["name"]))
    out, subs = [], []
    for k, i in enumerate(order, start=1):
        d = dict(districts[i], code=f"X06{k:06d}", outcode=f"ZX{k}")
        out.append(d)
        for j, geom in enumerate(subareas[i] if i < len(subareas) else [], start=1):
            subs.append({"code": f"X01{len(subs) + 1:06d}", "name": f"{d['name']} {j:03d}A", "parent": d["code"],
                         "geometry": geom})
    return {"districts": out, "subareas": subs}
