"""Exports for planners: CSV, XLSX and GeoPackage, safe and reproducible.

* Cells that begin with ``= + - @`` (or tab / carriage return) are neutralised
  with a leading apostrophe so a spreadsheet never runs them as formulas.
* Only allow-listed fields are written, provider points at the profile's
  location precision: :mod:`coverage_gaps.publish` decides both, for every output.
* The same Result gives byte-identical files (fixed timestamps inside XLSX and
  GeoPackage).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ._gap import gap_categories
from .columns import column, definitions, oisc_words
from .errors import InvalidValueError, describe
from .publish import neutralise, neutralise_frame as _neutralise_frame, public_providers, public_result
from .gaps import no_candidates_text, partner_list_supplied, shortfall
from .schema import AREA_CODE, AREA_NAME, CRS_BNG, DESERT, DROUGHT, GAP, TARGET_COLUMNS
from .summary import data_warnings

__all__ = [
    "neutralise",
    "target_table",
    "check_region",
    "public_providers",
    "write_csv",
    "write_xlsx",
    "write_gpkg",
    "write_exports",
    "about_table",
    "planner_sheets",
    "measure_columns",
    "candidates_sheet",
]

#: Extra measure columns that follow TARGET_COLUMNS in the target list.
EXTRA_COLUMNS = [
    "region_code",
    "population",
    "demand_per_10k",
    "local_capacity",
    "level1_providers",
    "capacity_per_10k_residents",
    "capacity_per_1k_demand",
    "nearest_level1_km",
    "nearest_level2_km",
    "nearest_level3_km",
    "coverage_share",
    "candidates",
]



def target_table(result, *, top: int | None = None, region: str | None = None) -> pd.DataFrame:
    """The ranked target list: the contract columns first, then the other measures.

    Parameters
    ----------
    result
        A :class:`~coverage_gaps.result.Result`.
    top
        Keep the first ``top`` ranks only.
    region
        Keep areas whose ``region_code`` equals this code; a code no ranked
        area has is refused (:func:`check_region`), never an empty list.
    """
    table = result.targets
    if region:
        check_region(result, region)
        table = table[table.get("region_code", pd.Series("", index=table.index)) == region]
    table = table[table["rank"].notna()]
    if top:
        table = table.head(top)
    if len(result.candidates):
        names = result.candidates.groupby("area_code")["name"].agg(lambda s: "; ".join(s))
        table = table.assign(candidates=table["area_code"].map(names).fillna(""))
    else:
        table = table.assign(candidates="")
    columns = [c for c in TARGET_COLUMNS + EXTRA_COLUMNS if c in table.columns]
    table = table[columns].reset_index(drop=True).rename(columns=measure_columns(result))
    if getattr(result, "synthetic", False):
        table["data_note"] = SYNTHETIC_NOTE
    return table


def check_region(result, region: str, *, column: str = "region") -> None:
    """Refuse a region code that no ranked area has, naming the regions that do (``column``: the option's name)."""
    table = result.targets
    codes = table.loc[table["rank"].notna(), "region_code"] if "region_code" in table else None
    known = sorted({str(c) for c in codes.dropna()}) if codes is not None else []
    if region not in known:
        raise InvalidValueError(describe(
            "no ranked area is in this region", column=column, value=region,
            expected="one of " + ", ".join(known) if known else "a profile that gives areas a region code",
            fix=f"use one of those codes, or leave {column} out" if known
                else f"add an [inputs.region_lookup] to the profile, or leave {column} out"))


def measure_columns(result) -> dict[str, str]:
    """Export headers for Result columns whose internal name does not say which measure they are.

    ``unmet_demand`` becomes ``people_below_average`` (relative: against the
    average across the coverage) or ``people_below_standard`` (against a
    stated standard); see :func:`coverage_gaps.gaps.shortfall`.
    """
    return {"unmet_demand": shortfall(result.settings, coverage=getattr(result, "coverage", "")).column}


def candidates_sheet(result) -> pd.DataFrame:
    """The candidates table, or one row saying why it is empty (no partner list, or none near enough)."""
    if len(result.candidates):
        return result.candidates
    supplied = partner_list_supplied(result.sources, result.providers)
    text = no_candidates_text(partner_list=supplied, within_km=float(result.settings.candidate_km))
    where = " of any target area" if supplied else ""
    return pd.DataFrame({"note": [f"No partners to train: {text[:1].lower() + text[1:]}{where}"]})


SYNTHETIC_NOTE = "synthetic demo data"


def about_table(result) -> pd.DataFrame:
    """What a set of exports is: title, dates, settings and sources, one ``item, value`` row each."""
    rows = [("title", result.title), ("region", result.region_name), ("generated on", result.generated_on)]
    if result.synthetic:
        rows.append(("data", f"{SYNTHETIC_NOTE}: not real places or people"))
    rows.append(("benchmark access (capacity per 1,000 people in demand)", round(float(result.benchmark), 4)))
    measure = shortfall(result.settings, coverage=getattr(result, "coverage", ""))
    rows.append((measure.column, measure.label + (f". {measure.caveat}" if measure.caveat else "")))
    rows += [("warning", w) for w in data_warnings(result)]
    rows += [(f"setting: {k}", str(v)) for k, v in sorted(result.settings.as_dict().items())]
    rows += [("publish: point_precision", result.publish.point_precision)]
    for src in result.sources:
        detail = "; ".join(x for x in (src.file, f"dated {src.date}" if src.date else "", src.licence,
                                        src.attribution) if x)
        rows.append((f"source: {src.name}", detail))
    return pd.DataFrame(rows, columns=["item", "value"])


def _whole_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """Float columns that hold only whole numbers as integers; other floats rounded to 6 decimal places."""
    out = table.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            values = out[col].to_numpy(dtype=float)
            finite = values[np.isfinite(values)]
            if len(finite) and np.all(finite == np.round(finite)) and np.all(np.abs(finite) < 2**53):
                out[col] = out[col].round().astype("Int64")
            else:
                out[col] = out[col].round(6)
    return out


def write_csv(table: pd.DataFrame, path):
    """UTF-8 CSV with code-name headers, formula-like cells neutralised and LF line endings.

    Whole numbers are written as integers (``1142490``, never ``1.14249e+06``)
    and other numbers with up to 6 decimal places.  The headers are the code
    names of :mod:`coverage_gaps.columns` (the XLSX shows their headings).
    ``path`` may also be an open text stream (``sys.stdout``).
    """
    path = path if hasattr(path, "write") else Path(path)
    _neutralise_frame(_whole_numbers(table)).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def _number_format(table: pd.DataFrame, name) -> str:
    """The column's own format, else one by kind: whole numbers "#,##0", other numbers "#,##0.00"."""
    given = column(str(name)).number_format
    series = table[name]
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return given
    if given:
        return given
    return "#,##0" if pd.api.types.is_integer_dtype(series) else "#,##0.00"


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path, *, generated_on: str = "2000-01-01") -> Path:
    """XLSX for planners: headings in words, bold frozen header, filters, number formats, a definitions sheet.

    Parameters
    ----------
    sheets
        Sheet name to table, in the order they appear (code-name columns; see
        :func:`planner_sheets` for the targets, candidates, rejects and about).
        A ``definitions`` sheet (sheet, heading, code name, meaning, unit of
        every column) is added after them.
    generated_on
        ISO date stored as the workbook's created/modified time, so the same
        inputs give the same bytes.

    Notes
    -----
    The XML is written directly and streamed into the zip
    (:mod:`coverage_gaps._xlsx`): a 35,000-row national target list takes a
    few seconds (openpyxl's write-only mode took about 48 s).  A number in a
    text column (the ``about`` sheet's values) is formatted "#,##0" if whole,
    else "#,##0.00##".
    """
    from ._xlsx import Sheet, write_workbook

    when = datetime.fromisoformat(generated_on[:10]).date()
    sheets = {**sheets, "definitions": definitions(sheets)}
    pages = []
    for name, table in sheets.items():
        table = _neutralise_frame(table)
        headings = [column(str(c)).heading if name != "definitions" else str(c) for c in table.columns]
        widths = [min(max(10, max([len(head)] + [len(str(v)) for v in table[col].head(200)]) + 2), 60)
                  for col, head in zip(table.columns, headings)]
        pages.append(Sheet(name=name[:31], table=table, headings=headings, widths=widths,
                           formats=[_number_format(table, c) for c in table.columns]))
    return write_workbook(pages, path, when=when)


def planner_sheets(result, targets: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The workbook a planner opens: ``targets``, ``candidates``, ``rejects`` and ``about``.

    The targets carry one ``gap`` column (the category in words) in place of
    the ``desert`` and ``drought`` flags; the candidates carry the area's name
    and the OISC level in words.

    Parameters
    ----------
    result
        A :class:`~coverage_gaps.result.Result`.
    targets
        The target table to write (default :func:`target_table` of ``result``),
        e.g. filtered to a region or the top 20.
    """
    targets = target_table(result) if targets is None else targets
    if GAP not in targets.columns and DESERT in targets.columns:
        gaps = gap_categories(targets)
        at = list(targets.columns).index(DESERT)
        targets = targets.drop(columns=[c for c in (DESERT, DROUGHT) if c in targets.columns])
        targets.insert(at, GAP, gaps.to_numpy())
    elif GAP in targets.columns:  # the flags say no more than the category does
        targets = targets.drop(columns=[c for c in (DESERT, DROUGHT) if c in targets.columns])
    candidates = candidates_sheet(result).copy()
    if AREA_CODE in candidates.columns and AREA_NAME not in candidates.columns:
        names = result.areas.drop_duplicates(AREA_CODE).set_index(AREA_CODE)[AREA_NAME] \
            if AREA_NAME in result.areas.columns else pd.Series(dtype=object)
        candidates.insert(list(candidates.columns).index(AREA_CODE) + 1, AREA_NAME,
                          candidates[AREA_CODE].map(names).to_numpy())
    if "oisc_level" in candidates.columns:
        candidates["oisc_level"] = oisc_words(candidates["oisc_level"])
    return {"targets": targets, "candidates": candidates, "rejects": result.rejects, "about": about_table(result)}


def write_gpkg(result, path: str | Path, *, generated_on: str = "2000-01-01") -> Path:
    """GeoPackage with an ``areas`` layer (all measures) and a public ``providers`` layer.

    Each layer's description names the analysis (and says "synthetic demo data" for the demo).
    """
    import pyogrio

    path = Path(path)
    if path.exists():
        path.unlink()
    areas = result.areas.rename(columns=measure_columns(result))
    if "candidates" not in areas.columns:
        areas = areas.merge(target_table(result)[["area_code", "candidates"]], on="area_code", how="left")
    areas = _neutralise_frame(areas.to_crs(CRS_BNG), as_text=True)
    if "rank" in areas.columns:
        areas["rank"] = areas["rank"].astype("float64")
    providers = _neutralise_frame(public_result(result).providers.drop(columns="qualifying", errors="ignore"))
    stamp = f"{generated_on[:10]}T00:00:00Z"
    before = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": stamp})  # fixed timestamps: same bytes each run
    note = f"{result.title} ({SYNTHETIC_NOTE})" if result.synthetic else result.title
    try:
        areas.to_file(path, layer="areas", driver="GPKG", engine="pyogrio",
                      layer_options={"DESCRIPTION": f"{note}: areas with every measure, rank and reason"})
        providers.to_file(path, layer="providers", driver="GPKG", engine="pyogrio", mode="a",
                          layer_options={"DESCRIPTION": f"{note}: providers (public fields only)"})
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": before})
    return path


def write_exports(result, out_dir: str | Path) -> dict[str, Path]:
    """Write ``targets.csv``, ``targets.xlsx``, ``areas.gpkg``, ``rejects.csv`` and ``harmonised.csv``.

    ``rejects.csv`` has a ``people`` column (people in rejected demand rows);
    ``harmonised.csv`` lists every demand code of another boundary vintage
    moved onto the boundaries, with its people and method (issue 12).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    targets = target_table(result)
    day = result.generated_on or "2000-01-01"
    files = {
        "targets.csv": write_csv(targets, out / "targets.csv"),
        "targets.xlsx": write_xlsx(planner_sheets(result, targets), out / "targets.xlsx", generated_on=day),
        "areas.gpkg": write_gpkg(result, out / "areas.gpkg", generated_on=day),
        "rejects.csv": write_csv(result.rejects, out / "rejects.csv"),
        "harmonised.csv": write_csv(result.harmonised, out / "harmonised.csv"),
    }
    return files
