"""The one publishing policy: what may leave the machine, and in what shape.

Every output (map, report, CSV, XLSX, GeoPackage, the notebook widget and the
text the CLI prints) goes through this module:

* **Fields**: only :data:`~coverage_gaps.schema.PUBLIC_PROVIDER_FIELDS` of a
  provider are published (:func:`public_columns`); anything else a user brought
  (contact people, emails, phone numbers, notes) stays on the machine.
* **Points**: provider points are coarsened to the profile's
  ``[publish] point_precision`` (:func:`snap_points`): ``"exact"``, ``"district"``
  (the centre of a 2 km grid cell) or ``"area"`` (the area's representative
  point; providers outside every study area go to a 10 km grid cell).
* **Formulas**: text a spreadsheet would run as a formula (``= + - @``, tab,
  carriage return) gets a leading apostrophe (:func:`neutralise`), in CSV,
  XLSX and GeoPackage alike.
* **Terminals**: text printed by the CLI loses control characters and escape
  sequences (:func:`terminal_text`), so a name cannot recolour, retitle or
  clear an analyst's terminal.
"""

from __future__ import annotations

import re
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .schema import AREA_CODE, CRS_BNG, LOCATION_PRECISION, PUBLIC_PROVIDER_FIELDS
from .settings import POINT_PRECISIONS, PublishSettings

__all__ = [
    "PRECISIONS",
    "public_columns",
    "public_result",
    "public_providers",
    "snap_points",
    "precision_of",
    "neutralise",
    "neutralise_frame",
    "terminal_text",
    "terminal_frame",
]

#: Point precision a profile may ask for providers in public outputs (``[publish] point_precision``):
#: grid size in metres (0 = exact; "area" moves a point to its area's representative point).
PRECISIONS = dict(zip(POINT_PRECISIONS, (0.0, 2_000.0, 10_000.0)))
#: Candidate columns that may be published.
CANDIDATE_FIELDS = (AREA_CODE, "provider_id", "name", "oisc_level", "status", "categories", "distance_km")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: ANSI/VT escape sequences (CSI, OSC, two-character escapes), then any other C0/C1 control character.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# --- fields ------------------------------------------------------------------------


def public_columns(providers: pd.DataFrame, *extra: str) -> list[str]:
    """The allow-listed provider fields (then ``extra``) that ``providers`` has: all that may be published."""
    return [c for c in (*PUBLIC_PROVIDER_FIELDS, *extra) if c in providers.columns]


# --- points ------------------------------------------------------------------------


def precision_of(result) -> str:
    """The point precision a Result is published at (its ``[publish] point_precision``)."""
    return result.publish.point_precision


def snap_points(providers: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, precision: str) -> gpd.GeoSeries:
    """Provider points at the published precision (EPSG:27700), never finer than asked."""
    grid = PRECISIONS[precision]
    geom = providers.geometry.to_crs(CRS_BNG) if providers.crs is not None else providers.geometry
    if grid == 0:
        return geom
    xy = np.column_stack([shapely.get_x(geom.to_numpy()), shapely.get_y(geom.to_numpy())])  # NaN when missing
    snapped = np.floor(xy / grid) * grid + grid / 2.0  # the centre of the grid cell, never the address
    located = np.isfinite(snapped).all(axis=1)
    points = gpd.GeoSeries(np.where(located, shapely.points(np.nan_to_num(snapped)), None),
                           index=providers.index, crs=CRS_BNG)
    if precision == "area" and len(areas):
        centres = areas.to_crs(CRS_BNG).set_index(AREA_CODE).geometry.representative_point()
        codes = providers[AREA_CODE] if AREA_CODE in providers.columns else pd.Series("", index=providers.index)
        known = codes.isin(centres.index)
        points[known] = centres.reindex(codes[known]).to_numpy()
    return points


def _public_provider_frame(result, precision: str, *extra: str) -> gpd.GeoDataFrame:
    prov = result.providers
    out = gpd.GeoDataFrame(prov[public_columns(prov, *extra)].copy(),
                           geometry=snap_points(prov, result.areas, precision), crs=CRS_BNG)
    if LOCATION_PRECISION in out.columns and precision != "exact":
        out[LOCATION_PRECISION] = precision
    return out


def public_result(result, *, precision: str | None = None):
    """A copy of ``result`` that is safe to publish.

    Parameters
    ----------
    result
        The analysis Result.
    precision
        ``"exact"``, ``"district"`` or ``"area"`` (see :func:`snap_points`).
        Default: the Result's ``publish.point_precision``.

    Returns
    -------
    Result
        Providers with only :data:`~coverage_gaps.schema.PUBLIC_PROVIDER_FIELDS`
        plus ``qualifying`` and geometry; candidates with public fields only;
        no rejects (their values may be private: published outputs show counts).
    """
    publish = PublishSettings(point_precision=precision) if precision else result.publish  # checks the words
    providers = _public_provider_frame(result, publish.point_precision, "qualifying")
    candidates = result.candidates[[c for c in CANDIDATE_FIELDS if c in result.candidates.columns]].copy()
    return replace(result, providers=providers, candidates=candidates, publish=publish,
                   rejects=result.rejects.iloc[0:0][[]])


def public_providers(result) -> pd.DataFrame:
    """Providers with allow-listed fields only and WGS84 ``lon``/``lat`` (4 dp) at the published precision."""
    public = _public_provider_frame(result, precision_of(result))
    pts = public.geometry.to_crs("EPSG:4326")
    return pd.DataFrame(public.drop(columns="geometry")).assign(lon=np.round(pts.x, 4), lat=np.round(pts.y, 4))


# --- formulas ----------------------------------------------------------------------


def neutralise(value):
    """Prefix text that a spreadsheet would read as a formula with ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame, *, as_text: bool = False) -> pd.DataFrame:
    """A copy with every text column neutralised (``as_text``: its values made strings first)."""
    out = df.copy()
    for col in out.columns:
        if col == getattr(out, "_geometry_column_name", None):
            continue
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            values = out[col].astype(str) if as_text else out[col]
            if isinstance(values.dtype, pd.StringDtype):  # text only: one vectorised test, rare changes
                formula = values.str.startswith(_FORMULA_START).fillna(False).to_numpy(dtype=bool)
                out[col] = values.mask(formula, "'" + values) if formula.any() else values
            else:
                out[col] = values.map(neutralise)
    return out


# --- terminals ---------------------------------------------------------------------


def terminal_text(value) -> str:
    """``value`` as text safe to print: escape sequences removed, other control characters made spaces."""
    text = _ESCAPES.sub("", str(value))
    return _CONTROL.sub(" ", text)


def terminal_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) are safe to print."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: terminal_text(v) if isinstance(v, str) else v)
    out.columns = [terminal_text(c) for c in out.columns]
    return out
