"""Maps: layers, counts, bounds, classes, escaping, offline HTML, determinism and errors.

Results are built by hand (``tests/_result_fixtures.py``): six 4 km squares
near Birmingham and seven providers, three with hostile names.
"""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import numpy as np
import pytest
import shapely
from _polyline import decode as decode_polyline
from _result_fixtures import HOSTILE_BACKTICK, HOSTILE_IMG, HOSTILE_TEMPLATE, SIDE_M, X0, Y0, tiny_result
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon

from coverage_gaps import _assets, maps
from coverage_gaps.errors import InvalidValueError, MissingCRSError
from coverage_gaps.maps import _folium, _geometry
from coverage_gaps.maps._classify import MEASURES, classify
from coverage_gaps.maps._layers import Banner, DataLayer, HtmlControl, LayerList, esc, safe_json


def _layers(m, kind=None):
    found = [c for c in _folium.children(m) if isinstance(c, DataLayer)]
    return [c for c in found if kind is None or c.kind == kind]


@pytest.fixture(scope="module")
def tiny_map():
    return maps.coverage_map(tiny_result(), top_n=3)


@pytest.fixture(scope="module")
def tiny_html(tiny_map):
    return maps.map_html(tiny_map)


# --- layers, counts, bounds -------------------------------------------------

def test_map_has_areas_targets_provider_layers_legend_and_layer_control(tiny_map):
    names = [layer.layer_name for layer in _layers(tiny_map)]
    assert names == [
        "Areas: People below average", "Areas: gap category", "Top 3 target areas", "Place names",
        "OISC Level 2+ or regulated adviser (2)",
        "Legal aid (LAA) office (1)", "OISC Level 1 (advice and assistance) (2)", "Prospective partner (1)",
        "Other organisation (not accredited) (1)"]
    assert [layer.show for layer in _layers(tiny_map, "providers")] == [True, True, True, True, False]
    assert sum(isinstance(c, LayerList) for c in _folium.children(tiny_map)) == 1
    assert [(layer.overlay, layer.show) for layer in _layers(tiny_map)[:2]] == [(False, False), (False, True)]
    assert sum(type(c) is HtmlControl for c in _folium.children(tiny_map)) == 1
    assert not any(isinstance(c, folium.TileLayer) for c in _folium.children(tiny_map))


def test_feature_counts_and_target_labels(tiny_map):
    (areas,) = _layers(tiny_map, "areas")
    assert len(areas.data["geom"]) == 6
    assert areas.data["cols"]["c"] == ["T00000A1", "T00000B1", "T00000B3", "T00000A2", "T00000A3", "T00000B2"]
    (targets,) = _layers(tiny_map, "targets")
    assert targets.data["labels"] == ["1", "2", "3"]
    assert [len(layer.data["pts"]) for layer in _layers(tiny_map, "providers")] == [2, 1, 2, 1, 1]


def test_area_shapes_decode_to_the_input_squares_in_wgs84(tiny_map):
    (areas,) = _layers(tiny_map, "areas")
    to_wgs = Transformer.from_crs(27700, 4326, always_xy=True)
    ring = decode_polyline(areas.data["geom"][0][0][0])  # Ashby Vale, A1: column 0, row 1
    expected = [to_wgs.transform(x, y) for x, y in
                [(X0, Y0 + SIDE_M), (X0 + SIDE_M, Y0 + SIDE_M), (X0 + SIDE_M, Y0 + 2 * SIDE_M), (X0, Y0 + 2 * SIDE_M)]]
    assert len(ring) == 5 and ring[0] == ring[-1]
    for corner in expected:
        assert min(abs(lng - corner[0]) + abs(lat - corner[1]) for lng, lat in ring) < 2e-5


def test_map_fits_the_bounds_of_the_areas(tiny_map):
    to_wgs = Transformer.from_crs(27700, 4326, always_xy=True)
    xs, ys = to_wgs.transform([X0, X0 + 3 * SIDE_M, X0, X0 + 3 * SIDE_M], [Y0, Y0, Y0 + 2 * SIDE_M, Y0 + 2 * SIDE_M])
    fit = [c for c in _folium.children(tiny_map) if type(c).__name__ == "FitBounds"][0]
    (south, west), (north, east) = fit.bounds
    assert south == pytest.approx(min(ys), abs=1e-5) and north == pytest.approx(max(ys), abs=1e-5)
    assert west == pytest.approx(min(xs), abs=1e-5) and east == pytest.approx(max(xs), abs=1e-5)


def test_providers_without_a_location_are_left_off():
    result = tiny_result()
    providers = result.providers.copy()
    providers.loc[providers["provider_id"] == "p1", "geometry"] = None
    m = maps.coverage_map(tiny_result(providers=providers))
    assert [layer.layer_name for layer in _layers(m, "providers")][1] == "OISC Level 1 (advice and assistance) (2)"


# --- measures, classes, legend ----------------------------------------------

def test_few_distinct_values_each_get_their_own_class(tiny_map):
    (areas,) = _layers(tiny_map, "areas")
    # unmet need 1200, 640, 30, 0, 0, 0: four distinct values <= k=5
    assert areas.data["cols"]["k"] == [3, 2, 1, 0, 0, 0]
    legend = [c for c in _folium.children(tiny_map) if type(c) is HtmlControl][0].html
    measure_key = legend.split('data-view="measure"')[1]
    assert re.findall(r'cg-sw" style="background:[^"]+"></span>([^<]+)<', measure_key) == ["0", "30", "640", "1,200"]
    assert "No data" not in measure_key  # every area has a figure: no empty "No data (0 areas)" line


def test_natural_breaks_for_two_classes_are_the_least_squares_split():
    # {0,0,0,30} | {640,1200}: within-class squares 675 + 156,800, the smallest of the 5 possible splits
    classes = classify([1200, 640, 30, 0, 0, 0], k=2, spec=MEASURES["unmet_demand"])
    assert classes.bins == (30.0, 1200.0)
    assert classes.index.tolist() == [1, 1, 0, 0, 0, 0]
    assert classes.labels == ("0 to 30", "31 to 1,200")  # whole people: the classes do not overlap
    assert classes.colours == ("#ffeda0", "#f03b20")


def test_no_data_is_its_own_class_and_access_colours_run_the_other_way():
    m = maps.coverage_map(tiny_result(), measure="access")
    (areas,) = _layers(m, "areas")
    assert areas.data["cols"]["k"][-1] == -1  # Bexley Green: no demand, so no access figure
    assert areas.data["colours"][0] == "#bd0026"  # lowest access = biggest gap = darkest
    legend = [c for c in _folium.children(m) if type(c) is HtmlControl][0].html
    assert "No data (1 area)" in legend and "cg-sw-nodata" in legend


def test_unreachable_areas_join_the_top_distance_class():
    classes = classify([1.0, 2.0, 3.0, np.inf, np.nan], k=5, spec=MEASURES["nearest_km"])
    assert classes.index.tolist() == [0, 1, 2, 2, -1]
    assert classes.labels[-1] == "3.0 (or none in the data)"


def test_legend_states_measure_unit_and_data_date(tiny_map):
    legend = [c for c in _folium.children(tiny_map) if type(c) is HtmlControl][0].html
    assert "<summary>Map key</summary>" in legend and "<h4>People below average</h4>" in legend
    assert "people below the average access (estimate)" in legend  # the shortfall named for what it is
    assert "People on asylum support (Home Office, table Asy_D11): 2024-09-30" in legend
    assert "Top 3 target areas (number = rank)" in legend
    assert "<summary>Sources and licences</summary><ul><li>Contains public sector information" in legend


@pytest.mark.parametrize("measure, key", [("unmet_demand", "u"), ("access", "a"), ("demand_per_10k", "r10"),
                                          ("nearest_km", "km")])
def test_every_measure_can_be_mapped(measure, key):
    (areas,) = _layers(maps.coverage_map(tiny_result(), measure=measure), "areas")
    label = "People below average" if measure == "unmet_demand" else MEASURES[measure].label  # named (issue 13)
    assert areas.data["measure"]["key"] == key and areas.layer_name == f"Areas: {label}"


def test_synthetic_results_carry_a_banner():
    m = maps.coverage_map(tiny_result(synthetic=True))
    assert any(isinstance(c, Banner) for c in _folium.children(m))
    assert "Synthetic demo data: not real places or people" in maps.map_html(m)
    assert not any(isinstance(c, Banner) for c in maps.coverage_map(tiny_result())._children.values())


# --- errors -----------------------------------------------------------------

def test_unknown_measure_lists_the_choices():
    with pytest.raises(InvalidValueError) as err:
        maps.coverage_map(tiny_result(), measure="unmet")
    assert str(err.value) == (
        "column 'measure': the map cannot show this measure (got 'unmet'; expected one of "
        "unmet_demand, access, demand_per_10k, nearest_km). Fix: pass measure= one of those names.")


def test_measure_missing_from_the_result_says_how_to_get_it():
    result = tiny_result()
    result.areas = result.areas.drop(columns="demand_per_10k")
    with pytest.raises(InvalidValueError, match="add a population layer to the profile"):
        maps.coverage_map(result, measure="demand_per_10k")


@pytest.mark.parametrize("option, value, text", [("k", 1, "from 2 to 9"), ("k", 12, "from 2 to 9"),
                                                 ("top_n", -1, ">= 0"), ("cluster_over", 2.5, ">= 0")])
def test_bad_options_are_named(option, value, text):
    with pytest.raises(InvalidValueError, match=f"column '{option}'.*{re.escape(text)}"):
        maps.coverage_map(tiny_result(), **{option: value})


def test_not_a_result_and_missing_crs_are_clear_errors():
    with pytest.raises(InvalidValueError, match="pass the Result returned by cg.run_profile"):
        maps.coverage_map(tiny_result().areas)
    result = tiny_result()
    result.areas = result.areas.set_crs(None, allow_override=True)
    with pytest.raises(MissingCRSError, match="the areas have no coordinate reference system"):
        maps.coverage_map(result)


def test_unknown_tiles_are_a_clear_error():
    with pytest.raises(InvalidValueError, match="base-map tiles not recognised.*tiles=None"):
        maps.coverage_map(tiny_result(), tiles="https://example.org/{z}/{x}/{y}.png")


# --- offline ----------------------------------------------------------------

def test_saved_map_loads_nothing_from_the_network(tiny_map, tmp_path):
    text = maps.save_map(tiny_map, tmp_path / "map.html").read_text(encoding="utf-8")
    assert _assets.external_references(text) == []
    assert not re.search(r"jquery|bootstrap|font-?awesome|awesome-markers|cdn\.|unpkg", text, re.IGNORECASE)
    assert "/* Leaflet 1.9.3 (leaflet.js), inlined from PyPI XStatic-Leaflet 1.9.3.0 */" in text
    assert "data:image/png;base64," in text  # the layer-control icon from leaflet.css
    assert "markercluster" not in text  # no layer is clustered: the plugin is left out


def test_clustered_layers_inline_the_markercluster_plugin():
    text = maps.map_html(maps.coverage_map(tiny_result(), cluster_over=1))
    assert ("/* Leaflet-MarkerCluster 1.4.1 (leaflet.markercluster.js), inlined from PyPI "
            "XStatic-Leaflet-MarkerCluster 1.4.1.1 */") in text
    assert _assets.external_references(text) == []


def test_tiles_are_optional_and_credited():
    m = maps.coverage_map(tiny_result(), tiles="OpenStreetMap")
    (tiles,) = [c for c in _folium.children(m) if isinstance(c, folium.TileLayer)]
    assert "openstreetmap" in tiles.tiles.lower() and "OpenStreetMap" in tiles.options["attribution"]


def test_map_html_refuses_a_map_that_needs_the_network():
    with pytest.raises(InvalidValueError, match="would load files from the network.*cdn.jsdelivr.net"):
        maps.map_html(folium.Map())


def test_external_reference_finder_sees_tags_and_css_but_not_script_text_or_links():
    page = ('<link rel="stylesheet" href="https://x.org/a.css"><img src="pic.png"><a href="https://gov.uk">x</a>'
            '<style>.a{background:url(https://x.org/b.png)} .b{background:url("data:image/png;base64,AA")}</style>'
            '<script>var s = \'<img src="https://x.org/c.png">\';</script>')
    found = _assets.external_references(page)
    assert len(found) == 3 and "a.css" in found[0] and "pic.png" in found[1] and "b.png" in found[2]


def test_notebook_display_is_an_iframe_with_everything_inline(tiny_map):
    out = tiny_map._repr_html_()
    assert out.startswith("<iframe srcdoc=") and 'height="600px"' in out
    assert "&lt;script&gt;/* Leaflet 1.9.3" in out


# --- safety -----------------------------------------------------------------

def test_hostile_names_never_reach_the_page_raw(tiny_html):
    for raw in (HOSTILE_IMG, HOSTILE_BACKTICK, HOSTILE_TEMPLATE, "<img", "onerror=alert(1)>"):
        assert raw not in tiny_html
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in tiny_html
    assert "Back\\u0026#96;tick Refugee Forum" in tiny_html
    assert "\\u0026#36;\\u0026#123;x\\u0026#125; Community Hub" in tiny_html


def test_jinja_and_script_breakouts_are_inert():
    result = tiny_result()
    areas = result.areas.copy()
    areas.loc[0, "area_name"] = "{{ 7*7 }}</script><script>alert(2)</script>"
    areas.loc[1, "reason"] = "{% if true %}yes{% endif %}"
    providers = result.providers.copy()
    providers.loc[0, "provider_type"] = "{{ 6*7 }}"
    text = maps.map_html(maps.coverage_map(tiny_result(areas=areas, providers=providers)))
    assert "<script>alert(2)" not in text and text.count("</script>") == text.count("<script>")
    plain = text.replace("\\u0026", "&")  # the HTML text as a browser's script sees it
    assert '"n":["&#123;&#123; 7*7 &#125;&#125;&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in plain
    assert '"&#123;% if true %&#125;yes&#123;% endif %&#125;"' in plain  # not run by Jinja: both branches kept
    assert '"&#123;&#123; 6*7 &#125;&#125; (1)"' in plain and "42 (1)" not in plain  # layer-control name


def test_esc_and_safe_json():
    assert esc('<a href="x">`${y}`</a> & {{z}}') == (
        "&lt;a href=&quot;x&quot;&gt;&#96;&#36;&#123;y&#125;&#96;&lt;/a&gt; &amp; &#123;&#123;z&#125;&#125;")
    assert esc(None) == "" and esc(float("nan")) == ""
    assert safe_json({"a": "</script><!--'&"}) == '{"a":"\\u003c/script\\u003e\\u003c!--\\u0027\\u0026"}'
    with pytest.raises(ValueError):
        safe_json({"a": float("nan")})


def test_private_provider_fields_are_not_embedded(tiny_html):
    assert "private@example.org" not in tiny_html


# --- determinism ------------------------------------------------------------

def test_same_result_gives_byte_identical_html(tiny_html, tiny_map):
    again = maps.map_html(maps.coverage_map(tiny_result(), top_n=3))
    assert again == tiny_html
    assert maps.map_html(tiny_map) == tiny_html  # rendering again changes nothing
    tiled = maps.coverage_map(tiny_result(), tiles="OpenStreetMap")
    assert maps.map_html(tiled) == maps.map_html(tiled) == maps.map_html(maps.coverage_map(tiny_result(),
                                                                                           tiles="OpenStreetMap"))
    assert not re.search(r"_[0-9a-f]{32}\b", tiny_html)  # no folium uuid left
    assert re.search(r'class="folium-map" id="map_\d{3}"', tiny_html)


# --- geometry ---------------------------------------------------------------

def test_simplification_keeps_shared_edges_shared():
    # Two 10 km x 5 km blocks whose shared edge zig-zags 0.2 m every 50 m: each wiggle's
    # triangle (10 m2) is under tolerance2 (extent 10 km / 2,000 = 5 m; 25 m2), so the
    # edge straightens, the same way for both blocks.
    xs = np.arange(400_000, 410_001, 50.0)
    zig = np.c_[xs, 285_000 + np.where(np.arange(len(xs)) % 2, 0.2, 0.0)]
    south = Polygon(np.r_[[[400_000, 280_000], [410_000, 280_000]], zig[::-1]])
    north = Polygon(np.r_[zig, [[410_000, 290_000], [400_000, 290_000]]])
    frame = gpd.GeoDataFrame({"area_code": ["S", "N"]}, geometry=[south, north], crs="EPSG:27700")
    assert _geometry.tolerance_m(frame.total_bounds) == 5.0
    simple = _geometry.display_geometries(frame)
    assert shapely.get_num_coordinates(simple).sum() < 20 < shapely.get_num_coordinates(frame.geometry.values).sum()
    shared = shapely.intersection(simple[0], simple[1])
    assert shapely.area(shared) == 0 and shapely.length(shapely.line_merge(shared)) > 0.1  # a shared line, no overlap
    assert shapely.area(shapely.union(simple[0], simple[1])) == pytest.approx(
        shapely.area(simple[0]) + shapely.area(simple[1]))
    unsimplified = _geometry.display_geometries(frame, simplify=False)
    assert shapely.get_num_coordinates(unsimplified).sum() == shapely.get_num_coordinates(frame.geometry.values).sum()


def test_coordinates_are_rounded_to_five_decimals():
    frame = gpd.GeoDataFrame(geometry=[Point(400_000.123, 280_000.456).buffer(500)], crs="EPSG:27700")
    coords = shapely.get_coordinates(_geometry.display_geometries(frame))
    assert np.array_equal(coords, np.round(coords, 5))


def test_invalid_bowtie_is_repaired_to_its_polygons():
    bowtie = Polygon([(0, 0), (1000, 1000), (1000, 0), (0, 1000), (0, 0)])
    frame = gpd.GeoDataFrame(geometry=[bowtie, LineString([(0, 0), (1, 1)]).buffer(1)], crs="EPSG:27700")
    (repaired, _) = _geometry.display_geometries(frame, simplify=False)
    assert repaired.geom_type == "MultiPolygon" and len(_geometry.encode_polygons(repaired)) == 2


# --- real data (size budgets) -------------------------------------------------

@pytest.mark.realdata
@pytest.mark.parametrize("geography, budget_mb, count", [("west_midlands_lsoa", 3.0, 3487),
                                                          ("england_wales_lad", 1.5, 331)])
def test_real_boundary_maps_fit_their_size_budget(real_data, geography, budget_mb, count, tmp_path):
    from _result_fixtures import real_geography_result

    m = maps.coverage_map(real_geography_result(geography, real_data))
    (areas,) = _layers(m, "areas")
    assert len(areas.data["geom"]) == count and all(areas.data["geom"])
    size_mb = maps.save_map(m, tmp_path / "map.html").stat().st_size / 1e6
    assert size_mb <= budget_mb
