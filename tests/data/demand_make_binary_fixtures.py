"""Write the binary fixtures of tests/data/bad/ (run once; the outputs are committed).

    .venv/bin/python tests/data/demand_make_binary_fixtures.py

- ``demand_asy_d11_title_rows.xlsx``: a tiny workbook shaped like the official
  Home Office Asy_D11 release: a cover sheet, then sheet "Data - Asy_D11" with
  three title rows and a blank row above the header (header on row 5, data from
  row 6, dates as real spreadsheet dates, a suppressed "[x]" on row 8).
- ``areas_no_crs.shp/.shx/.dbf``: one Stoke-on-Trent square in BNG metres with
  the ``.prj`` removed, so the file declares no CRS.
"""

import datetime as dt
from pathlib import Path

import geopandas as gpd
import openpyxl
from shapely.geometry import box

BAD = Path(__file__).resolve().parent / "bad"


def workbook() -> None:
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover sheet"
    cover["A1"] = "Immigration system statistics data tables, year ending September 2024"
    sheet = book.create_sheet("Data - Asy_D11")
    sheet.append(["Asy_D11: Asylum seekers in receipt of support by local authority"])
    sheet.append(["This worksheet contains one table. Some cells refer to notes which can be found in the notes worksheet."])
    sheet.append(["Source: Home Office, Immigration System Statistics"])
    sheet.append([])
    sheet.append(["Date", "Support Type", "UK Region", "Local Authority", "LAD Code", "Accommodation Type", "People"])
    q3, q2 = dt.datetime(2024, 9, 30), dt.datetime(2024, 6, 30)
    rows = [
        (q3, "Section 95", "West Midlands", "Stoke-on-Trent", "E06000021", "Dispersal Accommodation", 1040),
        (q3, "Section 4", "West Midlands", "Stoke-on-Trent", "E06000021", "Dispersal Accommodation", 241),
        (q3, "Section 95", "West Midlands", "Coventry", "E08000026", "Dispersal Accommodation", "[x]"),
        (q3, "Section 95", "West Midlands", "Coventry", "E08000026", "Contingency Accommodation \u2013 Hotel", 217),
        (q2, "Section 95", "West Midlands", "Coventry", "E08000026", "Dispersal Accommodation", 1500),
    ]
    for r in rows:
        sheet.append(list(r))
    for cell in sheet["A"][5:]:
        cell.number_format = "yyyy-mm-dd"
    book.properties.created = book.properties.modified = dt.datetime(2024, 11, 28)
    book.save(BAD / "demand_asy_d11_title_rows.xlsx")


def shapefile_without_crs() -> None:
    gdf = gpd.GeoDataFrame({"LAD22CD": ["E06000021"], "LAD22NM": ["Stoke-on-Trent"]},
                           geometry=[box(386000, 344000, 388000, 346000)], crs=None)
    gdf.to_file(BAD / "areas_no_crs.shp")
    for extra in (".prj", ".cpg"):
        (BAD / f"areas_no_crs{extra}").unlink(missing_ok=True)


if __name__ == "__main__":
    workbook()
    shapefile_without_crs()
