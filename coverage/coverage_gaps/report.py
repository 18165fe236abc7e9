"""The funder report: one self-contained HTML file that renders with no network.

``write_report(result, "report.html")`` gives a file a funder can open from an
email attachment: title, region and data dates, headline figures, the
interactive map (inlined Leaflet, in a sandboxed frame), the ranked target
table (sortable, with reasons and candidate partners), a plain-English method
with its caveats, and every source with its licence and attribution.
``write_report_and_map`` also writes the embedded map as a file of its own
(what ``coverage-gaps run`` does), built once for both.  Above the figures, a
"main points" paragraph (:mod:`coverage_gaps.findings`); with quarterly demand,
a trend chart; with a training plan (``plan=``), its picks and totals
(:mod:`coverage_gaps.report_sections`).

* Private data stays private: the report is built from
  :func:`coverage_gaps.publish.public_result` (the one publishing policy), which
  keeps only :data:`~coverage_gaps.schema.PUBLIC_PROVIDER_FIELDS` and moves
  provider points to the precision the profile allows.
* Everything from inputs is escaped (Jinja2 autoescaping).
* The same Result gives the same bytes: no clock, stable ids, sorted output.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import jinja2
import numpy as np
import pandas as pd
import shapely

from ._gap import GAP_COLOURS, GAP_WORDS, gap_categories, present
from ._version import __version__
from ._text import candidate_lines, count_words, fmt_number, fmt_share  # noqa: F401 (report.fmt_* are public)
from .gaps.categories import territory_words
from .gaps import demand_label, no_candidates_text, partner_list_supplied, shortfall, stability_grid
from .measures import RULES
from .publish import PRECISIONS, public_result  # noqa: F401 (report.PRECISIONS, report.public_result)
from .publish import snap_points as _snap_points  # noqa: F401
from .result import Result
from .schema import AREA_CODE, CRS_BNG, GAP, PUBLIC_PROVIDER_FIELDS  # noqa: F401 (report.PUBLIC_PROVIDER_FIELDS)
from .summary import data_warnings, supply_counted
from .summary import headline_figures as _headline

__all__ = ["write_report", "write_report_and_map", "render_report", "headline_figures", "public_result", "PRECISIONS"]

#: Table and print-map colours, one per gap category (the maps' own: Okabe-Ito, colour-blind safe);
#: every area is also labelled in words, so nothing relies on colour alone.
PALETTE = GAP_COLOURS

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("coverage_gaps", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


#: Above this many areas the printed map's shapes carry no title each (most are a pixel or two across:
#: nothing to point at, and 35,000 titles made a national report 2.5 MB bigger); the key and caption remain.
_TITLED_AREAS_MAX = 5_000


def _ring_path(xy: np.ndarray, *, x0: float, y1: float, step: float) -> str:
    """One ring as an SVG subpath in whole pixels: repeated pixels dropped, a ring under 3 pixels a 1-pixel square."""
    q = np.rint(np.column_stack(((xy[:, 0] - x0) / step, (y1 - xy[:, 1]) / step))).astype(np.int64)
    keep = np.ones(len(q), dtype=bool)
    keep[1:] = (q[1:] != q[:-1]).any(axis=1)
    q = q[keep]
    if len(q) > 1 and (q[0] == q[-1]).all():
        q = q[:-1]
    if len(q) < 3:
        return f"M{q[0, 0]},{q[0, 1]}h1v1h-1Z"
    return "M" + " ".join(f"{a},{b}" for a, b in q.tolist()) + "Z"


def _print_map_svg(areas: gpd.GeoDataFrame, *, top_n: int, width_px: int = 640) -> dict:
    """A static map (inline SVG, one path per area, in pixels) for print and for readers without scripts.

    Areas are shaded by gap category (the interactive map's first view, same
    colours) and the top ``top_n`` ranks are outlined with their number; the
    key lists the categories that occur, in words, with their counts.  Each
    shape names its area in a title, up to :data:`_TITLED_AREAS_MAX` areas.
    """
    if len(areas) == 0:
        return {"paths": [], "view_box": "0 0 1 1", "key": [], "ranks": []}
    geom = areas.geometry.to_crs(CRS_BNG).make_valid()
    x0, y0, x1, y1 = geom.total_bounds
    step = max(x1 - x0, y1 - y0) / width_px  # one pixel: finer detail is invisible
    gaps = gap_categories(areas)
    rank = pd.to_numeric(areas.get("rank", pd.Series(np.nan, index=areas.index)), errors="coerce")
    titled = len(areas) <= _TITLED_AREAS_MAX
    paths, ranks = [], []
    for code, name, shape, gap, r, spot in zip(areas[AREA_CODE].astype(str), areas["area_name"].astype(str),
                                               geom.simplify(step).to_numpy(), gaps, rank,
                                               geom.representative_point().to_numpy()):
        d = []
        for poly in getattr(shape, "geoms", [shape]):
            for ring in [getattr(poly, "exterior", None), *getattr(poly, "interiors", [])]:
                if ring is None or ring.is_empty:
                    continue
                d.append(_ring_path(shapely.get_coordinates(ring)[:-1], x0=x0, y1=y1, step=step))
        target = pd.notna(r) and r <= top_n
        label = (f"{name}: {GAP_WORDS.get(gap, gap)}" + (f", rank {int(r)}" if pd.notna(r) else "")
                 if titled else "")
        paths.append({"d": "".join(d), "fill": GAP_COLOURS.get(gap, "#999999"), "label": label,
                      "target": bool(target)})
        if target and not spot.is_empty:
            ranks.append({"x": f"{(spot.x - x0) / step:.0f}", "y": f"{(y1 - spot.y) / step:.0f}", "rank": int(r)})
    counts = gaps.value_counts()
    key = [{"colour": GAP_COLOURS.get(g, "#999999"), "words": GAP_WORDS.get(g, g),
            "count": count_words(int(counts[g]), "area")}
           for g in present(gaps)]
    paths.sort(key=lambda p: p["target"])  # target outlines drawn last, on top of their neighbours
    return {"paths": paths, "view_box": f"0 0 {(x1 - x0) / step:.0f} {(y1 - y0) / step:.0f}", "key": key,
            "ranks": sorted(ranks, key=lambda t: t["rank"])}


_DECAY = {
    "gaussian": "an adviser's capacity counts fully nearby and less with distance (a Gaussian curve), "
                "reaching zero at the edge of the catchment",
    "step": "every adviser inside the catchment counts in full and none outside it",
    "table": "an adviser's capacity counts less with distance, following the profile's distance table",
}


def _method(result: Result) -> dict:
    """Plain-English method facts for the template."""
    s = result.settings
    dates = sorted({f"{x.name}: {x.date}" for x in result.sources if x.date})
    undated = sorted({x.name for x in result.sources if not x.date})
    rejects = result.rejects.groupby("file").size().sort_index() if len(result.rejects) else pd.Series(dtype=int)
    measure = shortfall(s, coverage=result.coverage)
    unit = str(s.capacity_unit)
    return {
        "catchment_km": fmt_number(s.catchment_km, 0),
        "candidate_km": fmt_number(s.candidate_km, 0),
        "decay": _DECAY.get(str(s.decay), str(s.decay)),
        "rule": str(s.rule),
        "rule_text": RULES.get(str(s.rule), str(s.rule)),
        "supply": supply_counted(result)["sentence"],
        "capacity_unit": _UNITS.get(unit, unit),
        "benchmark": fmt_number(result.benchmark, 2),
        "benchmark_all": not measure.standard,
        "measure": measure,
        "coverage": territory_words(result.coverage) or "all areas in the data",
        "people_per_adviser": fmt_number(s.people_per_adviser or 0),
        "drought_share": fmt_share(float(s.drought_share)),
        "part_desert_share": fmt_share(float(s.part_desert_share)),
        "dates": dates,
        "undated": undated,
        "rejects": [{"file": str(f), "rows": fmt_number(n)} for f, n in rejects.items()],
        "rejects_total": fmt_number(len(result.rejects)),
        "notes": list(result.notes),  # data notes: date used, codes harmonised, people not placed (issue 12)
    }


_UNITS = {
    "office": "each office counts as one unit, whatever its size or waiting list",
    "organisation": "each organisation counts as one unit in each area it has offices in, shared over its "
                    "offices there (matched on the firm number where the file has one, else on the name), "
                    "whatever its size or waiting list",
}


def headline_figures(result: Result) -> dict[str, float]:
    """The report's headline numbers for the study areas (see :func:`coverage_gaps.summary.headline_figures`).

    Returns
    -------
    dict
        ``people_in_need`` (sum of demand), ``qualifying_providers`` (inside
        the study areas), ``desert_share``, ``part_desert_share`` and
        ``drought_share`` (share of demand in each gap category; NaN when there
        is no demand), ``residents_without_local_provider_share``,
        ``areas_over_min_without_local_provider``, ``areas_without_provider``
        (no qualifying provider inside), ``areas`` and ``unmet_demand`` (the
        shortfall, against the average or a standard).
    """
    areas = result.areas
    prov = result.providers
    codes = prov[AREA_CODE] if AREA_CODE in prov.columns else pd.Series("", index=prov.index)
    inside = codes.isin(set(areas[AREA_CODE]))
    qualifying = prov["qualifying"].fillna(False).astype(bool) if "qualifying" in prov.columns else inside
    figures = _headline(result)
    return {
        "people_in_need": figures["people_in_need"]["value"],
        "qualifying_providers": int((inside & qualifying).sum()),
        "desert_share": figures["desert_share"]["value"],
        "part_desert_share": figures["part_desert_share"]["value"],
        "drought_share": figures["drought_share"]["value"],
        "residents_without_local_provider_share": figures["residents_without_local_provider_share"]["value"],
        "areas_over_min_without_local_provider": figures["areas_over_min_without_local_provider"]["value"],
        "areas_without_provider": int((areas["local_providers"].fillna(0) == 0).sum()),
        "areas": int(len(areas)),
        "unmet_demand": figures["shortfall"]["value"],
    }


def _sort_value(value, digits: int = 6) -> str:
    """The number a cell sorts by ("" for missing: sorts last)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    return "" if not np.isfinite(v) else f"{v:.{digits}f}"


def _top_n(result: Result) -> int:
    """How many of the first ranks get candidates searched and outlined on the map."""
    return int(result.settings.top)


def _rows(result: Result) -> list[dict]:
    """One dict of display text per area, built column by column (35,000 areas in well under a second)."""
    candidates = candidate_lines(result.candidates)
    has_rate = "demand_per_10k" in result.areas.columns
    top_n = _top_n(result)
    empty = no_candidates_text(partner_list=partner_list_supplied(result.sources, result.providers),
                               within_km=float(result.settings.candidate_km))
    grid = len(stability_grid(result.settings))
    areas = result.areas

    def col(name, default=None) -> list:
        return areas[name].tolist() if name in areas.columns else [default] * len(areas)

    codes = [str(c) for c in col(AREA_CODE)]
    rank, rate, share = col("rank"), col("demand_per_10k"), col("share_beyond_reach")
    local, nearest = col("local_providers", 0), col("nearest_km", np.nan)
    demand, access, unmet = col("demand"), col("access"), col("unmet_demand")
    ranges = [_rank_range(dict(zip(("rank", "rank_min", "rank_max", "top10_in"), r)), grid)
              for r in zip(rank, col("rank_min"), col("rank_max"), col("top10_in"))]
    return [{
        "code": code,
        "name": str(name),
        "rank": "" if pd.isna(rk) else str(int(rk)),
        "rank_sort": _sort_value(rk, 0),
        "demand": fmt_number(d), "demand_sort": _sort_value(d),
        "rate": fmt_number(rt, 1) if has_rate else "",
        "rate_sort": _sort_value(rt),
        "local": fmt_number(lc), "local_sort": _sort_value(lc),
        "nearest": fmt_number(nr, 1) if np.isfinite(float(nr)) else "none in the data",
        "nearest_sort": _sort_value(nr),
        "access": fmt_number(ac, 2), "access_sort": _sort_value(ac),
        "unmet": fmt_number(un), "unmet_sort": _sort_value(un),
        "status": str(status),
        "share": fmt_share(sh) if pd.notna(sh) else "",
        "share_sort": _sort_value(sh),
        "range": span,
        "reason": str(reason),
        "candidates": candidates.get(code, []),
        "searched": pd.notna(rk) and int(rk) <= top_n,
        "empty": empty,
    } for code, name, rk, d, rt, lc, nr, ac, un, status, sh, span, reason in zip(
        codes, col("area_name", ""), rank, demand, rate, local, nearest, access, unmet,
        gap_categories(areas).tolist(), share, ranges, col("reason", ""))]


def _rank_range(a, grid: int) -> str:
    """"2-19; top 10 in 4 of 6" for a ranked area with stability columns, else ""."""
    low, high, top = a.get("rank_min"), a.get("rank_max"), a.get("top10_in")
    if pd.isna(a.get("rank")) or low is None or pd.isna(low) or not grid:
        return ""
    span = f"{int(low)}" if int(low) == int(high) else f"{int(low)}-{int(high)}"
    return f"{span}; top 10 in {int(top)} of {grid}"


def _source_rows(result: Result) -> tuple[list[dict], list[str]]:
    rows = [{"name": s.name, "file": s.file, "date": s.date or "not stated", "licence": s.licence or "not stated",
             "attribution": s.attribution, "url": s.url} for s in result.sources]
    attributions = sorted({s.attribution for s in result.sources if s.attribution})
    return rows, attributions


def _documents(result: Result, *, title: str | None = None, tiles=None, plan=None) -> tuple[str, str]:
    """The report and the map it embeds, as two HTML documents (the map is built and rendered once)."""
    from . import maps
    from .findings import main_points
    from .report_sections import plan_section, trend_chart

    public = public_result(result)
    map_text = maps.map_html(maps.coverage_map(public, tiles=tiles, top_n=_top_n(public)))
    figures = headline_figures(public)
    described = _headline(public)
    sources, attributions = _source_rows(public)
    rows = _rows(public)
    s = public.settings
    context = {
        "title": title or public.title or "Immigration and asylum advice coverage",
        "region": public.region_name,
        "generated_on": public.generated_on or "not stated",
        "synthetic": public.synthetic,
        "version": __version__,
        "who": demand_label(str(s.demand)),
        "figures": {
            "people": fmt_number(figures["people_in_need"]),
            "providers": fmt_number(figures["qualifying_providers"]),
            "desert": fmt_share(figures["desert_share"]),
            "part_desert": fmt_share(figures["part_desert_share"]),
            "drought": fmt_share(figures["drought_share"]),
            "residents": fmt_share(figures["residents_without_local_provider_share"]),
            "over_min": fmt_number(figures["areas_over_min_without_local_provider"]),
            "min_demand": fmt_number(float(s.headline_min_demand)),
            "without": fmt_number(figures["areas_without_provider"]),
            "areas": fmt_number(figures["areas"]),
            "unmet": fmt_number(figures["unmet_demand"]),
            "by_type": described["providers_by_type"]["value"],
            "stable": described["stable_top"],
            "definitions": {k: v["definition"] for k, v in described.items()},
        },
        "warnings": data_warnings(public),
        "points": main_points(public),
        "trend": trend_chart(public),
        "plan": plan_section(plan, public),
        "measure": shortfall(s, coverage=public.coverage),
        "rows": rows,
        "has_rate": "demand_per_10k" in public.areas.columns,
        "counts": {k: sum(r["status"] == k for r in rows) for k in PALETTE},
        "has_range": any(r["range"] for r in rows),
        "deserts": [r["name"] for r in rows if r["status"] == "desert"],
        "droughts": [r["name"] for r in rows if r["status"] == "drought"],
        "top": [r for r in rows if r["rank"]][:3],
        "rank_by": (shortfall(s, coverage=public.coverage).label
                    if s.rank_by == "unmet_demand"
                    else str(s.rank_by).replace("_", " ")),
        "shown": int(s.report_top),
        "sources": sources,
        "attributions": attributions,
        "method": _method(result),
        "palette": PALETTE,
        "print_map": _print_map_svg(public.areas, top_n=_top_n(public)),
        "map_html": map_text,
        "tiles": tiles is not None,
        "top_n": _top_n(public),
        "precision": {"exact": "full", "district": "district (about 2 km)", "area": "area (one point per area)"}[
            public.publish.point_precision],
    }
    return _TEMPLATES.get_template("report.html.j2").render(**context), map_text


def render_report(result: Result, *, title: str | None = None, tiles=None, plan=None) -> str:
    """The funder report as one HTML string.

    Parameters
    ----------
    result
        The analysis Result (private provider fields are dropped here).
    title
        Heading; default ``result.title``.
    tiles
        Optional base-map tiles passed to :func:`coverage_gaps.maps.coverage_map`.
        ``None`` (default) keeps the report fully offline.
    plan
        A training plan of this Result (:func:`coverage_gaps.scenarios.best_to_train`):
        the report then lists its picks and totals.  ``None`` (default): no plan section.

    Returns
    -------
    str
        A complete HTML document with every script and style inlined.
    """
    return _documents(result, title=title, tiles=tiles, plan=plan)[0]


def _write(path: str | Path, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def write_report(result: Result, path: str | Path, *, title: str | None = None, tiles=None, plan=None) -> Path:
    """Write the funder report to ``path`` (UTF-8, LF) and return the path.

    See :func:`render_report` for the options.
    """
    return _write(path, render_report(result, title=title, tiles=tiles, plan=plan))


def write_report_and_map(result: Result, report_path: str | Path, map_path: str | Path, *,
                         plan=None) -> tuple[Path, Path]:
    """Write the funder report and, as a file of its own, the map it embeds; return both paths.

    The map is built once, from the same public copy of ``result`` as the
    report (:func:`public_result`: allow-listed fields, the profile's location
    precision), so the two files always agree.
    """
    report_text, map_text = _documents(result, plan=plan)
    return _write(report_path, report_text), _write(map_path, map_text)
