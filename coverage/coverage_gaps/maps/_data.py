"""The data each map layer embeds: areas (measure classes and gap categories), names, targets, providers.

Every string from the inputs is escaped here with :func:`._layers.esc` before
it reaches a layer; numbers are rounded to what the page shows.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd

from .._gap import GAP_COLOURS, present, text_colour
from .._text import candidate_lines
from ..schema import AREA_CODE, CRS_BNG
from . import _geometry as geo
from ._layers import DataLayer, esc, esc_many
from ._legend import PROVIDER_STYLES, ProviderStyle, provider_style
from ._reasons import percent_code, reason_columns, reason_km, whole_people

#: Short keys of the area columns embedded in the page: column -> (key, decimals).  The reason's numbers
#: (need, shortfall, nearest km, access to one decimal, share beyond reach) come from :mod:`._reasons`.
_AREA_COLUMNS = {"population": ("pop", 0), "demand_per_10k": ("r10", 1), "coverage_share": ("cs", "%")}
#: The column each measure is shown from in a tooltip (access with the two decimals of its classes).
_MEASURE_KEYS = {"unmet_demand": "u", "access": "a", "demand_per_10k": "r10", "nearest_km": "km"}


def _truthy(value) -> bool:
    try:
        return bool(value) and not pd.isna(value)
    except (TypeError, ValueError):
        return False


def _numbers(series: pd.Series, decimals: int) -> list:
    """Rounded to ``decimals``; whole numbers as ints, None where missing."""
    out = []
    for x in pd.to_numeric(series, errors="coerce").astype(float).tolist():
        r = round(x, decimals) if math.isfinite(x) else None
        out.append(int(r) if r is not None and r.is_integer() else r)
    return out


#: Areas above which polygons are drawn on a canvas (one element) rather than as SVG paths.
CANVAS_OVER = 5_000


def _area_data(areas, geoms, spec, classes, gaps: pd.Series, *, who: str, candidates, top_n: int, result) -> dict:
    n = len(areas)
    order = present(gaps)
    why = reason_columns(areas, result, gaps)
    cols = {"n": esc_many(areas.get("area_name", areas[AREA_CODE])), "c": esc_many(areas[AREA_CODE]),
            "k": classes.index.tolist(), "g": [order.index(g) for g in gaps], **why["cols"]}
    for column, (key, decimals) in _AREA_COLUMNS.items():
        if column in areas.columns:
            cols[key] = percent_code(areas[column]) if decimals == "%" else _numbers(areas[column], decimals)
    for column, key, digits in (("unmet_demand", "u", 0), ("nearest_km", "km", None), ("access", "a1", 1)):
        if key not in cols and column in areas.columns:  # a Result without reasons: the same numbers, rounded alike
            cols[key] = reason_km(areas[column]) if digits is None else _numbers(areas[column], digits)
    if spec.column == "access":
        cols["a"] = _numbers(areas["access"], spec.digits)
    if "d" not in cols and "demand" in areas.columns:
        cols["d"] = whole_people(areas["demand"])
    rank = pd.to_numeric(areas.get("rank", pd.Series(np.nan, index=areas.index)), errors="coerce")
    cols["rank"] = [int(r) if pd.notna(r) else None for r in rank]
    by_code = candidate_lines(candidates, escape=esc, with_status=True)
    cand = {}
    for i, (code, r) in enumerate(zip(areas[AREA_CODE].astype(str), rank)):
        if code in by_code or (pd.notna(r) and r <= top_n):
            cand[str(i)] = by_code.get(code, [])
    who_e = esc(who)
    rows = [["c", "Area code", 0], ["rank", "Rank (1 = target first)", 0], ["d", f"Need: {who_e}", 0],
            ["pop", "Residents", 0], ["r10", "Need per 10,000 residents", 1], ["lp", "Qualifying providers inside", 0],
            ["km", "Nearest qualifying adviser", 1], ["a1", f"Access: capacity per 1,000 {who_e}", 1],
            ["cs", "Share of need within reach", "%"], ["u", "Shortfall against the benchmark (estimate)", 0],
            ["g", "Gap", 0]]
    return {"geom": geo.encode_many(geoms), "cols": cols, "cand": cand, "rows": rows, "why": why["why"],
            "whyx": why["whyx"], "colours": list(classes.colours), "canvas": n > CANVAS_OVER,
            "gaps": {"names": [esc(_GAP_SHORT.get(g, g)) for g in order], "keys": [esc(g) for g in order],
                     "colours": [GAP_COLOURS.get(g, "#999999") for g in order]},
            "measure": {"key": _MEASURE_KEYS[spec.column], "column": spec.column, "label": esc(spec.label),
                        "unit": esc(spec.short), "digits": spec.digits},
            "style": {"className": "cg-area", "color": "#555555", "opacity": 0.9, "fillOpacity": 0.8,
                      "weight": 1 if n <= 200 else 0.6 if n <= 1000 else 0.35},
            "nodata": {"className": "cg-area cg-nodata", "fillColor": "#c8c8c8", "dashArray": "2 2"}}


#: How the tooltip and popup name a category (the rest use the category's own words).
_GAP_SHORT = {"desert": "advice desert", "drought": "advice drought"}


def _text(frame: pd.DataFrame, column: str) -> list[str]:
    """A column as plain strings ("" for missing or absent)."""
    if column not in frame.columns:
        return [""] * len(frame)
    return ["" if not isinstance(v, str) and pd.isna(v) else str(v) for v in frame[column].tolist()]


def _provider_tips(providers: pd.DataFrame, labels: list[str]) -> list[str]:
    """Tooltip HTML per provider, from escaped parts only (each column escaped at once)."""
    level = pd.to_numeric(providers.get("oisc_level", pd.Series(np.nan, index=providers.index)), errors="coerce")
    laa = [_truthy(v) for v in providers.get("laa_contract", pd.Series(False, index=providers.index)).tolist()]
    precision = _text(providers, "location_precision")
    columns = [esc_many(_text(providers, "name")), esc_many(labels),
               esc_many(c.replace(";", ", ") for c in _text(providers, "categories")),
               esc_many(_text(providers, "status")), esc_many(_text(providers, "area_name")), esc_many(precision)]
    tips = []
    for name, label, cats, status, area, where, lvl, contract, exact in zip(
            *columns, level.tolist(), laa, (p in ("", "exact") for p in precision)):
        extra = [f"OISC Level {int(lvl)}" if np.isfinite(lvl) and lvl > 0 else "", cats,
                 "legal aid contract" if contract else "", status]
        lines = [f"<strong>{name}</strong>", label, " &middot; ".join(x for x in extra if x),
                 f"in {area}" if area else "", "" if exact else f"location approximate ({where})"]
        tips.append("<br>".join(x for x in lines if x))
    return tips


def _provider_layers(providers, *, cluster_over: int) -> list[tuple[DataLayer, object, int]]:
    """One layer per provider type, in :data:`PROVIDER_STYLES` order, then other types A-Z."""
    if providers is None or not len(providers) or "geometry" not in providers:
        return []
    kinds = np.array(_text(providers, "provider_type"), dtype=object)
    points = geo.latlng(providers.geometry)
    located = np.isfinite(points).all(axis=1)
    present = set(kinds[located].tolist())
    order = [k for k in PROVIDER_STYLES if k in present] + sorted(present - set(PROVIDER_STYLES))
    tips = _provider_tips(providers, [provider_style(k).label for k in kinds])
    layers = []
    for kind in order:
        style = provider_style(kind)
        chosen = np.flatnonzero((kinds == kind) & located)
        rows = [[float(points[i, 0]), float(points[i, 1]), tips[i]] for i in chosen]
        data = {"pts": rows, "style": {**style.style, "className": f"cg-provider cg-provider-{len(layers)}"},
                "cluster": len(rows) > cluster_over, "ink": text_colour(style.style["fillColor"]),
                "what": esc(style.label)}
        layers.append((DataLayer("providers", data, name=f"{style.label} ({len(rows):,})", show=style.show),
                       style, len(rows)))
    return layers


#: Characters of an area name to pixels (11 px bold sans-serif), and the height of a label in pixels.
_PX_PER_CHAR, _LABEL_PX = 6.4, 16
#: Metres per pixel at zoom 0 on the equator (Web Mercator tiles of 256 px).
_M_PER_PX_Z0 = 156_543.03
#: Area names drawn at once, at most (the rest appear as you zoom in).
MAX_LABELS = 250


def _label_zoom(areas: pd.DataFrame, names: list[str], lat: np.ndarray) -> list[float]:
    """The zoom from which each area's name fits inside its bounding box (rounded up to a quarter)."""
    bounds = areas.geometry.to_crs(CRS_BNG).bounds
    width_m = (bounds["maxx"] - bounds["minx"]).to_numpy()
    height_m = (bounds["maxy"] - bounds["miny"]).to_numpy()
    need_px = np.array([_PX_PER_CHAR * len(html.unescape(n)) + 8 for n in names])
    scale = _M_PER_PX_Z0 * np.cos(np.radians(lat))
    with np.errstate(divide="ignore", invalid="ignore"):
        zoom = np.maximum(np.log2(need_px * scale / width_m), np.log2(_LABEL_PX * scale / height_m))
    zoom = np.where(np.isfinite(zoom), np.ceil(zoom * 4) / 4, 99.0)
    return [float(z) for z in zoom]


def _label_layer(areas, *, skip: set[str]) -> DataLayer | None:
    """Area names as labels, each from the zoom at which it fits (the top targets are labelled always).

    The names are the area layer's (``cgMap.labels`` reads them from it); the
    layer carries the label points as one encoded polyline, the zoom of each in
    quarters, and the rows not labelled (``skip``: the top targets and areas with no shape).
    """
    keep = ~areas[AREA_CODE].astype(str).isin(skip).to_numpy() & ~areas.geometry.is_empty.to_numpy()
    chosen = areas[keep]
    if not len(chosen):
        return None
    names = esc_many(chosen.get("area_name", chosen[AREA_CODE]))
    pts = geo.latlng(chosen.geometry.representative_point())
    quarters = [int(round(z * 4)) for z in _label_zoom(chosen, names, pts[:, 0])]
    data = {"at": geo.encode_points(pts), "skip": np.flatnonzero(~keep).tolist(), "mz4": quarters,
            "max": MAX_LABELS}
    return DataLayer("labels", data, name="Place names", show=True)


def _target_layer(areas, geoms, *, top_n: int) -> DataLayer | None:
    rank = pd.to_numeric(areas.get("rank", pd.Series(np.nan, index=areas.index)), errors="coerce")
    chosen = np.flatnonzero((rank.notna() & (rank <= top_n)).to_numpy())
    chosen = [i for i in chosen if not geoms[i].is_empty]
    if not chosen:
        return None
    chosen.sort(key=lambda i: (rank.iloc[i], str(areas[AREA_CODE].iloc[i])))
    pts = geo.latlng(areas.geometry.iloc[chosen].representative_point())
    data = {"geom": geo.encode_many(geoms[list(chosen)]), "pts": pts.tolist(),
            "labels": [esc(int(rank.iloc[i])) for i in chosen],
            "names": [esc(areas.get("area_name", areas[AREA_CODE]).iloc[i]) for i in chosen]}
    return DataLayer("targets", data, name=f"Top {len(chosen)} target areas", show=True)


def _marked_layer(providers, mark) -> tuple[DataLayer, ProviderStyle, int] | None:
    """A ring around each provider named in ``mark = (label, provider_ids)`` (e.g. those trained in a scenario)."""
    if not mark or providers is None or not len(providers) or "provider_id" not in providers.columns:
        return None
    label, ids = mark
    chosen = providers[providers["provider_id"].astype(str).isin({str(i) for i in ids})]
    points = geo.latlng(chosen.geometry)
    located = np.isfinite(points).all(axis=1)
    tips = _provider_tips(chosen, [str(label)] * len(chosen))
    rows = [[float(points[i, 0]), float(points[i, 1]), tips[i]] for i in np.flatnonzero(located)]
    style = ProviderStyle(str(label), {"radius": 11, "color": "#000000", "weight": 3.5, "fillColor": "#ffffff",
                                       "fillOpacity": 0.0, "className": "cg-marked"})
    data = {"pts": rows, "style": style.style, "cluster": False, "ink": "#000000", "what": esc(label)}
    return DataLayer("providers", data, name=f"{label} ({len(rows):,})"), style, len(rows)
