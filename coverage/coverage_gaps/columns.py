"""What every exported column means: its heading for people, its meaning, its unit and its number format.

The CSV keeps the code names (``unmet_demand``) so scripts can read it; the
XLSX shows the headings (``Unmet need (people, estimate)``) and carries a
``definitions`` sheet built from :data:`COLUMNS`.  A column not listed here
gets a heading made from its name and the meaning "not described".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["Column", "COLUMNS", "OISC_WORDS", "column", "heading", "definitions", "oisc_words"]


@dataclass(frozen=True)
class Column:
    """One column: heading, meaning, unit and Excel number format ("" for text)."""

    heading: str
    meaning: str
    unit: str = ""
    number_format: str = ""


_PEOPLE = "#,##0"
_KM = "#,##0.0"
_RATE = "#,##0.00"
_SHARE = "0%"
_COUNT = "#,##0"

#: Column code name -> :class:`Column`.
COLUMNS: dict[str, Column] = {
    # target areas
    "rank": Column("Rank", "Order in which to target the area (1 = first); blank when not ranked", "rank", _COUNT),
    "area_code": Column("Area code", "ONS code of the area (local authority district, LSOA or MSOA)"),
    "area_name": Column("Area", "Name of the area"),
    "region_code": Column("Region code", "ONS code of the region the area is in"),
    "region_name": Column("Region", "Name of the region the area is in"),
    "demand": Column("People in need", "People in need of advice in the area (the profile's demand layer)",
                     "people", _PEOPLE),
    "asylum_support": Column("People on asylum support", "People on asylum support (Home Office Asy_D11)",
                             "people", _PEOPLE),
    "population": Column("Residents", "Usual residents (ONS population estimate)", "people", _PEOPLE),
    "demand_per_10k": Column("Need per 10,000 residents", "People in need per 10,000 residents",
                             "people per 10,000 residents", _KM),
    "local_providers": Column("Qualifying providers inside", "Qualifying advice providers located in the area",
                              "providers", _COUNT),
    "local_capacity": Column("Qualifying capacity inside", "Capacity of the qualifying providers in the area "
                             "(one unit per office unless a source gives advisers or matter starts)", "units", _RATE),
    "level1_providers": Column("OISC Level 1 providers inside", "OISC Level 1 advisers located in the area "
                               "(not counted as asylum supply)", "providers", _COUNT),
    "capacity_per_10k_residents": Column("Capacity per 10,000 residents", "Qualifying capacity inside the area per "
                                         "10,000 residents", "units per 10,000 residents", _RATE),
    "capacity_per_1k_demand": Column("Capacity per 1,000 in need", "Qualifying capacity inside the area per 1,000 "
                                     "people in need", "units per 1,000 people", _RATE),
    "nearest_km": Column("Nearest qualifying adviser (km)", "Straight-line distance from where the area's people "
                         "live to the nearest qualifying adviser; blank when none", "km", _KM),
    "nearest_level1_km": Column("Nearest OISC Level 1 (km)", "Distance to the nearest OISC Level 1 adviser", "km",
                                _KM),
    "nearest_level2_km": Column("Nearest OISC Level 2 (km)", "Distance to the nearest OISC Level 2 adviser", "km",
                                _KM),
    "nearest_level3_km": Column("Nearest OISC Level 3 (km)", "Distance to the nearest OISC Level 3 adviser", "km",
                                _KM),
    "access": Column("Access per 1,000 in need", "Advice capacity within reach per 1,000 people in need "
                     "(enhanced two-step floating catchment)", "units per 1,000 people", _RATE),
    "coverage_share": Column("Share of need within reach", "Share of the area's need within the catchment of a "
                             "qualifying adviser", "share", _SHARE),
    "share_beyond_reach": Column("Share of need beyond reach", "Share of the area's need beyond the catchment of "
                                 "every qualifying adviser", "share", _SHARE),
    "unmet_demand": Column("Shortfall against the benchmark (people, estimate)", "People in need times the area's "
                           "shortfall against the benchmark: people below the average access, or unmet need against "
                           "a stated standard (exports name which: people_below_average or people_below_standard)",
                           "people", _PEOPLE),
    "people_below_average": Column("People below average access (estimate)", "People in need times the area's "
                                   "shortfall of access against the average across the coverage (relative: a "
                                   "shortage everywhere cannot show)", "people", _PEOPLE),
    "people_below_standard": Column("Unmet need against the standard (people, estimate)", "People in need times "
                                    "the area's shortfall of access against the stated standard (the about sheet "
                                    "names it)", "people", _PEOPLE),
    "gap": Column("Gap", "Gap category: desert, part desert, drought, below average / below standard, at or above, "
                  "no recorded need, no data, outside coverage"),
    "desert": Column("Advice desert", "True when nobody in the area is within reach of a qualifying adviser"),
    "drought": Column("Advice drought", "True when advisers are within reach but access is below the drought share "
                      "of the benchmark"),
    "in_coverage": Column("Inside supply coverage", "True when the area is inside the territory the supply data covers"),
    "rank_min": Column("Best rank across settings", "Highest rank the area takes over the grid of settings tried",
                       "rank", _COUNT),
    "rank_max": Column("Worst rank across settings", "Lowest rank the area takes over the grid of settings tried",
                       "rank", _COUNT),
    "top10_in": Column("Settings with the area in the top 10", "How many of the settings tried (catchment x decay, "
                       "see the about sheet) put the area in the top 10", "settings", _COUNT),
    "reason": Column("Why", "The reason for the rank, in words"),
    "candidates": Column("Partners to train", "Organisations near the area that could be trained, nearest first"),
    "data_note": Column("Data note", "Says when the figures are synthetic demo data"),
    # candidates and providers
    "provider_id": Column("Provider ID", "Identifier of the organisation in its source file"),
    "name": Column("Organisation", "Name of the organisation"),
    "oisc_level": Column("OISC level", "Immigration Advice Authority (OISC) level: 0 none, 1 advice and assistance, "
                         "2 casework, 3 advocacy and representation"),
    "status": Column("Partner status", "partner, prospective or trained; blank when not a partner"),
    "categories": Column("Advice categories", "immigration, asylum or both"),
    "distance_km": Column("Distance (km)", "Straight-line distance from the area to the organisation (0 = inside)",
                          "km", _KM),
    "provider_type": Column("Provider type", "How the provider counts on the map"),
    "laa_contract": Column("Legal aid contract", "True when the office holds a Legal Aid Agency immigration contract"),
    "lon": Column("Longitude", "WGS84 longitude, at the published precision", "degrees", "0.0000"),
    "lat": Column("Latitude", "WGS84 latitude, at the published precision", "degrees", "0.0000"),
    # rejects and about
    "file": Column("File", "Input file the row came from"),
    "row": Column("Row", "Row number in that file (1 = first data row)", "row", _COUNT),
    "column": Column("Column", "Column of the value that was refused"),
    "value": Column("Value", "The value as read"),
    "people": Column("People in the row", "People a refused demand row counts, so they stay visible; blank for "
                     "other inputs", "people", _PEOPLE),
    "item": Column("Item", "What the line describes"),
}
#: OISC levels in words, for people (the code is kept in the CSV).
OISC_WORDS = {0: "none (not accredited)", 1: "Level 1: advice and assistance", 2: "Level 2: casework",
              3: "Level 3: advocacy and representation"}


def column(name: str) -> Column:
    """The :class:`Column` for a code name (a plain heading and "not described" when unknown)."""
    return COLUMNS.get(name) or Column(str(name).replace("_", " ").capitalize(), "not described")


def heading(name: str) -> str:
    """The heading a person reads for a code name."""
    return column(name).heading


def oisc_words(levels: pd.Series) -> pd.Series:
    """OISC levels as words ("Level 2: casework"); missing stays missing."""
    numbers = pd.to_numeric(levels, errors="coerce")
    return numbers.map(lambda v: OISC_WORDS.get(int(v), f"Level {int(v)}") if pd.notna(v) else None)


def definitions(sheets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per column of every sheet: sheet, heading, code name (as in the CSV), meaning, unit."""
    rows = []
    for sheet, table in sheets.items():
        for name in table.columns:
            c = column(str(name))
            rows.append((sheet, c.heading, str(name), c.meaning, c.unit))
    return pd.DataFrame(rows, columns=["sheet", "column", "code name (CSV)", "meaning", "unit"])
