"""The area to region lookup: read it, join it onto areas, keep the chosen regions.

:func:`load_region_lookup` reads an ONS lookup (``LAD22CD, LAD22NM, RGN22CD,
RGN22NM``); :func:`~coverage_gaps.io.load_areas` uses the private steps here
to add ``region_code``/``region_name`` to the areas and keep the regions a
profile names.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..errors import DuplicateCodeError, InvalidValueError, MissingColumnError, describe
from ..schema import AREA_CODE, REGION_CODE, REGION_NAME
from ._match import ONS_CODE, match_column
from ._read import read_table

__all__ = ["load_region_lookup"]

_REGION_CODE_NAMES = (REGION_CODE, "region code", "RGNCD", "GORCD", "region")
_REGION_NAME_NAMES = (REGION_NAME, "region name", "RGNNM", "GORNM")


def load_region_lookup(
    path: str | Path,
    *,
    area_code_column: str | None = None,
    region_code_column: str | None = None,
    region_name_column: str | None = None,
) -> pd.DataFrame:
    """Read an ONS area to region lookup (e.g. ``LAD22CD, LAD22NM, RGN22CD, RGN22NM``).

    Parameters
    ----------
    path
        CSV (UTF-8 with or without byte-order mark, or Windows-1252) or XLSX.
    area_code_column, region_code_column, region_name_column
        Column names, when the ONS pattern (``LADnnCD``, ``RGNnnCD``,
        ``RGNnnNM``) does not find them.

    Returns
    -------
    DataFrame
        ``area_code, region_code, region_name``, one row per area code.

    Raises
    ------
    MissingColumnError, DuplicateCodeError
    """
    df, _ = read_table(path, header_hint=("LAD22CD", "RGN22CD", "RGN22NM"))
    return _lookup_frame(df, Path(path).name, area_code_column, region_code_column, region_name_column)


# --- private steps -----------------------------------------------------------


def _lookup_frame(df: pd.DataFrame, file, area_code_column=None, region_code_column=None,
                  region_name_column=None) -> pd.DataFrame:
    if {AREA_CODE, REGION_CODE} <= set(df.columns) and area_code_column is None:
        out = df[[AREA_CODE, REGION_CODE] + ([REGION_NAME] if REGION_NAME in df.columns else [])].copy()
    else:
        cols = list(df.columns)
        ons = [c for c in cols if ONS_CODE.match(str(c))]
        regionish = [c for c in ons if ONS_CODE.match(str(c)).group(1).upper() in ("RGN", "GOR", "CTRY")]
        area = area_code_column or next((c for c in ons if c not in regionish), None) \
            or match_column(cols, (AREA_CODE, "LAD code", "code"))
        region = region_code_column or next((c for c in regionish if str(c).upper().startswith(("RGN", "GOR"))),
                                            None) or match_column(cols, _REGION_CODE_NAMES)
        rname = region_name_column or next((c for c in cols if re.match(r"^(RGN|GOR)\d\dNM$", str(c), re.I)),
                                           None) or match_column(cols, _REGION_NAME_NAMES)
        missing = [what for what, c in (("area code", area), ("region code", region)) if c is None or c not in cols]
        if missing:
            raise MissingColumnError(describe(
                f"no {' or '.join(missing)} column in the region lookup", file=file,
                expected="columns such as LAD22CD and RGN22CD (RGN22NM); the file has " + ", ".join(map(repr, cols)),
                fix="pass area_code_column= / region_code_column= (or set them in [inputs.region_lookup])"))
        out = pd.DataFrame({AREA_CODE: df[area], REGION_CODE: df[region]})
        out[REGION_NAME] = df[rname] if rname in cols else ""
    out = out.astype("string").apply(lambda s: s.str.strip()).fillna("")
    out = out[out[AREA_CODE] != ""].drop_duplicates()
    dup = out[AREA_CODE][out[AREA_CODE].duplicated()]
    if len(dup):
        raise DuplicateCodeError(describe(
            "area code(s) mapped to more than one region: " + ", ".join(sorted(set(dup))[:10]), file=file,
            expected="one region per area", fix="keep one row per area code in the lookup"))
    return out.reset_index(drop=True)


#: ONS country codes stand in for the region of areas an English region lookup
#: does not cover (Wales has no English-style regions): W06... -> Wales.
_COUNTRY_BY_PREFIX = {
    "W": ("W92000004", "Wales"),
    "S": ("S92000003", "Scotland"),
    "N": ("N92000002", "Northern Ireland"),
}


def _add_regions(table: gpd.GeoDataFrame, lookup: pd.DataFrame) -> gpd.GeoDataFrame:
    by_code = lookup.set_index(AREA_CODE)
    first = table[AREA_CODE].astype(str).str[:1]
    for i, col in enumerate((REGION_CODE, REGION_NAME)):
        country = first.map({k: v[i] for k, v in _COUNTRY_BY_PREFIX.items()})
        table[col] = table[AREA_CODE].map(by_code[col]).fillna(country).fillna("").astype("string")
    return table


def _keep_regions(table, regions, path: Path, have_lookup: bool):
    wanted = [regions] if isinstance(regions, str) else [str(r) for r in regions]
    if not have_lookup:
        raise InvalidValueError(describe(
            "regions= needs a region lookup", file=path.name, value=wanted,
            fix="pass region_lookup= (the ONS LAD to region lookup file)"))
    present = set(table[REGION_CODE])
    absent = [r for r in wanted if r not in present]
    keep = table[REGION_CODE].isin(wanted)
    if not keep.any():
        raise InvalidValueError(describe(
            "no area lies in the requested region(s)", file=path.name, value=", ".join(wanted),
            expected="region codes from the lookup: " + ", ".join(sorted(present - {""})),
            fix="check the region codes (e.g. E12000005 West Midlands)"))
    notes = []
    if absent:
        text = f"{path.name}: region(s) {', '.join(absent)} match no area in the lookup"
        warnings.warn(text, stacklevel=3)
        notes.append(text)
    return table[keep], int((~keep).sum()), notes
