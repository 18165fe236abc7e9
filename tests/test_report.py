"""The funder report: content, figures, privacy, escaping, self-containment, reproducibility."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import numpy as np
import pytest
import shapely

from coverage_gaps import report
from coverage_gaps.errors import InvalidValueError
from coverage_gaps.settings import PublishSettings
from coverage_gaps.sources import describe_source

from _result_fixtures import HOSTILE_BACKTICK, HOSTILE_IMG, HOSTILE_TEMPLATE, tiny_result

#: Distinctive private values a charity's partner list might carry.
PRIVATE = {
    "email": "zz.private.mailbox@example.org",
    "telephone": "07700 900461",
    "notes": "ZZ-CONFIDENTIAL-CASE-NOTE",
    "address": "99 Zzyzx Secret Lane",
}


class _Doc(HTMLParser):
    """Elements, attributes and text of one document; the map frame's document is kept for parsing."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str, str]] = []
        self.texts: list[str] = []  # every text, style and script included
        self.visible: list[str] = []  # text outside style and script
        self._in_code = 0
        self.frames: list[str] = []
        self.starts: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self._in_code += tag in ("style", "script")
        self.starts.append((tag, dict(attrs)))
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
            if tag == "iframe" and name in ("srcdoc", "data-srcdoc"):
                self.frames.append(value or "")

    def handle_endtag(self, tag):
        self._in_code -= tag in ("style", "script")

    def handle_data(self, data):
        self.texts.append(data)
        if not self._in_code:
            self.visible.append(data)


def _documents(text: str) -> list[_Doc]:
    """The report and the map document nested in its frame (attribute values unescaped once, as a browser does)."""
    out, todo = [], [text]
    while todo:
        doc = _Doc()
        doc.feed(todo.pop())
        doc.close()
        out.append(doc)
        todo.extend(doc.frames)
    return out


def _references(text: str) -> list[str]:
    """Every src/href attribute and every url(...) in styles, in the report and its map."""
    found = []
    for doc in _documents(text):
        found += [v for _, name, v in doc.attrs if name in ("src", "href", "xlink:href", "action", "poster", "data")]
        found += [u for _, name, v in doc.attrs if name == "style" for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", v)]
        found += [u for chunk in doc.texts for u in re.findall(r"url\(\s*['\"]?([^'\")\s]+)", chunk)
                  if not u.startswith(("'", '"'))]
    return found


def _visible_text(text: str) -> str:
    return " ".join(" ".join(_documents(text)[0].visible).split())


@pytest.fixture(scope="module")
def result():
    return tiny_result()


@pytest.fixture(scope="module")
def page(result) -> str:
    return report.render_report(result)


# --- content and figures ---------------------------------------------------------------------------------------

def test_headline_figures_of_the_tiny_result_match_hand_counts(result):
    # demand 1200 + 800 + 150 + 300 + 50 + 0; desert A1 (1200), drought B1 (800); qualifying p1 (A2), p2 and p6 (A3);
    # no provider inside A1, B1, B3; unmet 1200 + 640 + 30.
    # residents: A1 100,000 + B1 80,000 (B3 has no figure) of 280,000 live where no provider is inside;
    # more than 100 people and no provider inside: A1, B1, B3.
    assert report.headline_figures(result) == {
        "people_in_need": 2500.0, "qualifying_providers": 3, "desert_share": pytest.approx(0.48),
        "part_desert_share": 0.0, "drought_share": pytest.approx(0.32),
        "residents_without_local_provider_share": pytest.approx(180_000 / 280_000),
        "areas_over_min_without_local_provider": 3, "areas_without_provider": 3, "areas": 6, "unmet_demand": 1870.0}


def test_headline_figures_are_printed_formatted(page):
    text = _visible_text(page)
    assert "2,500 people on asylum support in the 6 areas studied" in text
    assert "3 qualifying advice providers inside those areas" in text
    assert "48% of that need is in advice deserts (no qualifying adviser within 20 km)" in text
    assert "32% of that need is in advice droughts" in text
    assert "3 of 6 areas have no qualifying provider inside them" in text
    assert "64% of residents live in an area with no qualifying provider inside it" in text
    assert "3 areas have more than 100 people on asylum support and no qualifying provider inside them" in text
    assert "1,870 people below the average access (estimate)" in text


def test_share_formatting():
    assert [report.fmt_share(v) for v in (0.0, 0.004, 0.48, 1.0, float("nan"))] == ["0%", "under 1%", "48%", "100%", "n/a"]
    assert [report.fmt_number(v, d) for v, d in ((1281.4, 0), (4.1804, 1), (np.inf, 1), (None, 0))] == [
        "1,281", "4.2", "n/a", "n/a"]


def test_title_region_dates_and_headings(page):
    docs = _documents(page)[0]
    tags = [t for t, _ in docs.starts]
    assert tags.count("h1") == 1 and tags.count("h2") == 6  # main points, headline, map, targets, method, sources
    text = _visible_text(page)
    assert text.index("Main points") < text.index("Headline figures")
    assert "Tiny test region: advice coverage" in text
    assert "Region: Tiny region" in text and "Report produced on 2026-01-02" in text
    assert "People on asylum support (Home Office, table Asy_D11): 2024-09-30" in text
    # The list of source dates comes after the findings, not before them.
    assert "The inputs have different dates: each is listed under Sources, dates and licences" in text
    assert text.index("Areas to target") < text.index("Area boundaries (hand-drawn test squares)")
    assert "synthetic" not in text.lower()


def test_table_lists_every_area_in_rank_order_with_reasons_and_partners(page):
    rows = re.findall(r'<tr data-code="([^"]+)">', page)
    assert rows == ["T00000A1", "T00000B1", "T00000B3", "T00000A2", "T00000A3", "T00000B2"]
    table = page[page.index('<table id="targets"'):page.index("</table>")]
    assert "<caption>All 6 areas, ranked by people below the average access" in table
    assert table.count('<th scope="col"') == 12 and table.count('<th scope="row"') == 6
    assert '<button type="button">People below average</button>' in table and "Unmet need" not in table
    assert '<td data-sort="2-3; top 10 in 6 of 6">2-3; top 10 in 6 of 6</td>' in table  # B1's rank range
    assert "1,200 people on asylum support; advice desert: no qualifying adviser within 20 km" in table
    a1 = table[table.index('data-code="T00000A1"'):table.index('data-code="T00000B1"')]
    assert "<li>Back`tick Refugee Forum (not yet accredited, inside the area)</li>" in a1
    assert "<li>${x} Community Hub (OISC Level 1, 4.0 km away)</li>" in a1
    b3 = table[table.index('data-code="T00000B3"'):table.index('data-code="T00000A2"')]
    assert "None within 20 km" in b3  # rank 3 of top 3: searched, nothing near
    assert "n/a" in b3  # no population: no rate per 10,000
    a2 = table[table.index('data-code="T00000A2"'):table.index('data-code="T00000A3"')]
    assert "Not searched (outside the top 3)" in a2
    assert '<td class="num" data-sort="1.200000">1.2</td>' in a2  # nearest km, 1 dp
    assert '<td class="num" data-sort="2.500000">2.50</td>' in a2  # access, 2 dp


def test_method_caveats_and_rejected_rows(page):
    text = _visible_text(page)
    for caveat in ("different dates", "straight lines", "Capacity is a proxy", "Level 1 advisers are not counted",
                   "within 20 km"):
        assert caveat in text
    assert "1 input row could not be used and was left out (partners.csv: 1)" in text


def test_sources_with_licences_and_required_attribution():
    areas = describe_source("areas", file="lad.geojson", date="2022-12-31")
    page = report.render_report(tiny_result(sources=tiny_result().sources + [areas]))
    text = _visible_text(page)
    assert "Contains OS data (c) Crown copyright and database right" in text
    assert "Open Government Licence v3.0" in text
    assert "Area boundaries (ONS Open Geography Portal): 2022-12-31" in text
    # The download page is shown as text, never as a link the report would follow.
    assert "https://geoportal.statistics.gov.uk/" in text
    assert not any(v.startswith("http") for v in _references(page))


def test_synthetic_demo_data_is_said_prominently():
    page = report.render_report(tiny_result(synthetic=True))
    assert "<title>Tiny test region: advice coverage (synthetic demo data)</title>" in page
    banner = re.search(r'<p class="synthetic" role="note"><strong>(.*?)</strong>', page)
    assert banner and banner.group(1) == "Synthetic demo data."
    assert page.index('class="synthetic"') < page.index("<h1>")


def test_title_option_overrides_the_result_title(result):
    assert "<h1>Funders&#39; briefing</h1>" in report.render_report(result, title="Funders' briefing")


# --- privacy ---------------------------------------------------------------------------------------------------

def test_private_provider_and_candidate_fields_never_reach_the_report(tmp_path):
    base = tiny_result()
    result = replace(base, providers=base.providers.assign(**PRIVATE), candidates=base.candidates.assign(**PRIVATE))
    text = report.write_report(result, tmp_path / "report.html").read_text(encoding="utf-8")
    for value in list(PRIVATE.values()) + ["private@example.org", "XX1", "postcode not found"]:
        assert value not in text, value
    assert HOSTILE_TEMPLATE in text  # the public name is there


def test_public_result_keeps_allow_listed_provider_fields_only(result):
    public = report.public_result(result)
    assert set(public.providers.columns) <= set(report.PUBLIC_PROVIDER_FIELDS) | {"qualifying", "geometry"}
    assert "contact_email" not in public.providers.columns
    assert len(public.rejects) == 0


def test_district_precision_moves_points_to_grid_cell_centres():
    result = replace(tiny_result(), publish=PublishSettings(point_precision="district"))
    public = report.public_result(result)
    xy = shapely.get_coordinates(public.providers.geometry.to_numpy())
    assert np.all(xy % 2000 == 1000)  # centre of a 2 km cell
    original = shapely.get_coordinates(result.providers.geometry.to_numpy())
    assert np.all(np.abs(xy - original) <= 1000) and not np.allclose(xy, original)
    assert set(public.providers["location_precision"]) == {"district"}
    assert "shown at district (about 2 km) precision" in _visible_text(report.render_report(result))


def test_area_precision_puts_every_provider_on_its_area_centre(result):
    public = report.public_result(result, precision="area")
    centres = result.areas.set_index("area_code").geometry.representative_point()
    for code, point in zip(public.providers["area_code"], public.providers.geometry):
        assert point.equals(centres[code])


def test_unknown_precision_is_a_clear_error(result):
    with pytest.raises(InvalidValueError, match=r"column '\[publish\] point_precision': point precision not recognised "
                                                r"\(got 'street'; expected exact, district, area\)"):
        report.public_result(result, precision="street")


# --- escaping and self-containment -----------------------------------------------------------------------------

def test_hostile_names_are_text_not_markup(page):
    assert HOSTILE_IMG not in page  # never raw, at any depth
    for doc in _documents(page):
        assert not [a for a in doc.attrs if a[1].startswith("on")], "event handler attribute from input data"
        assert all(tag != "img" for tag, _ in doc.starts)
    report_text = " ".join(_documents(page)[0].texts)
    assert HOSTILE_IMG in report_text and HOSTILE_BACKTICK in report_text and HOSTILE_TEMPLATE in report_text


def test_no_src_href_or_url_points_outside_the_file(page):
    refs = _references(page)
    assert refs, "the parser found no references at all: it is not looking"
    outside = [r for r in refs if not r.startswith(("data:", "#"))]
    assert outside == []
    assert "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';" in page


def test_map_is_embedded_with_its_own_inlined_leaflet(page):
    docs = _documents(page)
    assert len(docs) == 2
    frame = [a for t, a in docs[0].starts if t == "iframe"][0]
    assert frame["sandbox"] == "allow-scripts" and "title" in frame and frame["aria-describedby"] == "map-summary"
    assert "leaflet" in " ".join(docs[1].texts).lower()


def test_print_stylesheet_hides_the_live_map_and_keeps_rows_whole(page):
    css = page[page.index("@media print"):]
    assert re.search(r"\.map-frame[^{]*\{\s*display:\s*none", css)
    assert "break-inside: avoid" in css and "thead { display: table-header-group; }" in css
    assert page.count('<path d="M') == 6  # the printed outline map: one shape per area


# --- reproducibility -------------------------------------------------------------------------------------------

def test_same_result_gives_byte_identical_files(tmp_path):
    first = report.write_report(tiny_result(), tmp_path / "a.html").read_bytes()
    second = report.write_report(tiny_result(), tmp_path / "b.html").read_bytes()
    assert first == second
    assert b"\r\n" not in first


def test_the_date_on_outputs_is_injected_never_read_from_the_clock(monkeypatch):
    from coverage_gaps.config import load_profile
    from coverage_gaps.pipeline import generated_on

    from coverage_gaps.cli import DEMO_PROFILE

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert generated_on() == "1970-01-02"  # no profile date: SOURCE_DATE_EPOCH
    assert generated_on(load_profile(DEMO_PROFILE)) == "2026-01-01"  # the profile's date wins
    dated = tiny_result(generated_on="1970-01-02")
    assert "1970-01-02" in report.render_report(dated) and "1970-01-02" not in report.render_report(tiny_result())


def test_write_report_returns_the_path_it_wrote(tmp_path, result):
    path = report.write_report(result, tmp_path / "sub" / "report.html")
    assert path == tmp_path / "sub" / "report.html"
    assert path.read_text(encoding="utf-8") == report.render_report(result)


@pytest.mark.realdata
def test_west_midlands_report_is_small_and_self_contained(real_data, tmp_path):
    from coverage_gaps.pipeline import run_profile
    from conftest import ROOT

    result = run_profile(ROOT / "data" / "profiles" / "west-midlands.toml", data_dir=real_data)
    path = report.write_report(result, tmp_path / "report.html")
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_size <= 3_000_000
    assert [r for r in _references(text) if not r.startswith(("data:", "#"))] == []
    assert len(re.findall(r'<tr data-code="E0', text)) == 30
    assert re.search(r'<tr data-code="E06000021">\s*<td data-sort="1">1</td>', text)  # Stoke-on-Trent first


def test_base_map_tiles_are_opt_in_and_allowed_by_the_page_policy(result):
    offline = report.render_report(result)
    online = report.render_report(result, tiles="OpenStreetMap")
    assert "img-src data:;" in offline and "tile.openstreetmap.org" not in offline
    assert "img-src data: https:;" in online and "tile.openstreetmap.org" in online
