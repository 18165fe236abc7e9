"""Hand-built Results for tests of maps, reports and exports (no analysis pipeline needed).

``tiny_result()`` is six 4 km squares near Birmingham (British National Grid),
laid out as two rows of three::

    A1 A2 A3        y 284,000-288,000
    B1 B2 B3        y 280,000-284,000   (x from 400,000, 4 km per column)

with hand-set measures (ranked by unmet need), seven providers of every
display type, candidates for the top areas, and two sources.  Three partner
names are hostile on purpose, so every consumer exercises escaping:

* ``HOSTILE_IMG`` = ``<img src=x onerror=alert(1)>`` (OISC Level 1, in B2)
* ``HOSTILE_BACKTICK`` = ``Back`tick Refugee Forum`` (prospective partner, in A1)
* ``HOSTILE_TEMPLATE`` = ``${x} Community Hub`` (OISC Level 1, in B1)

Override any :class:`~coverage_gaps.result.Result` field by keyword, e.g.
``tiny_result(synthetic=True)`` or ``tiny_result(areas=my_areas)``.
"""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, box

from coverage_gaps.result import Result, Source

__all__ = ["tiny_result", "tiny_areas", "tiny_providers", "HOSTILE_IMG", "HOSTILE_BACKTICK", "HOSTILE_TEMPLATE",
           "X0", "Y0", "SIDE_M"]

HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_BACKTICK = "Back`tick Refugee Forum"
HOSTILE_TEMPLATE = "${x} Community Hub"
X0, Y0, SIDE_M = 400_000.0, 280_000.0, 4_000.0


def _square(col: int, row: int):
    """Column 0-2 from the west, row 0 (B, south) or 1 (A, north)."""
    return box(X0 + col * SIDE_M, Y0 + row * SIDE_M, X0 + (col + 1) * SIDE_M, Y0 + (row + 1) * SIDE_M)


def _centre(col: int, row: int, dx: float = 0.0, dy: float = 0.0) -> Point:
    return Point(X0 + (col + 0.5) * SIDE_M + dx, Y0 + (row + 0.5) * SIDE_M + dy)


def tiny_areas() -> gpd.GeoDataFrame:
    """The six areas with every Result column, sorted by rank (unmet need, then demand)."""
    table = pd.DataFrame({
        "area_code": ["T00000A1", "T00000B1", "T00000B3", "T00000A2", "T00000A3", "T00000B2"],
        "area_name": ["Ashby Vale", "Brook & Mill", "Bridgend's Rise", "Avonside", "Alder Heath", "Bexley Green"],
        "region_code": ["R1"] * 6,
        "demand": [1200.0, 800.0, 150.0, 300.0, 50.0, 0.0],
        "population": [100_000.0, 80_000.0, np.nan, 50_000.0, 20_000.0, 30_000.0],
        "local_providers": [0, 0, 0, 1, 2, 1],
        "nearest_km": [6.0, 3.5, 3.0, 1.2, 0.5, 0.8],
        "access": [0.0, 0.4, 1.6, 2.5, 6.0, np.nan],
        "coverage_share": [0.0, 0.2, 0.5, 1.0, 1.0, 1.0],
        "unmet_demand": [1200.0, 640.0, 30.0, 0.0, 0.0, 0.0],
        "desert": [True, False, False, False, False, False],
        "drought": [False, True, False, False, False, False],
        "rank": pd.array([1, 2, 3, 4, 5, 6], dtype="Int64"),
        "gap": ["desert", "drought", "below average", "at or above", "at or above", "no recorded need"],
        "share_beyond_reach": [1.0, 0.8, 0.5, 0.0, 0.0, np.nan],
        "rank_min": pd.array([1, 2, 3, 3, 5, 6], dtype="Int64"),
        "rank_max": pd.array([1, 3, 4, 4, 5, 6], dtype="Int64"),
        "top10_in": pd.array([6, 6, 6, 6, 6, 6], dtype="Int64"),
    })
    table["demand_per_10k"] = table["demand"] / table["population"] * 10_000
    table["reason"] = [
        "1,200 people on asylum support; advice desert: no qualifying adviser within 20 km",
        "800 people on asylum support; access 0.4 per 1,000 against 2.0; advice drought",
        "150 people on asylum support; access 1.6 per 1,000 against 2.0",
        "300 people on asylum support; access 2.5 per 1,000 against 2.0",
        "50 people on asylum support; access 6.0 per 1,000 against 2.0",
        "0 people on asylum support",
    ]
    cells = {"T00000A1": (0, 1), "T00000A2": (1, 1), "T00000A3": (2, 1),
             "T00000B1": (0, 0), "T00000B2": (1, 0), "T00000B3": (2, 0)}
    geometry = [_square(*cells[c]) for c in table["area_code"]]
    return gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:27700")


def tiny_providers() -> gpd.GeoDataFrame:
    """Seven providers, one or more of each display type, with a private e-mail column."""
    rows = [
        # id, name, oisc, categories, laa, regulated, status, type, qualifying, area, cell
        ("p1", "Central Law Centre", 3, "immigration;asylum", True, False, "", "LAA office", True, "T00000A2", (1, 1)),
        ("p2", "Northside Advice", 2, "asylum", False, False, "partner", "OISC Level 2+", True, "T00000A3", (2, 1)),
        ("p3", HOSTILE_IMG, 1, "immigration", False, False, "partner", "OISC Level 1", False, "T00000B2", (1, 0)),
        ("p4", HOSTILE_BACKTICK, 0, "", False, False, "prospective", "Prospective partner", False, "T00000A1", (0, 1)),
        ("p5", HOSTILE_TEMPLATE, 1, "immigration", False, False, "partner", "OISC Level 1", False, "T00000B1", (0, 0)),
        ("p6", "Eastgate Solicitors", 0, "immigration;asylum", False, True, "", "OISC Level 2+", True, "T00000A3",
         (2, 1)),
        ("p7", "Quiet Library", 0, "", False, False, "", "Not accredited", False, "T00000B3", (2, 0)),
    ]
    names = {"T00000A1": "Ashby Vale", "T00000A2": "Avonside", "T00000A3": "Alder Heath", "T00000B1": "Brook & Mill",
             "T00000B2": "Bexley Green", "T00000B3": "Bridgend's Rise"}
    offsets = {"p2": (-500.0, 300.0), "p6": (700.0, -600.0), "p4": (900.0, -900.0), "p5": (-900.0, 900.0)}
    table = pd.DataFrame([r[:10] for r in rows], columns=[
        "provider_id", "name", "oisc_level", "categories", "laa_contract", "regulated", "status", "provider_type",
        "qualifying", "area_code"])
    table["capacity"] = 1.0
    table["source"] = "partners.csv"
    table["postcode"] = ""
    table["location_precision"] = "exact"
    table["area_name"] = table["area_code"].map(names)
    table["contact_email"] = "private@example.org"
    geometry = [_centre(*r[10], *offsets.get(r[0], (0.0, 0.0))) for r in rows]
    return gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:27700")


def tiny_candidates() -> pd.DataFrame:
    """Partners to train for the top three areas (nearest first)."""
    return pd.DataFrame({
        "area_code": ["T00000A1", "T00000A1", "T00000B1", "T00000B1"],
        "provider_id": ["p4", "p5", "p5", "p3"],
        "name": [HOSTILE_BACKTICK, HOSTILE_TEMPLATE, HOSTILE_TEMPLATE, HOSTILE_IMG],
        "oisc_level": [0, 1, 1, 1],
        "status": ["prospective", "partner", "partner", "partner"],
        "distance_km": [0.0, 4.0, 0.0, 4.0],
    })


def tiny_result(**overrides) -> Result:
    """A small, complete Result built by hand; keyword arguments replace Result fields."""
    result = Result(
        areas=tiny_areas(),
        providers=tiny_providers(),
        rejects=pd.DataFrame({"file": ["partners.csv"], "row": [9], "column": ["postcode"], "value": ["XX1"],
                              "reason": ["postcode not found"]}),
        candidates=tiny_candidates(),
        settings={"demand": "asylum_support", "population": "population", "catchment_km": 20.0, "top": 3,
                  "rank_by": "unmet_demand"},
        sources=[
            Source(name="People on asylum support (Home Office, table Asy_D11)", file="asy_d11.csv",
                   date="2024-09-30", licence="Open Government Licence v3.0",
                   attribution="Contains public sector information licensed under the Open Government Licence v3.0.",
                   url="https://www.gov.uk/government/statistical-data-sets/immigration-system-statistics-data-tables"),
            Source(name="Area boundaries (hand-drawn test squares)", file="tiny.geojson"),
        ],
        title="Tiny test region: advice coverage",
        region_name="Tiny region",
        benchmark=2.0,
        generated_on="2026-01-02",
        synthetic=False,
    )
    return replace(result, **overrides) if overrides else result


#: Real boundary files a size benchmark / real-data test can map (see ../shared/data/real/PROVENANCE.md).
REAL_GEOGRAPHIES = {
    "west_midlands_lsoa": ("west_midlands_lsoa2011_bgc.geojson", "LSOA11CD", "LSOA11NM", None),
    "england_wales_lad": ("lad_dec2022_uk_buc.geojson", "LAD22CD", "LAD22NM", ("E", "W")),
}


def real_geography_result(geography: str, real_dir) -> Result:
    """A Result on real boundaries with fake, deterministic measures (for map size and rendering).

    Boundaries are the real ONS files; providers are the 3,775 geocoded Legal
    Aid Agency offices of 2015 (IMMAS offices as "LAA office", the rest as
    "Not accredited").  Measures are drawn from a seeded generator, flags and
    ranks follow from them and reasons come from :func:`coverage_gaps.gaps.explain`,
    so tooltips carry realistic text.
    """
    from pathlib import Path

    from coverage_gaps import gaps

    file, code_col, name_col, countries = REAL_GEOGRAPHIES[geography]
    raw = gpd.read_file(Path(real_dir) / file)
    if countries:
        raw = raw[raw[code_col].str[0].isin(countries)]
    raw = raw.to_crs("EPSG:27700").sort_values(code_col).reset_index(drop=True)
    rng = np.random.default_rng(20260102)
    n = len(raw)
    areas = gpd.GeoDataFrame({"area_code": raw[code_col].astype(str), "area_name": raw[name_col].astype(str)},
                             geometry=raw.geometry.values, crs="EPSG:27700")
    areas["population"] = rng.integers(1_000, 300_000, n).astype(float)
    areas["demand"] = np.round(rng.gamma(0.6, 120.0, n))
    areas["demand_per_10k"] = areas["demand"] / areas["population"] * 10_000
    areas["local_providers"] = rng.poisson(0.4, n)
    areas["nearest_km"] = np.round(rng.gamma(2.0, 6.0, n), 2)
    areas["access"] = np.where(areas["demand"] > 0, np.round(rng.gamma(1.5, 1.2, n), 3), np.nan)
    areas["coverage_share"] = np.round(rng.uniform(0, 1, n), 3)
    areas["unmet_demand"] = np.round(areas["demand"] * np.clip(1 - areas["access"].fillna(2) / 2, 0, 1))
    areas["desert"] = areas["nearest_km"] > 20
    areas["drought"] = ~areas["desert"] & (areas["access"] < 0.5)
    areas["rank"] = gaps.rank_areas(areas, by="unmet_demand")
    areas["gap"] = np.select([areas["desert"], areas["drought"], areas["unmet_demand"] > 0],
                             ["desert", "drought", "below average"], default="at or above")
    areas["reason"] = gaps.reasons(areas, benchmark=2.0, demand_column="asylum_support", catchment_km=20.0)
    areas = areas.sort_values(["rank", "area_code"], kind="mergesort").reset_index(drop=True)

    laa = pd.read_csv(Path(real_dir) / "laa_legal_aid_provider_offices_2015.csv").dropna(subset=["lon", "lat"])
    immas = laa["categories"].fillna("").str.contains("IMMAS")
    providers = gpd.GeoDataFrame({
        "provider_id": "laa-" + laa["office_id"].astype(str), "name": laa["organisation"].astype(str),
        "oisc_level": 0, "categories": np.where(immas, "immigration;asylum", ""), "laa_contract": immas,
        "regulated": True, "capacity": 1.0, "status": "", "source": "laa", "postcode": laa["postcode"].astype(str),
        "location_precision": "exact", "qualifying": immas,
        "provider_type": np.where(immas, "LAA office", "Not accredited"), "area_code": "", "area_name": ""},
        geometry=gpd.points_from_xy(laa["lon"], laa["lat"]), crs="EPSG:4326").to_crs("EPSG:27700")
    top = areas.head(10)
    candidates = pd.DataFrame({"area_code": top["area_code"], "provider_id": "laa-1", "name": "Example partner",
                               "oisc_level": 1, "status": "partner", "distance_km": 2.5})
    return Result(areas=areas, providers=providers.reset_index(drop=True), rejects=pd.DataFrame(),
                  candidates=candidates.reset_index(drop=True), settings={"demand": "asylum_support", "top": 10},
                  sources=[Source(name="Fake measures on real ONS boundaries", file=file, date="2022-12-31")],
                  title=f"Map size benchmark: {geography}", generated_on="2026-01-02")
