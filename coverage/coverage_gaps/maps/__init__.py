"""Interactive maps of a Result that work offline: in JupyterLab, saved files and reports.

::

    m = cg.maps.coverage_map(result)                 # folium.Map; displays in a notebook
    cg.maps.save_map(m, "map.html")                  # one self-contained file
    html = cg.maps.map_html(m)                       # the same document as a string

The map has a classed choropleth of one measure, provider layers by type, the
top target areas outlined with their rank, a legend and a layer control.

* **Offline**: Leaflet (and the marker-cluster plugin when a layer is
  clustered) is inlined from the pinned XStatic PyPI packages (:mod:`coverage_gaps._assets`);
  folium's CDN links (jQuery, Bootstrap, font icons ...) are dropped and no
  image icons are used.  Base-map tiles are optional (``tiles=``).
* **Small**: boundaries are simplified as a coverage and encoded compactly
  (:mod:`._geometry`); only the properties shown are embedded.
* **Safe**: every string from the inputs is HTML-escaped and all data reaches
  the page as script-safe JSON, never through a Jinja template (:mod:`._layers`).
  Adding folium ``Popup``/``Tooltip`` objects by hand is not supported: they
  need jQuery and put text into JavaScript template literals.
* **Deterministic**: element ids are numbered, so the same Result gives
  byte-identical HTML.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import OrderedDict
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from .. import _assets
from ..errors import InvalidValueError, describe
from ..gaps import demand_label, shortfall
from ..schema import AREA_CODE
from . import _geometry as geo
from .._gap import gap_categories, present
from ._classify import MAP_MEASURES, MEASURES, classify, measure_spec
from ._layers import CSS, HATCH_SVG, SCRIPT, Banner, DataLayer, HtmlControl, LayerList, Raw, esc, safe_json
from ._data import _area_data, _label_layer, _marked_layer, _provider_layers, _target_layer
from ._legend import PROVIDER_STYLES, legend_html

__all__ = ["coverage_map", "map_html", "save_map", "CoverageMap", "MAP_MEASURES", "MEASURES", "SYNTHETIC_BANNER"]

SYNTHETIC_BANNER = "Synthetic demo data: not real places or people"
class CoverageMap(folium.Map):
    """A ``folium.Map`` that renders the same way every time it is rendered.

    folium adds some elements while rendering (e.g. a tile layer's ``addTo``)
    under random keys, so a second render would repeat them.  This map puts
    the page's head, body and script back as they were built before each render.
    """

    _built: dict | None = None

    def freeze(self) -> None:
        """Remember the page parts as built (called once the map is complete)."""
        figure = self.get_root()
        self._built = {part: OrderedDict(getattr(figure, part)._children) for part in ("header", "html", "script")}

    def render(self, **kwargs):
        figure = self.get_root()
        if self._built is not None:
            for part, children in self._built.items():
                getattr(figure, part)._children = OrderedDict(children)
        figure._template = _PAGE
        super().render(**kwargs)
        # folium's page head forbids zooming the page (user-scalable=no): let readers zoom.
        head = figure.header._children.get(self.get_name())
        if head is not None and not isinstance(head, Raw):
            figure.header._children[self.get_name()] = Raw(_NO_ZOOM_LOCK.sub("", head.render()))


#: The page around the map: branca's, with the language stated (screen readers pick their voice by it).
_PAGE = Template(
    "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n"
    "{% if this.title %}<title>{{this.title}}</title>{% endif %}"
    "    {{this.header.render(**kwargs)}}\n</head>\n<body>\n    {{this.html.render(**kwargs)}}\n</body>\n"
    "<script>\n    {{this.script.render(**kwargs)}}\n</script>\n</html>\n")
_NO_ZOOM_LOCK = re.compile(r",\s*maximum-scale=1\.0,\s*user-scalable=no")


class _Attribution(MacroElement):
    """Leaflet's credit without its external link (the data credits are in the legend)."""

    def __init__(self):
        super().__init__()
        self._name = "attribution"

    def render(self, **kwargs):
        js = f"{self._parent.get_name()}.attributionControl.setPrefix({safe_json('Leaflet')});"
        self.get_root().script.add_child(Raw(js), name=self.get_name())


class _RefitOnLoad(MacroElement):
    """Re-measure the map and fit the study area once the page has laid out.

    Inside an iframe (notebooks, the report) Leaflet can start while its box is
    still 0 x 0 and stay zoomed out; fitting again on ``load`` fixes that.
    """

    def __init__(self, bounds):
        super().__init__()
        self._name = "refit"
        self.bounds = bounds

    def render(self, **kwargs):
        js = ("(function (m, b) { function refit() { m.invalidateSize(); m.fitBounds(b); }"
              " if (document.readyState === 'complete') { setTimeout(refit, 0); }"
              " else { window.addEventListener('load', refit); } })"
              f"({self._parent.get_name()}, {safe_json(self.bounds)});")
        self.get_root().script.add_child(Raw(js), name=self.get_name())


def _check_int(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise InvalidValueError(describe("the map option is not a whole number in range", column=name, value=value,
                                         expected=f"a whole number >= {low}", fix=f"pass {name}= a whole number"))
    return int(value)


def _stable_ids(root) -> None:
    """Number every element (folium names them with random UUIDs) so output is byte-identical."""
    counter = itertools.count(1)

    def visit(element) -> None:
        for part in ("header", "html", "script"):
            sub = getattr(element, part, None)
            if isinstance(sub, Element) and sub is not element:
                visit(sub)
        renamed = OrderedDict()
        for key, child in element._children.items():
            old = child.get_name()
            child._id = f"{next(counter):03d}"
            visit(child)
            renamed[child.get_name() if key == old else key] = child
        element._children = renamed

    root._id = "000"
    visit(root)


def _named_shortfall(spec, result):
    """The shortfall measure named for what it is (issue 13): below the average, or unmet against a standard."""
    if spec.column != "unmet_demand":
        return spec
    named = shortfall(result.settings, coverage=str(getattr(result, "coverage", "") or ""))
    return dataclasses.replace(spec, label=named.heading, unit=named.label + " (estimate)")


def coverage_map(result, *, measure: str = "unmet_demand", k: int = 5, tiles=None, top_n: int = 10,
                 cluster_over: int = 100, simplify: bool = True, height: int = 600, mark=None) -> folium.Map:
    """An interactive, offline map of a Result.

    Parameters
    ----------
    result
        A :class:`~coverage_gaps.result.Result`.
    measure
        Area measure to colour by: ``"unmet_demand"`` (default), ``"access"``,
        ``"demand_per_10k"`` or ``"nearest_km"``.
    k
        Number of classes (2-9); fewer when the measure has fewer distinct values.
    tiles
        ``None`` (default): no base map, fully offline.  A folium tile name
        (``"OpenStreetMap"``, ``"CartoDB positron"``) or a ``folium.TileLayer``
        adds a base map fetched from the network, with its attribution.
    top_n
        Outline and label the areas ranked 1 to ``top_n`` (0 for none).
    cluster_over
        Cluster a provider layer (leaflet.markercluster) when it has more points.
    simplify
        Simplify boundaries as a coverage (tolerance = map extent / 2,000).
    height
        Height in pixels when displayed in a notebook (saved files fill the window).
    mark
        ``(label, provider_ids)``: ring these providers and list them in the
        key under ``label`` (e.g. ``("Trained in this scenario", ids)``).

    Returns
    -------
    CoverageMap
        A ``folium.Map`` with offline assets inlined and stable element ids.
    """
    areas = getattr(result, "areas", None)
    if not isinstance(areas, pd.DataFrame) or AREA_CODE not in areas.columns or "geometry" not in areas.columns:
        raise InvalidValueError(describe("coverage_map needs a Result whose areas have area_code and geometry",
                                         value=type(result).__name__, expected="a coverage_gaps Result",
                                         fix="pass the Result returned by cg.run_profile or cg.analyse"))
    spec = _named_shortfall(measure_spec(measure, areas.columns), result)
    top_n, cluster_over, height = (_check_int("top_n", top_n, 0), _check_int("cluster_over", cluster_over, 0),
                                   _check_int("height", height, 1))
    classes = classify(areas[spec.column], k=k, spec=spec)
    who = demand_label(str(result.settings.demand)) if result.settings.demand else "people in need"
    geoms = geo.display_geometries(areas, simplify=simplify)
    bounds = geo.bounds_latlng(geoms)
    provider_layers = _provider_layers(getattr(result, "providers", None), cluster_over=cluster_over)
    marked = _marked_layer(getattr(result, "providers", None), mark)
    if marked is not None:
        provider_layers.append(marked)
    clustered = any(layer.data["cluster"] for layer, _, _ in provider_layers)

    m = CoverageMap(location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2], zoom_start=8,
                   tiles=None, control_scale=True, font_size="13px")
    m.default_js, m.default_css = [], []  # no CDN links: Leaflet is inlined below
    # Marker clusters need a maxZoom, which only a tile layer would otherwise set.
    m.options.update(max_zoom=18, min_zoom=4, zoom_snap=0.25, zoom_delta=0.5)
    figure = m.get_root()
    figure.height = f"{height}px"
    figure.title = esc(getattr(result, "title", "") or "Advice coverage map")
    names = ["leaflet_css", "leaflet_js"] + (["markercluster_css", "markercluster_default_css", "markercluster_js"]
                                             if clustered else [])
    figure.header.add_child(Raw(_assets.inline_html(names) + f"\n<style>{CSS}</style>\n<script>{SCRIPT}</script>"),
                            name="cg_assets")
    figure.html.add_child(Raw(HATCH_SVG), name="cg_hatch")
    if tiles is not None:
        try:
            (tiles if isinstance(tiles, folium.TileLayer) else folium.TileLayer(tiles, control=True)).add_to(m)
        except ValueError as exc:
            raise InvalidValueError(describe("base-map tiles not recognised", column="tiles", value=tiles,
                                             expected="a folium tile name such as 'OpenStreetMap' or a TileLayer "
                                                      f"with attribution ({exc})", fix="pass tiles=None for no base map"
                                             )) from None
    gaps = gap_categories(areas)
    # Two views of the areas, one at a time (radio buttons): the gap category first, then the measure.
    DataLayer("areas", _area_data(areas, geoms, spec, classes, gaps, who=who, top_n=top_n,
                                  candidates=getattr(result, "candidates", None)),
              name=f"Areas: {spec.label}", overlay=False, show=False).add_to(m)
    DataLayer("gaps", {}, name="Areas: gap category", overlay=False, show=True).add_to(m)
    target = _target_layer(areas, geoms, top_n=top_n) if top_n else None
    rank = pd.to_numeric(areas.get("rank", pd.Series(np.nan, index=areas.index)), errors="coerce")
    labels = _label_layer(areas, skip=set(areas[AREA_CODE].astype(str)[rank <= top_n]) if target is not None else set())
    for layer in (target, labels):
        if layer is not None:
            layer.add_to(m)
    for layer, _, _ in provider_layers:
        layer.add_to(m)
    if getattr(result, "synthetic", False):
        Banner(SYNTHETIC_BANNER).add_to(m)
    _Attribution().add_to(m)
    LayerList().add_to(m)
    sources = list(getattr(result, "sources", []) or [])
    counts = gaps.value_counts()
    HtmlControl(legend_html(spec, classes, gaps=[(g, int(counts[g])) for g in present(gaps)], who=who,
                            providers=[(s, n) for _, s, n in provider_layers],
                            targets=len(target.data["labels"]) if target is not None else 0, sources=sources,
                            generated_on=str(getattr(result, "generated_on", "") or "")),
                position="topright").add_to(m)
    m.fit_bounds(bounds)
    _RefitOnLoad(bounds).add_to(m)
    _stable_ids(figure)
    m.freeze()
    return m


def map_html(m: folium.Map) -> str:
    """The map as one complete HTML document (for a file or an iframe ``srcdoc``).

    Raises
    ------
    InvalidValueError
        When the document would load a script, style or image from the
        network (e.g. a folium plugin added to a :func:`coverage_map`).
    """
    text = m.get_root().render()
    found = _assets.external_references(text)
    if found:
        raise InvalidValueError(describe(
            "the map would load files from the network, so it would be blank offline",
            value="; ".join(found[:3]), expected="every script and style inlined",
            fix="build the map with coverage_gaps.maps.coverage_map and do not add folium plugins that use CDN links"))
    return text


def save_map(m: folium.Map, path: str | Path) -> Path:
    """Write :func:`map_html` to ``path`` (UTF-8, LF line endings) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(map_html(m).encode("utf-8"))
    return path
