"""The area to region lookup: read it, join it onto areas, keep the chosen regions.

:func:`load_region_lookup` reads an ONS lookup (``LAD22CD, LAD22NM, RGN22CD,
RGN22NM``); :func:`~coverage_gaps.io.load_areas` uses the private steps here
to add ``region_code``/``region_name`` to the areas and keep the regions a
profile names.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .._validate import Loaded, RejectLog
from ..errors import DuplicateCodeError, InvalidValueError, MissingColumnError, describe
from ..schema import AREA_CODE, AREA_NAME, REGION_CODE, REGION_NAME
from ..tables import ONS_CODE, match_column, read_table

__all__ = ["load_region_lookup", "read_region_lookup", "lookup_against_areas", "areas_without_region"]

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
        Rows with a blank code or a repeated row are left out: see
        :func:`read_region_lookup` for them as rejects.

    Raises
    ------
    MissingColumnError, DuplicateCodeError
    """
    return read_region_lookup(path, area_code_column=area_code_column, region_code_column=region_code_column,
                              region_name_column=region_name_column).table


def read_region_lookup(path: str | Path, *, area_codes=None, **columns) -> Loaded:
    """The region lookup as a reconciled input: every row used, filtered or rejected with a reason.

    Parameters
    ----------
    path
        The lookup file (see :func:`load_region_lookup`).
    area_codes
        Codes of the areas in the boundary file, when known: lookup rows for
        other codes are counted as filtered (with a note), not used.
    **columns
        ``area_code_column``, ``region_code_column``, ``region_name_column``.

    Returns
    -------
    Loaded
        ``table``: ``area_code, region_code, region_name``.  A blank area or
        region code, or a row repeated, is a reject (a blank region would drop
        the area from every study region without a word).
    """
    path = Path(path)
    df, first = read_table(path, header_hint=("LAD22CD", "RGN22CD", "RGN22NM"))
    blank = df.isna().all(axis=1).to_numpy()
    df = df[~blank]
    rows = [first + i for i in np.flatnonzero(~blank)]
    out = _lookup_columns(df, path.name, **columns).reset_index(drop=True)
    area_col, region_col = out.attrs["columns"]
    log = RejectLog(path.name)
    bad = np.zeros(len(out), dtype=bool)
    for i in np.flatnonzero(out[AREA_CODE].eq("").to_numpy()):
        log.add(rows[i], "blank area code: the row maps no area", column=area_col,
                value=out[REGION_CODE].iat[i] or None)
        bad[i] = True
    for i in np.flatnonzero(out[REGION_CODE].eq("").to_numpy() & ~bad):
        log.add(rows[i], describe(f"blank region code: area {out[AREA_CODE].iat[i]} would belong to no region and "
                                  "fall out of every study region", fix="give the area's region code (e.g. "
                                  "E12000005 West Midlands), or remove the row"), column=region_col,
                value=out[AREA_CODE].iat[i])
        bad[i] = True
    # repeated rows, vectorised (a national lookup has tens of thousands of rows): each repeat names the first
    pairs = out[[AREA_CODE, REGION_CODE]][~bad]
    repeat = pairs.duplicated(keep="first").to_numpy()
    if repeat.any():
        first_of = pairs.reset_index().groupby([AREA_CODE, REGION_CODE], sort=False)["index"].transform("first")
        for i, j in zip(pairs.index[repeat], first_of.to_numpy()[repeat]):
            area, region = out[AREA_CODE].iat[i], out[REGION_CODE].iat[i]
            log.add(rows[i], f"repeated row: area {area} is already mapped to {region} on row {rows[j]}",
                    column=area_col, value=area)
            bad[i] = True
    table = out[~bad].reset_index(drop=True)
    dup = table[AREA_CODE][table[AREA_CODE].duplicated()]
    if len(dup):
        raise DuplicateCodeError(describe(
            "area code(s) mapped to more than one region: " + ", ".join(sorted(set(dup))[:10]), file=path.name,
            expected="one region per area", fix="keep one row per area code in the lookup"))
    loaded = Loaded(table=table, rejects=log.frame(), read=len(out), used=len(table), source=path.name,
                    notes=list(df.attrs.get("notes", [])))
    return loaded if area_codes is None else lookup_against_areas(loaded, area_codes)


def lookup_against_areas(loaded: Loaded, area_codes) -> Loaded:
    """The lookup's counts once the boundaries are known: rows for areas not in them are filtered, with a note."""
    table = loaded.table
    other = ~table[AREA_CODE].isin(set(area_codes))
    filtered = int(other.sum())
    notes = list(loaded.notes)
    if filtered:
        notes.append(f"{filtered} row(s) name areas not in the boundary file (another vintage or another "
                     f"country?), left out: {', '.join(table.loc[other, AREA_CODE].head(5))}"
                     + (" ..." if filtered > 5 else ""))
    return replace(loaded, used=len(table) - filtered, filtered=filtered, notes=notes)


def areas_without_region(table: pd.DataFrame) -> list[str]:
    """``"code name"`` of areas the lookup gave no region (and no country stands in for)."""
    if REGION_CODE not in table.columns:
        return []
    missing = table[table[REGION_CODE].fillna("").eq("")]
    return [f"{c} {n}" for c, n in zip(missing[AREA_CODE], missing.get(AREA_NAME, missing[AREA_CODE]))]


# --- private steps -----------------------------------------------------------


def _lookup_columns(df: pd.DataFrame, file, area_code_column=None, region_code_column=None,
                    region_name_column=None) -> pd.DataFrame:
    """``area_code, region_code, region_name`` as stripped text ("" when blank), one row per input row."""
    if {AREA_CODE, REGION_CODE} <= set(df.columns) and area_code_column is None:
        area, region = AREA_CODE, REGION_CODE
        out = df[[AREA_CODE, REGION_CODE] + ([REGION_NAME] if REGION_NAME in df.columns else [])].copy()
        if REGION_NAME not in out.columns:
            out[REGION_NAME] = ""
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
    out.attrs["columns"] = (str(area), str(region))  # the file's headers, for rejects
    return out


def _lookup_frame(df: pd.DataFrame, file, area_code_column=None, region_code_column=None,
                  region_name_column=None) -> pd.DataFrame:
    """A lookup table given in Python: blank codes left out, repeats dropped, one region per area."""
    out = _lookup_columns(df, file, area_code_column, region_code_column, region_name_column)
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
