"""Exports for planners: CSV, XLSX and GeoPackage, safe and reproducible.

* Cells that begin with ``= + - @`` (or tab / carriage return) are neutralised
  with a leading apostrophe so a spreadsheet never runs them as formulas.
* Only allow-listed fields are written, provider points at the profile's
  location precision: :mod:`coverage_gaps.publish` decides both, for every output.
* The same Result gives byte-identical files (fixed timestamps inside XLSX and
  GeoPackage).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .publish import neutralise, neutralise_frame as _neutralise_frame, public_providers, public_result
from .schema import CRS_BNG, TARGET_COLUMNS

__all__ = [
    "neutralise",
    "target_table",
    "public_providers",
    "write_csv",
    "write_xlsx",
    "write_gpkg",
    "write_exports",
    "about_table",
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

_NUMBER_FORMATS = {
    "demand": "#,##0",
    "population": "#,##0",
    "unmet_demand": "#,##0",
    "nearest_km": "0.0",
    "access": "0.00",
    "coverage_share": "0%",
    "demand_per_10k": "0.0",
}


def target_table(result, *, top: int | None = None, region: str | None = None) -> pd.DataFrame:
    """The ranked target list: the contract columns first, then the other measures.

    Parameters
    ----------
    result
        A :class:`~coverage_gaps.result.Result`.
    top
        Keep the first ``top`` ranks only.
    region
        Keep areas whose ``region_code`` equals this code.
    """
    table = result.targets
    if region:
        table = table[table.get("region_code", pd.Series("", index=table.index)) == region]
    table = table[table["rank"].notna()]
    if top:
        table = table.head(top)
    if len(result.candidates):
        names = result.candidates.groupby("area_code")["name"].agg(lambda s: "; ".join(s))
        table = table.assign(candidates=table["area_code"].map(names).fillna(""))
    else:
        table = table.assign(candidates="")
    columns = TARGET_COLUMNS + [c for c in EXTRA_COLUMNS if c in table.columns]
    table = table[columns].reset_index(drop=True)
    if getattr(result, "synthetic", False):
        table["data_note"] = SYNTHETIC_NOTE
    return table


SYNTHETIC_NOTE = "synthetic demo data"


def about_table(result) -> pd.DataFrame:
    """What a set of exports is: title, dates, settings and sources, one ``item, value`` row each."""
    rows = [("title", result.title), ("region", result.region_name), ("generated on", result.generated_on)]
    if result.synthetic:
        rows.append(("data", f"{SYNTHETIC_NOTE}: not real places or people"))
    rows.append(("benchmark access (capacity per 1,000 people in demand)", round(float(result.benchmark), 4)))
    rows += [(f"setting: {k}", str(v)) for k, v in sorted(result.settings.items())]
    for src in result.sources:
        detail = "; ".join(x for x in (src.file, f"dated {src.date}" if src.date else "", src.licence,
                                        src.attribution) if x)
        rows.append((f"source: {src.name}", detail))
    return pd.DataFrame(rows, columns=["item", "value"])


def write_csv(table: pd.DataFrame, path):
    """UTF-8 CSV with formula-like cells neutralised and LF line endings.

    ``path`` may also be an open text stream (``sys.stdout``).
    """
    path = path if hasattr(path, "write") else Path(path)
    _neutralise_frame(table).to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.6g")
    return path


def _fixed_zip(data: bytes, when: tuple[int, int, int]) -> bytes:
    """Rewrite a zip (an XLSX) with fixed entry timestamps and a fixed modified date.

    openpyxl stamps the save time into ``docProps/core.xml``; replace it so the
    same inputs give the same bytes.
    """
    stamp = "%04d-%02d-%02dT00:00:00Z" % when
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(*when, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                                 rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            dst.writestr(fixed, content)
    return buf.getvalue()


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path, *, generated_on: str = "2000-01-01") -> Path:
    """XLSX with a frozen header, filters, number formats and fixed metadata.

    Parameters
    ----------
    sheets
        Sheet name to table, in the order they appear.
    generated_on
        ISO date stored as the workbook's created/modified time, so the same
        inputs give the same bytes.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    when = datetime.fromisoformat(generated_on[:10])
    wb = Workbook()
    wb.remove(wb.active)
    for name, table in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        table = _neutralise_frame(table)
        ws.append([str(c) for c in table.columns])
        for row in table.itertuples(index=False):
            ws.append([None if (isinstance(v, float) and not np.isfinite(v)) or v is pd.NA else
                       (bool(v) if isinstance(v, np.bool_) else v.item() if isinstance(v, np.generic) else v)
                       for v in row])
        ws.freeze_panes = "A2"
        if len(table.columns):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table) + 1}"
        for i, col in enumerate(table.columns, start=1):
            letter = get_column_letter(i)
            width = max([len(str(col))] + [len(str(v)) for v in table[col].head(200)])
            ws.column_dimensions[letter].width = min(max(10, width + 2), 80)
            fmt = _NUMBER_FORMATS.get(str(col))
            if fmt:
                for cell in ws[letter][1:]:
                    cell.number_format = fmt
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "coverage-gaps"
    buf = io.BytesIO()
    wb.save(buf)
    path = Path(path)
    path.write_bytes(_fixed_zip(buf.getvalue(), (when.year, when.month, when.day)))
    return path


def write_gpkg(result, path: str | Path, *, generated_on: str = "2000-01-01") -> Path:
    """GeoPackage with an ``areas`` layer (all measures) and a public ``providers`` layer.

    Each layer's description names the analysis (and says "synthetic demo data" for the demo).
    """
    import pyogrio

    path = Path(path)
    if path.exists():
        path.unlink()
    areas = result.areas.copy()
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
        "targets.xlsx": write_xlsx(
            {"targets": targets, "candidates": result.candidates, "rejects": result.rejects,
             "about": about_table(result)},
            out / "targets.xlsx",
            generated_on=day,
        ),
        "areas.gpkg": write_gpkg(result, out / "areas.gpkg", generated_on=day),
        "rejects.csv": write_csv(result.rejects, out / "rejects.csv"),
        "harmonised.csv": write_csv(result.harmonised, out / "harmonised.csv"),
    }
    return files
