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
  /* Above d.canvas's threshold (thousands of areas) the areas are drawn by a canvas of our own, not one Leaflet
     path per area: the shapes are decoded once into typed arrays (no object per vertex), each colour class is filled
     as one path, and hover and click find the area under the pointer through a grid of bounding boxes. */
  var packed = null;
  function merc(lat, lng) {  /* Web Mercator in the unit square, as Leaflet's EPSG:3857 projects before scaling */
    var s = Math.sin(Math.max(Math.min(lat, 85.0511287798), -85.0511287798) * Math.PI / 180);
    return [lng / 360 + 0.5, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
  }
  function pack(d) {
    if (packed) { return packed; }
    var n = d.geom.length, xy = [], ringEnd = [], areaRing = new Int32Array(n + 1), box = new Float64Array(4 * n);
    d.geom.forEach(function (polys, i) {
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      areaRing[i] = ringEnd.length;
      polys.forEach(function (rings) {
        rings.forEach(function (r) {
          ring(r).forEach(function (c) {
            var t = merc(c[1], c[0]);
            xy.push(t[0], t[1]);
            if (t[0] < x0) { x0 = t[0]; } if (t[0] > x1) { x1 = t[0]; }
            if (t[1] < y0) { y0 = t[1]; } if (t[1] > y1) { y1 = t[1]; }
          });
          ringEnd.push(xy.length / 2);
        });
      });
      box.set([x0, y0, x1, y1], 4 * i);
    });
    areaRing[n] = ringEnd.length;
    var G = 128, all = [Infinity, Infinity, -Infinity, -Infinity], cells = [], i, gx, gy;
    for (i = 0; i < n; i++) {
      if (box[4 * i] > box[4 * i + 2]) { continue; }
      all = [Math.min(all[0], box[4 * i]), Math.min(all[1], box[4 * i + 1]),
             Math.max(all[2], box[4 * i + 2]), Math.max(all[3], box[4 * i + 3])];
    }
    function cell(v, lo, hi) { return Math.max(0, Math.min(G - 1, Math.floor((v - lo) / (hi - lo) * G))); }
    for (i = 0; i < G * G; i++) { cells.push([]); }
    for (i = 0; i < n; i++) {
      if (box[4 * i] > box[4 * i + 2]) { continue; }
      for (gx = cell(box[4 * i], all[0], all[2]); gx <= cell(box[4 * i + 2], all[0], all[2]); gx++) {
        for (gy = cell(box[4 * i + 1], all[1], all[3]); gy <= cell(box[4 * i + 3], all[1], all[3]); gy++) {
          cells[gy * G + gx].push(i);
        }
      }
    }
    packed = {xy: new Float64Array(xy), ringEnd: new Int32Array(ringEnd), areaRing: areaRing, box: box, n: n,
              find: function (lat, lng) {  /* the area under a point (even-odd over its rings), or -1 */
                var t = merc(lat, lng), x = t[0], y = t[1];
                if (x < all[0] || x > all[2] || y < all[1] || y > all[3]) { return -1; }
                var list = cells[cell(y, all[1], all[3]) * G + cell(x, all[0], all[2])];
                for (var k = 0; k < list.length; k++) {
                  var a = list[k], inside = false;
                  if (x < box[4 * a] || x > box[4 * a + 2] || y < box[4 * a + 1] || y > box[4 * a + 3]) { continue; }
                  for (var r = areaRing[a]; r < areaRing[a + 1]; r++) {
                    for (var p = r ? packed.ringEnd[r - 1] : 0, e = packed.ringEnd[r], q = e - 1; p < e; q = p++) {
                      var xp = packed.xy[2 * p], yp = packed.xy[2 * p + 1], xq = packed.xy[2 * q], yq = packed.xy[2 * q + 1];
                      if ((yp > y) !== (yq > y) && x < (xq - xp) * (y - yp) / (yq - yp) + xp) { inside = !inside; }
                    }
                  }
                  if (inside) { return a; }
                }
                return -1;
              }};
    return packed;
  }
  function hatch(ctx) {
    var c = document.createElement("canvas"), g = c.getContext("2d");
    c.width = c.height = 6;
    g.fillStyle = "#e4e4e4"; g.fillRect(0, 0, 6, 6);
    g.strokeStyle = "#8c8c8c"; g.lineWidth = 2; g.beginPath(); g.moveTo(0, 6); g.lineTo(6, 0); g.stroke();
    return ctx.createPattern(c, "repeat");
  }
  var AreaCanvas = L.Renderer.extend({
    initialize: function (d, key, colours) {
      L.Renderer.prototype.initialize.call(this, {padding: 0.3, pane: PANE});
      this.cgView = key === "g" ? "gap" : "measure";
      this._d = d; this._key = key; this._colours = colours; this._hover = -1;
    },
    _initContainer: function () {
      this._container = L.DomUtil.create("div", "cg-area-canvas");
      this._canvas = L.DomUtil.create("canvas", "", this._container);
      this._top = L.DomUtil.create("canvas", "", this._container);  /* the outline of the area under the pointer */
      this._top.style.position = this._canvas.style.position = "absolute";
      this._container.setAttribute("role", "img");
      this._container.setAttribute("aria-label", "Map of " + this._d.cols.n.length.toLocaleString("en-GB") +
                                   " areas; the table of areas carries every figure");
    },
    _destroyContainer: function () { L.DomUtil.remove(this._container); delete this._container; },
    onAdd: function (map) {
      var self = this, d = this._d;
      if (!map.getPane(PANE)) { map.createPane(PANE).style.zIndex = 350; }
      this._tip = L.tooltip({direction: "top", opacity: 0.95});
      this._move = function (e) {
        var i = pack(d).find(e.latlng.lat, e.latlng.lng);
        if (i !== self._hover) { self._hover = i; self._outline(); }
        map.getContainer().style.cursor = i < 0 ? "" : "pointer";
        if (i < 0) { map.closeTooltip(self._tip); return; }
        self._tip.setLatLng(e.latlng).setContent(tip(d, i));
        if (!map.hasLayer(self._tip)) { map.openTooltip(self._tip); }
      };
      this._out = function () { self._hover = -1; self._outline(); map.closeTooltip(self._tip); };
      this._click = function (e) {
        var i = pack(d).find(e.latlng.lat, e.latlng.lng);
        if (i < 0) { return; }
        L.popup({maxWidth: 340, autoPanPaddingTopLeft: L.point(20, 60), autoPanPaddingBottomRight: L.point(20, 20)})
          .setLatLng(e.latlng).setContent(popup(d, i)).openOn(map);
      };
      map.on("mousemove", this._move).on("mouseout", this._out).on("click", this._click);
      L.Renderer.prototype.onAdd.call(this, map);
    },
    onRemove: function (map) {
      map.off("mousemove", this._move).off("mouseout", this._out).off("click", this._click);
      map.closeTooltip(this._tip);
      L.Renderer.prototype.onRemove.call(this, map);
    },
    _update: function () {
      if (this._map._animatingZoom && this._bounds) { return; }
      L.Renderer.prototype._update.call(this);
      var b = this._bounds, size = b.getSize(), m = window.devicePixelRatio || 1, self = this;
      L.DomUtil.setPosition(this._container, b.min);
      [this._canvas, this._top].forEach(function (c) {
        c.width = Math.round(m * size.x); c.height = Math.round(m * size.y);
        c.style.width = size.x + "px"; c.style.height = size.y + "px";
        c.getContext("2d").setTransform(m, 0, 0, m, 0, 0);
      });
      this._draw();
      this._outline();
      this.fire("update");
    },
    _trace: function (ctx, a, S, ox, oy) {  /* the rings of area a as one sub-path each, in canvas pixels */
      var P = pack(this._d), xy = P.xy;
      for (var r = P.areaRing[a]; r < P.areaRing[a + 1]; r++) {
        var p = r ? P.ringEnd[r - 1] : 0, e = P.ringEnd[r], lx = xy[2 * p] * S - ox, ly = xy[2 * p + 1] * S - oy;
        ctx.moveTo(lx, ly);
        for (p += 1; p < e; p++) {
          var x = xy[2 * p] * S - ox, y = xy[2 * p + 1] * S - oy;
          if (Math.abs(x - lx) + Math.abs(y - ly) > 0.6 || p === e - 1) { ctx.lineTo(x, y); lx = x; ly = y; }
        }
        ctx.closePath();
      }
    },
    _frame: function () {
      var map = this._map, S = map.options.crs.scale(map.getZoom()), o = map.getPixelOrigin(), b = this._bounds;
      return {S: S, ox: o.x + b.min.x, oy: o.y + b.min.y, w: b.getSize().x, h: b.getSize().y};
    },
    _draw: function () {
      var d = this._d, P = pack(d), f = this._frame(), ctx = this._canvas.getContext("2d"), byClass = {};
      ctx.clearRect(0, 0, f.w, f.h);
      for (var a = 0; a < P.n; a++) {
        var x0 = P.box[4 * a] * f.S - f.ox, y0 = P.box[4 * a + 1] * f.S - f.oy;
        var x1 = P.box[4 * a + 2] * f.S - f.ox, y1 = P.box[4 * a + 3] * f.S - f.oy;
        if (x1 < 0 || y1 < 0 || x0 > f.w || y0 > f.h || x0 > x1) { continue; }
        var k = d.cols[this._key][a];
        (byClass[k] = byClass[k] || []).push(a);
      }
      /* One small path per area, filled and outlined at once (as Leaflet's canvas does): a single path of
         thousands of areas is far slower to build and fill. */
      var style = d.style, alpha = function (hex, o) {
        var v = parseInt(hex.slice(1), 16);
        return "rgba(" + (v >> 16) + "," + ((v >> 8) & 255) + "," + (v & 255) + "," + o + ")";
      };
      ctx.strokeStyle = alpha(style.color, style.opacity); ctx.lineWidth = style.weight; ctx.lineJoin = "round";
      for (var k in byClass) {
        ctx.fillStyle = k < 0 ? hatch(ctx) : alpha(this._colours[k], style.fillOpacity);
        byClass[k].forEach(function (i) {
          ctx.beginPath();
          this._trace(ctx, i, f.S, f.ox, f.oy);
          ctx.fill("evenodd");
          ctx.stroke();
        }, this);
      }
    },
    _outline: function () {
      if (!this._bounds) { return; }
      var f = this._frame(), ctx = this._top.getContext("2d");
      ctx.clearRect(0, 0, f.w, f.h);
      if (this._hover < 0) { return; }
      ctx.beginPath();
      this._trace(ctx, this._hover, f.S, f.ox, f.oy);
      ctx.strokeStyle = "#000"; ctx.lineWidth = 2.5;
      ctx.stroke();
    }
  });
  /* One polygon layer per view of the areas ("measure": classed measure; "gap": gap category),
     built when first shown, so a map with thousands of areas decodes its shapes once per view used. */
  function view(d, key, colours, extra) {
    if (d.canvas) { return new AreaCanvas(d, key, colours); }
    var group = L.featureGroup(), built = null;
    group.cgView = key === "g" ? "gap" : "measure";
    group.on("add", function (e) {
      if (built) { return; }
      var map = e.target._map;
      if (!map.getPane(PANE)) { map.createPane(PANE).style.zIndex = 350; }  /* under outlines and points */
      built = L.geoJSON(shapes(d.geom), {
        pane: PANE,
        style: function (f) {
          var k = d.cols[key][f.properties.i];
          var base = L.extend({}, d.style, extra);
          return k < 0 ? L.extend(base, d.nodata) : L.extend(base, {fillColor: colours[k]});
        },
        onEachFeature: function (f, l) {
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
