"""Folium elements whose data reaches the page only as safely encoded JSON.

Folium's own ``Tooltip`` puts its text inside a JavaScript template literal
(a backtick or ``${...}`` in a name would break out of it) and its ``Popup``
needs jQuery, so the map uses these small elements instead:

* every string from the inputs is HTML-escaped in Python (:func:`esc`) before
  it is put into any tooltip, popup, label or layer data, because Leaflet
  inserts those strings as HTML;
* all data goes into the script through :func:`safe_json`, which also writes
  ``<``, ``>``, ``&`` and ``'`` as ``\\u003c`` ..., so no value can close the
  ``<script>`` element or open a comment.

The script helpers (:data:`SCRIPT`) and styles (:data:`CSS`) are this
project's own code, inlined into the page head.
"""

from __future__ import annotations

import html
import json
import math

from branca.element import Element, MacroElement
from folium.map import Layer
from folium.template import Template

__all__ = ["esc", "safe_json", "Raw", "DataLayer", "HtmlControl", "Banner", "SCRIPT", "CSS", "HATCH_SVG"]

#: Characters html.escape leaves alone that matter to templates: Jinja (``{{``), JS template literals.
_EXTRA_ESCAPES = {"{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;"}
_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def esc(value) -> str:
    """HTML-escape a value from the inputs ("" for missing).

    Besides ``& < > " '`` it writes ``{ } ` $`` as character references, so
    the text can never open a Jinja expression (branca renders element output
    as a template a second time) or a JavaScript template-literal
    substitution.  Browsers display the references as the characters.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        if value != value:  # pandas NA / NaT
            return ""
    except (TypeError, ValueError):
        return ""
    text = html.escape(str(value), quote=True)
    for char, entity in _EXTRA_ESCAPES.items():
        text = text.replace(char, entity)
    return text


def safe_json(obj) -> str:
    """JSON that is safe inside an HTML ``<script>``: compact, no NaN, ``<>&'`` escaped."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JS_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


class Raw(Element):
    """Text that goes into the page as it is: never parsed as a Jinja template.

    branca wraps every macro's output in ``Element(text)``, which compiles the
    text as a template and renders it again; data holding ``{{`` would be
    evaluated.  These elements hand their text over untouched.
    """

    def __init__(self, text: str):
        super().__init__()
        self._name = "raw"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class _RawScript:
    """Mixin: render the ``script`` macro into the figure as :class:`Raw` text."""

    def _render_raw(self, **kwargs) -> None:
        figure = self.get_root()
        script = self._template.module.__dict__["script"]
        figure.script.add_child(Raw(str(script(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class DataLayer(_RawScript, Layer):
    """An overlay built in the page by ``cgMap.<kind>(data)`` from one JSON object.

    Parameters
    ----------
    kind
        ``"areas"``, ``"providers"`` or ``"targets"`` (a function of :data:`SCRIPT`).
    data
        JSON-able data; strings in it must already be escaped with :func:`esc`.
    name
        Name shown in the layer control (escaped here).
    show
        Whether the layer is on when the map opens.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = cgMap.{{ this.kind }}({{ this.data_json }});
            {%- if this.show %}
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, kind: str, data: dict, *, name: str, show: bool = True):
        super().__init__(name=esc(name), overlay=True, control=True, show=show)
        self._name = f"{kind}_layer"
        self.kind = kind
        self.data = data
        self.data_json = safe_json(data)

    def render(self, **kwargs):
        self._render_raw(**kwargs)


class HtmlControl(_RawScript, MacroElement):
    """A Leaflet control (legend) holding HTML built from escaped parts."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = cgMap.control({{ this._parent.get_name() }}, {{ this.html_json }},
                {{ this.position_json }}, {{ this.class_json }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, *, position: str = "bottomright", css_class: str = "cg-legend"):
        super().__init__()
        self._name = "html_control"
        self.html = html_text
        self.html_json, self.position_json, self.class_json = (safe_json(html_text), safe_json(position),
                                                              safe_json(css_class))

    def render(self, **kwargs):
        self._render_raw(**kwargs)


class Banner(HtmlControl):
    """Plain text across the top of the map (e.g. "synthetic demo data")."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            cgMap.banner({{ this._parent.get_name() }}, {{ this.html_json }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__(text, css_class="cg-banner")
        self._name = "banner"


#: A hatch pattern for areas with no data, referenced from CSS as ``url(#cg-hatch)``.
HATCH_SVG = (
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">'
    '<defs><pattern id="cg-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#e4e4e4"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="2.5"/></pattern></defs></svg>'
)

CSS = """
.leaflet-container{background:#f4f4f1;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
.leaflet-overlay-pane path.cg-nodata{fill:url(#cg-hatch)}
.cg-legend{background:rgba(255,255,255,.95);padding:6px 9px;border-radius:4px;box-shadow:0 1px 5px rgba(0,0,0,.35);
 font-size:12px;line-height:1.35;max-width:270px;color:#111}
.cg-legend{max-height:calc(100vh - 90px);overflow:auto}
.cg-legend summary{cursor:pointer}
.cg-legend summary h4{display:inline;margin:0;font-size:13px}
.cg-legend .cg-credits{margin-top:4px;font-size:11px;color:#444}
.cg-legend .cg-credits li{display:list-item;margin:2px 0 0 14px;list-style:disc}
.cg-legend .cg-unit{color:#444;margin:0 0 4px}
.cg-legend .cg-sub{margin:6px 0 2px;font-weight:bold}
.cg-legend ul{list-style:none;margin:0;padding:0}
.cg-legend li{display:flex;align-items:center;gap:6px;margin:2px 0}
.cg-legend .cg-date{margin-top:6px;color:#444;font-size:11px}
.cg-sw{display:inline-block;width:18px;height:12px;border:1px solid #666;flex:none}
.cg-sw-nodata{background:repeating-linear-gradient(45deg,#8c8c8c 0 2px,#e4e4e4 2px 5px)}
.cg-sw-target{background:transparent;border:3px solid #000;box-shadow:0 0 0 2px #fff inset}
.cg-dot{display:inline-block;border-radius:50%;flex:none;box-sizing:border-box}
.cg-rank{background:#fff;border:2px solid #000;border-radius:50%;color:#000;
 font:bold 12px/20px system-ui,Arial,sans-serif;
 text-align:center;box-sizing:border-box}
.leaflet-control.cg-banner{background:#222;color:#fff;padding:4px 12px;border-radius:3px;
 font:bold 13px system-ui,Arial,sans-serif;letter-spacing:.02em;box-shadow:0 1px 5px rgba(0,0,0,.35)}
.cg-tip{white-space:normal;min-width:200px;max-width:300px}
.cg-muted{color:#555}
.cg-why{display:block;margin-top:3px;color:#333;font-size:11px}
.cg-popup table{border-collapse:collapse;margin:4px 0}
.cg-popup th{text-align:left;font-weight:normal;color:#444;padding:1px 8px 1px 0;vertical-align:top}
.cg-popup td{padding:1px 0}
.cg-popup ul{margin:2px 0;padding-left:18px}
.marker-cluster.cg-cluster div{color:#fff;font-weight:bold}
"""

SCRIPT = r"""
var cgMap = (function () {
  "use strict";
  function ring(s) {
    var out = [], lat = 0, lng = 0, i = 0, b, r, sh;
    while (i < s.length) {
      r = 0; sh = 0;
      do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << sh; sh += 5; } while (b >= 32);
      lat += (r & 1) ? ~(r >> 1) : (r >> 1);
      r = 0; sh = 0;
      do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << sh; sh += 5; } while (b >= 32);
      lng += (r & 1) ? ~(r >> 1) : (r >> 1);
      out.push([lng / 1e5, lat / 1e5]);
    }
    return out;
  }
  function shapes(geoms) {
    return {type: "FeatureCollection", features: geoms.map(function (g, i) {
      return {type: "Feature", properties: {i: i},
              geometry: {type: "MultiPolygon", coordinates: g.map(function (p) { return p.map(ring); })}};
    })};
  }
  function fmt(v, d) {
    if (v === null || v === undefined) { return "n/a"; }
    return v.toLocaleString("en-GB", {minimumFractionDigits: d, maximumFractionDigits: d});
  }
  function col(d, name, i) { var c = d.cols[name]; return c ? c[i] : undefined; }
  var STATUS = {1: "advice drought", 2: "advice desert"};
  function nearest(v) { return v === null ? "none in the data" : fmt(v, 1) + " km"; }
  function tip(d, i) {
    var m = d.measure, rank = col(d, "rank", i), st = col(d, "st", i);
    var v = col(d, m.key, i);
    var h = "<div class=\"cg-tip\"><strong>" + col(d, "n", i) + "</strong> <span class=\"cg-muted\">" +
            col(d, "c", i) + "</span>";
    h += "<br>" + m.label + ": <b>" + (m.column === "nearest_km" ? nearest(v) : fmt(v, m.digits)) + "</b>";
    if (m.column !== "nearest_km") { h += " <span class=\"cg-muted\">" + m.unit + "</span>"; }
    if (rank !== null && rank !== undefined) { h += "<br>Rank " + rank; }
    if (st) { h += (rank ? " &middot; " : "<br>") + STATUS[st]; }
    h += "<br>Need " + fmt(col(d, "d", i), 0) + " &middot; access " + fmt(col(d, "a", i), 2) +
         " per 1,000 &middot; nearest adviser " + nearest(col(d, "km", i));
    return h + "<span class=\"cg-why\">" + col(d, "why", i) + "</span></div>";
  }
  function popup(d, i) {
    var h = "<div class=\"cg-popup\"><strong>" + col(d, "n", i) + "</strong><table>";
    d.rows.forEach(function (row) {
      var v = col(d, row[0], i);
      if (v === undefined) { return; }
      var text = row[0] === "km" ? nearest(v) : row[0] === "st" ? (STATUS[v] || "neither desert nor drought") :
                 row[2] === "%" ? (v === null ? "n/a" : fmt(v * 100, 0) + "%") : (row[0] === "c" ? v : fmt(v, row[2]));
      h += "<tr><th>" + row[1] + "</th><td>" + text + "</td></tr>";
    });
    h += "</table><div>" + col(d, "why", i) + "</div>";
    var cands = d.cand[String(i)];
    if (cands) {
      h += "<div class=\"cg-sub\"><strong>Partners to train</strong></div>";
      h += cands.length ? "<ul><li>" + cands.join("</li><li>") + "</li></ul>" : "<div>None found nearby.</div>";
    }
    return h + "</div>";
  }
  function areas(d) {
    var layer = L.geoJSON(shapes(d.geom), {
      style: function (f) {
        var k = d.cols.k[f.properties.i];
        return k < 0 ? L.extend({}, d.style, d.nodata) : L.extend({}, d.style, {fillColor: d.colours[k]});
      },
      onEachFeature: function (f, l) {
        var i = f.properties.i;
        l.bindTooltip(function () { return tip(d, i); }, {sticky: true, direction: "top"});
        l.bindPopup(function () { return popup(d, i); }, {maxWidth: 340});
        l.on("mouseover", function () { l.setStyle({weight: 2.5, color: "#000"}); });
        l.on("mouseout", function () { layer.resetStyle(l); });
      }
    });
    return layer;
  }
  function providers(d) {
    var markers = d.pts.map(function (p) {
      return L.circleMarker([p[0], p[1]], d.style).bindTooltip(p[2], {direction: "top"});
    });
    if (!d.cluster) { return L.featureGroup(markers); }
    var group = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40, chunkedLoading: true,
      iconCreateFunction: function (c) {
        return L.divIcon({html: "<div style=\"background:" + d.style.fillColor + "\"><span>" + c.getChildCount() +
          "</span></div>", className: "marker-cluster cg-cluster", iconSize: L.point(40, 40)});
      }});
    group.addLayers(markers);
    return group;
  }
  function targets(d) {
    var fc = shapes(d.geom), opts = {interactive: false};
    var halo = L.geoJSON(fc, L.extend({style: {color: "#fff", weight: 6, opacity: 0.9, fill: false,
                                                className: "cg-target-halo"}}, opts));
    var line = L.geoJSON(fc, L.extend({style: {color: "#000", weight: 2.5, opacity: 1, fill: false,
                                                className: "cg-target"}}, opts));
    var labels = d.pts.map(function (p, i) {
      return L.marker([p[0], p[1]], {interactive: false, keyboard: false,
        icon: L.divIcon({className: "cg-rank", html: d.labels[i], iconSize: [24, 24]})});
    });
    return L.featureGroup([halo, line].concat(labels));
  }
  function control(map, html, position, cls) {
    var c = L.control({position: position});
    c.onAdd = function () {
      var div = L.DomUtil.create("div", cls);
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    return c.addTo(map);
  }
  function banner(map, text) {
    var c = L.control({position: "topleft"});
    c.onAdd = function () {
      var div = L.DomUtil.create("div", "cg-banner");
      div.setAttribute("role", "note");
      div.textContent = text;
      return div;
    };
    return c.addTo(map);
  }
  return {areas: areas, providers: providers, targets: targets, control: control, banner: banner};
})();
"""
