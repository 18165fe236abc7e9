/* coverage-gaps map helpers: build layers from compact JSON, legend and layer list that fold away. */
var cgMap = (function () {
  "use strict";
  var shared = {}, PANE = "cgareas";
  function narrow(map) {
    var s = map.getSize();
    return s.x < 600 || s.y < 500;  /* phones and small frames: the map first, key and layers one tap away */
  }
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
  function none(v) { return v === null || v === undefined; }
  function gapName(d, i) { var g = col(d, "g", i); return g === undefined ? "" : d.gaps.names[g]; }
  function nearest(v) { return none(v) ? "none in the data" : fmt(v, v >= 10 ? 0 : 1) + " km"; }
  /* A share as the reasons show it: whole percent; 0.5 stands for "under 1%". */
  function share(v) { return none(v) ? "" : v > 0 && v < 1 ? "under 1%" : fmt(v, 0) + "%"; }
  /* The area's reason, built from its numbers and the phrases (maps/_reasons.py rebuild() is the same in Python;
     an area whose sentence the numbers cannot give back exactly brings its own, in d.whyx). */
  function reason(d, i) {
    var own = d.whyx[String(i)], P = d.why;
    if (own !== undefined) { return own; }
    if (!P) { return col(d, "why", i) || ""; }
    var need = col(d, "d", i), km = col(d, "km", i), lp = col(d, "lp", i), a1 = col(d, "a1", i),
        u = col(d, "u", i), sb = col(d, "sb", i), g = col(d, "g", i), key = d.gaps.keys[g];
    var has = !none(need) && need > 0;
    var parts = [none(need) ? "no figure for " + P.who : fmt(need, 0) + " " + P.who,
                 none(km) ? "no qualifying adviser anywhere in the data" : "nearest qualifying adviser " + nearest(km),
                 fmt(lp, 0) + (lp === 1 ? " qualifying provider" : " qualifying providers") + " inside"];
    if (has && !none(sb) && sb > 0 && key !== "desert" && key !== "part desert") {
      parts.push(share(sb) + " of the need more than " + P.km + " km from a qualifying adviser");
    }
    if (has && !none(a1)) { parts.push("access " + fmt(a1, 1) + P.against); }
    if (has && !none(u) && u > 0) { parts.push("about " + fmt(u, 0) + " " + P.short); }
    var w = P.gap[g];
    parts.push(w.length > 1 ? w[0] + share(sb) + w[1] : w[0]);
    var text = parts.filter(function (p) { return p; }).join("; ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  /* Hover: who, the measure shown, rank and gap, the key numbers. The reason and the rest are one click away. */
  function tip(d, i) {
    var m = d.measure, rank = col(d, "rank", i), gap = gapName(d, i);
    var v = col(d, m.key, i);
    var h = "<div class=\"cg-tip\"><strong>" + col(d, "n", i) + "</strong> <span class=\"cg-muted\">" +
            col(d, "c", i) + "</span>";
    h += "<br>" + m.label + ": <b>" + (m.column === "nearest_km" ? nearest(v) : fmt(v, m.digits)) + "</b>";
    if (m.column !== "nearest_km") { h += " <span class=\"cg-muted\">" + m.unit + "</span>"; }
    if (!none(rank)) { h += "<br>Rank " + rank; }
    if (gap) { h += (rank ? " &middot; " : "<br>") + gap; }
    h += "<br>Need " + fmt(col(d, "d", i), 0) + " &middot; access " + fmt(col(d, "a1", i), 1) +
         " per 1,000 &middot; nearest adviser " + nearest(col(d, "km", i));
    return h + "<span class=\"cg-why\">Click the area for the reason and every figure.</span></div>";
  }
  function popup(d, i) {
    var h = "<div class=\"cg-popup\"><strong>" + col(d, "n", i) + "</strong><table>";
    d.rows.forEach(function (row) {
      var v = col(d, row[0], i);
      if (v === undefined) { return; }
      var text = row[0] === "km" ? nearest(v) : row[0] === "g" ? gapName(d, i) :
                 row[2] === "%" ? (none(v) ? "n/a" : share(v)) : (row[0] === "c" ? v : fmt(v, row[2]));
      h += "<tr><th>" + row[1] + "</th><td>" + text + "</td></tr>";
    });
    h += "</table><div class=\"cg-reason\">" + reason(d, i) + "</div>";
    var cands = d.cand[String(i)];
    if (cands) {
      h += "<div class=\"cg-sub\"><strong>Partners to train</strong></div>";
      h += cands.length ? "<ul><li>" + cands.join("</li><li>") + "</li></ul>" : "<div>None found nearby.</div>";
    }
    return h + "</div>";
  }
  /* One polygon layer per view of the areas ("measure": classed measure; "gap": gap category),
     built when first shown, so a map with thousands of areas decodes its shapes once per view used. */
  function view(d, key, colours, extra) {
    var group = L.featureGroup(), built = null;
    group.cgView = key === "g" ? "gap" : "measure";
    group.on("add", function (e) {
      if (built) { return; }
      var map = e.target._map;
      if (!map.getPane(PANE)) { map.createPane(PANE).style.zIndex = 350; }  /* under outlines and points */
      built = L.geoJSON(shapes(d.geom), {
        pane: PANE,
        renderer: d.canvas ? L.canvas({padding: 0.3, pane: PANE}) : undefined,
        style: function (f) {
          var k = d.cols[key][f.properties.i];
          var base = L.extend({}, d.style, extra);
          return k < 0 ? L.extend(base, d.nodata) : L.extend(base, {fillColor: colours[k]});
        },
        onEachFeature: d.canvas ? undefined : function (f, l) {
          l.on("add", function () {  /* SVG paths: not tab stops (the report's table carries every figure) */
            var el = l.getElement && l.getElement();
            if (el) { el.setAttribute("tabindex", "-1"); el.setAttribute("focusable", "false"); }
          });
        }
      });
      /* One tooltip, one popup and one pair of hover handlers for all the areas, not one per area. */
      built.bindTooltip(function (l) { return tip(d, l.feature.properties.i); }, {sticky: true, direction: "top"});
      built.bindPopup(function (l) { return popup(d, l.feature.properties.i); },
                      {maxWidth: 340, autoPanPaddingTopLeft: L.point(20, 60), autoPanPaddingBottomRight: L.point(20, 20)});
      built.on("mouseover", function (e) { e.layer.setStyle({weight: 2.5, color: "#000"}); });
      built.on("mouseout", function (e) { built.resetStyle(e.layer); });
      group.addLayer(built);
    });
    return group;
  }
  function areas(d) { shared.areas = d; return view(d, "k", d.colours, {}); }
  function gaps() {
    var d = shared.areas;
    return view(d, "g", d.gaps.colours, {className: "cg-area cg-gap"});
  }
  /* Area names (the area layer's), each shown from the zoom at which it fits inside its area (d.mz4, in quarters),
     for the areas in view; d.at holds the label points of every area not in d.skip, in order. */
  function labels(d) {
    var group = L.layerGroup(), map = null, shown = {}, names = shared.areas.cols.n, skip = {}, rows = [], j;
    var pts = ring(d.at).map(function (p) { return [p[1], p[0]]; });
    d.skip.forEach(function (i) { skip[i] = true; });
    for (j = 0; j < names.length; j++) { if (!skip[j]) { rows.push(j); } }
    function refresh() {
      if (!map) { return; }
      var z = map.getZoom() * 4, view = map.getBounds().pad(0.1), count = 0;
      pts.forEach(function (p, i) {
        var want = d.mz4[i] <= z && count < d.max && view.contains(p);
        if (want) { count += 1; }
        if (want && !shown[i]) {
          shown[i] = L.marker(p, {interactive: false, keyboard: false,
            icon: L.divIcon({className: "cg-place", html: "<span>" + names[rows[i]] + "</span>", iconSize: null})}).addTo(group);
        } else if (!want && shown[i]) { group.removeLayer(shown[i]); delete shown[i]; }
      });
    }
    group.on("add", function (e) { map = e.target._map; map.on("zoomend moveend", refresh); refresh(); });
    group.on("remove", function () { if (map) { map.off("zoomend moveend", refresh); } group.clearLayers(); shown = {}; map = null; });
    return group;
  }
  function providers(d) {
    var markers = d.pts.map(function (p) {
      return L.circleMarker([p[0], p[1]], d.style).bindTooltip(p[2], {direction: "top"});
    });
    if (!d.cluster) { return L.featureGroup(markers); }
    var group = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40, chunkedLoading: true,
      iconCreateFunction: function (c) {
        var n = c.getChildCount();
        return L.divIcon({html: "<div style=\"background:" + d.style.fillColor + ";color:" + d.ink + "\"><span>" + n +
          "</span><span class=\"cg-vh\"> " + d.what + ": zoom in to see them</span></div>",
          className: "marker-cluster cg-cluster", iconSize: L.point(34, 28)});
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
    var marks = [];
    d.pts.forEach(function (p, i) {
      marks.push(L.marker([p[0], p[1]], {interactive: false, keyboard: false,
        icon: L.divIcon({className: "cg-rank", html: d.labels[i], iconSize: [24, 24]})}));
      if (d.names) {
        marks.push(L.marker([p[0], p[1]], {interactive: false, keyboard: false,
          icon: L.divIcon({className: "cg-place cg-place-top", html: "<span>" + d.names[i] + "</span>", iconSize: null})}));
      }
    });
    return L.featureGroup([halo, line].concat(marks));
  }
  /* Show the legend section of the view that is on (gap or measure). */
  function showKey(div, which) {
    Array.prototype.forEach.call(div.querySelectorAll("[data-view]"), function (s) {
      s.hidden = s.getAttribute("data-view") !== which;
    });
  }
  function control(map, html, position, cls) {
    var c = L.control({position: position});
    c.onAdd = function () {
      var div = L.DomUtil.create("div", cls);
      div.innerHTML = html;
      var details = div.querySelector("details");
      if (details && narrow(map)) { details.open = false; }  /* phones: the map first, the key one tap away */
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      if (div.querySelector("[data-view]")) {
        showKey(div, "gap");
        map.on("baselayerchange", function (e) { showKey(div, e.layer.cgView || "gap"); });
      }
      return div;
    };
    return c.addTo(map);
  }
  function layers(map, base, overlays) {
    return L.control.layers(base, overlays, {position: "topright", collapsed: narrow(map), autoZIndex: true}).addTo(map);
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
  /* The reason of area i as the popup shows it (HTML), for tests and scripts. */
  function areaReason(i) { return reason(shared.areas, i); }
  return {areas: areas, gaps: gaps, labels: labels, areaReason: areaReason, providers: providers, targets: targets, control: control,
          layers: layers, banner: banner};
})();
