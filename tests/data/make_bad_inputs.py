"""Write the suspicious-input cases of tests/data/bad/ (run once; the outputs are committed).

    .venv/bin/python tests/data/make_bad_inputs.py

Each file holds one thing a real user's file does that must never turn into a
silent wrong number: a hidden sheet before the real one, a chart sheet first, a
formula with no saved value, a decimal comma, a capacity of 1e308, Word's soft
line break in a name, terminal escape sequences, a contact person's name beside
the organisation's, a blank region code, a sub-area whose parent is unknown,
overlapping areas, broken settings.  tests/test_bad_inputs.py pins what each
gives (message or reject reason).  Places are the tiny test world of
tests/data: postcodes ST4 7QB (Stoke-on-Trent) and CV1 2GT / CV1 5RW (Coventry).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference

BAD = Path(__file__).resolve().parent / "bad"
HEADER = ["name", "oisc_level", "categories", "capacity", "postcode"]
ROWS = [
    ["Stoke Advice (fictional)", "2", "Asylum and Protection", 2, "ST4 7QB"],
    ["Coventry Advice (fictional)", "3", "Asylum and Protection", 1, "CV1 2GT"],
    ["Spon End Advice (fictional)", "2", "Immigration", 1, "CV1 5RW"],
]


def text(name: str, body: str) -> None:
    (BAD / name).write_bytes(body.encode("utf-8"))


def csv_files() -> None:
    text("providers_organisation_and_contact_columns.csv",
         "Organisation,Name,Contact,Phone,Email,Notes,oisc_level,categories,capacity,postcode\n"
         "Stoke Advice (fictional),Priya Contactperson,Mx Ada Privatename,07700 900123,ada.private@example.org,"
         "Ask for Ada on Tuesdays,2,Asylum and Protection,2,ST4 7QB\n"
         "Coventry Advice (fictional),Jon Personname,Dr Zed Hiddenname,07700 900456,zed.hidden@example.org,"
         "Confidential: funding ends,3,Asylum and Protection,1,CV1 2GT\n"
         "Spon End Advice (fictional),Kim Secretperson,Sam Unlisted,07700 900789,sam.unlisted@example.org,"
         "Private note here,Level 9,Immigration,1,CV1 5RW\n")
    text("providers_two_organisation_columns.csv",
         "Organisation,Provider name,postcode\nStoke Advice Trust (fictional),Stoke Advice (fictional),ST4 7QB\n")
    text("providers_capacity_decimal_comma.csv",
         'name,capacity,postcode\nStoke Advice (fictional),"1,5",ST4 7QB\n'
         'Coventry Advice (fictional),"1,500",CV1 2GT\nSpon End Advice (fictional),2.5,CV1 5RW\n')
    text("providers_capacity_decimal_comma_declared.csv",
         "name;capacity;postcode\nStoke Advice (fictional);1,5;ST4 7QB\nCoventry Advice (fictional);1.500,5;CV1 2GT\n"
         "Spon End Advice (fictional);2.5;CV1 5RW\n")
    text("providers_capacity_implausible.csv",
         "name,capacity,postcode\nStoke Advice (fictional),1e308,ST4 7QB\nCoventry Advice (fictional),20000,CV1 2GT\n"
         "Spon End Advice (fictional),inf,CV1 5RW\n")
    text("providers_control_characters.csv",
         "name,capacity,postcode\nStoke\x0bAdvice (fictional),1,ST4 7QB\n\"Coventry\tAdvice\r\n(fictional)\",1,CV1 2GT\n")
    text("providers_terminal_escapes.csv",
         "name,capacity,postcode\n\x1b]0;owned\x07\x1b[2J\x1b[31mRed Advice (fictional)\x1b[0m,1,ST4 7QB\n")
    text("laa_control_characters.csv",
         "office_id,organisation,organisation_type,postcode,lon,lat,categories\n"
         "1A001,Stoke\x0bLaw (fictional),Solicitor,ST4 7QB,,,IMMAS\n")
    text("areas_given_as_table.csv", "LAD22CD,LAD22NM\nE06000021,Stoke-on-Trent\n")
    lookup = "LAD22CD,LAD22NM,RGN22CD,RGN22NM\n"
    text("region_lookup_blank_region.csv",
         lookup + "E06000021,Stoke-on-Trent,E12000005,West Midlands\nE08000026,Coventry,,\n")
    text("region_lookup_repeated_rows.csv",
         lookup + "E06000021,Stoke-on-Trent,E12000005,West Midlands\nE08000026,Coventry,E12000005,West Midlands\n"
         "E06000021,Stoke-on-Trent,E12000005,West Midlands\n")
    text("region_lookup_missing_area.csv", lookup + "E06000021,Stoke-on-Trent,E12000005,West Midlands\n")
    text("region_lookup_blank_area_code.csv",
         lookup + "E06000021,Stoke-on-Trent,E12000005,West Midlands\n,Coventry,E12000005,West Midlands\n")
    text("postcodes_bad_rows.csv",
         "pcds,oseast1m,osnrth1m\nST4 7QB,387600,345100\nCV1 9XX,,\nNOT A CODE,433500,279000\n"
         "ST4 7QB,387700,345200\nCV1 2GT,433500,279000\n")


def _features(squares: list[tuple[str, str, tuple], ], **extra) -> dict:
    feats = []
    for code, name, (x0, y0, x1, y1), *more in squares:
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        props = {"code": code, "name": name, **(more[0] if more else {})}
        feats.append({"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
            "features": feats, **extra}


def geo_files() -> None:
    stoke, coventry = (380_000, 340_000, 395_000, 355_000), (425_000, 272_000, 440_000, 287_000)
    (BAD / "areas_overlapping.geojson").write_text(json.dumps(_features([
        ("E06000021", "Stoke-on-Trent", stoke), ("E08000026", "Coventry", coventry),
        ("E99999999", "Stoke (an older vintage)", (381_000, 341_000, 394_000, 354_000))])))
    (BAD / "areas_control_characters.geojson").write_text(json.dumps(_features([
        ("E06000021", "Stoke-on-\x1b[31mTrent\x1b[0m", stoke), ("E08000026", "Cov\x0bentry", coventry)])))
    (BAD / "subareas_unknown_parent.geojson").write_text(json.dumps(_features([
        ("E01000001", "Stoke 001A", (386_200, 344_200, 386_800, 344_800), {"LAD_CODE": "E06000021"}),
        ("E01000002", "Coventry 001A", (432_200, 278_200, 432_800, 278_800), {"LAD_CODE": "E08000099"}),
        ("E01000003", "Coventry 001B", (433_200, 279_200, 433_800, 279_800), {"LAD_CODE": " E08000026 "})])))
    (BAD / "subareas_outside_areas.geojson").write_text(json.dumps(_features([
        ("E01000001", "Stoke 001A", (386_200, 344_200, 386_800, 344_800)),
        ("E01000009", "Birmingham 001A", (405_000, 285_000, 407_000, 287_000))])))


def _partners_sheet(ws, rows=ROWS) -> None:
    ws.append(HEADER)
    for row in rows:
        ws.append(row)


def workbooks() -> None:
    book = openpyxl.Workbook()  # an old, hidden copy of the list comes first; the visible one is the real one
    old = book.active
    old.title = "Old list"
    _partners_sheet(old, ROWS[:1])
    old.sheet_state = "hidden"
    _partners_sheet(book.create_sheet("Partners"))
    book.save(BAD / "providers_hidden_sheet_first.xlsx")

    book = openpyxl.Workbook()  # the table is on a hidden sheet; only a chart is visible
    data = book.active
    data.title = "Partners"
    _partners_sheet(data)
    chart = BarChart()
    chart.add_data(Reference(data, min_col=4, min_row=1, max_row=len(ROWS) + 1), titles_from_data=True)
    book.create_chartsheet("Chart", 0).add_chart(chart)
    book.active = 0
    data.sheet_state = "hidden"
    book.save(BAD / "providers_only_hidden_sheets.xlsx")

    book = openpyxl.Workbook()  # a chart sheet before the data sheet
    data = book.active
    data.title = "Partners"
    _partners_sheet(data)
    chart = BarChart()
    chart.add_data(Reference(data, min_col=4, min_row=1, max_row=len(ROWS) + 1), titles_from_data=True)
    book.create_chartsheet("Capacity chart", 0).add_chart(chart)
    book.active = 1
    book.save(BAD / "providers_chart_sheet_first.xlsx")

    book = openpyxl.Workbook()  # openpyxl saves formulas without cached values, as some exporters do
    _partners_sheet(book.active, [ROWS[0], ROWS[1][:3] + ["=D2*2"] + ROWS[1][4:], ROWS[2]])
    book.active.title = "Partners"
    book.save(BAD / "providers_formula_without_value.xlsx")

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["office_id", "organisation", "organisation_type", "postcode", "lon", "lat", "categories"])
    ws.append(["1A001", "Stoke Law (fictional)", "Solicitor", "ST4 7QB", None, None, "IMMAS"])
    ws.append(["1A002", '=CONCATENATE("Coventry ", "Law")', "Solicitor", "CV1 2GT", None, None, "IMMAS"])
    book.save(BAD / "laa_formula_without_value.xlsx")


PROFILE = '[inputs.areas]\npath = "../areas_three_districts.geojson"\n'
PROFILES = {
    "profile_benchmark_word.toml": '[analysis]\nbenchmark = "twelve"\n',
    "profile_min_demand_nan.toml": "[analysis]\nmin_demand = nan\n",
    "profile_candidate_km_negative.toml": "[analysis]\ncandidate_km = -1\n",
    "profile_catchment_zero.toml": "[analysis]\ncatchment_km = 0\n",
    "profile_top_zero.toml": "[analysis]\ntop = 0\n",
    "profile_drought_share_above_one.toml": "[analysis]\ndrought_share = 1.5\n",
    "profile_decay_table_unsorted.toml": '[analysis]\ndecay = "table"\ndecay_table = [[20, 0.5], [10, 1.0]]\n',
    "profile_rank_by_unknown.toml": '[analysis]\nrank_by = "need"\n',
    "profile_sources_misspelt.toml": '[sources.area]\ndate = "2022-12"\n',
    "profile_columns_name_number.toml":
        '[[inputs.providers]]\nformat = "partners"\npath = "providers_two_organisation_columns.csv"\n'
        "columns = { name = 1 }\n",
    "profile_decimal_unknown.toml":
        '[[inputs.providers]]\nformat = "partners"\npath = "providers_capacity_decimal_comma.csv"\ndecimal = ";"\n',
    "profile_generated_on_impossible.toml": '[profile]\ngenerated_on = "2026-02-30"\n',
}


def profiles() -> None:
    for name, body in PROFILES.items():
        head, rest = (body, "") if body.startswith("[profile]") else ("", body)
        (BAD / name).write_text(head + PROFILE + rest)


if __name__ == "__main__":
    csv_files()
    geo_files()
    workbooks()
    profiles()
    print("wrote", len(list(BAD.iterdir())), "files in", BAD)
