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
  function gapName(d, i) { var g = col(d, "g", i); return g === undefined ? "" : d.gaps.names[g]; }
  function nearest(v) { return v === null ? "none in the data" : fmt(v, 1) + " km"; }
  function tip(d, i) {
    var m = d.measure, rank = col(d, "rank", i), gap = gapName(d, i);
    var v = col(d, m.key, i);
    var h = "<div class=\"cg-tip\"><strong>" + col(d, "n", i) + "</strong> <span class=\"cg-muted\">" +
            col(d, "c", i) + "</span>";
    h += "<br>" + m.label + ": <b>" + (m.column === "nearest_km" ? nearest(v) : fmt(v, m.digits)) + "</b>";
    if (m.column !== "nearest_km") { h += " <span class=\"cg-muted\">" + m.unit + "</span>"; }
    if (rank !== null && rank !== undefined) { h += "<br>Rank " + rank; }
    if (gap) { h += (rank ? " &middot; " : "<br>") + gap; }
    h += "<br>Need " + fmt(col(d, "d", i), 0) + " &middot; access " + fmt(col(d, "a", i), 2) +
         " per 1,000 &middot; nearest adviser " + nearest(col(d, "km", i));
    return h + "<span class=\"cg-why\">" + col(d, "why", i) + "</span></div>";
  }
  function popup(d, i) {
    var h = "<div class=\"cg-popup\"><strong>" + col(d, "n", i) + "</strong><table>";
    d.rows.forEach(function (row) {
      var v = col(d, row[0], i);
      if (v === undefined) { return; }
      var text = row[0] === "km" ? nearest(v) : row[0] === "g" ? gapName(d, i) :
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
        onEachFeature: function (f, l) {
          var i = f.properties.i;
          l.bindTooltip(function () { return tip(d, i); }, {sticky: true, direction: "top"});
          l.bindPopup(function () { return popup(d, i); },
                      {maxWidth: 340, autoPanPaddingTopLeft: L.point(20, 60), autoPanPaddingBottomRight: L.point(20, 20)});
          l.on("mouseover", function () { l.setStyle({weight: 2.5, color: "#000"}); });
          l.on("mouseout", function () { built.resetStyle(l); });
          l.on("add", function () {
            var el = l.getElement && l.getElement();
            if (el) { el.setAttribute("tabindex", "-1"); el.setAttribute("focusable", "false"); }
          });
        }
      });
      group.addLayer(built);
    });
    return group;
  }
  function areas(d) { shared.areas = d; return view(d, "k", d.colours, {}); }
  function gaps() {
    var d = shared.areas;
    return view(d, "g", d.gaps.colours, {className: "cg-area cg-gap"});
  }
  /* Area names, each shown from the zoom at which it fits inside its area (d.mz), for the areas in view. */
  function labels(d) {
    var group = L.layerGroup(), map = null, shown = {};
    function refresh() {
      if (!map) { return; }
      var z = map.getZoom(), view = map.getBounds().pad(0.1), count = 0;
      d.pts.forEach(function (p, i) {
        var want = d.mz[i] <= z && count < d.max && view.contains(p);
        if (want) { count += 1; }
        if (want && !shown[i]) {
          shown[i] = L.marker(p, {interactive: false, keyboard: false,
            icon: L.divIcon({className: "cg-place", html: "<span>" + d.names[i] + "</span>", iconSize: null})}).addTo(group);
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
  return {areas: areas, gaps: gaps, labels: labels, providers: providers, targets: targets, control: control,
          layers: layers, banner: banner};
})();
