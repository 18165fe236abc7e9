"""Outputs people can read: gap categories, class labels, place-name zooms, contrast, notebook tables and notes."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from _polyline import decode as decode_polyline
from _result_fixtures import tiny_result

from coverage_gaps import maps, notebook
from coverage_gaps._gap import contrast, gap_categories
from coverage_gaps.maps import _folium
from coverage_gaps.maps._classify import MEASURES, classify
from coverage_gaps.maps._layers import DataLayer
from coverage_gaps.maps._legend import PROVIDER_STYLES


@pytest.fixture(scope="module")
def tiny_map():
    return maps.coverage_map(tiny_result(), top_n=3)


def _layer(m, kind):
    return next(c for c in _folium.children(m) if isinstance(c, DataLayer) and c.kind == kind)


def test_gap_categories_follow_flags_need_and_unmet_need_when_no_gap_column():
    areas = pd.DataFrame({"desert": [True, False, False, False, False, True],
                          "drought": [False, True, False, False, False, True],
                          "demand": [10.0, 20.0, np.nan, 0.0, 5.0, 1.0],
                          "unmet_demand": [10.0, 5.0, np.nan, 0.0, 2.0, 1.0]})
    assert gap_categories(areas).tolist() == ["desert", "drought", "no data", "no recorded need", "below average",
                                              "desert"]
    areas.loc[4, "unmet_demand"] = 0.0
    assert gap_categories(areas).tolist()[4] == "at or above"
    # The issue-13 column wins where it is filled.
    assert gap_categories(areas.assign(gap=["part desert"] * 6)).tolist() == ["part desert"] * 6


@pytest.mark.parametrize("seed", range(5))
def test_class_labels_never_overlap_and_no_class_is_empty(seed):
    rng = np.random.default_rng(seed)
    values = np.concatenate([rng.gamma(0.8, 300, 400), [np.nan, 0.0]])
    for name in ("unmet_demand", "access", "nearest_km"):
        spec = MEASURES[name]
        classes = classify(values, k=5, spec=spec)
        counts = np.bincount(classes.index[classes.index >= 0], minlength=len(classes.labels))
        assert (counts > 0).all() and classes.no_data == 1
        shown = np.round(values[np.isfinite(values)], spec.digits)
        for j, label in enumerate(classes.labels):
            low, high = (float(x.replace(",", "")) for x in (label.split(" to ") * 2)[:2])
            members = shown[classes.index[np.isfinite(values)] == j]
            assert low <= members.min() and members.max() <= high, (name, label)  # each label holds its values
            if j:
                previous_high = float(classes.labels[j - 1].split(" to ")[-1].replace(",", ""))
                assert low > previous_high, (name, classes.labels)


def test_a_tiny_spread_is_one_class_not_0_00_to_0_00():
    classes = classify([0.001, 0.004, 0.002], k=5, spec=MEASURES["access"])
    assert classes.labels == ("0.00",) and classes.index.tolist() == [0, 0, 0]


def test_place_names_appear_from_the_zoom_at_which_they_fit(tiny_map):
    labels, areas = _layer(tiny_map, "labels"), _layer(tiny_map, "areas")
    rows = [i for i in range(len(areas.data["cols"]["n"])) if i not in labels.data["skip"]]
    label_names = [areas.data["cols"]["n"][i] for i in rows]  # the page takes the names from the area layer
    names = dict(zip(label_names, [q / 4 for q in labels.data["mz4"]]))
    assert set(names) == {"Avonside", "Alder Heath", "Bexley Green"}  # the top 3 are named by the targets layer
    lngs_lats = decode_polyline(labels.data["at"])
    assert len(lngs_lats) == len(rows)
    lat = lngs_lats[label_names.index("Avonside")][1]
    avonside = tiny_result().areas.set_index("area_name").geometry.to_crs(4326)["Avonside"].representative_point()
    assert lat == pytest.approx(avonside.y, abs=1e-5)
    metres_per_px_z0 = 156_543.03 * math.cos(math.radians(lat))
    need_px = 6.4 * len("Avonside") + 8  # a 4 km square must be this many pixels wide
    assert names["Avonside"] == math.ceil(math.log2(need_px * metres_per_px_z0 / 4_000) * 4) / 4
    assert _layer(tiny_map, "targets").data["names"] == ["Ashby Vale", "Brook &amp; Mill", "Bridgend&#x27;s Rise"]


def test_cluster_counts_and_provider_key_text_reach_4_5_to_1():
    m = maps.coverage_map(tiny_result(), cluster_over=0)
    for layer in (c for c in _folium.children(m) if isinstance(c, DataLayer) and c.kind == "providers"):
        assert contrast(layer.data["ink"], layer.data["style"]["fillColor"]) >= 4.5, layer.layer_name
    assert all(contrast("#000000", s.style["fillColor"]) >= 4.5 or contrast("#ffffff", s.style["fillColor"]) >= 4.5
               for s in PROVIDER_STYLES.values())


def test_the_map_page_states_its_language_and_lets_readers_zoom(tiny_map):
    html = maps.map_html(tiny_map)
    assert html.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert "user-scalable=no" not in html and "maximum-scale" not in html
    assert maps.map_html(tiny_map) == html  # rendering twice gives the same page


def test_marked_providers_are_ringed_and_in_the_key():
    m = maps.coverage_map(tiny_result(), mark=("Trained in this scenario", ["p1"]))
    marked = [c for c in _folium.children(m) if isinstance(c, DataLayer) and c.layer_name.startswith("Trained")]
    assert [c.layer_name for c in marked] == ["Trained in this scenario (1)"]
    assert "Trained in this scenario (1)" in maps.map_html(m)


def test_notebook_tables_have_word_headings_formatted_numbers_and_no_index():
    table = pd.DataFrame({"rank": pd.array([1, 2], dtype="Int64"), "area_name": ["Stoke", "Coventry"],
                          "demand": [1150.0, 826.615543], "access": [8.881784e-16, 2.5], "BNG_E": [1, 2],
                          "oisc_level": [1, 0], "desert": [True, False]})
    html = notebook.show(table).to_html()
    assert ">Rank<" in html and ">People in need<" in html and ">Access per 1,000 in need<" in html
    assert ">1,150<" in html and ">827<" in html and ">0.00<" in html and "1150.0" not in html
    assert "BNG_E" not in html and "Level 1: advice and assistance" in html
    assert ">yes<" in html and ">no<" in html and "True" not in html
    assert 'class="row_heading' not in html  # no index column beside the rank


def test_data_notes_collect_warnings_and_fold_them():
    with notebook.DataNotes() as notes:
        warnings.warn("3 rows of partners.csv left out: postcode not found", UserWarning, stacklevel=1)
        warnings.warn("3 rows of partners.csv left out: postcode not found", UserWarning, stacklevel=1)
    assert notes.notes == ["3 rows of partners.csv left out: postcode not found"]
    assert notes._repr_html_().startswith("<details><summary><strong>Data notes (1)</strong>")


def test_tie_notes_name_the_tied_picks_in_words():
    picks = pd.DataFrame({"order": [1, 2, 3, 4], "gain": [97.196078, 97.196078, 97.19608, 12.0]})
    (note,) = notebook.tie_notes(picks)
    assert note.startswith("Picks 1, 2 and 3 gain the same (97.2 people each).")
    assert notebook.tie_notes(picks.iloc[[0, 3]]) == []


def test_drill_down_shows_measures_in_words_without_internal_columns():
    result = tiny_result()
    areas = result.areas.assign(BNG_E=1.0, OBJECTID=7)
    details = notebook.area_details(tiny_result(areas=areas), "T00000A1")
    measures = details["measures"].data
    assert "BNG_E" not in measures["Measure"].tolist() and "OBJECTID" not in measures["Measure"].tolist()
    row = measures.set_index("Measure").loc["People in need"]
    assert row["Value"] == "1,200" and row["Unit"] == "people"


def test_counts_agree_with_the_number_shown():
    from coverage_gaps._text import count_words, people

    assert [people(1), people(0.6), people(1.4), people(2), people(0), people(1_281)] == [
        "1 person", "1 person", "1 person", "2 people", "0 people", "1,281 people"]
    assert [count_words(1, "area"), count_words(30, "area")] == ["1 area", "30 areas"]
